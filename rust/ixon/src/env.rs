//! The `.ixe` environment file (docs/IXON.md §5, version 3).
//!
//! Sections: 1 header `0xE2`, 2 root, 3 main, 4 assumptions, 5 blobs,
//! 6 constants, 7 hints, 8 names, 9 named entries, 10 comments, 11 named
//! root. Sections 4–10 start with a Tag0 count. Blobs and constants are `address, Tag0 length,
//! bytes`, strictly ascending by address, hashes verified on read. Hints are
//! `Tag0 delta, Tag0 code` where the first delta is the index into section 6
//! and each later one is (index − previous index − 1).
//!
//! Section 11 (version 2) is the named root, [`IxonEnv::named_root`]: BLAKE3
//! over every section but the blobs and constants, which their addresses and
//! the root already bind. Every reader checks it, so a changed byte anywhere
//! is refused. [`ReadMode::Anonymous`] does not decode the metadata, so its
//! result is independent of it, but checks its bytes against the named root.

use crate::address::{merkle_root_canonical, Address};
use crate::constant::{Constant, ConstantInfo};
use crate::error::DecodeError;
use crate::meta::Metadata;
use crate::tag::{put_tag0, put_tag4, Cursor};
use ix_base::format::{IXE_FLAG, IXE_VERSION};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Domain separation of the named root.
const NAMED_ROOT_DOMAIN: &[u8] = b"ixe named root v1";

/// Sections the named root hashes: all but the blobs (4) and constants (5).
fn named(section: usize) -> bool {
    section != 4 && section != 5
}

/// Reducibility hint codes (section 7 and metadata): 0 opaque, 1 abbrev,
/// h + 2 regular with height h.
pub type HintCode = u64;

/// An Ixon environment: content-addressed constants and blobs, plus metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IxonEnv {
    pub main: Option<Address>,
    pub assumptions: Vec<Address>,
    pub blobs: BTreeMap<Address, Vec<u8>>,
    pub consts: BTreeMap<Address, Constant>,
    /// Hint code per definition constant (a standalone `Defn` or a `DPrj`).
    pub hints: BTreeMap<Address, HintCode>,
    pub meta: Metadata,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMode {
    /// Everything, metadata included.
    Full,
    /// Sections 1–7 only: what a kernel needs.
    Anonymous,
}

/// Bytes per section, 1 through 11 (index 0 is the header byte).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionSizes(pub [u64; 11]);

impl SectionSizes {
    pub const NAMES: [&'static str; 11] = [
        "header",
        "root",
        "main",
        "assumptions",
        "blobs",
        "constants",
        "hints",
        "names",
        "entries",
        "comments",
        "named_root",
    ];

    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
}

/// An `.ixe` read failure: the file and what went wrong at which byte.
#[derive(Debug, thiserror::Error)]
pub enum EnvFileError {
    #[error("{file}: {source}")]
    Decode { file: String, source: DecodeError },
    #[error("{file}: {message}")]
    Io { file: String, message: String },
}

/// The constants a file is written with: as trees, or already encoded.
#[derive(Clone, Copy)]
enum Constants<'a> {
    Decoded(&'a BTreeMap<Address, Constant>),
    Encoded(&'a BTreeMap<Address, Vec<u8>>),
}

impl<'a> Constants<'a> {
    fn len(self) -> usize {
        match self {
            Constants::Decoded(c) => c.len(),
            Constants::Encoded(c) => c.len(),
        }
    }

    fn addresses(self) -> Box<dyn Iterator<Item = &'a Address> + 'a> {
        match self {
            Constants::Decoded(c) => Box::new(c.keys()),
            Constants::Encoded(c) => Box::new(c.keys()),
        }
    }

    fn root(self) -> Option<Address> {
        merkle_root_canonical(&self.addresses().copied().collect::<Vec<_>>())
    }

    /// The bytes of the constant at `addr` (encoded into `scratch` if need be).
    fn encoded<'s>(self, addr: &Address, scratch: &'s mut Vec<u8>) -> &'s [u8]
    where
        'a: 's,
    {
        match self {
            Constants::Decoded(c) => {
                scratch.clear();
                if let Some(constant) = c.get(addr) {
                    constant.encode(scratch);
                }
                scratch
            }
            Constants::Encoded(c) => c.get(addr).map(Vec::as_slice).unwrap_or_default(),
        }
    }
}

impl IxonEnv {
    /// The canonical merkle root over every constant address.
    pub fn root(&self) -> Option<Address> {
        let addrs: Vec<Address> = self.consts.keys().copied().collect();
        merkle_root_canonical(&addrs)
    }

    /// The environment's identity with its names: BLAKE3 over every section
    /// except the blobs and constants (which their addresses and the content
    /// root already bind), exactly as the file encodes them: header, content
    /// root, main, assumptions, hints, names, named entries and comments.
    /// Swapping two declarations' names, duplicating a declaration or
    /// changing a hint keeps [`IxonEnv::root`] but changes this root; the
    /// file stores it last, and claims carry it.
    pub fn named_root(&self) -> Address {
        // Writing to a sink cannot fail.
        self.write_sections(
            &mut std::io::sink(),
            false,
            Constants::Decoded(&self.consts),
        )
        .map_or_else(|_| Address::default(), |(_, root)| root)
    }

    /// Writes the whole file; returns the bytes per section.
    pub fn write_to(&self, out: &mut impl Write) -> std::io::Result<SectionSizes> {
        Ok(self
            .write_sections(out, true, Constants::Decoded(&self.consts))?
            .0)
    }

    /// Writes the whole file atomically and durably with the constants
    /// given already encoded, by address, in place of `self.consts`: a
    /// compiler that keeps each constant's bytes rather than its tree
    /// (a tenth of the memory) writes through this.
    pub fn write_file_encoded(
        &self,
        encoded: &BTreeMap<Address, Vec<u8>>,
        path: &Path,
    ) -> Result<SectionSizes, EnvFileError> {
        self.write_atomically(path, |env, out| {
            Ok(env
                .write_sections(out, true, Constants::Encoded(encoded))?
                .0)
        })
    }

    /// Encodes every section in order, hashing the named ones as it goes;
    /// writes them to `out` when `write`, then the named root.
    fn write_sections(
        &self,
        out: &mut impl Write,
        write: bool,
        consts: Constants<'_>,
    ) -> std::io::Result<(SectionSizes, Address)> {
        let mut sizes = SectionSizes::default();
        let mut hasher = blake3::Hasher::new();
        hasher.update(NAMED_ROOT_DOMAIN);
        let mut buf = Vec::with_capacity(1 << 16);
        let mut emit = |section: usize, buf: &mut Vec<u8>, out: &mut dyn Write| {
            sizes.0[section] += buf.len() as u64;
            if named(section) {
                hasher.update(buf);
            }
            let r = if write { out.write_all(buf) } else { Ok(()) };
            buf.clear();
            r
        };
        put_tag4(&mut buf, IXE_FLAG, u64::from(IXE_VERSION));
        emit(0, &mut buf, out)?;
        buf.extend_from_slice(&consts.root().unwrap_or_default().0);
        emit(1, &mut buf, out)?;
        match &self.main {
            None => buf.push(0),
            Some(a) => {
                buf.push(1);
                buf.extend_from_slice(&a.0);
            }
        }
        emit(2, &mut buf, out)?;
        put_tag0(&mut buf, self.assumptions.len() as u64);
        for a in &self.assumptions {
            buf.extend_from_slice(&a.0);
        }
        emit(3, &mut buf, out)?;
        put_tag0(&mut buf, self.blobs.len() as u64);
        for (addr, bytes) in &self.blobs {
            buf.extend_from_slice(&addr.0);
            put_tag0(&mut buf, bytes.len() as u64);
            buf.extend_from_slice(bytes);
            emit(4, &mut buf, out)?;
        }
        emit(4, &mut buf, out)?;
        put_tag0(&mut buf, consts.len() as u64);
        let mut index = BTreeMap::new();
        let mut body = Vec::new();
        for (i, addr) in consts.addresses().enumerate() {
            index.insert(*addr, i as u64);
            buf.extend_from_slice(&addr.0);
            let bytes = consts.encoded(addr, &mut body);
            put_tag0(&mut buf, bytes.len() as u64);
            buf.extend_from_slice(bytes);
            emit(5, &mut buf, out)?;
        }
        emit(5, &mut buf, out)?;
        let hinted: Vec<(u64, HintCode)> = self
            .hints
            .iter()
            .filter_map(|(a, h)| index.get(a).map(|i| (*i, *h)))
            .collect();
        put_tag0(&mut buf, hinted.len() as u64);
        let mut next = 0;
        for (i, code) in hinted {
            put_tag0(&mut buf, i - next);
            put_tag0(&mut buf, code);
            next = i + 1;
        }
        emit(6, &mut buf, out)?;
        self.meta.encode_names(&mut buf);
        emit(7, &mut buf, out)?;
        put_tag0(&mut buf, self.meta.decls.len() as u64);
        for d in &self.meta.decls {
            Metadata::encode_decl(d, &mut buf);
            emit(8, &mut buf, out)?;
        }
        emit(8, &mut buf, out)?;
        self.meta.encode_comments(&mut buf);
        emit(9, &mut buf, out)?;
        let named_root = Address(*hasher.finalize().as_bytes());
        sizes.0[10] = 32;
        if write {
            out.write_all(&named_root.0)?;
        }
        Ok((sizes, named_root))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = self.write_to(&mut out);
        out
    }

    /// Writes atomically and durably (`ix_base::AtomicFile`): a temporary
    /// file in the same directory, synced, then renamed.
    pub fn write_file(&self, path: &Path) -> Result<SectionSizes, EnvFileError> {
        self.write_atomically(path, |env, out| env.write_to(out))
    }

    fn write_atomically(
        &self,
        path: &Path,
        write: impl FnOnce(&IxonEnv, &mut ix_base::AtomicFile) -> std::io::Result<SectionSizes>,
    ) -> Result<SectionSizes, EnvFileError> {
        let io = |e: std::io::Error| EnvFileError::Io {
            file: path.display().to_string(),
            message: e.to_string(),
        };
        let mut file = ix_base::AtomicFile::create(path).map_err(io)?;
        let sizes = write(self, &mut file).map_err(io)?;
        file.commit().map_err(io)?;
        Ok(sizes)
    }

    /// Reads a file through a memory map.
    pub fn read_file(path: &Path, mode: ReadMode) -> Result<(IxonEnv, SectionSizes), EnvFileError> {
        let image = crate::mapped::Image::open(path)?;
        IxonEnv::from_bytes(&image, mode).map_err(|source| EnvFileError::Decode {
            file: path.display().to_string(),
            source,
        })
    }

    /// Decodes a whole file image, strictly.
    pub fn from_bytes(
        bytes: &[u8],
        mode: ReadMode,
    ) -> Result<(IxonEnv, SectionSizes), DecodeError> {
        let mut c = Cursor::new(bytes, 0);
        let mut sizes = SectionSizes::default();
        let mut mark = c.position();
        let mut section_end = |c: &Cursor, i: usize| {
            sizes.0[i] = (c.position() - mark) as u64;
            mark = c.position();
        };
        let preamble = Preamble::read(&mut c, &mut section_end)?;
        let blobs = read_blobs(&mut c)?;
        section_end(&c, 4);
        let mut consts = BTreeMap::new();
        let mut order = Vec::new();
        for_each_item(&mut c, "constant", |addr, bytes, at, base| {
            verify_item("constant", addr, bytes, at)?;
            consts.insert(addr, Constant::decode(bytes, base)?);
            order.push(addr);
            Ok(())
        })?;
        section_end(&c, 5);
        let hints_start = c.position();
        let mut hints = BTreeMap::new();
        for_each_hint(&mut c, order.len(), |i, code| {
            hints.insert(order[i], code);
        })?;
        section_end(&c, 6);
        preamble.check_root(&order)?;
        let mut env = IxonEnv {
            main: preamble.main,
            assumptions: preamble.assumptions,
            blobs,
            consts,
            hints,
            meta: Metadata::default(),
        };
        if mode == ReadMode::Anonymous {
            // The metadata is not decoded, but its bytes are checked: the
            // named root is the file's last 32 bytes.
            let Some(trailer) = bytes.len().checked_sub(32).filter(|&t| t >= hints_start) else {
                return Err(c.error_at(c.offset(), "the file ends before its named root"));
            };
            check_named_root(bytes, preamble.blobs_start, hints_start, trailer, |_| {})?;
            sizes.0[10] = 32;
            return Ok((env, sizes));
        }
        env.meta.names = Metadata::decode_names(&mut c)?;
        section_end(&c, 7);
        let names = env.meta.names.len();
        env.meta.decls = c.counted(|c| Metadata::decode_decl(c, names))?;
        section_end(&c, 8);
        env.meta.comments = Metadata::decode_comments(&mut c)?;
        section_end(&c, 9);
        let trailer = c.position();
        c.address()?;
        section_end(&c, 10);
        c.expect_end()?;
        check_named_root(bytes, preamble.blobs_start, hints_start, trailer, |_| {})?;
        Ok((env, sizes))
    }
}

/// Sections 1–4 (header, root, main, assumptions), validated, and where
/// the blobs start.
pub(crate) struct Preamble {
    /// The content root the file states, and where it states it.
    pub(crate) root: Address,
    pub(crate) root_at: usize,
    pub(crate) main: Option<Address>,
    pub(crate) assumptions: Vec<Address>,
    pub(crate) blobs_start: usize,
}

impl Preamble {
    /// Reads the sections before the blobs; `section_end(c, i)` is told
    /// where each section ends.
    pub(crate) fn read(
        c: &mut Cursor,
        section_end: &mut impl FnMut(&Cursor, usize),
    ) -> Result<Preamble, DecodeError> {
        let (flag, version) = c
            .tag4()
            .map_err(|e| DecodeError::new(0, format!("not an .ixe file: {}", e.message)))?;
        if flag != IXE_FLAG {
            return Err(DecodeError::new(
                0,
                format!("not an .ixe file (header byte flag {flag:#x})"),
            ));
        }
        if version != u64::from(IXE_VERSION) {
            return Err(DecodeError::new(
                0,
                format!(
                    "unsupported .ixe version {version} (this reader supports version {IXE_VERSION})"
                ),
            ));
        }
        section_end(c, 0);
        let root_at = c.offset();
        let root = c.address()?;
        section_end(c, 1);
        let main_at = c.offset();
        let main = match c.byte()? {
            0 => None,
            1 => Some(c.address()?),
            b => return Err(c.error_at(main_at, format!("bad `main` marker {b}"))),
        };
        section_end(c, 2);
        let at = c.offset();
        let n = c.tag0()?;
        if n.saturating_mul(32) > c.remaining() as u64 {
            return Err(c.error_at(at, format!("assumption count {n} exceeds the file")));
        }
        let assumptions = (0..n).map(|_| c.address()).collect::<Result<Vec<_>, _>>()?;
        if assumptions.windows(2).any(|w| w[0] >= w[1]) {
            return Err(c.error_at(at, "assumptions are not strictly ascending"));
        }
        section_end(c, 3);
        Ok(Preamble {
            root,
            root_at,
            main,
            assumptions,
            blobs_start: c.position(),
        })
    }

    /// Checks the stated root against the constants' addresses (in file
    /// order); returns the root (none for no constants).
    pub(crate) fn check_root(&self, addresses: &[Address]) -> Result<Option<Address>, DecodeError> {
        let root = merkle_root_canonical(addresses);
        let computed = root.unwrap_or_default();
        if computed != self.root {
            return Err(DecodeError::new(
                self.root_at,
                format!(
                    "root mismatch: file says {}, constants give {computed}",
                    self.root
                ),
            ));
        }
        Ok(root)
    }
}

/// Reads the hints section (section 7): calls `f(constant index, code)` for
/// each, refusing an index past the `constants` the file has.
pub(crate) fn for_each_hint(
    c: &mut Cursor,
    constants: usize,
    mut f: impl FnMut(usize, HintCode),
) -> Result<(), DecodeError> {
    let n = c.count()?;
    let mut next: u64 = 0;
    for _ in 0..n {
        let item_at = c.offset();
        let i = next.saturating_add(c.tag0()?);
        let code = c.tag0()?;
        if i >= constants as u64 {
            return Err(c.error_at(
                item_at,
                format!("hint for constant {i}, which does not exist"),
            ));
        }
        f(i as usize, code);
        next = i + 1;
    }
    Ok(())
}

/// Reads the blobs section, checking each blob's address.
pub(crate) fn read_blobs(c: &mut Cursor) -> Result<BTreeMap<Address, Vec<u8>>, DecodeError> {
    let mut blobs = BTreeMap::new();
    for_each_blob(c, |addr, bytes| {
        blobs.insert(addr, bytes.to_vec());
    })?;
    Ok(blobs)
}

/// Walks the blobs section, checking each blob's address before handing
/// it to `f`.
pub(crate) fn for_each_blob<'a>(
    c: &mut Cursor<'a>,
    mut f: impl FnMut(Address, &'a [u8]),
) -> Result<(), DecodeError> {
    for_each_item(c, "blob", |addr, bytes, at, _| {
        verify_item("blob", addr, bytes, at)?;
        f(addr, bytes);
        Ok(())
    })
}

/// Checks the named root stored at `trailer` against BLAKE3 of the sections
/// before the blobs (`..before_blobs`) and from the hints to the trailer.
/// The second range is hashed in windows, `hashed(end)` told after each, so
/// a reader of a mapped file can let go of what it has hashed.
pub(crate) fn check_named_root(
    bytes: &[u8],
    before_blobs: usize,
    hints_start: usize,
    trailer: usize,
    mut hashed: impl FnMut(usize),
) -> Result<(), DecodeError> {
    const WINDOW: usize = 4 << 20;
    let mut hasher = blake3::Hasher::new();
    hasher.update(NAMED_ROOT_DOMAIN);
    hasher.update(&bytes[..before_blobs]);
    let mut start = hints_start;
    while start < trailer {
        let end = trailer.min(start + WINDOW);
        hasher.update(&bytes[start..end]);
        hashed(end);
        start = end;
    }
    if hasher.finalize().as_bytes()[..] != bytes[trailer..trailer + 32] {
        return Err(DecodeError::new(
            trailer,
            "named root mismatch: a name, entry, hint, comment or the header was changed or damaged",
        ));
    }
    Ok(())
}

/// Reads a counted, strictly ascending list of `address, Tag0 length, bytes`
/// items: `f(address, bytes, item offset, bytes offset)` for each. Hashes
/// nothing: a caller that relies on an item's bytes checks them with
/// [`verify_item`].
pub(crate) fn for_each_item<'a>(
    c: &mut Cursor<'a>,
    what: &str,
    mut f: impl FnMut(Address, &'a [u8], usize, usize) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let n = c.count()?;
    let mut previous: Option<Address> = None;
    for _ in 0..n {
        let at = c.offset();
        let addr = c.address()?;
        if previous.is_some_and(|p| p >= addr) {
            return Err(c.error_at(at, format!("{what} addresses are not strictly ascending")));
        }
        previous = Some(addr);
        let len_at = c.offset();
        let len = c.tag0()?;
        if len > c.remaining() as u64 {
            return Err(c.error_at(
                len_at,
                format!("{what} length {len} runs past the end of the file"),
            ));
        }
        let base = c.offset();
        let bytes = c.take(len as usize)?;
        f(addr, bytes, at, base)?;
    }
    Ok(())
}

/// Checks an item's bytes against its address (BLAKE3); `at` is where the
/// item starts, for the error.
pub(crate) fn verify_item(
    what: &str,
    addr: Address,
    bytes: &[u8],
    at: usize,
) -> Result<(), DecodeError> {
    if Address::hash(bytes) != addr {
        return Err(DecodeError::new(
            at,
            format!(
                "{what} hash mismatch: bytes do not hash to {}",
                addr.short_hex(16)
            ),
        ));
    }
    Ok(())
}

/// What `ix info` reports about an `.ixe` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvInfo {
    pub version: u8,
    pub constants: usize,
    /// Mutual blocks (`Tag4(0xC, n)` constants).
    pub blocks: usize,
    pub projections: usize,
    pub blobs: usize,
    /// Entries of the names table (section 8).
    pub names: usize,
    /// Named entries (section 9): exported declarations.
    pub declarations: usize,
    pub hints: usize,
    pub sections: SectionSizes,
    pub root: Option<Address>,
    /// [`IxonEnv::named_root`]: the root with the names and entries bound.
    pub named_root: Address,
}

impl IxonEnv {
    pub fn info(&self, sections: SectionSizes) -> EnvInfo {
        let count =
            |f: fn(&ConstantInfo) -> bool| self.consts.values().filter(|c| f(&c.info)).count();
        EnvInfo {
            version: IXE_VERSION,
            constants: self.consts.len(),
            blocks: count(|i| matches!(i, ConstantInfo::Muts(_))),
            projections: count(ConstantInfo::is_projection),
            blobs: self.blobs.len(),
            names: self.meta.names.len(),
            declarations: self.meta.decls.len(),
            hints: self.hints.len(),
            sections,
            root: self.root(),
            named_root: self.named_root(),
        }
    }
}

/// Reads an `.ixe` file fully (validating everything) and summarizes it.
pub fn info_file(path: &Path) -> Result<EnvInfo, EnvFileError> {
    let (env, sections) = IxonEnv::read_file(path, ReadMode::Full)?;
    Ok(env.info(sections))
}

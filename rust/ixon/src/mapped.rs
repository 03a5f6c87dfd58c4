//! Random access to an `.ixe` file, for a reader that needs a few blocks of
//! a large environment (a shard job): the file is mapped, its sections are
//! walked once, and a constant's body is decoded — and hashed — only when
//! asked for.
//!
//! What opening checks, and why skipping the rest is safe:
//!
//! - the header, and the content root against the merkle root of every
//!   constant address: the set of constants is bound, so a constant added,
//!   removed or renamed anywhere is refused;
//! - the named root against BLAKE3 of the named sections, exactly as
//!   [`IxonEnv::read_file`] does: every name, entry, hint and comment is
//!   bound, so the metadata a reader relies on is the metadata the root
//!   commits to;
//! - every blob, against its address (they are few and small, and names are
//!   made of them);
//! - every projection, against its address (they are small, and tell which
//!   block each projection belongs to);
//! - the metadata is decoded (strictly, as the full reader does), to find
//!   each named entry and what it declares; the entries are not kept.
//!
//! What it skips: hashing and decoding the blocks. A block's bytes are
//! checked against its address by [`MappedEnv::constant`], the one way to
//! read them, so a block nobody asks for can be damaged without changing
//! anything a reader concludes, and a damaged block someone asks for is
//! refused.

use crate::address::Address;
use crate::constant::Constant;
use crate::env::{
    check_named_root, for_each_hint, for_each_item, verify_item, EnvFileError, Preamble,
};
use crate::error::DecodeError;
use crate::meta::{DeclEntry, Metadata, NameEntry, NameIdx};
use crate::tag::Cursor;
use std::collections::BTreeMap;
use std::path::Path;

/// The bytes of an `.ixe`: a read-only map of the file, or an image built in
/// memory (an environment compiled from NDJSON).
enum Image {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for Image {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Image::Mapped(map) => map,
            Image::Owned(bytes) => bytes,
        }
    }
}

/// Where each named entry is, and what it declares.
#[derive(Default)]
struct EntryIndex {
    /// Byte offset of each entry, and one past the last entry's end.
    offsets: Vec<usize>,
    /// Every entry's declared (name reference, address), entry after entry.
    declared: Vec<(NameIdx, Address)>,
    /// Where each entry's pairs start in `declared`, and one past the end.
    declared_start: Vec<usize>,
    /// How many of each entry's declared pairs are inductive types.
    type_counts: Vec<usize>,
}

/// An `.ixe` opened for random access (see the module comment for what is
/// checked when).
pub struct MappedEnv {
    image: Image,
    file: String,
    root: Option<Address>,
    named_root: Address,
    /// Every constant's address, ascending, and where its bytes are.
    addresses: Vec<Address>,
    spans: Vec<(usize, usize)>,
    /// The block of each projection, by constant index, ascending.
    projections: Vec<(usize, Address)>,
    blobs: BTreeMap<Address, Vec<u8>>,
    names: Vec<NameEntry>,
    entries: EntryIndex,
    comments: Vec<(String, String)>,
}

impl MappedEnv {
    /// Maps and indexes an `.ixe` file.
    pub fn open(path: &Path) -> Result<MappedEnv, EnvFileError> {
        let file = path.display().to_string();
        let io = |message: String| EnvFileError::Io {
            file: file.clone(),
            message,
        };
        let handle = std::fs::File::open(path).map_err(|e| io(format!("cannot open: {e}")))?;
        let meta = handle.metadata().map_err(|e| io(e.to_string()))?;
        if meta.is_dir() {
            return Err(io("is a directory, not an .ixe file".into()));
        }
        let image = if meta.len() == 0 {
            Image::Owned(Vec::new())
        } else {
            // SAFETY: the map is read-only. `ix` replaces files by renaming
            // a new one over them, never by writing in place, so the mapped
            // bytes do not change under us; if another program did write in
            // place, reads would see other bytes, which every decode
            // validates and every body read hashes: wrong results are
            // refused, never undefined behaviour in the safe code reading
            // the slice.
            Image::Mapped(unsafe { memmap2::Mmap::map(&handle) }.map_err(|e| io(e.to_string()))?)
        };
        MappedEnv::index(image, file)
    }

    /// Indexes a file image built in memory; `file` names it in errors.
    pub fn from_bytes(bytes: Vec<u8>, file: &str) -> Result<MappedEnv, EnvFileError> {
        MappedEnv::index(Image::Owned(bytes), file.to_string())
    }

    fn index(image: Image, file: String) -> Result<MappedEnv, EnvFileError> {
        match Sections::read(&image) {
            Ok(s) => Ok(MappedEnv {
                image,
                file,
                root: s.root,
                named_root: s.named_root,
                addresses: s.addresses,
                spans: s.spans,
                projections: s.projections,
                blobs: s.blobs,
                names: s.names,
                entries: s.entries,
                comments: s.comments,
            }),
            Err(source) => Err(EnvFileError::Decode { file, source }),
        }
    }

    /// The merkle root of every constant address (checked on opening).
    pub fn root(&self) -> Option<Address> {
        self.root
    }

    /// The named root (checked on opening): see [`crate::IxonEnv::named_root`].
    pub fn named_root(&self) -> Address {
        self.named_root
    }

    /// Every constant's address, ascending.
    pub fn addresses(&self) -> &[Address] {
        &self.addresses
    }

    /// The index of the constant at `address`.
    pub fn index_of(&self, address: &Address) -> Option<usize> {
        self.addresses.binary_search(address).ok()
    }

    /// Constant `i`, its bytes checked against its address and decoded.
    pub fn constant(&self, i: usize) -> Result<Constant, EnvFileError> {
        let decode = |source| EnvFileError::Decode {
            file: self.file.clone(),
            source,
        };
        let (Some(address), Some(&(start, len))) = (self.addresses.get(i), self.spans.get(i))
        else {
            return Err(decode(DecodeError::new(0, format!("no constant {i}"))));
        };
        let bytes = &self.image[start..start + len];
        verify_item("constant", *address, bytes, start).map_err(decode)?;
        Constant::decode(bytes, start).map_err(decode)
    }

    /// The home block of the constant at `address`: its block for a
    /// projection, itself otherwise.
    pub fn home(&self, address: &Address) -> Address {
        self.index_of(address)
            .and_then(|i| self.projections.binary_search_by_key(&i, |p| p.0).ok())
            .map_or(*address, |p| self.projections[p].1)
    }

    /// Every projection's address with its block.
    pub fn projections(&self) -> impl Iterator<Item = (Address, Address)> + '_ {
        self.projections
            .iter()
            .map(|(i, block)| (self.addresses[*i], *block))
    }

    /// The addresses of the constants that are not projections (the blocks
    /// and standalone constants: the homes a manifest shards).
    pub fn blocks(&self) -> impl Iterator<Item = Address> + '_ {
        let mut projections = self.projections.iter().map(|p| p.0).peekable();
        self.addresses.iter().enumerate().filter_map(move |(i, a)| {
            if projections.next_if_eq(&i).is_some() {
                None
            } else {
                Some(*a)
            }
        })
    }

    /// Every blob, by address (each checked on opening).
    pub fn blobs(&self) -> &BTreeMap<Address, Vec<u8>> {
        &self.blobs
    }

    /// The names table (section 8).
    pub fn names(&self) -> &[NameEntry] {
        &self.names
    }

    /// The comments (section 10).
    pub fn comments(&self) -> &[(String, String)] {
        &self.comments
    }

    /// Whether the file has metadata (names, entries or comments).
    pub fn has_metadata(&self) -> bool {
        !(self.names.is_empty() && self.entry_count() == 0 && self.comments.is_empty())
    }

    /// How many named entries there are.
    pub fn entry_count(&self) -> usize {
        self.entries.type_counts.len()
    }

    /// Named entry `i`, decoded.
    pub fn entry(&self, i: usize) -> Result<DeclEntry, EnvFileError> {
        let decode = |source| EnvFileError::Decode {
            file: self.file.clone(),
            source,
        };
        let (Some(&start), Some(&end)) =
            (self.entries.offsets.get(i), self.entries.offsets.get(i + 1))
        else {
            return Err(decode(DecodeError::new(0, format!("no named entry {i}"))));
        };
        let mut c = Cursor::new(&self.image[start..end], start);
        Metadata::decode_decl(&mut c, self.names.len()).map_err(decode)
    }

    /// What entry `i` declares: [`crate::meta::DeclMeta::declared`].
    pub fn declared(&self, i: usize) -> &[(NameIdx, Address)] {
        let starts = &self.entries.declared_start;
        match (starts.get(i), starts.get(i + 1)) {
            (Some(&start), Some(&end)) => &self.entries.declared[start..end],
            _ => &[],
        }
    }

    /// How many of [`MappedEnv::declared`]`(i)` (the first ones) are
    /// inductive types.
    pub fn type_count(&self, i: usize) -> usize {
        self.entries.type_counts.get(i).copied().unwrap_or(0)
    }
}

/// What one walk over a file image finds.
struct Sections {
    root: Option<Address>,
    named_root: Address,
    addresses: Vec<Address>,
    spans: Vec<(usize, usize)>,
    projections: Vec<(usize, Address)>,
    blobs: BTreeMap<Address, Vec<u8>>,
    names: Vec<NameEntry>,
    entries: EntryIndex,
    comments: Vec<(String, String)>,
}

impl Sections {
    fn read(bytes: &[u8]) -> Result<Sections, DecodeError> {
        let mut c = Cursor::new(bytes, 0);
        let preamble = Preamble::read(&mut c, &mut |_, _| {})?;
        let mut blobs = BTreeMap::new();
        for_each_item(&mut c, "blob", |addr, bytes, at, _| {
            verify_item("blob", addr, bytes, at)?;
            blobs.insert(addr, bytes.to_vec());
            Ok(())
        })?;
        let mut addresses = Vec::new();
        let mut spans = Vec::new();
        let mut projections = Vec::new();
        for_each_item(&mut c, "constant", |addr, bytes, at, base| {
            if Constant::encodes_projection(bytes) {
                verify_item("constant", addr, bytes, at)?;
                if let crate::ConstantInfo::CPrj { block, .. }
                | crate::ConstantInfo::RPrj { block, .. }
                | crate::ConstantInfo::IPrj { block, .. }
                | crate::ConstantInfo::DPrj { block, .. } = Constant::decode(bytes, base)?.info
                {
                    projections.push((addresses.len(), block));
                }
            }
            addresses.push(addr);
            spans.push((base, bytes.len()));
            Ok(())
        })?;
        let hints_start = c.position();
        for_each_hint(&mut c, addresses.len(), |_, _| {})?;
        let root = preamble.check_root(&addresses)?;
        let names = Metadata::decode_names(&mut c)?;
        let entries = index_entries(&mut c, names.len())?;
        let comments = Metadata::decode_comments(&mut c)?;
        let trailer = c.position();
        let named_root = c.address()?;
        c.expect_end()?;
        check_named_root(bytes, preamble.blobs_start, hints_start, trailer)?;
        Ok(Sections {
            root,
            named_root,
            addresses,
            spans,
            projections,
            blobs,
            names,
            entries,
            comments,
        })
    }
}

/// Walks the named entries (section 9), decoding each strictly and keeping
/// where it is and what it declares.
fn index_entries(c: &mut Cursor, names: usize) -> Result<EntryIndex, DecodeError> {
    let n = c.count()?;
    let mut index = EntryIndex {
        offsets: Vec::with_capacity(n + 1),
        declared_start: Vec::with_capacity(n + 1),
        type_counts: Vec::with_capacity(n),
        declared: Vec::with_capacity(n),
    };
    for _ in 0..n {
        index.offsets.push(c.offset());
        index.declared_start.push(index.declared.len());
        let entry = Metadata::decode_decl(c, names)?;
        index.declared.extend(entry.decl.declared());
        index.type_counts.push(entry.decl.type_count());
    }
    index.offsets.push(c.offset());
    index.declared_start.push(index.declared.len());
    Ok(index)
}

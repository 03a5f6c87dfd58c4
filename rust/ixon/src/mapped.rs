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
//!   [`crate::IxonEnv::read_file`] does: every name, entry, hint and comment is
//!   bound, so the metadata a reader relies on is the metadata the root
//!   commits to;
//! - every blob, against its address (they are few and small, and names are
//!   made of them);
//! - every projection, against its address (they are small, and tell which
//!   block each projection belongs to). A projection is told from a block
//!   by its header, so one damaged to read as a block passes for a block:
//!   [`MappedEnv::constant`] refuses it, and a reader that relies on the
//!   set of blocks checks it against what it expects (a shard job checks
//!   that the manifest partitions exactly these blocks);
//! - the names table is decoded (strictly, as the full reader does); the
//!   named entries are skimmed, to find each and what it declares, and an
//!   entry is decoded strictly when asked for.
//!
//! What it skips: hashing and decoding the blocks. A block's bytes are
//! checked against its address by [`MappedEnv::constant`], the one way to
//! read them, so a block nobody asks for can be damaged without changing
//! anything a reader concludes, and a damaged block someone asks for is
//! refused. (Entries and blocks are read again from the file after the
//! walk: this relies on the file not being rewritten in place, which `ix`
//! never does; it replaces files by renaming.)

use crate::address::Address;
use crate::constant::Constant;
use crate::env::{
    check_named_root, for_each_blob, for_each_hint, for_each_item, verify_item, EnvFileError,
    Preamble,
};
use crate::error::DecodeError;
use crate::meta::{DeclEntry, Metadata, NameIdx, NameTable};
use crate::tag::Cursor;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::path::Path;

/// The bytes of an `.ixe`: a read-only map of the file (with the file, for
/// random reads), or an image built in memory (an environment compiled from
/// NDJSON).
pub(crate) enum Image {
    Mapped(ix_base::mmap::Mmap, std::fs::File),
    Owned(Vec<u8>),
}

impl Image {
    /// Lets go of the resident pages inside `range`
    /// ([`ix_base::mmap::release`]); an image in memory keeps its bytes.
    fn release(&self, range: std::ops::Range<usize>) {
        if let Image::Mapped(map, _) = self {
            ix_base::mmap::release(map, range);
        }
    }

    /// The bytes of `range`, for a random read. A mapped file is read, not
    /// touched through the map: a touched page stays resident, and with it
    /// the neighbours the kernel maps along (fault-around, whole large
    /// folios), so reading a shard's closure through the map would hold
    /// far more of the file than the closure.
    fn read(&self, range: std::ops::Range<usize>) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            Image::Owned(bytes) => Ok(Cow::Borrowed(&bytes[range])),
            #[cfg(unix)]
            Image::Mapped(_, file) => {
                use std::os::unix::fs::FileExt;
                let mut bytes = vec![0; range.len()];
                file.read_exact_at(&mut bytes, range.start as u64)?;
                Ok(Cow::Owned(bytes))
            }
            #[cfg(not(unix))]
            Image::Mapped(map, _) => Ok(Cow::Borrowed(&map[range])),
        }
    }
}

/// Releases an image's pages behind a sequential walk, a window at a time.
struct Pager<'a> {
    image: &'a Image,
    released: usize,
}

impl Pager<'_> {
    const WINDOW: usize = 2 << 20;

    /// The walk is done with everything before `offset`.
    fn done_before(&mut self, offset: usize) {
        if offset >= self.released + Self::WINDOW {
            self.image.release(self.released..offset);
            self.released = offset / Self::WINDOW * Self::WINDOW;
        }
    }
}

impl Image {
    /// Maps the `.ixe` at `path` (an empty file is an empty image).
    pub(crate) fn open(path: &Path) -> Result<Image, EnvFileError> {
        let io = |message: String| EnvFileError::Io {
            file: path.display().to_string(),
            message,
        };
        let handle = std::fs::File::open(path).map_err(|e| io(format!("cannot open: {e}")))?;
        let meta = handle.metadata().map_err(|e| io(e.to_string()))?;
        if meta.is_dir() {
            return Err(io("is a directory, not an .ixe file".into()));
        }
        if meta.len() == 0 {
            return Ok(Image::Owned(Vec::new()));
        }
        let map = ix_base::mmap::map(&handle).map_err(|e| io(e.to_string()))?;
        Ok(Image::Mapped(map, handle))
    }
}

impl std::ops::Deref for Image {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Image::Mapped(map, _) => map,
            Image::Owned(bytes) => bytes,
        }
    }
}

/// Where each named entry is, and what it declares. A shard job keeps this
/// for every entry of the environment whatever its shard, so a declared
/// pair is two 32-bit references, not a name reference and an address.
#[derive(Default)]
struct EntryIndex {
    /// Byte offset of each entry, and one past the last entry's end.
    offsets: Vec<usize>,
    /// Every entry's declared (name reference, address slot), entry after
    /// entry: a slot below the constant count is that constant's index,
    /// one above it indexes `unstored`.
    declared: Vec<(u32, u32)>,
    /// Where each entry's pairs start in `declared`, and one past the end.
    declared_start: Vec<u32>,
    /// How many of each entry's declared pairs are inductive types.
    type_counts: Vec<u32>,
    /// Declared addresses that are no constant of the file, each once.
    unstored: Vec<Address>,
}

impl EntryIndex {
    /// The address of a declared pair's slot.
    fn address(&self, addresses: &[Address], slot: u32) -> Address {
        let slot = slot as usize;
        match addresses.get(slot) {
            Some(address) => *address,
            None => self.unstored[slot - addresses.len()],
        }
    }
}

/// An `.ixe` opened for random access (see the module comment for what is
/// checked when).
pub struct MappedEnv {
    image: Image,
    file: String,
    /// What opening found: the roots and the indexes reads go through.
    sections: Sections,
    /// Which constants a read has hashed and decoded already, so that
    /// [`MappedEnv::verify_constants`] need not again.
    read: Vec<std::sync::atomic::AtomicBool>,
}

impl MappedEnv {
    /// Maps and indexes an `.ixe` file.
    pub fn open(path: &Path) -> Result<MappedEnv, EnvFileError> {
        MappedEnv::index(Image::open(path)?, path.display().to_string())
    }

    /// Indexes a file image built in memory; `file` names it in errors.
    pub fn from_bytes(bytes: Vec<u8>, file: &str) -> Result<MappedEnv, EnvFileError> {
        MappedEnv::index(Image::Owned(bytes), file.to_string())
    }

    fn index(image: Image, file: String) -> Result<MappedEnv, EnvFileError> {
        let sections = Sections::read(&image);
        // Only the few bytes the reader asks for are needed from here on.
        image.release(0..image.len());
        match sections {
            Ok(sections) => Ok(MappedEnv {
                read: (0..sections.spans.len())
                    .map(|_| std::sync::atomic::AtomicBool::new(false))
                    .collect(),
                image,
                file,
                sections,
            }),
            Err(source) => Err(EnvFileError::Decode { file, source }),
        }
    }

    fn io(&self, e: std::io::Error) -> EnvFileError {
        EnvFileError::Io {
            file: self.file.clone(),
            message: format!("cannot read: {e}"),
        }
    }

    /// The merkle root of every constant address (checked on opening).
    pub fn root(&self) -> Option<Address> {
        self.sections.root
    }

    /// The named root (checked on opening): see [`crate::IxonEnv::named_root`].
    pub fn named_root(&self) -> Address {
        self.sections.named_root
    }

    /// Every constant's address, ascending.
    pub fn addresses(&self) -> &[Address] {
        &self.sections.addresses
    }

    /// The index of the constant at `address`.
    pub fn index_of(&self, address: &Address) -> Option<usize> {
        self.sections.lookup.find(&self.sections.addresses, address)
    }

    /// The serialized length of constant `i` (unchecked: its bytes are not
    /// read).
    pub fn size(&self, i: usize) -> Option<usize> {
        self.sections.spans.get(i).map(|&(_, len)| len)
    }

    /// Constant `i`, its bytes checked against its address and decoded.
    pub fn constant(&self, i: usize) -> Result<Constant, EnvFileError> {
        let decode = |source| EnvFileError::Decode {
            file: self.file.clone(),
            source,
        };
        let (Some(address), Some(&(start, len))) =
            (self.sections.addresses.get(i), self.sections.spans.get(i))
        else {
            return Err(decode(DecodeError::new(0, format!("no constant {i}"))));
        };
        let bytes = self
            .image
            .read(start..start + len)
            .map_err(|e| self.io(e))?;
        verify_item("constant", *address, &bytes, start).map_err(decode)?;
        let constant = Constant::decode(&bytes, start).map_err(decode)?;
        if let Some(read) = self.read.get(i) {
            read.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(constant)
    }

    /// Hashes and decodes every constant no read has, in file order,
    /// letting go of the pages behind: what a full read checks of the
    /// constants, for a reader that goes through the whole environment
    /// entry by entry (a constant no entry uses must be sound too).
    pub fn verify_constants(&self) -> Result<(), EnvFileError> {
        let decode = |source| EnvFileError::Decode {
            file: self.file.clone(),
            source,
        };
        let unread = |&i: &usize| {
            !self
                .read
                .get(i)
                .is_some_and(|r| r.load(std::sync::atomic::Ordering::Relaxed))
        };
        let mut order: Vec<usize> = (0..self.sections.spans.len()).filter(unread).collect();
        order.sort_unstable_by_key(|&i| self.sections.spans[i].0);
        let mut pager = Pager {
            image: &self.image,
            released: 0,
        };
        for i in order {
            let (start, len) = self.sections.spans[i];
            let bytes = &self.image[start..start + len];
            verify_item("constant", self.sections.addresses[i], bytes, start).map_err(decode)?;
            Constant::decode(bytes, start).map_err(decode)?;
            pager.done_before(start + len);
        }
        self.image.release(0..self.image.len());
        Ok(())
    }

    /// The home block of the constant at `address`: its block for a
    /// projection, itself otherwise.
    pub fn home(&self, address: &Address) -> Address {
        self.sections
            .projections
            .get(address)
            .copied()
            .unwrap_or(*address)
    }

    /// Every projection's address with its block.
    pub fn projections(&self) -> impl Iterator<Item = (Address, Address)> + '_ {
        self.sections
            .projections
            .iter()
            .map(|(p, block)| (*p, *block))
    }

    /// The addresses of the constants that are not projections (the blocks
    /// and standalone constants: the homes a manifest shards).
    pub fn blocks(&self) -> impl Iterator<Item = Address> + '_ {
        self.sections
            .addresses
            .iter()
            .filter(|a| !self.sections.projections.contains_key(a))
            .copied()
    }

    /// The blob at `address` (each checked on opening).
    pub fn blob(&self, address: &Address) -> Option<&[u8]> {
        self.sections.blobs.get(address)
    }

    /// The names table (section 8).
    pub fn names(&self) -> &NameTable {
        &self.sections.names
    }

    /// The comments (section 10).
    pub fn comments(&self) -> &[(String, String)] {
        &self.sections.comments
    }

    /// Whether the file has metadata (names, entries or comments).
    pub fn has_metadata(&self) -> bool {
        !(self.sections.names.is_empty()
            && self.entry_count() == 0
            && self.sections.comments.is_empty())
    }

    /// How many named entries there are.
    pub fn entry_count(&self) -> usize {
        self.sections.entries.type_counts.len()
    }

    /// Named entry `i`, decoded.
    pub fn entry(&self, i: usize) -> Result<DeclEntry, EnvFileError> {
        let decode = |source| EnvFileError::Decode {
            file: self.file.clone(),
            source,
        };
        let (Some(&start), Some(&end)) = (
            self.sections.entries.offsets.get(i),
            self.sections.entries.offsets.get(i + 1),
        ) else {
            return Err(decode(DecodeError::new(0, format!("no named entry {i}"))));
        };
        let bytes = self.image.read(start..end).map_err(|e| self.io(e))?;
        let mut c = Cursor::new(&bytes, start);
        Metadata::decode_decl(&mut c, self.sections.names.len()).map_err(decode)
    }

    /// What entry `i` declares: [`crate::meta::DeclMeta::declared`].
    pub fn declared(
        &self,
        i: usize,
    ) -> impl DoubleEndedIterator<Item = (NameIdx, Address)> + ExactSizeIterator + Clone + '_ {
        let entries = &self.sections.entries;
        let starts = &entries.declared_start;
        let pairs = match (starts.get(i), starts.get(i + 1)) {
            (Some(&start), Some(&end)) => &entries.declared[start as usize..end as usize],
            _ => &[],
        };
        pairs.iter().map(|&(name, slot)| {
            (
                NameIdx::from(name),
                entries.address(&self.sections.addresses, slot),
            )
        })
    }

    /// How many of [`MappedEnv::declared`]`(i)` (the first ones) are
    /// inductive types.
    pub fn type_count(&self, i: usize) -> usize {
        self.sections
            .entries
            .type_counts
            .get(i)
            .map_or(0, |&count| count as usize)
    }
}

/// Finds an address in an ascending list in a few steps: addresses are
/// hashes, spread evenly, so their leading bits say where to look, and a
/// lookup searches the run that shares them (a handful of addresses), not
/// the whole list.
#[derive(Default)]
struct AddressLookup {
    /// Where each run of a common `bits`-bit prefix starts, and one past
    /// the end.
    starts: Vec<u32>,
    bits: u32,
}

impl AddressLookup {
    fn new(addresses: &[Address]) -> AddressLookup {
        // About four addresses a run; a plain search past 32-bit indexes.
        if u32::try_from(addresses.len()).is_err() {
            return AddressLookup::default();
        }
        let bits = (usize::BITS - addresses.len().leading_zeros())
            .saturating_sub(2)
            .min(24);
        if bits == 0 {
            return AddressLookup::default();
        }
        let mut starts = Vec::with_capacity((1 << bits) + 1);
        let mut i = 0;
        for run in 0..1u64 << bits {
            while addresses
                .get(i)
                .is_some_and(|a| a.head() >> (64 - bits) < run)
            {
                i += 1;
            }
            starts.push(i as u32);
        }
        starts.push(addresses.len() as u32);
        AddressLookup { starts, bits }
    }

    /// The index of `address` in `addresses`, the list this was built on.
    fn find(&self, addresses: &[Address], address: &Address) -> Option<usize> {
        let (start, end) = match self.bits {
            0 => (0, addresses.len()),
            bits => {
                let run = (address.head() >> (64 - bits)) as usize;
                (self.starts[run] as usize, self.starts[run + 1] as usize)
            }
        };
        let i = addresses[start..end].binary_search(address).ok()?;
        Some(start + i)
    }
}

/// Every blob, each checked on opening, in one buffer: names are made of
/// blobs, and a shard job keeps them all.
#[derive(Default)]
struct Blobs {
    /// Ascending, as the file lists them.
    addresses: Vec<Address>,
    lookup: AddressLookup,
    /// Where each blob ends in `bytes` (it starts where the one before ends).
    ends: Vec<usize>,
    bytes: Vec<u8>,
}

impl Blobs {
    fn read(c: &mut Cursor) -> Result<Blobs, DecodeError> {
        let mut blobs = Blobs::default();
        for_each_blob(c, |address, bytes| {
            blobs.addresses.push(address);
            blobs.bytes.extend_from_slice(bytes);
            blobs.ends.push(blobs.bytes.len());
        })?;
        blobs.bytes.shrink_to_fit();
        blobs.lookup = AddressLookup::new(&blobs.addresses);
        Ok(blobs)
    }

    fn get(&self, address: &Address) -> Option<&[u8]> {
        let i = self.lookup.find(&self.addresses, address)?;
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p]);
        Some(&self.bytes[start..self.ends[i]])
    }
}

/// What one walk over a file image finds.
struct Sections {
    root: Option<Address>,
    named_root: Address,
    /// Every constant's address, ascending, and where its bytes are.
    addresses: Vec<Address>,
    lookup: AddressLookup,
    spans: Vec<(usize, usize)>,
    /// The block of each projection, by the projection's address.
    projections: FxHashMap<Address, Address>,
    blobs: Blobs,
    names: NameTable,
    entries: EntryIndex,
    comments: Vec<(String, String)>,
}

impl Sections {
    /// Walks the image once, front to back, letting go of its pages
    /// behind the walk. What needs no walk runs beside it, on a thread of
    /// its own ([`Hashed`]); errors are reported in the order of a
    /// sequential read.
    fn read(image: &Image) -> Result<Sections, DecodeError> {
        let bytes: &[u8] = image;
        let mut pager = Pager { image, released: 0 };
        let mut c = Cursor::new(bytes, 0);
        let preamble = Preamble::read(&mut c, &mut |_, _| {})?;
        let blobs = Blobs::read(&mut c)?;
        // The count, peeked, sizes the index exactly (it is the largest).
        let count = c.clone().count()?;
        let mut addresses = Vec::with_capacity(count);
        let mut spans = Vec::with_capacity(count);
        let mut projections = Vec::new();
        for_each_item(&mut c, "constant", |addr, bytes, at, base| {
            if Constant::encodes_projection(bytes) {
                projections.push((addresses.len(), at));
            }
            addresses.push(addr);
            spans.push((base, bytes.len()));
            pager.done_before(base);
            Ok(())
        })?;
        let lookup = AddressLookup::new(&addresses);
        let hints_start = c.position();
        let hash = || {
            Hashed::compute(
                image,
                &preamble,
                hints_start,
                &addresses,
                &spans,
                &projections,
            )
        };
        let (hashed, hints, walked) = std::thread::scope(|scope| {
            // Without a thread to spare, the hashing runs after the walk.
            let beside = std::thread::Builder::new()
                .name("ix-hash".into())
                .spawn_scoped(scope, hash)
                .ok();
            let hints = for_each_hint(&mut c, addresses.len(), |_, _| {});
            // A sequential read stops at a bad hint, so nothing after it is walked.
            let walked = match &hints {
                Ok(()) => Walked::read(&mut c, (&addresses, &lookup), &mut pager),
                Err(e) => Err(e.clone()),
            };
            let hashed = match beside {
                Some(thread) => thread.join(),
                None => Ok(hash()),
            };
            (hashed, hints, walked)
        });
        let hashed =
            hashed.map_err(|_| DecodeError::new(0, "hashing stopped on an internal error"))?;
        let projections = hashed.projections?;
        hints?;
        let root = hashed.root?;
        let walked = walked?;
        hashed.named_root?;
        Ok(Sections {
            root,
            named_root: walked.named_root,
            addresses,
            lookup,
            spans,
            projections,
            blobs,
            names: walked.names,
            entries: walked.entries,
            comments: walked.comments,
        })
    }
}

/// What opening checks by hashing, with no walk: done beside the walk of
/// the metadata, each result kept for its turn in the order of errors.
struct Hashed {
    /// Each projection, checked against its address, with its block.
    projections: Result<FxHashMap<Address, Address>, DecodeError>,
    /// The content root, checked.
    root: Result<Option<Address>, DecodeError>,
    /// The named root, checked, if the file ends with one where the walk
    /// will find it (if not, the walk fails first).
    named_root: Result<(), DecodeError>,
}

impl Hashed {
    fn compute(
        image: &Image,
        preamble: &Preamble,
        hints_start: usize,
        addresses: &[Address],
        spans: &[(usize, usize)],
        projections: &[(usize, usize)],
    ) -> Hashed {
        let bytes: &[u8] = image;
        // Projections come in file order: the pages behind are let go of.
        let mut pager = Pager { image, released: 0 };
        let projections = projections
            .iter()
            .map(|&(i, at)| {
                let (base, len) = spans[i];
                pager.done_before(base);
                let item = &bytes[base..base + len];
                verify_item("constant", addresses[i], item, at)?;
                match Constant::decode(item, base)?.info {
                    crate::ConstantInfo::CPrj { block, .. }
                    | crate::ConstantInfo::RPrj { block, .. }
                    | crate::ConstantInfo::IPrj { block, .. }
                    | crate::ConstantInfo::DPrj { block, .. } => Ok(Some((addresses[i], block))),
                    _ => Ok(None),
                }
            })
            .filter_map(Result::transpose)
            .collect();
        let root = preamble.check_root(addresses);
        let named_root = match bytes.len().checked_sub(32).filter(|&t| t >= hints_start) {
            Some(trailer) => {
                pager = Pager { image, released: 0 };
                check_named_root(bytes, preamble.blobs_start, hints_start, trailer, |end| {
                    pager.done_before(end)
                })
            }
            None => Ok(()),
        };
        Hashed {
            projections,
            root,
            named_root,
        }
    }
}

/// The metadata sections, walked: names, entries, comments and the named
/// root (checked by [`Hashed`]).
struct Walked {
    names: NameTable,
    entries: EntryIndex,
    comments: Vec<(String, String)>,
    named_root: Address,
}

impl Walked {
    fn read(
        c: &mut Cursor,
        constants: (&[Address], &AddressLookup),
        pager: &mut Pager,
    ) -> Result<Walked, DecodeError> {
        let names = NameTable::decode(c)?;
        pager.done_before(c.offset());
        let entries = index_entries(c, names.len(), constants, pager)?;
        let comments = Metadata::decode_comments(c)?;
        let named_root = c.address()?;
        c.expect_end()?;
        Ok(Walked {
            names,
            entries,
            comments,
            named_root,
        })
    }
}

/// Walks the named entries (section 9), keeping where each is and what it
/// declares. Each is skimmed ([`Metadata::skim_decl`]), not decoded: the
/// named root binds their bytes, and [`MappedEnv::entry`] decodes an entry
/// strictly when it is needed.
fn index_entries(
    c: &mut Cursor,
    names: usize,
    (addresses, lookup): (&[Address], &AddressLookup),
    pager: &mut Pager,
) -> Result<EntryIndex, DecodeError> {
    let n = c.count()?;
    let at = c.offset();
    let too_large = || DecodeError::new(at, "named entries too large for this reader");
    let mut index = EntryIndex {
        offsets: Vec::with_capacity(n + 1),
        declared_start: Vec::with_capacity(n + 1),
        type_counts: Vec::with_capacity(n),
        declared: Vec::with_capacity(n),
        unstored: Vec::new(),
    };
    let mut unstored: FxHashMap<Address, usize> = FxHashMap::default();
    for _ in 0..n {
        index.offsets.push(c.offset());
        index
            .declared_start
            .push(u32::try_from(index.declared.len()).map_err(|_| too_large())?);
        let decl = Metadata::skim_decl(c, names)?;
        for (name, address) in decl.declared() {
            let slot = match lookup.find(addresses, &address) {
                Some(i) => i,
                None => *unstored.entry(address).or_insert_with(|| {
                    index.unstored.push(address);
                    addresses.len() + index.unstored.len() - 1
                }),
            };
            let name = u32::try_from(name).map_err(|_| too_large())?;
            index
                .declared
                .push((name, u32::try_from(slot).map_err(|_| too_large())?));
        }
        index
            .type_counts
            .push(u32::try_from(decl.type_count()).map_err(|_| too_large())?);
        pager.done_before(c.offset());
    }
    index.offsets.push(c.offset());
    index
        .declared_start
        .push(u32::try_from(index.declared.len()).map_err(|_| too_large())?);
    index.declared.shrink_to_fit();
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lookup_finds_every_address_and_nothing_else() {
        for n in [0usize, 1, 3, 4, 5, 17, 1000, 5000] {
            let hashes: Vec<Address> = (0..2 * n as u64)
                .map(|i| Address::hash(&i.to_le_bytes()))
                .collect();
            // The extremes stored, and an absent address beside a stored one.
            let mut near = [0x80; 32];
            near[31] = 0x81;
            let mut stored = hashes[..n].to_vec();
            stored.extend([Address([0; 32]), Address([0xff; 32]), Address(near)]);
            stored.sort_unstable();
            let mut absent = hashes[n..].to_vec();
            absent.push(Address([0x80; 32]));
            let lookup = AddressLookup::new(&stored);
            for (i, a) in stored.iter().enumerate() {
                assert_eq!(lookup.find(&stored, a), Some(i), "n = {n}");
            }
            for a in &absent {
                assert_eq!(lookup.find(&stored, a), None, "n = {n}");
            }
        }
    }
}

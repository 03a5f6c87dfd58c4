//! Input files read through a read-only memory map.

use std::fs::File;

pub use memmap2::Mmap;

/// Maps `file` read-only. Every reader of a map validates what it reads
/// (every decode is checked, every body hashed), which is what makes the map
/// safe to hand out as a plain slice: see the note below.
pub fn map(file: &File) -> std::io::Result<Mmap> {
    // SAFETY: the map is read-only. `ix` replaces files by renaming a new one
    // over them, never by writing in place, so the mapped bytes do not change
    // under a reader; if another program did write in place, reads would see
    // other bytes, which every reader validates: wrong input is refused,
    // never undefined behaviour in the safe code reading the slice.
    unsafe { Mmap::map(file) }
}

/// The granule `release` rounds to: a page on the usual systems. On one
/// with larger pages the advice is refused and memory is only kept.
const PAGE: usize = 4096;

/// Lets go of the resident pages inside `range`: a mapped file's pages are
/// read again from the file when next touched, so a walk holds the window it
/// is reading, not what it has read. Where the advice does not exist, the
/// pages stay.
#[cfg(unix)]
pub fn release(map: &Mmap, range: std::ops::Range<usize>) {
    let start = range.start.next_multiple_of(PAGE);
    let end = range.end.min(map.len()) / PAGE * PAGE;
    if start < end {
        // SAFETY: the map is shared and read-only, and the file is not
        // written in place (see `map`): dropping its pages only makes the
        // next read fetch the same bytes from the file again, so every slice
        // borrowed from the map still reads what it read. Failing to drop
        // them only costs memory.
        let _ = unsafe {
            map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start)
        };
    }
}

/// See the other `release`.
#[cfg(not(unix))]
pub fn release(_map: &Mmap, _range: std::ops::Range<usize>) {}

#[cfg(test)]
mod tests {
    use std::fs::File;

    #[test]
    fn a_map_reads_the_files_bytes() {
        let (_dir, path) = crate::test_files::file_with("in.bin", b"mapped bytes");
        let map = super::map(&File::open(&path).unwrap()).unwrap();
        assert_eq!(&map[..], b"mapped bytes");
        super::release(&map, 0..map.len());
        assert_eq!(&map[..], b"mapped bytes");
    }
}

//! The ix file formats' magic numbers and versions, and telling a file's
//! format by its first bytes. The layouts are in `docs/IXON.md` §5 (`.ixe`)
//! and `docs/PROFILE_SHARD.md` §2 and §4 (`.ixesp`, `.ixes`).

/// An `.ixe` starts with the Ixon tag byte `0xE_`: this flag in the high
/// nibble, the version in the low one.
pub const IXE_FLAG: u8 = 0xE;
/// The `.ixe` version this build writes and reads.
pub const IXE_VERSION: u8 = 3;

/// The first eight bytes of an `.ixesp` profile.
pub const IXESP_MAGIC: [u8; 8] = *b"IXESP\0\0\0";
/// The `.ixesp` version this build writes and reads.
pub const IXESP_VERSION: u32 = 2;

/// The first eight bytes of an `.ixes` shard manifest.
pub const IXES_MAGIC: [u8; 8] = *b"IXES\0\0\0\0";
/// The `.ixes` version this build writes and reads.
pub const IXES_VERSION: u32 = 1;

/// What a file's first bytes say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// An Ixon environment (`.ixe`), of any version.
    Ixe,
    /// A profile (`.ixesp`).
    Profile,
    /// A shard manifest (`.ixes`).
    Manifest,
    /// Something else, such as a lean4export file (NDJSON) or an hMETIS
    /// hypergraph (text).
    Other,
    /// No bytes at all.
    Empty,
}

impl FileKind {
    /// Tells the format from a file's first bytes (eight suffice).
    pub fn of_head(head: &[u8]) -> FileKind {
        match head {
            [] => FileKind::Empty,
            h if h.starts_with(&IXESP_MAGIC[..5]) => FileKind::Profile,
            h if h.starts_with(&IXES_MAGIC[..5]) => FileKind::Manifest,
            [b, ..] if b >> 4 == IXE_FLAG => FileKind::Ixe,
            _ => FileKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_tell_the_format() {
        assert_eq!(FileKind::of_head(b""), FileKind::Empty);
        assert_eq!(FileKind::of_head(&IXESP_MAGIC), FileKind::Profile);
        assert_eq!(FileKind::of_head(&IXES_MAGIC), FileKind::Manifest);
        assert_eq!(FileKind::of_head(&[0xE2, 0]), FileKind::Ixe);
        assert_eq!(FileKind::of_head(b"{\"meta\""), FileKind::Other);
        assert_eq!(FileKind::of_head(b"2 3\n"), FileKind::Other);
    }
}

//! Environments the `.ixe` tests share.

use ixon::meta::NameEntry;
use ixon::{Address, IxonEnv};

/// An environment of two names and nothing else: `A`, then `B` under the
/// name `prefix` (0: `B` alone, 1: `A.B`), with their blobs.
pub fn names_a_b(prefix: u64) -> IxonEnv {
    let mut env = IxonEnv::default();
    let (a, b) = (Address::hash(b"A"), Address::hash(b"B"));
    env.blobs.insert(a, b"A".to_vec());
    env.blobs.insert(b, b"B".to_vec());
    env.meta.names = vec![
        NameEntry::Str { prefix: 0, blob: a },
        NameEntry::Str { prefix, blob: b },
    ];
    env
}

//! `.ixe` files on disk: written atomically, readable by other users.

mod common;

use ixon::{IxonEnv, ReadMode};

#[cfg(unix)]
#[test]
fn written_files_get_the_ordinary_mode_under_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("env.ixe");
    IxonEnv::default().write_file(&path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    // SAFETY: umask reads and sets this process's mask; it is set back at once.
    let umask = unsafe {
        let mask = libc::umask(0o022);
        libc::umask(mask);
        mask
    };
    assert_eq!(mode, 0o666 & !(umask as u32), "mode {mode:o}");
    let (read, _) = IxonEnv::read_file(&path, ReadMode::Full).unwrap();
    assert_eq!(read, IxonEnv::default());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Two environments with the same constants and different names: one root,
/// two named roots.
#[test]
fn the_named_root_binds_names_and_entries() {
    let env = common::names_a_b(0);
    let renamed = {
        let mut e = env.clone();
        e.meta.names.swap(0, 1);
        e
    };
    assert_eq!(env.root(), renamed.root());
    assert_ne!(env.named_root(), renamed.named_root());
    let mut commented = env.clone();
    commented.meta.comments.push(("k".into(), "v".into()));
    assert_ne!(env.named_root(), commented.named_root());
    assert_eq!(env.named_root(), env.clone().named_root());
}

/// Every single-bit flip anywhere in an `.ixe`, metadata included, is
/// refused by the full reader; flips outside the blobs and constants also by
/// the anonymous one.
#[test]
fn every_flipped_bit_is_refused() {
    let mut env = common::names_a_b(1);
    env.meta.comments.push(("source".into(), "test".into()));
    let bytes = env.to_bytes();
    let (read, sizes) = IxonEnv::from_bytes(&bytes, ReadMode::Full).unwrap();
    assert_eq!(read, env);
    assert_eq!(sizes.0[10], 32);
    IxonEnv::from_bytes(&bytes, ReadMode::Anonymous).unwrap();
    for at in 0..bytes.len() {
        for bit in 0..8 {
            let mut flipped = bytes.clone();
            flipped[at] ^= 1 << bit;
            assert!(
                IxonEnv::from_bytes(&flipped, ReadMode::Full).is_err(),
                "flip of bit {bit} at byte {at} accepted"
            );
        }
    }
    let mut renamed = bytes.clone();
    let last_comment_byte = bytes.len() - 33;
    renamed[last_comment_byte] ^= 1;
    let err = IxonEnv::from_bytes(&renamed, ReadMode::Anonymous).unwrap_err();
    assert!(err.to_string().contains("named root mismatch"), "{err}");
}

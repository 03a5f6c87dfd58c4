//! `.ixe` files on disk: written atomically, readable by other users.

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

//! Atomic, durable file output.

use std::fs::{File, Permissions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files not yet renamed or removed: what a signal handler must
/// delete so an interrupted verb leaves nothing behind.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves a valid list.
    PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes every temporary file still being written (on SIGINT/SIGTERM: the
/// process is about to end and no destructor will run).
pub fn remove_pending() {
    for path in pending().drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

/// A file being written: bytes go to a hidden temporary file next to the
/// destination; [`AtomicFile::commit`] makes it the destination. Dropped
/// without a commit, the temporary file is removed.
pub struct AtomicFile {
    destination: PathBuf,
    temp: Option<BufWriter<tempfile::NamedTempFile>>,
}

/// The folder `path` is in (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

impl AtomicFile {
    /// Starts writing `destination` (nothing appears there until the commit).
    pub fn create(destination: &Path) -> io::Result<AtomicFile> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".ix-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // The kernel applies the umask to this mode at creation, as for
            // any new file (temporary files are otherwise owner-only).
            builder.permissions(Permissions::from_mode(0o666));
        }
        let temp = builder.tempfile_in(folder_of(destination))?;
        pending().push(temp.path().to_path_buf());
        Ok(AtomicFile {
            destination: destination.to_path_buf(),
            temp: Some(BufWriter::with_capacity(1 << 20, temp)),
        })
    }

    /// Flushes, syncs the data to disk, renames the file into place and
    /// syncs the folder, so the new name survives a power loss too.
    pub fn commit(mut self) -> io::Result<()> {
        let Some(writer) = self.temp.take() else {
            return Ok(());
        };
        let temp_path = writer.get_ref().path().to_path_buf();
        let result = (|| {
            let temp = writer.into_inner().map_err(|e| e.into_error())?;
            temp.as_file().sync_all()?;
            temp.persist(&self.destination).map_err(|e| e.error)?;
            sync_folder(folder_of(&self.destination))
        })();
        forget_pending(&temp_path);
        result
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer()?.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

impl AtomicFile {
    fn writer(&mut self) -> io::Result<&mut BufWriter<tempfile::NamedTempFile>> {
        self.temp
            .as_mut()
            .ok_or_else(|| io::Error::other("write after commit"))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(writer) = self.temp.take() {
            let path = writer.get_ref().path().to_path_buf();
            // Dropping the NamedTempFile removes the file.
            drop(writer);
            forget_pending(&path);
        }
    }
}

fn forget_pending(path: &Path) {
    pending().retain(|p| p != path);
}

#[cfg(unix)]
fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    Ok(())
}

/// Writes `bytes` to `path` atomically and durably (see [`AtomicFile`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `remove_pending` reaches every test's temporary files: one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        SERIAL
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn commit_replaces_the_destination_and_leaves_no_temp_file() {
        let _serial = serial();
        let (dir, path) = crate::test_files::file_with("out.bin", b"old");
        write_atomic(&path, b"new bytes").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new bytes");
        assert_eq!(entries(dir.path()), ["out.bin"]);
        assert!(pending().iter().all(|p| !p.starts_with(dir.path())));
    }

    #[test]
    fn a_dropped_file_leaves_nothing() {
        let _serial = serial();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.bin");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"partial").unwrap();
        drop(file);
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn remove_pending_deletes_open_temp_files() {
        let _serial = serial();
        let dir = tempfile::tempdir().unwrap();
        let file = AtomicFile::create(&dir.path().join("out.bin")).unwrap();
        assert_eq!(entries(dir.path()).len(), 1);
        remove_pending();
        assert!(entries(dir.path()).is_empty());
        drop(file);
    }

    #[cfg(unix)]
    #[test]
    fn the_result_is_readable_by_others_under_the_umask() {
        let _serial = serial();
        use std::os::unix::fs::PermissionsExt;
        // SAFETY: umask only reads and sets this process's mask; setting it
        // back at once restores it.
        let umask = unsafe {
            let mask = libc::umask(0o022);
            libc::umask(mask);
            mask
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.bin");
        write_atomic(&path, b"x").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666 & !(umask as u32));
    }
}

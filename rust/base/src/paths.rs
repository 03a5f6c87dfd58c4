//! Output paths checked before any work: never over an input or another
//! output, always in a writable folder.

use crate::atomic::folder_of;
use std::path::{Path, PathBuf};

/// Why an output path cannot be used; each names the user's path.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OutputError {
    #[error("{output}: this output is the input {input}; refusing to overwrite it")]
    IsInput { output: String, input: String },
    #[error("{output}: this output is also the output {other}")]
    SameOutput { output: String, other: String },
    #[error("{output}: is a directory")]
    IsDirectory { output: String },
    #[error("{output}: cannot write in {folder}: {reason}")]
    NotWritable {
        output: String,
        folder: String,
        reason: String,
    },
}

/// The identity of the file a path names, following links: device and inode
/// where the file exists, else the canonical folder plus the file name.
#[derive(PartialEq, Eq)]
enum Identity {
    Inode(u64, u64),
    Path(PathBuf),
}

fn identity(path: &Path) -> Option<Identity> {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        return Some(Identity::Inode(meta.dev(), meta.ino()));
    }
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return Some(Identity::Path(canonical));
    }
    // A file still to be created: its folder's canonical path plus its name.
    let folder = std::fs::canonicalize(folder_of(path)).ok()?;
    Some(Identity::Path(folder.join(path.file_name()?)))
}

/// Refuses, before any work, an output that is (or links to) one of the
/// `inputs` or another of the `outputs`, an output that is a directory, and
/// one whose folder does not exist or cannot take a new file.
pub fn check_outputs(inputs: &[&Path], outputs: &[&Path]) -> Result<(), OutputError> {
    let show = |p: &Path| p.display().to_string();
    let input_ids: Vec<(Option<Identity>, &Path)> =
        inputs.iter().map(|p| (identity(p), *p)).collect();
    let mut seen: Vec<(Identity, &Path)> = Vec::new();
    for &output in outputs {
        if output.is_dir() {
            return Err(OutputError::IsDirectory {
                output: show(output),
            });
        }
        check_writable(output)?;
        let Some(id) = identity(output) else { continue };
        if let Some((_, input)) = input_ids.iter().find(|(i, _)| i.as_ref() == Some(&id)) {
            return Err(OutputError::IsInput {
                output: show(output),
                input: show(input),
            });
        }
        if let Some((_, other)) = seen.iter().find(|(i, _)| *i == id) {
            return Err(OutputError::SameOutput {
                output: show(output),
                other: show(other),
            });
        }
        seen.push((id, output));
    }
    Ok(())
}

/// Creates and removes a temporary file where the output will be written:
/// the one test that covers permissions, read-only mounts and missing folders.
fn check_writable(output: &Path) -> Result<(), OutputError> {
    let folder = folder_of(output);
    tempfile::Builder::new()
        .prefix(".ix-")
        .tempfile_in(folder)
        .map(drop)
        .map_err(|e| OutputError::NotWritable {
            output: output.display().to_string(),
            folder: folder.display().to_string(),
            reason: e.kind().to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_files::file_with;

    #[test]
    fn an_output_equal_to_an_input_is_refused() {
        let (dir, input) = file_with("a.ndjson", b"x");
        let err = check_outputs(&[&input], &[&input]).unwrap_err();
        assert!(matches!(err, OutputError::IsInput { .. }), "{err}");
        // The same file under another spelling.
        let other = dir.path().join(".").join("a.ndjson");
        assert!(check_outputs(&[&input], &[&other]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_to_an_input_are_refused() {
        let (dir, input) = file_with("a.ixe", b"x");
        let hard = dir.path().join("hard.ixe");
        std::fs::hard_link(&input, &hard).unwrap();
        let soft = dir.path().join("soft.ixe");
        std::os::unix::fs::symlink(&input, &soft).unwrap();
        for output in [&hard, &soft] {
            let err = check_outputs(&[&input], &[output]).unwrap_err();
            assert!(err.to_string().starts_with(&output.display().to_string()));
        }
    }

    #[test]
    fn two_outputs_on_one_path_are_refused_even_before_they_exist() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.ixes");
        let err = check_outputs(&[], &[&out, &out]).unwrap_err();
        assert!(matches!(err, OutputError::SameOutput { .. }), "{err}");
        assert!(!out.exists());
    }

    #[test]
    fn unwritable_outputs_are_refused_naming_the_users_path() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-folder").join("out.ixe");
        let err = check_outputs(&[], &[&missing]).unwrap_err();
        assert!(matches!(err, OutputError::NotWritable { .. }), "{err}");
        assert!(err.to_string().starts_with(&missing.display().to_string()));
        let err = check_outputs(&[], &[dir.path()]).unwrap_err();
        assert!(matches!(err, OutputError::IsDirectory { .. }), "{err}");
    }

    #[test]
    fn distinct_writable_outputs_pass_and_leave_nothing() {
        let (dir, input) = file_with("a.ixe", b"x");
        let (o1, o2) = (dir.path().join("a.ixesp"), dir.path().join("p.svg"));
        check_outputs(&[&input], &[&o1, &o2]).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

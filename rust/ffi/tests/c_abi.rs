//! The C ABI from C: compiles tests/c/ffi_test.c with the system `cc`, links
//! it against the staticlib, and runs it on bundled data. Also checks that
//! the staticlib exports exactly the API and no other unmangled symbols.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The API, as the header declares it.
const API: &[&str] = &[
    "rs_compile",
    "rs_kernel_check",
    "rs_kernel_check_shard",
    "rs_kernel_profile_anon",
    "rs_shard_esp",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The staticlib built alongside this test: the newest `libix_ffi*.a` in
/// `target/<profile>/deps` (cargo does not always uplift it to the profile
/// folder when it builds tests, so an uplifted copy may be stale).
fn staticlib() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let deps = exe.parent().expect("deps dir");
    let uplifted = deps.parent().map(|p| p.join("libix_ffi.a"));
    std::fs::read_dir(deps)
        .expect("deps dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            name.starts_with("libix_ffi") && name.ends_with(".a")
        })
        .chain(uplifted.filter(|p| p.exists()))
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .expect("libix_ffi.a was built")
}

fn export(rel: &str) -> PathBuf {
    repo()
        .join("tests/data/lean-exports/vow-lean-kernel/tests")
        .join(rel)
}

#[test]
fn c_program_exercises_every_entry_point() {
    let work = tempfile::tempdir().expect("tempdir");
    let exe = work.path().join("ffi_test");
    let status = Command::new("cc")
        .arg(repo().join("tests/c/ffi_test.c"))
        .arg("-I")
        .arg(repo().join("include"))
        .arg(staticlib())
        .args(["-Wall", "-Werror", "-lpthread", "-ldl", "-lm", "-o"])
        .arg(&exe)
        .status()
        .expect("run cc");
    assert!(status.success(), "cc failed");
    let output = Command::new(&exe)
        .arg(repo().join("tests/data/lean-exports/lean4export/Nat.add_succ.ndjson"))
        .arg(export("bad/tutorial/002_badDef.ndjson"))
        .arg(work.path())
        .output()
        .expect("run the C test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "C test failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// Unmangled global symbols that come from the Rust runtime or from C code
/// inside dependencies (compiler-rt, blake3's SIMD kernels), not from us.
fn is_runtime_symbol(name: &str) -> bool {
    name.starts_with("_ZN")
        || name.starts_with("_R")
        || name.starts_with("__")
        || name.starts_with("_blake3_")
        || name.starts_with("blake3_")
        || name.starts_with("anon.")
        || name == "DW.ref.rust_eh_personality"
        || name == "rust_eh_personality"
}

#[test]
fn staticlib_exports_exactly_the_api() {
    let output = Command::new("nm")
        .args(["-g", "--defined-only"])
        .arg(staticlib())
        .output()
        .expect("run nm");
    let text = String::from_utf8_lossy(&output.stdout);
    let mut ours: Vec<&str> = text
        .lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            (cols.len() == 3).then(|| cols[2])
        })
        .filter(|name| !is_runtime_symbol(name))
        .collect();
    ours.sort_unstable();
    ours.dedup();
    assert_eq!(ours, API, "unexpected unmangled exports");
    let header = std::fs::read_to_string(repo().join("include/ix.h")).expect("include/ix.h");
    for f in API {
        assert!(
            header.contains(&format!("{f}(")),
            "{f} missing from include/ix.h"
        );
    }
}

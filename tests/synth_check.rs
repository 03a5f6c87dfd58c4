//! `ix synth` makes environments the kernel accepts, and with `--reject` one
//! it rejects, naming the planted declaration.

use std::process::Command;

const IX: &str = env!("CARGO_BIN_EXE_ix");

fn run(args: &[&str]) -> std::process::Output {
    Command::new(IX).args(args).output().expect("run ix")
}

#[test]
fn synthetic_library_is_accepted_and_the_planted_error_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.ndjson").display().to_string();
    let bad = dir.path().join("bad.ndjson").display().to_string();
    assert!(
        run(&["synth", "--blocks", "2000", "--seed", "3", "-o", &good])
            .status
            .success()
    );
    let out = run(&["check", &good, "-q"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("accept: 2000 declarations"), "{stdout}");

    let made = run(&[
        "synth", "--blocks", "2000", "--seed", "3", "--reject", "-o", &bad,
    ]);
    let planted = String::from_utf8_lossy(&made.stdout)
        .trim()
        .strip_prefix("planted ill-typed declaration: ")
        .expect("the planted name is printed")
        .to_string();
    let out = run(&["check", &bad, "-q"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(&format!("reject: {planted}:")), "{stdout}");
}

#[test]
fn mathlib_like_library_is_accepted_and_the_planted_error_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.ndjson").display().to_string();
    let bad = dir.path().join("bad.ndjson").display().to_string();
    let synth = |extra: &[&str], out: &str| {
        let mut args = vec![
            "synth", "--like", "mathlib", "--blocks", "600", "-q", "-o", out,
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let made = synth(&[], &good);
    assert!(made.status.success());
    assert!(String::from_utf8_lossy(&made.stderr).contains("classes"));
    let out = run(&["check", &good, "-q"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("accept: 600 declarations"), "{stdout}");

    let made = synth(&["--reject"], &bad);
    let planted = String::from_utf8_lossy(&made.stdout)
        .trim()
        .strip_prefix("planted ill-typed declaration: ")
        .expect("the planted name is printed")
        .to_string();
    let out = run(&["check", &bad, "-q"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(&format!("reject: {planted}:")), "{stdout}");
}

#[test]
fn too_small_a_library_is_refused_with_no_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("lib.ndjson");
    let out = run(&["synth", "--blocks", "5", "-o", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least"));
    assert!(!path.exists());
}

#[test]
fn an_absurd_block_count_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("lib.ndjson");
    let out = run(&[
        "synth",
        "--blocks",
        "1099511627776",
        "-o",
        &path.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than the 10000000"));
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 0);
}

/// SIGINT while synth writes: the process dies of it and leaves no
/// temporary file (nor the output).
#[cfg(unix)]
#[test]
fn an_interrupted_synth_leaves_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("lib.ndjson");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ix"))
        .args(["synth", "--blocks", "10000000", "-q", "-o"])
        .arg(&path)
        .spawn()
        .expect("spawn");
    // Wait until the temporary file exists and has grown.
    let grown = (0..600).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::fs::read_dir(dir.path())
            .expect("ls")
            .filter_map(Result::ok)
            .any(|e| e.metadata().is_ok_and(|m| m.len() > 0))
    });
    assert!(grown, "synth never started writing");
    // SAFETY: sends SIGINT to the child we spawned.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().expect("wait");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status:?}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("ls").collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

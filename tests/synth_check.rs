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
fn too_small_a_library_is_refused_with_no_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("lib.ndjson");
    let out = run(&["synth", "--blocks", "5", "-o", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least"));
    assert!(!path.exists());
}

//! The verbs agree: `-j, --jobs N` is one option with one cap in every
//! parallel verb (a huge count refused at once, exit 3, before any input is
//! read), every verb takes `-q`, and no help text cites an upstream PR.

use std::process::Command;

#[test]
fn every_verb_caps_its_thread_count() {
    let verbs: [&[&str]; 5] = [
        &["check", "x.ixe"],
        &["profile", "x.ixe", "-o", "x.ixesp"],
        &["shard", "x.ixesp", "-n", "2", "-o", "x.ixes"],
        &["check-shard", "x.ixe", "x.ixes", "--shard", "0"],
        &["check-shards", "x.ixe", "x.ixes"],
    ];
    for verb in verbs {
        for jobs in ["100000", "257"] {
            let out = Command::new(env!("CARGO_BIN_EXE_ix"))
                .args(verb)
                .args(["--jobs", jobs])
                .output()
                .expect("run ix");
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "{verb:?} -j {jobs}: {err}");
            assert!(
                err.contains("more than the 256 ix allows"),
                "{verb:?}: {err}"
            );
        }
    }
}

fn help(verb: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ix"))
        .args(verb)
        .arg("--help")
        .output()
        .expect("run ix");
    assert_eq!(out.status.code(), Some(0), "{verb:?}");
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn every_verb_takes_quiet_and_no_help_cites_a_pr() {
    let verbs: [&[&str]; 12] = [
        &["aiur", "run"],
        &["check"],
        &["check-shard"],
        &["check-shards"],
        &["compile"],
        &["info"],
        &["ixvm", "check"],
        &["profile"],
        &["shard"],
        &["synth"],
        &["verify-claims"],
        &[],
    ];
    for verb in verbs {
        let text = help(verb);
        if !verb.is_empty() {
            assert!(text.contains("-q, --quiet"), "{verb:?}: {text}");
        }
        assert!(!text.contains('#'), "{verb:?} cites a PR: {text}");
    }
}

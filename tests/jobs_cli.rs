//! `-j, --jobs N` is one option with one cap in every parallel verb: a huge
//! count is refused at once (exit 3, one line), before any input is read.

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

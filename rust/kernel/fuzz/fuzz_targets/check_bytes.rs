//! Any bytes: the NDJSON reader returns an error or an environment, and the
//! checker returns a verdict (accept, reject or decline) without panicking,
//! overflowing its stack or running past the fuzzer's time limit.
#![no_main]

use ix_kernel::{check_environment, CheckOptions, TcOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(env) = ix_lean::ndjson::read(data, "fuzz.ndjson") else {
        return;
    };
    let options = CheckOptions {
        tc: TcOptions {
            budget: 50_000,
            ..Default::default()
        },
        threads: 1,
        ..Default::default()
    };
    let _ = check_environment(&env, &options).result;
});

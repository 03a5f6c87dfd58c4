//! `include/ix.h` is exactly what cbindgen generates from this crate now.
//! Regenerate with `IX_BLESS_HEADER=1 cargo test -p ix-ffi --test header`.

use std::path::Path;

#[test]
fn header_is_fresh() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut fresh = Vec::new();
    bindings.write(&mut fresh);
    let fresh = String::from_utf8(fresh).expect("utf-8 header");
    let checked_in_path = crate_dir.join("../../include/ix.h");
    if std::env::var_os("IX_BLESS_HEADER").is_some() {
        std::fs::write(&checked_in_path, &fresh).expect("write include/ix.h");
    }
    let checked_in = std::fs::read_to_string(&checked_in_path).unwrap_or_default();
    assert!(
        checked_in == fresh,
        "include/ix.h is stale: run IX_BLESS_HEADER=1 cargo test -p ix-ffi --test header"
    );
}

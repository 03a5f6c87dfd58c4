//! Every bundled export compiles, survives the `.ixe` bytes, and decompiles
//! to exactly the declarations it came from; compiling is deterministic.

mod common;

use common::*;
use ixon::{IxonEnv, ReadMode};

#[test]
fn every_bundled_export_round_trips_exactly() {
    let exports = bundled_exports();
    assert_eq!(exports.len(), 136);
    let mut failures = Vec::new();
    for path in &exports {
        let input = ix_lean::ndjson::read_file(&ix_testkit::exports_dir().join(path))
            .expect("bundled exports parse");
        let outcome = (|| -> Result<(), String> {
            let compiled = ix_import::compile(&input).map_err(|e| e.to_string())?;
            let bytes = compiled.env.to_bytes();
            let again = ix_import::compile(&input)
                .map_err(|e| e.to_string())?
                .env
                .to_bytes();
            if bytes != again {
                return Err("compiling twice gave different bytes".into());
            }
            let (read, _) =
                IxonEnv::from_bytes(&bytes, ReadMode::Full).map_err(|e| e.to_string())?;
            if read != compiled.env {
                return Err("read-back environment differs".into());
            }
            let back = ix_import::decompile(&read).map_err(|e| e.to_string())?;
            env_eq(&input, &back)?;
            // The anonymous path decompiles too.
            let (anon, _) =
                IxonEnv::from_bytes(&bytes, ReadMode::Anonymous).map_err(|e| e.to_string())?;
            ix_import::decompile_anonymous(&anon).map_err(|e| format!("anonymous: {e}"))?;
            Ok(())
        })();
        if let Err(e) = outcome {
            failures.push(format!("{path}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn synthetic_library_round_trips_exactly() {
    let input = synthetic_export(3000, 7);
    let compiled = ix_import::compile(&input).expect("compile");
    let bytes = compiled.env.to_bytes();
    let (read, _) = IxonEnv::from_bytes(&bytes, ReadMode::Full).expect("read");
    let back = ix_import::decompile(&read).expect("decompile");
    env_eq(&input, &back).unwrap();
    let anon = ix_import::decompile_anonymous(&read).expect("anonymous decompile");
    assert!(anon.decls.len() <= input.decls.len());
}

#[test]
fn load_environment_reads_and_decompiles_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = ix_testkit::exports_dir().join("lean4export/Nat.add_succ.ndjson");
    let out = dir.path().join("a.ixe");
    ix_import::compile_file(&input, &out).unwrap();
    let full = ix_import::load_environment(&out, ReadMode::Full).unwrap();
    env_eq(&ix_lean::ndjson::read_file(&input).unwrap(), &full).unwrap();
    let anon = ix_import::load_environment(&out, ReadMode::Anonymous).unwrap();
    // Synthetic names, except for the kernel's primitives: the export's
    // `Nat.add` is Lean's, which the kernel may accelerate.
    let named: std::collections::BTreeSet<String> = anon
        .decls
        .iter()
        .flat_map(|d| d.names())
        .map(|n| n.to_string())
        .filter(|n| !n.starts_with("_ix."))
        .collect();
    let primitives = [
        "Eq", "Eq.rec", "Eq.refl", "Nat", "Nat.add", "Nat.rec", "Nat.succ", "Nat.zero", "outParam",
    ];
    assert_eq!(named, primitives.iter().map(|p| p.to_string()).collect());
    let e =
        ix_import::load_environment(&dir.path().join("missing.ixe"), ReadMode::Full).unwrap_err();
    assert!(e.to_string().contains("missing.ixe"));
}

//! Decompiling chosen entries on demand (`LazyDecls`) gives exactly what a
//! full decompile gives, in any order, and refuses what it refuses.

mod common;

use common::*;
use ix_import::LazyDecls;
use ixon::IxonEnv;

/// Every entry, decompiled alone (last to first), equals the full
/// decompile's, and the name → address map is the same.
fn lazy_matches_full(env: &IxonEnv) -> Result<(), String> {
    let (full, addresses) = ix_import::decompile_with_addresses(env).map_err(|e| e.to_string())?;
    let lazy = LazyDecls::new(env).map_err(|e| e.to_string())?;
    if lazy.len() != full.decls.len() {
        return Err(format!(
            "{} entries, {} declarations",
            lazy.len(),
            full.decls.len()
        ));
    }
    for i in (0..lazy.len()).rev() {
        let one = lazy.decl(env, i).map_err(|e| e.to_string())?;
        decl_eq(&full.decls[i], &one).map_err(|e| format!("entry {i}: {e}"))?;
        let names: Vec<_> = one.names().into_iter().cloned().collect();
        let listed: Vec<_> = lazy.declares(i).iter().map(|(n, _)| n.clone()).collect();
        if names != listed {
            return Err(format!(
                "entry {i}: declares {listed:?}, decompiles {names:?}"
            ));
        }
    }
    if lazy.addresses() != addresses {
        return Err("the name → address maps differ".into());
    }
    if lazy.meta(env) != full.meta {
        return Err("the export headers differ".into());
    }
    Ok(())
}

#[test]
fn every_bundled_export_decompiles_alike_entry_by_entry() {
    let mut failures = Vec::new();
    for path in bundled_exports() {
        let input =
            ix_lean::ndjson::read_file(&ix_testkit::exports_dir().join(&path)).expect("parses");
        let compiled = ix_import::compile(&input).expect("compiles");
        if let Err(e) = lazy_matches_full(&compiled.env) {
            failures.push(format!("{path}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_synthetic_library_decompiles_alike_entry_by_entry() {
    let input = synthetic_export(2000, 3);
    let compiled = ix_import::compile(&input).expect("compile");
    lazy_matches_full(&compiled.env).unwrap();
}

#[test]
fn an_anonymous_environment_has_no_lazy_entries() {
    let path = ix_testkit::exports_dir().join("lean4export/Nat.add_succ.ndjson");
    let input = ix_lean::ndjson::read_file(&path).unwrap();
    let mut env = ix_import::compile(&input).unwrap().env;
    env.meta = Default::default();
    assert!(LazyDecls::new(&env).is_err());
}

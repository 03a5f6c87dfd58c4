//! Lean names for the kernel's primitives in an anonymous environment.
//!
//! The kernel finds its primitives by name: `Nat` types literals, `Bool`
//! the results of `Nat.beq`/`Nat.ble`, `Eq` must precede the quotients,
//! `Quot`… are the quotient constants, and `outParam` is one of the binder
//! annotations it strips when it builds recursors. Ixon content
//! holds no names and no binder infos, so a constant whose address equals
//! that of the canonical declaration below *is* that declaration up to
//! names; giving it its Lean name in an anonymous decompile loses nothing.
//! It also trusts nothing new: the kernel checks the shape of `Nat`, `Bool`
//! and `Eq` and the type of every quotient constant as it does with names,
//! and the annotation is an identity by its content. (An identity
//! `Sort u → Sort u` declared under another name shares `outParam`'s
//! address, so anonymously it is stripped too; that can only cost an
//! accept, never give one.)
//!
//! Lean's definitions of the accelerated Nat operations (`Nat.add`, …) are
//! too large to write out here; their addresses are taken from real exports
//! (`LEAN_NAT_OPS`). An address covers the whole definition, including the
//! addresses of everything it refers to, so a match is Lean's own
//! definition over Lean's own `Nat`. Naming it trusts nothing new either:
//! the kernel accelerates an operation only after checking its body against
//! the operation's defining equations (`primitive::verify`), and one that
//! fails them is unfolded, as in the named check. (The operations whose
//! equations hold only propositionally, `Nat.div` and friends, are trusted
//! by their type in the named check; an entry for one must come, like every
//! entry, from Lean's own definition.)

use ix_lean::build::{
    app, bv, c, cl, constructor, cval, inductive, lam, lp, n, pi, prop, sort, ty0,
};
use ix_lean::{
    Declaration, DefinitionSafety, DefinitionVal, Environment, ExprRef, InductiveBlock, Name,
    ReducibilityHints,
};
use ixon::Address;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// The address of every canonical primitive (block members and
/// constructors as their projections) → its Lean name.
pub(crate) fn canonical_names() -> &'static FxHashMap<Address, Name> {
    static NAMES: OnceLock<FxHashMap<Address, Name>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let env = Environment {
            meta: Default::default(),
            decls: canonical_decls(),
        };
        // The declarations are fixed and well formed, so this cannot fail;
        // if it did, no primitive would be named (only accepts are lost).
        let declared = crate::compile(&env)
            .map(|c| {
                c.addresses
                    .into_iter()
                    .map(|(n, a)| (a, n))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let ops = LEAN_NAT_OPS
            .iter()
            .filter_map(|(name, hex)| Some((Address::from_hex(hex)?, n(name))));
        declared.into_iter().chain(ops).collect()
    })
}

/// Lean's definitions of accelerated Nat operations: name, address (hex),
/// one row per distinct definition found in the bundled exports.
const LEAN_NAT_OPS: [(&str, &str); 1] = [
    // By structural recursion through `Nat.brecOn`; the same in Lean
    // 4.27.0-rc1 (lean4export/Nat.add_succ) and 4.29.1
    // (vow-lean-kernel/tests/good/perf-app-lam-dag).
    (
        "Nat.add",
        "e54c6a68ec48d56e0d41c14b4028f29f4de2929a49591baede387b4386a8831a",
    ),
];

/// A one-type block without recursors (they are separate constants).
fn block(
    name: &str,
    params: &[&str],
    ty: ExprRef,
    (num_params, num_indices): (u32, u32),
    ctors: Vec<(&str, ExprRef, u32)>,
) -> Declaration {
    let names: Vec<&str> = ctors.iter().map(|(c, _, _)| *c).collect();
    Declaration::Inductive(InductiveBlock {
        types: vec![inductive(name, params, ty, num_params, num_indices, &names)],
        ctors: ctors
            .into_iter()
            .enumerate()
            .map(|(i, (c, ty, num_fields))| {
                constructor(c, params, ty, name, i as u32, num_params, num_fields)
            })
            .collect(),
        recs: Vec::new(),
    })
}

fn identity_def(name: &str, ty: ExprRef, value: ExprRef) -> Declaration {
    Declaration::Definition(DefinitionVal {
        cval: cval(name, &["u"], ty),
        value,
        hints: ReducibilityHints::Abbrev,
        safety: DefinitionSafety::Safe,
        all: vec![n(name)],
    })
}

fn canonical_decls() -> Vec<Declaration> {
    let u = || lp("u");
    let nat = || c("Nat");
    let boolean = || c("Bool");
    vec![
        block(
            "Nat",
            &[],
            ty0(),
            (0, 0),
            vec![("Nat.zero", nat(), 0), ("Nat.succ", pi(nat(), nat()), 1)],
        ),
        block(
            "Bool",
            &[],
            ty0(),
            (0, 0),
            vec![("Bool.false", boolean(), 0), ("Bool.true", boolean(), 0)],
        ),
        // Eq.{u} : {α : Sort u} → α → α → Prop
        // Eq.refl.{u} : {α : Sort u} → (a : α) → @Eq α a a
        block(
            "Eq",
            &["u"],
            pi(sort(u()), pi(bv(0), pi(bv(1), prop()))),
            (2, 1),
            vec![(
                "Eq.refl",
                pi(
                    sort(u()),
                    pi(bv(0), app(cl("Eq", &[u()]), &[bv(1), bv(0), bv(0)])),
                ),
                0,
            )],
        ),
        // outParam.{u} (α : Sort u) : Sort u := α (also semiOutParam's content)
        identity_def("outParam", pi(sort(u()), sort(u())), lam(sort(u()), bv(0))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn data(dir: &str, file: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/data")
            .join(dir)
            .join(file)
    }

    fn compiled(dir: &str, file: &str) -> crate::Compiled {
        let env = ix_lean::ndjson::read_file(&data(dir, file)).expect("export parses");
        crate::compile(&env).expect("export compiles")
    }

    /// The canonical declarations and operations are Lean's own: real
    /// exports compile them to the same addresses, and every row of
    /// `LEAN_NAT_OPS` is found in one of them.
    #[test]
    fn canonical_addresses_are_those_of_real_exports() {
        let cases: [(&str, &[&str]); 3] = [
            (
                "lean4export/Nat.add_succ.ndjson",
                &[
                    "Nat", "Nat.zero", "Nat.succ", "Eq", "Eq.refl", "outParam", "Nat.add",
                ],
            ),
            (
                "vow-lean-kernel/tests/good/perf-app-lam-dag.ndjson",
                &["Nat", "Nat.add"],
            ),
            (
                "vow-lean-kernel/tests/bad/tutorial/092_ruleKAcc.ndjson",
                &["Bool", "Bool.false", "Bool.true"],
            ),
        ];
        let canonical = canonical_names();
        assert_eq!(canonical.len(), 9 + LEAN_NAT_OPS.len());
        let mut seen = rustc_hash::FxHashSet::default();
        for (file, names) in cases {
            let compiled = compiled("lean-exports", file);
            for name in names {
                let addr = compiled.addresses[&n(name)];
                assert_eq!(canonical.get(&addr), Some(&n(name)), "{file}: {name}");
                seen.insert(addr);
            }
        }
        for (name, hex) in LEAN_NAT_OPS {
            let addr = Address::from_hex(hex).expect("a 64-digit hex address");
            assert!(seen.contains(&addr), "{name} {hex} is in no export");
        }
    }

    /// Other definitions of `Nat.add` have other addresses and keep their
    /// synthetic names: one of the same type with another body (`fun n m =>
    /// n`), a correct one by `Nat.rec`, and Lean's own over a `Nat` whose
    /// recursor falsely claims K (`nat-rec-k-lie`).
    #[test]
    fn other_definitions_of_an_operation_are_not_named() {
        let add = n("Nat.add");
        let cases = [
            ("kernel-rules", "nat-add-unverified.accept.ndjson"),
            ("kernel-rules", "nat-add-rec-accelerated.accept.ndjson"),
            ("kernel-rules", "nat-rec-k-lie.reject.ndjson"),
        ];
        for (dir, file) in cases {
            let addr = compiled(dir, file).addresses[&add];
            assert_eq!(canonical_names().get(&addr), None, "{file}");
        }
    }
}

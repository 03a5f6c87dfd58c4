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

use ix_lean::{
    BinderInfo, ConstantVal, ConstructorVal, Declaration, DefinitionSafety, DefinitionVal,
    Environment, Expr, ExprRef, InductiveBlock, InductiveVal, Level, LevelRef, Name,
    ReducibilityHints,
};
use ixon::Address;
use rustc_hash::FxHashMap;
use std::sync::{Arc, OnceLock};

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
        crate::compile(&env)
            .map(|c| c.addresses.into_iter().map(|(n, a)| (a, n)).collect())
            .unwrap_or_default()
    })
}

fn n(s: &str) -> Name {
    Name::from_dotted(s)
}
fn sort(l: LevelRef) -> ExprRef {
    Arc::new(Expr::Sort(l))
}
fn c(s: &str, ls: &[LevelRef]) -> ExprRef {
    Arc::new(Expr::Const(n(s), ls.to_vec()))
}
fn bv(i: u64) -> ExprRef {
    Arc::new(Expr::BVar(i))
}
fn app(f: ExprRef, args: &[ExprRef]) -> ExprRef {
    args.iter()
        .fold(f, |acc, a| Arc::new(Expr::App(acc, a.clone())))
}
fn pi(ty: ExprRef, body: ExprRef) -> ExprRef {
    Arc::new(Expr::Pi {
        name: Name::anonymous(),
        info: BinderInfo::Default,
        ty,
        body,
    })
}
fn lam(ty: ExprRef, body: ExprRef) -> ExprRef {
    Arc::new(Expr::Lam {
        name: Name::anonymous(),
        info: BinderInfo::Default,
        ty,
        body,
    })
}
fn cval(name: &str, params: &[&str], ty: ExprRef) -> ConstantVal {
    ConstantVal {
        name: n(name),
        level_params: params.iter().map(|p| n(p)).collect(),
        ty,
    }
}

/// A one-type block without recursors (they are separate constants).
fn block(
    name: &str,
    params: &[&str],
    ty: ExprRef,
    (num_params, num_indices): (u32, u32),
    ctors: Vec<(&str, ExprRef, u32)>,
) -> Declaration {
    Declaration::Inductive(InductiveBlock {
        types: vec![InductiveVal {
            cval: cval(name, params, ty),
            num_params,
            num_indices,
            all: vec![n(name)],
            ctors: ctors.iter().map(|(c, _, _)| n(c)).collect(),
            num_nested: 0,
            is_rec: false,
            is_unsafe: false,
            is_reflexive: false,
        }],
        ctors: ctors
            .into_iter()
            .enumerate()
            .map(|(i, (c, ty, num_fields))| ConstructorVal {
                cval: cval(c, params, ty),
                induct: n(name),
                cidx: i as u32,
                num_params,
                num_fields,
                is_unsafe: false,
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
    let u = || Level::param(n("u"));
    let type0 = || sort(Level::succ(Level::zero()));
    let nat = || c("Nat", &[]);
    let boolean = || c("Bool", &[]);
    vec![
        block(
            "Nat",
            &[],
            type0(),
            (0, 0),
            vec![("Nat.zero", nat(), 0), ("Nat.succ", pi(nat(), nat()), 1)],
        ),
        block(
            "Bool",
            &[],
            type0(),
            (0, 0),
            vec![("Bool.false", boolean(), 0), ("Bool.true", boolean(), 0)],
        ),
        // Eq.{u} : {α : Sort u} → α → α → Prop
        // Eq.refl.{u} : {α : Sort u} → (a : α) → @Eq α a a
        block(
            "Eq",
            &["u"],
            pi(sort(u()), pi(bv(0), pi(bv(1), sort(Level::zero())))),
            (2, 1),
            vec![(
                "Eq.refl",
                pi(
                    sort(u()),
                    pi(bv(0), app(c("Eq", &[u()]), &[bv(1), bv(0), bv(0)])),
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
    use std::path::Path;

    /// The canonical declarations are Lean's own: real exports compile them
    /// to the same addresses.
    #[test]
    fn canonical_addresses_are_those_of_real_exports() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/lean-exports");
        let cases: [(&str, &[&str]); 2] = [
            (
                "lean4export/Nat.add_succ.ndjson",
                &["Nat", "Nat.zero", "Nat.succ", "Eq", "Eq.refl", "outParam"],
            ),
            (
                "vow-lean-kernel/tests/bad/tutorial/092_ruleKAcc.ndjson",
                &["Bool", "Bool.false", "Bool.true"],
            ),
        ];
        let canonical = canonical_names();
        assert_eq!(canonical.len(), 9);
        for (file, names) in cases {
            let env = ix_lean::ndjson::read_file(&dir.join(file)).expect("export parses");
            let compiled = crate::compile(&env).expect("export compiles");
            for name in names {
                let addr = compiled.addresses[&n(name)];
                assert_eq!(canonical.get(&addr), Some(&n(name)), "{file}: {name}");
            }
        }
    }
}

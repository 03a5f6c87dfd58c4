//! Alpha-invariance (bound-variable and universe-parameter names never reach
//! an address) and depth safety (10^5-deep terms compile and round-trip).

mod common;

use common::*;
use ix_lean::*;
use ixon::{IxonEnv, ReadMode};
use rustc_hash::FxHashMap;
use std::sync::Arc;

fn rename_level(l: &LevelRef, f: &impl Fn(&Name) -> Name) -> LevelRef {
    match &**l {
        Level::Zero => l.clone(),
        Level::Succ(a) => Level::succ(rename_level(a, f)),
        Level::Max(a, b) => Level::max(rename_level(a, f), rename_level(b, f)),
        Level::IMax(a, b) => Level::imax(rename_level(a, f), rename_level(b, f)),
        Level::Param(p) => Level::param(f(p)),
    }
}

/// Renames every binder and every universe parameter (memoized, iterative).
struct Renamer {
    memo: FxHashMap<*const Expr, ExprRef>,
}

fn fresh_binder(n: &Name) -> Name {
    Name::anonymous().str(&format!("renamed_{n}"))
}

fn fresh_level(n: &Name) -> Name {
    Name::anonymous().str(&format!("v_{n}"))
}

impl Renamer {
    fn expr(&mut self, root: &ExprRef) -> ExprRef {
        let mut stack = vec![(root.clone(), false)];
        while let Some((e, expanded)) = stack.pop() {
            let key = Arc::as_ptr(&e);
            if self.memo.contains_key(&key) {
                continue;
            }
            if !expanded {
                stack.push((e.clone(), true));
                stack.extend(e.children().into_iter().map(|c| (c.clone(), false)));
                continue;
            }
            let m = |c: &ExprRef| self.memo[&Arc::as_ptr(c)].clone();
            let out = Arc::new(match &*e {
                Expr::Sort(l) => Expr::Sort(rename_level(l, &fresh_level)),
                Expr::Const(n, ls) => Expr::Const(
                    n.clone(),
                    ls.iter().map(|l| rename_level(l, &fresh_level)).collect(),
                ),
                _ => e.map_children(fresh_binder, m),
            });
            self.memo.insert(key, out);
        }
        self.memo[&Arc::as_ptr(root)].clone()
    }

    fn cval(&mut self, c: &mut ConstantVal) {
        c.level_params = c.level_params.iter().map(fresh_level).collect();
        c.ty = self.expr(&c.ty);
    }
}

fn rename_env(env: &Environment) -> Environment {
    let mut r = Renamer {
        memo: FxHashMap::default(),
    };
    let mut out = env.clone();
    for d in &mut out.decls {
        match d {
            Declaration::Axiom(v) => r.cval(&mut v.cval),
            Declaration::Quot(v) => r.cval(&mut v.cval),
            Declaration::Definition(v) => {
                r.cval(&mut v.cval);
                v.value = r.expr(&v.value);
            }
            Declaration::Theorem(v) => {
                r.cval(&mut v.cval);
                v.value = r.expr(&v.value);
            }
            Declaration::Opaque(v) => {
                r.cval(&mut v.cval);
                v.value = r.expr(&v.value);
            }
            Declaration::Inductive(b) => {
                b.types.iter_mut().for_each(|t| r.cval(&mut t.cval));
                b.ctors.iter_mut().for_each(|c| r.cval(&mut c.cval));
                for rec in &mut b.recs {
                    r.cval(&mut rec.cval);
                    for rule in &mut rec.rules {
                        rule.rhs = r.expr(&rule.rhs);
                    }
                }
            }
        }
    }
    out
}

#[test]
fn renaming_binders_and_universe_params_changes_no_address() {
    let mut renamed_something = 0;
    for path in bundled_exports() {
        let env = ix_lean::ndjson::read_file(&ix_testkit::exports_dir().join(&path)).unwrap();
        let renamed = rename_env(&env);
        let a = ix_import::compile(&env).unwrap();
        let b = ix_import::compile(&renamed).unwrap();
        assert_eq!(a.addresses, b.addresses, "{path}");
        assert_eq!(a.env.root(), b.env.root(), "{path}");
        // The metadata did change, and decompiling gives the renamed names.
        if a.env.meta != b.env.meta {
            renamed_something += 1;
        }
        let back = ix_import::decompile(&b.env).unwrap();
        env_eq(&renamed, &back).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    assert!(
        renamed_something > 100,
        "renaming must reach the metadata ({renamed_something})"
    );
}

/// `Prop`.
fn prop() -> ExprRef {
    Arc::new(Expr::Sort(Level::zero()))
}

/// The constant `name`, without universe arguments.
fn cnst(name: &str) -> ExprRef {
    Arc::new(Expr::Const(Name::from_dotted(name), vec![]))
}

/// An environment of `decls` with no exporter header.
fn environment(decls: Vec<Declaration>) -> Environment {
    Environment {
        meta: ExportMeta::default(),
        decls,
    }
}

fn axiom(name: &str, ty: ExprRef) -> Declaration {
    Declaration::Axiom(AxiomVal {
        cval: ConstantVal {
            name: Name::from_dotted(name),
            level_params: vec![],
            ty,
        },
        is_unsafe: false,
    })
}

fn round_trip(env: &Environment) {
    let compiled = ix_import::compile(env).unwrap();
    let bytes = compiled.env.to_bytes();
    let (read, _) = IxonEnv::from_bytes(&bytes, ReadMode::Full).unwrap();
    let back = ix_import::decompile(&read).unwrap();
    env_eq(env, &back).unwrap();
    ix_import::decompile_anonymous(&read).unwrap();
}

#[test]
fn deep_terms_compile_and_round_trip() {
    let prop = prop();
    // f a a a ... (a 10^5-long spine), f (f (... a)) (10^5-deep arguments),
    // and fun x1 ... x100000 => x1 (a 10^5-deep binder chain).
    let mut spine = cnst("f");
    let mut nested = cnst("a");
    let mut binders = Arc::new(Expr::BVar(99_999));
    for i in 0..100_000u64 {
        spine = Arc::new(Expr::App(spine, cnst("a")));
        nested = Arc::new(Expr::App(cnst("f"), nested));
        binders = Arc::new(Expr::Lam {
            name: Name::anonymous().num(i),
            info: BinderInfo::Implicit,
            ty: prop.clone(),
            body: binders,
        });
    }
    let env = environment(vec![
        axiom("f", prop.clone()),
        axiom("a", prop.clone()),
        axiom("spine", spine),
        axiom("nested", nested),
        axiom("binders", binders),
    ]);
    // Deep work runs on a thread with a modest stack to prove it is iterative.
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || round_trip(&env))
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn alpha_equivalent_axioms_share_an_address_but_keep_their_names() {
    let prop = prop();
    let env = environment(vec![
        axiom("A", prop.clone()),
        axiom("B", prop.clone()),
        axiom("usesB", cnst("B")),
        axiom("usesA", cnst("A")),
    ]);
    let compiled = ix_import::compile(&env).unwrap();
    let addr = |n: &str| compiled.addresses[&Name::from_dotted(n)];
    assert_eq!(addr("A"), addr("B"));
    assert_eq!(addr("usesA"), addr("usesB"));
    round_trip(&env);
}

fn def(name: &str, ty: ExprRef, value: ExprRef, all: &[&str]) -> Declaration {
    Declaration::Definition(DefinitionVal {
        cval: ConstantVal {
            name: Name::from_dotted(name),
            level_params: vec![],
            ty,
        },
        value,
        hints: ReducibilityHints::Abbrev,
        safety: DefinitionSafety::Partial,
        all: all.iter().map(|n| Name::from_dotted(n)).collect(),
    })
}

#[test]
fn mutual_definitions_form_one_block_and_stay_referable() {
    let prop = prop();
    let env = environment(vec![
        def("f", prop.clone(), cnst("g"), &["f", "g"]),
        def("g", prop.clone(), cnst("f"), &["f", "g"]),
        def("h", prop.clone(), cnst("g"), &["h"]),
        def("loop", prop.clone(), cnst("loop"), &["loop"]),
    ]);
    let compiled = ix_import::compile(&env).unwrap();
    let name = |n: &str| Name::from_dotted(n);
    assert_ne!(
        compiled.addresses[&name("f")],
        compiled.addresses[&name("g")]
    );
    assert_eq!(compiled.homes[&name("f")], compiled.homes[&name("g")]);
    assert_ne!(compiled.homes[&name("f")], compiled.addresses[&name("f")]);
    assert_eq!(compiled.homes[&name("h")], compiled.addresses[&name("h")]);
    assert!(compiled
        .block_sizes
        .contains_key(&compiled.homes[&name("f")]));
    assert_ne!(
        compiled.homes[&name("loop")],
        compiled.addresses[&name("loop")]
    );
    round_trip(&env);
    let anon = ix_import::decompile_anonymous(&compiled.env).unwrap();
    assert_eq!(anon.decls.len(), 4);
}

#[test]
fn metadata_can_rename_but_never_redirect() {
    use ixon::meta::{DeclMeta, MetaNode};
    let prop = prop();
    let env = environment(vec![
        axiom("A", prop.clone()),
        axiom("B", Arc::new(Expr::Sort(Level::succ(Level::zero())))),
        axiom("usesA", cnst("A")),
    ]);
    let mut ixe = ix_import::compile(&env).unwrap().env;
    let DeclMeta::Axiom { c: b, .. } = &ixe.meta.decls[1].decl else {
        panic!("axiom")
    };
    let b_name = b.name;
    for node in &mut ixe.meta.decls[2].nodes {
        if let MetaNode::Ref(n) = node {
            *n = b_name;
        }
    }
    let e = ix_import::decompile(&ixe).unwrap_err().to_string();
    assert!(
        e.contains("B is not declared earlier with that address"),
        "{e}"
    );
    // Decompiled on its own, the entry is refused the same way; the
    // entries it does not touch still decompile.
    let lazy = ix_import::LazyDecls::new(&ixe).unwrap();
    let e = lazy.decl(&ixe, 2).unwrap_err().to_string();
    assert!(
        e.contains("B is not declared earlier with that address"),
        "{e}"
    );
    assert!(lazy.decl(&ixe, 0).is_ok() && lazy.decl(&ixe, 1).is_ok());
}

//! Recursor generation on the standard shapes: Nat, List, Eq, Acc, a
//! mutual pair, a nested tree; and rejections of ill-formed declarations.

use super::block::{Ctor, Decl, IndType};
use super::{add_checked, check_decl, Checked};
use crate::env::Env;
use crate::error::KResult;
use crate::expr::Expr;
use crate::level::Level;
use crate::tc::{TcOptions, TypeChecker};
use ix_lean::build::n;
use ix_lean::{BinderInfo, DefinitionSafety, Name};

fn c(s: &str) -> Expr {
    Expr::cnst(n(s), Vec::new())
}
fn cl(s: &str, ls: &[Level]) -> Expr {
    Expr::cnst(n(s), ls.to_vec())
}
fn u() -> Level {
    Level::param(n("u"))
}
fn bv(i: u64) -> Expr {
    Expr::bvar(i)
}
fn app(f: Expr, args: &[Expr]) -> Expr {
    Expr::mk_app(f, args)
}
fn pi(ty: Expr, body: Expr) -> Expr {
    Expr::pi(n("x"), BinderInfo::Default, ty, body)
}
fn lam(ty: Expr, body: Expr) -> Expr {
    Expr::lam(n("x"), BinderInfo::Default, ty, body)
}
fn sort(l: Level) -> Expr {
    Expr::sort(l)
}
fn prop() -> Expr {
    sort(Level::zero())
}
fn ty0() -> Expr {
    sort(Level::one())
}

/// One type of a test declaration: name, type, `[(ctor name, ctor type)]`.
type TypeSpec<'a> = (&'a str, Expr, Vec<(&'a str, Expr)>);

fn decl(lparams: &[&str], nparams: usize, types: Vec<TypeSpec>) -> Decl {
    Decl {
        level_params: lparams.iter().map(|p| n(p)).collect::<Vec<_>>().into(),
        num_params: nparams,
        types: types
            .into_iter()
            .map(|(name, ty, ctors)| IndType {
                name: n(name),
                ty,
                ctors: ctors
                    .into_iter()
                    .map(|(cn, cty)| Ctor {
                        name: n(cn),
                        ty: cty,
                    })
                    .collect(),
            })
            .collect(),
        is_unsafe: false,
    }
}

/// One type with no universe or block parameters.
fn single(name: &str, ty: Expr, ctors: Vec<(&str, Expr)>) -> Decl {
    decl(&[], 0, vec![(name, ty, ctors)])
}

struct World {
    env: Env,
    next: usize,
}

impl World {
    fn new() -> World {
        World {
            env: Env::new(),
            next: 0,
        }
    }

    fn check(&mut self, d: Decl) -> KResult<Checked> {
        self.next += 1;
        check_decl(&mut self.env, d, self.next, &TcOptions::default(), None)
    }

    fn add(&mut self, d: Decl) -> Checked {
        let checked = self.check(d).expect("declaration checks");
        add_checked(&mut self.env, &checked, self.next, &TcOptions::default()).expect("adds");
        let names: Vec<Name> = self.env.iter().map(|(n, _)| n.clone()).collect();
        let names: Vec<&Name> = names.iter().collect();
        crate::primitive::note_declaration(&mut self.env, &names, self.next, &TcOptions::default());
        checked
    }

    fn whnf(&self, e: &Expr) -> Expr {
        let mut tc = TypeChecker::new(
            &self.env,
            n("test"),
            usize::MAX,
            vec![n("u")].into(),
            DefinitionSafety::Safe,
            &TcOptions::default(),
        );
        tc.whnf(e).expect("whnf")
    }
}

/// Asserts that `bad` is rejected, for a reason that contains `reason`, in
/// an environment of `prelude`.
fn assert_rejected_after(prelude: Vec<Decl>, bad: Decl, reason: &str) {
    let mut w = World::new();
    for d in prelude {
        w.add(d);
    }
    let err = w.check(bad).err().expect("rejected");
    assert!(err.reason().contains(reason), "{err}");
}

fn nat_decl() -> Decl {
    single(
        "Nat",
        ty0(),
        vec![("Nat.zero", c("Nat")), ("Nat.succ", pi(c("Nat"), c("Nat")))],
    )
}

fn list_decl() -> Decl {
    // List.{u} (α : Type u) : Type u
    let tu = sort(Level::succ(u()));
    let list = |a: Expr| app(cl("List", &[u()]), &[a]);
    decl(
        &["u"],
        1,
        vec![(
            "List",
            pi(tu.clone(), tu.clone()),
            vec![
                ("List.nil", pi(tu.clone(), list(bv(0)))),
                ("List.cons", pi(tu, pi(bv(0), pi(list(bv(1)), list(bv(2)))))),
            ],
        )],
    )
}

#[test]
fn nat_recursor_type_and_rules() {
    let mut w = World::new();
    let checked = w.add(nat_decl());
    assert!(checked.is_rec && !checked.is_reflexive && checked.num_nested == 0);
    let [rec] = checked.recs.as_slice() else {
        panic!("one recursor")
    };
    assert_eq!(rec.name, n("Nat.rec"));
    assert_eq!(&*rec.level_params, &[n("u")]);
    assert_eq!((rec.num_motives, rec.num_minors, rec.k), (1, 2, false));
    // Π (motive : Nat → Sort u) (zero : motive 0)
    //   (succ : Π n, motive n → motive (succ n)) (t : Nat), motive t
    let motive = pi(c("Nat"), sort(u()));
    let zero = app(bv(0), &[c("Nat.zero")]);
    let ih = app(bv(2), &[bv(0)]);
    let succ = pi(
        c("Nat"),
        pi(ih, app(bv(3), &[app(c("Nat.succ"), &[bv(1)])])),
    );
    // The motive, zero and succ minors, then `t`, as binders of `binder`.
    let over_minors = |binder: fn(Expr, Expr) -> Expr, t_body| {
        binder(
            motive.clone(),
            binder(zero.clone(), binder(succ.clone(), binder(c("Nat"), t_body))),
        )
    };
    assert_eq!(rec.ty, over_minors(pi, app(bv(3), &[bv(0)])));
    let call = app(cl("Nat.rec", &[u()]), &[bv(3), bv(2), bv(1), bv(0)]);
    assert_eq!(
        rec.rules[1].rhs,
        over_minors(lam, app(bv(1), &[bv(0), call]))
    );
    assert_eq!(rec.rules[1].num_fields, 1);

    // Iota through the generated rule: rec (λ _, Nat) 0 (λ n ih, succ ih) 1.
    let one = app(c("Nat.succ"), &[c("Nat.zero")]);
    let r = app(
        cl("Nat.rec", &[Level::one()]),
        &[
            lam(c("Nat"), c("Nat")),
            c("Nat.zero"),
            lam(c("Nat"), lam(c("Nat"), app(c("Nat.succ"), &[bv(0)]))),
            one,
        ],
    );
    // (The kernel's Nat extension turns `Nat.succ` of a literal into one.)
    assert_eq!(w.whnf(&r), Expr::nat_lit(1u32.into()));
}

#[test]
fn list_recursor_picks_a_fresh_elim_universe() {
    let mut w = World::new();
    let checked = w.add(list_decl());
    let rec = &checked.recs[0];
    assert_eq!(&*rec.level_params, &[n("u_1"), n("u")]);
    assert_eq!((rec.num_params, rec.num_motives, rec.num_minors), (1, 1, 2));
    assert_eq!(rec.rules[1].num_fields, 2);
    assert!(checked.is_rec);
}

#[test]
fn eq_is_k_like_and_eliminates_anywhere() {
    // Eq.{u} {α : Sort u} (a : α) : α → Prop ; refl : Eq a a
    let mut w = World::new();
    let eq = |a: Expr, x: Expr, y: Expr| app(cl("Eq", &[u()]), &[a, x, y]);
    let checked = w.add(decl(
        &["u"],
        2,
        vec![(
            "Eq",
            pi(sort(u()), pi(bv(0), pi(bv(1), prop()))),
            vec![("Eq.refl", pi(sort(u()), pi(bv(0), eq(bv(1), bv(0), bv(0)))))],
        )],
    ));
    let rec = &checked.recs[0];
    assert!(rec.k);
    assert_eq!(rec.level_params.len(), 2);
    assert_eq!((rec.num_params, rec.num_indices), (2, 1));
    assert_eq!(checked.num_indices, vec![1]);
}

#[test]
fn acc_is_reflexive_with_large_elimination() {
    // Acc.{u} {α : Sort u} (r : α → α → Prop) : α → Prop
    // intro (x : α) (h : ∀ y, r y x → Acc r y) : Acc r x
    let mut w = World::new();
    let acc = |a: Expr, r: Expr, x: Expr| app(cl("Acc", &[u()]), &[a, r, x]);
    let rel = |a: Expr| pi(a.clone(), pi(a.lift_loose_bvars(0, 1), prop()));
    let intro = pi(
        sort(u()),
        pi(
            rel(bv(0)),
            pi(
                bv(1),
                pi(
                    pi(
                        bv(2),
                        pi(app(bv(2), &[bv(0), bv(1)]), acc(bv(4), bv(3), bv(1))),
                    ),
                    acc(bv(3), bv(2), bv(1)),
                ),
            ),
        ),
    );
    let checked = w.add(decl(
        &["u"],
        2,
        vec![(
            "Acc",
            pi(sort(u()), pi(rel(bv(0)), pi(bv(1), prop()))),
            vec![("Acc.intro", intro)],
        )],
    ));
    assert!(checked.is_rec && checked.is_reflexive);
    let rec = &checked.recs[0];
    assert_eq!(&*rec.level_params, &[n("u_1"), n("u")]);
    assert!(!rec.k);
    assert_eq!(rec.rules[0].num_fields, 2);
}

#[test]
fn mutual_props_eliminate_only_into_prop() {
    let mut w = World::new();
    w.add(nat_decl());
    let even = |x: Expr| app(c("Even"), &[x]);
    let odd = |x: Expr| app(c("Odd"), &[x]);
    let succ = |x: Expr| app(c("Nat.succ"), &[x]);
    let checked = w.add(decl(
        &[],
        0,
        vec![
            (
                "Even",
                pi(c("Nat"), prop()),
                vec![
                    ("Even.zero", even(c("Nat.zero"))),
                    ("Even.succ", pi(c("Nat"), pi(odd(bv(0)), even(succ(bv(1)))))),
                ],
            ),
            (
                "Odd",
                pi(c("Nat"), prop()),
                vec![("Odd.succ", pi(c("Nat"), pi(even(bv(0)), odd(succ(bv(1))))))],
            ),
        ],
    ));
    assert_eq!(checked.recs.len(), 2);
    for rec in &checked.recs {
        assert!(rec.level_params.is_empty());
        assert_eq!((rec.num_motives, rec.num_minors), (2, 3));
    }
    assert_eq!(checked.recs[1].rules[0].ctor, n("Odd.succ"));
}

#[test]
fn nested_tree_gets_an_auxiliary_recursor() {
    let mut w = World::new();
    w.add(list_decl());
    let list_tree = app(cl("List", &[Level::zero()]), &[c("Tree")]);
    let checked = w.add(single(
        "Tree",
        ty0(),
        vec![("Tree.node", pi(list_tree, c("Tree")))],
    ));
    assert_eq!(checked.num_nested, 1);
    assert!(checked.is_rec);
    let names: Vec<String> = checked.recs.iter().map(|r| r.name.to_string()).collect();
    assert_eq!(names, ["Tree.rec", "Tree.rec_1"]);
    for rec in &checked.recs {
        assert_eq!((rec.num_motives, rec.num_minors), (2, 3));
        let aux = rec.ty.find(|e| match e.const_name() {
            Some(n) if super::block::is_reserved(n) => Some(n.clone()),
            _ => None,
        });
        assert_eq!(aux, None, "restored recursor mentions an auxiliary type");
    }
    let rules: Vec<String> = checked.recs[1]
        .rules
        .iter()
        .map(|r| r.ctor.to_string())
        .collect();
    assert_eq!(rules, ["List.nil", "List.cons"]);
    assert!(w.env.get(&n("_nested.List_1")).is_none());

    // Iota: Tree.rec with motives (λ _, Nat) on `node []` reduces to the minor.
    let nat_motive = lam(c("Tree"), c("Nat"));
    w.add(nat_decl());
    let r = app(
        cl("Tree.rec", &[Level::one()]),
        &[
            nat_motive,
            lam(app(cl("List", &[Level::zero()]), &[c("Tree")]), c("Nat")),
            lam(
                app(cl("List", &[Level::zero()]), &[c("Tree")]),
                lam(c("Nat"), c("Nat.zero")),
            ),
            c("Nat.zero"),
            lam(
                c("Tree"),
                lam(
                    app(cl("List", &[Level::zero()]), &[c("Tree")]),
                    lam(c("Nat"), lam(c("Nat"), c("Nat.zero"))),
                ),
            ),
            app(
                c("Tree.node"),
                &[app(cl("List.nil", &[Level::zero()]), &[c("Tree")])],
            ),
        ],
    );
    assert_eq!(w.whnf(&r), c("Nat.zero"));
}

#[test]
fn prop_with_two_constructors_eliminates_only_into_prop() {
    let mut w = World::new();
    let checked = w.add(single(
        "Two",
        prop(),
        vec![("Two.a", c("Two")), ("Two.b", c("Two"))],
    ));
    assert!(checked.recs[0].level_params.is_empty());
    assert!(!checked.recs[0].k);
}

#[test]
fn negative_occurrence_is_rejected() {
    let bad = single(
        "Bad",
        ty0(),
        vec![("Bad.mk", pi(pi(c("Bad"), c("Nat")), c("Bad")))],
    );
    assert_rejected_after(vec![nat_decl()], bad, "non-positive");
}

#[test]
fn occurrence_in_an_index_is_rejected() {
    let bad = single(
        "I",
        pi(ty0(), ty0()),
        vec![("I.mk", app(c("I"), &[app(c("I"), &[c("I.mk")])]))],
    );
    assert_rejected_after(vec![], bad, "");
}

#[test]
fn nested_parameter_with_a_field_variable_is_rejected() {
    // T : Type, mk : (α : Type) → List (α × T)… simplified: List applied to a
    // term mentioning both T and a field.
    let bad = single(
        "T",
        ty0(),
        vec![(
            "T.mk",
            pi(
                ty0(),
                pi(
                    app(cl("List", &[Level::zero()]), &[pi(bv(0), c("T"))]),
                    c("T"),
                ),
            ),
        )],
    );
    assert_rejected_after(vec![list_decl()], bad, "local variables");
}

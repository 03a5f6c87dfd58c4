//! Hand-made exports for the arena rules that no bundled file pins (docs/KERNEL.md
//! §2 "Other tests"): universe levels with `imax`, elimination universes of
//! maybe-propositional types, self reference, unsafe/partial proofs of
//! `False`, universe argument counts, unit-like and structure eta on indexed
//! families, data out of propositions whose sort is spelled with `imax` or
//! does not reduce (by projection or by iota's structure eta), the
//! reserved `_nested` prefix, and the arena cases KERNEL.md cites by name
//! that no bundled file holds (`selfProof`, `nonTypeAxiom`,
//! `proofIrrelevanceBad`/`Whnf`, `typeSingletonRecReduction`,
//! `imax-right-successor`, `large-elim-supplied-rec`, `positivity-whnf`,
//! `proj-non-structure`, `nested-unused-param`, the tutorial's
//! `levelMax*`), and mutual types in one sort.
//! Each rule has an accept and a reject case, built here with the exact
//! recursors Lean's kernel generates, stored under
//! `tests/data/kernel-rules/arena/` as `<rule>.<verdict>.ndjson`
//! (`IX_REGENERATE=1` rewrites them); each must get its verdict, for the
//! expected reason.

mod support;

use ix_lean::*;
use ix_testkit::terms::*;
use std::path::PathBuf;
use support::{accept, env, nat_prelude, reject, verdict};

fn rules_dir() -> PathBuf {
    ix_testkit::data_dir().join("kernel-rules/arena")
}

// ------------------------------------------- simple inductives and recursors

/// A one-type inductive without parameters or indices whose constructors'
/// fields are closed terms (no dependency between fields, no recursion).
struct Simple {
    name: &'static str,
    params: Vec<&'static str>,
    sort: LevelRef,
    ctors: Vec<(&'static str, Vec<ExprRef>)>,
    /// The recursor's elimination universe; `None`: only into `Prop`.
    elim: Option<&'static str>,
    k: bool,
}

impl Simple {
    fn levels(&self) -> Vec<LevelRef> {
        self.params.iter().map(|p| lp(p)).collect()
    }

    fn ind(&self) -> ExprRef {
        cl(self.name, &self.levels())
    }

    fn ctor(&self, c: &str) -> ExprRef {
        cl(&format!("{}.{c}", self.name), &self.levels())
    }

    fn motive_ty(&self) -> ExprRef {
        let target = self.elim.map_or_else(l0, lp);
        pi(self.ind(), sort(target))
    }

    /// Minor `j`: `Π fields, motive (c fields)`, under the motive and `j`
    /// earlier minors.
    fn minor(&self, j: usize) -> ExprRef {
        let (cname, fields) = &self.ctors[j];
        let k = fields.len() as u64;
        let args: Vec<ExprRef> = (0..k).rev().map(bv).collect();
        let body = app(bv(j as u64 + k), &[app(self.ctor(cname), &args)]);
        fields.iter().rev().fold(body, |acc, f| pi(f.clone(), acc))
    }

    fn rec(&self) -> RecursorVal {
        let nminors = self.ctors.len();
        let major = pi(self.ind(), app(bv(nminors as u64 + 1), &[bv(0)]));
        let minors: Vec<ExprRef> = (0..nminors).map(|j| self.minor(j)).collect();
        let ty = pi_implicit(
            self.motive_ty(),
            minors.iter().rev().fold(major, |acc, m| pi(m.clone(), acc)),
        );
        let rules = self
            .ctors
            .iter()
            .enumerate()
            .map(|(j, (cname, fields))| {
                let k = fields.len() as u64;
                let args: Vec<ExprRef> = (0..k).rev().map(bv).collect();
                let call = app(bv(k + (nminors - 1 - j) as u64), &args);
                let with_fields = fields.iter().rev().fold(call, |acc, f| lam(f.clone(), acc));
                let with_minors = minors
                    .iter()
                    .rev()
                    .fold(with_fields, |acc, m| lam(m.clone(), acc));
                rule(
                    &format!("{}.{cname}", self.name),
                    fields.len() as u32,
                    binder(true, BinderInfo::Implicit, self.motive_ty(), with_minors),
                )
            })
            .collect();
        let mut params: Vec<&str> = self.elim.into_iter().collect();
        params.extend(self.params.iter());
        RecursorVal {
            cval: cval(&format!("{}.rec", self.name), &params, ty),
            all: vec![n(self.name)],
            num_params: 0,
            num_indices: 0,
            num_motives: 1,
            num_minors: nminors as u32,
            rules,
            k: self.k,
            is_unsafe: false,
        }
    }

    fn block(&self) -> Declaration {
        let ctors = self
            .ctors
            .iter()
            .enumerate()
            .map(|(i, (cname, fields))| {
                let ty = fields
                    .iter()
                    .rev()
                    .fold(self.ind(), |acc, f| pi(f.clone(), acc));
                let name = format!("{}.{cname}", self.name);
                constructor(
                    &name,
                    &self.params,
                    ty,
                    self.name,
                    i as u32,
                    0,
                    fields.len() as u32,
                )
            })
            .collect();
        Declaration::Inductive(InductiveBlock {
            types: vec![InductiveVal {
                cval: cval(self.name, &self.params, sort(self.sort.clone())),
                num_params: 0,
                num_indices: 0,
                all: vec![n(self.name)],
                ctors: self
                    .ctors
                    .iter()
                    .map(|(c, _)| n(&format!("{}.{c}", self.name)))
                    .collect(),
                num_nested: 0,
                is_rec: false,
                is_unsafe: false,
                is_reflexive: false,
            }],
            ctors,
            recs: vec![self.rec()],
        })
    }
}

/// `inductive False : Prop` (no constructors).
fn false_block() -> Declaration {
    Simple {
        name: "False",
        params: vec![],
        sort: l0(),
        ctors: vec![],
        elim: Some("u"),
        k: false,
    }
    .block()
}

// ------------------------------------------------------------------- cases

/// `inductive I.{u,v} : Sort result | mk : (α : Sort field) → I` with its
/// large recursor.
fn one_sort_field(result: LevelRef, field: LevelRef) -> Environment {
    env(vec![Simple {
        name: "I",
        params: vec!["u", "v"],
        sort: result,
        ctors: vec![("mk", vec![sort(field)])],
        elim: Some("u_1"),
        k: false,
    }
    .block()])
}

/// `inductive B : Sort result | t | f`, eliminating into `Sort u_1` or `Prop`.
fn two_ctors(params: Vec<&'static str>, result: LevelRef, large: bool) -> Environment {
    env(vec![Simple {
        name: "B",
        params,
        sort: result,
        ctors: vec![("t", vec![]), ("f", vec![])],
        elim: large.then_some("u_1"),
        k: false,
    }
    .block()])
}

/// `axiom P : Prop`, `axiom T : Type` and `inductive I.{u} : Sort (imax 1 u)
/// | mk : field → I` with its large recursor.
fn imax_struct(field: ExprRef) -> Environment {
    env(vec![
        axiom("P", &[], sort(l0())),
        axiom("T", &[], sort(l1())),
        Simple {
            name: "I",
            params: vec!["u"],
            sort: imax(l1(), lp("u")),
            ctors: vec![("mk", vec![field])],
            elim: Some("u_1"),
            k: false,
        }
        .block(),
    ])
}

/// `def T.{u,v} : Sort (succ declared) := Sort value`.
fn sort_def(declared: LevelRef, value: LevelRef) -> Environment {
    env(vec![def(
        "T",
        &["u", "v"],
        sort(succ(declared)),
        sort(value),
    )])
}

/// `False`, `boom : False := boom` with the given safety, and `bad : False
/// := boom` (a theorem, or a definition of `user` safety).
fn false_from(boom: DefinitionSafety, user: Option<DefinitionSafety>) -> Environment {
    let f = c("False");
    let bad = match user {
        None => thm("bad", f.clone(), c("boom")),
        Some(s) => def_with("bad", &[], f.clone(), c("boom"), s),
    };
    env(vec![
        false_block(),
        def_with("boom", &[], f.clone(), c("boom"), boom),
        bad,
    ])
}

/// Over Eq: `A : Type`, `a0 : A`, a unit-like type `U`, and `∀ x y : ty,
/// x = y` proved by `rfl` (unit-like eta).
fn unit_eta(indexed: bool) -> Environment {
    let mut decls = nat_prelude();
    decls.push(axiom("A", &[], sort(l1())));
    decls.push(axiom("a0", &[], c("A")));
    let (u, ty) = family_u(indexed, None);
    decls.push(u);
    let eq = app(cl("Eq", &[l1()]), &[ty.clone(), bv(1), bv(0)]);
    let refl = app(cl("Eq.refl", &[l1()]), &[ty.clone(), bv(1)]);
    decls.push(thm(
        "all_equal",
        pi(ty.clone(), pi(ty.clone(), eq)),
        lam(ty.clone(), lam(ty, refl)),
    ));
    env(decls)
}

/// `U` with one constructor `U.mk` (with one field when `field` is given),
/// and the type `U` stands for here: the structure `U : Type`, or, when
/// `indexed`, the family of [`indexed_family`] at `a0`.
fn family_u(indexed: bool, field: Option<ExprRef>) -> (Declaration, ExprRef) {
    if indexed {
        return (indexed_family(field), app(c("U"), &[c("a0")]));
    }
    let u = Simple {
        name: "U",
        params: vec![],
        sort: l1(),
        ctors: vec![("mk", field.into_iter().collect())],
        elim: Some("u"),
        k: false,
    };
    (u.block(), c("U"))
}

/// `inductive U : A → Type | mk : U a0`, or `| mk : field → U a0`, with its
/// recursor.
fn indexed_family(field: Option<ExprRef>) -> Declaration {
    let u_of = |a: ExprRef| app(c("U"), &[a]);
    // {motive : (a : A) → U a → Sort u} → minor → {a : A} → (t : U a) → motive a t
    let motive_ty = pi(c("A"), pi(u_of(bv(0)), sort(lp("u"))));
    let (ctor_ty, minor, rhs_body, num_fields) = match &field {
        None => (u_of(c("a0")), app(bv(0), &[c("a0"), c("U.mk")]), bv(0), 0),
        Some(f) => (
            pi(f.clone(), u_of(c("a0"))),
            pi(f.clone(), app(bv(1), &[c("a0"), app(c("U.mk"), &[bv(0)])])),
            lam(f.clone(), app(bv(1), &[bv(0)])),
            1,
        ),
    };
    let major = pi_implicit(c("A"), pi(u_of(bv(0)), app(bv(3), &[bv(1), bv(0)])));
    let rec_ty = pi_implicit(motive_ty.clone(), pi(minor.clone(), major));
    let rhs = binder(true, BinderInfo::Implicit, motive_ty, lam(minor, rhs_body));
    Declaration::Inductive(InductiveBlock {
        types: vec![inductive("U", &[], pi(c("A"), sort(l1())), 0, 1, &["U.mk"])],
        ctors: vec![constructor("U.mk", &[], ctor_ty, "U", 0, 0, num_fields)],
        recs: vec![recursor(
            "U.rec",
            &["u"],
            rec_ty,
            "U",
            0,
            1,
            vec![rule("U.mk", num_fields, rhs)],
        )],
    })
}

/// The real `List` block (from the arena's `listRecReduction` export).
fn list_block() -> Declaration {
    read_export("vow-lean-kernel/tests/good/tutorial/072_listRecReduction.ndjson")
        .decls
        .into_iter()
        .find(|d| matches!(d, Declaration::Inductive(b) if b.types[0].cval.name == n("List")))
        .expect("List block")
}

/// `inductive Tree | node : List Tree → Tree` with the two recursors Lean
/// generates for the nested occurrence: `Tree.rec` (motive 1, on `Tree`) and
/// `Tree.rec_1` (motive 2, on `List Tree`), each with the minors `node`,
/// `nil`, `cons` (fields, then induction hypotheses).
fn rose_tree(tweak: impl FnOnce(&mut InductiveBlock)) -> Environment {
    let u = || lp("u");
    let z = || vec![l0()];
    let tree = || c("Tree");
    let lt = || app(cl("List", &z()), &[tree()]);
    let m1_ty = pi(tree(), sort(u()));
    let m2_ty = pi(lt(), sort(u()));
    // Under m1, m2.
    let node_ty = pi(
        lt(),
        pi(
            app(bv(1), &[bv(0)]),
            app(bv(3), &[app(c("Tree.node"), &[bv(1)])]),
        ),
    );
    // Under m1, m2, node.
    let nil_ty = app(bv(1), &[app(cl("List.nil", &z()), &[tree()])]);
    // Under m1, m2, node, nil.
    let cons_ty = pi(
        tree(),
        pi(
            lt(),
            pi(
                app(bv(5), &[bv(1)]),
                pi(
                    app(bv(5), &[bv(1)]),
                    app(
                        bv(6),
                        &[app(cl("List.cons", &z()), &[tree(), bv(3), bv(2)])],
                    ),
                ),
            ),
        ),
    );
    // The recursor's motives and minors.
    let binders = [
        (BinderInfo::Implicit, m1_ty),
        (BinderInfo::Implicit, m2_ty),
        (BinderInfo::Default, node_ty),
        (BinderInfo::Default, nil_ty),
        (BinderInfo::Default, cons_ty),
    ];
    let telescope = |lambda: bool, body| ix_testkit::terms::telescope(lambda, &binders, body);
    let rec = |name: &str| cl(name, &[u()]);
    let call = |name: &str, depth: u64, major: u64| {
        let args: Vec<ExprRef> = (0..5).map(|i| bv(depth - i)).chain([bv(major)]).collect();
        app(rec(name), &args)
    };
    let node_rhs = telescope(
        true,
        lam(lt(), app(bv(3), &[bv(0), call("Tree.rec_1", 5, 0)])),
    );
    let nil_rhs = telescope(true, bv(1));
    let cons_rhs = telescope(
        true,
        lam(
            tree(),
            lam(
                lt(),
                app(
                    bv(2),
                    &[
                        bv(1),
                        bv(0),
                        call("Tree.rec", 6, 1),
                        call("Tree.rec_1", 6, 0),
                    ],
                ),
            ),
        ),
    );
    let recursor = |name: &str, major: ExprRef, rules: Vec<RecursorRule>| RecursorVal {
        cval: cval(name, &["u"], telescope(false, major)),
        all: vec![n("Tree")],
        num_params: 0,
        num_indices: 0,
        num_motives: 2,
        num_minors: 3,
        rules,
        k: false,
        is_unsafe: false,
    };
    let mut block = InductiveBlock {
        types: vec![InductiveVal {
            num_nested: 1,
            is_rec: true,
            ..inductive("Tree", &[], sort(l1()), 0, 0, &["Tree.node"])
        }],
        ctors: vec![constructor(
            "Tree.node",
            &[],
            pi(lt(), tree()),
            "Tree",
            0,
            0,
            1,
        )],
        recs: vec![
            recursor(
                "Tree.rec",
                pi(tree(), app(bv(5), &[bv(0)])),
                vec![rule("Tree.node", 1, node_rhs)],
            ),
            recursor(
                "Tree.rec_1",
                pi(lt(), app(bv(4), &[bv(0)])),
                vec![rule("List.nil", 0, nil_rhs), rule("List.cons", 2, cons_rhs)],
            ),
        ],
    };
    tweak(&mut block);
    env(vec![list_block(), Declaration::Inductive(block)])
}

/// `B` (two constructors) plus a recursor for a type that is not in the block.
fn orphan_rec_for_other_type() -> Environment {
    let simple = Simple {
        name: "B",
        params: vec![],
        sort: l1(),
        ctors: vec![("t", vec![]), ("f", vec![])],
        elim: Some("u"),
        k: false,
    };
    let mut block = simple.block();
    if let Declaration::Inductive(b) = &mut block {
        let mut orphan = simple.rec();
        orphan.cval.name = n("C.rec");
        orphan.all = vec![n("C")];
        b.recs.push(orphan);
    }
    env(vec![block])
}

// ------------------------------------- propositions whose sort gets stuck

fn bool_block() -> Declaration {
    Simple {
        name: "Bool",
        params: vec![],
        sort: l1(),
        ctors: vec![("false", vec![]), ("true", vec![])],
        elim: Some("u"),
        k: false,
    }
    .block()
}

/// `inductive T : Prop | intro : T → T`: a proposition with large
/// elimination (like `Acc`) whose recursor reduces only on `T.intro`.
fn t_block() -> Declaration {
    let u = || sort(lp("u"));
    let motive_ty = pi(c("T"), u());
    // Under the motive: (a : T) → motive a → motive (T.intro a).
    let minor = pi(
        c("T"),
        pi(
            app(bv(1), &[bv(0)]),
            app(bv(2), &[app(c("T.intro"), &[bv(1)])]),
        ),
    );
    let rec_ty = pi_implicit(
        motive_ty.clone(),
        pi(minor.clone(), pi(c("T"), app(bv(2), &[bv(0)]))),
    );
    let ih = app(cl("T.rec", &[lp("u")]), &[bv(2), bv(1), bv(0)]);
    let rhs = binder(
        true,
        BinderInfo::Implicit,
        motive_ty,
        lam(minor, lam(c("T"), app(bv(1), &[bv(0), ih]))),
    );
    Declaration::Inductive(InductiveBlock {
        types: vec![InductiveVal {
            is_rec: true,
            ..inductive("T", &[], sort(l0()), 0, 0, &["T.intro"])
        }],
        ctors: vec![constructor(
            "T.intro",
            &[],
            pi(c("T"), c("T")),
            "T",
            0,
            0,
            1,
        )],
        recs: vec![recursor(
            "T.rec",
            &["u"],
            rec_ty,
            "T",
            0,
            0,
            vec![rule("T.intro", 1, rhs)],
        )],
    })
}

/// Definitional equality that is not transitive (proof irrelevance on a
/// large-eliminating proposition), and a type family that is `Prop` for a
/// variable but has a stuck sort for a particular argument:
///
/// - `run x h := T.rec (fun _ => Bool → Bool) step h x` with
///   `step _ ih y := if y then ih false else false`; `seed : T` an axiom;
/// - `a := run true seed`, `b := run true (T.intro seed)`, `c := run false seed`:
///   `a ≡ b` (proof irrelevance on `seed`), `b ≡ c` (iota), `a ≢ c`;
/// - `P := a = b`, `Q := a = c` (so `P ≡ Q`), `w : Q` an axiom;
/// - `gate h := Eq.rec (motive := fun _ _ => Type) Prop h` for `h : P`, which
///   K-reduces to `Prop` for a variable `h` (that needs `b ≡ a`) but is stuck
///   for `w` (that needs `c ≡ a`).
///
/// Then `Owner : (h : P) → sort h | mk : Bool → Owner h`, where `sort h` is
/// `gate h` (a family of propositions with a data field) or, when `in_type`,
/// `Type`. `Owner w` is well typed; in `Prop` its sort is stuck.
fn stuck_sort_prelude(in_type: bool) -> Vec<Declaration> {
    let bool_ = || c("Bool");
    let bb = || pi(bool_(), bool_());
    let mut decls = nat_prelude();
    decls.push(bool_block());
    decls.push(t_block());
    decls.push(axiom("seed", &[], c("T")));
    // step : T → (Bool → Bool) → Bool → Bool
    let step_body = app(
        cl("Bool.rec", &[l1()]),
        &[
            lam(bool_(), bool_()),
            c("Bool.false"),
            app(bv(1), &[c("Bool.false")]),
            bv(0),
        ],
    );
    decls.push(def(
        "step",
        &[],
        pi(c("T"), pi(bb(), bb())),
        lam(c("T"), lam(bb(), lam(bool_(), step_body))),
    ));
    // run : Bool → T → Bool
    let run_body = app(
        cl("T.rec", &[l1()]),
        &[lam(c("T"), bb()), c("step"), bv(0), bv(1)],
    );
    decls.push(def(
        "run",
        &[],
        pi(bool_(), pi(c("T"), bool_())),
        lam(bool_(), lam(c("T"), run_body)),
    ));
    let run = |x: &str, h: ExprRef| app(c("run"), &[c(x), h]);
    decls.push(def("a", &[], bool_(), run("Bool.true", c("seed"))));
    decls.push(def(
        "b",
        &[],
        bool_(),
        run("Bool.true", app(c("T.intro"), &[c("seed")])),
    ));
    decls.push(def("c", &[], bool_(), run("Bool.false", c("seed"))));
    decls.push(def("P", &[], sort(l0()), eq(bool_(), c("a"), c("b"))));
    decls.push(def("Q", &[], sort(l0()), eq(bool_(), c("a"), c("c"))));
    decls.push(axiom("w", &[], c("Q")));
    // gate : P → Type := fun h => @Eq.rec Bool a (fun _ _ => Type) Prop b h
    let motive = lam(bool_(), lam(eq(bool_(), c("a"), bv(0)), sort(l1())));
    let gate_body = app(
        cl("Eq.rec", &[succ(l1()), l1()]),
        &[bool_(), c("a"), motive, sort(l0()), c("b"), bv(0)],
    );
    decls.push(def(
        "gate",
        &[],
        pi(c("P"), sort(l1())),
        lam(c("P"), gate_body),
    ));
    decls.push(owner_block(in_type));
    decls
}

/// `inductive Owner : (h : P) → gate h | mk : (h : P) → Bool → Owner h`
/// (or `→ Type` when `in_type`), with its recursor: into `Prop` only for the
/// propositions (a data field), into any sort for the types.
fn owner_block(in_type: bool) -> Declaration {
    let (elim_sort, rec_params): (ExprRef, &[&str]) = if in_type {
        (sort(lp("u")), &["u"])
    } else {
        (sort(l0()), &[])
    };
    let result = if in_type {
        sort(l1())
    } else {
        app(c("gate"), &[bv(0)])
    };
    let owner = |h: ExprRef| app(c("Owner"), &[h]);
    // Under h.
    let motive_ty = pi(owner(bv(0)), elim_sort);
    // Under h, motive.
    let minor = pi(
        c("Bool"),
        app(bv(1), &[app(c("Owner.mk"), &[bv(2), bv(0)])]),
    );
    let rec_ty = pi_implicit(
        c("P"),
        pi_implicit(
            motive_ty.clone(),
            pi(minor.clone(), pi(owner(bv(2)), app(bv(2), &[bv(0)]))),
        ),
    );
    let rhs = lam(
        c("P"),
        lam(motive_ty, lam(minor, lam(c("Bool"), app(bv(1), &[bv(0)])))),
    );
    Declaration::Inductive(InductiveBlock {
        types: vec![inductive(
            "Owner",
            &[],
            pi(c("P"), result),
            1,
            0,
            &["Owner.mk"],
        )],
        ctors: vec![constructor(
            "Owner.mk",
            &[],
            pi(c("P"), pi(c("Bool"), owner(bv(1)))),
            "Owner",
            0,
            1,
            1,
        )],
        recs: vec![recursor(
            "Owner.rec",
            rec_params,
            rec_ty,
            "Owner",
            1,
            0,
            vec![rule("Owner.mk", 1, rhs)],
        )],
    })
}

/// `asSort h := Owner h`, checked for a variable `h : P` (so, for the
/// propositions, `asSort : P → Prop`).
fn as_sort(in_type: bool) -> Declaration {
    let s = if in_type { l1() } else { l0() };
    def(
        "asSort",
        &[],
        pi(c("P"), sort(s)),
        lam(c("P"), app(c("Owner"), &[bv(0)])),
    )
}

/// `carrier := asSort w` (a genuine `Prop` for the propositions: its type
/// is checked as `Prop`) and `observe : carrier → Bool := fun x => x.1`: the
/// structure type unfolds to the substituted instance `Owner w`, whose sort
/// is stuck.
fn proj_of_subst(in_type: bool) -> Environment {
    let mut decls = stuck_sort_prelude(in_type);
    decls.push(as_sort(in_type));
    let s = if in_type { l1() } else { l0() };
    decls.push(def("carrier", &[], sort(s), app(c("asSort"), &[c("w")])));
    decls.push(def(
        "observe",
        &[],
        pi(c("carrier"), c("Bool")),
        lam(c("carrier"), proj("Owner", 0, bv(0))),
    ));
    env(decls)
}

/// `observe : (q : Q) → asSort q → Bool := fun q x => x.1`: under a
/// variable `q : Q`, the structure type `Owner q` has a stuck sort.
fn proj_of_stuck(in_type: bool) -> Environment {
    let mut decls = stuck_sort_prelude(in_type);
    decls.push(as_sort(in_type));
    let x_ty = app(c("asSort"), &[bv(0)]);
    decls.push(def(
        "observe",
        &[],
        pi(c("Q"), pi(x_ty.clone(), c("Bool"))),
        lam(c("Q"), lam(x_ty, proj("Owner", 0, bv(0)))),
    ));
    env(decls)
}

/// With `carrier := asSort w`: `∀ p : carrier, run true (Owner.rec (motive
/// := fun _ => T) (fun _ => T.intro seed) p) = c := fun _ => rfl`, which
/// holds only if the recursor reduces on the variable `p` by structure eta,
/// i.e. by rewriting `p` to `Owner.mk w p.1`: for the propositions, a data
/// projection out of a proof.
fn rec_of_subst(in_type: bool) -> Environment {
    let mut decls = stuck_sort_prelude(in_type);
    decls.push(as_sort(in_type));
    let s = if in_type { l1() } else { l0() };
    decls.push(def("carrier", &[], sort(s), app(c("asSort"), &[c("w")])));
    let levels = if in_type { vec![l0()] } else { vec![] };
    let elim = app(
        cl("Owner.rec", &levels),
        &[
            c("w"),
            lam(c("carrier"), c("T")),
            lam(c("Bool"), app(c("T.intro"), &[c("seed")])),
            bv(0),
        ],
    );
    let lhs = app(c("run"), &[c("Bool.true"), elim]);
    decls.push(thm(
        "rec_eta",
        pi(c("carrier"), eq(c("Bool"), lhs, c("c"))),
        lam(c("carrier"), refl(c("Bool"), c("c"))),
    ));
    env(decls)
}

/// The mutual block `D : Sort level | intro : D` and `W : Sort level' |
/// mk : Bool → W` with its recursors (into `Prop` only, for a mutual block
/// of propositions), and `bad : Bool := (W.mk true).1`. In a block of
/// propositions the field universes are unconstrained; the first type's
/// sort is literally `Prop`, `W`'s is `Prop` only up to normalisation.
fn imax_proj(d_level: LevelRef, w_level: LevelRef, large: bool) -> Environment {
    let (elim, rec_params): (LevelRef, &[&str]) = if large {
        (lp("u"), &["u"])
    } else {
        (l0(), &[])
    };
    let md_ty = pi(c("D"), sort(elim.clone()));
    // Under mD.
    let mw_ty = pi(c("W"), sort(elim));
    // Under mD, mW.
    let intro = app(bv(1), &[c("D.intro")]);
    // Under mD, mW, intro.
    let mk = pi(c("Bool"), app(bv(2), &[app(c("W.mk"), &[bv(0)])]));
    // The recursor's motives and minors.
    let binders = [
        (BinderInfo::Implicit, md_ty),
        (BinderInfo::Implicit, mw_ty),
        (BinderInfo::Default, intro),
        (BinderInfo::Default, mk),
    ];
    let telescope = |lambda: bool, body| ix_testkit::terms::telescope(lambda, &binders, body);
    let recursor = |ty: &str, motive: u64, rule: RecursorRule| RecursorVal {
        cval: cval(
            &format!("{ty}.rec"),
            rec_params,
            telescope(false, pi(c(ty), app(bv(motive), &[bv(0)]))),
        ),
        all: vec![n("D"), n("W")],
        num_params: 0,
        num_indices: 0,
        num_motives: 2,
        num_minors: 2,
        rules: vec![rule],
        k: false,
        is_unsafe: false,
    };
    let ty = |name: &str, level: LevelRef, ctor: &str| InductiveVal {
        cval: cval(name, &[], sort(level)),
        num_params: 0,
        num_indices: 0,
        all: vec![n("D"), n("W")],
        ctors: vec![n(ctor)],
        num_nested: 0,
        is_rec: false,
        is_unsafe: false,
        is_reflexive: false,
    };
    let ctor = |name: &str, induct: &str, ty: ExprRef, num_fields: u32| {
        constructor(name, &[], ty, induct, 0, 0, num_fields)
    };
    let block = InductiveBlock {
        types: vec![ty("D", d_level, "D.intro"), ty("W", w_level, "W.mk")],
        ctors: vec![
            ctor("D.intro", "D", c("D"), 0),
            ctor("W.mk", "W", pi(c("Bool"), c("W")), 1),
        ],
        recs: vec![
            recursor("D", 4, rule("D.intro", 0, telescope(true, bv(1)))),
            recursor(
                "W",
                3,
                rule(
                    "W.mk",
                    1,
                    telescope(true, lam(c("Bool"), app(bv(1), &[bv(0)]))),
                ),
            ),
        ],
    };
    env(vec![
        bool_block(),
        Declaration::Inductive(block),
        def(
            "bad",
            &[],
            c("Bool"),
            proj("W", 0, app(c("W.mk"), &[c("Bool.true")])),
        ),
    ])
}

/// Over Eq: `A : Type`, `a0 : A`, a one-field type `U` (with `U.mk : A →
/// U a0` when `indexed`), `get x` its field through the recursor, and
/// `∀ x, x = U.mk (get x)` proved by `rfl` (structure eta).
fn struct_eta(indexed: bool) -> Environment {
    let mut decls = nat_prelude();
    decls.push(axiom("A", &[], sort(l1())));
    decls.push(axiom("a0", &[], c("A")));
    let id_a = lam(c("A"), bv(0));
    let (u, ty) = family_u(indexed, Some(c("A")));
    decls.push(u);
    let get_body = if indexed {
        let motive = lam(c("A"), lam(app(c("U"), &[bv(0)]), c("A")));
        app(cl("U.rec", &[l1()]), &[motive, id_a, c("a0"), bv(0)])
    } else {
        app(cl("U.rec", &[l1()]), &[lam(c("U"), c("A")), id_a, bv(0)])
    };
    decls.push(def(
        "get",
        &[],
        pi(ty.clone(), c("A")),
        lam(ty.clone(), get_body),
    ));
    let expanded = app(c("U.mk"), &[app(c("get"), &[bv(0)])]);
    decls.push(thm(
        "eta",
        pi(ty.clone(), eq(ty.clone(), bv(0), expanded)),
        lam(ty.clone(), refl(ty, bv(0))),
    ));
    env(decls)
}

/// `_nested.KNHost_1 : Prop := True` (only inductive declarations are
/// barred from the reserved prefix), `KNHost : Prop := True`, and
/// `inductive KNAux : Prop | mk : field → KNAux`.
fn nested_aux_name(field: &str) -> Environment {
    let prop = || sort(l0());
    env(vec![
        Simple {
            name: "True",
            params: vec![],
            sort: l0(),
            ctors: vec![("intro", vec![])],
            elim: Some("u"),
            k: true,
        }
        .block(),
        def("_nested.KNHost_1", &[], prop(), c("True")),
        def("KNHost", &[], prop(), c("True")),
        Simple {
            name: "KNAux",
            params: vec![],
            sort: l0(),
            ctors: vec![("mk", vec![c(field)])],
            elim: Some("u"),
            k: false,
        }
        .block(),
    ])
}

/// Over Eq and Bool: `T := (y : Bool) → @Eq (Bool → Bool) id (fun _ => y) →
/// Bool` (or, when `matching`, `@Eq (Bool → Bool) id id → Bool`), `t1 :=
/// fun y h => Eq.rec (motive := fun _ _ => Bool) false h`, `t2 := fun y h
/// => false`, and `t1 = t2` by `rfl`: it holds only by the K rule, which
/// applies when the major premise's type is that of `Eq.refl id`.
fn k_rec_conv(matching: bool) -> Environment {
    let mut decls = nat_prelude();
    decls.push(bool_block());
    let b = || c("Bool");
    let bb = || pi(b(), b());
    let id = || lam(b(), bv(0));
    // Under y (when not matching): the right-hand side of the equation.
    let rhs = |depth: u64| {
        if matching {
            id()
        } else {
            lam(b(), bv(depth + 1))
        }
    };
    let eq_ty = |depth: u64| eq(bb(), id(), rhs(depth));
    let wrap = |body: ExprRef, lambda: bool| {
        let inner = binder(lambda, BinderInfo::Default, eq_ty(0), body);
        if matching {
            inner
        } else {
            binder(lambda, BinderInfo::Default, b(), inner)
        }
    };
    decls.push(def("T", &[], sort(l1()), wrap(b(), false)));
    let motive = lam(bb(), lam(eq(bb(), id(), bv(0)), b()));
    let elim = app(
        cl("Eq.rec", &[l1(), l1()]),
        &[bb(), id(), motive, c("Bool.false"), rhs(1), bv(0)],
    );
    decls.push(def("t1", &[], c("T"), wrap(elim, true)));
    decls.push(def("t2", &[], c("T"), wrap(c("Bool.false"), true)));
    decls.push(thm(
        "t1_eq_t2",
        eq(c("T"), c("t1"), c("t2")),
        refl(c("T"), c("t1")),
    ));
    env(decls)
}

// ------------------------------- arena cases KERNEL.md cites by name only

/// `axiom P : Prop`, `axiom p : P` and `theorem selfProof : P := value`.
fn self_proof(value: ExprRef) -> Environment {
    env(vec![
        axiom("P", &[], sort(l0())),
        axiom("p", &[], c("P")),
        thm("selfProof", c("P"), value),
    ])
}

/// `axiom T : Type`, `axiom t : T` and `axiom nonTypeAxiom : ty`.
fn non_type_axiom(ty: &str) -> Environment {
    env(vec![
        axiom("T", &[], sort(l1())),
        axiom("t", &[], c("T")),
        axiom("nonTypeAxiom", &[], c(ty)),
    ])
}

/// Over Eq: `X : Sort level` (or `X : S` with `def S := Sort level` when
/// `aliased`), `x y : X`, and `x = y` by `rfl`: it holds by proof
/// irrelevance exactly when `X` is a proposition, which for the alias needs
/// the sort of `X`'s type put in whnf.
fn irrelevance(level: LevelRef, aliased: bool) -> Environment {
    let mut decls = nat_prelude();
    let x_sort = if aliased {
        decls.push(def(
            "S",
            &[],
            sort(succ(level.clone())),
            sort(level.clone()),
        ));
        c("S")
    } else {
        sort(level.clone())
    };
    decls.extend([
        axiom("X", &[], x_sort),
        axiom("x", &[], c("X")),
        axiom("y", &[], c("X")),
    ]);
    let claim = app(
        cl("Eq", std::slice::from_ref(&level)),
        &[c("X"), c("x"), c("y")],
    );
    let proof = app(cl("Eq.refl", &[level]), &[c("X"), c("x")]);
    decls.push(thm("irrelevant", claim, proof));
    env(decls)
}

/// Over Eq: `B : Type`, `b : B`, `inductive U : Type` with the given
/// nullary constructors, and `∀ x : U, U.rec (motive := fun _ => B) b … b x
/// = b` by `rfl`: iota reduces on the variable `x` only by structure eta,
/// so only when `U` has one constructor (a singleton in `Type`, where K
/// does not apply).
fn singleton_rec_reduction(ctors: Vec<&'static str>) -> Environment {
    let mut decls = nat_prelude();
    decls.push(axiom("B", &[], sort(l1())));
    decls.push(axiom("b", &[], c("B")));
    let minors = ctors.len();
    decls.push(
        Simple {
            name: "U",
            params: vec![],
            sort: l1(),
            ctors: ctors.into_iter().map(|k| (k, vec![])).collect(),
            elim: Some("u"),
            k: false,
        }
        .block(),
    );
    let mut args = vec![lam(c("U"), c("B"))];
    args.extend(std::iter::repeat_n(c("b"), minors));
    args.push(bv(0));
    let reduced = app(cl("U.rec", &[l1()]), &args);
    decls.push(thm(
        "rec_on_variable",
        pi(c("U"), eq(c("B"), reduced, c("b"))),
        lam(c("U"), refl(c("B"), c("b"))),
    ));
    env(decls)
}

/// `axiom P : Prop`, `axiom T : Type` and `inductive Ex : Prop | intro :
/// field → Ex` with a supplied recursor into any `Sort u`.
fn supplied_large_rec(field: ExprRef) -> Environment {
    env(vec![
        axiom("P", &[], sort(l0())),
        axiom("T", &[], sort(l1())),
        Simple {
            name: "Ex",
            params: vec![],
            sort: l0(),
            ctors: vec![("intro", vec![field])],
            elim: Some("u"),
            k: false,
        }
        .block(),
    ])
}

/// `axiom A : Type`, `def Ignore (X : Type) : Type := A` and `inductive T
/// | mk : field → T`. Positivity puts a field's type in whnf, but looks
/// at the domains of the resulting Pi as they are. `isRec` is syntactic
/// (the field mentions `T`), though no field is recursive after whnf.
fn positivity_whnf(field: ExprRef) -> Environment {
    let ty = || sort(l1());
    let mut block = Simple {
        name: "T",
        params: vec![],
        sort: l1(),
        ctors: vec![("mk", vec![field])],
        elim: Some("u"),
        k: false,
    }
    .block();
    if let Declaration::Inductive(b) = &mut block {
        b.types[0].is_rec = true;
    }
    env(vec![
        axiom("A", &[], ty()),
        def("Ignore", &[], pi(ty(), ty()), lam(ty(), c("A"))),
        block,
    ])
}

fn ignore_t() -> ExprRef {
    app(c("Ignore"), &[c("T")])
}

/// `A : Type`, `a0 : A`, a one-field type `U` (the family `U : A → Type`
/// with `U.mk : A → U a0` when `indexed`) and `first : ty → A := fun x =>
/// x.1`: only structures (one constructor, no indices) have projections.
fn proj_first(indexed: bool) -> Environment {
    let mut decls = vec![axiom("A", &[], sort(l1())), axiom("a0", &[], c("A"))];
    let (u, ty) = family_u(indexed, Some(c("A")));
    decls.push(u);
    decls.push(def(
        "first",
        &[],
        pi(ty.clone(), c("A")),
        lam(ty, proj("U", 0, bv(0))),
    ));
    env(decls)
}

/// `def T.{u,v,w} : Sort (succ declared) := Sort value`, for each pair:
/// accepted exactly when every `value` equals its `declared` level.
fn level_laws(pairs: Vec<(LevelRef, LevelRef)>) -> Environment {
    env(pairs
        .into_iter()
        .enumerate()
        .map(|(i, (declared, value))| {
            def(
                &format!("T{i}"),
                &["u", "v", "w"],
                sort(succ(declared)),
                sort(value),
            )
        })
        .collect())
}

/// `inductive Box (α : Type) (b : Bool) : Type | mk : α → Box α b` with its
/// recursor: the parameter `b` appears in no constructor field.
fn box_block() -> Declaration {
    let ty1 = || sort(l1());
    let boxed = |a: ExprRef, b: ExprRef| app(c("Box"), &[a, b]);
    let implicit =
        |lambda: bool, ty: ExprRef, body: ExprRef| binder(lambda, BinderInfo::Implicit, ty, body);
    // Under α, b.
    let motive_ty = pi(boxed(bv(1), bv(0)), sort(lp("u")));
    // Under α, b, motive.
    let minor = pi(
        bv(2),
        app(bv(1), &[app(c("Box.mk"), &[bv(3), bv(2), bv(0)])]),
    );
    let major = pi(boxed(bv(3), bv(2)), app(bv(2), &[bv(0)]));
    // The recursor's motives and minors.
    let binders = [
        (BinderInfo::Implicit, ty1()),
        (BinderInfo::Implicit, c("Bool")),
        (BinderInfo::Implicit, motive_ty),
        (BinderInfo::Default, minor),
    ];
    let telescope = |lambda: bool, body| ix_testkit::terms::telescope(lambda, &binders, body);
    let ctor_ty = implicit(
        false,
        ty1(),
        implicit(false, c("Bool"), pi(bv(1), boxed(bv(2), bv(1)))),
    );
    Declaration::Inductive(InductiveBlock {
        types: vec![inductive(
            "Box",
            &[],
            pi(ty1(), pi(c("Bool"), ty1())),
            2,
            0,
            &["Box.mk"],
        )],
        ctors: vec![constructor("Box.mk", &[], ctor_ty, "Box", 0, 2, 1)],
        recs: vec![recursor(
            "Box.rec",
            &["u"],
            telescope(false, major),
            "Box",
            2,
            0,
            vec![rule(
                "Box.mk",
                1,
                telescope(true, lam(bv(3), app(bv(1), &[bv(0)]))),
            )],
        )],
    })
}

/// `inductive T | mk : Box T arg → T` with the two recursors Lean
/// generates for the nested occurrence (`T.rec` on `T`, `T.rec_1` on
/// `Box T arg`). The auxiliary type that replaces `Box T arg` has no
/// trace of `arg`, so `arg` must be type-checked on its own.
fn box_tree(arg: ExprRef) -> Environment {
    let u = || lp("u");
    let t = || c("T");
    let lb = || app(c("Box"), &[t(), arg.clone()]);
    let m1_ty = pi(t(), sort(u()));
    let m2_ty = pi(lb(), sort(u()));
    // Under m1, m2.
    let mk_ty = pi(
        lb(),
        pi(
            app(bv(1), &[bv(0)]),
            app(bv(3), &[app(c("T.mk"), &[bv(1)])]),
        ),
    );
    // Under m1, m2, mk.
    let box_mk_ty = pi(
        t(),
        pi(
            app(bv(3), &[bv(0)]),
            app(bv(3), &[app(c("Box.mk"), &[t(), arg.clone(), bv(1)])]),
        ),
    );
    // The recursor's motives and minors.
    let binders = [
        (BinderInfo::Implicit, m1_ty),
        (BinderInfo::Implicit, m2_ty),
        (BinderInfo::Default, mk_ty),
        (BinderInfo::Default, box_mk_ty),
    ];
    let telescope = |lambda: bool, body| ix_testkit::terms::telescope(lambda, &binders, body);
    let call = |name: &str, major: u64| {
        let args: Vec<ExprRef> = (1..5).rev().map(bv).chain([bv(major)]).collect();
        app(cl(name, &[u()]), &args)
    };
    let recursor = |name: &str, major: ExprRef, rule: RecursorRule| RecursorVal {
        num_motives: 2,
        num_minors: 2,
        ..recursor(name, &["u"], telescope(false, major), "T", 0, 0, vec![rule])
    };
    let block = InductiveBlock {
        types: vec![InductiveVal {
            num_nested: 1,
            is_rec: true,
            ..inductive("T", &[], sort(l1()), 0, 0, &["T.mk"])
        }],
        ctors: vec![constructor("T.mk", &[], pi(lb(), t()), "T", 0, 0, 1)],
        recs: vec![
            recursor(
                "T.rec",
                pi(t(), app(bv(4), &[bv(0)])),
                rule(
                    "T.mk",
                    1,
                    telescope(true, lam(lb(), app(bv(2), &[bv(0), call("T.rec_1", 0)]))),
                ),
            ),
            recursor(
                "T.rec_1",
                pi(lb(), app(bv(3), &[bv(0)])),
                rule(
                    "Box.mk",
                    1,
                    telescope(true, lam(t(), app(bv(1), &[bv(0), call("T.rec", 0)]))),
                ),
            ),
        ],
    };
    env(vec![
        bool_block(),
        box_block(),
        Declaration::Inductive(block),
    ])
}

/// The cases, each stored as `<rule>.<verdict>.ndjson`.
fn cases() -> Vec<support::Case> {
    let (u, v, w) = (lp("u"), lp("v"), lp("w"));
    vec![
        // A field in `Sort (max u v)` does not fit `Sort (imax u v + 1)`
        // (v = 0, u = 1): the offset over the imax must be kept.
        reject(
            "level-imax-leq",
            "universe",
            one_sort_field(succ(imax(u.clone(), v.clone())), max(u.clone(), v.clone())),
        ),
        accept(
            "level-imax-leq",
            one_sort_field(succ(max(u.clone(), v.clone())), imax(u.clone(), v.clone())),
        ),
        // imax u (v+1) is max u (v+1); imax u v is not max u v.
        accept(
            "level-imax-normalization",
            sort_def(
                max(u.clone(), succ(v.clone())),
                imax(u.clone(), succ(v.clone())),
            ),
        ),
        reject(
            "level-imax-normalization",
            "declared with type",
            sort_def(max(u.clone(), v.clone()), imax(u.clone(), v.clone())),
        ),
        reject(
            "level-imax-normalization-offset",
            "declared with type",
            sort_def(
                max(succ(u.clone()), succ(v.clone())),
                succ(imax(u.clone(), v.clone())),
            ),
        ),
        // `Sort (imax 1 0)` is `Prop`: two constructors eliminate only into Prop.
        reject(
            "large-elim-imax-prop",
            "recursor",
            two_ctors(vec![], imax(l1(), l0()), true),
        ),
        accept(
            "large-elim-imax-prop",
            two_ctors(vec![], imax(l1(), l0()), false),
        ),
        // `Prop` itself: a Bool-like proposition's recursor may not
        // eliminate into `Sort u` (whatever the exporter claims).
        reject(
            "large-elim-prop-bool",
            "recursor",
            two_ctors(vec![], l0(), true),
        ),
        accept("large-elim-prop-bool", two_ctors(vec![], l0(), false)),
        // `Sort u` may be `Prop` (u = 0): likewise.
        reject(
            "large-elim-param",
            "recursor",
            two_ctors(vec!["u"], u.clone(), true),
        ),
        accept("large-elim-param", two_ctors(vec!["u"], u.clone(), false)),
        // `Sort (imax 1 u)` is not syntactically Prop: a `Type` field is too
        // big for it (u = 1); a proof field is fine (and allows large
        // elimination).
        reject("field-too-high-imax", "universe", imax_struct(sort(l1()))),
        accept("field-too-high-imax", imax_struct(c("P"))),
        // A definition may not mention itself.
        reject(
            "definition-self-reference",
            "not declared before",
            env(vec![
                axiom("T", &[], sort(l1())),
                def("f", &[], c("T"), c("f")),
            ]),
        ),
        accept(
            "definition-self-reference",
            env(vec![
                axiom("T", &[], sort(l1())),
                axiom("t", &[], c("T")),
                def("f", &[], c("T"), c("t")),
            ]),
        ),
        // An unsafe (or partial) looping definition proves False, but only
        // unsafe (or partial) declarations may use it.
        reject(
            "falseFromUnsafe",
            "unsafe",
            false_from(DefinitionSafety::Unsafe, None),
        ),
        accept(
            "falseFromUnsafe",
            false_from(DefinitionSafety::Unsafe, Some(DefinitionSafety::Unsafe)),
        ),
        reject(
            "falseFromPartial",
            "partial",
            false_from(DefinitionSafety::Partial, None),
        ),
        accept(
            "falseFromPartial",
            false_from(DefinitionSafety::Partial, Some(DefinitionSafety::Partial)),
        ),
        // A constant takes exactly its number of universe arguments, in
        // values too.
        reject(
            "constlevels",
            "universe arguments",
            env(vec![
                axiom("A", &["u"], sort(lp("u"))),
                def("b", &[], sort(l1()), cl("A", &[l1(), l1()])),
            ]),
        ),
        accept(
            "constlevels",
            env(vec![
                axiom("A", &["u"], sort(lp("u"))),
                def("b", &[], sort(l1()), cl("A", &[l1()])),
            ]),
        ),
        // Unit-like eta needs a type without indices.
        reject("indexedUnitEta", "declared with type", unit_eta(true)),
        accept("indexedUnitEta", unit_eta(false)),
        // A nested inductive (a rose tree over List) with Lean's recursors.
        accept("nested-rose-tree", rose_tree(|_| {})),
        reject(
            "nested-rose-tree-missing-rec_1",
            "missing",
            rose_tree(|b| {
                b.recs.pop();
            }),
        ),
        reject(
            "nested-rose-tree-wrong-ih",
            "differs",
            rose_tree(|b| {
                // The `cons` rule calls `Tree.rec_1` on the head.
                let good = b.recs[1].rules[1].rhs.clone();
                b.recs[1].rules[1].rhs = swap_rec_names(&good);
            }),
        ),
        // A recursor for a type outside the block.
        reject(
            "rec-orphan-bad-ind",
            "does not belong",
            orphan_rec_for_other_type(),
        ),
        // Iota may not eta-expand a proof into its constructor, even when the
        // sort of its type is stuck: `carrier : Prop` unfolds to `Owner w`,
        // whose sort does not reduce.
        reject(
            "rec-of-subst-prop",
            "declared with type",
            rec_of_subst(false),
        ),
        accept("rec-of-subst-prop", rec_of_subst(true)),
        // Nor may a data field be projected out of such a proof, reached
        // through a closed alias or under a variable.
        reject(
            "proj-of-subst-prop",
            "projecting data out of a proposition",
            proj_of_subst(false),
        ),
        accept("proj-of-subst-prop", proj_of_subst(true)),
        reject(
            "proj-of-stuck-prop",
            "projecting data out of a proposition",
            proj_of_stuck(false),
        ),
        accept("proj-of-stuck-prop", proj_of_stuck(true)),
        // A proposition is a proposition however its sort is spelled: data
        // fields may not be projected out of `Sort (imax 1 0)`.
        reject(
            "proj-of-imax-prop",
            "projecting data out of a proposition",
            imax_proj(l0(), imax(l1(), l0()), false),
        ),
        accept("proj-of-imax-prop", imax_proj(l1(), imax(l0(), l1()), true)),
        // Structure eta needs a type without indices.
        reject("indexedStructEta", "declared with type", struct_eta(true)),
        accept("indexedStructEta", struct_eta(false)),
        // An inductive may not mention a constant under the prefix of the
        // kernel's auxiliary types (other declarations may use it).
        reject(
            "nested-aux-name",
            "reserved prefix",
            nested_aux_name("_nested.KNHost_1"),
        ),
        accept("nested-aux-name", nested_aux_name("KNHost")),
        // The K rule needs the major premise's indices to match the
        // constructor's: `fun _ => y` is not `id`.
        reject("k-rec-conv", "declared with type", k_rec_conv(false)),
        accept("k-rec-conv", k_rec_conv(true)),
        // A theorem may not prove itself (tutorial `selfProof`).
        reject(
            "selfProof",
            "not declared before",
            self_proof(c("selfProof")),
        ),
        accept("selfProof", self_proof(c("p"))),
        // An axiom's type must be a type (tutorial `nonTypeAxiom`).
        reject("nonTypeAxiom", "type expected", non_type_axiom("t")),
        accept("nonTypeAxiom", non_type_axiom("T")),
        // Proof irrelevance holds for proofs only (`proofIrrelevanceBad`),
        // and sees a proposition through a sort alias (`proofIrrelevanceWhnf`).
        reject(
            "proofIrrelevanceBad",
            "declared with type",
            irrelevance(l1(), false),
        ),
        accept("proofIrrelevanceBad", irrelevance(l0(), false)),
        accept("proofIrrelevanceWhnf", irrelevance(l0(), true)),
        reject(
            "proofIrrelevanceWhnf",
            "declared with type",
            irrelevance(l1(), true),
        ),
        // A recursor on a variable of a one-constructor `Type` reduces by
        // structure eta; with two constructors it is stuck.
        accept(
            "typeSingletonRecReduction",
            singleton_rec_reduction(vec!["star"]),
        ),
        reject(
            "typeSingletonRecReduction",
            "declared with type",
            singleton_rec_reduction(vec!["s", "t"]),
        ),
        // `imax u (v+1)` is never zero, so large elimination is allowed;
        // `imax (u+1) v` is zero for v = 0.
        accept(
            "imax-right-successor",
            two_ctors(vec!["u", "v"], imax(u.clone(), succ(v.clone())), true),
        ),
        reject(
            "imax-right-successor",
            "recursor",
            two_ctors(vec!["u", "v"], imax(succ(u.clone()), v.clone()), true),
        ),
        // A supplied large recursor for a proposition with a data field is
        // not the one the kernel generates; with a proof field it is.
        reject(
            "large-elim-supplied-rec",
            "recursor",
            supplied_large_rec(c("T")),
        ),
        accept("large-elim-supplied-rec", supplied_large_rec(c("P"))),
        // `Ignore T` whnfs to `A` (no occurrence); in `Ignore T → A` the
        // domain mentions `T` before any reduction.
        accept("positivity-whnf", positivity_whnf(ignore_t())),
        reject(
            "positivity-whnf",
            "positiv",
            positivity_whnf(pi(ignore_t(), c("A"))),
        ),
        // Projections need a structure: no indices.
        reject("proj-non-structure", "not a structure", proj_first(true)),
        accept("proj-non-structure", proj_first(false)),
        // The laws of `max` (tutorial levelMax*), and a non-law.
        accept(
            "levelMaxComm",
            level_laws(vec![(max(u.clone(), v.clone()), max(v.clone(), u.clone()))]),
        ),
        accept(
            "levelMaxAssoc",
            level_laws(vec![(
                max(max(u.clone(), v.clone()), w.clone()),
                max(u.clone(), max(v.clone(), w.clone())),
            )]),
        ),
        accept(
            "levelMaxIdem",
            level_laws(vec![(max(u.clone(), u.clone()), u.clone())]),
        ),
        accept(
            "levelMaxAbsorb",
            level_laws(vec![
                (max(u.clone(), l0()), u.clone()),
                (max(succ(u.clone()), u.clone()), succ(u.clone())),
                (
                    max(u.clone(), max(u.clone(), v.clone())),
                    max(u.clone(), v.clone()),
                ),
            ]),
        ),
        reject(
            "levelMaxAbsorb",
            "declared with type",
            level_laws(vec![(max(u.clone(), v.clone()), u.clone())]),
        ),
        // The parameters of a nested occurrence are checked though the
        // auxiliary type drops them: `Box T (Box.0 true)` projects `Box`'s
        // field out of a `Bool` (lean4#14576).
        accept("nested-unused-param", box_tree(c("Bool.true"))),
        reject(
            "nested-unused-param",
            "invalid projection",
            box_tree(proj("Box", 0, c("Bool.true"))),
        ),
        // The types of a mutual block live in one sort.
        accept("mutual-same-sort", imax_proj(l1(), l1(), true)),
        reject(
            "mutual-same-sort",
            "same universe",
            imax_proj(l1(), succ(l1()), true),
        ),
    ]
}

/// `Tree.rec` and `Tree.rec_1` exchanged throughout a term.
fn swap_rec_names(e: &ExprRef) -> ExprRef {
    rename_consts(e, &|m| {
        if *m == n("Tree.rec") {
            n("Tree.rec_1")
        } else if *m == n("Tree.rec_1") {
            n("Tree.rec")
        } else {
            m.clone()
        }
    })
}

#[test]
fn arena_cases_are_stored_and_get_their_verdicts_for_the_right_reason() {
    support::assert_cases(&rules_dir(), &cases());
}

/// `W : Type` with `ctors` constructors of `fields` fields of an axiom type
/// `T`, and its large-eliminating recursor.
fn wide(fields: usize, ctors: usize) -> Environment {
    let names: Vec<&'static str> = (0..ctors)
        .map(|i| &*Box::leak(format!("c{i}").into_boxed_str()))
        .collect();
    env(vec![
        axiom("T", &[], sort(l1())),
        Simple {
            name: "W",
            params: vec![],
            sort: l1(),
            ctors: names
                .into_iter()
                .map(|c| (c, vec![self::c("T"); fields]))
                .collect(),
            elim: Some("u"),
            k: false,
        }
        .block(),
    ])
}

/// Limits through the inductive module: a constructor with 10^5 fields and
/// its recursor, and a type with 10^4 constructors, end in a verdict within
/// seconds (accept, or decline; never a crash).
#[test]
fn wide_inductives_end_in_a_verdict() {
    let start = std::time::Instant::now();
    for (fields, ctors) in [(100_000, 1), (1, 500)] {
        let (got, why) = verdict(&wide(fields, ctors));
        assert!(got != "reject", "{fields} fields, {ctors} ctors: {why}");
        eprintln!(
            "{fields} fields x {ctors} ctors: {got} after {:?}",
            start.elapsed()
        );
    }
    assert!(
        start.elapsed().as_secs() < 120,
        "took {:?}",
        start.elapsed()
    );
}

/// The figures in BENCHMARKS.md "Kernel" (wide inductives):
/// `cargo test --release -p ix-kernel --test arena_rules -- --ignored wide_inductive_timings --nocapture`.
#[test]
#[ignore = "a timing run for BENCHMARKS.md, release mode"]
fn wide_inductive_timings() {
    for ctors in [1500, 3000] {
        let e = wide(1, ctors);
        let start = std::time::Instant::now();
        let (got, why) = verdict(&e);
        assert_eq!(got, "accept", "{why}");
        println!(
            "1 field x {ctors} constructors: accept in {:?}",
            start.elapsed()
        );
    }
}

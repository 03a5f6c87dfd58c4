//! Which kernel primitives may be trusted. Nat literals, `Nat.succ` offsets
//! and the accelerated Nat operations give terms a meaning that must agree
//! with unfolding the declarations they stand for; otherwise an export that
//! defines, say, `Nat.add := fun n m => n` could prove `Nat.add 2 2 = 4` by
//! acceleration and `Nat.add 2 2 = 2` by unfolding.
//!
//! So, as lean4lean does (`Primitive.lean`), every accelerated operation is
//! checked when its declaration is added: its value must satisfy the defining
//! equations by definitional equality on fresh free variables
//! (`Nat.add x Nat.zero ≡ x`, `Nat.add y (Nat.succ x) ≡ Nat.succ (Nat.add y x)`,
//! …), and the equations may only mention primitives already verified.
//! `Nat` and `Bool` must be exactly the expected inductives.
//!
//! Unlike lean4lean, a failed check does not reject the declaration (it is a
//! legitimate definition): the operation is simply never accelerated, so the
//! verdict is what unfolding gives.
//!
//! Residual trust, as in lean4lean: `Nat.div`, `Nat.mod`, `Nat.gcd` and
//! `Nat.bitwise` (behind `land`/`lor`/`xor`) are defined by well-founded
//! recursion, whose equations do not hold definitionally on free variables.
//! They are trusted when their type is right and the equations that do hold
//! definitionally are met (`mod 0 x ≡ 0`; the Boolean function given to
//! `Nat.bitwise` has the right truth table).

use crate::env::{ConstantInfo, Env, InductiveVal};
use crate::expr::Expr;
use crate::nat::NatOp;
use crate::tc::{TcOptions, TypeChecker};
use ix_lean::{BinderInfo, DefinitionSafety, Name};
use rustc_hash::FxHashMap;

/// Fuel for verifying one primitive's equations.
const VERIFY_BUDGET: u64 = 200_000;

/// The primitives an environment may rely on, each from the declaration
/// that established it on: a declaration is checked against what held once
/// it was added, as Lean's sequential kernel does, so the verdict does not
/// depend on how much of the environment is in when its body is checked.
#[derive(Debug, Default)]
pub struct Primitives {
    /// `Nat : Type` with exactly `Nat.zero : Nat` and `Nat.succ : Nat → Nat`.
    nat: Since,
    /// `Bool : Type` with exactly `Bool.false : Bool` and `Bool.true : Bool`.
    bool: Since,
    /// String literals may expand to `String.ofList [Char.ofNat n, …]`: the
    /// constants the expansion names exist with the types that make it a
    /// `String` (otherwise a literal stays as it is).
    string: Since,
    /// Operations (and `Nat.pred`) whose definitions meet their equations.
    verified: FxHashMap<Name, usize>,
    /// `verified` for the accelerated operations, by `NatOp`: asked on every
    /// whnf of a `Nat` operation, so no name is built to ask it.
    verified_ops: [Since; NatOp::COUNT],
}

/// The declaration index from which a primitive holds (`None`: not yet).
type Since = Option<usize>;

fn holds(since: Since, at: usize) -> bool {
    since.is_some_and(|k| k <= at)
}

impl Primitives {
    /// Whether `Nat` is the expected inductive for declaration `at`.
    pub fn nat(&self, at: usize) -> bool {
        holds(self.nat, at)
    }

    /// Whether `Bool` is the expected inductive for declaration `at`.
    pub fn bool(&self, at: usize) -> bool {
        holds(self.bool, at)
    }

    /// Whether string literals expand for declaration `at`.
    pub fn string(&self, at: usize) -> bool {
        holds(self.string, at)
    }

    /// Whether `op` may be computed on literals in declaration `at`.
    pub fn accelerates(&self, op: NatOp, at: usize) -> bool {
        self.nat(at)
            && match op {
                NatOp::Succ => true,
                NatOp::Beq | NatOp::Ble => {
                    self.bool(at) && holds(self.verified_ops[op as usize], at)
                }
                _ => holds(self.verified_ops[op as usize], at),
            }
    }

    fn is_verified(&self, n: &Name, at: usize) -> bool {
        holds(self.verified.get(n).copied(), at)
    }
}

fn nm(s: &str) -> Name {
    Name::from_dotted(s)
}

fn cnst(s: &str) -> Expr {
    Expr::cnst(nm(s), Vec::new())
}

fn arrow(a: Expr, b: Expr) -> Expr {
    Expr::pi(Name::anonymous(), BinderInfo::Default, a, b)
}

/// The names [`note_declaration`] looks for, built once: it sees every
/// constant, and building them per constant was ~3% of `ix check`.
struct Watched {
    nat: Name,
    bool: Name,
    /// What the string literal expansion is made of.
    string_parts: [Name; 8],
}

static WATCHED: std::sync::LazyLock<Watched> = std::sync::LazyLock::new(|| Watched {
    nat: nm("Nat"),
    bool: nm("Bool"),
    string_parts: [
        "Nat",
        "Char",
        "Char.ofNat",
        "List",
        "List.nil",
        "List.cons",
        "String",
        "String.ofList",
    ]
    .map(nm),
});

/// Updates `env.prims` after declaration `index` (with these constant names)
/// was added.
pub fn note_declaration(env: &mut Env, names: &[&Name], index: usize, options: &TcOptions) {
    let watched = &*WATCHED;
    let touches_strings = names.iter().any(|n| watched.string_parts.contains(n));
    let since = |holds: bool| holds.then_some(index);
    for &n in names {
        if *n == watched.nat {
            env.prims.nat = since(two_ctor_type(env, "Nat", "Nat.zero", "Nat.succ", true));
        } else if *n == watched.bool {
            env.prims.bool = since(two_ctor_type(env, "Bool", "Bool.false", "Bool.true", false));
        } else if env.prims.nat(index) && is_candidate(n) && verify(env, n, index, options) {
            env.prims.verified.insert(n.clone(), index);
            if let Some(op) = crate::nat::op_of(n) {
                env.prims.verified_ops[op as usize] = Some(index);
            }
        }
    }
    if touches_strings && env.prims.string.is_none() {
        env.prims.string = since(env.prims.nat(index) && string_expansion_typed(env));
    }
}

/// `Char, String : Type`, `Char.ofNat : Nat → Char`, `String.ofList :
/// List Char → String`, and `List.nil`/`List.cons` with their usual types.
fn string_expansion_typed(env: &Env) -> bool {
    let ty0 = Expr::sort(crate::level::Level::one());
    let has_type = |name: &str, ty: &Expr| {
        env.get(&nm(name))
            .is_some_and(|i| i.level_params().is_empty() && i.ty() == ty)
    };
    let list_of =
        |u: &crate::level::Level, a: Expr| Expr::app(Expr::cnst(nm("List"), vec![u.clone()]), a);
    // `{α : Type u} → …`, checked at the constant's own universe parameter.
    let list_ctor_ok = |name: &str, body: &dyn Fn(&crate::level::Level) -> Expr| {
        env.get(&nm(name)).is_some_and(|i| match i.level_params() {
            [u] => {
                let u = crate::level::Level::param(u.clone());
                let alpha = Expr::sort(crate::level::Level::succ(u.clone()));
                *i.ty() == Expr::pi(Name::anonymous(), BinderInfo::Implicit, alpha, body(&u))
            }
            _ => false,
        })
    };
    has_type("Char", &ty0)
        && has_type("String", &ty0)
        && has_type("Char.ofNat", &arrow(cnst("Nat"), cnst("Char")))
        && has_type(
            "String.ofList",
            &arrow(
                list_of(&crate::level::Level::zero(), cnst("Char")),
                cnst("String"),
            ),
        )
        && list_ctor_ok("List.nil", &|u| list_of(u, Expr::bvar(0)))
        && list_ctor_ok("List.cons", &|u| {
            arrow(
                Expr::bvar(0),
                arrow(list_of(u, Expr::bvar(1)), list_of(u, Expr::bvar(2))),
            )
        })
}

/// Accelerated operations, plus `Nat.pred` (named in `sub`'s equations):
/// the declarations whose bodies are verified when they are added.
pub fn is_candidate(n: &Name) -> bool {
    crate::nat::nat_member(n) == Some("pred")
        || crate::nat::op_of(n).is_some_and(|op| op != NatOp::Succ)
}

/// `T : Type` (no universe parameters, parameters or indices) with exactly
/// the constructors `first : T` and `second : T` (or `second : T → T`).
fn two_ctor_type(env: &Env, ty: &str, first: &str, second: &str, second_is_succ: bool) -> bool {
    let t = cnst(ty);
    let Some(InductiveVal {
        val,
        num_params: 0,
        num_indices: 0,
        ctors,
        is_unsafe: false,
        ..
    }) = env.inductive(&nm(ty))
    else {
        return false;
    };
    let second_ty = if second_is_succ {
        arrow(t.clone(), t.clone())
    } else {
        t.clone()
    };
    val.level_params.is_empty()
        && val.ty == Expr::sort(crate::level::Level::one())
        && ctors.len() == 2
        && ctors[0] == nm(first)
        && ctors[1] == nm(second)
        && ctor_has_type(env, first, &t)
        && ctor_has_type(env, second, &second_ty)
}

fn ctor_has_type(env: &Env, name: &str, ty: &Expr) -> bool {
    matches!(env.get(&nm(name)), Some(ConstantInfo::Constructor { val, .. })
        if val.level_params.is_empty() && val.ty == *ty)
}

/// Checks the definition `n` against its defining equations (false on any
/// failure, rejection or decline).
fn verify(env: &Env, n: &Name, index: usize, options: &TcOptions) -> bool {
    let Some(ConstantInfo::Definition {
        val,
        value,
        safety: DefinitionSafety::Safe,
        ..
    }) = env.get(n)
    else {
        return false;
    };
    if !val.level_params.is_empty() {
        return false;
    }
    let options = TcOptions {
        budget: VERIFY_BUDGET,
        profile: false,
        ..options.clone()
    };
    let mut tc = TypeChecker::new(
        env,
        n.clone(),
        index,
        Vec::new().into(),
        DefinitionSafety::Safe,
        &options,
    );
    let mut eqs = Equations {
        tc: &mut tc,
        value: value.clone(),
        prims: &env.prims,
        at: index,
    };
    eqs.check(n, &val.ty).unwrap_or(false)
}

/// A primitive defined by recursion on its second argument: `f x 0 = base`
/// and `step = unfolded`, where `step` applies `f` to a successor.
struct Recursion {
    /// The primitives the equations use, verified first.
    needs: &'static [&'static str],
    base: Expr,
    step: Expr,
    unfolded: Expr,
}

struct Equations<'a, 'env> {
    tc: &'a mut TypeChecker<'env>,
    value: Expr,
    prims: &'a Primitives,
    /// The declaration being verified.
    at: usize,
}

impl Equations<'_, '_> {
    /// The value applied to `args`.
    fn v(&self, args: &[Expr]) -> Expr {
        Expr::mk_app(self.value.clone(), args)
    }

    fn eq(&mut self, a: &Expr, b: &Expr) -> crate::KResult<bool> {
        self.tc.is_def_eq(a, b)
    }

    fn check(&mut self, n: &Name, ty: &Expr) -> crate::KResult<bool> {
        let nat = cnst("Nat");
        let boolean = cnst("Bool");
        let zero = cnst("Nat.zero");
        let succ = |e: Expr| Expr::app(cnst("Nat.succ"), e);
        let (tt, ff) = (cnst("Bool.true"), cnst("Bool.false"));
        let x = self.tc.push_local(nm("x"), nat.clone());
        let y = self.tc.push_local(nm("y"), nat.clone());
        let nat2 = arrow(nat.clone(), arrow(nat.clone(), nat.clone()));
        let at = self.at;
        let needs = |p: &Primitives, deps: &[&str]| deps.iter().all(|d| p.is_verified(&nm(d), at));
        let name = n.to_string();
        let expected_ty = match name.as_str() {
            "Nat.pred" => arrow(nat.clone(), nat.clone()),
            "Nat.beq" | "Nat.ble" => {
                if !self.prims.bool(self.at) {
                    return Ok(false);
                }
                arrow(nat.clone(), arrow(nat.clone(), boolean.clone()))
            }
            _ => nat2.clone(),
        };
        if !self.eq(ty, &expected_ty)? {
            return Ok(false);
        }
        if let Some(r) = self.recursion(&name, &x, &y) {
            return Ok(needs(self.prims, r.needs)
                && self.eq(&self.v(&[x.clone(), zero.clone()]), &r.base)?
                && self.eq(&r.step, &r.unfolded)?);
        }
        let ok = match name.as_str() {
            "Nat.pred" => {
                self.eq(&self.v(std::slice::from_ref(&zero)), &zero)?
                    && self.eq(&self.v(&[succ(x.clone())]), &x)?
            }
            "Nat.beq" | "Nat.ble" => {
                let le = name == "Nat.ble";
                self.eq(&self.v(&[zero.clone(), zero.clone()]), &tt)?
                    && self.eq(
                        &self.v(&[zero.clone(), succ(x.clone())]),
                        if le { &tt } else { &ff },
                    )?
                    && self.eq(&self.v(&[succ(x.clone()), zero.clone()]), &ff)?
                    && self.eq(
                        &self.v(&[succ(y.clone()), succ(x.clone())]),
                        &self.v(&[y.clone(), x.clone()]),
                    )?
            }
            // Well-founded definitions: see the module documentation.
            "Nat.div" => needs(self.prims, &["Nat.sub"]),
            "Nat.mod" => {
                needs(self.prims, &["Nat.sub"])
                    && self.eq(&self.v(&[zero.clone(), x.clone()]), &zero)?
            }
            "Nat.gcd" => needs(self.prims, &["Nat.mod"]),
            "Nat.land" | "Nat.lor" | "Nat.xor" => self.check_bitwise(&name, &tt, &ff)?,
            _ => false,
        };
        Ok(ok)
    }

    /// The equations of `name` when it is defined by recursion on its second
    /// argument, over the locals `x` and `y`.
    fn recursion(&self, name: &str, x: &Expr, y: &Expr) -> Option<Recursion> {
        let zero = cnst("Nat.zero");
        let succ = |e: Expr| Expr::app(cnst("Nat.succ"), e);
        let op2 = |f: &str, a: Expr, b: Expr| Expr::mk_app(cnst(f), &[a, b]);
        let two = succ(succ(zero.clone()));
        // The shifts recurse on `y`: `f x (succ y)`; the others on `x`.
        let (y_sx, yx) = (
            self.v(&[y.clone(), succ(x.clone())]),
            self.v(&[y.clone(), x.clone()]),
        );
        let (x_sy, xy) = (
            self.v(&[x.clone(), succ(y.clone())]),
            self.v(&[x.clone(), y.clone()]),
        );
        let double_x = op2("Nat.mul", two.clone(), x.clone());
        #[rustfmt::skip]
        let (needs, base, step, unfolded): (&'static [&'static str], _, _, _) = match name {
            "Nat.add" => (&[], x.clone(), y_sx, succ(yx)),
            "Nat.sub" => (&["Nat.pred"], x.clone(), y_sx, Expr::app(cnst("Nat.pred"), yx)),
            "Nat.mul" => (&["Nat.add"], zero, y_sx, op2("Nat.add", yx, y.clone())),
            "Nat.pow" => (&["Nat.mul"], succ(zero), y_sx, op2("Nat.mul", yx, y.clone())),
            "Nat.shiftLeft" => (&["Nat.mul"], x.clone(), x_sy, self.v(&[double_x, y.clone()])),
            "Nat.shiftRight" => (&["Nat.div"], x.clone(), x_sy, op2("Nat.div", xy, two)),
            _ => return None,
        };
        Some(Recursion {
            needs,
            base,
            step,
            unfolded,
        })
    }

    /// `land`/`lor`/`xor` must be `Nat.bitwise f` with `f` the right Boolean
    /// function (`Nat.bitwise` itself is trusted by its type).
    fn check_bitwise(&mut self, name: &str, tt: &Expr, ff: &Expr) -> crate::KResult<bool> {
        let value = self.value.clone();
        let crate::expr::ExprData::App(head, f) = value.data() else {
            return Ok(false);
        };
        if !head.is_const_of(&nm("Nat.bitwise")) || !self.prims.bool(self.at) {
            return Ok(false);
        }
        let b = cnst("Bool");
        let bool3 = arrow(b.clone(), arrow(b.clone(), b.clone()));
        let nat = cnst("Nat");
        let bitwise_ty = arrow(bool3, arrow(nat.clone(), arrow(nat.clone(), nat)));
        let Some(ConstantInfo::Definition { val, .. }) = self.tc.env().get(&nm("Nat.bitwise"))
        else {
            return Ok(false);
        };
        if !val.level_params.is_empty() || !self.eq(&val.ty.clone(), &bitwise_ty)? {
            return Ok(false);
        }
        let table: [(bool, bool, bool); 4] = match name {
            "Nat.land" => [
                (false, false, false),
                (false, true, false),
                (true, false, false),
                (true, true, true),
            ],
            "Nat.lor" => [
                (false, false, false),
                (false, true, true),
                (true, false, true),
                (true, true, true),
            ],
            _ => [
                (false, false, false),
                (false, true, true),
                (true, false, true),
                (true, true, false),
            ],
        };
        let lit = |v: bool| if v { tt.clone() } else { ff.clone() };
        for (a, b, r) in table {
            let lhs = Expr::mk_app(f.clone(), &[lit(a), lit(b)]);
            if !self.eq(&lhs, &lit(r))? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

//! Locally named terms: the generator builds terms with named variables
//! (closures receive the bound variable), and `Interner::expr` turns them into
//! de Bruijn `ix_lean::Expr` DAGs, sharing identical subterms.

use ix_lean::{BinderInfo, Expr, ExprRef, Level, LevelRef, Literal, Name};
use num_bigint::BigUint;
use rustc_hash::FxHashMap;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

pub type Term = Rc<T>;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BindKind {
    Pi,
    Lam,
}

pub(crate) enum T {
    Var(u32),
    Const(Name, Vec<LevelRef>),
    App(Term, Term),
    Bind {
        kind: BindKind,
        var: u32,
        name: Name,
        info: BinderInfo,
        ty: Term,
        body: Term,
    },
    Sort(LevelRef),
    Nat(BigUint),
    Proj(Name, u64, Term),
}

thread_local! {
    static NEXT_VAR: Cell<u32> = const { Cell::new(0) };
}

fn fresh_var() -> u32 {
    NEXT_VAR.with(|n| {
        let v = n.get();
        n.set(v.wrapping_add(1));
        v
    })
}

pub fn cnst(name: &Name, levels: &[LevelRef]) -> Term {
    Rc::new(T::Const(name.clone(), levels.to_vec()))
}

pub fn sort(l: LevelRef) -> Term {
    Rc::new(T::Sort(l))
}

pub fn prop() -> Term {
    sort(Level::zero())
}

pub fn nat_lit(n: impl Into<BigUint>) -> Term {
    Rc::new(T::Nat(n.into()))
}

pub fn proj(structure: &Name, idx: u64, e: Term) -> Term {
    Rc::new(T::Proj(structure.clone(), idx, e))
}

pub fn app(f: Term, args: &[Term]) -> Term {
    args.iter()
        .fold(f, |acc, a| Rc::new(T::App(acc, a.clone())))
}

pub fn bind(
    kind: BindKind,
    name: &str,
    info: BinderInfo,
    ty: Term,
    body: impl FnOnce(Term) -> Term,
) -> Term {
    let var = fresh_var();
    let body = body(Rc::new(T::Var(var)));
    Rc::new(T::Bind {
        kind,
        var,
        name: Name::from_dotted(name),
        info,
        ty,
        body,
    })
}

pub fn pi(name: &str, ty: Term, body: impl FnOnce(Term) -> Term) -> Term {
    bind(BindKind::Pi, name, BinderInfo::Default, ty, body)
}

pub fn pi_implicit(name: &str, ty: Term, body: impl FnOnce(Term) -> Term) -> Term {
    bind(BindKind::Pi, name, BinderInfo::Implicit, ty, body)
}

pub fn lam(name: &str, ty: Term, body: impl FnOnce(Term) -> Term) -> Term {
    bind(BindKind::Lam, name, BinderInfo::Default, ty, body)
}

pub fn lam_implicit(name: &str, ty: Term, body: impl FnOnce(Term) -> Term) -> Term {
    bind(BindKind::Lam, name, BinderInfo::Implicit, ty, body)
}

/// A binder whose type is already known: used when a telescope is built
/// from a list (closures can't be nested dynamically).
pub struct Binder {
    pub kind: BindKind,
    pub var: u32,
    pub name: Name,
    pub info: BinderInfo,
    pub ty: Term,
}

impl Binder {
    pub fn new(kind: BindKind, name: &str, info: BinderInfo, ty: Term) -> (Binder, Term) {
        let var = fresh_var();
        (
            Binder {
                kind,
                var,
                name: Name::from_dotted(name),
                info,
                ty,
            },
            Rc::new(T::Var(var)),
        )
    }
}

/// Closes `body` over `binders`, outermost first.
pub fn telescope(binders: &[Binder], body: Term) -> Term {
    binders.iter().rev().fold(body, |acc, b| {
        Rc::new(T::Bind {
            kind: b.kind,
            var: b.var,
            name: b.name.clone(),
            info: b.info,
            ty: b.ty.clone(),
            body: acc,
        })
    })
}

#[derive(PartialEq, Eq, Hash)]
enum Key {
    BVar(u64),
    Sort(*const Level),
    Const(Name, Vec<*const Level>),
    App(*const Expr, *const Expr),
    Bind(bool, Name, BinderInfo, *const Expr, *const Expr),
    Nat(BigUint),
    Proj(Name, u64, *const Expr),
}

/// Converts named terms to shared de Bruijn expressions.
#[derive(Default)]
pub(crate) struct Interner {
    exprs: FxHashMap<Key, ExprRef>,
    levels: FxHashMap<String, LevelRef>,
}

impl Interner {
    /// Forgets the sharing tables (between chunks of a very large output).
    pub fn clear(&mut self) {
        self.exprs.clear();
    }

    fn level(&mut self, l: &LevelRef) -> LevelRef {
        let key = format!("{l:?}");
        self.levels.entry(key).or_insert_with(|| l.clone()).clone()
    }

    fn intern(&mut self, key: Key, make: impl FnOnce() -> Expr) -> ExprRef {
        self.exprs
            .entry(key)
            .or_insert_with(|| Arc::new(make()))
            .clone()
    }

    pub fn expr(&mut self, t: &Term) -> ExprRef {
        let mut scope = Vec::new();
        self.convert(t, &mut scope)
    }

    fn convert(&mut self, t: &Term, scope: &mut Vec<u32>) -> ExprRef {
        match &**t {
            T::Var(v) => {
                let pos = scope.iter().rposition(|x| x == v).expect(
                    "synth terms are closed: every variable is bound by an enclosing binder",
                );
                let idx = (scope.len() - 1 - pos) as u64;
                self.intern(Key::BVar(idx), || Expr::BVar(idx))
            }
            T::Sort(l) => {
                let l = self.level(l);
                self.intern(Key::Sort(Arc::as_ptr(&l)), || Expr::Sort(l.clone()))
            }
            T::Const(n, ls) => {
                let ls: Vec<LevelRef> = ls.iter().map(|l| self.level(l)).collect();
                let key = Key::Const(n.clone(), ls.iter().map(Arc::as_ptr).collect());
                self.intern(key, || Expr::Const(n.clone(), ls.clone()))
            }
            T::App(f, a) => {
                let f = self.convert(f, scope);
                let a = self.convert(a, scope);
                self.intern(Key::App(Arc::as_ptr(&f), Arc::as_ptr(&a)), || {
                    Expr::App(f.clone(), a.clone())
                })
            }
            T::Bind {
                kind,
                var,
                name,
                info,
                ty,
                body,
            } => {
                let ty = self.convert(ty, scope);
                scope.push(*var);
                let body = self.convert(body, scope);
                scope.pop();
                let is_pi = *kind == BindKind::Pi;
                let key = Key::Bind(
                    is_pi,
                    name.clone(),
                    *info,
                    Arc::as_ptr(&ty),
                    Arc::as_ptr(&body),
                );
                self.intern(key, || {
                    Expr::binder(is_pi, name.clone(), *info, ty.clone(), body.clone())
                })
            }
            T::Nat(n) => self.intern(Key::Nat(n.clone()), || {
                Expr::Lit(Literal::Nat(Arc::new(n.clone())))
            }),
            T::Proj(s, i, e) => {
                let e = self.convert(e, scope);
                self.intern(Key::Proj(s.clone(), *i, Arc::as_ptr(&e)), || {
                    Expr::Proj(s.clone(), *i, e.clone())
                })
            }
        }
    }
}

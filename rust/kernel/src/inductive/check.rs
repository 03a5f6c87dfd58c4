//! Checking the (nested-free) declaration: the types' telescopes and sorts,
//! the constructors (parameters, field universes, strict positivity, result
//! type), and the syntactic flags `isRec` / `isReflexive`.

use super::block::Decl;
use crate::binder_name::BinderName;
use crate::error::KResult;
use crate::expr::{Expr, ExprData};
use crate::level::Level;
use crate::tc::TypeChecker;
use ix_lean::Name;

/// What checking the types yields: per type its number of indices, and the
/// common result level.
#[derive(Clone, Debug)]
pub(crate) struct TypesInfo {
    pub num_indices: Vec<usize>,
    pub result_level: Level,
}

/// Checks every type of `decl` with a checker whose environment does not
/// yet contain the block: well typed, a telescope (after whnf) of `nparams`
/// parameters shared by all types, then indices, ending in one common sort.
pub(crate) fn check_types(tc: &mut TypeChecker, decl: &Decl) -> KResult<TypesInfo> {
    let mut params: Vec<Expr> = Vec::new();
    let mut num_indices = Vec::with_capacity(decl.types.len());
    let mut result_level: Option<Level> = None;
    for t in &decl.types {
        let sort = tc.check(&t.ty)?;
        tc.ensure_sort(&sort)?;
        let mut ty = tc.whnf(&t.ty)?;
        let mut i = 0;
        let mut nindices = 0;
        while let ExprData::Pi(b, dom, body) = ty.data() {
            let x = if i < decl.num_params {
                if let Some(p) = params.get(i) {
                    let pty = local_type(tc, p)?;
                    if !tc.is_def_eq(dom, &pty)? {
                        return Err(tc.reject(format!(
                            "{}: parameters of all inductive types must match",
                            t.name
                        )));
                    }
                    p.clone()
                } else {
                    let p = open_local(tc, *b, dom);
                    params.push(p.clone());
                    p
                }
            } else {
                nindices += 1;
                open_local(tc, *b, dom)
            };
            if i < decl.num_params {
                i += 1;
            }
            ty = tc.whnf(&body.instantiate1(&x))?;
        }
        if i != decl.num_params {
            return Err(tc.reject(format!(
                "{}: number of parameters mismatch in inductive declaration",
                t.name
            )));
        }
        let level = tc.ensure_sort(&ty)?;
        match &result_level {
            None => result_level = Some(level),
            Some(r) if !r.equiv(&level) => {
                return Err(tc.reject(format!(
                    "{}: mutually inductive types must live in the same universe",
                    t.name
                )))
            }
            Some(_) => {}
        }
        num_indices.push(nindices);
    }
    Ok(TypesInfo {
        num_indices,
        result_level: result_level.unwrap_or_else(Level::zero),
    })
}

/// Opens a binder as a local, with its type's outer annotations
/// (`optParam`, `autoParam`, `outParam`, `semiOutParam`) removed, as the
/// official kernel does for every binder of an inductive declaration. (Were
/// an annotation not the identity, the recursor types would not type-check,
/// and they are re-checked at the end.)
pub(crate) fn open_local(tc: &mut TypeChecker, name: BinderName, ty: &Expr) -> Expr {
    tc.push_local(name, consume_type_annotations(ty))
}

fn consume_type_annotations(e: &Expr) -> Expr {
    let mut e = e.clone();
    loop {
        let (head, mut args) = e.get_app_args();
        let Some(n) = head.const_name() else {
            return e;
        };
        let keep_first = matches!(
            (n.to_string().as_str(), args.len()),
            ("optParam" | "autoParam", 2) | ("outParam" | "semiOutParam", 1)
        );
        if !keep_first {
            return e;
        }
        e = args.swap_remove(0);
    }
}

/// The type of a local opened with `push_local`.
pub(crate) fn local_type(tc: &TypeChecker, x: &Expr) -> KResult<Expr> {
    match x.data() {
        ExprData::FVar(id) => match tc.local(*id) {
            Some(d) => Ok(d.ty.clone()),
            None => Err(tc.reject("internal: unknown local")),
        },
        _ => Err(tc.reject("internal: expected a local")),
    }
}

/// The checker's view of the block once its types are in the environment:
/// the parameters as locals, and the types as constants at the block's
/// universe parameters.
pub(crate) struct BlockCtx<'a> {
    pub decl: &'a Decl,
    pub info: &'a TypesInfo,
    pub params: Vec<Expr>,
    pub ind_consts: Vec<Expr>,
    pub levels: Vec<Level>,
}

impl<'a> BlockCtx<'a> {
    /// Opens the parameters of the first type (as `check_types` did).
    pub fn new(tc: &mut TypeChecker, decl: &'a Decl, info: &'a TypesInfo) -> KResult<Self> {
        let levels: Vec<Level> = decl
            .level_params
            .iter()
            .map(|p| Level::param(p.clone()))
            .collect();
        let ind_consts = decl
            .types
            .iter()
            .map(|t| Expr::cnst(t.name.clone(), levels.clone()))
            .collect();
        let mut params = Vec::with_capacity(decl.num_params);
        if let Some(first) = decl.types.first() {
            let mut ty = tc.whnf(&first.ty)?;
            while params.len() < decl.num_params {
                let ExprData::Pi(b, dom, body) = ty.data() else {
                    return Err(tc.reject("internal: parameter telescope changed"));
                };
                let p = open_local(tc, *b, dom);
                ty = tc.whnf(&body.instantiate1(&p))?;
                params.push(p);
            }
        }
        Ok(BlockCtx {
            decl,
            info,
            params,
            ind_consts,
            levels,
        })
    }

    pub fn nparams(&self) -> usize {
        self.decl.num_params
    }

    /// Whether `e` mentions a type of the block.
    pub fn has_ind_occ(&self, e: &Expr) -> bool {
        let names: Vec<&Name> = self.decl.types.iter().map(|t| &t.name).collect();
        e.find(|x| match x.data() {
            ExprData::Const(n, _) if names.contains(&n) => Some(()),
            _ => None,
        })
        .is_some()
    }

    /// Whether `t` is `I_idx params indices` with the block's own parameters
    /// (syntactically) and indices that do not mention the block.
    pub fn is_valid_ind_app_at(&self, t: &Expr, idx: usize) -> bool {
        let (head, args) = t.get_app_args();
        let (Some(ind), Some(nind)) = (self.ind_consts.get(idx), self.info.num_indices.get(idx))
        else {
            return false;
        };
        if head != *ind || args.len() != self.nparams() + nind {
            return false;
        }
        let (ps, indices) = args.split_at(self.nparams());
        ps.iter().zip(&self.params).all(|(a, p)| a == p)
            && indices.iter().all(|i| !self.has_ind_occ(i))
    }

    /// The position of the type `t` is a valid application of.
    pub fn is_valid_ind_app(&self, t: &Expr) -> Option<usize> {
        (0..self.decl.types.len()).find(|&i| self.is_valid_ind_app_at(t, i))
    }

    /// For a field type: `Some(i)` when, after whnf through its Pi
    /// telescope, it is a valid application of type `i` (a recursive field).
    pub fn is_rec_argument(&self, tc: &mut TypeChecker, ty: &Expr) -> KResult<Option<usize>> {
        let mut t = tc.whnf(ty)?;
        while let ExprData::Pi(b, dom, body) = t.data() {
            let x = open_local(tc, *b, dom);
            t = tc.whnf(&body.instantiate1(&x))?;
        }
        Ok(self.is_valid_ind_app(&t))
    }

    /// Strict positivity of a field type, reducing only to whnf at each step.
    fn check_positivity(
        &self,
        tc: &mut TypeChecker,
        ty: &Expr,
        ctor: &Name,
        arg: usize,
    ) -> KResult<()> {
        let mut t = ty.clone();
        loop {
            t = tc.whnf(&t)?;
            if !self.has_ind_occ(&t) {
                return Ok(());
            }
            match t.data() {
                ExprData::Pi(b, dom, body) => {
                    if self.has_ind_occ(dom) {
                        return Err(tc.reject(format!(
                            "arg #{} of {ctor} has a non-positive occurrence of the types being declared",
                            arg + 1
                        )));
                    }
                    let x = open_local(tc, *b, dom);
                    t = body.instantiate1(&x);
                }
                _ if self.is_valid_ind_app(&t).is_some() => return Ok(()),
                _ => {
                    return Err(tc.reject(format!(
                        "arg #{} of {ctor} has a non-valid occurrence of the types being declared",
                        arg + 1
                    )))
                }
            }
        }
    }

    /// Checks every constructor: well typed; its parameters those of the
    /// types (defeq binder types, then the very same locals); each field a
    /// type whose universe fits the types' (unless they are propositions)
    /// and strictly positive; the result the constructor's own type applied
    /// to the parameters and to indices free of the block.
    pub fn check_constructors(&self, tc: &mut TypeChecker) -> KResult<()> {
        let result_level = &self.info.result_level;
        for (idx, t) in self.decl.types.iter().enumerate() {
            for c in &t.ctors {
                let s = tc.check(&c.ty)?;
                tc.ensure_sort(&s)?;
                let mut ty = c.ty.clone();
                let mut i = 0;
                while let ExprData::Pi(b, dom, body) = ty.data() {
                    let x = if let Some(p) = self.params.get(i) {
                        let pty = local_type(tc, p)?;
                        if !tc.is_def_eq(dom, &pty)? {
                            return Err(tc.reject(format!(
                                "arg #{} of {} does not match the inductive types' parameters",
                                i + 1,
                                c.name
                            )));
                        }
                        p.clone()
                    } else {
                        let s = tc.infer(dom)?;
                        let l = tc.ensure_sort(&s)?;
                        if !(result_level.is_zero() || l.leq(result_level)) {
                            return Err(tc.reject(format!(
                                "universe level of the type of arg #{} of {} is too big for the inductive type",
                                i + 1,
                                c.name
                            )));
                        }
                        if !self.decl.is_unsafe {
                            self.check_positivity(tc, dom, &c.name, i)?;
                        }
                        open_local(tc, *b, dom)
                    };
                    ty = body.instantiate1(&x);
                    i += 1;
                }
                if !self.is_valid_ind_app_at(&ty, idx) {
                    return Err(tc.reject(format!("invalid return type for {}", c.name)));
                }
            }
        }
        Ok(())
    }
}

/// `isRec`: some constructor's binder type mentions a type of the block.
pub(crate) fn is_rec(decl: &Decl) -> bool {
    binder_domains_any(decl, |ctx, dom| ctx.mentions(dom))
}

/// `isReflexive`: some constructor takes a function into the block.
pub(crate) fn is_reflexive(decl: &Decl) -> bool {
    binder_domains_any(decl, |ctx, dom| dom.is_pi() && ctx.mentions(dom))
}

struct Mentions<'a> {
    names: Vec<&'a Name>,
}

impl Mentions<'_> {
    fn mentions(&self, e: &Expr) -> bool {
        e.find(|x| match x.data() {
            ExprData::Const(n, _) if self.names.contains(&n) => Some(()),
            _ => None,
        })
        .is_some()
    }
}

fn binder_domains_any(decl: &Decl, f: impl Fn(&Mentions, &Expr) -> bool) -> bool {
    let ctx = Mentions {
        names: decl.types.iter().map(|t| &t.name).collect(),
    };
    decl.types.iter().flat_map(|t| &t.ctors).any(|c| {
        let mut ty = &c.ty;
        while let ExprData::Pi(_, dom, body) = ty.data() {
            if f(&ctx, dom) {
                return true;
            }
            ty = body;
        }
        false
    })
}

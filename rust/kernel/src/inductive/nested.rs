//! Nested inductives. An occurrence `I Ds is` of an earlier inductive `I`
//! whose parameters `Ds` mention the block (`List Tree` inside `Tree`) is
//! replaced by an auxiliary type `auxI As is` added to the block (`As` the
//! block's parameters), together with copies of every type of `I`'s mutual
//! group and their constructors specialised to `Ds`. The enlarged block is
//! checked as an ordinary mutual one; its recursors are then translated back
//! ("restored"): auxiliary types become the nested occurrences again, their
//! constructors the original ones, their recursors `Main.rec_1`, `Main.rec_2`…
//!
//! The traversal order (head before argument, binder type before body) is
//! the official kernel's, because it fixes the order of the auxiliary types
//! and hence which recursor is called `rec_k`.

use super::block::{rec_name, Ctor, Decl, IndType, NESTED_PREFIX};
use crate::binder_name::BinderName;
use crate::env::{ConstantInfo, Env, InductiveVal};
use crate::error::{KResult, KernelError};
use crate::expr::{Expr, ExprData, FVarId};
use crate::level::Level;
use ix_lean::BinderInfo;
use ix_lean::{Name, NamePart};
use rustc_hash::FxHashMap;

/// The result of eliminating nested occurrences.
pub(crate) struct Nested {
    /// The original types first, then the auxiliary ones.
    pub decl: Decl,
    pub num_original: usize,
    /// Auxiliary type → the nested occurrence `I Ds` it stands for, with the
    /// block's parameters as loose bound variables (outermost first).
    aux_to_nested: FxHashMap<Name, Expr>,
    /// Auxiliary constructor → (its auxiliary type, the original constructor).
    aux_ctors: FxHashMap<Name, (Name, Name)>,
}

/// Opened leading binders: fresh locals with their binder data and types.
struct Telescope {
    binders: Vec<(BinderName, BinderInfo, Expr)>,
    fvars: Vec<FVarId>,
    locals: Vec<Expr>,
}

impl Telescope {
    /// Opens `n` leading Pi (or lambda) binders of `e`, syntactically.
    fn open(e: &Expr, n: usize) -> Option<(Telescope, Expr)> {
        let mut tel = Telescope {
            binders: Vec::with_capacity(n),
            fvars: Vec::with_capacity(n),
            locals: Vec::with_capacity(n),
        };
        let mut cur = e.clone();
        for _ in 0..n {
            let (b, dom, body) = match cur.data() {
                ExprData::Pi(b, d, body) | ExprData::Lam(b, d, body) => {
                    (*b, d.clone(), body.clone())
                }
                _ => return None,
            };
            let info = cur.binder_info();
            let id = FVarId::fresh();
            let x = Expr::fvar(id);
            tel.binders
                .push((b, info, dom.instantiate_rev(&tel.locals)));
            tel.fvars.push(id);
            tel.locals.push(x);
            cur = body;
        }
        let body = cur.instantiate_rev(&tel.locals);
        Some((tel, body))
    }

    /// `Π (or λ) telescope, body`.
    fn close(&self, lambda: bool, body: &Expr) -> Expr {
        let positions = crate::expr::FVarPositions::new(&self.fvars);
        let mut r = body.abstract_prefix(&positions, self.fvars.len());
        for (i, (b, info, dom)) in self.binders.iter().enumerate().rev() {
            let d = dom.abstract_prefix(&positions, i);
            r = if lambda {
                Expr::lam(*b, *info, d, r)
            } else {
                Expr::pi(*b, *info, d, r)
            };
        }
        r
    }

    /// `e` with these locals replaced by `others` (same length).
    fn replace_locals(&self, e: &Expr, others: &[Expr]) -> Expr {
        e.abstract_fvars(&self.fvars).instantiate_rev(others)
    }
}

/// `I.{ls}` strips `n` leading Pis of `ty` and instantiates them with `args`.
fn instantiate_pi_params(ty: &Expr, n: usize, args: &[Expr]) -> Option<Expr> {
    let mut cur = ty;
    for _ in 0..n {
        match cur.data() {
            ExprData::Pi(_, _, body) => cur = body,
            _ => return None,
        }
    }
    Some(cur.instantiate_rev(args.get(..n)?))
}

/// A bound on the elaborated block's size: elimination of well-formed
/// (uniform) earlier types always stops, but a pathological one must not hang.
const MAX_TYPES: usize = 4096;

/// A nested occurrence's inductive: name, universes, parameter count and
/// mutual group.
struct NestedApp {
    name: Name,
    levels: Vec<Level>,
    num_params: usize,
    all: Vec<Name>,
}

struct Eliminator<'a> {
    env: &'a Env,
    main: Name,
    num_params: usize,
    levels: Vec<Level>,
    /// The block's parameters (from the first type).
    params: Vec<Expr>,
    new_types: Vec<IndType>,
    /// `I Ds` (over `params`) and its auxiliary type, in creation order.
    nested_aux: Vec<(Expr, Name)>,
    aux_ctors: FxHashMap<Name, (Name, Name)>,
    next_idx: u64,
}

impl Eliminator<'_> {
    fn reject(&self, reason: impl Into<String>) -> KernelError {
        KernelError::reject(&self.main, reason)
    }

    fn is_taken(&self, n: &Name) -> bool {
        self.env.contains(n)
            || self
                .new_types
                .iter()
                .any(|t| &t.name == n || t.ctors.iter().any(|c| &c.name == n))
    }

    /// `_nested.J_k` for the first `k` that makes it and its constructors fresh.
    fn fresh_aux_name(&mut self, j: &Name, num_ctors: usize) -> Name {
        loop {
            let k = self.next_idx;
            self.next_idx += 1;
            let mut n = Name::anonymous().str(NESTED_PREFIX);
            let parts = j.components();
            for (i, p) in parts.iter().enumerate() {
                n = match (p, i + 1 == parts.len()) {
                    (NamePart::Str(s), true) => n.str(&format!("{s}_{k}")),
                    (p, _) => n.extend(p.clone()),
                };
            }
            if matches!(parts.last(), Some(NamePart::Num(_)) | None) {
                n = n.str(&format!("_{k}"));
            }
            let clash =
                self.is_taken(&n) || (0..num_ctors).any(|c| self.is_taken(&aux_ctor_name(&n, c)));
            if !clash {
                return n;
            }
        }
    }

    /// If `e` is `I Ds is` with `I` an earlier inductive and `Ds` mentioning
    /// the block, the `I`'s declaration data.
    fn nested_app(&self, e: &Expr) -> KResult<Option<NestedApp>> {
        if !e.is_app() {
            return Ok(None);
        }
        let (f, args) = e.get_app_args();
        let ExprData::Const(iname, ls) = f.data() else {
            return Ok(None);
        };
        let Some(InductiveVal {
            num_params, all, ..
        }) = self.env.inductive(iname)
        else {
            return Ok(None);
        };
        let np = *num_params as usize;
        if np > args.len() {
            return Ok(None);
        }
        let names: Vec<&Name> = self.new_types.iter().map(|t| &t.name).collect();
        let mentions = |a: &Expr| {
            a.find(|x| match x.data() {
                ExprData::Const(n, _) if names.contains(&n) => Some(()),
                _ => None,
            })
            .is_some()
        };
        if !args[..np].iter().any(mentions) {
            return Ok(None);
        }
        if args[..np].iter().any(Expr::has_loose_bvars) {
            return Err(self.reject(format!(
                "invalid nested inductive occurrence of {iname}: its parameters cannot contain local variables"
            )));
        }
        Ok(Some(NestedApp {
            name: iname.clone(),
            levels: ls.to_vec(),
            num_params: np,
            all: all.to_vec(),
        }))
    }

    /// `I Ds is` ↦ `auxI As is`, creating the auxiliary types on first use.
    fn replace_if_nested(&mut self, tel: &Telescope, e: &Expr) -> KResult<Option<Expr>> {
        let Some(NestedApp {
            name: iname,
            levels: ilevels,
            num_params: np,
            all,
        }) = self.nested_app(e)?
        else {
            return Ok(None);
        };
        let (f, args) = e.get_app_args();
        let i_as = Expr::mk_app(f, &args[..np]);
        let i_params = tel.replace_locals(&i_as, &self.params);
        let aux_app = |name: &Name, levels: &[Level]| {
            let c = Expr::cnst(name.clone(), levels.to_vec());
            Expr::mk_app(Expr::mk_app(c, &tel.locals), &args[np..])
        };
        if let Some((_, aux)) = self.nested_aux.iter().find(|(e, _)| *e == i_params) {
            return Ok(Some(aux_app(aux, &self.levels)));
        }
        if self.new_types.len() + all.len() > MAX_TYPES {
            return Err(KernelError::decline(
                &self.main,
                format!("nested elimination needs more than {MAX_TYPES} auxiliary types"),
            ));
        }
        let mut result = None;
        for j in &all {
            let Some(InductiveVal {
                val, ctors: jctors, ..
            }) = self.env.inductive(j)
            else {
                return Err(self.reject(format!("nested occurrence: {j} is not an inductive type")));
            };
            if val.level_params.len() != ilevels.len() {
                return Err(self.reject(format!(
                    "nested occurrence of {j}: wrong number of universes"
                )));
            }
            let main = self.main.clone();
            let ill_formed = || {
                KernelError::reject(
                    &main,
                    "invalid nested inductive type, ill-formed declaration",
                )
            };
            let aux_name = self.fresh_aux_name(j, jctors.len());
            let jty = val.ty.instantiate_level_params(&val.level_params, &ilevels);
            let jty = instantiate_pi_params(&jty, np, &args).ok_or_else(ill_formed)?;
            let j_as = Expr::mk_app(Expr::cnst(j.clone(), ilevels.clone()), &args[..np]);
            self.nested_aux
                .push((tel.replace_locals(&j_as, &self.params), aux_name.clone()));
            if j == &iname {
                result = Some(aux_app(&aux_name, &self.levels));
            }
            let mut ctors = Vec::with_capacity(jctors.len());
            for (cidx, cname) in jctors.iter().enumerate() {
                let Some(cinfo @ ConstantInfo::Constructor { .. }) = self.env.get(cname) else {
                    return Err(
                        self.reject(format!("nested occurrence: missing constructor {cname}"))
                    );
                };
                let cty = cinfo
                    .ty()
                    .instantiate_level_params(cinfo.level_params(), &ilevels);
                let cty = instantiate_pi_params(&cty, np, &args).ok_or_else(ill_formed)?;
                let name = aux_ctor_name(&aux_name, cidx);
                self.aux_ctors
                    .insert(name.clone(), (aux_name.clone(), cname.clone()));
                ctors.push(Ctor {
                    name,
                    ty: tel.close(false, &cty),
                });
            }
            self.new_types.push(IndType {
                name: aux_name,
                ty: tel.close(false, &jty),
                ctors,
            });
        }
        result.map(Some).ok_or_else(|| {
            self.reject(format!(
                "nested occurrence: {iname} is not in its own group"
            ))
        })
    }

    /// Replaces every nested occurrence in `e`, outermost first.
    fn replace_all(
        &mut self,
        tel: &Telescope,
        e: &Expr,
        memo: &mut FxHashMap<*const crate::expr::ExprNode, Expr>,
    ) -> KResult<Expr> {
        if let Some(r) = memo.get(&e.ptr()) {
            return Ok(r.clone());
        }
        let r = match self.replace_if_nested(tel, e)? {
            Some(r) => r,
            None => match e.data() {
                ExprData::App(f, a) => {
                    let f2 = self.replace_all(tel, f, memo)?;
                    let a2 = self.replace_all(tel, a, memo)?;
                    Expr::app(f2, a2)
                }
                ExprData::Pi(b, d, body) | ExprData::Lam(b, d, body) => {
                    let d2 = self.replace_all(tel, d, memo)?;
                    let body2 = self.replace_all(tel, body, memo)?;
                    if e.is_pi() {
                        Expr::pi(*b, e.binder_info(), d2, body2)
                    } else {
                        Expr::lam(*b, e.binder_info(), d2, body2)
                    }
                }
                ExprData::Let(l) => {
                    let t2 = self.replace_all(tel, &l.ty, memo)?;
                    let v2 = self.replace_all(tel, &l.value, memo)?;
                    let b2 = self.replace_all(tel, &l.body, memo)?;
                    Expr::let_(l.name, t2, v2, b2, l.non_dep)
                }
                ExprData::Proj(s, i, x) => {
                    Expr::proj(s.clone(), u64::from(*i), self.replace_all(tel, x, memo)?)
                }
                _ => e.clone(),
            },
        };
        memo.insert(e.ptr(), r.clone());
        Ok(r)
    }
}

fn aux_ctor_name(aux: &Name, cidx: usize) -> Name {
    aux.num(cidx as u64)
}

/// Eliminates the nested occurrences of `decl` (a no-op when there are none).
pub(crate) fn eliminate(env: &Env, decl: &Decl) -> KResult<Nested> {
    let main = decl.types[0].name.clone();
    let Some((tel, _)) = Telescope::open(&decl.types[0].ty, decl.num_params) else {
        return Err(KernelError::reject(
            &main,
            "invalid inductive declaration, incorrect number of parameters",
        ));
    };
    let mut el = Eliminator {
        env,
        main: main.clone(),
        num_params: decl.num_params,
        levels: decl
            .level_params
            .iter()
            .map(|p| Level::param(p.clone()))
            .collect(),
        params: tel.locals.clone(),
        new_types: decl.types.clone(),
        nested_aux: Vec::new(),
        aux_ctors: FxHashMap::default(),
        next_idx: 1,
    };
    let mut qhead = 0;
    while qhead < el.new_types.len() {
        let mut ctors = el.new_types[qhead].ctors.clone();
        for c in &mut ctors {
            let Some((ctel, body)) = Telescope::open(&c.ty, el.num_params) else {
                return Err(el.reject(format!(
                    "{}: invalid inductive declaration, incorrect number of parameters",
                    c.name
                )));
            };
            let mut memo = FxHashMap::default();
            let body = el.replace_all(&ctel, &body, &mut memo)?;
            c.ty = ctel.close(false, &body);
        }
        el.new_types[qhead].ctors = ctors;
        qhead += 1;
    }
    let aux_to_nested = el
        .nested_aux
        .iter()
        .map(|(e, n)| {
            let ids: Vec<FVarId> = tel.fvars.clone();
            (n.clone(), e.abstract_fvars(&ids))
        })
        .collect();
    Ok(Nested {
        decl: Decl {
            level_params: decl.level_params.clone(),
            num_params: decl.num_params,
            types: el.new_types,
            is_unsafe: decl.is_unsafe,
        },
        num_original: decl.types.len(),
        aux_to_nested,
        aux_ctors: el.aux_ctors,
    })
}

impl Nested {
    pub fn is_nested(&self) -> bool {
        self.decl.types.len() > self.num_original
    }

    pub fn num_nested(&self) -> usize {
        self.decl.types.len() - self.num_original
    }

    /// Auxiliary recursor name → its public name `Main.rec_k`.
    pub fn aux_rec_names(&self) -> FxHashMap<Name, Name> {
        let main = &self.decl.types[0].name;
        self.decl.types[self.num_original..]
            .iter()
            .enumerate()
            .map(|(k, t)| (rec_name(&t.name), main.str(&format!("rec_{}", k + 1))))
            .collect()
    }

    /// The original constructor an auxiliary one copies.
    pub fn original_ctor(&self, aux: &Name) -> Option<&Name> {
        self.aux_ctors.get(aux).map(|(_, c)| c)
    }

    /// Translates a generated term (a recursor type or rule, which starts
    /// with the block's parameters as binders) back to the original types.
    pub fn restore(
        &self,
        e: &Expr,
        rec_names: &FxHashMap<Name, Name>,
        main: &Name,
    ) -> KResult<Expr> {
        let lambda = e.is_lambda();
        let Some((tel, body)) = Telescope::open(e, self.decl.num_params) else {
            return Err(KernelError::reject(
                main,
                "internal: restoring a term without parameters",
            ));
        };
        let mut restorer = Restorer {
            nested: self,
            tel: &tel,
            rec_names,
            main,
            memo: FxHashMap::default(),
        };
        let body = restorer.term(&body)?;
        Ok(tel.close(lambda, &body))
    }
}

/// One [`Nested::restore`]: the parameters it opened, the names it puts
/// back, and what it has restored so far (each shared node once).
struct Restorer<'a> {
    nested: &'a Nested,
    tel: &'a Telescope,
    rec_names: &'a FxHashMap<Name, Name>,
    main: &'a Name,
    memo: FxHashMap<*const crate::expr::ExprNode, Expr>,
}

impl Restorer<'_> {
    fn term(&mut self, e: &Expr) -> KResult<Expr> {
        if let Some(r) = self.memo.get(&e.ptr()) {
            return Ok(r.clone());
        }
        let renamed = match e.data() {
            ExprData::Const(c, ls) => self
                .rec_names
                .get(c)
                .map(|n| Expr::cnst(n.clone(), ls.clone())),
            _ => None,
        };
        let r = match renamed {
            Some(r) => r,
            None => self.head(e)?,
        };
        self.memo.insert(e.ptr(), r.clone());
        Ok(r)
    }

    /// Restores an application whose head is an auxiliary type or
    /// constructor; otherwise recurses into the children.
    fn head(&mut self, e: &Expr) -> KResult<Expr> {
        let this = self.nested;
        let np = this.decl.num_params;
        if let Some(c) = e.get_app_fn().const_name() {
            let nested = this.aux_to_nested.get(c).map(|n| (n, None)).or_else(|| {
                let (aux, orig) = this.aux_ctors.get(c)?;
                Some((this.aux_to_nested.get(aux)?, Some(orig)))
            });
            if let Some((nested, orig_ctor)) = nested {
                let (_, args) = e.get_app_args();
                if args.len() < np {
                    return Err(KernelError::reject(
                        self.main,
                        "internal: auxiliary type without its parameters",
                    ));
                }
                let mut rest = Vec::with_capacity(args.len() - np);
                for a in &args[np..] {
                    rest.push(self.term(a)?);
                }
                let nested = nested.instantiate_rev(&self.tel.locals);
                let head = match orig_ctor {
                    None => nested,
                    Some(orig) => {
                        let (ihead, iargs) = nested.get_app_args();
                        let ExprData::Const(_, ls) = ihead.data() else {
                            return Err(KernelError::reject(
                                self.main,
                                "internal: nested occurrence without a head",
                            ));
                        };
                        Expr::mk_app(Expr::cnst(orig.clone(), ls.clone()), &iargs)
                    }
                };
                return Ok(Expr::mk_app(head, &rest));
            }
        }
        let mut err = None;
        let r = e.map_children(|c, _| match self.term(c) {
            Ok(x) => x,
            Err(x) => {
                err.get_or_insert(x);
                c.clone()
            }
        });
        match err {
            Some(x) => Err(x),
            None => Ok(r),
        }
    }
}

//! Recursor generation for a checked, nested-free declaration: the
//! elimination universe, K-likeness, motives, minor premises with their
//! induction hypotheses, the recursors' types and their reduction rules.

use super::block::rec_name;
use super::check::{local_type, open_local, BlockCtx};
use crate::env::RecRule;
use crate::error::KResult;
use crate::expr::{Expr, ExprData};
use crate::level::Level;
use crate::tc::TypeChecker;
use ix_lean::Name;

/// A generated recursor, before it becomes a `ConstantInfo`.
#[derive(Clone, Debug)]
pub(crate) struct GenRec {
    pub name: Name,
    pub level_params: crate::level::LevelParams,
    pub ty: Expr,
    pub num_params: u32,
    pub num_indices: u32,
    pub num_motives: u32,
    pub num_minors: u32,
    pub rules: Vec<RecRule>,
    pub k: bool,
}

/// A recursive field: the field, the locals of its Pi telescope (after
/// whnf), and the block type and indices it ends in.
struct RecField {
    field: Expr,
    xs: Vec<Expr>,
    target: usize,
    indices: Vec<Expr>,
}

/// A constructor opened at the block's parameters.
struct OpenCtor {
    name: Name,
    fields: Vec<Expr>,
    rec_fields: Vec<RecField>,
    target: usize,
    indices: Vec<Expr>,
}

/// Whether the recursor may only eliminate into `Prop`: a proposition that
/// is mutual, has several constructors, or has one whose non-proof fields do
/// not all occur (syntactically) among the arguments of its result type.
fn elim_only_into_prop(tc: &mut TypeChecker, ctx: &BlockCtx) -> KResult<bool> {
    if ctx.info.result_level.is_never_zero() {
        return Ok(false);
    }
    let [t] = ctx.decl.types.as_slice() else {
        return Ok(true);
    };
    let c = match t.ctors.as_slice() {
        [] => return Ok(false),
        [c] => c,
        _ => return Ok(true),
    };
    let mut ty = c.ty.clone();
    let mut to_check = Vec::new();
    let mut i = 0;
    while let ExprData::Pi(b, dom, body) = ty.data() {
        let x = open_local(tc, *b, dom);
        if i >= ctx.nparams() {
            let s = tc.infer(dom)?;
            if !tc.ensure_sort(&s)?.is_zero() {
                to_check.push(x.clone());
            }
        }
        ty = body.instantiate1(&x);
        i += 1;
    }
    let (_, result_args) = ty.get_app_args();
    Ok(to_check.iter().any(|x| !result_args.contains(x)))
}

/// K-like: a proposition with one type, one constructor and no fields.
fn is_k_target(ctx: &BlockCtx) -> bool {
    let [t] = ctx.decl.types.as_slice() else {
        return false;
    };
    let [c] = t.ctors.as_slice() else {
        return false;
    };
    ctx.info.result_level.is_zero() && super::block::pi_arity(&c.ty) == ctx.nparams()
}

/// `u`, or `u_1`, `u_2`, … : the first name not among `taken`; `preferred`
/// (the exported recursor's choice) wins when it is free.
fn elim_param_name(taken: &[Name], preferred: Option<&Name>) -> Name {
    if let Some(p) = preferred.filter(|p| !taken.contains(p)) {
        return p.clone();
    }
    let mut u = Name::anonymous().str("u");
    let mut i = 1;
    while taken.contains(&u) {
        u = Name::anonymous().str(&format!("u_{i}"));
        i += 1;
    }
    u
}

/// Opens the binders of `ty`, reduced to weak head normal form before each
/// one when `whnf`: the block's parameters stand for the first ones, and
/// each later one is a fresh local, given to `field` with its type. Returns
/// what is left under the binders.
fn open_binders(
    tc: &mut TypeChecker,
    ctx: &BlockCtx,
    ty: &Expr,
    whnf: bool,
    mut field: impl FnMut(&mut TypeChecker, Expr, &Expr) -> KResult<()>,
) -> KResult<Expr> {
    let step = |tc: &mut TypeChecker, t: Expr| if whnf { tc.whnf(&t) } else { Ok(t) };
    let mut t = step(tc, ty.clone())?;
    let mut i = 0;
    while let ExprData::Pi(b, dom, body) = t.data() {
        let x = match ctx.params.get(i) {
            Some(p) => p.clone(),
            None => {
                let x = open_local(tc, *b, dom);
                field(tc, x.clone(), dom)?;
                x
            }
        };
        t = step(tc, body.instantiate1(&x))?;
        i += 1;
    }
    Ok(t)
}

fn open_ctor(tc: &mut TypeChecker, ctx: &BlockCtx, name: &Name, ty: &Expr) -> KResult<OpenCtor> {
    let mut fields = Vec::new();
    let mut rec_fields = Vec::new();
    let t = open_binders(tc, ctx, ty, false, |tc, x, dom| {
        fields.push(x.clone());
        if ctx.is_rec_argument(tc, dom)?.is_some() {
            rec_fields.push(open_rec_field(tc, ctx, x)?);
        }
        Ok(())
    })?;
    let (target, indices) = target_of(tc, ctx, &t)?;
    Ok(OpenCtor {
        name: name.clone(),
        fields,
        rec_fields,
        target,
        indices,
    })
}

fn open_rec_field(tc: &mut TypeChecker, ctx: &BlockCtx, field: Expr) -> KResult<RecField> {
    let fty = local_type(tc, &field)?;
    let mut t = tc.whnf(&fty)?;
    let mut xs = Vec::new();
    while let ExprData::Pi(b, dom, body) = t.data() {
        let x = open_local(tc, *b, dom);
        t = tc.whnf(&body.instantiate1(&x))?;
        xs.push(x);
    }
    let (target, indices) = target_of(tc, ctx, &t)?;
    Ok(RecField {
        field,
        xs,
        target,
        indices,
    })
}

/// The block type `t` is an application of, and its indices.
fn target_of(tc: &TypeChecker, ctx: &BlockCtx, t: &Expr) -> KResult<(usize, Vec<Expr>)> {
    let Some(idx) = ctx.is_valid_ind_app(t) else {
        return Err(tc.reject("internal: not an application of a type of the block"));
    };
    let (_, args) = t.get_app_args();
    Ok((idx, args[ctx.nparams()..].to_vec()))
}

/// Generates the recursors of every type of the block (names `I.rec`).
/// `preferred_elim` is the exported name of the elimination universe, used
/// when it is a fresh name so that the result compares by equality.
pub(crate) fn generate(
    tc: &mut TypeChecker,
    ctx: &BlockCtx,
    preferred_elim: Option<&Name>,
) -> KResult<Vec<GenRec>> {
    let decl = ctx.decl;
    let elim_level = if elim_only_into_prop(tc, ctx)? {
        Level::zero()
    } else {
        Level::param(elim_param_name(&decl.level_params, preferred_elim))
    };
    let k = is_k_target(ctx);
    let (rec_level_params, rec_levels): (crate::level::LevelParams, Vec<Level>) =
        match elim_level.data() {
            crate::level::LevelData::Param(u) => (
                std::iter::once(u.clone())
                    .chain(decl.level_params.iter().cloned())
                    .collect(),
                std::iter::once(elim_level.clone())
                    .chain(ctx.levels.iter().cloned())
                    .collect(),
            ),
            _ => (decl.level_params.clone(), ctx.levels.clone()),
        };

    // Motives: `Π indices (t : I params indices), Sort elim`.
    let mut indices_of = Vec::new();
    let mut majors = Vec::new();
    let mut motives = Vec::new();
    for (d, t) in decl.types.iter().enumerate() {
        let mut indices = Vec::new();
        open_binders(tc, ctx, &t.ty, true, |_, x, _| {
            indices.push(x);
            Ok(())
        })?;
        let major_ty = Expr::mk_app(
            Expr::mk_app(ctx.ind_consts[d].clone(), &ctx.params),
            &indices,
        );
        let major = tc.push_local(Name::anonymous().str("t"), major_ty);
        let mut binders = indices.clone();
        binders.push(major.clone());
        let motive_ty = tc.mk_binding(false, &binders, &Expr::sort(elim_level.clone()));
        let motive_name = if decl.types.len() > 1 {
            Name::anonymous().str(&format!("motive_{}", d + 1))
        } else {
            Name::anonymous().str("motive")
        };
        motives.push(tc.push_local(motive_name, motive_ty));
        indices_of.push(indices);
        majors.push(major);
    }

    // Minor premises, one per constructor, in block order.
    let mut ctors = Vec::new();
    let mut minors = Vec::new();
    for t in &decl.types {
        for c in &t.ctors {
            let oc = open_ctor(tc, ctx, &c.name, &c.ty)?;
            let ctor_app = Expr::mk_app(
                Expr::mk_app(Expr::cnst(c.name.clone(), ctx.levels.clone()), &ctx.params),
                &oc.fields,
            );
            let concl = Expr::app(
                Expr::mk_app(motives[oc.target].clone(), &oc.indices),
                ctor_app,
            );
            let mut ihs = Vec::new();
            for rf in &oc.rec_fields {
                let ih_concl = Expr::app(
                    Expr::mk_app(motives[rf.target].clone(), &rf.indices),
                    Expr::mk_app(rf.field.clone(), &rf.xs),
                );
                let ih_ty = tc.mk_binding(false, &rf.xs, &ih_concl);
                let ih_name = match rf.field.data() {
                    ExprData::FVar(id) => tc.local(*id).map(|d| d.name.name().str("ih")),
                    _ => None,
                }
                .unwrap_or_else(|| Name::anonymous().str("ih"));
                ihs.push(tc.push_local(ih_name, ih_ty));
            }
            let binders: Vec<Expr> = oc.fields.iter().chain(&ihs).cloned().collect();
            let minor_ty = tc.mk_binding(false, &binders, &concl);
            let minor_name = c
                .name
                .last()
                .map_or_else(Name::anonymous, |p| Name::anonymous().extend(p.clone()));
            minors.push(tc.push_local(minor_name, minor_ty));
            ctors.push(oc);
        }
    }

    // Recursors and rules.
    let head: Vec<Expr> = ctx
        .params
        .iter()
        .chain(&motives)
        .chain(&minors)
        .cloned()
        .collect();
    let rec_consts: Vec<Expr> = decl
        .types
        .iter()
        .map(|t| Expr::cnst(rec_name(&t.name), rec_levels.clone()))
        .collect();
    let head_telescope = tc.telescope(&head);
    let mut recs = Vec::with_capacity(decl.types.len());
    let mut minor_idx = 0;
    for (d, t) in decl.types.iter().enumerate() {
        let mut binders = head.clone();
        binders.extend(indices_of[d].iter().cloned());
        binders.push(majors[d].clone());
        let concl = Expr::app(
            Expr::mk_app(motives[d].clone(), &indices_of[d]),
            majors[d].clone(),
        );
        let ty = tc.mk_binding(false, &binders, &concl);
        let mut rules = Vec::with_capacity(t.ctors.len());
        for _ in &t.ctors {
            let oc = &ctors[minor_idx];
            let ihs: Vec<Expr> = oc
                .rec_fields
                .iter()
                .map(|rf| {
                    let call = Expr::mk_app(
                        Expr::mk_app(rec_consts[rf.target].clone(), &head),
                        &rf.indices,
                    );
                    let call = Expr::app(call, Expr::mk_app(rf.field.clone(), &rf.xs));
                    tc.mk_binding(true, &rf.xs, &call)
                })
                .collect();
            let body = Expr::mk_app(Expr::mk_app(minors[minor_idx].clone(), &oc.fields), &ihs);
            rules.push(RecRule {
                ctor: oc.name.clone(),
                num_fields: oc.fields.len() as u32,
                rhs: tc.mk_binding_under(true, &head_telescope, &oc.fields, &body),
            });
            minor_idx += 1;
        }
        recs.push(GenRec {
            name: rec_name(&t.name),
            level_params: rec_level_params.clone(),
            ty,
            num_params: ctx.nparams() as u32,
            num_indices: indices_of[d].len() as u32,
            num_motives: motives.len() as u32,
            num_minors: minors.len() as u32,
            rules,
            k,
        });
    }
    Ok(recs)
}

//! Name resolution and type inference (unification with numeric literal defaulting).

use crate::ast::*;
use crate::builtins::{Builtin, Gadget};
use crate::error::{err, expect_count, CResult, Pos};
use crate::field::P;
use crate::types::{EnumInfo, Ty, TypeEnv};
use rustc_hash::FxHashMap;

/// A function with its parameter and result types resolved.
pub type FnInfo = FnDef<Ty>;

#[derive(Clone, Debug)]
pub enum CallTarget {
    Fn { id: usize, targs: Vec<Ty> },
    Builtin(Builtin),
}

/// A type-checked program: declarations plus the type of every expression.
pub struct Checked {
    pub types: TypeEnv,
    pub fns: Vec<FnInfo>,
    pub fn_index: FxHashMap<String, usize>,
    /// Type of each expression (may mention the enclosing function's `Ty::Param`s).
    pub expr_ty: Vec<Ty>,
    pub calls: FxHashMap<ExprId, CallTarget>,
}

/// Checks a parsed file.
pub fn check(file: SourceFile) -> CResult<Checked> {
    let types = collect_types(&file)?;
    let mut fns = Vec::new();
    let mut fn_index = FxHashMap::default();
    for item in &file.items {
        if let Item::Fn(def) = item {
            if Builtin::from_name(&def.name).is_some() {
                return err(
                    def.pos,
                    format!("`{}` is a builtin and cannot be redefined", def.name),
                );
            }
            check_distinct(def.pos, &def.type_params, "type parameter")?;
            let params = def
                .params
                .iter()
                .map(|(name, te)| Ok((name.clone(), types.resolve(te, &def.type_params)?)))
                .collect::<CResult<Vec<_>>>()?;
            let ret = types.resolve(&def.ret, &def.type_params)?;
            if fn_index.insert(def.name.clone(), fns.len()).is_some() {
                return defined_twice(def.pos, "function", &def.name);
            }
            fns.push(FnInfo {
                name: def.name.clone(),
                pos: def.pos,
                is_pub: def.is_pub,
                type_params: def.type_params.clone(),
                params,
                ret,
                body: def.body.clone(),
            });
        }
    }
    let mut checked = Checked {
        types,
        fns,
        fn_index,
        expr_ty: vec![Ty::unit(); file.expr_count as usize],
        calls: FxHashMap::default(),
    };
    for id in 0..checked.fns.len() {
        check_entry_signature(&checked, id)?;
        let mut fc = FnChecker::new(&checked, id);
        let info = &checked.fns[id];
        let body_ty = fc.expr(&info.body)?;
        fc.unify(&body_ty, &info.ret, tail_pos(&info.body))?;
        let (tys, calls) = fc.finish()?;
        for (eid, ty) in tys {
            if let Some(slot) = checked.expr_ty.get_mut(eid as usize) {
                *slot = ty;
            }
        }
        checked.calls.extend(calls);
    }
    Ok(checked)
}

fn defined_twice<T>(pos: Pos, what: &str, name: &str) -> CResult<T> {
    err(pos, format!("{what} `{name}` is defined twice"))
}

fn check_distinct(pos: Pos, names: &[String], what: &str) -> CResult<()> {
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return err(pos, format!("{what} `{name}` is declared twice"));
        }
    }
    Ok(())
}

fn collect_types(file: &SourceFile) -> CResult<TypeEnv> {
    let mut env = TypeEnv::default();
    for item in &file.items {
        match item {
            Item::Enum(def) => {
                if env.enum_index.contains_key(&def.name) || is_builtin_type(&def.name) {
                    return defined_twice(def.pos, "type", &def.name);
                }
                env.enum_index.insert(def.name.clone(), env.enums.len());
                env.enums.push(EnumInfo {
                    name: def.name.clone(),
                    pos: def.pos,
                    type_params: def.type_params.clone(),
                    ctors: Vec::new(),
                });
            }
            Item::Alias(def) => {
                if env.aliases.contains_key(&def.name) || is_builtin_type(&def.name) {
                    return defined_twice(def.pos, "type", &def.name);
                }
                env.aliases.insert(def.name.clone(), def.clone());
            }
            Item::Fn(_) => {}
        }
    }
    if let Some(alias) = env
        .aliases
        .values()
        .find(|a| env.enum_index.contains_key(&a.name))
    {
        return defined_twice(alias.pos, "type", &alias.name);
    }
    for item in &file.items {
        if let Item::Enum(def) = item {
            check_distinct(def.pos, &def.type_params, "type parameter")?;
            let mut ctors = Vec::new();
            for ctor in &def.ctors {
                if ctors
                    .iter()
                    .any(|(name, _): &(String, Vec<Ty>)| name == &ctor.name)
                {
                    return defined_twice(ctor.pos, "constructor", &ctor.name);
                }
                let fields = ctor
                    .fields
                    .iter()
                    .map(|f| env.resolve(f, &def.type_params))
                    .collect::<CResult<Vec<_>>>()?;
                ctors.push((ctor.name.clone(), fields));
            }
            if ctors.is_empty() {
                return err(def.pos, format!("enum `{}` has no constructors", def.name));
            }
            let id = env.enum_index[&def.name];
            env.enums[id].ctors = ctors;
        }
    }
    for alias in env.aliases.values() {
        env.resolve(&alias.ty, &alias.type_params)?;
    }
    env.check_enum_recursion()?;
    Ok(env)
}

fn is_builtin_type(name: &str) -> bool {
    matches!(name, "G" | "U8")
}

fn check_entry_signature(checked: &Checked, id: usize) -> CResult<()> {
    let info = &checked.fns[id];
    if !info.is_pub {
        return Ok(());
    }
    if !info.type_params.is_empty() {
        return err(
            info.pos,
            format!("entry `{}` must not be generic", info.name),
        );
    }
    let tys = info
        .params
        .iter()
        .map(|(_, t)| t)
        .chain(std::iter::once(&info.ret));
    for ty in tys {
        if checked.types.contains_ptr(ty) {
            return err(
                info.pos,
                format!(
                    "entry `{}` must not take or return pointers (type `{}`)",
                    info.name,
                    checked.types.display(ty)
                ),
            );
        }
    }
    Ok(())
}

struct FnChecker<'a> {
    checked: &'a Checked,
    type_params: &'a [String],
    subst: Vec<Option<Ty>>,
    numeric: Vec<bool>,
    scope: Vec<(String, Ty)>,
    expr_tys: Vec<(ExprId, Ty, Pos)>,
    calls: Vec<(ExprId, CallTarget, Pos)>,
    /// Integer literals, checked against `U8` once their type is known.
    literals: Vec<(Ty, u128, Pos)>,
}

impl<'a> FnChecker<'a> {
    fn new(checked: &'a Checked, id: usize) -> Self {
        let info = &checked.fns[id];
        FnChecker {
            checked,
            type_params: &info.type_params,
            subst: Vec::new(),
            numeric: Vec::new(),
            scope: info.params.clone(),
            expr_tys: Vec::new(),
            calls: Vec::new(),
            literals: Vec::new(),
        }
    }

    fn show(&self, ty: &Ty) -> String {
        self.checked.types.display(&self.zonk(ty))
    }

    fn fresh(&mut self, numeric: bool) -> Ty {
        self.subst.push(None);
        self.numeric.push(numeric);
        Ty::Var((self.subst.len() - 1) as u32)
    }

    fn shallow(&self, ty: &Ty) -> Ty {
        let mut ty = ty.clone();
        while let Ty::Var(v) = ty {
            match &self.subst[v as usize] {
                Some(bound) => ty = bound.clone(),
                None => break,
            }
        }
        ty
    }

    fn zonk(&self, ty: &Ty) -> Ty {
        match self.shallow(ty) {
            Ty::Tuple(elems) => Ty::Tuple(elems.iter().map(|t| self.zonk(t)).collect()),
            Ty::Array(elem, n) => Ty::Array(Box::new(self.zonk(&elem)), n),
            Ty::Ptr(inner) => Ty::Ptr(Box::new(self.zonk(&inner))),
            Ty::Enum(id, args) => Ty::Enum(id, args.iter().map(|t| self.zonk(t)).collect()),
            other => other,
        }
    }

    fn occurs(&self, var: u32, ty: &Ty) -> bool {
        match self.shallow(ty) {
            Ty::Var(v) => v == var,
            Ty::Tuple(elems) => elems.iter().any(|t| self.occurs(var, t)),
            Ty::Array(elem, _) | Ty::Ptr(elem) => self.occurs(var, &elem),
            Ty::Enum(_, args) => args.iter().any(|t| self.occurs(var, t)),
            _ => false,
        }
    }

    fn unify(&mut self, found: &Ty, expected: &Ty, pos: Pos) -> CResult<()> {
        if self.unify_inner(found, expected) {
            Ok(())
        } else {
            err(
                pos,
                format!(
                    "type mismatch: expected `{}`, found `{}`",
                    self.show(expected),
                    self.show(found)
                ),
            )
        }
    }

    fn unify_inner(&mut self, a: &Ty, b: &Ty) -> bool {
        let (a, b) = (self.shallow(a), self.shallow(b));
        match (&a, &b) {
            (Ty::Var(x), Ty::Var(y)) if x == y => true,
            (Ty::Var(x), other) | (other, Ty::Var(x)) => self.bind(*x, other),
            (Ty::G, Ty::G) | (Ty::U8, Ty::U8) => true,
            (Ty::Param(x), Ty::Param(y)) => x == y,
            (Ty::Tuple(xs), Ty::Tuple(ys)) => {
                xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| self.unify_inner(x, y))
            }
            (Ty::Array(x, n), Ty::Array(y, m)) => n == m && self.unify_inner(x, y),
            (Ty::Ptr(x), Ty::Ptr(y)) => self.unify_inner(x, y),
            (Ty::Enum(i, xs), Ty::Enum(j, ys)) => {
                i == j
                    && xs.len() == ys.len()
                    && xs.iter().zip(ys).all(|(x, y)| self.unify_inner(x, y))
            }
            _ => false,
        }
    }

    fn bind(&mut self, var: u32, ty: &Ty) -> bool {
        let v = var as usize;
        if self.numeric[v] {
            match ty {
                Ty::G | Ty::U8 => {}
                Ty::Var(other) => self.numeric[*other as usize] = true,
                _ => return false,
            }
        }
        if self.occurs(var, ty) {
            return false;
        }
        self.subst[v] = Some(ty.clone());
        true
    }

    fn record(&mut self, e: &Expr, ty: Ty) -> Ty {
        self.expr_tys.push((e.id, ty.clone(), e.pos));
        ty
    }

    /// Resolves every recorded type; unconstrained literals default to `G`.
    #[allow(clippy::type_complexity)]
    fn finish(mut self) -> CResult<(Vec<(ExprId, Ty)>, Vec<(ExprId, CallTarget)>)> {
        for v in 0..self.subst.len() {
            if self.subst[v].is_none() && self.numeric[v] {
                self.subst[v] = Some(Ty::G);
            }
        }
        for (ty, value, pos) in &self.literals {
            if self.zonk(ty) == Ty::U8 && *value > 255 {
                return err(*pos, format!("literal {value} does not fit in U8"));
            }
        }
        let mut tys = Vec::new();
        for (id, ty, pos) in &self.expr_tys {
            let ty = self.zonk(ty);
            self.require_concrete(&ty, *pos)?;
            tys.push((*id, ty));
        }
        let mut calls = Vec::new();
        for (id, target, pos) in &self.calls {
            let target = match target {
                CallTarget::Fn { id: f, targs } => {
                    let targs: Vec<Ty> = targs.iter().map(|t| self.zonk(t)).collect();
                    for t in &targs {
                        self.require_concrete(t, *pos)?;
                    }
                    CallTarget::Fn { id: *f, targs }
                }
                CallTarget::Builtin(b) => CallTarget::Builtin(*b),
            };
            calls.push((*id, target));
        }
        Ok((tys, calls))
    }

    fn require_concrete(&self, ty: &Ty, pos: Pos) -> CResult<()> {
        let has_var = match ty {
            Ty::Var(_) => true,
            Ty::Tuple(elems) => {
                return elems.iter().try_for_each(|t| self.require_concrete(t, pos))
            }
            Ty::Array(elem, _) | Ty::Ptr(elem) => return self.require_concrete(elem, pos),
            Ty::Enum(_, args) => {
                return args.iter().try_for_each(|t| self.require_concrete(t, pos))
            }
            _ => false,
        };
        if has_var {
            return err(pos, "cannot infer this type: add a type annotation");
        }
        Ok(())
    }

    /// The type of the literal `value`, still to be defaulted; refused
    /// unless it is below the field modulus.
    fn literal(&mut self, value: u128, pos: Pos) -> CResult<Ty> {
        if value >= u128::from(P) {
            return err(
                pos,
                format!("literal {value} is not below the field modulus"),
            );
        }
        Ok(self.fresh(true))
    }

    fn expr(&mut self, e: &Expr) -> CResult<Ty> {
        let ty = self.expr_kind(e)?;
        Ok(self.record(e, ty))
    }

    fn expr_kind(&mut self, e: &Expr) -> CResult<Ty> {
        match &e.kind {
            ExprKind::Int(value) => {
                let ty = self.literal(*value, e.pos)?;
                self.literals.push((ty.clone(), *value, e.pos));
                Ok(ty)
            }
            ExprKind::Var(name) => match self.scope.iter().rev().find(|(n, _)| n == name) {
                Some((_, ty)) => Ok(ty.clone()),
                None => err(e.pos, format!("unknown variable `{name}`")),
            },
            ExprKind::Tuple(elems) => Ok(Ty::Tuple(
                elems.iter().map(|x| self.expr(x)).collect::<CResult<_>>()?,
            )),
            ExprKind::Array(elems) => {
                let elem = self.fresh(false);
                for x in elems {
                    let t = self.expr(x)?;
                    self.unify(&t, &elem, x.pos)?;
                }
                Ok(Ty::Array(Box::new(elem), elems.len() as u64))
            }
            ExprKind::ArrayRepeat(x, n) => Ok(Ty::Array(Box::new(self.expr(x)?), *n)),
            ExprKind::Proj(x, i) => {
                let t = self.expr(x)?;
                match self.shallow(&t) {
                    Ty::Tuple(elems) => match elems.get(*i as usize) {
                        Some(t) => Ok(t.clone()),
                        None => err(e.pos, format!("tuple `{}` has no field {i}", self.show(&t))),
                    },
                    _ => err(
                        e.pos,
                        format!(
                            "`.{i}` needs a tuple whose type is known here, found `{}`",
                            self.show(&t)
                        ),
                    ),
                }
            }
            ExprKind::Index(x, i) => {
                let t = self.expr(x)?;
                match self.shallow(&t) {
                    Ty::Array(elem, n) if *i < n => Ok(*elem),
                    Ty::Array(_, n) => err(
                        e.pos,
                        format!("index {i} out of bounds for an array of length {n}"),
                    ),
                    _ => err(
                        e.pos,
                        format!(
                            "indexing needs an array whose type is known here, found `{}`",
                            self.show(&t)
                        ),
                    ),
                }
            }
            ExprKind::Binary(_, lhs, rhs) => {
                let (l, r) = (self.expr(lhs)?, self.expr(rhs)?);
                self.unify(&l, &Ty::G, lhs.pos)?;
                self.unify(&r, &Ty::G, rhs.pos)?;
                Ok(Ty::G)
            }
            ExprKind::Call {
                name,
                args,
                unconstrained,
            } => self.call(e, name, args, *unconstrained),
            ExprKind::Ctor {
                enum_name,
                ctor,
                args,
            } => {
                let (ty, fields) = self.ctor_fields(e.pos, enum_name, ctor)?;
                expect_count(e.pos, fields.len(), args.len(), |n, got| {
                    format!("`{enum_name}::{ctor}` takes {n} field(s), got {got}")
                })?;
                for (arg, field) in args.iter().zip(&fields) {
                    let t = self.expr(arg)?;
                    self.unify(&t, field, arg.pos)?;
                }
                Ok(ty)
            }
            ExprKind::Match { scrutinee, arms } => {
                let st = self.expr(scrutinee)?;
                let result = self.fresh(false);
                for arm in arms {
                    let mark = self.scope.len();
                    let mut binds = Vec::new();
                    self.pat(&arm.pat, &st, &mut binds)?;
                    self.scope.extend(binds);
                    let t = self.expr(&arm.body)?;
                    self.unify(&t, &result, tail_pos(&arm.body))?;
                    self.scope.truncate(mark);
                }
                Ok(result)
            }
            ExprKind::Block { stmts, tail } => {
                let mark = self.scope.len();
                for stmt in stmts {
                    self.stmt(stmt)?;
                }
                let t = self.expr(tail)?;
                self.scope.truncate(mark);
                Ok(t)
            }
            ExprKind::AssertEq(lhs, rhs) => {
                let (l, r) = (self.expr(lhs)?, self.expr(rhs)?);
                self.unify(&r, &l, rhs.pos)?;
                Ok(Ty::unit())
            }
            ExprKind::Unreachable => Ok(self.fresh(false)),
        }
    }

    fn stmt(&mut self, stmt: &Stmt) -> CResult<()> {
        match stmt {
            Stmt::Expr(e) => self.expr(e).map(|_| ()),
            Stmt::Let { pat, ty, value } => {
                let t = self.expr(value)?;
                if let Some(te) = ty {
                    let annotated = self.checked.types.resolve(te, self.type_params)?;
                    self.unify(&t, &annotated, value.pos)?;
                }
                // The parser turns a refutable `let` into a `match`.
                if let Some(pos) = pat.refutable_at() {
                    return err(pos, "internal: refutable pattern in `let`");
                }
                let mut binds = Vec::new();
                self.pat(pat, &t, &mut binds)?;
                self.scope.extend(binds);
                Ok(())
            }
        }
    }

    /// Instantiates an enum with fresh variables; returns its type and the constructor's field types.
    fn ctor_fields(&mut self, pos: Pos, enum_name: &str, ctor: &str) -> CResult<(Ty, Vec<Ty>)> {
        let types = &self.checked.types;
        let Some(&id) = types.enum_index.get(enum_name) else {
            return err(pos, format!("unknown enum `{enum_name}`"));
        };
        let info = &types.enums[id];
        let Some((_, fields)) = info.ctors.iter().find(|(n, _)| n == ctor) else {
            return err(
                pos,
                format!("enum `{enum_name}` has no constructor `{ctor}`"),
            );
        };
        let fields = fields.clone();
        let nparams = info.type_params.len();
        let args: Vec<Ty> = (0..nparams).map(|_| self.fresh(false)).collect();
        let fields = fields.iter().map(|f| f.subst(&args)).collect();
        Ok((Ty::Enum(id, args), fields))
    }

    fn pat(&mut self, p: &Pat, ty: &Ty, binds: &mut Vec<(String, Ty)>) -> CResult<()> {
        match &p.kind {
            PatKind::Wild => Ok(()),
            PatKind::Bind(name) => {
                if binds.iter().any(|(n, _)| n == name) {
                    return err(
                        p.pos,
                        format!("variable `{name}` is bound twice in this pattern"),
                    );
                }
                binds.push((name.clone(), ty.clone()));
                Ok(())
            }
            PatKind::Int(value) => {
                let lit = self.literal(*value, p.pos)?;
                self.unify(&lit, ty, p.pos)?;
                if self.shallow(ty) == Ty::U8 && *value > 255 {
                    return err(p.pos, format!("literal {value} does not fit in U8"));
                }
                Ok(())
            }
            PatKind::Tuple(elems) => {
                let tys: Vec<Ty> = elems.iter().map(|_| self.fresh(false)).collect();
                self.unify(&Ty::Tuple(tys.clone()), ty, p.pos)?;
                elems
                    .iter()
                    .zip(&tys)
                    .try_for_each(|(e, t)| self.pat(e, t, binds))
            }
            PatKind::Array(elems) => {
                let elem = self.fresh(false);
                let n = elems.len() as u64;
                self.unify(&Ty::Array(Box::new(elem.clone()), n), ty, p.pos)?;
                elems.iter().try_for_each(|e| self.pat(e, &elem, binds))
            }
            PatKind::Deref(inner) => {
                let pointee = self.fresh(false);
                self.unify(&Ty::Ptr(Box::new(pointee.clone())), ty, p.pos)?;
                self.pat(inner, &pointee, binds)
            }
            PatKind::Ctor {
                enum_name,
                ctor,
                args,
            } => {
                let (ety, fields) = self.ctor_fields(p.pos, enum_name, ctor)?;
                self.unify(&ety, ty, p.pos)?;
                expect_count(p.pos, fields.len(), args.len(), |n, got| {
                    format!("`{enum_name}::{ctor}` has {n} field(s), pattern has {got}")
                })?;
                args.iter()
                    .zip(&fields)
                    .try_for_each(|(a, f)| self.pat(a, f, binds))
            }
        }
    }

    fn call(&mut self, e: &Expr, name: &str, args: &[Expr], unconstrained: bool) -> CResult<Ty> {
        if let Some(&id) = self.checked.fn_index.get(name) {
            let info = &self.checked.fns[id];
            expect_count(e.pos, info.params.len(), args.len(), |n, got| {
                format!("`{name}` takes {n} argument(s), got {got}")
            })?;
            let (params, ret, nparams) = (
                info.params.clone(),
                info.ret.clone(),
                info.type_params.len(),
            );
            let targs: Vec<Ty> = (0..nparams).map(|_| self.fresh(false)).collect();
            for (arg, (_, pty)) in args.iter().zip(&params) {
                let t = self.expr(arg)?;
                self.unify(&t, &pty.subst(&targs), arg.pos)?;
            }
            self.calls.push((
                e.id,
                CallTarget::Fn {
                    id,
                    targs: targs.clone(),
                },
                e.pos,
            ));
            return Ok(ret.subst(&targs));
        }
        let Some(builtin) = Builtin::from_name(name) else {
            return err(e.pos, format!("unknown function `{name}`"));
        };
        if unconstrained {
            return err(
                e.pos,
                format!("`#` applies to functions, not to the builtin `{name}`"),
            );
        }
        self.calls.push((e.id, CallTarget::Builtin(builtin), e.pos));
        self.builtin(e, name, builtin, args)
    }

    fn expect_args(&self, e: &Expr, name: &str, args: &[Expr], n: usize) -> CResult<()> {
        expect_count(e.pos, n, args.len(), |n, got| {
            format!("`{name}` takes {n} argument(s), got {got}")
        })
    }

    /// Checks `args` against `want` in order.
    fn args_of(&mut self, args: &[Expr], want: &[Ty]) -> CResult<()> {
        for (arg, w) in args.iter().zip(want) {
            let t = self.expr(arg)?;
            self.unify(&t, w, arg.pos)?;
        }
        Ok(())
    }

    fn builtin(&mut self, e: &Expr, name: &str, builtin: Builtin, args: &[Expr]) -> CResult<Ty> {
        let ptr = |t: &Ty| Ty::Ptr(Box::new(t.clone()));
        match builtin {
            Builtin::Store => {
                self.expect_args(e, name, args, 1)?;
                let t = self.fresh(false);
                self.args_of(args, std::slice::from_ref(&t))?;
                Ok(ptr(&t))
            }
            Builtin::Load | Builtin::PtrVal => {
                self.expect_args(e, name, args, 1)?;
                let t = self.fresh(false);
                self.args_of(args, &[ptr(&t)])?;
                Ok(if builtin == Builtin::Load { t } else { Ty::G })
            }
            Builtin::EqZero => self.fixed(e, name, args, &[Ty::G], Ty::G),
            Builtin::ToField => self.fixed(e, name, args, &[Ty::U8], Ty::G),
            Builtin::U8FromFieldUnsafe => self.fixed(e, name, args, &[Ty::G], Ty::U8),
            Builtin::IoGetInfo => {
                self.expect_args(e, name, args, 2)?;
                let key = self.fresh(false);
                self.args_of(args, &[Ty::G, key])?;
                Ok(Ty::Tuple(vec![Ty::G, Ty::G]))
            }
            Builtin::IoRead => {
                self.expect_args(e, name, args, 3)?;
                self.args_of(&args[..2], &[Ty::G, Ty::G])?;
                let len = match &args[2].kind {
                    ExprKind::Int(n) if *n <= 1 << 20 => *n as u64,
                    _ => {
                        return err(
                            args[2].pos,
                            "the length of `io_read` must be an integer literal",
                        )
                    }
                };
                self.record(&args[2], Ty::G);
                Ok(Ty::Array(Box::new(Ty::G), len))
            }
            Builtin::Gadget(g) => {
                let (ins, out) = gadget_signature(g);
                self.fixed(e, name, args, &ins, out)
            }
        }
    }

    fn fixed(&mut self, e: &Expr, name: &str, args: &[Expr], ins: &[Ty], out: Ty) -> CResult<Ty> {
        self.expect_args(e, name, args, ins.len())?;
        self.args_of(args, ins)?;
        Ok(out)
    }
}

fn gadget_signature(g: Gadget) -> (Vec<Ty>, Ty) {
    let (u8, f) = (Ty::U8, Ty::G);
    match g {
        Gadget::BitDecomposition => (vec![u8], Ty::Array(Box::new(f), 8)),
        Gadget::ShiftLeft | Gadget::ShiftRight => (vec![u8.clone()], u8),
        Gadget::Xor | Gadget::And | Gadget::Or => (vec![u8.clone(), u8.clone()], u8),
        Gadget::LessThan => (vec![u8.clone(), u8], f),
        Gadget::Add | Gadget::Sub => (vec![u8.clone(), u8.clone()], Ty::Tuple(vec![u8, f])),
        Gadget::Mul => (
            vec![u8.clone(), u8.clone()],
            Ty::Tuple(vec![u8.clone(), u8]),
        ),
        Gadget::RangeCheck => (vec![f], Ty::unit()),
        Gadget::U32LessThan => (vec![f.clone(), f.clone()], f),
    }
}

/// Where a block's value comes from, for error positions.
fn tail_pos(e: &Expr) -> Pos {
    match &e.kind {
        ExprKind::Block { tail, .. } => tail_pos(tail),
        _ => e.pos,
    }
}

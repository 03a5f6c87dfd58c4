//! Semantic types, type-expression resolution (aliases, generics) and flat sizes.

use crate::ast::{AliasDef, TypeExpr, TypeExprKind};
use crate::error::{err, expect_count, CResult, Pos};
use rustc_hash::FxHashMap;
use std::fmt;

pub type EnumId = usize;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    G,
    U8,
    Tuple(Vec<Ty>),
    Array(Box<Ty>, u64),
    Ptr(Box<Ty>),
    Enum(EnumId, Vec<Ty>),
    /// The i-th type parameter of the enclosing generic definition.
    Param(u32),
    /// An inference variable, only alive while a function is being checked.
    Var(u32),
}

impl Ty {
    pub fn unit() -> Ty {
        Ty::Tuple(Vec::new())
    }

    /// Replaces type parameters by `args`.
    pub fn subst(&self, args: &[Ty]) -> Ty {
        match self {
            Ty::Param(i) => args.get(*i as usize).cloned().unwrap_or(Ty::Param(*i)),
            Ty::G | Ty::U8 | Ty::Var(_) => self.clone(),
            Ty::Tuple(elems) => Ty::Tuple(elems.iter().map(|t| t.subst(args)).collect()),
            Ty::Array(elem, n) => Ty::Array(Box::new(elem.subst(args)), *n),
            Ty::Ptr(inner) => Ty::Ptr(Box::new(inner.subst(args))),
            Ty::Enum(id, targs) => Ty::Enum(*id, targs.iter().map(|t| t.subst(args)).collect()),
        }
    }
}

#[derive(Clone, Debug)]
pub struct EnumInfo {
    pub name: String,
    pub pos: Pos,
    pub type_params: Vec<String>,
    /// Constructor names and field types (mentioning `Ty::Param`).
    pub ctors: Vec<(String, Vec<Ty>)>,
}

/// Type-level declarations: enums and aliases.
#[derive(Default, Debug)]
pub struct TypeEnv {
    pub enums: Vec<EnumInfo>,
    pub enum_index: FxHashMap<String, EnumId>,
    pub aliases: FxHashMap<String, AliasDef>,
}

/// Alias expansion deeper than this is a cycle.
const MAX_ALIAS_DEPTH: u32 = 64;

impl TypeEnv {
    /// Resolves a written type; `params` are the type parameters in scope.
    pub fn resolve(&self, te: &TypeExpr, params: &[String]) -> CResult<Ty> {
        self.resolve_at(te, params, &[], 0)
    }

    fn resolve_at(
        &self,
        te: &TypeExpr,
        params: &[String],
        outer: &[Ty],
        depth: u32,
    ) -> CResult<Ty> {
        if depth > MAX_ALIAS_DEPTH {
            return err(
                te.pos,
                "type alias expansion does not terminate (cyclic alias?)",
            );
        }
        match &te.kind {
            TypeExprKind::Tuple(elems) => Ok(Ty::Tuple(
                elems
                    .iter()
                    .map(|e| self.resolve_at(e, params, outer, depth))
                    .collect::<CResult<_>>()?,
            )),
            TypeExprKind::Array(elem, n) => Ok(Ty::Array(
                Box::new(self.resolve_at(elem, params, outer, depth)?),
                *n,
            )),
            TypeExprKind::Ptr(inner) => Ok(Ty::Ptr(Box::new(
                self.resolve_at(inner, params, outer, depth)?,
            ))),
            TypeExprKind::Named(name, args) => {
                let args: Vec<Ty> = args
                    .iter()
                    .map(|a| self.resolve_at(a, params, outer, depth))
                    .collect::<CResult<_>>()?;
                self.resolve_named(te.pos, name, args, params, outer, depth)
            }
        }
    }

    fn resolve_named(
        &self,
        pos: Pos,
        name: &str,
        args: Vec<Ty>,
        params: &[String],
        outer: &[Ty],
        depth: u32,
    ) -> CResult<Ty> {
        let no_args = |ty: Ty| {
            if args.is_empty() {
                Ok(ty)
            } else {
                err(pos, format!("`{name}` takes no type arguments"))
            }
        };
        if let Some(i) = params.iter().position(|p| p == name) {
            // Inside an alias body, its parameters stand for the alias arguments.
            return no_args(outer.get(i).cloned().unwrap_or(Ty::Param(i as u32)));
        }
        match name {
            "G" => return no_args(Ty::G),
            "U8" => return no_args(Ty::U8),
            _ => {}
        }
        if let Some(&id) = self.enum_index.get(name) {
            let expected = self.enums[id].type_params.len();
            expect_count(pos, expected, args.len(), |n, got| {
                format!("enum `{name}` takes {n} type argument(s), got {got}")
            })?;
            return Ok(Ty::Enum(id, args));
        }
        if let Some(alias) = self.aliases.get(name) {
            expect_count(pos, alias.type_params.len(), args.len(), |n, got| {
                format!("type alias `{name}` takes {n} type argument(s), got {got}")
            })?;
            return self.resolve_at(&alias.ty, &alias.type_params, &args, depth + 1);
        }
        err(pos, format!("unknown type `{name}`"))
    }

    pub fn display(&self, ty: &Ty) -> String {
        TyDisplay { env: self, ty }.to_string()
    }

    /// Rejects enums that contain themselves other than behind a pointer.
    pub fn check_enum_recursion(&self) -> CResult<()> {
        for id in 0..self.enums.len() {
            let mut visiting = vec![false; self.enums.len()];
            if self.reaches(id, id, &mut visiting) {
                let info = &self.enums[id];
                return err(
                    info.pos,
                    format!("recursive type `{}` has infinite size: put the recursive field behind a pointer `&`", info.name),
                );
            }
        }
        Ok(())
    }

    /// Whether `from`'s fields contain `target` by value (conservatively, including type arguments).
    fn reaches(&self, from: EnumId, target: EnumId, visiting: &mut [bool]) -> bool {
        if std::mem::replace(&mut visiting[from], true) {
            return false;
        }
        let mut found = false;
        for (_, fields) in &self.enums[from].ctors {
            for field in fields {
                found |= self.ty_reaches(field, target, visiting);
            }
        }
        found
    }

    fn ty_reaches(&self, ty: &Ty, target: EnumId, visiting: &mut [bool]) -> bool {
        match ty {
            Ty::Enum(id, args) => {
                *id == target
                    || self.reaches(*id, target, visiting)
                    || args.iter().any(|a| self.ty_reaches(a, target, visiting))
            }
            Ty::Tuple(elems) => elems.iter().any(|e| self.ty_reaches(e, target, visiting)),
            Ty::Array(elem, _) => self.ty_reaches(elem, target, visiting),
            Ty::G | Ty::U8 | Ty::Ptr(_) | Ty::Param(_) | Ty::Var(_) => false,
        }
    }

    /// Whether a value of this type can hold a pointer (entries must not take or return one).
    pub fn contains_ptr(&self, ty: &Ty) -> bool {
        let mut seen = Vec::new();
        self.contains_ptr_in(ty, &mut seen)
    }

    fn contains_ptr_in(&self, ty: &Ty, seen: &mut Vec<Ty>) -> bool {
        match ty {
            Ty::Ptr(_) => true,
            Ty::Tuple(elems) => elems.iter().any(|e| self.contains_ptr_in(e, seen)),
            Ty::Array(elem, _) => self.contains_ptr_in(elem, seen),
            Ty::Enum(id, args) => {
                if seen.contains(ty) {
                    return false;
                }
                seen.push(ty.clone());
                let fields: Vec<Ty> = self.enums[*id]
                    .ctors
                    .iter()
                    .flat_map(|(_, f)| f.iter().map(|t| t.subst(args)))
                    .collect();
                fields.iter().any(|f| self.contains_ptr_in(f, seen))
            }
            Ty::G | Ty::U8 | Ty::Param(_) | Ty::Var(_) => false,
        }
    }
}

struct TyDisplay<'a> {
    env: &'a TypeEnv,
    ty: &'a Ty,
}

impl fmt::Display for TyDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |ty| TyDisplay { env: self.env, ty };
        match self.ty {
            Ty::G => write!(f, "G"),
            Ty::U8 => write!(f, "U8"),
            Ty::Tuple(elems) => {
                write!(f, "(")?;
                for (i, e) in elems.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{}", show(e))?;
                }
                write!(f, ")")
            }
            Ty::Array(elem, n) => write!(f, "[{}; {n}]", show(elem)),
            Ty::Ptr(inner) => write!(f, "&{}", show(inner)),
            Ty::Enum(id, args) => {
                write!(
                    f,
                    "{}",
                    self.env.enums.get(*id).map_or("?", |e| e.name.as_str())
                )?;
                if !args.is_empty() {
                    write!(f, "<")?;
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            write!(f, ", ")?;
                        }
                        write!(f, "{}", show(a))?;
                    }
                    write!(f, ">")?;
                }
                Ok(())
            }
            Ty::Param(i) => write!(f, "T{i}"),
            Ty::Var(_) => write!(f, "_"),
        }
    }
}

/// Flat sizes of concrete types, memoized (enums: 1 tag + widest constructor).
#[derive(Default)]
pub struct Sizer {
    cache: FxHashMap<Ty, u32>,
}

/// Sizes beyond this are rejected: no circuit row is that wide.
const MAX_FLAT_SIZE: u64 = 1 << 20;

impl Sizer {
    pub fn size(&mut self, env: &TypeEnv, ty: &Ty, pos: Pos) -> CResult<u32> {
        let mut in_progress = Vec::new();
        self.size_in(env, ty, pos, &mut in_progress)
    }

    fn size_in(
        &mut self,
        env: &TypeEnv,
        ty: &Ty,
        pos: Pos,
        in_progress: &mut Vec<Ty>,
    ) -> CResult<u32> {
        let size: u64 = match ty {
            Ty::G | Ty::U8 | Ty::Ptr(_) => 1,
            Ty::Tuple(elems) => {
                let mut total = 0u64;
                for e in elems {
                    total += u64::from(self.size_in(env, e, pos, in_progress)?);
                }
                total
            }
            Ty::Array(elem, n) => {
                u64::from(self.size_in(env, elem, pos, in_progress)?).saturating_mul(*n)
            }
            Ty::Enum(id, args) => {
                if let Some(&cached) = self.cache.get(ty) {
                    return Ok(cached);
                }
                if in_progress.contains(ty) {
                    return err(
                        pos,
                        format!(
                            "type `{}` contains itself without a pointer",
                            env.display(ty)
                        ),
                    );
                }
                in_progress.push(ty.clone());
                let mut widest = 0u64;
                let ctors = env
                    .enums
                    .get(*id)
                    .map(|e| e.ctors.clone())
                    .unwrap_or_default();
                for (_, fields) in &ctors {
                    let mut width = 0u64;
                    for field in fields {
                        width +=
                            u64::from(self.size_in(env, &field.subst(args), pos, in_progress)?);
                    }
                    widest = widest.max(width);
                }
                in_progress.pop();
                1 + widest
            }
            Ty::Param(_) | Ty::Var(_) => return err(pos, "internal: size of a non-concrete type"),
        };
        if size > MAX_FLAT_SIZE {
            return err(
                pos,
                format!(
                    "type `{}` is too large ({size} field elements)",
                    env.display(ty)
                ),
            );
        }
        let size = size as u32;
        if matches!(ty, Ty::Enum(..)) {
            self.cache.insert(ty.clone(), size);
        }
        Ok(size)
    }
}

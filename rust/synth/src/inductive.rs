//! Inductive blocks of the shape the generator uses (shared parameters, no
//! indices, fields that are either closed over the parameters or a block
//! member applied to the parameters), with the recursors Lean would export.

use crate::term::*;
use ix_lean::*;

/// Builds a type from the parameter variables.
pub type TypeFromParams = Box<dyn Fn(&[Term]) -> Term>;

/// The type of one constructor field, as a function of the parameters.
pub enum FieldType {
    /// A type built from the parameter variables.
    External(TypeFromParams),
    /// Member `i` of the block applied to the parameters (a recursive field).
    Member(usize),
}

pub struct CtorSpec {
    pub name: Name,
    pub fields: Vec<(String, FieldType)>,
}

pub struct TypeSpec {
    pub name: Name,
    pub ctors: Vec<CtorSpec>,
}

pub struct ParamSpec {
    pub name: String,
    /// The parameter's type given the earlier parameters.
    pub ty: TypeFromParams,
}

pub struct BlockSpec {
    pub level_params: Vec<Name>,
    pub params: Vec<ParamSpec>,
    /// The level `l` of the types' sort `Sort l`; must not be zero (no Prop),
    /// so the recursors eliminate into any universe.
    pub sort_level: LevelRef,
    pub types: Vec<TypeSpec>,
}

struct Telescope {
    binders: Vec<Binder>,
    vars: Vec<Term>,
}

impl BlockSpec {
    /// A structure `name` in `Type`, without parameters: one constructor
    /// `name.mk` with `fields`.
    pub fn structure(name: &Name, fields: Vec<(String, FieldType)>) -> BlockSpec {
        BlockSpec {
            level_params: Vec::new(),
            params: Vec::new(),
            sort_level: crate::prelude::level_one(),
            types: vec![TypeSpec {
                name: name.clone(),
                ctors: vec![CtorSpec {
                    name: name.str("mk"),
                    fields,
                }],
            }],
        }
    }

    fn level_args(&self) -> Vec<LevelRef> {
        self.level_params
            .iter()
            .map(|n| Level::param(n.clone()))
            .collect()
    }

    fn params(&self, info: BinderInfo, kind: BindKind) -> Telescope {
        let mut binders = Vec::new();
        let mut vars: Vec<Term> = Vec::new();
        for p in &self.params {
            let (b, v) = Binder::new(kind, &p.name, info, (p.ty)(&vars));
            binders.push(b);
            vars.push(v);
        }
        Telescope { binders, vars }
    }

    fn member(&self, i: usize, params: &[Term]) -> Term {
        app(cnst(&self.types[i].name, &self.level_args()), params)
    }

    fn field_type(&self, f: &FieldType, params: &[Term]) -> Term {
        match f {
            FieldType::External(make) => make(params),
            FieldType::Member(i) => self.member(*i, params),
        }
    }

    /// A binder of kind `kind` per field of `c`, and the fields' variables.
    fn field_binders(
        &self,
        kind: BindKind,
        c: &CtorSpec,
        params: &[Term],
    ) -> (Vec<Binder>, Vec<Term>) {
        c.fields
            .iter()
            .map(|(name, f)| {
                let ty = self.field_type(f, params);
                Binder::new(kind, name, BinderInfo::Default, ty)
            })
            .unzip()
    }

    fn ctor_type(&self, c: &CtorSpec, ty_index: usize) -> Term {
        let ps = self.params(BinderInfo::Implicit, BindKind::Pi);
        let mut binders = ps.binders;
        binders.extend(self.field_binders(BindKind::Pi, c, &ps.vars).0);
        telescope(&binders, self.member(ty_index, &ps.vars))
    }

    fn type_type(&self) -> Term {
        let ps = self.params(BinderInfo::Default, BindKind::Pi);
        telescope(&ps.binders, sort(self.sort_level.clone()))
    }

    /// The universe parameter of the motives: `u`, or `u_1` etc. when taken.
    fn elim_level_name(&self) -> Name {
        let mut candidate = Name::from_dotted("u");
        let mut i = 1;
        while self.level_params.contains(&candidate) {
            candidate = Name::anonymous().str(&format!("u_{i}"));
            i += 1;
        }
        candidate
    }

    fn is_recursive(&self, t: &TypeSpec) -> bool {
        t.ctors.iter().any(|c| {
            c.fields
                .iter()
                .any(|(_, f)| matches!(f, FieldType::Member(_)))
        })
    }

    /// Builds the exported block: types, constructors, recursors.
    pub fn build(&self, interner: &mut Interner) -> InductiveBlock {
        let all: Vec<Name> = self.types.iter().map(|t| t.name.clone()).collect();
        let num_params = self.params.len() as u32;
        let type_ty = interner.expr(&self.type_type());
        let types = self
            .types
            .iter()
            .map(|t| InductiveVal {
                cval: ConstantVal {
                    name: t.name.clone(),
                    level_params: self.level_params.clone(),
                    ty: type_ty.clone(),
                },
                num_params,
                num_indices: 0,
                all: all.clone(),
                ctors: t.ctors.iter().map(|c| c.name.clone()).collect(),
                num_nested: 0,
                is_rec: self.is_recursive(t),
                is_unsafe: false,
                is_reflexive: false,
            })
            .collect();
        let mut ctors = Vec::new();
        for (ti, t) in self.types.iter().enumerate() {
            for (ci, c) in t.ctors.iter().enumerate() {
                ctors.push(ConstructorVal {
                    cval: ConstantVal {
                        name: c.name.clone(),
                        level_params: self.level_params.clone(),
                        ty: interner.expr(&self.ctor_type(c, ti)),
                    },
                    induct: t.name.clone(),
                    cidx: ci as u32,
                    num_params,
                    num_fields: c.fields.len() as u32,
                    is_unsafe: false,
                });
            }
        }
        let recs = (0..self.types.len())
            .map(|ti| self.recursor(ti, &all, interner))
            .collect();
        InductiveBlock { types, ctors, recs }
    }

    fn rec_name(&self, ti: usize) -> Name {
        self.types[ti].name.str("rec")
    }

    /// `T.rec` for member `ti`: params, motives, minors, major.
    fn recursor(&self, ti: usize, all: &[Name], interner: &mut Interner) -> RecursorVal {
        let elim = self.elim_level_name();
        let mut rec_levels = vec![elim.clone()];
        rec_levels.extend(self.level_params.iter().cloned());
        let rec_level_args: Vec<LevelRef> =
            rec_levels.iter().map(|n| Level::param(n.clone())).collect();

        let build = |kind: BindKind, implicit_prefix: bool| {
            let info = |implicit: bool| {
                if implicit && implicit_prefix {
                    BinderInfo::Implicit
                } else {
                    BinderInfo::Default
                }
            };
            let ps = self.params(info(true), kind);
            let mut binders = ps.binders;
            let mut motives = Vec::new();
            for (mi, _) in self.types.iter().enumerate() {
                let motive_ty = pi("t", self.member(mi, &ps.vars), |_| {
                    sort(Level::param(elim.clone()))
                });
                let name = if self.types.len() == 1 {
                    "motive".to_string()
                } else {
                    format!("motive_{}", mi + 1)
                };
                let (b, v) = Binder::new(kind, &name, info(true), motive_ty);
                binders.push(b);
                motives.push(v);
            }
            let mut minors = Vec::new();
            for (mi, t) in self.types.iter().enumerate() {
                for c in &t.ctors {
                    let minor_ty = self.minor_type(c, mi, &ps.vars, &motives);
                    let last = c.name.last().map(part_text).unwrap_or_default();
                    let (b, v) = Binder::new(kind, &last, info(false), minor_ty);
                    binders.push(b);
                    minors.push(v);
                }
            }
            (binders, ps.vars, motives, minors)
        };

        let (mut binders, params, motives, _) = build(BindKind::Pi, true);
        let (major, major_var) = Binder::new(
            BindKind::Pi,
            "t",
            BinderInfo::Default,
            self.member(ti, &params),
        );
        binders.push(major);
        let rec_type = telescope(&binders, app(motives[ti].clone(), &[major_var]));

        let mut rules = Vec::new();
        for c in &self.types[ti].ctors {
            let (binders, params, motives, minors) = build(BindKind::Lam, false);
            let minor_index = self.minor_index(&c.name);
            let mut all_binders = binders;
            let (fields, field_vars) = self.field_binders(BindKind::Lam, c, &params);
            all_binders.extend(fields);
            let mut args = field_vars.clone();
            for ((_, f), v) in c.fields.iter().zip(&field_vars) {
                if let FieldType::Member(mi) = f {
                    let mut rec_args = params.clone();
                    rec_args.extend(motives.iter().cloned());
                    rec_args.extend(minors.iter().cloned());
                    rec_args.push(v.clone());
                    args.push(app(cnst(&self.rec_name(*mi), &rec_level_args), &rec_args));
                }
            }
            let rhs = telescope(&all_binders, app(minors[minor_index].clone(), &args));
            rules.push(RecursorRule {
                ctor: c.name.clone(),
                num_fields: c.fields.len() as u32,
                rhs: interner.expr(&rhs),
            });
        }
        RecursorVal {
            cval: ConstantVal {
                name: self.rec_name(ti),
                level_params: rec_levels,
                ty: interner.expr(&rec_type),
            },
            all: all.to_vec(),
            num_params: self.params.len() as u32,
            num_indices: 0,
            num_motives: self.types.len() as u32,
            num_minors: self.types.iter().map(|t| t.ctors.len() as u32).sum(),
            rules,
            k: false,
            is_unsafe: false,
        }
    }

    fn minor_index(&self, ctor: &Name) -> usize {
        self.types
            .iter()
            .flat_map(|t| t.ctors.iter())
            .position(|c| &c.name == ctor)
            .unwrap_or(0)
    }

    /// `(fields) → (ihs) → motive_i (C params fields)`.
    fn minor_type(&self, c: &CtorSpec, ti: usize, params: &[Term], motives: &[Term]) -> Term {
        let (mut binders, field_vars) = self.field_binders(BindKind::Pi, c, params);
        for ((name, f), v) in c.fields.iter().zip(&field_vars) {
            if let FieldType::Member(mi) = f {
                let ih_ty = app(motives[*mi].clone(), std::slice::from_ref(v));
                let (b, _) = Binder::new(
                    BindKind::Pi,
                    &format!("{name}_ih"),
                    BinderInfo::Default,
                    ih_ty,
                );
                binders.push(b);
            }
        }
        let ctor_app = app(app(cnst(&c.name, &self.level_args()), params), &field_vars);
        telescope(&binders, app(motives[ti].clone(), &[ctor_app]))
    }
}

fn part_text(p: &NamePart) -> String {
    match p {
        NamePart::Str(s) => s.to_string(),
        NamePart::Num(n) => n.to_string(),
    }
}

//! Declarations, one per export record, grouped as the exporter groups them
//! (an `inductive` record is one mutual block of types, constructors and
//! recursors). Fields the exporter derives (recursors, `isRec`, `k`, rule
//! right-hand sides, ...) are kept so that they can be round-tripped and
//! compared, but the kernel never trusts them.

use crate::expr::ExprRef;
use crate::name::Name;

/// Name, universe parameters and type: what every constant has.
#[derive(Clone, Debug)]
pub struct ConstantVal<E = ExprRef> {
    pub name: Name,
    pub level_params: Vec<Name>,
    pub ty: E,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReducibilityHints {
    Opaque,
    Abbrev,
    Regular(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefinitionSafety {
    Unsafe,
    Safe,
    Partial,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuotKind {
    /// `Quot`
    Type,
    /// `Quot.mk`
    Ctor,
    /// `Quot.lift`
    Lift,
    /// `Quot.ind`
    Ind,
}

#[derive(Clone, Debug)]
pub struct AxiomVal<E = ExprRef> {
    pub cval: ConstantVal<E>,
    pub is_unsafe: bool,
}

#[derive(Clone, Debug)]
pub struct DefinitionVal<E = ExprRef> {
    pub cval: ConstantVal<E>,
    pub value: E,
    pub hints: ReducibilityHints,
    pub safety: DefinitionSafety,
    /// The mutual group this definition belongs to (itself when alone).
    pub all: Vec<Name>,
}

#[derive(Clone, Debug)]
pub struct TheoremVal<E = ExprRef> {
    pub cval: ConstantVal<E>,
    pub value: E,
    pub all: Vec<Name>,
}

#[derive(Clone, Debug)]
pub struct OpaqueVal<E = ExprRef> {
    pub cval: ConstantVal<E>,
    pub value: E,
    pub is_unsafe: bool,
    pub all: Vec<Name>,
}

#[derive(Clone, Debug)]
pub struct QuotVal<E = ExprRef> {
    pub cval: ConstantVal<E>,
    pub kind: QuotKind,
}

#[derive(Clone, Debug)]
pub struct InductiveVal<E = ExprRef> {
    pub cval: ConstantVal<E>,
    pub num_params: u32,
    pub num_indices: u32,
    pub all: Vec<Name>,
    pub ctors: Vec<Name>,
    pub num_nested: u32,
    pub is_rec: bool,
    pub is_unsafe: bool,
    pub is_reflexive: bool,
}

#[derive(Clone, Debug)]
pub struct ConstructorVal<E = ExprRef> {
    pub cval: ConstantVal<E>,
    pub induct: Name,
    pub cidx: u32,
    pub num_params: u32,
    pub num_fields: u32,
    pub is_unsafe: bool,
}

#[derive(Clone, Debug)]
pub struct RecursorRule<E = ExprRef> {
    pub ctor: Name,
    pub num_fields: u32,
    pub rhs: E,
}

#[derive(Clone, Debug)]
pub struct RecursorVal<E = ExprRef> {
    pub cval: ConstantVal<E>,
    pub all: Vec<Name>,
    pub num_params: u32,
    pub num_indices: u32,
    pub num_motives: u32,
    pub num_minors: u32,
    pub rules: Vec<RecursorRule<E>>,
    pub k: bool,
    pub is_unsafe: bool,
}

/// One mutual inductive group exactly as exported: its types, all their
/// constructors, and the recursors the exporter generated.
#[derive(Clone, Debug)]
pub struct InductiveBlock<E = ExprRef> {
    pub types: Vec<InductiveVal<E>>,
    pub ctors: Vec<ConstructorVal<E>>,
    pub recs: Vec<RecursorVal<E>>,
}

#[derive(Clone, Debug)]
pub enum Declaration<E = ExprRef> {
    Axiom(AxiomVal<E>),
    Definition(DefinitionVal<E>),
    Theorem(TheoremVal<E>),
    Opaque(OpaqueVal<E>),
    Quot(QuotVal<E>),
    Inductive(InductiveBlock<E>),
}

impl<E> Declaration<E> {
    /// Every constant this declaration introduces, in export order.
    pub fn constants(&self) -> Vec<&ConstantVal<E>> {
        match self {
            Declaration::Axiom(v) => vec![&v.cval],
            Declaration::Definition(v) => vec![&v.cval],
            Declaration::Theorem(v) => vec![&v.cval],
            Declaration::Opaque(v) => vec![&v.cval],
            Declaration::Quot(v) => vec![&v.cval],
            Declaration::Inductive(b) => b
                .types
                .iter()
                .map(|t| &t.cval)
                .chain(b.ctors.iter().map(|c| &c.cval))
                .chain(b.recs.iter().map(|r| &r.cval))
                .collect(),
        }
    }

    /// Every constant name this declaration introduces, in export order.
    pub fn names(&self) -> Vec<&Name> {
        self.constants().into_iter().map(|c| &c.name).collect()
    }

    /// The value of a definition, theorem or opaque constant.
    pub fn value(&self) -> Option<&E> {
        match self {
            Declaration::Definition(v) => Some(&v.value),
            Declaration::Theorem(v) => Some(&v.value),
            Declaration::Opaque(v) => Some(&v.value),
            Declaration::Axiom(_) | Declaration::Quot(_) | Declaration::Inductive(_) => None,
        }
    }

    /// Every term of this declaration: the constants' types, then the
    /// value or the recursors' rules' right-hand sides.
    pub fn terms(&self) -> Vec<&E> {
        let types = self.constants().into_iter().map(|c| &c.ty);
        let rules = match self {
            Declaration::Inductive(b) => b.recs.iter().flat_map(|r| &r.rules).collect(),
            _ => Vec::new(),
        };
        let rhs = rules.into_iter().map(|rule| &rule.rhs);
        types.chain(self.value()).chain(rhs).collect()
    }
}

/// The exporter's `meta` header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportMeta {
    pub exporter_name: String,
    pub exporter_version: String,
    pub format_version: String,
    pub lean_version: String,
    pub lean_githash: String,
}

/// A whole export: declarations in file order.
#[derive(Clone, Debug)]
pub struct Environment<E = ExprRef> {
    pub meta: ExportMeta,
    pub decls: Vec<Declaration<E>>,
}

impl<E> Default for Environment<E> {
    fn default() -> Self {
        Environment {
            meta: ExportMeta::default(),
            decls: Vec::new(),
        }
    }
}

impl<E> ConstantVal<E> {
    fn map_terms<F>(&self, f: &mut impl FnMut(&E) -> F) -> ConstantVal<F> {
        ConstantVal {
            name: self.name.clone(),
            level_params: self.level_params.clone(),
            ty: f(&self.ty),
        }
    }
}

impl<E> InductiveBlock<E> {
    /// The same block with every term mapped by `f`.
    pub fn map_terms<F>(&self, f: &mut impl FnMut(&E) -> F) -> InductiveBlock<F> {
        let types = self
            .types
            .iter()
            .map(|t| InductiveVal {
                cval: t.cval.map_terms(f),
                num_params: t.num_params,
                num_indices: t.num_indices,
                all: t.all.clone(),
                ctors: t.ctors.clone(),
                num_nested: t.num_nested,
                is_rec: t.is_rec,
                is_unsafe: t.is_unsafe,
                is_reflexive: t.is_reflexive,
            })
            .collect();
        let ctors = self
            .ctors
            .iter()
            .map(|c| ConstructorVal {
                cval: c.cval.map_terms(f),
                induct: c.induct.clone(),
                cidx: c.cidx,
                num_params: c.num_params,
                num_fields: c.num_fields,
                is_unsafe: c.is_unsafe,
            })
            .collect();
        let recs = self
            .recs
            .iter()
            .map(|r| RecursorVal {
                cval: r.cval.map_terms(f),
                all: r.all.clone(),
                num_params: r.num_params,
                num_indices: r.num_indices,
                num_motives: r.num_motives,
                num_minors: r.num_minors,
                rules: r
                    .rules
                    .iter()
                    .map(|rule| RecursorRule {
                        ctor: rule.ctor.clone(),
                        num_fields: rule.num_fields,
                        rhs: f(&rule.rhs),
                    })
                    .collect(),
                k: r.k,
                is_unsafe: r.is_unsafe,
            })
            .collect();
        InductiveBlock { types, ctors, recs }
    }
}

impl<E> Declaration<E> {
    /// The same declaration with every term mapped by `f` (in field order:
    /// type before value).
    pub fn map_terms<F>(&self, f: &mut impl FnMut(&E) -> F) -> Declaration<F> {
        match self {
            Declaration::Axiom(a) => Declaration::Axiom(AxiomVal {
                cval: a.cval.map_terms(f),
                is_unsafe: a.is_unsafe,
            }),
            Declaration::Definition(d) => Declaration::Definition(DefinitionVal {
                cval: d.cval.map_terms(f),
                value: f(&d.value),
                hints: d.hints,
                safety: d.safety,
                all: d.all.clone(),
            }),
            Declaration::Theorem(t) => Declaration::Theorem(TheoremVal {
                cval: t.cval.map_terms(f),
                value: f(&t.value),
                all: t.all.clone(),
            }),
            Declaration::Opaque(o) => Declaration::Opaque(OpaqueVal {
                cval: o.cval.map_terms(f),
                value: f(&o.value),
                is_unsafe: o.is_unsafe,
                all: o.all.clone(),
            }),
            Declaration::Quot(q) => Declaration::Quot(QuotVal {
                cval: q.cval.map_terms(f),
                kind: q.kind,
            }),
            Declaration::Inductive(b) => Declaration::Inductive(b.map_terms(f)),
        }
    }
}

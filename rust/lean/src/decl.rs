//! Declarations, one per export record, grouped as the exporter groups them
//! (an `inductive` record is one mutual block of types, constructors and
//! recursors). Fields the exporter derives (recursors, `isRec`, `k`, rule
//! right-hand sides, ...) are kept so that they can be round-tripped and
//! compared, but the kernel never trusts them.

use crate::expr::ExprRef;
use crate::name::Name;

/// Name, universe parameters and type: what every constant has.
#[derive(Clone, Debug)]
pub struct ConstantVal {
    pub name: Name,
    pub level_params: Vec<Name>,
    pub ty: ExprRef,
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
pub struct AxiomVal {
    pub cval: ConstantVal,
    pub is_unsafe: bool,
}

#[derive(Clone, Debug)]
pub struct DefinitionVal {
    pub cval: ConstantVal,
    pub value: ExprRef,
    pub hints: ReducibilityHints,
    pub safety: DefinitionSafety,
    /// The mutual group this definition belongs to (itself when alone).
    pub all: Vec<Name>,
}

#[derive(Clone, Debug)]
pub struct TheoremVal {
    pub cval: ConstantVal,
    pub value: ExprRef,
    pub all: Vec<Name>,
}

#[derive(Clone, Debug)]
pub struct OpaqueVal {
    pub cval: ConstantVal,
    pub value: ExprRef,
    pub is_unsafe: bool,
    pub all: Vec<Name>,
}

#[derive(Clone, Debug)]
pub struct QuotVal {
    pub cval: ConstantVal,
    pub kind: QuotKind,
}

#[derive(Clone, Debug)]
pub struct InductiveVal {
    pub cval: ConstantVal,
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
pub struct ConstructorVal {
    pub cval: ConstantVal,
    pub induct: Name,
    pub cidx: u32,
    pub num_params: u32,
    pub num_fields: u32,
    pub is_unsafe: bool,
}

#[derive(Clone, Debug)]
pub struct RecursorRule {
    pub ctor: Name,
    pub num_fields: u32,
    pub rhs: ExprRef,
}

#[derive(Clone, Debug)]
pub struct RecursorVal {
    pub cval: ConstantVal,
    pub all: Vec<Name>,
    pub num_params: u32,
    pub num_indices: u32,
    pub num_motives: u32,
    pub num_minors: u32,
    pub rules: Vec<RecursorRule>,
    pub k: bool,
    pub is_unsafe: bool,
}

/// One mutual inductive group exactly as exported: its types, all their
/// constructors, and the recursors the exporter generated.
#[derive(Clone, Debug)]
pub struct InductiveBlock {
    pub types: Vec<InductiveVal>,
    pub ctors: Vec<ConstructorVal>,
    pub recs: Vec<RecursorVal>,
}

#[derive(Clone, Debug)]
pub enum Declaration {
    Axiom(AxiomVal),
    Definition(DefinitionVal),
    Theorem(TheoremVal),
    Opaque(OpaqueVal),
    Quot(QuotVal),
    Inductive(InductiveBlock),
}

impl Declaration {
    /// Every constant name this declaration introduces, in export order.
    pub fn names(&self) -> Vec<&Name> {
        match self {
            Declaration::Axiom(v) => vec![&v.cval.name],
            Declaration::Definition(v) => vec![&v.cval.name],
            Declaration::Theorem(v) => vec![&v.cval.name],
            Declaration::Opaque(v) => vec![&v.cval.name],
            Declaration::Quot(v) => vec![&v.cval.name],
            Declaration::Inductive(b) => b
                .types
                .iter()
                .map(|t| &t.cval.name)
                .chain(b.ctors.iter().map(|c| &c.cval.name))
                .chain(b.recs.iter().map(|r| &r.cval.name))
                .collect(),
        }
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
#[derive(Clone, Debug, Default)]
pub struct Environment {
    pub meta: ExportMeta,
    pub decls: Vec<Declaration>,
}

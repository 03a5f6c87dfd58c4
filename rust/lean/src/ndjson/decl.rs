//! Declaration records. Their fields are read into typed form as the line
//! is parsed, each kept with the message the resolver gives should it need
//! a field that is missing or malformed. The resolver then meets every error
//! in the order it reads the fields, the same whichever JSON reader the
//! line went through, and no JSON map reaches the resolver's thread.

use super::json::{as_u64, get, get_bool, get_idx_list, get_str, get_u32, get_u64, FieldResult};
use super::Resolver;
use crate::decl::*;
use crate::name::Name;
use crate::terms::TermBuilder;
use serde_json::{Map, Value};

/// A field as read, or the message that reports it.
pub(super) type Field<T> = FieldResult<T>;

/// One declaration line: its kind and its bodies (format 3.0 writes mutual
/// definitions as one array of them; 3.1 one object each).
#[derive(Debug)]
pub(super) struct DeclRecord {
    bodies: Field<Vec<RawBody>>,
}

#[derive(Debug)]
pub(super) struct RawConstant {
    pub(super) name: Field<u64>,
    pub(super) level_params: Field<Vec<u64>>,
    pub(super) ty: Field<u64>,
}

#[derive(Debug)]
pub(super) enum RawBody {
    Axiom {
        cval: RawConstant,
        is_unsafe: Field<bool>,
    },
    Def {
        cval: RawConstant,
        value: Field<u64>,
        hints: Field<ReducibilityHints>,
        safety: Field<DefinitionSafety>,
        all: Field<Vec<u64>>,
    },
    Thm {
        cval: RawConstant,
        value: Field<u64>,
        all: Field<Vec<u64>>,
    },
    Opaque {
        cval: RawConstant,
        value: Field<u64>,
        is_unsafe: Field<bool>,
        all: Field<Vec<u64>>,
    },
    Quot {
        cval: RawConstant,
        kind: Field<QuotKind>,
    },
    Inductive {
        types: Field<Vec<RawInductive>>,
        ctors: Field<Vec<RawConstructor>>,
        recs: Field<Vec<RawRecursor>>,
    },
}

#[derive(Debug)]
pub(super) struct RawInductive {
    pub(super) cval: RawConstant,
    pub(super) num_params: Field<u32>,
    pub(super) num_indices: Field<u32>,
    pub(super) all: Field<Vec<u64>>,
    pub(super) ctors: Field<Vec<u64>>,
    pub(super) num_nested: Field<u32>,
    pub(super) is_rec: Field<bool>,
    pub(super) is_unsafe: Field<bool>,
    pub(super) is_reflexive: Field<bool>,
}

#[derive(Debug)]
pub(super) struct RawConstructor {
    pub(super) cval: RawConstant,
    pub(super) induct: Field<u64>,
    pub(super) cidx: Field<u32>,
    pub(super) num_params: Field<u32>,
    pub(super) num_fields: Field<u32>,
    pub(super) is_unsafe: Field<bool>,
}

#[derive(Debug)]
pub(super) struct RawRecursor {
    pub(super) rules: Field<Vec<Field<RawRule>>>,
    pub(super) cval: RawConstant,
    pub(super) all: Field<Vec<u64>>,
    pub(super) num_params: Field<u32>,
    pub(super) num_indices: Field<u32>,
    pub(super) num_motives: Field<u32>,
    pub(super) num_minors: Field<u32>,
    pub(super) k: Field<bool>,
    pub(super) is_unsafe: Field<bool>,
}

#[derive(Debug)]
pub(super) struct RawRule {
    pub(super) ctor: Field<u64>,
    pub(super) num_fields: Field<u32>,
    pub(super) rhs: Field<u64>,
}

/// The declaration record of an object whose key `kind` (one of
/// [`DECL_KINDS`]) holds `body`.
pub(super) fn decl_record(kind: &str, body: &Value) -> DeclRecord {
    let bodies = if let Some(o) = body.as_object() {
        Ok(vec![raw_body(kind, o)])
    } else if let Some(items) = body.as_array() {
        items
            .iter()
            .map(|v| {
                v.as_object()
                    .map(|o| raw_body(kind, o))
                    .ok_or_else(|| format!("`{kind}` entries must be objects"))
            })
            .collect()
    } else {
        Err(format!("`{kind}` must be an object"))
    };
    DeclRecord { bodies }
}

impl DeclRecord {
    /// The record of well-formed bodies.
    pub(super) fn of(bodies: Vec<RawBody>) -> DeclRecord {
        DeclRecord { bodies: Ok(bodies) }
    }
}

fn raw_body(kind: &str, b: &Map<String, Value>) -> RawBody {
    match kind {
        "axiom" => RawBody::Axiom {
            cval: raw_constant(b),
            is_unsafe: get_bool(b, "isUnsafe"),
        },
        "def" => RawBody::Def {
            cval: raw_constant(b),
            value: get_u64(b, "value"),
            hints: get(b, "hints").and_then(parse_hints),
            safety: get_str(b, "safety").and_then(parse_safety),
            all: get_idx_list(b, "all"),
        },
        "thm" => RawBody::Thm {
            cval: raw_constant(b),
            value: get_u64(b, "value"),
            all: get_idx_list(b, "all"),
        },
        "opaque" => RawBody::Opaque {
            cval: raw_constant(b),
            value: get_u64(b, "value"),
            is_unsafe: get_bool(b, "isUnsafe"),
            all: get_idx_list(b, "all"),
        },
        "quot" => RawBody::Quot {
            cval: raw_constant(b),
            kind: get_str(b, "kind").and_then(parse_quot_kind),
        },
        _ => RawBody::Inductive {
            // 3.1 says types/ctors/recs; 3.0 said inductiveVals/constructorVals/recursorVals.
            types: objects(b, ["types", "inductiveVals"], raw_inductive),
            ctors: objects(b, ["ctors", "constructorVals"], raw_constructor),
            recs: objects(b, ["recs", "recursorVals"], raw_recursor),
        },
    }
}

fn raw_constant(b: &Map<String, Value>) -> RawConstant {
    RawConstant {
        name: get_u64(b, "name"),
        level_params: get_idx_list(b, "levelParams"),
        ty: get_u64(b, "type"),
    }
}

/// The array of objects under the first of `keys` present, each read by
/// `item`; errors name the first key.
fn objects<T>(
    b: &Map<String, Value>,
    keys: [&str; 2],
    item: fn(&Map<String, Value>) -> T,
) -> Field<Vec<T>> {
    let v = keys
        .iter()
        .find_map(|k| b.get(*k))
        .ok_or_else(|| format!("missing field `{}`", keys[0]))?;
    v.as_array()
        .ok_or_else(|| format!("`{}` must be an array", keys[0]))?
        .iter()
        .map(|x| {
            x.as_object()
                .map(item)
                .ok_or_else(|| format!("`{}` entries must be objects", keys[0]))
        })
        .collect()
}

fn raw_inductive(t: &Map<String, Value>) -> RawInductive {
    RawInductive {
        cval: raw_constant(t),
        num_params: get_u32(t, "numParams"),
        num_indices: get_u32(t, "numIndices"),
        all: get_idx_list(t, "all"),
        ctors: get_idx_list(t, "ctors"),
        num_nested: get_u32(t, "numNested"),
        is_rec: get_bool(t, "isRec"),
        is_unsafe: get_bool(t, "isUnsafe"),
        is_reflexive: get_bool(t, "isReflexive"),
    }
}

fn raw_constructor(c: &Map<String, Value>) -> RawConstructor {
    RawConstructor {
        cval: raw_constant(c),
        induct: get_u64(c, "induct"),
        cidx: get_u32(c, "cidx"),
        num_params: get_u32(c, "numParams"),
        num_fields: get_u32(c, "numFields"),
        is_unsafe: get_bool(c, "isUnsafe"),
    }
}

fn raw_recursor(r: &Map<String, Value>) -> RawRecursor {
    let rules = get(r, "rules").and_then(|v| {
        let rules = v.as_array().ok_or("`rules` must be an array")?;
        Ok(rules
            .iter()
            .map(|rule| {
                let rule = rule
                    .as_object()
                    .ok_or("a recursor rule must be an object")?;
                Ok(RawRule {
                    ctor: get_u64(rule, "ctor"),
                    num_fields: get_u32(rule, "nfields"),
                    rhs: get_u64(rule, "rhs"),
                })
            })
            .collect())
    });
    RawRecursor {
        rules,
        cval: raw_constant(r),
        all: get_idx_list(r, "all"),
        num_params: get_u32(r, "numParams"),
        num_indices: get_u32(r, "numIndices"),
        num_motives: get_u32(r, "numMotives"),
        num_minors: get_u32(r, "numMinors"),
        k: get_bool(r, "k"),
        is_unsafe: get_bool(r, "isUnsafe"),
    }
}

fn parse_hints(v: &Value) -> FieldResult<ReducibilityHints> {
    match (v.as_str(), v.as_object()) {
        (Some("opaque"), _) => Ok(ReducibilityHints::Opaque),
        (Some("abbrev"), _) => Ok(ReducibilityHints::Abbrev),
        (_, Some(o)) => {
            let h = as_u64(get(o, "regular")?, "regular")?;
            Ok(ReducibilityHints::Regular(u32::try_from(h).map_err(
                |_| "`regular` height is too large".to_string(),
            )?))
        }
        _ => Err("`hints` must be \"opaque\", \"abbrev\" or {\"regular\": h}".into()),
    }
}

pub(super) fn parse_safety(s: &str) -> FieldResult<DefinitionSafety> {
    match s {
        "unsafe" => Ok(DefinitionSafety::Unsafe),
        "safe" => Ok(DefinitionSafety::Safe),
        "partial" => Ok(DefinitionSafety::Partial),
        other => Err(format!("unknown safety {other:?}")),
    }
}

pub(super) fn parse_quot_kind(s: &str) -> FieldResult<QuotKind> {
    match s {
        "type" => Ok(QuotKind::Type),
        "ctor" => Ok(QuotKind::Ctor),
        "lift" => Ok(QuotKind::Lift),
        "ind" => Ok(QuotKind::Ind),
        other => Err(format!("unknown quot kind {other:?}")),
    }
}

/// A resolver's error: the line and the message.
type Failure = (usize, String);

/// The field's value, or its message at `line`.
fn field<T>(f: &Field<T>, line: usize) -> Result<&T, Failure> {
    f.as_ref().map_err(|m| (line, m.clone()))
}

impl<B: TermBuilder, S: FnMut(Declaration<B::Expr>, &B)> Resolver<B, S> {
    /// The declarations of the record read at `line`.
    pub(super) fn declaration(
        &mut self,
        raw: &DeclRecord,
        line: usize,
    ) -> Result<Vec<Declaration<B::Expr>>, Failure> {
        field(&raw.bodies, line)?
            .iter()
            .map(|b| self.one_declaration(b, line))
            .collect()
    }

    fn one_declaration(
        &mut self,
        b: &RawBody,
        line: usize,
    ) -> Result<Declaration<B::Expr>, Failure> {
        Ok(match b {
            RawBody::Axiom { cval, is_unsafe } => Declaration::Axiom(AxiomVal {
                cval: self.cval(cval, line)?,
                is_unsafe: *field(is_unsafe, line)?,
            }),
            RawBody::Def {
                cval,
                value,
                hints,
                safety,
                all,
            } => Declaration::Definition(DefinitionVal {
                cval: self.cval(cval, line)?,
                value: self.expr(*field(value, line)?, line)?,
                hints: *field(hints, line)?,
                safety: *field(safety, line)?,
                all: self.name_list(all, line)?,
            }),
            RawBody::Thm { cval, value, all } => Declaration::Theorem(TheoremVal {
                cval: self.cval(cval, line)?,
                value: self.expr(*field(value, line)?, line)?,
                all: self.name_list(all, line)?,
            }),
            RawBody::Opaque {
                cval,
                value,
                is_unsafe,
                all,
            } => Declaration::Opaque(OpaqueVal {
                cval: self.cval(cval, line)?,
                value: self.expr(*field(value, line)?, line)?,
                is_unsafe: *field(is_unsafe, line)?,
                all: self.name_list(all, line)?,
            }),
            RawBody::Quot { cval, kind } => Declaration::Quot(QuotVal {
                cval: self.cval(cval, line)?,
                kind: *field(kind, line)?,
            }),
            RawBody::Inductive { types, ctors, recs } => {
                Declaration::Inductive(self.inductive(types, ctors, recs, line)?)
            }
        })
    }

    fn cval(&mut self, c: &RawConstant, line: usize) -> Result<ConstantVal<B::Expr>, Failure> {
        Ok(ConstantVal {
            name: self.name(*field(&c.name, line)?, line)?,
            level_params: self.name_list(&c.level_params, line)?,
            ty: self.expr(*field(&c.ty, line)?, line)?,
        })
    }

    fn name_list(&mut self, list: &Field<Vec<u64>>, line: usize) -> Result<Vec<Name>, Failure> {
        field(list, line)?
            .iter()
            .map(|&i| self.name(i, line))
            .collect()
    }

    fn inductive(
        &mut self,
        types: &Field<Vec<RawInductive>>,
        ctors: &Field<Vec<RawConstructor>>,
        recs: &Field<Vec<RawRecursor>>,
        line: usize,
    ) -> Result<InductiveBlock<B::Expr>, Failure> {
        let types = field(types, line)?
            .iter()
            .map(|t| self.inductive_type(t, line))
            .collect::<Result<_, _>>()?;
        let ctors = field(ctors, line)?
            .iter()
            .map(|c| self.constructor(c, line))
            .collect::<Result<_, _>>()?;
        let recs = field(recs, line)?
            .iter()
            .map(|r| self.recursor(r, line))
            .collect::<Result<_, _>>()?;
        Ok(InductiveBlock { types, ctors, recs })
    }

    fn inductive_type(
        &mut self,
        t: &RawInductive,
        line: usize,
    ) -> Result<InductiveVal<B::Expr>, Failure> {
        Ok(InductiveVal {
            cval: self.cval(&t.cval, line)?,
            num_params: *field(&t.num_params, line)?,
            num_indices: *field(&t.num_indices, line)?,
            all: self.name_list(&t.all, line)?,
            ctors: self.name_list(&t.ctors, line)?,
            num_nested: *field(&t.num_nested, line)?,
            is_rec: *field(&t.is_rec, line)?,
            is_unsafe: *field(&t.is_unsafe, line)?,
            is_reflexive: *field(&t.is_reflexive, line)?,
        })
    }

    fn constructor(
        &mut self,
        c: &RawConstructor,
        line: usize,
    ) -> Result<ConstructorVal<B::Expr>, Failure> {
        Ok(ConstructorVal {
            cval: self.cval(&c.cval, line)?,
            induct: self.name(*field(&c.induct, line)?, line)?,
            cidx: *field(&c.cidx, line)?,
            num_params: *field(&c.num_params, line)?,
            num_fields: *field(&c.num_fields, line)?,
            is_unsafe: *field(&c.is_unsafe, line)?,
        })
    }

    fn recursor(&mut self, r: &RawRecursor, line: usize) -> Result<RecursorVal<B::Expr>, Failure> {
        let rules = field(&r.rules, line)?
            .iter()
            .map(|rule| {
                let rule = field(rule, line)?;
                Ok(RecursorRule {
                    ctor: self.name(*field(&rule.ctor, line)?, line)?,
                    num_fields: *field(&rule.num_fields, line)?,
                    rhs: self.expr(*field(&rule.rhs, line)?, line)?,
                })
            })
            .collect::<Result<_, Failure>>()?;
        Ok(RecursorVal {
            cval: self.cval(&r.cval, line)?,
            all: self.name_list(&r.all, line)?,
            num_params: *field(&r.num_params, line)?,
            num_indices: *field(&r.num_indices, line)?,
            num_motives: *field(&r.num_motives, line)?,
            num_minors: *field(&r.num_minors, line)?,
            rules,
            k: *field(&r.k, line)?,
            is_unsafe: *field(&r.is_unsafe, line)?,
        })
    }
}

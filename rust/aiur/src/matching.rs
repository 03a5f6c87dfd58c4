//! Match compilation to decision trees (column-wise specialisation, after Maranget).
//!
//! Tuples and enum fields are slot projections; a `&p` column costs one load,
//! shared by every row; enum columns switch on the tag and literal columns on
//! the value. A `_` row under a switch that does not list every case becomes
//! the switch's default arm. Enum matches must cover every constructor (an
//! `unreachable!()` arm counts and costs nothing); literal matches need not:
//! a value with no case is rejected at run time, as in a circuit.

use crate::ast::{Arm, Pat, PatKind};
use crate::bytecode::{Block, Ctrl, Slot};
use crate::error::{err, CResult, Pos};
use crate::lower::{Builder, FnLowerer, Leaf};
use crate::types::Ty;

/// A value being matched: its slots and type.
#[derive(Clone)]
struct Occ {
    vals: Vec<Slot>,
    ty: Ty,
}

#[derive(Clone)]
struct Row {
    pats: Vec<Pat>,
    binds: Vec<(String, Vec<Slot>)>,
    arm: usize,
}

fn wild(pos: Pos) -> Pat {
    Pat {
        pos,
        kind: PatKind::Wild,
    }
}

fn is_wild(p: &Pat) -> bool {
    matches!(p.kind, PatKind::Wild | PatKind::Bind(_))
}

/// Moves a binding at column `i` into the row's bindings, leaving a wildcard.
fn take_bind(row: &mut Row, i: usize, occ: &Occ) {
    if let Some(p) = row.pats.get_mut(i) {
        if let PatKind::Bind(name) = &p.kind {
            row.binds.push((name.clone(), occ.vals.clone()));
            p.kind = PatKind::Wild;
        }
    }
}

/// Replaces column `i` of a row by `with`.
fn splice<T: Clone>(items: &[T], i: usize, with: Vec<T>) -> Vec<T> {
    let mut out = items[..i].to_vec();
    out.extend(with);
    out.extend_from_slice(&items[i + 1..]);
    out
}

impl FnLowerer<'_, '_> {
    pub(crate) fn compile_match(
        &mut self,
        vals: Vec<Slot>,
        ty: Ty,
        arms: &[Arm],
        b: &mut Builder,
        leaf: Leaf,
        pos: Pos,
    ) -> CResult<Ctrl> {
        let rows = arms
            .iter()
            .enumerate()
            .map(|(arm, a)| Row {
                pats: vec![a.pat.clone()],
                binds: Vec::new(),
                arm,
            })
            .collect();
        self.decide(vec![Occ { vals, ty }], rows, arms, b, leaf, pos)
    }

    fn decide(
        &mut self,
        cols: Vec<Occ>,
        mut rows: Vec<Row>,
        arms: &[Arm],
        b: &mut Builder,
        leaf: Leaf,
        pos: Pos,
    ) -> CResult<Ctrl> {
        let Some(first) = rows.first() else {
            return err(pos, "non-exhaustive match");
        };
        let Some(i) = first.pats.iter().position(|p| !is_wild(p)) else {
            return self.arm_leaf(&cols, rows.swap_remove(0), arms, b, leaf);
        };
        for row in &mut rows {
            take_bind(row, i, &cols[i]);
        }
        match &rows[0].pats[i].kind {
            PatKind::Tuple(_) | PatKind::Array(_) => {
                self.expand_tuple(cols, rows, i, arms, b, leaf, pos)
            }
            PatKind::Deref(_) => self.expand_deref(cols, rows, i, arms, b, leaf, pos),
            PatKind::Ctor { .. } => self.switch_enum(cols, rows, i, arms, leaf, pos),
            _ => self.switch_literal(cols, rows, i, arms, leaf, pos),
        }
    }

    fn arm_leaf(
        &mut self,
        cols: &[Occ],
        row: Row,
        arms: &[Arm],
        b: &mut Builder,
        leaf: Leaf,
    ) -> CResult<Ctrl> {
        let mark = self.scope.len();
        self.scope.extend(row.binds);
        for (p, occ) in row.pats.iter().zip(cols) {
            if let PatKind::Bind(name) = &p.kind {
                self.scope.push((name.clone(), occ.vals.clone()));
            }
        }
        let Some(arm) = arms.get(row.arm) else {
            return err(Pos::default(), "internal: bad arm");
        };
        let ctrl = self.tail(&arm.body, b, leaf)?;
        self.scope.truncate(mark);
        Ok(ctrl)
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_tuple(
        &mut self,
        cols: Vec<Occ>,
        rows: Vec<Row>,
        i: usize,
        arms: &[Arm],
        b: &mut Builder,
        leaf: Leaf,
        pos: Pos,
    ) -> CResult<Ctrl> {
        let tys = match cols[i].ty.clone() {
            Ty::Tuple(tys) => tys,
            Ty::Array(elem, n) => vec![*elem; usize::try_from(n).unwrap_or(0)],
            _ => return err(pos, "internal: tuple pattern on a non-tuple"),
        };
        let parts = self.split(&cols[i].vals, &tys, pos)?;
        let occs = parts
            .into_iter()
            .zip(tys.iter().cloned())
            .map(|(vals, ty)| Occ { vals, ty })
            .collect();
        let cols = splice(&cols, i, occs);
        let rows = rows
            .into_iter()
            .map(|row| {
                let p = &row.pats[i];
                let sub = match &p.kind {
                    PatKind::Tuple(ps) | PatKind::Array(ps) => ps.clone(),
                    _ => vec![wild(p.pos); tys.len()],
                };
                Row {
                    pats: splice(&row.pats, i, sub),
                    ..row
                }
            })
            .collect();
        self.decide(cols, rows, arms, b, leaf, pos)
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_deref(
        &mut self,
        cols: Vec<Occ>,
        rows: Vec<Row>,
        i: usize,
        arms: &[Arm],
        b: &mut Builder,
        leaf: Leaf,
        pos: Pos,
    ) -> CResult<Ctrl> {
        let Ty::Ptr(pointee) = cols[i].ty.clone() else {
            return err(pos, "internal: `&` pattern on a non-pointer");
        };
        let loaded = self.load(&cols[i].vals, &pointee, b, pos)?;
        let cols = splice(
            &cols,
            i,
            vec![Occ {
                vals: loaded,
                ty: *pointee,
            }],
        );
        let rows = rows
            .into_iter()
            .map(|mut row| {
                let p = &mut row.pats[i];
                if let PatKind::Deref(inner) = &p.kind {
                    *p = (**inner).clone();
                }
                row
            })
            .collect();
        self.decide(cols, rows, arms, b, leaf, pos)
    }

    /// The block for one branch of a switch, or None when it can only be `unreachable!()`.
    fn branch(
        &mut self,
        cols: Vec<Occ>,
        rows: Vec<Row>,
        arms: &[Arm],
        leaf: Leaf,
        pos: Pos,
    ) -> CResult<Option<Block>> {
        let mut inner = Builder::default();
        let ctrl = self.decide(cols, rows, arms, &mut inner, leaf, pos)?;
        let block = inner.finish(ctrl);
        Ok(if block.ops.is_empty() && block.ctrl == Ctrl::Unreachable {
            None
        } else {
            Some(block)
        })
    }

    /// Rows with a wildcard at column `i`, with that column removed.
    fn default_rows(rows: &[Row], i: usize) -> Vec<Row> {
        rows.iter()
            .filter(|r| is_wild(&r.pats[i]))
            .map(|r| Row {
                pats: splice(&r.pats, i, Vec::new()),
                ..r.clone()
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn switch_enum(
        &mut self,
        cols: Vec<Occ>,
        rows: Vec<Row>,
        i: usize,
        arms: &[Arm],
        leaf: Leaf,
        pos: Pos,
    ) -> CResult<Ctrl> {
        let Ty::Enum(id, eargs) = cols[i].ty.clone() else {
            return err(pos, "internal: constructor pattern on a non-enum");
        };
        let info = self.mono.checked.types.enums[id].clone();
        let mut present: Vec<usize> = Vec::new();
        for row in &rows {
            if let PatKind::Ctor { ctor, .. } = &row.pats[i].kind {
                match info.ctors.iter().position(|(n, _)| n == ctor) {
                    Some(c) if !present.contains(&c) => present.push(c),
                    Some(_) => {}
                    None => {
                        return err(
                            row.pats[i].pos,
                            format!("enum `{}` has no constructor `{ctor}`", info.name),
                        )
                    }
                }
            }
        }
        present.sort_unstable();
        let tag = *cols[i]
            .vals
            .first()
            .ok_or_else(|| crate::error::CompileError::new(pos, "internal: empty enum value"))?;
        let mut cases = Vec::new();
        for &c in &present {
            let (ctor_name, fields) = &info.ctors[c];
            let field_tys: Vec<Ty> = fields.iter().map(|f| f.subst(&eargs)).collect();
            let parts = self.split(cols[i].vals.get(1..).unwrap_or(&[]), &field_tys, pos)?;
            let occs: Vec<Occ> = parts
                .into_iter()
                .zip(field_tys.iter().cloned())
                .map(|(vals, ty)| Occ { vals, ty })
                .collect();
            let sub_cols = splice(&cols, i, occs);
            let sub_rows = rows
                .iter()
                .filter_map(|row| {
                    let p = &row.pats[i];
                    let sub = match &p.kind {
                        PatKind::Ctor { ctor, args, .. } if ctor == ctor_name => args.clone(),
                        PatKind::Ctor { .. } => return None,
                        _ => vec![wild(p.pos); field_tys.len()],
                    };
                    Some(Row {
                        pats: splice(&row.pats, i, sub),
                        ..row.clone()
                    })
                })
                .collect();
            if let Some(block) = self.branch(sub_cols, sub_rows, arms, leaf, pos)? {
                cases.push((c as u64, block));
            }
        }
        let default = if present.len() < info.ctors.len() {
            let rest = Self::default_rows(&rows, i);
            if rest.is_empty() {
                let missing = (0..info.ctors.len())
                    .find(|c| !present.contains(c))
                    .unwrap_or(0);
                return err(
                    pos,
                    format!(
                        "non-exhaustive match: `{}::{}` is not covered",
                        info.name, info.ctors[missing].0
                    ),
                );
            }
            self.branch(splice(&cols, i, Vec::new()), rest, arms, leaf, pos)?
                .map(Box::new)
        } else {
            None
        };
        Ok(switch(tag, cases, default))
    }

    #[allow(clippy::too_many_arguments)]
    fn switch_literal(
        &mut self,
        cols: Vec<Occ>,
        rows: Vec<Row>,
        i: usize,
        arms: &[Arm],
        leaf: Leaf,
        pos: Pos,
    ) -> CResult<Ctrl> {
        let mut values: Vec<u64> = Vec::new();
        for row in &rows {
            if let PatKind::Int(v) = row.pats[i].kind {
                if !values.contains(&(v as u64)) {
                    values.push(v as u64);
                }
            }
        }
        let val = *cols[i]
            .vals
            .first()
            .ok_or_else(|| crate::error::CompileError::new(pos, "internal: empty value"))?;
        let mut cases = Vec::new();
        for &v in &values {
            let sub_rows = rows
                .iter()
                .filter(|row| match row.pats[i].kind {
                    PatKind::Int(w) => w as u64 == v,
                    _ => true,
                })
                .map(|row| Row {
                    pats: splice(&row.pats, i, Vec::new()),
                    ..row.clone()
                })
                .collect();
            if let Some(block) =
                self.branch(splice(&cols, i, Vec::new()), sub_rows, arms, leaf, pos)?
            {
                cases.push((v, block));
            }
        }
        let rest = Self::default_rows(&rows, i);
        let default = if rest.is_empty() {
            None
        } else {
            self.branch(splice(&cols, i, Vec::new()), rest, arms, leaf, pos)?
                .map(Box::new)
        };
        Ok(switch(val, cases, default))
    }
}

fn switch(val: Slot, cases: Vec<(u64, Block)>, default: Option<Box<Block>>) -> Ctrl {
    if cases.is_empty() && default.is_none() {
        Ctrl::Unreachable
    } else {
        Ctrl::Match {
            val,
            cases,
            default,
        }
    }
}

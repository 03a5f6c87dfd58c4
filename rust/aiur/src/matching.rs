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

/// The rows whose pattern at column `i` gives `Some(sub)`, with that
/// pattern replaced by `sub`.
fn specialise(rows: &[Row], i: usize, sub: impl Fn(&Pat) -> Option<Vec<Pat>>) -> Vec<Row> {
    rows.iter()
        .filter_map(|row| {
            Some(Row {
                pats: splice(&row.pats, i, sub(&row.pats[i])?),
                ..row.clone()
            })
        })
        .collect()
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

/// A match under way: the values still to test (columns) and the rows of
/// patterns against them, in arm order.
struct Matrix {
    cols: Vec<Occ>,
    rows: Vec<Row>,
}

/// What every step of one match shares: its arms, where their values go,
/// and the match's position for errors.
#[derive(Clone, Copy)]
struct Arms<'a> {
    arms: &'a [Arm],
    leaf: Leaf,
    pos: Pos,
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
        let m = Matrix {
            cols: vec![Occ { vals, ty }],
            rows,
        };
        self.decide(m, Arms { arms, leaf, pos }, b)
    }

    /// Tuples and `&` columns are expanded in place; enum and literal
    /// columns switch.
    fn decide(&mut self, mut m: Matrix, arms: Arms, b: &mut Builder) -> CResult<Ctrl> {
        loop {
            let Some(first) = m.rows.first() else {
                return err(arms.pos, "non-exhaustive match");
            };
            let Some(i) = first.pats.iter().position(|p| !is_wild(p)) else {
                return self.arm_leaf(&m.cols, m.rows.swap_remove(0), arms, b);
            };
            for row in &mut m.rows {
                take_bind(row, i, &m.cols[i]);
            }
            m = match &m.rows[0].pats[i].kind {
                PatKind::Tuple(_) | PatKind::Array(_) => self.expand_tuple(m, i, arms.pos)?,
                PatKind::Deref(_) => self.expand_deref(m, i, b, arms.pos)?,
                PatKind::Ctor { .. } => return self.switch_enum(m, i, arms),
                _ => return self.switch_literal(m, i, arms),
            };
        }
    }

    fn arm_leaf(&mut self, cols: &[Occ], row: Row, arms: Arms, b: &mut Builder) -> CResult<Ctrl> {
        let mark = self.scope.len();
        self.scope.extend(row.binds);
        for (p, occ) in row.pats.iter().zip(cols) {
            if let PatKind::Bind(name) = &p.kind {
                self.scope.push((name.clone(), occ.vals.clone()));
            }
        }
        let Some(arm) = arms.arms.get(row.arm) else {
            return err(Pos::default(), "internal: bad arm");
        };
        let ctrl = self.tail(&arm.body, b, arms.leaf)?;
        self.scope.truncate(mark);
        Ok(ctrl)
    }

    /// Column `i` (a tuple or an array) becomes one column per element.
    fn expand_tuple(&mut self, m: Matrix, i: usize, pos: Pos) -> CResult<Matrix> {
        let tys = match m.cols[i].ty.clone() {
            Ty::Tuple(tys) => tys,
            Ty::Array(elem, n) => vec![*elem; usize::try_from(n).unwrap_or(0)],
            _ => return err(pos, "internal: tuple pattern on a non-tuple"),
        };
        let cols = self.split_column(&m.cols, i, &m.cols[i].vals, &tys, pos)?;
        let rows = specialise(&m.rows, i, |p| match &p.kind {
            PatKind::Tuple(ps) | PatKind::Array(ps) => Some(ps.clone()),
            _ => Some(vec![wild(p.pos); tys.len()]),
        });
        Ok(Matrix { cols, rows })
    }

    /// Column `i` (a pointer) becomes the value it points to, loaded once.
    fn expand_deref(
        &mut self,
        mut m: Matrix,
        i: usize,
        b: &mut Builder,
        pos: Pos,
    ) -> CResult<Matrix> {
        let Ty::Ptr(pointee) = m.cols[i].ty.clone() else {
            return err(pos, "internal: `&` pattern on a non-pointer");
        };
        let loaded = self.load(&m.cols[i].vals, &pointee, b, pos)?;
        m.cols[i] = Occ {
            vals: loaded,
            ty: *pointee,
        };
        for row in &mut m.rows {
            let p = &mut row.pats[i];
            if let PatKind::Deref(inner) = &p.kind {
                *p = (**inner).clone();
            }
        }
        Ok(m)
    }

    /// `cols` with column `i` replaced by one column for each type of `tys`,
    /// over `vals` split between them.
    fn split_column(
        &mut self,
        cols: &[Occ],
        i: usize,
        vals: &[Slot],
        tys: &[Ty],
        pos: Pos,
    ) -> CResult<Vec<Occ>> {
        let parts = self.split(vals, tys, pos)?;
        let occs = parts
            .into_iter()
            .zip(tys.iter().cloned())
            .map(|(vals, ty)| Occ { vals, ty })
            .collect();
        Ok(splice(cols, i, occs))
    }

    /// The block for one branch of a switch, or None when it can only be `unreachable!()`.
    fn branch(&mut self, m: Matrix, arms: Arms) -> CResult<Option<Block>> {
        let mut inner = Builder::default();
        let ctrl = self.decide(m, arms, &mut inner)?;
        let block = inner.finish(ctrl);
        Ok(if block.ops.is_empty() && block.ctrl == Ctrl::Unreachable {
            None
        } else {
            Some(block)
        })
    }

    /// The rows with a wildcard at column `i`, with that column removed:
    /// a switch's default branch.
    fn default_branch(&mut self, m: &Matrix, i: usize, arms: Arms) -> CResult<Option<Block>> {
        let rows = specialise(&m.rows, i, |p| is_wild(p).then(Vec::new));
        let cols = splice(&m.cols, i, Vec::new());
        self.branch(Matrix { cols, rows }, arms)
    }

    fn switch_enum(&mut self, m: Matrix, i: usize, arms: Arms) -> CResult<Ctrl> {
        let pos = arms.pos;
        let Ty::Enum(id, eargs) = m.cols[i].ty.clone() else {
            return err(pos, "internal: constructor pattern on a non-enum");
        };
        let info = self.mono.checked.types.enums[id].clone();
        let mut present: Vec<usize> = Vec::new();
        for row in &m.rows {
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
        let tag = *m.cols[i]
            .vals
            .first()
            .ok_or_else(|| crate::error::CompileError::new(pos, "internal: empty enum value"))?;
        let mut cases = Vec::new();
        for &c in &present {
            let (ctor_name, fields) = &info.ctors[c];
            let field_tys: Vec<Ty> = fields.iter().map(|f| f.subst(&eargs)).collect();
            let field_vals = m.cols[i].vals.get(1..).unwrap_or(&[]);
            let cols = self.split_column(&m.cols, i, field_vals, &field_tys, pos)?;
            let rows = specialise(&m.rows, i, |p| match &p.kind {
                PatKind::Ctor { ctor, args, .. } if ctor == ctor_name => Some(args.clone()),
                PatKind::Ctor { .. } => None,
                _ => Some(vec![wild(p.pos); field_tys.len()]),
            });
            if let Some(block) = self.branch(Matrix { cols, rows }, arms)? {
                cases.push((c as u64, block));
            }
        }
        let default = if present.len() < info.ctors.len() {
            if !m.rows.iter().any(|r| is_wild(&r.pats[i])) {
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
            self.default_branch(&m, i, arms)?.map(Box::new)
        } else {
            None
        };
        Ok(switch(tag, cases, default))
    }

    fn switch_literal(&mut self, m: Matrix, i: usize, arms: Arms) -> CResult<Ctrl> {
        let mut values: Vec<u64> = Vec::new();
        for row in &m.rows {
            if let PatKind::Int(v) = row.pats[i].kind {
                if !values.contains(&(v as u64)) {
                    values.push(v as u64);
                }
            }
        }
        let val = *m.cols[i]
            .vals
            .first()
            .ok_or_else(|| crate::error::CompileError::new(arms.pos, "internal: empty value"))?;
        let mut cases = Vec::new();
        for &v in &values {
            let rows = specialise(&m.rows, i, |p| match p.kind {
                PatKind::Int(w) => (w as u64 == v).then(Vec::new),
                _ => Some(Vec::new()),
            });
            let cols = splice(&m.cols, i, Vec::new());
            if let Some(block) = self.branch(Matrix { cols, rows }, arms)? {
                cases.push((v, block));
            }
        }
        let default = if m.rows.iter().any(|r| is_wild(&r.pats[i])) {
            self.default_branch(&m, i, arms)?.map(Box::new)
        } else {
            None
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

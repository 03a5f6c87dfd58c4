//! Monomorphisation and lowering of checked functions to structured bytecode.

use crate::ast::{Expr, ExprKind, Pat, PatKind, Stmt};
use crate::builtins::Builtin;
use crate::bytecode::{Binary, Block, Ctrl, EqZero, Function, IoRead, Layout, Load, Op, Slot};
use crate::check::{CallTarget, Checked};
use crate::error::{err, CResult, Pos};
use crate::types::{Sizer, Ty};
use rustc_hash::FxHashMap;
use std::collections::VecDeque;

/// More instances than this means unbounded polymorphic recursion.
const MAX_INSTANCES: usize = 100_000;

/// Lowers every non-generic function and every generic instance they reach.
pub fn lower(checked: &Checked) -> CResult<Vec<Function>> {
    let mut mono = Mono {
        checked,
        sizer: Sizer::default(),
        instances: FxHashMap::default(),
        queue: VecDeque::new(),
    };
    for (id, info) in checked.fns.iter().enumerate() {
        if info.type_params.is_empty() {
            mono.instance(id, Vec::new(), info.pos)?;
        }
    }
    let mut functions = Vec::new();
    while let Some((id, targs)) = mono.queue.pop_front() {
        functions.push(FnLowerer::lower_function(&mut mono, id, &targs)?);
    }
    Ok(functions)
}

pub(crate) struct Mono<'a> {
    pub checked: &'a Checked,
    pub sizer: Sizer,
    instances: FxHashMap<(usize, Vec<Ty>), u32>,
    queue: VecDeque<(usize, Vec<Ty>)>,
}

impl Mono<'_> {
    /// The bytecode index of a function instance, queueing it on first use.
    fn instance(&mut self, id: usize, targs: Vec<Ty>, pos: Pos) -> CResult<u32> {
        if let Some(&index) = self.instances.get(&(id, targs.clone())) {
            return Ok(index);
        }
        if self.instances.len() >= MAX_INSTANCES {
            return err(
                pos,
                "too many generic instances (unbounded polymorphic recursion?)",
            );
        }
        let index = self.instances.len() as u32;
        self.instances.insert((id, targs.clone()), index);
        self.queue.push_back((id, targs));
        Ok(index)
    }

    pub fn size(&mut self, ty: &Ty, pos: Pos) -> CResult<u32> {
        self.sizer.size(&self.checked.types, ty, pos)
    }
}

/// Where the value of a tail expression goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leaf {
    Return,
    Yield,
}

impl Leaf {
    fn ctrl(self, vals: Vec<Slot>) -> Ctrl {
        match self {
            Leaf::Return => Ctrl::Return(vals),
            Leaf::Yield => Ctrl::Yield(vals),
        }
    }
}

/// Ops of a block under construction; non-tail matches split it into joined segments.
#[derive(Default)]
pub(crate) struct Builder {
    segments: Vec<(Vec<Op>, Block, Vec<Slot>)>,
    pub ops: Vec<Op>,
}

impl Builder {
    fn join(&mut self, body: Block, out: Vec<Slot>) {
        let before = std::mem::take(&mut self.ops);
        self.segments.push((before, body, out));
    }

    pub fn finish(self, ctrl: Ctrl) -> Block {
        let mut block = Block {
            ops: self.ops,
            ctrl,
        };
        for (ops, body, out) in self.segments.into_iter().rev() {
            block = Block {
                ops,
                ctrl: Ctrl::Join {
                    body: Box::new(body),
                    out,
                    cont: Box::new(block),
                },
            };
        }
        block
    }
}

pub(crate) struct FnLowerer<'m, 'a> {
    pub mono: &'m mut Mono<'a>,
    targs: Vec<Ty>,
    next_slot: Slot,
    consts: Vec<(Slot, u64)>,
    const_slots: FxHashMap<u64, Slot>,
    pub scope: Vec<(String, Vec<Slot>)>,
}

impl<'m, 'a> FnLowerer<'m, 'a> {
    fn lower_function(mono: &'m mut Mono<'a>, id: usize, targs: &[Ty]) -> CResult<Function> {
        let checked = mono.checked;
        let info = &checked.fns[id];
        let mut lw = FnLowerer {
            mono,
            targs: targs.to_vec(),
            next_slot: 0,
            consts: Vec::new(),
            const_slots: FxHashMap::default(),
            scope: Vec::new(),
        };
        for (name, ty) in &info.params {
            let size = lw.mono.size(&ty.subst(targs), info.pos)?;
            let slots = lw.alloc(size);
            lw.scope.push((name.clone(), slots));
        }
        let input_size = lw.next_slot;
        let output_size = lw.mono.size(&info.ret.subst(targs), info.pos)?;
        let mut builder = Builder::default();
        let ctrl = lw.tail(&info.body, &mut builder, Leaf::Return)?;
        let body = builder.finish(ctrl);
        let name = if targs.is_empty() {
            info.name.clone()
        } else {
            let shown: Vec<String> = targs.iter().map(|t| checked.types.display(t)).collect();
            format!("{}<{}>", info.name, shown.join(", "))
        };
        Ok(Function {
            name,
            input_size,
            output_size,
            slot_count: lw.next_slot,
            consts: lw.consts,
            body,
            layout: Layout::default(),
            is_entry: info.is_pub,
            has_circuit: false,
        })
    }

    pub fn alloc(&mut self, n: u32) -> Vec<Slot> {
        let first = self.next_slot;
        self.next_slot += n;
        (first..first + n).collect()
    }

    fn alloc_one(&mut self) -> Slot {
        self.next_slot += 1;
        self.next_slot - 1
    }

    pub fn constant(&mut self, value: u64) -> Slot {
        if let Some(&slot) = self.const_slots.get(&value) {
            return slot;
        }
        let slot = self.alloc_one();
        self.consts.push((slot, value));
        self.const_slots.insert(value, slot);
        slot
    }

    pub fn ty_of(&self, e: &Expr) -> Ty {
        self.mono
            .checked
            .expr_ty
            .get(e.id as usize)
            .map_or(Ty::unit(), |t| t.subst(&self.targs))
    }

    pub fn size(&mut self, ty: &Ty, pos: Pos) -> CResult<u32> {
        self.mono.size(ty, pos)
    }

    /// Lowers an expression in tail position of a block ending with `leaf`.
    pub fn tail(&mut self, e: &Expr, b: &mut Builder, leaf: Leaf) -> CResult<Ctrl> {
        match &e.kind {
            ExprKind::Match { scrutinee, arms } => {
                let vals = self.expr(scrutinee, b)?;
                let ty = self.ty_of(scrutinee);
                self.compile_match(vals, ty, arms, b, leaf, e.pos)
            }
            ExprKind::Block { stmts, tail } => {
                let mark = self.scope.len();
                for stmt in stmts {
                    self.stmt(stmt, b)?;
                }
                let ctrl = self.tail(tail, b, leaf)?;
                self.scope.truncate(mark);
                Ok(ctrl)
            }
            ExprKind::Unreachable => Ok(Ctrl::Unreachable),
            _ => {
                let vals = self.expr(e, b)?;
                Ok(leaf.ctrl(vals))
            }
        }
    }

    fn stmt(&mut self, stmt: &Stmt, b: &mut Builder) -> CResult<()> {
        match stmt {
            Stmt::Expr(e) => self.expr(e, b).map(|_| ()),
            Stmt::Let { pat, value, .. } => {
                let vals = self.expr(value, b)?;
                let ty = self.ty_of(value);
                self.bind_irrefutable(pat, vals, &ty, b)
            }
        }
    }

    fn bind_irrefutable(
        &mut self,
        pat: &Pat,
        vals: Vec<Slot>,
        ty: &Ty,
        b: &mut Builder,
    ) -> CResult<()> {
        match (&pat.kind, ty) {
            (PatKind::Wild, _) => Ok(()),
            (PatKind::Bind(name), _) => {
                self.scope.push((name.clone(), vals));
                Ok(())
            }
            (PatKind::Tuple(pats), Ty::Tuple(tys)) => {
                let parts = self.split(&vals, tys, pat.pos)?;
                for ((p, part), t) in pats.iter().zip(parts).zip(tys) {
                    self.bind_irrefutable(p, part, t, b)?;
                }
                Ok(())
            }
            (PatKind::Array(pats), Ty::Array(elem, n)) => {
                let tys = vec![(**elem).clone(); usize::try_from(*n).unwrap_or(0)];
                let parts = self.split(&vals, &tys, pat.pos)?;
                for ((p, part), t) in pats.iter().zip(parts).zip(&tys) {
                    self.bind_irrefutable(p, part, t, b)?;
                }
                Ok(())
            }
            (PatKind::Deref(inner), Ty::Ptr(pointee)) => {
                let loaded = self.load(&vals, pointee, b, pat.pos)?;
                self.bind_irrefutable(inner, loaded, pointee, b)
            }
            _ => err(pat.pos, "internal: pattern does not fit its type"),
        }
    }

    /// Splits a flat value into consecutive parts of the given types.
    pub fn split(&mut self, vals: &[Slot], tys: &[Ty], pos: Pos) -> CResult<Vec<Vec<Slot>>> {
        let mut parts = Vec::new();
        let mut at = 0usize;
        for t in tys {
            let size = self.size(t, pos)? as usize;
            match vals.get(at..at + size) {
                Some(part) => parts.push(part.to_vec()),
                None => return err(pos, "internal: value smaller than its type"),
            }
            at += size;
        }
        Ok(parts)
    }

    pub fn load(
        &mut self,
        ptr: &[Slot],
        pointee: &Ty,
        b: &mut Builder,
        pos: Pos,
    ) -> CResult<Vec<Slot>> {
        let size = self.size(pointee, pos)?;
        let dst = self.alloc(size);
        b.ops.push(Op::Load(Load {
            ptr: single(ptr, pos)?,
            size,
            dst: first(&dst),
        }));
        Ok(dst)
    }

    pub fn expr(&mut self, e: &Expr, b: &mut Builder) -> CResult<Vec<Slot>> {
        match &e.kind {
            ExprKind::Int(value) => Ok(vec![self.constant(*value as u64)]),
            ExprKind::Var(name) => match self.scope.iter().rev().find(|(n, _)| n == name) {
                Some((_, slots)) => Ok(slots.clone()),
                None => err(e.pos, format!("internal: unbound variable `{name}`")),
            },
            ExprKind::Tuple(elems) | ExprKind::Array(elems) => {
                let mut out = Vec::new();
                for x in elems {
                    out.extend(self.expr(x, b)?);
                }
                Ok(out)
            }
            ExprKind::ArrayRepeat(x, n) => {
                let one = self.expr(x, b)?;
                Ok((0..*n).flat_map(|_| one.iter().copied()).collect())
            }
            ExprKind::Proj(x, i) => {
                let vals = self.expr(x, b)?;
                let Ty::Tuple(tys) = self.ty_of(x) else {
                    return err(e.pos, "internal: projection of a non-tuple");
                };
                let parts = self.split(&vals, &tys, e.pos)?;
                parts.into_iter().nth(*i as usize).ok_or_else(|| {
                    crate::error::CompileError::new(e.pos, "internal: bad projection")
                })
            }
            ExprKind::Index(x, i) => {
                let vals = self.expr(x, b)?;
                let size = self.size(&self.ty_of(e), e.pos)? as usize;
                let at = *i as usize * size;
                vals.get(at..at + size)
                    .map(<[Slot]>::to_vec)
                    .ok_or_else(|| crate::error::CompileError::new(e.pos, "internal: bad index"))
            }
            ExprKind::Binary(op, lhs, rhs) => {
                let a = single(&self.expr(lhs, b)?, lhs.pos)?;
                let c = single(&self.expr(rhs, b)?, rhs.pos)?;
                let dst = self.alloc_one();
                b.ops.push(match op {
                    crate::ast::BinOp::Add => Op::Add(Binary { dst, a, b: c }),
                    crate::ast::BinOp::Sub => Op::Sub(Binary { dst, a, b: c }),
                    crate::ast::BinOp::Mul => Op::Mul(Binary { dst, a, b: c }),
                });
                Ok(vec![dst])
            }
            ExprKind::Call {
                args,
                unconstrained,
                ..
            } => self.call(e, args, *unconstrained, b),
            ExprKind::Ctor { ctor, args, .. } => self.ctor(e, ctor, args, b),
            ExprKind::Match { .. } => self.join(e, b),
            ExprKind::Block { stmts, tail } => {
                let mark = self.scope.len();
                for stmt in stmts {
                    self.stmt(stmt, b)?;
                }
                let vals = self.expr(tail, b)?;
                self.scope.truncate(mark);
                Ok(vals)
            }
            ExprKind::AssertEq(lhs, rhs) => {
                let a = self.expr(lhs, b)?;
                let c = self.expr(rhs, b)?;
                b.ops.push(Op::AssertEq { a, b: c });
                Ok(Vec::new())
            }
            ExprKind::Unreachable => err(
                e.pos,
                "`unreachable!()` may only end a match arm or a function",
            ),
        }
    }

    /// A match in value position: its arms yield into fresh slots, then the block continues.
    fn join(&mut self, e: &Expr, b: &mut Builder) -> CResult<Vec<Slot>> {
        let size = self.size(&self.ty_of(e), e.pos)?;
        let mut inner = Builder::default();
        let ctrl = self.tail(e, &mut inner, Leaf::Yield)?;
        let body = inner.finish(ctrl);
        if let Ctrl::Yield(vals) = body.ctrl {
            // No branching happened (an irrefutable match): inline it.
            b.ops.extend(body.ops);
            return Ok(vals);
        }
        let out = self.alloc(size);
        b.join(body, out.clone());
        Ok(out)
    }

    fn ctor(&mut self, e: &Expr, ctor: &str, args: &[Expr], b: &mut Builder) -> CResult<Vec<Slot>> {
        let ty = self.ty_of(e);
        let Ty::Enum(id, _) = &ty else {
            return err(e.pos, "internal: constructor of a non-enum");
        };
        let tag = self.mono.checked.types.enums[*id]
            .ctors
            .iter()
            .position(|(n, _)| n == ctor);
        let Some(tag) = tag else {
            return err(e.pos, "internal: unknown constructor");
        };
        let size = self.size(&ty, e.pos)? as usize;
        let mut out = vec![self.constant(tag as u64)];
        for arg in args {
            out.extend(self.expr(arg, b)?);
        }
        let zero = self.constant(0);
        out.resize(size.max(out.len()), zero);
        Ok(out)
    }

    fn call(
        &mut self,
        e: &Expr,
        args: &[Expr],
        unconstrained: bool,
        b: &mut Builder,
    ) -> CResult<Vec<Slot>> {
        let target = self.mono.checked.calls.get(&e.id).cloned();
        let Some(target) = target else {
            return err(e.pos, "internal: unresolved call");
        };
        let mut arg_vals = Vec::new();
        for arg in args {
            arg_vals.push(self.expr(arg, b)?);
        }
        let out_size = self.size(&self.ty_of(e), e.pos)?;
        match target {
            CallTarget::Fn { id, targs } => {
                let targs: Vec<Ty> = targs.iter().map(|t| t.subst(&self.targs)).collect();
                let func = self.mono.instance(id, targs, e.pos)?;
                let dst = self.alloc(out_size);
                let args = arg_vals.concat();
                b.ops.push(Op::Call {
                    func,
                    args,
                    dst: first(&dst),
                    out_size,
                    unconstrained,
                });
                Ok(dst)
            }
            CallTarget::Builtin(builtin) => self.builtin(e, builtin, arg_vals, out_size, b),
        }
    }

    fn builtin(
        &mut self,
        e: &Expr,
        builtin: Builtin,
        args: Vec<Vec<Slot>>,
        out_size: u32,
        b: &mut Builder,
    ) -> CResult<Vec<Slot>> {
        let pos = e.pos;
        let arg = |i: usize| {
            args.get(i)
                .cloned()
                .ok_or_else(|| crate::error::CompileError::new(pos, "internal: missing argument"))
        };
        match builtin {
            Builtin::PtrVal | Builtin::ToField | Builtin::U8FromFieldUnsafe => arg(0),
            Builtin::Store => {
                let dst = self.alloc_one();
                b.ops.push(Op::Store { vals: arg(0)?, dst });
                Ok(vec![dst])
            }
            Builtin::Load => {
                let Ty::Ptr(pointee) = self.ty_of(&call_arg(e, 0)?) else {
                    return err(pos, "internal: load of a non-pointer");
                };
                self.load(&arg(0)?, &pointee, b, pos)
            }
            Builtin::EqZero => {
                let dst = self.alloc_one();
                b.ops.push(Op::EqZero(EqZero {
                    dst,
                    a: single(&arg(0)?, pos)?,
                }));
                Ok(vec![dst])
            }
            Builtin::IoGetInfo => {
                let dst = self.alloc(2);
                b.ops.push(Op::IoGetInfo {
                    channel: single(&arg(0)?, pos)?,
                    key: arg(1)?,
                    dst: first(&dst),
                });
                Ok(dst)
            }
            Builtin::IoRead => {
                let dst = self.alloc(out_size);
                let (channel, index) = (single(&arg(0)?, pos)?, single(&arg(1)?, pos)?);
                b.ops.push(Op::IoRead(IoRead {
                    channel,
                    index,
                    len: out_size,
                    dst: first(&dst),
                }));
                Ok(dst)
            }
            Builtin::Gadget(gadget) => {
                let dst = self.alloc(gadget.out_size());
                let args = args
                    .iter()
                    .map(|a| single(a, pos))
                    .collect::<CResult<Vec<_>>>()?;
                b.ops.push(Op::Gadget {
                    gadget,
                    args,
                    dst: dst.first().copied().unwrap_or(0),
                });
                Ok(dst)
            }
        }
    }
}

fn call_arg(e: &Expr, i: usize) -> CResult<Expr> {
    match &e.kind {
        ExprKind::Call { args, .. } => args
            .get(i)
            .cloned()
            .ok_or_else(|| crate::error::CompileError::new(e.pos, "internal: missing argument")),
        _ => err(e.pos, "internal: not a call"),
    }
}

/// The only slot of a size-1 value.
pub fn single(vals: &[Slot], pos: Pos) -> CResult<Slot> {
    match vals {
        [slot] => Ok(*slot),
        _ => err(pos, "internal: expected a single field element"),
    }
}

/// The first slot of a freshly allocated range (0 for empty ranges, which are never read).
fn first(slots: &[Slot]) -> Slot {
    slots.first().copied().unwrap_or(0)
}

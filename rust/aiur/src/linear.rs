//! Flattens structured bytecode into jump-based instructions for the executor.

use crate::builtins::Gadget;
use crate::bytecode::{Binary, Block, Ctrl, EqZero, Function, IoRead, Load, Op, Slot};

/// One executable instruction. Operand lists live in `Code::pool` as (start, len).
#[derive(Clone, Copy, Debug)]
pub enum Instr {
    Add(Binary),
    Sub(Binary),
    Mul(Binary),
    EqZero(EqZero),
    Copy {
        dst: Slot,
        src: Slot,
    },
    Call {
        func: u32,
        args: u32,
        nargs: u32,
        dst: Slot,
        unconstrained: bool,
    },
    Store {
        vals: u32,
        n: u32,
        dst: Slot,
    },
    Load(Load),
    /// Compares pool[a .. a+n] with pool[a+n .. a+2n].
    AssertEq {
        a: u32,
        n: u32,
    },
    IoGetInfo {
        channel: Slot,
        key: u32,
        nkey: u32,
        dst: Slot,
    },
    IoRead(IoRead),
    Gadget {
        gadget: Gadget,
        a: Slot,
        b: Slot,
        dst: Slot,
    },
    Switch {
        val: Slot,
        table: u32,
    },
    Jump {
        target: u32,
    },
    Return {
        vals: u32,
        n: u32,
    },
    Unreachable,
}

/// A switch's targets: cases sorted by value, and the default (None = no case matches).
#[derive(Clone, Debug)]
pub struct SwitchTable {
    pub cases: Vec<(u64, u32)>,
    pub default: Option<u32>,
}

impl SwitchTable {
    #[inline]
    pub fn target(&self, value: u64) -> Option<u32> {
        match self.cases.binary_search_by_key(&value, |&(v, _)| v) {
            Ok(i) => self.cases.get(i).map(|&(_, t)| t),
            Err(_) => self.default,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Code {
    pub instrs: Vec<Instr>,
    pub pool: Vec<Slot>,
    pub switches: Vec<SwitchTable>,
}

pub fn linearize(f: &Function) -> Code {
    let mut code = Code::default();
    emit_block(&mut code, &f.body, None);
    code
}

/// Where yields of the current join go: its result slots and the jumps to patch.
struct JoinTarget<'a> {
    out: &'a [Slot],
    jumps: Vec<usize>,
}

fn push_list(code: &mut Code, slots: &[Slot]) -> u32 {
    let start = code.pool.len() as u32;
    code.pool.extend_from_slice(slots);
    start
}

fn emit_block(code: &mut Code, b: &Block, mut join: Option<&mut JoinTarget<'_>>) {
    for op in &b.ops {
        emit_op(code, op);
    }
    match &b.ctrl {
        Ctrl::Return(vals) => {
            let start = push_list(code, vals);
            code.instrs.push(Instr::Return {
                vals: start,
                n: vals.len() as u32,
            });
        }
        Ctrl::Yield(vals) => match join {
            Some(target) => {
                for (&dst, &src) in target.out.iter().zip(vals) {
                    code.instrs.push(Instr::Copy { dst, src });
                }
                target.jumps.push(code.instrs.len());
                code.instrs.push(Instr::Jump { target: 0 });
            }
            None => code.instrs.push(Instr::Unreachable),
        },
        Ctrl::Unreachable => code.instrs.push(Instr::Unreachable),
        Ctrl::Match {
            val,
            cases,
            default,
        } => {
            let table = code.switches.len();
            code.switches.push(SwitchTable {
                cases: Vec::new(),
                default: None,
            });
            code.instrs.push(Instr::Switch {
                val: *val,
                table: table as u32,
            });
            let mut targets = Vec::new();
            for (value, case) in cases {
                targets.push((*value, code.instrs.len() as u32));
                emit_block(code, case, join.as_deref_mut());
            }
            let default_target = default.as_ref().map(|d| {
                let at = code.instrs.len() as u32;
                emit_block(code, d, join.as_deref_mut());
                at
            });
            targets.sort_unstable_by_key(|&(v, _)| v);
            code.switches[table] = SwitchTable {
                cases: targets,
                default: default_target,
            };
        }
        Ctrl::Join { body, out, cont } => {
            let mut target = JoinTarget {
                out,
                jumps: Vec::new(),
            };
            emit_block(code, body, Some(&mut target));
            let here = code.instrs.len() as u32;
            for at in target.jumps {
                code.instrs[at] = Instr::Jump { target: here };
            }
            emit_block(code, cont, join);
        }
    }
}

fn emit_op(code: &mut Code, op: &Op) {
    let instr = match op {
        Op::Add(x) => Instr::Add(*x),
        Op::Sub(x) => Instr::Sub(*x),
        Op::Mul(x) => Instr::Mul(*x),
        Op::EqZero(x) => Instr::EqZero(*x),
        Op::Call {
            func,
            args,
            dst,
            unconstrained,
            ..
        } => {
            let start = push_list(code, args);
            Instr::Call {
                func: *func,
                args: start,
                nargs: args.len() as u32,
                dst: *dst,
                unconstrained: *unconstrained,
            }
        }
        Op::Store { vals, dst } => Instr::Store {
            vals: push_list(code, vals),
            n: vals.len() as u32,
            dst: *dst,
        },
        Op::Load(x) => Instr::Load(*x),
        Op::AssertEq { a, b } => {
            let start = push_list(code, a);
            push_list(code, b);
            Instr::AssertEq {
                a: start,
                n: a.len() as u32,
            }
        }
        Op::IoGetInfo { channel, key, dst } => Instr::IoGetInfo {
            channel: *channel,
            key: push_list(code, key),
            nkey: key.len() as u32,
            dst: *dst,
        },
        Op::IoRead(x) => Instr::IoRead(*x),
        Op::Gadget { gadget, args, dst } => {
            let a = args.first().copied().unwrap_or(0);
            let b = args.get(1).copied().unwrap_or(a);
            Instr::Gadget {
                gadget: *gadget,
                a,
                b,
                dst: *dst,
            }
        }
    };
    code.instrs.push(instr);
}

//! Internal consistency check of lowered bytecode: every slot is written on
//! every path before it is read (the executor relies on it: frames are not cleared).

use crate::bytecode::{Binary, Block, Ctrl, EqZero, Function, IoRead, Load, Op, Slot};

/// The first slot read before being written, with the function name.
pub fn check_defined(f: &Function) -> Result<(), String> {
    let mut written = vec![false; f.slot_count as usize];
    for s in 0..f.input_size {
        mark(&mut written, s);
    }
    for &(s, _) in &f.consts {
        mark(&mut written, s);
    }
    block(&f.body, &mut written)
        .map_err(|slot| format!("`{}` reads slot {slot} before writing it", f.name))
}

fn mark(written: &mut [bool], s: Slot) {
    if let Some(w) = written.get_mut(s as usize) {
        *w = true;
    }
}

fn read(written: &[bool], slots: &[Slot]) -> Result<(), Slot> {
    match slots
        .iter()
        .find(|&&s| !written.get(s as usize).copied().unwrap_or(false))
    {
        Some(&s) => Err(s),
        None => Ok(()),
    }
}

fn block(b: &Block, written: &mut [bool]) -> Result<(), Slot> {
    for op in &b.ops {
        let (reads, dst, n): (Vec<Slot>, Slot, u32) = match op {
            Op::Add(Binary { dst, a, b })
            | Op::Sub(Binary { dst, a, b })
            | Op::Mul(Binary { dst, a, b }) => (vec![*a, *b], *dst, 1),
            Op::EqZero(EqZero { dst, a }) => (vec![*a], *dst, 1),
            Op::Call {
                args,
                dst,
                out_size,
                ..
            } => (args.clone(), *dst, *out_size),
            Op::Store { vals, dst } => (vals.clone(), *dst, 1),
            Op::Load(Load { ptr, size, dst }) => (vec![*ptr], *dst, *size),
            Op::AssertEq { a, b } => ([a.as_slice(), b.as_slice()].concat(), 0, 0),
            Op::IoGetInfo { channel, key, dst } => {
                ([&[*channel], key.as_slice()].concat(), *dst, 2)
            }
            Op::IoRead(IoRead {
                channel,
                index,
                len,
                dst,
            }) => (vec![*channel, *index], *dst, *len),
            Op::Gadget { gadget, args, dst } => (args.clone(), *dst, gadget.out_size()),
        };
        read(written, &reads)?;
        for s in dst..dst + n {
            mark(written, s);
        }
    }
    match &b.ctrl {
        Ctrl::Return(vals) | Ctrl::Yield(vals) => read(written, vals),
        Ctrl::Unreachable => Ok(()),
        Ctrl::Match {
            val,
            cases,
            default,
        } => {
            read(written, &[*val])?;
            for (_, case) in cases {
                block(case, &mut written.to_vec())?;
            }
            if let Some(d) = default {
                block(d, &mut written.to_vec())?;
            }
            Ok(())
        }
        Ctrl::Join { body, out, cont } => {
            block(body, &mut written.to_vec())?;
            for &s in out {
                mark(written, s);
            }
            block(cont, written)
        }
    }
}

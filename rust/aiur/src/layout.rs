//! Circuit layout of a function: selectors, auxiliaries and lookups (AIUR.md §2, the #432 rules).

use crate::bytecode::{Block, Ctrl, Function, Layout, Op, Slot};

/// Running column counts along one path through the body.
#[derive(Clone, Copy, Default)]
struct Cost {
    aux: u32,
    lookups: u32,
}

/// What a block (with everything below it) needs: max columns over its paths, selectors summed.
#[derive(Clone, Copy, Default)]
struct Need {
    aux: u32,
    lookups: u32,
    selectors: u32,
}

/// Computes a function's layout: aux starts at 1 (multiplicity), lookups get +1 for the return.
pub fn layout(f: &Function) -> Layout {
    let mut degree = vec![1u8; f.slot_count as usize];
    for &(slot, _) in &f.consts {
        set(&mut degree, slot, 0);
    }
    let need = block(&f.body, Cost { aux: 1, lookups: 0 }, &mut degree);
    Layout {
        input_size: f.input_size,
        selectors: need.selectors,
        auxiliaries: need.aux,
        lookups: need.lookups + 1,
    }
}

fn get(degree: &[u8], slot: Slot) -> u8 {
    degree.get(slot as usize).copied().unwrap_or(1)
}

fn set(degree: &mut [u8], slot: Slot, d: u8) {
    if let Some(x) = degree.get_mut(slot as usize) {
        *x = d;
    }
}

fn block(b: &Block, mut cost: Cost, degree: &mut [u8]) -> Need {
    for op in &b.ops {
        op_cost(op, &mut cost, degree);
    }
    match &b.ctrl {
        Ctrl::Return(_) | Ctrl::Yield(_) => Need {
            aux: cost.aux,
            lookups: cost.lookups,
            selectors: 1,
        },
        Ctrl::Unreachable => Need {
            aux: cost.aux,
            lookups: cost.lookups,
            selectors: 0,
        },
        Ctrl::Match { cases, default, .. } => {
            let mut need = Need {
                aux: cost.aux,
                lookups: cost.lookups,
                selectors: 0,
            };
            for (_, case) in cases {
                merge(&mut need, block(case, cost, degree));
            }
            if let Some(default) = default {
                // One inverse witness of (val − case) per explicit case proves val misses them all.
                let start = Cost {
                    aux: cost.aux + cases.len() as u32,
                    lookups: cost.lookups,
                };
                merge(&mut need, block(default, start, degree));
            }
            need
        }
        Ctrl::Join { body, out, cont } => {
            let arms = block(body, cost, degree);
            for &slot in out {
                set(degree, slot, 1);
            }
            let after = Cost {
                aux: arms.aux + out.len() as u32,
                lookups: arms.lookups,
            };
            let rest = block(cont, after, degree);
            Need {
                aux: rest.aux,
                lookups: rest.lookups,
                selectors: arms.selectors + rest.selectors,
            }
        }
    }
}

fn merge(into: &mut Need, arm: Need) {
    into.aux = into.aux.max(arm.aux);
    into.lookups = into.lookups.max(arm.lookups);
    into.selectors += arm.selectors;
}

fn op_cost(op: &Op, cost: &mut Cost, degree: &mut [u8]) {
    let mut aux = |n: u32, lookups: u32| {
        cost.aux += n;
        cost.lookups += lookups;
    };
    match op {
        Op::Add { dst, a, b } | Op::Sub { dst, a, b } => {
            let d = get(degree, *a).max(get(degree, *b));
            set(degree, *dst, d);
        }
        Op::Mul { dst, a, b } => {
            let d = get(degree, *a) + get(degree, *b);
            // A product of degree ≥ 2 is committed to a fresh column.
            if d >= 2 {
                aux(1, 0);
                set(degree, *dst, 1);
            } else {
                set(degree, *dst, d);
            }
        }
        Op::EqZero { dst, a } => {
            if get(degree, *a) > 0 {
                aux(2, 0);
                set(degree, *dst, 1);
            } else {
                set(degree, *dst, 0);
            }
        }
        Op::Call {
            out_size,
            unconstrained,
            ..
        } => aux(*out_size, u32::from(!unconstrained)),
        Op::Store { .. } => aux(1, 1),
        Op::Load { size, .. } => aux(*size, 1),
        Op::AssertEq { .. } => {}
        Op::IoGetInfo { .. } => aux(2, 0),
        Op::IoRead { len, .. } => aux(*len, 0),
        Op::Gadget { gadget, .. } => aux(gadget.auxiliaries(), gadget.lookups()),
    }
}

//! Circuit layout of a function: selectors, auxiliaries and lookups (docs/AIUR.md §2, the #432 rules).

use crate::bytecode::{Binary, Block, Ctrl, EqZero, Function, IoRead, Layout, Load, Op, Slot};

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
        Op::Add(Binary { dst, a, b }) | Op::Sub(Binary { dst, a, b }) => {
            let d = get(degree, *a).max(get(degree, *b));
            set(degree, *dst, d);
        }
        Op::Mul(Binary { dst, a, b }) => {
            let d = get(degree, *a) + get(degree, *b);
            // A product of degree ≥ 2 is committed to a fresh column.
            if d >= 2 {
                aux(1, 0);
                set(degree, *dst, 1);
            } else {
                set(degree, *dst, d);
            }
        }
        Op::EqZero(EqZero { dst, a }) => {
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
        Op::Load(Load { size, .. }) => aux(*size, 1),
        Op::AssertEq { .. } => {}
        Op::IoGetInfo { .. } => aux(2, 0),
        Op::IoRead(IoRead { len, .. }) => aux(*len, 0),
        Op::Gadget { gadget, .. } => aux(gadget.auxiliaries(), gadget.lookups()),
    }
}

#[cfg(test)]
mod tests {
    use crate::bytecode::Layout;
    use crate::compile;

    /// A layout as (input, selectors, auxiliaries, lookups).
    type Columns = (u32, u32, u32, u32);

    /// The layout of `f` in `src`.
    fn lay(src: &str) -> Columns {
        lay_of(src, "f")
    }

    /// The layout of `name` in `src`, as `lay`.
    fn lay_of(src: &str, name: &str) -> Columns {
        let program = compile(src).unwrap_or_else(|e| panic!("{e}"));
        let f = program
            .functions
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("no {name}"));
        let Layout {
            input_size,
            selectors,
            auxiliaries,
            lookups,
        } = f.layout;
        (input_size, selectors, auxiliaries, lookups)
    }

    /// A bare function: 1 selector, the multiplicity column and the return lookup.
    #[test]
    fn empty_function_has_multiplicity_and_return_lookup() {
        assert_eq!(lay("fn f(a: G) -> G { a }"), (1, 1, 1, 1));
        let program = compile("fn f(a: G) -> G { a }").unwrap();
        assert_eq!(program.functions[0].layout.width(), 1 + 1 + 1 + 2 * (1 + 1));
    }

    #[test]
    fn input_size_sums_flat_parameter_sizes() {
        let src =
            "enum E { A(G, (G, G)), B } fn f(a: G, b: (G, U8), c: [G; 3], p: &E, e: E) -> G { a }";
        // 1 + 2 + 3 + 1 (pointer) + 4 (tag + widest constructor)
        assert_eq!(lay(src).0, 11);
    }

    #[test]
    fn mul_pays_only_at_degree_two() {
        assert_eq!(lay("fn f(a: G, b: G) -> G { a * b }").2, 2);
        assert_eq!(lay("fn f(a: G) -> G { a * 3 }").2, 1);
        assert_eq!(lay("fn f(a: G) -> G { 3 * 4 + a }").2, 1);
        // (a·b) is committed, so (a·b)·c is again degree 2: two columns.
        assert_eq!(lay("fn f(a: G, b: G, c: G) -> G { a * b * c }").2, 3);
        // add/sub never pay; their degree is the max of the operands.
        assert_eq!(lay("fn f(a: G, b: G) -> G { (a + b) * 2 - a }").2, 1);
    }

    #[test]
    fn eq_zero_pays_two_unless_constant() {
        assert_eq!(lay("fn f(a: G) -> G { eq_zero(a) }").2, 3);
        assert_eq!(lay("fn f(a: G) -> G { eq_zero(0) + a }").2, 1);
    }

    #[test]
    fn calls_pay_outputs_and_constrained_calls_a_lookup() {
        let src = "fn g(a: G) -> (G, G, G) { (a, a, a) } fn f(a: G) -> (G, G, G) { g(a) } fn h(a: G) -> (G, G, G) { #g(a) }";
        assert_eq!(lay(src), (1, 1, 1 + 3, 1 + 1));
        assert_eq!(lay_of(src, "h"), (1, 1, 1 + 3, 1));
    }

    /// Each source's `f` has its layout.
    fn assert_layouts(cases: &[(&str, Columns)]) {
        for &(src, layout) in cases {
            assert_eq!(lay(src), layout, "{src}");
        }
    }

    #[test]
    fn store_and_load() {
        assert_layouts(&[
            ("fn f(a: G) -> &(G, G) { store((a, a)) }", (1, 1, 2, 2)),
            ("fn f(p: &(G, G, G)) -> (G, G, G) { load(p) }", (1, 1, 4, 2)),
            // A `&` pattern is a load.
            (
                "fn f(p: &(G, G)) -> G { match p { &(x, _) => x } }",
                (1, 1, 3, 2),
            ),
            // ptr_val is free.
            ("fn f(p: &G) -> G { ptr_val(p) }", (1, 1, 1, 1)),
        ]);
    }

    #[test]
    fn io_ops_pay_columns_but_no_lookups() {
        assert_layouts(&[
            (
                "fn f(k: [G; 4]) -> (G, G) { io_get_info(0, k) }",
                (4, 1, 3, 1),
            ),
            ("fn f(i: G) -> [G; 5] { io_read(1, i, 5) }", (1, 1, 6, 1)),
        ]);
    }

    #[test]
    fn byte_gadgets() {
        // Most take one auxiliary column and one lookup.
        let one_each = [
            ("u8_shift_left(a)", "U8"),
            ("u8_shift_right(a)", "U8"),
            ("u8_xor(a, b)", "U8"),
            ("u8_and(a, b)", "U8"),
            ("u8_or(a, b)", "U8"),
            ("u8_less_than(a, b)", "G"),
            ("u8_add(a, b)", "(U8, G)"),
            ("u8_sub(a, b)", "(U8, G)"),
        ];
        let others = [
            ("u8_bit_decomposition(a)", "[G; 8]", 8, 1),
            ("u8_mul(a, b)", "(U8, U8)", 2, 1),
            ("u8_range_check(to_field(a))", "()", 0, 1),
            ("u32_less_than(to_field(a), to_field(b))", "G", 12, 6),
        ];
        let cases = one_each.map(|(call, ret)| (call, ret, 1, 1));
        for (call, ret, aux, lookups) in cases.into_iter().chain(others) {
            let src = format!("fn f(a: U8, b: U8) -> {ret} {{ {call} }}");
            assert_eq!(lay(&src), (2, 1, 1 + aux, 1 + lookups), "{call}");
        }
    }

    #[test]
    fn selectors_count_return_leaves() {
        let src = "fn f(a: G) -> G { match a { 0 => 1, 1 => 2, 2 => 3 } }";
        assert_eq!(lay(src).1, 3);
        // Leaves of a nested match count too; a value-position match yields.
        let src = "fn f(a: G, b: G) -> G { let x = match a { 0 => 1, 1 => 2 }; match b { 0 => x, 5 => a } }";
        assert_eq!(lay(src).1, 4);
    }

    #[test]
    fn match_takes_max_over_arms_separately_for_columns_and_lookups() {
        // Arm 0: two stores (2 aux, 2 lookups); arm 1: a load of 3 (3 aux, 1 lookup).
        let src = "fn f(a: G, p: &(G, G, G)) -> G { match a { \
                   0 => { let x = store(a); let y = store(p); a }, \
                   1 => { let (x, y, z) = load(p); x } } }";
        assert_eq!(lay(src), (2, 2, 1 + 3, 2 + 1));
    }

    #[test]
    fn default_arm_pays_one_inverse_per_explicit_case() {
        assert_eq!(
            lay("fn f(a: G) -> G { match a { 0 => 1, 1 => 2, _ => 3 } }").2,
            1 + 2
        );
        // The inverse adds to the default arm's own columns before the max.
        let src = "fn f(a: G) -> G { match a { 0 => a * a, _ => a * a } }";
        assert_eq!(lay(src).2, 1 + 2);
        // No default arm, no inverse.
        assert_eq!(lay("fn f(a: G) -> G { match a { 0 => 1, 1 => 2 } }").2, 1);
    }

    #[test]
    fn value_match_adds_outputs_after_the_arms() {
        // max(arms) = 1 store column, then 2 join columns, then a mul of two join outputs.
        let src = "fn f(a: G) -> G { let (x, y) = match a { 0 => (ptr_val(store(a)), a), _ => (a, a) }; x * y }";
        // Selectors: two yields and the final return.
        assert_eq!(lay(src), (1, 3, 1 + 1 + 2 + 1, 1 + 1));
    }

    #[test]
    fn enums_are_tag_plus_widest_constructor() {
        let src =
            "enum E { A(G), B(G, G, G), C } fn f(e: E) -> E { e } fn g(e: &E) -> E { load(e) }";
        assert_eq!(lay(src).0, 4);
        assert_eq!(lay_of(src, "g"), (1, 1, 1 + 4, 2));
        let src = "enum Opt<T> { Some(T), None } fn f(x: Opt<(G, G)>, y: Opt<Opt<G>>) -> G { 0 }";
        assert_eq!(lay(src).0, 3 + 3);
    }

    #[test]
    fn enum_match_without_default_has_no_inverse() {
        let src =
            "enum E { A(G), B(G) } fn f(e: E) -> G { match e { E::A(x) => x, E::B(y) => y } }";
        assert_eq!(lay(src), (2, 2, 1, 1));
        let src = "enum E { A(G), B(G), C } fn f(e: E) -> G { match e { E::A(x) => x, _ => 0 } }";
        assert_eq!(lay(src), (2, 2, 1 + 1, 1));
        // unreachable!() arms cost nothing.
        let src = "enum E { A(G), B(G) } fn f(e: E) -> G { match e { E::A(x) => x, E::B(_) => unreachable!() } }";
        assert_eq!(lay(src), (2, 1, 1, 1));
    }

    /// Whole functions, widths computed by hand from the rules above.
    #[test]
    fn whole_function_widths() {
        let list = "enum List<T> { Cons(T, &List<T>), Nil }";
        // len: input 3; Nil arm returns (1 sel); Cons arm: load 3 (+3, 1L), call (+1, 1L), add; 1 sel.
        let src = format!("{list} fn len(l: List<G>) -> G {{ match l {{ List::Nil => 0, List::Cons(_, &rest) => 1 + len(rest) }} }}");
        let w = compile(&src)
            .unwrap()
            .functions
            .iter()
            .find(|f| f.name == "len")
            .unwrap()
            .layout
            .width();
        assert_eq!(w, 3 + 2 + (1 + 3 + 1) + 2 * (1 + 2 + 1));
        // sum of squares with a u32 guard: 2 inputs; mul (+1), u32_less_than (+12, 6L), match with default
        // (+1 inverse) around a constrained call (+1, 1L); 2 selectors.
        let src = "fn sq(n: G, acc: G) -> G { let lt = u32_less_than(n, 100); match lt { 0 => acc, _ => sq(n + 1, acc + n * n) } }";
        let w = compile(src).unwrap().functions[0].layout.width();
        assert_eq!(w, 2 + 2 + (1 + 12 + 1 + 1 + 1) + 2 * (1 + 6 + 1 + 1));
    }
}

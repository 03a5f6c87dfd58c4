//! The RB-tree map programs: test vector, widths against #432, and pinned statistics.

use ix_aiur::{compile, execute, stats, IoBuffer, Program};

const ONE_CMP: &str = include_str!("../programs/rbtree_one_cmp.aiur");
const TWO_CMP: &str = include_str!("../programs/rbtree_two_cmp.aiur");

const EXPECTED: [u64; 22] = [
    42, 50, 100, 200, 999, 10, 20, 30, 40, 50, 10, 20, 30, 40, 50, 200, 300, 400, 500, 600, 700,
    800,
];

fn program(src: &str) -> Program {
    compile(src).unwrap_or_else(|e| panic!("{e}"))
}

fn width(p: &Program, name: &str) -> u64 {
    p.functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .layout
        .width()
}

#[test]
fn both_variants_pass_the_test_vector() {
    for src in [ONE_CMP, TWO_CMP] {
        let p = program(src);
        let exec = execute(&p, "rbtree_map_test", &[], &IoBuffer::default()).unwrap();
        assert_eq!(exec.output, EXPECTED);
        for (key, want) in [(10, 100), (30, 300), (25, 7), (5, 7), (99, 7)] {
            let exec =
                execute(&p, "rbtree_map_default_test", &[key], &IoBuffer::default()).unwrap();
            assert_eq!(exec.output, [want], "key {key}");
        }
    }
}

#[test]
fn widths_match_432() {
    let (old, new) = (program(TWO_CMP), program(ONE_CMP));
    assert_eq!(width(&old, "rbtree_map_lookup_or_default<G>"), 85);
    assert_eq!(width(&new, "rbtree_map_lookup_or_default<G>"), 62);
    assert_eq!(width(&old, "rbtree_map_ins<G>"), 98);
    assert_eq!(width(&new, "rbtree_map_ins<G>"), 75);
    assert_eq!(width(&new, "rbtree_map_balance<G>"), 32);
}

#[test]
fn stats_are_pinned() {
    let mut report = String::new();
    for (name, src) in [("two comparisons", TWO_CMP), ("one comparison", ONE_CMP)] {
        let p = program(src);
        let exec = execute(&p, "rbtree_map_test", &[], &IoBuffer::default()).unwrap();
        let s = stats::compute(&p, &exec);
        report.push_str(&format!("--- {name} ---\n{}\n", s.render()));
    }
    let (old, new) = (program(TWO_CMP), program(ONE_CMP));
    let run = |p: &Program| {
        stats::compute(
            p,
            &execute(p, "rbtree_map_test", &[], &IoBuffer::default()).unwrap(),
        )
    };
    let (so, sn) = (run(&old), run(&new));
    report.push_str(&format!(
        "total width {} -> {}, total FFT cost {:.0} -> {:.0} (delta {:.0})\n",
        so.total_width,
        sn.total_width,
        so.total_cost,
        sn.total_cost,
        sn.total_cost - so.total_cost
    ));
    insta::assert_snapshot!(report);
}

//! Executor semantics: memoization, multiplicities, unconstrained calls, memory, IO, failures.

use ix_aiur::field::P;
use ix_aiur::{compile, execute, stats, ExecError, Execution, IoBuffer, Program};

fn run(src: &str, entry: &str, args: &[u64]) -> (Program, Execution) {
    let program = compile(src).unwrap_or_else(|e| panic!("{e}"));
    let exec =
        execute(&program, entry, args, &IoBuffer::default()).unwrap_or_else(|e| panic!("{e}"));
    (program, exec)
}

fn table<'a>(p: &Program, e: &'a Execution, name: &str) -> &'a ix_aiur::exec::Table {
    let i = p
        .functions
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {name}"));
    &e.functions[i]
}

#[test]
fn goldilocks_arithmetic() {
    let src = "pub fn f(a: G, b: G) -> (G, G, G) { (a * b, a + b, a - b) }";
    let (_, e) = run(src, "f", &[P - 1, P - 2]);
    assert_eq!(e.output, [2, P - 3, 1]);
}

#[test]
fn memo_rows_multiplicities_and_hits() {
    let src = "fn sq(x: G) -> G { x * x }\n\
               pub fn main(a: G) -> G { sq(a) + sq(a) + sq(a + 1) }";
    let (p, e) = run(src, "main", &[3]);
    assert_eq!(e.output, [9 + 9 + 16]);
    let t = table(&p, &e, "sq");
    assert_eq!((t.height(), t.hits()), (2, 1));
    assert_eq!(t.multiplicities, [2, 1]);
}

#[test]
fn unconstrained_rows_have_multiplicity_zero_and_no_circuit() {
    let src = "fn leaf(x: G) -> G { x + 1 }\n\
               fn hint(x: G) -> G { leaf(x) * 2 }\n\
               pub fn main(a: G) -> G { #hint(a) }";
    let (p, e) = run(src, "main", &[5]);
    assert_eq!(e.output, [12]);
    assert_eq!(table(&p, &e, "hint").multiplicities, [0]);
    assert_eq!(table(&p, &e, "leaf").multiplicities, [0]);
    let s = stats::compute(&p, &e);
    let names: Vec<&str> = s.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        ["main"],
        "only constrained-reachable functions get a circuit"
    );
}

#[test]
fn constrained_hit_on_unconstrained_row_replays_the_body() {
    // `hint` first runs unconstrained (rows at 0), then constrained with the same
    // argument: the replay must activate the nested `leaf` row and the store.
    let src = "fn leaf(x: G) -> G { ptr_val(store(x)) + x }\n\
               fn hint(x: G) -> G { leaf(x) * 2 }\n\
               pub fn main(a: G) -> G { let h = #hint(a); let c = hint(a); h - c }";
    let (p, e) = run(src, "main", &[5]);
    assert_eq!(e.output, [0]);
    assert_eq!(table(&p, &e, "hint").multiplicities, [1]);
    assert_eq!(table(&p, &e, "leaf").multiplicities, [1]);
    let memory = &e.memory.iter().find(|(s, _)| *s == 1).unwrap().1;
    assert_eq!(memory.multiplicities, [1]);
}

#[test]
fn memory_is_hash_consed_with_zero_based_pointers() {
    let src = "pub fn main(a: G) -> (G, G, G, G) {\n\
               let p = store((a, 1)); let q = store((a, 2)); let r = store((a, 1));\n\
               let (x, _) = load(q);\n\
               (ptr_val(p), ptr_val(q), ptr_val(r), x) }";
    let (p, e) = run(src, "main", &[7]);
    assert_eq!(e.output, [0, 1, 0, 7]);
    let memory = &e.memory.iter().find(|(s, _)| *s == 2).unwrap().1;
    // Row 0: two stores; row 1: a store and a load.
    assert_eq!(memory.multiplicities, [2, 2]);
    let s = stats::compute(&p, &e);
    let row = s.rows.iter().find(|r| r.name == "memory[2]").unwrap();
    assert_eq!((row.width, row.height, row.hits), (2 + 11, 2, 2));
}

#[test]
fn io_buffer_channels_and_keys() {
    let src = "pub fn main(k: [G; 2]) -> [G; 3] { let (i, n) = io_get_info(1, k); assert_eq!(n, 3); io_read(1, i, 3) }";
    let program = compile(src).unwrap();
    let mut io = IoBuffer::default();
    io.insert(1, vec![9, 9], &[1, 2]);
    io.insert(1, vec![4, 2], &[10, 20, 30]);
    let e = execute(&program, "main", &[4, 2], &io).unwrap();
    assert_eq!(e.output, [10, 20, 30]);
    let missing = execute(&program, "main", &[0, 0], &io).unwrap_err();
    assert!(matches!(missing, ExecError::IoMissing { channel: 1, .. }));
}

#[test]
fn byte_gadgets_compute() {
    let src = "pub fn main(a: G, b: G) -> (U8, U8, U8, G, (U8, G), (U8, G), (U8, U8), U8, U8, G, [G; 8]) {\n\
               let x = u8_from_field_unsafe(a); let y = u8_from_field_unsafe(b); u8_range_check(a);\n\
               (u8_xor(x, y), u8_and(x, y), u8_or(x, y), u8_less_than(x, y), u8_add(x, y), u8_sub(x, y),\n\
                u8_mul(x, y), u8_shift_left(x), u8_shift_right(x), u32_less_than(a, b), u8_bit_decomposition(x)) }";
    let (_, e) = run(src, "main", &[200, 100]);
    let bits = [0, 0, 0, 1, 0, 0, 1, 1]; // 200, least significant first
    let mut expected = vec![
        200 ^ 100,
        200 & 100,
        200 | 100,
        0,
        44,
        1,
        100,
        0,
        32,
        78,
        144,
        100,
        0,
    ];
    expected.extend(bits);
    assert_eq!(e.output, expected);
}

#[test]
fn failures_are_errors() {
    let program =
        compile("pub fn main(a: G) -> G { assert_eq!(a, 1); match a { 1 => 5 } }").unwrap();
    assert!(matches!(
        execute(&program, "main", &[2], &IoBuffer::default()),
        Err(ExecError::AssertFailed(_))
    ));
    let program = compile("pub fn main(a: G) -> G { match a { 1 => 5 } }").unwrap();
    assert!(matches!(
        execute(&program, "main", &[2], &IoBuffer::default()),
        Err(ExecError::NoCase { value: 2, .. })
    ));
    let program = compile("pub fn main(a: G) -> G { u32_less_than(a, 1) }").unwrap();
    assert!(matches!(
        execute(&program, "main", &[1 << 32], &IoBuffer::default()),
        Err(ExecError::GadgetRange { .. })
    ));
    assert!(matches!(
        execute(&program, "main", &[], &IoBuffer::default()),
        Err(ExecError::ArgCount { .. })
    ));
    assert!(matches!(
        execute(&program, "main", &[P], &IoBuffer::default()),
        Err(ExecError::ArgRange(_))
    ));
    assert!(matches!(
        execute(&program, "nope", &[1], &IoBuffer::default()),
        Err(ExecError::UnknownEntry(_))
    ));
    let program =
        compile("fn g(p: &G) -> G { load(p) } pub fn main(a: G) -> G { g(store(a)) }").unwrap();
    assert!(execute(&program, "main", &[1], &IoBuffer::default()).is_ok());
}

#[test]
fn refutable_let_matches_or_has_no_execution() {
    let src = "enum L { Cons(G, &L), Nil }\n\
               fn head(l: L) -> G { let L::Cons(x, _) = l; x + 1 }\n\
               pub fn main(a: G) -> G { head(L::Cons(a, store(L::Nil))) }\n\
               pub fn empty() -> G { head(L::Nil) }\n\
               pub fn lit(a: G) -> G { let (7, b) = (a, a + 1); b }";
    let (p, e) = run(src, "main", &[41]);
    assert_eq!(e.output, [42]);
    assert!(matches!(
        execute(&p, "empty", &[], &IoBuffer::default()),
        Err(ExecError::NoCase { .. })
    ));
    assert_eq!(
        execute(&p, "lit", &[7], &IoBuffer::default())
            .unwrap()
            .output,
        [8]
    );
    assert!(execute(&p, "lit", &[6], &IoBuffer::default()).is_err());
}

#[test]
fn array_patterns_in_let_and_match() {
    let src = "fn pick(a: [G; 2]) -> G { match a { [0, y] => y, [x, _] => x * 10 } }\n\
               pub fn main(a: G) -> (G, G, G) {\n\
                 let [x, y, z] = [a, a + 1, a + 2];\n\
                 (x * y + z, pick([0, a]), pick([a, 5]))\n\
               }";
    let (_, e) = run(src, "main", &[3]);
    assert_eq!(e.output, [3 * 4 + 5, 3, 30]);
}

#[test]
fn match_arms_take_let_chains_without_braces() {
    let src = "enum L { Cons(G, &L), Nil }\n\
               fn f(l: L) -> G {\n\
                 match l {\n\
                   L::Cons(x, r) => let y = x + 1; let &L::Nil = r; y * 2,\n\
                   L::Nil => let z = 5; z,\n\
                 }\n\
               }\n\
               pub fn one(a: G) -> G { f(L::Cons(a, store(L::Nil))) }\n\
               pub fn two(a: G) -> G { f(L::Cons(a, store(L::Cons(a, store(L::Nil))))) }\n\
               pub fn none() -> G { f(L::Nil) }";
    let (p, e) = run(src, "one", &[4]);
    assert_eq!(e.output, [10]);
    assert_eq!(
        execute(&p, "none", &[], &IoBuffer::default())
            .unwrap()
            .output,
        [5]
    );
    // The refutable `let &L::Nil = r` in the chain has no execution here.
    assert!(matches!(
        execute(&p, "two", &[4], &IoBuffer::default()),
        Err(ExecError::NoCase { .. })
    ));
}

#[test]
fn generic_lists_and_value_matches() {
    let src = "enum List<T> { Cons(T, &List<T>), Nil }\n\
               type Bytes = List<U8>;\n\
               fn push<T>(x: T, l: List<T>) -> List<T> { List::Cons(x, store(l)) }\n\
               fn sum(l: Bytes) -> G { match l { List::Nil => 0, List::Cons(b, &rest) => to_field(b) + sum(rest) } }\n\
               fn len<T>(l: List<T>) -> G { match l { List::Nil => 0, List::Cons(_, &rest) => 1 + len(rest) } }\n\
               pub fn main() -> (G, G, G) {\n\
               let l = push(3, push(2, push(1, List::Nil)));\n\
               let pairs = push((1, 2), List::Nil);\n\
               let n = match len(l) { 3 => 30, _ => 0 };\n\
               (sum(l), n, len(pairs)) }";
    let (p, e) = run(src, "main", &[]);
    assert_eq!(e.output, [6, 30, 1]);
    let names: Vec<&str> = p.functions.iter().map(|f| f.name.as_str()).collect();
    assert!(
        names.contains(&"len<U8>") && names.contains(&"len<(G, G)>"),
        "{names:?}"
    );
}

#[test]
fn readme_example_runs() {
    let readme = include_str!("../README.md");
    let start = readme.find("```rust\n").unwrap() + "```rust\n".len();
    let src = &readme[start..start + readme[start..].find("```").unwrap()];
    let (_, e) = run(src, "main", &[4, 9, 4]);
    // x = 4, y = b[1] = 4, so n = 1; p is the first store, pointer 0.
    assert_eq!(e.output, [0, 1]);
}

#[test]
fn unbounded_recursion_is_an_error() {
    let program = compile("fn f(x: G) -> G { f(x + 1) } pub fn main() -> G { f(0) }").unwrap();
    let err = execute(&program, "main", &[], &IoBuffer::default()).unwrap_err();
    assert_eq!(err, ExecError::DepthLimit);
    assert!(err.is_resource_limit());
    assert!(!ExecError::Unreachable("f".into()).is_resource_limit());
}

#[test]
fn match_statement_needs_no_semicolon() {
    let src = "fn check(x: G) { assert_eq!(x, 3); }\n\
               pub fn main(a: G) -> G {\n\
                   match a { 0 => (), _ => check(a) }\n\
                   { let b = a + 1; check(b - 1); }\n\
                   a + 1\n\
               }";
    let (_, e) = run(src, "main", &[3]);
    assert_eq!(e.output, [4]);
    let program = compile(src).unwrap();
    let err = execute(&program, "main", &[5], &IoBuffer::default()).unwrap_err();
    assert_eq!(err, ExecError::AssertFailed("check".into()));
}

#[test]
fn step_budget_stops_unbounded_recursion() {
    let src = "fn spin(x: G) -> G { spin(x + 1) }\n\
               pub fn main(a: G) -> G { spin(a) }";
    let program = compile(src).unwrap();
    let f =
        ix_aiur::execute_bounded(&program, "main", &[0], &IoBuffer::default(), 10_000).unwrap_err();
    assert_eq!(f.error, ExecError::StepLimit(10_000));
    let within = "pub fn main(a: G) -> G { a + 1 }";
    let program = compile(within).unwrap();
    let e = ix_aiur::execute_bounded(&program, "main", &[1], &IoBuffer::default(), 100);
    assert_eq!(e.unwrap().output, [2]);
}

#[test]
fn failure_reports_the_call_stack_and_memory() {
    let src = "fn inner(p: &(G, G), k: G) { let (x, _) = load(p); assert_eq!(x, k); }\n\
               fn outer(a: G) { inner(store((a, 7)), 9); }\n\
               pub fn main(a: G) -> G { outer(a); 0 }";
    let program = compile(src).unwrap();
    let f = ix_aiur::execute_bounded(&program, "main", &[5], &IoBuffer::default(), u64::MAX)
        .unwrap_err();
    assert_eq!(f.error, ExecError::AssertFailed("inner".into()));
    let names: Vec<&str> = f.stack.iter().map(|c| c.function.as_str()).collect();
    assert_eq!(names, ["main", "outer", "inner"]);
    let inner = f.frame("inner").unwrap();
    assert_eq!(inner.args[1], 9);
    assert_eq!(f.load(2, inner.args[0]), Some(&[5, 7][..]));
    assert_eq!(f.load(2, 99), None);
}

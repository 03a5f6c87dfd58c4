//! Malformed sources get positioned errors, never panics.

use ix_aiur::compile;
use proptest::prelude::*;

/// Compiles and returns "line:col: message".
fn error_of(src: &str) -> String {
    match compile(src) {
        Ok(_) => panic!("expected an error for:\n{src}"),
        Err(e) => e.to_string(),
    }
}

/// Compiling `src` fails with a message that contains `part`.
fn assert_error(src: &str, part: &str) {
    let e = error_of(src);
    assert!(e.contains(part), "{e}");
}

/// Compiling `src` fails with a message that starts with `start`
/// ("line:col: message").
fn assert_error_at(src: &str, start: &str) {
    let e = error_of(src);
    assert!(e.starts_with(start), "{e}");
}

#[test]
fn type_errors() {
    assert_error_at(
        "fn f(a: G) -> U8 {\n    a\n}",
        "2:5: type mismatch: expected `U8`, found `G`",
    );
    assert_error("enum E { A } fn f(a: G) -> G { a + E::A }", "type mismatch");
    assert_error("fn f(a: U8) -> U8 { u8_xor(a, 300) }", "does not fit in U8");
    assert_error("fn f(a: (G, G)) -> G { a.2 }", "has no field 2");
    assert_error(
        "fn f() -> G { let x = store(x); 0 }",
        "unknown variable `x`",
    );
}

#[test]
fn unknown_names() {
    assert_error_at("fn f() -> G { g(1) }", "1:15: unknown function `g`");
    assert_error("fn f(x: Foo) -> G { 0 }", "unknown type `Foo`");
    assert_error("fn f() -> G { Foo::A }", "unknown enum `Foo`");
    assert_error(
        "enum E { A } fn f() -> E { E::B }",
        "has no constructor `B`",
    );
}

#[test]
fn arity_and_duplicates() {
    assert_error(
        "fn g(a: G) -> G { a } fn f() -> G { g(1, 2) }",
        "takes 1 argument(s), got 2",
    );
    assert_error(
        "fn f() -> G { store(1, 2) }",
        "`store` takes 1 argument(s), got 2",
    );
    assert_error(
        "enum E { A(G) } fn f() -> E { E::A(1, 2) }",
        "`E::A` takes 1 field(s), got 2",
    );
    assert_error(
        "enum E { A(G) } fn f(e: E) -> G { match e { E::A(x, y) => x } }",
        "`E::A` has 1 field(s), pattern has 2",
    );
    assert_error(
        "enum E<T> { A(T) } fn f(e: E) -> G { 0 }",
        "enum `E` takes 1 type argument(s), got 0",
    );
    assert_error(
        "type P<T> = (T, T); fn f(p: P<G, G>) -> G { 0 }",
        "type alias `P` takes 1 type argument(s), got 2",
    );
    assert_error("fn f() -> G { 0 } fn f() -> G { 1 }", "defined twice");
    assert_error("fn store(a: G) -> G { a }", "builtin");
}

#[test]
fn non_exhaustive_matches() {
    assert_error_at(
        "enum E { A, B, C }\nfn f(e: E) -> G {\n  match e { E::A => 0, E::B => 1 }\n}",
        "3:3: non-exhaustive match: `E::C` is not covered",
    );
    // Nested: the inner enum of a pointer must be covered too.
    let src = "enum L { Cons(G, &L), Nil } fn f(l: L) -> G { match l { L::Cons(_, &L::Nil) => 0, L::Nil => 1 } }";
    assert_error(src, "`L::Cons` is not covered");
    // A refutable `let` is a match with an `unreachable!()` arm, so it
    // cannot also be ascribed a type.
    assert_error(
        "fn f(a: G) -> G { let 0: G = a; a }",
        "a refutable `let` takes no type annotation",
    );
}

#[test]
fn array_patterns_have_the_array_length() {
    assert_error_at(
        "fn f(a: [G; 3]) -> G { let [x, y] = a; x + y }",
        "1:28: type mismatch: expected `[G; 3]`, found `[_; 2]`",
    );
}

#[test]
fn recursive_types_need_a_pointer() {
    assert_error_at(
        "enum L {\n  Cons(G, L),\n  Nil\n}",
        "1:1: recursive type `L` has infinite size",
    );
    assert_error("enum A { X(B) } enum B { Y((G, A)) }", "recursive type");
    assert!(compile("enum L { Cons(G, &L), Nil }").is_ok());
    assert_error("type A = B; type B = A;", "does not terminate");
}

#[test]
fn entries_are_monomorphic_and_pointer_free() {
    assert_error(
        "pub fn f(p: &G) -> G { load(p) }",
        "must not take or return pointers",
    );
    assert_error("pub fn f<T>(x: T) -> T { x }", "must not be generic");
}

#[test]
fn syntax_errors() {
    assert_error_at(
        "fn f() -> G {\n  let x = ;\n}",
        "2:11: expected an expression",
    );
    assert_error("fn f() -> G { 0 ", "end of file");
    assert_error(
        "fn f() -> G { 18446744069414584321 }",
        "not below the field modulus",
    );
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(src in "\\PC{0,200}") {
        let _ = compile(&src);
    }

    #[test]
    fn token_soup_never_panics(words in proptest::collection::vec(
        prop::sample::select(vec!["fn", "pub", "enum", "type", "let", "match", "f", "x", "G", "U8", "E", "::", "A",
            "(", ")", "{", "}", "[", "]", "<", ">", ",", ";", ":", "->", "=>", "&", "#", "!", "+", "-", "*", "=",
            "_", "0", "1", "store", "load", "assert_eq", "unreachable", ".", "3"]), 0..60)) {
        let _ = compile(&words.join(" "));
    }
}

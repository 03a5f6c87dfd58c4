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

#[test]
fn type_errors() {
    let e = error_of("fn f(a: G) -> U8 {\n    a\n}");
    assert!(
        e.starts_with("2:5: type mismatch: expected `U8`, found `G`"),
        "{e}"
    );
    let e = error_of("enum E { A } fn f(a: G) -> G { a + E::A }");
    assert!(e.contains("type mismatch"), "{e}");
    let e = error_of("fn f(a: U8) -> U8 { u8_xor(a, 300) }");
    assert!(e.contains("does not fit in U8"), "{e}");
    let e = error_of("fn f(a: (G, G)) -> G { a.2 }");
    assert!(e.contains("has no field 2"), "{e}");
    let e = error_of("fn f() -> G { let x = store(x); 0 }");
    assert!(e.contains("unknown variable `x`"), "{e}");
}

#[test]
fn unknown_names() {
    assert!(error_of("fn f() -> G { g(1) }").starts_with("1:15: unknown function `g`"));
    assert!(error_of("fn f(x: Foo) -> G { 0 }").contains("unknown type `Foo`"));
    assert!(error_of("fn f() -> G { Foo::A }").contains("unknown enum `Foo`"));
    assert!(error_of("enum E { A } fn f() -> E { E::B }").contains("has no constructor `B`"));
}

#[test]
fn arity_and_duplicates() {
    assert!(error_of("fn g(a: G) -> G { a } fn f() -> G { g(1, 2) }")
        .contains("takes 1 argument(s), got 2"));
    assert!(error_of("fn f() -> G { 0 } fn f() -> G { 1 }").contains("defined twice"));
    assert!(error_of("fn store(a: G) -> G { a }").contains("builtin"));
}

#[test]
fn non_exhaustive_matches() {
    let e =
        error_of("enum E { A, B, C }\nfn f(e: E) -> G {\n  match e { E::A => 0, E::B => 1 }\n}");
    assert!(
        e.starts_with("3:3: non-exhaustive match: `E::C` is not covered"),
        "{e}"
    );
    // Nested: the inner enum of a pointer must be covered too.
    let src = "enum L { Cons(G, &L), Nil } fn f(l: L) -> G { match l { L::Cons(_, &L::Nil) => 0, L::Nil => 1 } }";
    assert!(error_of(src).contains("`L::Cons` is not covered"));
    // A refutable `let` is a match with an `unreachable!()` arm, so it
    // cannot also be ascribed a type.
    assert!(error_of("fn f(a: G) -> G { let 0: G = a; a }")
        .contains("a refutable `let` takes no type annotation"));
}

#[test]
fn array_patterns_have_the_array_length() {
    let e = error_of("fn f(a: [G; 3]) -> G { let [x, y] = a; x + y }");
    assert!(
        e.starts_with("1:28: type mismatch: expected `[G; 3]`, found `[_; 2]`"),
        "{e}"
    );
}

#[test]
fn recursive_types_need_a_pointer() {
    let e = error_of("enum L {\n  Cons(G, L),\n  Nil\n}");
    assert!(
        e.starts_with("1:1: recursive type `L` has infinite size"),
        "{e}"
    );
    assert!(error_of("enum A { X(B) } enum B { Y((G, A)) }").contains("recursive type"));
    assert!(compile("enum L { Cons(G, &L), Nil }").is_ok());
    assert!(error_of("type A = B; type B = A;").contains("does not terminate"));
}

#[test]
fn entries_are_monomorphic_and_pointer_free() {
    assert!(
        error_of("pub fn f(p: &G) -> G { load(p) }").contains("must not take or return pointers")
    );
    assert!(error_of("pub fn f<T>(x: T) -> T { x }").contains("must not be generic"));
}

#[test]
fn syntax_errors() {
    let e = error_of("fn f() -> G {\n  let x = ;\n}");
    assert!(e.starts_with("2:11: expected an expression"), "{e}");
    assert!(error_of("fn f() -> G { 0 ").contains("end of file"));
    assert!(
        error_of("fn f() -> G { 18446744069414584321 }").contains("not below the field modulus")
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

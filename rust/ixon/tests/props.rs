//! Property tests: random universes, expressions and constants round-trip
//! through their encodings, and encodings are canonical.

use ixon::tag::Cursor;
use ixon::*;
use proptest::prelude::*;
use std::sync::Arc;

/// Decodes `bytes` with `decode`, which must read them all.
fn decode_all<T>(bytes: &[u8], decode: impl FnOnce(&mut Cursor) -> Result<T, DecodeError>) -> T {
    let mut c = Cursor::new(bytes, 0);
    let back = decode(&mut c).unwrap();
    c.expect_end().unwrap();
    back
}

fn univ() -> impl Strategy<Value = UnivRef> {
    let leaf = prop_oneof![
        Just(Arc::new(Univ::Zero)),
        (0u64..40).prop_map(|i| Arc::new(Univ::Var(i)))
    ];
    leaf.prop_recursive(6, 40, 2, |inner| {
        prop_oneof![
            (1u64..300, inner.clone()).prop_map(|(n, u)| Univ::succ_n(n, u)),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Arc::new(Univ::Max(a, b))),
            (inner.clone(), inner).prop_map(|(a, b)| Arc::new(Univ::IMax(a, b))),
        ]
    })
}

fn idx() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..10, 0u64..100_000, Just(u64::MAX)]
}

/// Random expressions with maximal telescopes.
fn expr() -> impl Strategy<Value = ExprRef> {
    let leaf = prop_oneof![
        idx().prop_map(Expr::Sort),
        idx().prop_map(Expr::Var),
        (idx(), prop::collection::vec(idx(), 0..4)).prop_map(|(r, us)| Expr::Ref(r, us)),
        (idx(), prop::collection::vec(idx(), 0..3)).prop_map(|(r, us)| Expr::Rec(r, us)),
        idx().prop_map(Expr::Str),
        idx().prop_map(Expr::Nat),
        idx().prop_map(Expr::Share),
    ]
    .prop_map(Arc::new);
    leaf.prop_recursive(6, 60, 4, |inner| {
        let not_app = inner
            .clone()
            .prop_filter("maximal", |e| !matches!(**e, Expr::App(..)));
        prop_oneof![
            (not_app, prop::collection::vec(inner.clone(), 1..4))
                .prop_map(|(f, a)| Arc::new(Expr::App(f, a))),
            (prop::collection::vec(inner.clone(), 1..3), inner.clone())
                .prop_filter("maximal", |(_, b)| !matches!(**b, Expr::Lam(..)))
                .prop_map(|(t, b)| Arc::new(Expr::Lam(t, b))),
            (prop::collection::vec(inner.clone(), 1..3), inner.clone())
                .prop_filter("maximal", |(_, b)| !matches!(**b, Expr::All(..)))
                .prop_map(|(t, b)| Arc::new(Expr::All(t, b))),
            (any::<bool>(), inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(d, t, v, b)| Arc::new(Expr::Let(d, t, v, b))),
            (idx(), idx(), inner).prop_map(|(r, f, e)| Arc::new(Expr::Prj(r, f, e))),
        ]
    })
}

proptest! {
    /// Addresses order as their bytes do, whichever byte differs first.
    #[test]
    fn addresses_order_as_their_bytes(a in any::<[u8; 32]>(), b in any::<[u8; 32]>(), head in 0usize..32) {
        let mut b = b;
        b[..head].copy_from_slice(&a[..head]);
        prop_assert_eq!(Address(a).cmp(&Address(b)), a.cmp(&b));
        prop_assert_eq!(Address(a).cmp(&Address(a)), std::cmp::Ordering::Equal);
    }

    #[test]
    fn universes_round_trip(u in univ()) {
        prop_assert_eq!(decode_all(&u.to_bytes(), Univ::decode), u);
    }

    #[test]
    fn expressions_round_trip(e in expr()) {
        prop_assert_eq!(&decode_all(&e.to_bytes(), Expr::decode), &e);
    }

    #[test]
    fn truncated_expressions_are_errors(e in expr(), cut in 0usize..1000) {
        let bytes = e.to_bytes();
        let cut = cut % bytes.len();
        let mut c = Cursor::new(&bytes[..cut], 0);
        prop_assert!(Expr::decode(&mut c).is_err());
    }

    /// Random bytes never panic the constant decoder, and whatever it accepts
    /// re-encodes to exactly those bytes.
    #[test]
    fn constant_decoder_is_total_and_canonical(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(c) = Constant::decode(&bytes, 0) {
            prop_assert_eq!(c.to_bytes(), bytes);
        }
    }
}

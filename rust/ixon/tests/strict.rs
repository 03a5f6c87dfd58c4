//! The decoders reject every kind of slack: non-minimal tags, unsorted or
//! duplicate tables, unused entries, trailing bytes, wrong versions, hash
//! mismatches and truncation, each with a clear message and a byte offset.

use ixon::*;
use std::sync::Arc;

fn axiom_with(refs: Vec<Address>, ty: ExprRef) -> Constant {
    Constant {
        info: ConstantInfo::Axio(Axio {
            is_unsafe: false,
            lvls: 0,
            ty,
        }),
        sharing: Vec::new(),
        refs,
        univs: Vec::new(),
    }
}

fn two_refs_type() -> ExprRef {
    Arc::new(Expr::App(
        Arc::new(Expr::Ref(0, vec![])),
        vec![Arc::new(Expr::Ref(1, vec![]))],
    ))
}

fn decode_err(bytes: &[u8]) -> String {
    Constant::decode(bytes, 100).unwrap_err().to_string()
}

fn sorted_pair() -> (Address, Address) {
    let (a, b) = (Address::hash(b"a"), Address::hash(b"b"));
    (a.min(b), a.max(b))
}

#[test]
fn a_valid_constant_decodes_to_itself() {
    let (lo, hi) = sorted_pair();
    let c = axiom_with(vec![lo, hi], two_refs_type());
    let bytes = c.to_bytes();
    assert_eq!(Constant::decode(&bytes, 0).unwrap(), c);
}

#[test]
fn non_minimal_tag_is_rejected() {
    // Axiom, flags 0, level count 0 written as a one-byte large form.
    let bytes = [0xD2, 0x00, 0x80, 0x00, 0x10, 0x00, 0x00, 0x00];
    let e = decode_err(&bytes);
    assert!(e.starts_with("byte 102: non-minimal tag"), "{e}");
}

#[test]
fn unsorted_and_duplicate_refs_are_rejected() {
    let (lo, hi) = sorted_pair();
    let e = decode_err(&axiom_with(vec![hi, lo], two_refs_type()).to_bytes());
    assert!(e.contains("refs table is not strictly ascending"), "{e}");
    let e = decode_err(&axiom_with(vec![lo, lo], two_refs_type()).to_bytes());
    assert!(e.contains("refs table is not strictly ascending"), "{e}");
}

#[test]
fn unused_and_out_of_range_entries_are_rejected() {
    let (lo, hi) = sorted_pair();
    let one_ref = Arc::new(Expr::Ref(0, vec![]));
    let e = decode_err(&axiom_with(vec![lo, hi], one_ref).to_bytes());
    assert!(e.contains("refs entry 1 is never used"), "{e}");
    let e = decode_err(&axiom_with(vec![lo], two_refs_type()).to_bytes());
    assert!(e.contains("refs index 1 out of range"), "{e}");
}

#[test]
fn duplicate_univs_are_rejected() {
    let mut c = axiom_with(vec![], Arc::new(Expr::Sort(0)));
    c.univs = vec![Arc::new(Univ::Zero), Arc::new(Univ::Zero)];
    let e = decode_err(&c.to_bytes());
    assert!(e.contains("univs table is not strictly ascending"), "{e}");
}

#[test]
fn sharing_out_of_order_is_rejected() {
    let x = Arc::new(Expr::Lam(
        vec![Arc::new(Expr::Var(3))],
        Arc::new(Expr::Var(0)),
    ));
    let y = Arc::new(Expr::Lam(
        vec![Arc::new(Expr::Var(4))],
        Arc::new(Expr::Var(0)),
    ));
    let ty = Arc::new(Expr::App(
        Arc::new(Expr::Share(0)),
        vec![Arc::new(Expr::Share(1))],
    ));
    let mut c = axiom_with(vec![], ty);
    // Same height: the order must be by hash.
    let (hx, hy) = (Address::hash(&x.to_bytes()), Address::hash(&y.to_bytes()));
    c.sharing = if hx < hy { vec![y, x] } else { vec![x, y] };
    let e = decode_err(&c.to_bytes());
    assert!(
        e.contains("sharing entry 1 is out of canonical order"),
        "{e}"
    );
    c.sharing.reverse();
    Constant::decode(&c.to_bytes(), 0).expect("canonical order decodes");
}

#[test]
fn trailing_bytes_are_rejected() {
    let mut bytes = axiom_with(vec![], Arc::new(Expr::Var(0))).to_bytes();
    bytes.push(0);
    let e = decode_err(&bytes);
    assert!(e.contains("1 trailing bytes"), "{e}");
}

fn small_env() -> IxonEnv {
    let mut env = IxonEnv::default();
    let c = axiom_with(vec![], Arc::new(Expr::Var(0)));
    env.consts.insert(c.address(), c);
    env.blobs.insert(Address::hash(b"hello"), b"hello".to_vec());
    env
}

#[test]
fn env_round_trips_and_rejects_slack() {
    let env = small_env();
    let bytes = env.to_bytes();
    let (back, sizes) = IxonEnv::from_bytes(&bytes, ReadMode::Full).unwrap();
    assert_eq!(back, env);
    assert_eq!(sizes.total(), bytes.len() as u64);

    // A version 2 file (before node tables carried their length).
    let mut wrong_version = bytes.clone();
    wrong_version[0] = 0xE2;
    let e = IxonEnv::from_bytes(&wrong_version, ReadMode::Full)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "byte 0: unsupported .ixe version 2 (this reader supports version 3)"
    );

    let mut trailing = bytes.clone();
    trailing.push(7);
    let e = IxonEnv::from_bytes(&trailing, ReadMode::Full)
        .unwrap_err()
        .to_string();
    assert!(e.contains("trailing"), "{e}");
    // The anonymous reader does not decode the metadata, but checks its
    // bytes against the named root: trailing bytes are refused too.
    IxonEnv::from_bytes(&trailing, ReadMode::Anonymous).unwrap_err();

    for cut in [1, 20, bytes.len() - 1] {
        let e = IxonEnv::from_bytes(&bytes[..cut], ReadMode::Full)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("byte "), "{e}");
    }

    // The blob "hello" sits right after its address and one length byte.
    let at = bytes.windows(5).position(|w| w == b"hello").unwrap();
    let mut flipped = bytes.clone();
    flipped[at] ^= 1;
    let e = IxonEnv::from_bytes(&flipped, ReadMode::Full)
        .unwrap_err()
        .to_string();
    assert!(e.contains("blob hash mismatch"), "{e}");

    let mut bad_root = bytes.clone();
    bad_root[5] ^= 1;
    let e = IxonEnv::from_bytes(&bad_root, ReadMode::Full)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("byte 1: root mismatch"), "{e}");
}

#[test]
fn empty_env_has_zero_root() {
    let bytes = IxonEnv::default().to_bytes();
    assert_eq!(bytes[0], 0xE3);
    assert!(bytes[1..33].iter().all(|b| *b == 0));
    IxonEnv::from_bytes(&bytes, ReadMode::Full).unwrap();
}

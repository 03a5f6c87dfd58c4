//! `MappedEnv`: what opening checks and what it leaves to the reads. Every
//! flipped bit is refused, at opening or at the read of the one constant
//! whose body it is in; a damaged body leaves every other read intact.

mod common;

use ixon::*;
use std::sync::Arc;

fn axiom(var: u64) -> Constant {
    Constant::bare(ConstantInfo::Axio(Axio {
        is_unsafe: false,
        lvls: 0,
        ty: Arc::new(Expr::Var(var)),
    }))
}

fn env() -> IxonEnv {
    let mut env = common::names_a_b(1);
    env.meta.comments.push(("source".into(), "test".into()));
    for c in [axiom(0), axiom(1)] {
        env.consts.insert(c.address(), c);
    }
    let block = *env.consts.keys().next().expect("a constant");
    let projection = Constant::bare(ConstantInfo::DPrj { idx: 0, block });
    env.consts.insert(projection.address(), projection);
    env
}

/// Where each constant's body is in the file, by constant index.
fn bodies(env: &IxonEnv, bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    env.consts
        .iter()
        .map(|(addr, c)| {
            let body = c.to_bytes();
            let at = bytes
                .windows(body.len())
                .position(|w| w == body.as_slice() && Address::hash(w) == *addr)
                .expect("body in the file");
            at..at + body.len()
        })
        .collect()
}

#[test]
fn opening_indexes_and_reads_decode_what_was_written() {
    let env = env();
    let mapped = MappedEnv::from_bytes(env.to_bytes(), "env.ixe").unwrap();
    assert_eq!(mapped.root(), env.root());
    assert_eq!(mapped.named_root(), env.named_root());
    assert_eq!(
        mapped.addresses(),
        env.consts.keys().copied().collect::<Vec<_>>()
    );
    for (i, c) in env.consts.values().enumerate() {
        assert_eq!(&mapped.constant(i).unwrap(), c);
    }
    let block = *env.consts.keys().next().unwrap();
    let projections: Vec<_> = mapped.projections().collect();
    assert_eq!(projections.len(), 1);
    assert_eq!(mapped.home(&projections[0].0), block);
    assert_eq!(mapped.home(&block), block);
    assert_eq!(mapped.blocks().count(), 2);
    assert_eq!(mapped.names().find(&env.meta.names[1]), Some(2));
    assert_eq!(mapped.names().get(2), Some(env.meta.names[1].clone()));
    mapped.verify_constants().unwrap();
}

#[test]
fn every_flipped_bit_is_refused_when_its_part_is_read() {
    let env = env();
    let bytes = env.to_bytes();
    let bodies = bodies(&env, &bytes);
    let projection = env
        .consts
        .values()
        .position(|c| c.info.is_projection())
        .unwrap();
    for at in 0..bytes.len() {
        let body = bodies.iter().position(|b| b.contains(&at));
        for bit in 0..8 {
            let mut flipped = bytes.clone();
            flipped[at] ^= 1 << bit;
            let opened = MappedEnv::from_bytes(flipped, "env.ixe");
            match (body, opened) {
                (_, Err(e)) => assert!(e.to_string().starts_with("env.ixe: byte"), "{e}"),
                (Some(i), Ok(mapped)) => {
                    for j in 0..bodies.len() {
                        let read = mapped.constant(j);
                        assert_eq!(read.is_err(), i == j, "bit {bit} of byte {at}, read {j}");
                    }
                    // A whole check reads every constant, used or not.
                    let verified = mapped.verify_constants();
                    assert!(verified.is_err(), "bit {bit} of byte {at} verified");
                    // A projection's hash is checked on opening unless the
                    // flip makes it read as a block: then it is one no
                    // manifest owns (shard jobs check the partition).
                    if i == projection {
                        assert_eq!(mapped.projections().count(), 0);
                    }
                }
                (None, Ok(_)) => panic!("flip of bit {bit} at byte {at} accepted"),
            }
        }
    }
}

/// An entry declaring `name` as an axiom at `addr`.
fn axiom_entry(name: u64, addr: Address) -> meta::DeclEntry {
    meta::DeclEntry {
        nodes: vec![meta::MetaNode::Ref(0)],
        decl: meta::DeclMeta::Axiom {
            addr,
            c: meta::ConstMeta {
                name,
                levels: Vec::new(),
                ty: 0,
            },
        },
    }
}

#[test]
fn declared_pairs_come_back_whether_or_not_their_constant_is_stored() {
    let mut env = env();
    let stored: Vec<Address> = env.consts.keys().copied().collect();
    let unstored = Address::hash(b"no such constant");
    env.meta.decls = vec![
        axiom_entry(1, stored[1]),
        axiom_entry(2, unstored),
        axiom_entry(1, stored[0]),
        axiom_entry(2, unstored),
    ];
    let mapped = MappedEnv::from_bytes(env.to_bytes(), "env.ixe").unwrap();
    assert_eq!(mapped.entry_count(), 4);
    for (i, entry) in env.meta.decls.iter().enumerate() {
        let declared: Vec<_> = mapped.declared(i).collect();
        assert_eq!(declared, entry.decl.declared(), "entry {i}");
        assert_eq!(mapped.type_count(i), 0);
    }
    assert_eq!(mapped.declared(4).count(), 0);
}

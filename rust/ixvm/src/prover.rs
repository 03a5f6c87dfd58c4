//! The prover input: claims, assumption trees and the IO buffer (docs/AIUR.md §3).
//!
//! Channel 0 holds digest → claim bytes, constant address → constant bytes
//! (empty for a blob) and tree root → tree bytes; channel 1 holds blobs;
//! channel 2, under the all-zero key, the Nat operation hints (the kernel
//! verifies each before it accelerates it, see `kernel_nat.aiur`) and under
//! the key 0…0 1 the claim's trusted operations (bound to the claim).

use ix_aiur::IoBuffer;
use ixon::{Address, IxonEnv};

/// Tag4(0xE, variant) header bytes.
pub const CHECK_TAG: u8 = 0xE4;
pub const CHECK_ENV_TAG: u8 = 0xE5;
pub const TREE_TAG: u8 = 0xE2;

/// A claim about an environment (the subset of the Ix claims ingress checks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// `Check(addr, assumptions)`: one constant and its closure.
    Check {
        addr: Address,
        assumptions: Option<Address>,
        trusted: TrustedOps,
    },
    /// `CheckEnv(root, assumptions)`: every constant under a merkle root.
    CheckEnv {
        root: Address,
        assumptions: Option<Address>,
        trusted: TrustedOps,
    },
}

/// The Nat operations a claim trusts, by address, as `ix check` trusts
/// `Nat.div`, `Nat.mod` and `Nat.gcd` by name: Lean defines them by
/// well-founded recursion, so no check of their equations can stand for
/// the trust. The kernel computes a trusted constant on literals (division
/// by a hint it checks) once it meets `ix check`'s conditions, and
/// declines the claim when it does not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrustedOps {
    pub div: Option<Address>,
    pub modulo: Option<Address>,
    pub gcd: Option<Address>,
}

impl TrustedOps {
    /// The constants the metadata names `Nat.div`, `Nat.mod` and
    /// `Nat.gcd` (what `ix check` would trust); none without metadata.
    pub fn named_in(env: &IxonEnv) -> TrustedOps {
        let mut ops = TrustedOps::default();
        if env.meta.is_empty() {
            return ops;
        }
        let Ok((_, addresses)) = ix_import::decompile_with_addresses(env) else {
            return ops;
        };
        for (name, addr) in &addresses {
            match name.to_string().as_str() {
                "Nat.div" => ops.div = Some(*addr),
                "Nat.mod" => ops.modulo = Some(*addr),
                "Nat.gcd" => ops.gcd = Some(*addr),
                _ => {}
            }
        }
        ops
    }

    /// (operation number, address) in the kernel's numbering.
    pub fn records(&self) -> Vec<(u8, Address)> {
        [(8, self.div), (9, self.modulo), (10, self.gcd)]
            .into_iter()
            .filter_map(|(op, a)| a.map(|a| (op, a)))
            .collect()
    }

    /// op ‖ address per record.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (op, a) in self.records() {
            out.push(op);
            out.extend_from_slice(&a.0);
        }
        out
    }
}

impl Claim {
    /// Tag, 32-byte target, 00 or 01 ‖ the assumption root, then the
    /// trusted operations (nothing when there are none).
    pub fn to_bytes(&self) -> Vec<u8> {
        let (tag, target, asm, trusted) = match *self {
            Claim::Check {
                addr,
                assumptions,
                trusted,
            } => (CHECK_TAG, addr, assumptions, trusted),
            Claim::CheckEnv {
                root,
                assumptions,
                trusted,
            } => (CHECK_ENV_TAG, root, assumptions, trusted),
        };
        let mut out = vec![tag];
        out.extend_from_slice(&target.0);
        match asm {
            None => out.push(0),
            Some(a) => {
                out.push(1);
                out.extend_from_slice(&a.0);
            }
        }
        out.extend(trusted.to_bytes());
        out
    }

    /// The operations the claim trusts.
    pub fn trusted(&self) -> TrustedOps {
        match *self {
            Claim::Check { trusted, .. } | Claim::CheckEnv { trusted, .. } => trusted,
        }
    }

    /// The public input: blake3 of the claim bytes.
    pub fn digest(&self) -> Address {
        Address::hash(&self.to_bytes())
    }
}

/// An assumption (merkle) tree in its serialized shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tree {
    Leaf(Address),
    Empty,
    Node(Box<Tree>, Box<Tree>),
}

impl Tree {
    /// The canonical tree over a set of addresses: sorted, de-duplicated,
    /// paired level by level with an empty right sibling on odd levels, so
    /// its root is `ixon::merkle_root_canonical`. `None` for no addresses.
    pub fn canonical(addresses: &[Address]) -> Option<Tree> {
        let mut sorted = addresses.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut level: Vec<Tree> = sorted.into_iter().map(Tree::Leaf).collect();
        if level.is_empty() {
            return None;
        }
        while level.len() > 1 {
            let mut next = Vec::with_capacity(level.len().div_ceil(2));
            let mut items = level.into_iter();
            while let Some(left) = items.next() {
                let right = items.next().unwrap_or(Tree::Empty);
                next.push(Tree::Node(Box::new(left), Box::new(right)));
            }
            level = next;
        }
        level.pop()
    }

    /// The root hash: leaf = blake3(00 ‖ a), node = blake3(01 ‖ l ‖ r), empty = zeros.
    pub fn root(&self) -> Address {
        match self {
            Tree::Leaf(a) => {
                let mut bytes = vec![0u8];
                bytes.extend_from_slice(&a.0);
                Address::hash(&bytes)
            }
            Tree::Empty => Address([0; 32]),
            Tree::Node(l, r) => {
                let mut bytes = vec![1u8];
                bytes.extend_from_slice(&l.root().0);
                bytes.extend_from_slice(&r.root().0);
                Address::hash(&bytes)
            }
        }
    }

    /// Tag4(0xE, 2) ‖ body (leaf = 00 ‖ addr, empty = 01, node = 02 ‖ l ‖ r).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![TREE_TAG];
        self.encode_body(&mut out);
        out
    }

    fn encode_body(&self, out: &mut Vec<u8>) {
        match self {
            Tree::Leaf(a) => {
                out.push(0);
                out.extend_from_slice(&a.0);
            }
            Tree::Empty => out.push(1),
            Tree::Node(l, r) => {
                out.push(2);
                l.encode_body(out);
                r.encode_body(out);
            }
        }
    }
}

/// Everything the prover supplies: keyed byte strings per channel.
#[derive(Clone, Debug, Default)]
pub struct ProverInput {
    /// (channel, key, bytes), in insertion order.
    pub entries: Vec<(u64, Address, Vec<u8>)>,
}

impl ProverInput {
    pub fn insert(&mut self, channel: u64, key: Address, bytes: Vec<u8>) {
        self.entries
            .retain(|(c, k, _)| !(*c == channel && *k == key));
        self.entries.push((channel, key, bytes));
    }

    /// Removes an entry (for tests of missing input); true if it existed.
    pub fn remove(&mut self, channel: u64, key: &Address) -> bool {
        let before = self.entries.len();
        self.entries
            .retain(|(c, k, _)| !(*c == channel && k == key));
        self.entries.len() != before
    }

    pub fn get(&self, channel: u64, key: &Address) -> Option<&[u8]> {
        self.entries
            .iter()
            .find(|(c, k, _)| *c == channel && k == key)
            .map(|(_, _, b)| b.as_slice())
    }

    /// Seeds the whole environment: constants and blob markers on channel 0,
    /// blob bytes on channel 1, Nat operation hints on channel 2.
    pub fn add_env(&mut self, env: &IxonEnv) {
        for (addr, c) in &env.consts {
            self.insert(0, *addr, c.to_bytes());
        }
        for (addr, bytes) in &env.blobs {
            self.insert(0, *addr, Vec::new());
            self.insert(1, *addr, bytes.clone());
        }
        self.insert(NAT_OP_CHANNEL, Address([0; 32]), nat_op_hints(env));
    }

    pub fn add_tree(&mut self, tree: &Tree) {
        self.insert(0, tree.root(), tree.to_bytes());
    }

    /// The claim under its digest, and its trusted operations where the
    /// kernel reads them.
    pub fn add_claim(&mut self, claim: &Claim) {
        self.insert(0, claim.digest(), claim.to_bytes());
        self.insert(NAT_OP_CHANNEL, TRUSTED_OPS_KEY, claim.trusted().to_bytes());
    }

    pub fn io_buffer(&self) -> IoBuffer {
        let mut io = IoBuffer::default();
        for (channel, key, bytes) in &self.entries {
            let values: Vec<u64> = bytes.iter().map(|&b| u64::from(b)).collect();
            io.insert(*channel, address_fields(key), &values);
        }
        io
    }
}

/// The IO channel of the Nat operation hints.
pub const NAT_OP_CHANNEL: u64 = 2;

/// The key of the claim's trusted operations on [`NAT_OP_CHANNEL`].
pub const TRUSTED_OPS_KEY: Address = {
    let mut key = [0; 32];
    key[31] = 1;
    Address(key)
};

/// The operations the kernel may accelerate, by its numbering, in an order
/// where each comes after those its equations name (`Nat.sub` names
/// `Nat.pred`, `Nat.mul` names `Nat.add`, `Nat.pow` names `Nat.mul`).
const NAT_OPS: [(u8, &str); 7] = [
    (1, "Nat.pred"),
    (2, "Nat.add"),
    (3, "Nat.sub"),
    (4, "Nat.mul"),
    (5, "Nat.beq"),
    (6, "Nat.ble"),
    (7, "Nat.pow"),
];

/// The hint records (operation number ‖ address) of the constants the
/// metadata names as Nat operations; none without metadata. A wrong hint
/// only costs acceleration: the kernel checks each one's equations.
pub fn nat_op_hints(env: &IxonEnv) -> Vec<u8> {
    let mut out = Vec::new();
    if env.meta.is_empty() {
        return out;
    }
    let Ok((_, addresses)) = ix_import::decompile_with_addresses(env) else {
        return out;
    };
    for (op, name) in NAT_OPS {
        if let Some((_, addr)) = addresses.iter().find(|(n, _)| n.to_string() == name) {
            out.push(op);
            out.extend_from_slice(&addr.0);
        }
    }
    out
}

/// An address as 32 field elements (an IO key or the public input).
pub fn address_fields(a: &Address) -> Vec<u64> {
    a.0.iter().map(|&b| u64::from(b)).collect()
}

/// The canonical tree over all constant addresses of `env` (the CheckEnv
/// root); the empty tree, whose root is 32 zero bytes, for an env without
/// constants.
pub fn env_tree(env: &IxonEnv) -> Tree {
    let addrs: Vec<Address> = env.consts.keys().copied().collect();
    Tree::canonical(&addrs).unwrap_or(Tree::Empty)
}

/// Prover input for `CheckEnv(root of env, assumptions)`.
pub fn check_env_input(env: &IxonEnv, assumptions: Option<&Tree>) -> (Claim, ProverInput) {
    let tree = env_tree(env);
    let claim = Claim::CheckEnv {
        root: tree.root(),
        assumptions: assumptions.map(Tree::root),
        trusted: TrustedOps::named_in(env),
    };
    let mut input = ProverInput::default();
    input.add_env(env);
    input.add_tree(&tree);
    if let Some(t) = assumptions {
        input.add_tree(t);
    }
    input.add_claim(&claim);
    (claim, input)
}

/// Prover input for `Check(addr, none)`.
pub fn check_input(env: &IxonEnv, addr: Address) -> (Claim, ProverInput) {
    let claim = Claim::Check {
        addr,
        assumptions: None,
        trusted: TrustedOps::named_in(env),
    };
    let mut input = ProverInput::default();
    input.add_env(env);
    input.add_claim(&claim);
    (claim, input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_tree_root_is_the_ixon_merkle_root() {
        for n in 1..9u8 {
            let addrs: Vec<Address> = (0..n).map(|i| Address::hash(&[i])).collect();
            let tree = Tree::canonical(&addrs).unwrap();
            assert_eq!(
                Some(tree.root()),
                ixon::merkle_root_canonical(&addrs),
                "n = {n}"
            );
        }
        assert_eq!(Tree::canonical(&[]), None);
    }

    #[test]
    fn claim_bytes() {
        let a = Address([7; 32]);
        let c = Claim::CheckEnv {
            root: a,
            assumptions: None,
            trusted: TrustedOps::default(),
        };
        assert_eq!(c.to_bytes()[0], 0xE5);
        assert_eq!(c.to_bytes().len(), 34);
        let c = Claim::Check {
            addr: a,
            assumptions: Some(a),
            trusted: TrustedOps::default(),
        };
        assert_eq!(c.to_bytes()[0], 0xE4);
        assert_eq!(c.to_bytes().len(), 66);
        let d = Address([9; 32]);
        let c = Claim::CheckEnv {
            root: a,
            assumptions: None,
            trusted: TrustedOps {
                div: None,
                modulo: Some(d),
                gcd: Some(a),
            },
        };
        let bytes = c.to_bytes();
        assert_eq!(bytes.len(), 34 + 2 * 33);
        assert_eq!((bytes[34], &bytes[35..67]), (9, &d.0[..]));
        assert_eq!((bytes[67], &bytes[68..100]), (10, &a.0[..]));
    }
}

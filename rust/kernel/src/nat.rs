//! Kernel-accelerated Nat operations on bignum literals.

use crate::expr::Expr;
use ix_lean::Name;
use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{ToPrimitive, Zero};

/// `pow` and `shiftLeft` reduce only up to this exponent / shift (2^24),
/// so a request such as `2 ^ 2^20·…` beyond it stays symbolic.
pub const MAX_EXPONENT: u64 = 1 << 24;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NatOp {
    Succ,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Gcd,
    Beq,
    Ble,
    Land,
    Lor,
    Xor,
    ShiftLeft,
    ShiftRight,
    Pow,
}

const OPS: [(&str, NatOp); 15] = [
    ("succ", NatOp::Succ),
    ("add", NatOp::Add),
    ("sub", NatOp::Sub),
    ("mul", NatOp::Mul),
    ("div", NatOp::Div),
    ("mod", NatOp::Mod),
    ("gcd", NatOp::Gcd),
    ("beq", NatOp::Beq),
    ("ble", NatOp::Ble),
    ("land", NatOp::Land),
    ("lor", NatOp::Lor),
    ("xor", NatOp::Xor),
    ("shiftLeft", NatOp::ShiftLeft),
    ("shiftRight", NatOp::ShiftRight),
    ("pow", NatOp::Pow),
];

/// The accelerated operation named `n` (`Nat.add`, ...), if any.
pub fn op_of(n: &Name) -> Option<NatOp> {
    let last = nat_member(n)?;
    OPS.iter().find(|(s, _)| *s == last).map(|(_, op)| *op)
}

/// `x` when `n` is `Nat.x`. Allocation-free: whnf asks it of every constant
/// application head, and shard loading of every declaration name.
pub fn nat_member(n: &Name) -> Option<&str> {
    let ix_lean::NamePart::Str(last) = n.last()? else {
        return None;
    };
    let prefix = n.prefix();
    match prefix.last() {
        Some(ix_lean::NamePart::Str(s)) if &**s == "Nat" && prefix.prefix().is_anonymous() => {
            Some(last)
        }
        _ => None,
    }
}

impl NatOp {
    pub const COUNT: usize = OPS.len();

    pub fn arity(self) -> usize {
        if self == NatOp::Succ {
            1
        } else {
            2
        }
    }

    pub fn name(self) -> Name {
        let last = OPS
            .iter()
            .find(|(_, op)| *op == self)
            .map_or("", |(s, _)| s);
        Name::anonymous().str("Nat").str(last)
    }
}

fn bool_const(b: bool) -> Expr {
    Expr::cnst(
        Name::from_dotted(if b { "Bool.true" } else { "Bool.false" }),
        Vec::new(),
    )
}

/// The result of `op vals`, or `None` when it is not computed (exponent over
/// the limit).
pub fn apply(op: NatOp, vals: &[BigUint]) -> Option<Expr> {
    let a = vals.first()?;
    if op == NatOp::Succ {
        return Some(Expr::nat_lit(a + 1u8));
    }
    let b = vals.get(1)?;
    let r = match op {
        NatOp::Succ => return None,
        NatOp::Add => a + b,
        NatOp::Sub => {
            if a >= b {
                a - b
            } else {
                BigUint::zero()
            }
        }
        NatOp::Mul => a * b,
        NatOp::Div => {
            if b.is_zero() {
                BigUint::zero()
            } else {
                a / b
            }
        }
        NatOp::Mod => {
            if b.is_zero() {
                a.clone()
            } else {
                a % b
            }
        }
        NatOp::Gcd => a.gcd(b),
        NatOp::Beq => return Some(bool_const(a == b)),
        NatOp::Ble => return Some(bool_const(a <= b)),
        NatOp::Land => a & b,
        NatOp::Lor => a | b,
        NatOp::Xor => a ^ b,
        NatOp::ShiftLeft => {
            let s = b.to_u64().filter(|s| *s <= MAX_EXPONENT)?;
            a << s
        }
        NatOp::ShiftRight => match b.to_u64() {
            Some(s) => a >> s,
            None => BigUint::zero(),
        },
        NatOp::Pow => {
            let e = b.to_u32().filter(|e| u64::from(*e) <= MAX_EXPONENT)?;
            a.pow(e)
        }
    };
    Some(Expr::nat_lit(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{ExprData, Literal};

    fn lit(e: &Expr) -> BigUint {
        match e.data() {
            ExprData::Lit(Literal::Nat(v)) => (**v).clone(),
            _ => panic!("not a literal"),
        }
    }

    #[test]
    fn ops() {
        let n = |x: u64| BigUint::from(x);
        assert_eq!(op_of(&Name::from_dotted("Nat.add")), Some(NatOp::Add));
        assert_eq!(op_of(&Name::from_dotted("Nat.log2")), None);
        assert_eq!(op_of(&Name::from_dotted("Int.add")), None);
        assert_eq!(op_of(&Name::from_dotted("Foo.Nat.add")), None);
        assert_eq!(op_of(&Name::from_dotted("Nat.add.x")), None);
        assert_eq!(op_of(&Name::from_dotted("add")), None);
        assert_eq!(nat_member(&Name::from_dotted("Nat.pred")), Some("pred"));
        assert_eq!(lit(&apply(NatOp::Sub, &[n(3), n(5)]).unwrap()), n(0));
        assert_eq!(lit(&apply(NatOp::Div, &[n(3), n(0)]).unwrap()), n(0));
        assert_eq!(lit(&apply(NatOp::Mod, &[n(3), n(0)]).unwrap()), n(3));
        assert_eq!(lit(&apply(NatOp::Gcd, &[n(12), n(18)]).unwrap()), n(6));
        assert_eq!(
            lit(&apply(NatOp::Pow, &[n(2), n(100)]).unwrap()),
            n(1) << 100u32
        );
        assert!(apply(NatOp::Pow, &[n(2), n(MAX_EXPONENT + 1)]).is_none());
        assert!(apply(NatOp::ShiftLeft, &[n(1), n(1 << 40)]).is_none());
        assert_eq!(
            lit(&apply(NatOp::ShiftRight, &[n(1), n(1 << 40)]).unwrap()),
            n(0)
        );
    }
}

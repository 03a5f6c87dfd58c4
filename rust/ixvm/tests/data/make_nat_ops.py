#!/usr/bin/env python3
"""Writes the nat-ops fixtures of `tests/kernel.rs`: Lean exports in which
`Nat.pred`, `Nat.sub`, `Nat.mul`, `Nat.beq`, `Nat.ble` and `Nat.pow` are
defined by `Nat.rec` (so that unfolding them on large literals never ends) and
theorems that need them computed; and `Nat.div`, `Nat.mod` and `Nat.gcd`,
which `ix check` trusts by their names whatever they compute (so these
bodies are not division: the claim trusts them as `ix check` does). The prefix (Nat, Eq, Bool and a
`Nat.rec`-defined `Nat.add`) is the one of
`tests/data/kernel-rules/nat-add-rec-accelerated.accept.ndjson`.

    python3 rust/ixvm/tests/data/make_nat_ops.py
"""
import json
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = HERE.parents[3] / "tests/data/kernel-rules/nat-add-rec-accelerated.accept.ndjson"

# Indices in the prefix.
NAT, ZERO, SUCC, REC, BOOL, FALSE, TRUE, EQ, REFL, ADD = 1, 2, 3, 5, 96, 97, 98, 12, 20, 65
E_NAT, E_TYPE, LEVEL_ONE = 1, 0, 1

A = 123456789012345678901234567890123456789012345678901234567891
B = 98765432109876543210987654321098765432109876543210987


class Export:
    def __init__(self, lines):
        self.lines = lines
        self.next_ie = 1 + max(json.loads(l).get("ie", -1) for l in lines)
        self.next_in = 1 + max(json.loads(l).get("in", -1) for l in lines)
        self.x = self.name_str("x")

    def emit(self, obj):
        self.lines.append(json.dumps(obj, separators=(",", ":"), ensure_ascii=False))

    def name_str(self, s, pre=0):
        i = self.next_in
        self.next_in += 1
        self.emit({"in": i, "str": {"pre": pre, "str": s}})
        return i

    def node(self, key, value):
        i = self.next_ie
        self.next_ie += 1
        self.emit({key: value, "ie": i})
        return i

    def bvar(self, i):
        return self.node("bvar", i)

    def const(self, name, us=()):
        return self.node("const", {"name": name, "us": list(us)})

    def app(self, f, *args):
        for a in args:
            f = self.node("app", {"arg": a, "fn": f})
        return f

    def lam(self, ty, body):
        return self.node("lam", {"binderInfo": "default", "body": body, "name": self.x, "type": ty})

    def pi(self, ty, body):
        return self.node("forallE", {"binderInfo": "default", "body": body, "name": self.x, "type": ty})

    def lit(self, n):
        return self.node("natVal", str(n))

    def nat_rec(self, motive_body, zero_case, succ_case, major):
        motive = self.lam(E_NAT, motive_body)
        return self.app(self.const(REC, [LEVEL_ONE]), motive, zero_case, succ_case, major)

    def define(self, name, ty, value):
        self.emit({"def": {"all": [name], "hints": {"regular": 1}, "levelParams": [],
                           "name": name, "safety": "safe", "type": ty, "value": value}})

    def theorem(self, name, ty, value):
        self.emit({"thm": {"all": [name], "levelParams": [], "name": name, "type": ty, "value": value}})


def build(claims, trusted=(), trusted_first=False):
    lines = [l for l in BASE.read_text().splitlines() if l.strip()]
    cut = next(i for i, l in enumerate(lines) if json.loads(l).get("in") == 102)
    ex = Export(lines[:cut])
    nat, boolean = E_NAT, ex.const(BOOL)
    nat2 = ex.pi(nat, ex.pi(nat, nat))
    ops = {}

    # Trusted by name: div _ _ := 0; mod x _ := Nat.rec 0 (fun _ _ => x) x
    # (so mod 0 x ≡ 0, which `ix check` asks); bad-mod x y := y (it is
    # not); gcd _ y := y. Unfolded, div 7 2 gives 0 where `ix check`
    # computes 3.
    def define_trusted():
        bodies = {
            "div": lambda: ex.lam(nat, ex.lam(nat, ex.const(ZERO))),
            "mod": lambda: ex.lam(nat, ex.lam(nat, ex.nat_rec(
                nat, ex.const(ZERO), ex.lam(nat, ex.lam(nat, ex.bvar(3))), ex.bvar(1)))),
            "bad-mod": lambda: ex.lam(nat, ex.lam(nat, ex.bvar(0))),
            "gcd": lambda: ex.lam(nat, ex.lam(nat, ex.bvar(0))),
            # shiftRight x y := Nat.rec x (fun _ ih => div ih 2) y: `ix check`
            # verifies its equations against the trusted div.
            "shiftRight": lambda: ex.lam(nat, ex.lam(nat, ex.nat_rec(
                nat, ex.bvar(1), ex.lam(nat, ex.lam(nat, ex.app(ex.const(ops["div"]), ex.bvar(0), ex.lit(2)))),
                ex.bvar(0)))),
        }
        for op in trusted:
            name = ex.name_str(op.removeprefix("bad-"), NAT)
            ex.define(name, nat2, bodies[op]())
            ops[op.removeprefix("bad-")] = name

    if trusted_first:
        define_trusted()
    # pred n := Nat.rec 0 (fun m _ => m) n
    pred = ex.name_str("pred", NAT)
    ex.define(pred, ex.pi(nat, nat),
              ex.lam(nat, ex.nat_rec(nat, ex.const(ZERO), ex.lam(nat, ex.lam(nat, ex.bvar(1))), ex.bvar(0))))
    # sub n m := Nat.rec n (fun _ ih => pred ih) m
    sub = ex.name_str("sub", NAT)
    ex.define(sub, nat2, ex.lam(nat, ex.lam(nat, ex.nat_rec(
        nat, ex.bvar(1), ex.lam(nat, ex.lam(nat, ex.app(ex.const(pred), ex.bvar(0)))), ex.bvar(0)))))
    # mul n m := Nat.rec 0 (fun _ ih => ih + n) m
    mul = ex.name_str("mul", NAT)
    ex.define(mul, nat2, ex.lam(nat, ex.lam(nat, ex.nat_rec(
        nat, ex.const(ZERO), ex.lam(nat, ex.lam(nat, ex.app(ex.const(ADD), ex.bvar(0), ex.bvar(3)))),
        ex.bvar(0)))))
    # beq / ble n m := Nat.rec (motive := Nat → Bool) base (fun _ ih m => step) n m
    def comparison(name, le):
        tt, ff = ex.const(TRUE), ex.const(FALSE)
        bool_rec = lambda z, s, major: ex.nat_rec(boolean, z, s, major)
        base = ex.lam(nat, tt if le else bool_rec(tt, ex.lam(nat, ex.lam(boolean, ff)), ex.bvar(0)))
        step = ex.lam(nat, ex.lam(ex.pi(nat, boolean), ex.lam(nat, bool_rec(
            ff, ex.lam(nat, ex.lam(boolean, ex.app(ex.bvar(3), ex.bvar(1)))), ex.bvar(0)))))
        n = ex.name_str(name, NAT)
        value = ex.lam(nat, ex.lam(nat, ex.app(
            ex.nat_rec(ex.pi(nat, boolean), base, step, ex.bvar(1)), ex.bvar(0))))
        ex.define(n, ex.pi(nat, ex.pi(nat, boolean)), value)
        return n
    beq, ble = comparison("beq", False), comparison("ble", True)
    # pow n m := Nat.rec 1 (fun _ ih => ih * n) m
    pow = ex.name_str("pow", NAT)
    ex.define(pow, nat2, ex.lam(nat, ex.lam(nat, ex.nat_rec(
        nat, ex.app(ex.const(SUCC), ex.const(ZERO)),
        ex.lam(nat, ex.lam(nat, ex.app(ex.const(mul), ex.bvar(0), ex.bvar(3)))), ex.bvar(0)))))
    ops.update({"pred": pred, "sub": sub, "mul": mul, "beq": beq, "ble": ble, "pow": pow})
    if not trusted_first:
        define_trusted()
    for i, (op, args, result, ty) in enumerate(claims):
        lhs = ex.app(ex.const(ops[op]), *[ex.lit(a) for a in args])
        if ty == "Bool":
            t, rhs = boolean, ex.const(TRUE if result else FALSE)
        else:
            t, rhs = nat, ex.lit(result)
        eq = ex.app(ex.const(EQ, [LEVEL_ONE]), t, lhs, rhs)
        proof = ex.app(ex.const(REFL, [LEVEL_ONE]), t, rhs)
        ex.theorem(ex.name_str(f"claim{i}"), eq, proof)
    return "\n".join(ex.lines) + "\n"


GOOD = [
    ("pred", [A], A - 1, "Nat"),
    ("sub", [A, B], A - B, "Nat"),
    ("sub", [B, A], 0, "Nat"),
    ("mul", [A, B], A * B, "Nat"),
    ("beq", [A, A], True, "Bool"),
    ("beq", [A, B], False, "Bool"),
    ("ble", [B, A], True, "Bool"),
    ("ble", [A, B], False, "Bool"),
    ("pow", [3, 300], 3**300, "Nat"),
    ("pow", [A, 2], A**2, "Nat"),
    ("pow", [2, 1000], 2**1000, "Nat"),
]

if __name__ == "__main__":
    (HERE / "nat-ops.accept.ndjson").write_text(build(GOOD))
    (HERE / "nat-ops-mul.reject.ndjson").write_text(build(GOOD[:3] + [("mul", [A, B], A * B + 1, "Nat")]))
    (HERE / "nat-ops-ble.reject.ndjson").write_text(build(GOOD[:4] + [("ble", [A, B], True, "Bool")]))
    (HERE / "nat-div-by-name.accept.ndjson").write_text(build([("div", [7, 2], 3, "Nat")], ["div"]))
    (HERE / "nat-div-by-name.reject.ndjson").write_text(build([("div", [7, 2], 0, "Nat")], ["div"]))
    DIVISION = [
        ("div", [A, B], A // B, "Nat"),
        ("mod", [A, B], A % B, "Nat"),
        ("div", [B, A], 0, "Nat"),
        ("mod", [B, A], B, "Nat"),
        ("div", [A, 0], 0, "Nat"),
        ("mod", [A, 0], A, "Nat"),
        ("gcd", [A * 6, B * 4], math.gcd(A * 6, B * 4), "Nat"),
        ("gcd", [0, B], B, "Nat"),
    ]
    trusted = ["div", "mod", "gcd"]
    (HERE / "nat-division.accept.ndjson").write_text(build(GOOD[:3] + DIVISION, trusted))
    (HERE / "nat-division-div.reject.ndjson").write_text(
        build(GOOD[:3] + [("div", [A, B], A // B + 1, "Nat")], trusted))
    (HERE / "nat-division-mod.reject.ndjson").write_text(
        build(GOOD[:3] + [("mod", [A, B], A % B + B, "Nat")], trusted))
    (HERE / "nat-division-gcd.reject.ndjson").write_text(
        build(GOOD[:3] + [("gcd", [A * 6, B * 4], 2, "Nat")], trusted))
    shift = [("shiftRight", [A, 3], A >> 3, "Nat")]
    (HERE / "nat-shift-right.accept.ndjson").write_text(build(shift, ["div", "shiftRight"]))
    (HERE / "nat-shift-right.reject.ndjson").write_text(
        build([("shiftRight", [A, 3], 0, "Nat")], ["div", "shiftRight"]))
    # Declared before Nat.sub, `ix check` does not trust it: 7 / 2 unfolds to 0.
    (HERE / "nat-div-before-sub.reject.ndjson").write_text(
        build([("div", [7, 2], 3, "Nat")], ["div"], trusted_first=True))
    (HERE / "nat-mod-untrusted.reject.ndjson").write_text(
        build(GOOD[:3] + [("mod", [7, 2], 1, "Nat")], ["bad-mod"]))
    (HERE / "nat-ops-pow.reject.ndjson").write_text(build(GOOD[:4] + [("pow", [3, 300], 3**300 - 1, "Nat")]))

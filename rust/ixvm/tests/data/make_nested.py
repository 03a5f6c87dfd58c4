#!/usr/bin/env python3
"""Writes the nested-inductive fixtures of `tests/kernel.rs`: a rose tree
with a parameter, `inductive PTree (α : Type) | node : α → List (PTree α) →
PTree α`, with the recursors Lean generates (`PTree.rec` on `PTree α`,
`PTree.rec_1` on the auxiliary `List (PTree α)`); the reject variant's `rec_1` `cons` rule swaps the two
induction hypotheses. Also `DTree`, nested twice (see `build_double`), and
`MTree`, nested in a mutual group (see `build_mutual_group`), and `Neg`,
whose nesting hides a negative occurrence (see `build_negative`), and the
universe-polymorphic `UTree` (see `build_universe`), and `ITree`, nested in
an indexed family whose index type then mentions the block (see
`build_indexed`). The `List` block is the prefix of
`tests/data/kernel-rules/arena/nested-rose-tree.accept.ndjson`.

    python3 rust/ixvm/tests/data/make_nested.py
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = HERE.parents[3] / "tests/data/kernel-rules/arena/nested-rose-tree.accept.ndjson"
LIST, NIL, CONS, U = 1, 4, 5, 2  # names in the prefix


class Var:
    def __init__(self, level):
        self.level = level


class Writer:
    """Terms in higher-order syntax (binders are Python functions), written
    as lean4export nodes with de Bruijn indices."""

    def __init__(self, lines):
        self.lines = lines
        self.ie = 1 + max(json.loads(l).get("ie", -1) for l in lines)
        self.iname = 1 + max(json.loads(l).get("in", -1) for l in lines)
        self.il = 1 + max(json.loads(l).get("il", -1) for l in lines)
        self.x = self.name("x")
        self.zero_level = 0
        self.one = self.level({"succ": 0})
        self.u = self.level({"param": U})

    def emit(self, obj):
        self.lines.append(json.dumps(obj, separators=(",", ":"), ensure_ascii=False))

    def name(self, s, pre=0):
        i, self.iname = self.iname, self.iname + 1
        self.emit({"in": i, "str": {"pre": pre, "str": s}})
        return i

    def level(self, body):
        i, self.il = self.il, self.il + 1
        self.emit({"il": i, **body})
        return i

    def node(self, key, value):
        i, self.ie = self.ie, self.ie + 1
        self.emit({key: value, "ie": i})
        return i

    def write(self, t, depth=0):
        kind = t[0]
        if kind == "var":
            return self.node("bvar", depth - 1 - t[1].level)
        if kind == "const":
            return self.node("const", {"name": t[1], "us": t[2]})
        if kind == "sort":
            return self.node("sort", t[1])
        if kind == "app":
            f = self.write(t[1], depth)
            return self.node("app", {"arg": self.write(t[2], depth), "fn": f})
        ty = self.write(t[1], depth)
        body = self.write(t[2](("var", Var(depth))), depth + 1)
        key = "forallE" if kind == "pi" else "lam"
        return self.node(key, {"binderInfo": t[3], "body": body, "name": self.x, "type": ty})


def rule(ctor, nfields, rhs):
    return {"ctor": ctor, "nfields": nfields, "rhs": rhs}


def recursor(block, name, ty, rules, motives, minors, params=0, indices=0, levels=(U,)):
    return {"all": block, "isUnsafe": False, "k": False, "levelParams": list(levels), "name": name,
            "numIndices": indices, "numMinors": minors, "numMotives": motives, "numParams": params,
            "rules": rules, "type": ty}


def list_rules(nil_rhs, cons_rhs, nil=NIL, cons=CONS):
    """The two rules of a recursor on an auxiliary `List`."""
    return [rule(nil, 0, nil_rhs), rule(cons, 2, cons_rhs)]


def emit_nested(w, name, ctor, nfields, ty, ctor_ty, recs, nested, params=0, levels=()):
    """A one-type block `name` with one constructor `ctor`, nested in
    `nested` auxiliary types, and its recursors."""
    w.emit({"inductive": {
        "ctors": [{"cidx": 0, "induct": name, "isUnsafe": False, "levelParams": list(levels),
                   "name": ctor, "numFields": nfields, "numParams": params, "type": ctor_ty}],
        "recs": recs,
        "types": [{"all": [name], "ctors": [ctor], "isRec": True, "isReflexive": False,
                   "isUnsafe": False, "levelParams": list(levels), "name": name, "numIndices": 0,
                   "numNested": nested, "numParams": params, "type": ty}]}})


def tele(binder, specs, body, vs=()):
    """Binders from `specs` (each: the bound variables so far -> (type,
    binder info)) around `body(variables)`."""
    if not specs:
        return body(vs)
    ty, info = specs[0](vs)
    return binder(ty, lambda v: tele(binder, specs[1:], body, vs + (v,)), info)


def const(n, us=()):
    return ("const", n, list(us))


def app(f, *args):
    for a in args:
        f = ("app", f, a)
    return f


def pi(ty, body, info="default"):
    return ("pi", ty, body, info)


def lam(ty, body, info="default"):
    return ("lam", ty, body, info)


def build(swap_ihs):
    lines = [l for l in BASE.read_text().splitlines() if l.strip()]
    cut = next(i for i, l in enumerate(lines) if json.loads(l).get("in") == 15)
    w = Writer(lines[:cut])
    ptree = w.name("PTree")
    node, rec, rec1 = w.name("node", ptree), w.name("rec", ptree), w.name("rec_1", ptree)
    type_ = ("sort", w.one)
    sort_u = ("sort", w.u)
    T = lambda a: app(const(ptree), a)
    L = lambda t: app(const(LIST, [w.zero_level]), t)
    nil = lambda a: app(const(NIL, [w.zero_level]), T(a))
    cons = lambda a, h, t: app(const(CONS, [w.zero_level]), T(a), h, t)
    mk = lambda a, x, l: app(const(node), a, x, l)

    # Π {α} {m1} {m2} (node) (nil) (cons), body(α, m1, m2, node, nil, cons)
    def telescope(binder, body):
        return binder(type_, lambda a: binder(pi(T(a), lambda _: sort_u), lambda m1: binder(
            pi(L(T(a)), lambda _: sort_u), lambda m2: binder(
                pi(a, lambda x: pi(L(T(a)), lambda l: pi(app(m2, l), lambda _: app(m1, mk(a, x, l))))),
                lambda mn: binder(app(m2, nil(a)), lambda mnil: binder(
                    pi(T(a), lambda h: pi(L(T(a)), lambda t: pi(app(m1, h), lambda _: pi(
                        app(m2, t), lambda _: app(m2, cons(a, h, t)))))),
                    lambda mcons: body(a, m1, m2, mn, mnil, mcons)))),
            "implicit"), "implicit"), "implicit")

    imp_pi = lambda ty, body, info="default": pi(ty, body, info)
    imp_lam = lambda ty, body, info="default": lam(ty, body, info)
    call = lambda r, args, major: app(const(r, [w.u]), *args, major)

    rec_ty = telescope(imp_pi, lambda a, m1, m2, mn, mnil, mcons: pi(T(a), lambda t: app(m1, t)))
    rec1_ty = telescope(imp_pi, lambda a, m1, m2, mn, mnil, mcons: pi(L(T(a)), lambda l: app(m2, l)))
    node_rhs = telescope(imp_lam, lambda a, m1, m2, mn, mnil, mcons: lam(a, lambda x: lam(
        L(T(a)), lambda l: app(mn, x, l, call(rec1, [a, m1, m2, mn, mnil, mcons], l)))))
    nil_rhs = telescope(imp_lam, lambda a, m1, m2, mn, mnil, mcons: mnil)

    def cons_body(a, m1, m2, mn, mnil, mcons):
        def inner(h, t):
            ih_h = call(rec, [a, m1, m2, mn, mnil, mcons], h)
            ih_t = call(rec1, [a, m1, m2, mn, mnil, mcons], t)
            ihs = (ih_t, ih_h) if swap_ihs else (ih_h, ih_t)
            return app(mcons, h, t, *ihs)
        return lam(T(a), lambda h: lam(L(T(a)), lambda t: inner(h, t)))

    cons_rhs = telescope(imp_lam, cons_body)
    ids = {k: w.write(v) for k, v in [
        ("ty", pi(type_, lambda _: type_)),
        ("node", pi(type_, lambda a: pi(a, lambda x: pi(L(T(a)), lambda l: T(a))), "implicit")),
        ("rec", rec_ty), ("rec1", rec1_ty), ("node_rhs", node_rhs), ("nil_rhs", nil_rhs),
        ("cons_rhs", cons_rhs)]}
    rec_of = lambda name, ty, rules: recursor([ptree], name, ty, rules, 2, 3, params=1)
    emit_nested(w, ptree, node, 2, ids["ty"], ids["node"], [
        rec_of(rec, ids["rec"], [rule(node, 2, ids["node_rhs"])]),
        rec_of(rec1, ids["rec1"], list_rules(ids["nil_rhs"], ids["cons_rhs"]))], 1, params=1)
    return "\n".join(w.lines) + "\n"


def build_double(swapped=False):
    """`inductive DTree | node : List (List DTree) → DTree`: two auxiliary
    types, `List (List DTree)` (rec_1) and, from its `cons`, `List DTree`
    (rec_2); `swapped` exports rec_2 before rec_1."""
    lines = [l for l in BASE.read_text().splitlines() if l.strip()]
    cut = next(i for i, l in enumerate(lines) if json.loads(l).get("in") == 15)
    w = Writer(lines[:cut])
    dtree = w.name("DTree")
    node, rec, rec1, rec2 = (w.name(s, dtree) for s in ("node", "rec", "rec_1", "rec_2"))
    sort_u = ("sort", w.u)
    D = const(dtree)
    L = lambda t: app(const(LIST, [w.zero_level]), t)
    nil = lambda t: app(const(NIL, [w.zero_level]), t)
    cons = lambda t, h, tl: app(const(CONS, [w.zero_level]), t, h, tl)
    LD, LLD = L(D), L(L(D))

    # Π {m1 m2 m3} node nil1 cons1 nil2 cons2, body(...)
    def telescope(binder, body):
        return binder(pi(D, lambda _: sort_u), lambda m1: binder(pi(LLD, lambda _: sort_u), lambda m2: binder(
            pi(LD, lambda _: sort_u), lambda m3: binder(
                pi(LLD, lambda l: pi(app(m2, l), lambda _: app(m1, app(const(node), l)))), lambda mn: binder(
                    app(m2, nil(LD)), lambda n1: binder(
                        pi(LD, lambda h: pi(LLD, lambda t: pi(app(m3, h), lambda _: pi(
                            app(m2, t), lambda _: app(m2, cons(LD, h, t)))))), lambda c1: binder(
                            app(m3, nil(D)), lambda n2: binder(
                                pi(D, lambda h: pi(LD, lambda t: pi(app(m1, h), lambda _: pi(
                                    app(m3, t), lambda _: app(m3, cons(D, h, t)))))),
                                lambda c2: body((m1, m2, m3, mn, n1, c1, n2, c2))))))),
            "implicit"), "implicit"), "implicit")

    call = lambda r, xs, major: app(const(r, [w.u]), *xs, major)
    ty = lambda major_ty, motive: telescope(pi, lambda xs: pi(major_ty, lambda m: app(xs[motive], m)))
    rhs = lambda f: telescope(lam, f)
    ids = {k: w.write(v) for k, v in [
        ("ty", ("sort", w.one)),
        ("node", pi(LLD, lambda _: D)),
        ("rec", ty(D, 0)), ("rec1", ty(LLD, 1)), ("rec2", ty(LD, 2)),
        ("node_rhs", rhs(lambda xs: lam(LLD, lambda l: app(xs[3], l, call(rec1, xs, l))))),
        ("nil1_rhs", rhs(lambda xs: xs[4])),
        ("cons1_rhs", rhs(lambda xs: lam(LD, lambda h: lam(LLD, lambda t: app(
            xs[5], h, t, call(rec2, xs, h), call(rec1, xs, t)))))),
        ("nil2_rhs", rhs(lambda xs: xs[6])),
        ("cons2_rhs", rhs(lambda xs: lam(D, lambda h: lam(LD, lambda t: app(
            xs[7], h, t, call(rec, xs, h), call(rec2, xs, t)))))),
    ]}
    rec_of = lambda name, ty, rules: recursor([dtree], name, ty, rules, 3, 5)
    aux_recs = [rec_of(rec1, ids["rec1"], list_rules(ids["nil1_rhs"], ids["cons1_rhs"])),
                rec_of(rec2, ids["rec2"], list_rules(ids["nil2_rhs"], ids["cons2_rhs"]))]
    emit_nested(w, dtree, node, 1, ids["ty"], ids["node"], [
        rec_of(rec, ids["rec"], [rule(node, 1, ids["node_rhs"])]),
        *(aux_recs[::-1] if swapped else aux_recs)], 2)
    return "\n".join(w.lines) + "\n"


def build_mutual_group():
    """`mutual inductive A (α) | nil | cons : α → B α → A α
    inductive B (α) | mk : A α → B α end`, then `inductive MTree | node :
    A MTree → MTree`: one occurrence creates an auxiliary type for each
    inductive of A's group (rec_1 on A MTree, rec_2 on B MTree)."""
    lines = [l for l in BASE.read_text().splitlines() if l.strip()]
    cut = next(i for i, l in enumerate(lines) if json.loads(l).get("in") == 15)
    w = Writer(lines[:cut])
    a_, b_ = w.name("A"), w.name("B")
    a_nil, a_cons, b_mk = w.name("nil", a_), w.name("cons", a_), w.name("mk", b_)
    a_rec, b_rec = w.name("rec", a_), w.name("rec", b_)
    type_, sort_u = ("sort", w.one), ("sort", w.u)
    A = lambda t: app(const(a_), t)
    B = lambda t: app(const(b_), t)
    nil = lambda t: app(const(a_nil), t)
    cons = lambda t, x, b: app(const(a_cons), t, x, b)
    mk = lambda t, a: app(const(b_mk), t, a)
    call = lambda r, xs, major: app(const(r, [w.u]), *xs, major)

    # The group's recursors: Π {α} {mA} {mB} nil cons mk, body.
    group_specs = [
        lambda v: (type_, "implicit"),
        lambda v: (pi(A(v[0]), lambda _: sort_u), "implicit"),
        lambda v: (pi(B(v[0]), lambda _: sort_u), "implicit"),
        lambda v: (app(v[1], nil(v[0])), "default"),
        lambda v: (pi(v[0], lambda x: pi(B(v[0]), lambda b: pi(
            app(v[2], b), lambda _: app(v[1], cons(v[0], x, b))))), "default"),
        lambda v: (pi(A(v[0]), lambda a: pi(app(v[1], a), lambda _: app(v[2], mk(v[0], a)))),
                   "default"),
    ]
    group_tel = lambda binder, body: tele(binder, group_specs, body)

    gty = lambda major, k: group_tel(pi, lambda xs: pi(major(xs[0]), lambda v: app(xs[k], v)))
    grhs = lambda f: group_tel(lam, f)
    group = {k: w.write(v) for k, v in [
        ("ty", pi(type_, lambda _: type_)),
        ("nil", pi(type_, lambda t: A(t), "implicit")),
        ("cons", pi(type_, lambda t: pi(t, lambda _: pi(B(t), lambda _: A(t))), "implicit")),
        ("mk", pi(type_, lambda t: pi(A(t), lambda _: B(t)), "implicit")),
        ("a_rec", gty(A, 1)), ("b_rec", gty(B, 2)),
        ("nil_rhs", grhs(lambda xs: xs[3])),
        ("cons_rhs", grhs(lambda xs: lam(xs[0], lambda x: lam(B(xs[0]), lambda b: app(
            xs[4], x, b, call(b_rec, xs, b)))))),
        ("mk_rhs", grhs(lambda xs: lam(A(xs[0]), lambda a: app(xs[5], a, call(a_rec, xs, a))))),
    ]}
    grec = lambda name, ty, rules: recursor([a_, b_], name, ty, rules, 2, 3, params=1)
    gctor = lambda name, ind, cidx, nf, ty: {
        "cidx": cidx, "induct": ind, "isUnsafe": False, "levelParams": [], "name": name,
        "numFields": nf, "numParams": 1, "type": group[ty]}
    gtype = lambda name, ctors: {
        "all": [a_, b_], "ctors": ctors, "isRec": True, "isReflexive": False, "isUnsafe": False,
        "levelParams": [], "name": name, "numIndices": 0, "numNested": 0, "numParams": 1,
        "type": group["ty"]}
    w.emit({"inductive": {
        "ctors": [gctor(a_nil, a_, 0, 0, "nil"), gctor(a_cons, a_, 1, 2, "cons"),
                  gctor(b_mk, b_, 0, 1, "mk")],
        "recs": [grec(a_rec, group["a_rec"],
                      list_rules(group["nil_rhs"], group["cons_rhs"], a_nil, a_cons)),
                 grec(b_rec, group["b_rec"], [rule(b_mk, 1, group["mk_rhs"])])],
        "types": [gtype(a_, [a_nil, a_cons]), gtype(b_, [b_mk])]}})

    mt = w.name("MTree")
    node, rec, rec1, rec2 = (w.name(s, mt) for s in ("node", "rec", "rec_1", "rec_2"))
    T = const(mt)

    # Π {m1 m2 m3} node nil cons mk, body.
    specs = [
        lambda v: (pi(T, lambda _: sort_u), "implicit"),
        lambda v: (pi(A(T), lambda _: sort_u), "implicit"),
        lambda v: (pi(B(T), lambda _: sort_u), "implicit"),
        lambda v: (pi(A(T), lambda a: pi(app(v[1], a), lambda _: app(v[0], app(const(node), a)))),
                   "default"),
        lambda v: (app(v[1], nil(T)), "default"),
        lambda v: (pi(T, lambda x: pi(B(T), lambda b: pi(app(v[0], x), lambda _: pi(
            app(v[2], b), lambda _: app(v[1], cons(T, x, b)))))), "default"),
        lambda v: (pi(A(T), lambda a: pi(app(v[1], a), lambda _: app(v[2], mk(T, a)))), "default"),
    ]
    tel = lambda binder, body: tele(binder, specs, body)

    ty = lambda major, k: tel(pi, lambda xs: pi(major, lambda v: app(xs[k], v)))
    rhs = lambda f: tel(lam, f)
    ids = {k: w.write(v) for k, v in [
        ("ty", type_),
        ("node", pi(A(T), lambda _: T)),
        ("rec", ty(T, 0)), ("rec1", ty(A(T), 1)), ("rec2", ty(B(T), 2)),
        ("node_rhs", rhs(lambda xs: lam(A(T), lambda a: app(xs[3], a, call(rec1, xs, a))))),
        ("nil_rhs", rhs(lambda xs: xs[4])),
        ("cons_rhs", rhs(lambda xs: lam(T, lambda x: lam(B(T), lambda b: app(
            xs[5], x, b, call(rec, xs, x), call(rec2, xs, b)))))),
        ("mk_rhs", rhs(lambda xs: lam(A(T), lambda a: app(xs[6], a, call(rec1, xs, a))))),
    ]}
    rec_of = lambda name, ty, rules: recursor([mt], name, ty, rules, 3, 4)
    emit_nested(w, mt, node, 1, ids["ty"], ids["node"], [
        rec_of(rec, ids["rec"], [rule(node, 1, ids["node_rhs"])]),
        rec_of(rec1, ids["rec1"], list_rules(ids["nil_rhs"], ids["cons_rhs"], a_nil, a_cons)),
        rec_of(rec2, ids["rec2"], [rule(b_mk, 1, ids["mk_rhs"])])], 2)
    return "\n".join(w.lines) + "\n"


def build_negative():
    """`inductive Neg | mk : List (Neg → Neg) → Neg`: the auxiliary type's
    `cons` has a field `Neg → Neg`, a negative occurrence. Its recursors are
    the ones the enlarged block would have (the field's induction
    hypothesis is `∀ x, m1 (h x)`), so only the positivity check can tell
    it apart from a good block."""
    lines = [l for l in BASE.read_text().splitlines() if l.strip()]
    cut = next(i for i, l in enumerate(lines) if json.loads(l).get("in") == 15)
    w = Writer(lines[:cut])
    neg = w.name("Neg")
    mk, rec, rec1 = (w.name(s, neg) for s in ("mk", "rec", "rec_1"))
    sort_u = ("sort", w.u)
    N = const(neg)
    F = pi(N, lambda _: N)
    L = app(const(LIST, [w.zero_level]), F)
    nil = app(const(NIL, [w.zero_level]), F)
    cons = lambda h, t: app(const(CONS, [w.zero_level]), F, h, t)
    call = lambda r, xs, major: app(const(r, [w.u]), *xs, major)
    specs = [
        lambda v: (pi(N, lambda _: sort_u), "implicit"),
        lambda v: (pi(L, lambda _: sort_u), "implicit"),
        lambda v: (pi(L, lambda l: pi(app(v[1], l), lambda _: app(v[0], app(const(mk), l)))), "default"),
        lambda v: (app(v[1], nil), "default"),
        lambda v: (pi(F, lambda h: pi(L, lambda t: pi(
            pi(N, lambda x: app(v[0], app(h, x))), lambda _: pi(
                app(v[1], t), lambda _: app(v[1], cons(h, t)))))), "default"),
    ]
    tel = lambda binder, body: tele(binder, specs, body)
    ty = lambda major, k: tel(pi, lambda xs: pi(major, lambda m: app(xs[k], m)))
    rhs = lambda f: tel(lam, f)
    ids = {k: w.write(v) for k, v in [
        ("ty", ("sort", w.one)), ("mk", pi(L, lambda _: N)),
        ("rec", ty(N, 0)), ("rec1", ty(L, 1)),
        ("mk_rhs", rhs(lambda xs: lam(L, lambda l: app(xs[2], l, call(rec1, xs, l))))),
        ("nil_rhs", rhs(lambda xs: xs[3])),
        ("cons_rhs", rhs(lambda xs: lam(F, lambda h: lam(L, lambda t: app(
            xs[4], h, t, lam(N, lambda x: call(rec, xs, app(h, x))), call(rec1, xs, t)))))),
    ]}
    rec_of = lambda name, ty, rules: recursor([neg], name, ty, rules, 2, 3)
    emit_nested(w, neg, mk, 1, ids["ty"], ids["mk"], [
        rec_of(rec, ids["rec"], [rule(mk, 1, ids["mk_rhs"])]),
        rec_of(rec1, ids["rec1"], list_rules(ids["nil_rhs"], ids["cons_rhs"]))], 1)
    return "\n".join(w.lines) + "\n"


def build_universe():
    """`inductive UTree.{u} : Type u | node : List.{u} UTree.{u} → UTree`:
    the auxiliary type's universe arguments follow the block's parameters,
    which the recursors (at `.{u_1, u}`) shift by their motive's level."""
    lines = [l for l in BASE.read_text().splitlines() if l.strip()]
    cut = next(i for i, l in enumerate(lines) if json.loads(l).get("in") == 15)
    w = Writer(lines[:cut])
    u, u_succ, v = 1, 2, 3  # the prefix's levels: param u, succ u, param u_1
    ut = w.name("UTree")
    node, rec, rec1 = (w.name(s, ut) for s in ("node", "rec", "rec_1"))
    sort_v = ("sort", v)
    T = const(ut, [u])
    L = app(const(LIST, [u]), T)
    nil = app(const(NIL, [u]), T)
    cons = lambda h, t: app(const(CONS, [u]), T, h, t)
    call = lambda r, xs, major: app(const(r, [v, u]), *xs, major)
    specs = [
        lambda vs: (pi(T, lambda _: sort_v), "implicit"),
        lambda vs: (pi(L, lambda _: sort_v), "implicit"),
        lambda vs: (pi(L, lambda l: pi(app(vs[1], l), lambda _: app(vs[0], app(const(node, [u]), l)))),
                    "default"),
        lambda vs: (app(vs[1], nil), "default"),
        lambda vs: (pi(T, lambda h: pi(L, lambda t: pi(app(vs[0], h), lambda _: pi(
            app(vs[1], t), lambda _: app(vs[1], cons(h, t)))))), "default"),
    ]
    tel = lambda binder, body: tele(binder, specs, body)
    ty = lambda major, k: tel(pi, lambda xs: pi(major, lambda m: app(xs[k], m)))
    rhs = lambda f: tel(lam, f)
    ids = {k: w.write(x) for k, x in [
        ("ty", ("sort", u_succ)), ("node", pi(L, lambda _: T)),
        ("rec", ty(T, 0)), ("rec1", ty(L, 1)),
        ("node_rhs", rhs(lambda xs: lam(L, lambda l: app(xs[2], l, call(rec1, xs, l))))),
        ("nil_rhs", rhs(lambda xs: xs[3])),
        ("cons_rhs", rhs(lambda xs: lam(T, lambda h: lam(L, lambda t: app(
            xs[4], h, t, call(rec, xs, h), call(rec1, xs, t)))))),
    ]}
    rec_of = lambda name, ty, rules: recursor([ut], name, ty, rules, 2, 3, levels=(9, U))
    emit_nested(w, ut, node, 1, ids["ty"], ids["node"], [
        rec_of(rec, ids["rec"], [rule(node, 1, ids["node_rhs"])]),
        rec_of(rec1, ids["rec1"], list_rules(ids["nil_rhs"], ids["cons_rhs"]))], 1, levels=(U,))
    return "\n".join(w.lines) + "\n"


def build_indexed():
    """`inductive Pt (α : Type) : α → Type | mk (a : α) : Pt α a`, then
    `inductive ITree | node (t : ITree) : Pt ITree t → ITree`, with the
    recursors its enlarged block would have. Lean rejects it: the auxiliary
    type `Pt ITree : ITree → Type` mentions the block in its own type."""
    lines = [l for l in BASE.read_text().splitlines() if l.strip()]
    cut = next(i for i, l in enumerate(lines) if json.loads(l).get("in") == 15)
    w = Writer(lines[:cut])
    pt = w.name("Pt")
    pt_mk, pt_rec = w.name("mk", pt), w.name("rec", pt)
    type_, sort_u = ("sort", w.one), ("sort", w.u)
    P = lambda t, a: app(const(pt), t, a)
    mkp = lambda t, a: app(const(pt_mk), t, a)
    pspecs = [
        lambda v: (type_, "implicit"),
        lambda v: (pi(v[0], lambda a: pi(P(v[0], a), lambda _: sort_u)), "implicit"),
        lambda v: (pi(v[0], lambda a: app(v[1], a, mkp(v[0], a))), "default"),
    ]
    ptel = lambda binder, body: tele(binder, pspecs, body)
    group = {k: w.write(x) for k, x in [
        ("ty", pi(type_, lambda t: pi(t, lambda _: type_))),
        ("mk", pi(type_, lambda t: pi(t, lambda a: P(t, a)), "implicit")),
        ("rec", ptel(pi, lambda xs: pi(xs[0], lambda a: pi(P(xs[0], a), lambda m: app(xs[1], a, m)),
                                       "implicit"))),
        ("mk_rhs", ptel(lam, lambda xs: lam(xs[0], lambda a: app(xs[2], a)))),
    ]}
    w.emit({"inductive": {
        "ctors": [{"cidx": 0, "induct": pt, "isUnsafe": False, "levelParams": [], "name": pt_mk,
                   "numFields": 1, "numParams": 1, "type": group["mk"]}],
        "recs": [{"all": [pt], "isUnsafe": False, "k": False, "levelParams": [U], "name": pt_rec,
                  "numIndices": 1, "numMinors": 1, "numMotives": 1, "numParams": 1,
                  "rules": [{"ctor": pt_mk, "nfields": 1, "rhs": group["mk_rhs"]}],
                  "type": group["rec"]}],
        "types": [{"all": [pt], "ctors": [pt_mk], "isRec": False, "isReflexive": False,
                   "isUnsafe": False, "levelParams": [], "name": pt, "numIndices": 1,
                   "numNested": 0, "numParams": 1, "type": group["ty"]}]}})

    it = w.name("ITree")
    node, rec, rec1 = (w.name(s, it) for s in ("node", "rec", "rec_1"))
    T = const(it)
    call = lambda r, xs, *args: app(const(r, [w.u]), *xs, *args)
    specs = [
        lambda v: (pi(T, lambda _: sort_u), "implicit"),
        lambda v: (pi(T, lambda a: pi(P(T, a), lambda _: sort_u)), "implicit"),
        lambda v: (pi(T, lambda t: pi(P(T, t), lambda p: pi(app(v[0], t), lambda _: pi(
            app(v[1], t, p), lambda _: app(v[0], app(const(node), t, p)))))), "default"),
        lambda v: (pi(T, lambda a: pi(app(v[0], a), lambda _: app(v[1], a, mkp(T, a)))), "default"),
    ]
    tel = lambda binder, body: tele(binder, specs, body)
    ids = {k: w.write(x) for k, x in [
        ("ty", type_), ("node", pi(T, lambda t: pi(P(T, t), lambda _: T))),
        ("rec", tel(pi, lambda xs: pi(T, lambda t: app(xs[0], t)))),
        ("rec1", tel(pi, lambda xs: pi(T, lambda a: pi(P(T, a), lambda p: app(xs[1], a, p)),
                                       "implicit"))),
        ("node_rhs", tel(lam, lambda xs: lam(T, lambda t: lam(P(T, t), lambda p: app(
            xs[2], t, p, call(rec, xs, t), call(rec1, xs, t, p)))))),
        ("mk_rhs", tel(lam, lambda xs: lam(T, lambda a: app(xs[3], a, call(rec, xs, a))))),
    ]}
    emit_nested(w, it, node, 2, ids["ty"], ids["node"], [
        recursor([it], rec, ids["rec"], [rule(node, 2, ids["node_rhs"])], 2, 2),
        recursor([it], rec1, ids["rec1"], [rule(pt_mk, 1, ids["mk_rhs"])], 2, 2, indices=1)], 1)
    return "\n".join(w.lines) + "\n"


if __name__ == "__main__":
    (HERE / "nested-indexed-tree.reject.ndjson").write_text(build_indexed())
    (HERE / "nested-universe-tree.accept.ndjson").write_text(build_universe())
    (HERE / "nested-negative.reject.ndjson").write_text(build_negative())
    (HERE / "nested-mutual-group.accept.ndjson").write_text(build_mutual_group())
    (HERE / "nested-double-tree.accept.ndjson").write_text(build_double())
    (HERE / "nested-double-swapped.accept.ndjson").write_text(build_double(swapped=True))
    (HERE / "nested-param-tree.accept.ndjson").write_text(build(False))
    (HERE / "nested-param-tree.reject.ndjson").write_text(build(True))

//! Compiling the expressions of one constant: Lean DAG → hash-consed Ixon
//! nodes → sharing decisions → Ixon trees with `Share` nodes and canonical
//! tables; and the parallel metadata DAG of one declaration entry.
//!
//! Everything is iterative and memoized by node pointer (`Arc::as_ptr`), so
//! the work is linear in the DAG size and safe for 10^5-deep terms.

use crate::CompileError;
use ix_lean::{BinderInfo, Expr as LExpr, ExprRef as LExprRef, Level, LevelRef, Literal, Name};
use ixon::meta::{MetaIdx, MetaNode};
use ixon::univ::MAX_UNIV_DEPTH;
use ixon::{Address, Expr, ExprRef, Univ, UnivRef};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// How a constant name is reached from inside the constant being compiled.
#[derive(Clone, Copy)]
pub enum Target {
    Ref(Address),
    /// A member of the block being compiled.
    Rec(u64),
}

/// Hash-consed node; children and tables by provisional id.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Node {
    Sort(u32),
    Var(u64),
    Ref(u32, Vec<u32>),
    Rec(u64, Vec<u32>),
    Prj(u32, u64, u32),
    Str(u32),
    Nat(u32),
    App(u32, u32),
    Lam(u32, u32),
    All(u32, u32),
    Let(bool, u32, u32, u32),
}

impl Node {
    /// Children without allocating: a fixed array and its used length.
    fn children(&self) -> ([u32; 3], usize) {
        match self {
            Node::Prj(_, _, e) => ([*e, 0, 0], 1),
            Node::App(a, b) | Node::Lam(a, b) | Node::All(a, b) => ([*a, *b, 0], 2),
            Node::Let(_, t, v, b) => ([*t, *v, *b], 3),
            _ => ([0; 3], 0),
        }
    }

    fn each_child(&self) -> impl Iterator<Item = u32> {
        let (kids, n) = self.children();
        kids.into_iter().take(n)
    }
}

/// The nodes under a root, children before parents, each shared node
/// once: the walk of a memoizing compile.
struct PostOrder<'e> {
    stack: Vec<(&'e LExpr, bool)>,
}

impl<'e> PostOrder<'e> {
    fn new(root: &'e LExprRef) -> PostOrder<'e> {
        PostOrder {
            stack: vec![(&**root, false)],
        }
    }

    /// The next node that is not `done` (memoized already) and whose
    /// children are.
    fn next(&mut self, done: impl Fn(*const LExpr) -> bool) -> Option<&'e LExpr> {
        while let Some((x, expanded)) = self.stack.pop() {
            if done(x as *const LExpr) {
                continue;
            }
            if !expanded {
                self.stack.push((x, true));
                push_lean_children(x, &mut self.stack);
                continue;
            }
            return Some(x);
        }
        None
    }
}

/// Pushes the children of a Lean node onto a work stack, without allocating.
pub fn push_lean_children<'e>(e: &'e LExpr, stack: &mut Vec<(&'e LExpr, bool)>) {
    match e {
        LExpr::App(f, a) => stack.extend([(&**f, false), (&**a, false)]),
        LExpr::Lam { ty, body, .. } | LExpr::Pi { ty, body, .. } => {
            stack.extend([(&**ty, false), (&**body, false)])
        }
        LExpr::Let {
            ty, value, body, ..
        } => stack.extend([(&**ty, false), (&**value, false), (&**body, false)]),
        LExpr::Proj(_, _, x) => stack.push((&**x, false)),
        LExpr::BVar(_) | LExpr::Sort(_) | LExpr::Const(..) | LExpr::Lit(_) => {}
    }
}

fn tag_len(v: u64, small_bits: u32) -> u64 {
    if v < (1 << small_bits) {
        1
    } else {
        1 + u64::from(8 - v.leading_zeros() / 8)
    }
}

/// Encoded size of a `Ref`/`Rec` node.
fn ref_len(r: u64, us: &[u32], univ_pos: &[u64]) -> u64 {
    tag_len(us.len() as u64, 3)
        + tag_len(r, 7)
        + us.iter()
            .map(|u| tag_len(univ_pos[*u as usize], 7))
            .sum::<u64>()
}

/// Bytes a `Share` reference is assumed to cost when deciding what to share.
const SHARE_REF_COST: u64 = 2;

/// The tables and roots of a compiled constant.
pub struct CompiledExprs {
    pub roots: Vec<ExprRef>,
    pub sharing: Vec<ExprRef>,
    pub refs: Vec<Address>,
    pub univs: Vec<UnivRef>,
}

impl CompiledExprs {
    /// The constant whose expressions these are: `info` takes the roots in
    /// the order they were added.
    pub fn into_constant(
        self,
        info: impl FnOnce(&mut std::vec::IntoIter<ExprRef>) -> ixon::ConstantInfo,
    ) -> ixon::Constant {
        ixon::Constant {
            info: info(&mut self.roots.into_iter()),
            sharing: self.sharing,
            refs: self.refs,
            univs: self.univs,
        }
    }
}

/// Compiles the expressions of one constant (all members of a block).
pub struct ConstCompiler<'a> {
    owner: Name,
    scope: &'a FxHashMap<Name, Address>,
    block: FxHashMap<Name, u64>,
    blobs: &'a mut BTreeMap<Address, Vec<u8>>,
    nodes: Vec<Node>,
    intern: FxHashMap<Node, u32>,
    refs: Vec<Address>,
    ref_ids: FxHashMap<Address, u32>,
    univs: Vec<UnivRef>,
    univ_ids: FxHashMap<UnivRef, u32>,
    memo: FxHashMap<*const LExpr, u32>,
    level_memo: FxHashMap<*const Level, UnivRef>,
    params: Vec<Name>,
    extras: Vec<Name>,
    roots: Vec<u32>,
}

impl<'a> ConstCompiler<'a> {
    pub fn new(
        scope: &'a FxHashMap<Name, Address>,
        block: FxHashMap<Name, u64>,
        blobs: &'a mut BTreeMap<Address, Vec<u8>>,
    ) -> ConstCompiler<'a> {
        ConstCompiler {
            owner: Name::anonymous(),
            scope,
            block,
            blobs,
            nodes: Vec::new(),
            intern: FxHashMap::default(),
            refs: Vec::new(),
            ref_ids: FxHashMap::default(),
            univs: Vec::new(),
            univ_ids: FxHashMap::default(),
            memo: FxHashMap::default(),
            level_memo: FxHashMap::default(),
            params: Vec::new(),
            extras: Vec::new(),
            roots: Vec::new(),
        }
    }

    /// Starts a member: its name (for errors) and level parameters.
    pub fn member(&mut self, owner: &Name, params: &[Name]) {
        self.owner = owner.clone();
        self.params = params.to_vec();
        self.extras.clear();
        // Level parameters differ between members, so memos do too.
        self.memo.clear();
        self.level_memo.clear();
    }

    /// The current member's level names: parameters, then undeclared ones used.
    pub fn level_names(&self) -> Vec<Name> {
        self.params
            .iter()
            .chain(self.extras.iter())
            .cloned()
            .collect()
    }

    fn intern(&mut self, node: Node) -> u32 {
        if let Some(id) = self.intern.get(&node) {
            return *id;
        }
        let id = self.nodes.len() as u32;
        self.nodes.push(node.clone());
        self.intern.insert(node, id);
        id
    }

    fn reference(&mut self, addr: Address) -> u32 {
        let next = self.refs.len() as u32;
        *self.ref_ids.entry(addr).or_insert_with(|| {
            self.refs.push(addr);
            next
        })
    }

    fn blob(&mut self, bytes: Vec<u8>) -> u32 {
        let addr = Address::hash(&bytes);
        self.blobs.entry(addr).or_insert(bytes);
        self.reference(addr)
    }

    fn univ_id(&mut self, u: UnivRef) -> u32 {
        let next = self.univs.len() as u32;
        *self.univ_ids.entry(u.clone()).or_insert_with(|| {
            self.univs.push(u);
            next
        })
    }

    fn resolve(&self, name: &Name) -> Result<Target, CompileError> {
        if let Some(i) = self.block.get(name) {
            return Ok(Target::Rec(*i));
        }
        self.scope
            .get(name)
            .map(|a| Target::Ref(*a))
            .ok_or_else(|| CompileError::Undeclared {
                decl: self.owner.to_string(),
                target: name.to_string(),
            })
    }

    fn level(&mut self, l: &LevelRef, depth: usize) -> Result<UnivRef, CompileError> {
        if depth > MAX_UNIV_DEPTH {
            return Err(CompileError::Invalid(format!(
                "{}: universe nested deeper than {MAX_UNIV_DEPTH}",
                self.owner
            )));
        }
        if let Some(u) = self.level_memo.get(&Arc::as_ptr(l)) {
            return Ok(u.clone());
        }
        // Successor runs are walked, not recursed, so `succ^(10^5)` is fine.
        let mut n: u64 = 0;
        let mut cur = l;
        while let Level::Succ(inner) = &**cur {
            n += 1;
            cur = inner;
        }
        let base = match &**cur {
            Level::Zero => Arc::new(Univ::Zero),
            Level::Succ(_) => unreachable!("successors were peeled"),
            Level::Max(a, b) => Arc::new(Univ::Max(
                self.level(a, depth + 1)?,
                self.level(b, depth + 1)?,
            )),
            Level::IMax(a, b) => Arc::new(Univ::IMax(
                self.level(a, depth + 1)?,
                self.level(b, depth + 1)?,
            )),
            Level::Param(p) => Arc::new(Univ::Var(self.param_index(p))),
        };
        let u = Univ::succ_n(n, base);
        self.level_memo.insert(Arc::as_ptr(l), u.clone());
        Ok(u)
    }

    fn param_index(&mut self, p: &Name) -> u64 {
        if let Some(i) = self.params.iter().position(|q| q == p) {
            return i as u64;
        }
        let k = match self.extras.iter().position(|q| q == p) {
            Some(k) => k,
            None => {
                self.extras.push(p.clone());
                self.extras.len() - 1
            }
        };
        (self.params.len() + k) as u64
    }

    fn univ_of(&mut self, l: &LevelRef) -> Result<u32, CompileError> {
        let u = self.level(l, 0)?;
        Ok(self.univ_id(u))
    }

    /// Compiles one expression of the current member as a root.
    pub fn add_root(&mut self, root: &LExprRef) -> Result<(), CompileError> {
        let mut walk = PostOrder::new(root);
        while let Some(x) = walk.next(|key| self.memo.contains_key(&key)) {
            let key = x as *const LExpr;
            let kid = |this: &Self, c: &LExprRef| this.memo[&Arc::as_ptr(c)];
            let node = match x {
                LExpr::BVar(i) => Node::Var(*i),
                LExpr::Sort(l) => Node::Sort(self.univ_of(l)?),
                LExpr::Const(name, ls) => {
                    let us = ls
                        .iter()
                        .map(|l| self.univ_of(l))
                        .collect::<Result<Vec<_>, _>>()?;
                    match self.resolve(name)? {
                        Target::Ref(a) => Node::Ref(self.reference(a), us),
                        Target::Rec(i) => Node::Rec(i, us),
                    }
                }
                LExpr::App(f, a) => Node::App(kid(self, f), kid(self, a)),
                LExpr::Lam { ty, body, .. } => Node::Lam(kid(self, ty), kid(self, body)),
                LExpr::Pi { ty, body, .. } => Node::All(kid(self, ty), kid(self, body)),
                LExpr::Let {
                    ty,
                    value,
                    body,
                    non_dep,
                    ..
                } => Node::Let(*non_dep, kid(self, ty), kid(self, value), kid(self, body)),
                LExpr::Lit(Literal::Nat(n)) => Node::Nat(self.blob(nat_bytes(n))),
                LExpr::Lit(Literal::Str(s)) => Node::Str(self.blob(s.as_bytes().to_vec())),
                LExpr::Proj(s, field, e) => {
                    let r = match self.resolve(s) {
                        Ok(Target::Ref(a)) => self.reference(a),
                        Ok(Target::Rec(_)) => {
                            return Err(CompileError::Invalid(format!(
                                "{}: projection of {s}, a member of its own block",
                                self.owner
                            )))
                        }
                        // The kernel rejects it; compiling is not checking.
                        Err(_) => self.reference(crate::undeclared_address(s)),
                    };
                    Node::Prj(r, *field, kid(self, e))
                }
            };
            let id = self.intern(node);
            self.memo.insert(key, id);
        }
        let id = self.memo[&Arc::as_ptr(root)];
        self.roots.push(id);
        Ok(())
    }

    /// Decides sharing and builds the Ixon trees and canonical tables.
    pub fn finish(self) -> CompiledExprs {
        let n = self.nodes.len();
        // Final table positions: refs by address, univs by encoded bytes.
        let mut ref_order: Vec<u32> = (0..self.refs.len() as u32).collect();
        ref_order.sort_by_key(|&i| self.refs[i as usize]);
        let mut ref_pos = vec![0u64; self.refs.len()];
        for (pos, &i) in ref_order.iter().enumerate() {
            ref_pos[i as usize] = pos as u64;
        }
        let univ_bytes: Vec<Vec<u8>> = self.univs.iter().map(|u| u.to_bytes()).collect();
        let mut univ_order: Vec<u32> = (0..self.univs.len() as u32).collect();
        univ_order.sort_by(|&a, &b| univ_bytes[a as usize].cmp(&univ_bytes[b as usize]));
        let mut univ_pos = vec![0u64; self.univs.len()];
        for (pos, &i) in univ_order.iter().enumerate() {
            univ_pos[i as usize] = pos as u64;
        }

        // Tree occurrences (saturating), top-down; ids are in post-order.
        let mut occ = vec![0u64; n];
        for &r in &self.roots {
            occ[r as usize] += 1;
        }
        for id in (0..n).rev() {
            for c in self.nodes[id].each_child() {
                occ[c as usize] = occ[c as usize].saturating_add(occ[id]);
            }
        }
        // Sizes and sharing decisions, bottom-up.
        let mut size = vec![0u64; n];
        let mut shared = vec![false; n];
        for id in 0..n {
            let node = &self.nodes[id];
            let own = match node {
                Node::Sort(u) => tag_len(univ_pos[*u as usize], 3),
                Node::Var(i) => tag_len(*i, 3),
                Node::Ref(r, us) => ref_len(ref_pos[*r as usize], us, &univ_pos),
                Node::Rec(r, us) => ref_len(*r, us, &univ_pos),
                Node::Prj(r, f, _) => tag_len(*f, 3) + tag_len(ref_pos[*r as usize], 7),
                Node::Str(r) | Node::Nat(r) => tag_len(ref_pos[*r as usize], 3),
                Node::App(..) | Node::Lam(..) | Node::All(..) | Node::Let(..) => 1,
            };
            let kids: u64 = node
                .each_child()
                .map(|c| {
                    if shared[c as usize] {
                        SHARE_REF_COST
                    } else {
                        size[c as usize]
                    }
                })
                .fold(0u64, u64::saturating_add);
            size[id] = own.saturating_add(kids);
            shared[id] = worth_sharing(occ[id], size[id]);
        }
        // Share heights: 1 + the highest share directly below (through unshared nodes).
        let mut below: Vec<Option<u64>> = vec![None; n];
        let mut height = vec![0u64; n];
        for id in 0..n {
            let mut h: Option<u64> = None;
            for c in self.nodes[id].each_child() {
                let c = c as usize;
                let ch = if shared[c] { Some(height[c]) } else { below[c] };
                h = h.max(ch);
            }
            below[id] = h;
            height[id] = h.map_or(0, |h| h + 1);
        }
        let mut levels: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
        for id in (0..n).filter(|&id| shared[id]) {
            levels.entry(height[id]).or_default().push(id);
        }
        let mut b = Builder {
            nodes: &self.nodes,
            shared: &shared,
            ref_pos: &ref_pos,
            univ_pos: &univ_pos,
            share_index: vec![None; n],
            built: vec![None; n],
        };
        let mut sharing = Vec::new();
        for (_, ids) in levels {
            let mut entries: Vec<(Address, usize, ExprRef)> = ids
                .into_iter()
                .map(|id| {
                    let e = b.content(id);
                    (Address::hash(&e.to_bytes()), id, e)
                })
                .collect();
            entries.sort_by_key(|(h, _, _)| *h);
            for (_, id, e) in entries {
                b.share_index[id] = Some(sharing.len() as u64);
                sharing.push(e);
            }
        }
        let roots = self
            .roots
            .iter()
            .map(|&r| b.reference(r as usize))
            .collect();
        let refs = ref_order.iter().map(|&i| self.refs[i as usize]).collect();
        let univs = univ_order
            .iter()
            .map(|&i| self.univs[i as usize].clone())
            .collect();
        CompiledExprs {
            roots,
            sharing,
            refs,
            univs,
        }
    }
}

/// Minimal little-endian bytes of a natural number, `[0]` for zero.
/// Whether hoisting a subterm of `size` bytes that occurs `occ` times into
/// the sharing table saves bytes: `(occ - 1) * size > occ * SHARE_REF_COST`,
/// decided exactly. In wide arithmetic, so a DAG whose occurrence counts
/// saturate (2^n copies at depth n) still shares; a saturating product on
/// both sides compared equal there, left the term unshared and made its
/// encoding exponential.
fn worth_sharing(occ: u64, size: u64) -> bool {
    occ >= 2
        && u128::from(occ - 1) * u128::from(size) > u128::from(occ) * u128::from(SHARE_REF_COST)
}

pub fn nat_bytes(n: &num_bigint::BigUint) -> Vec<u8> {
    n.to_bytes_le()
}

/// Turns hash-consed nodes into Ixon trees, telescoping applications and
/// binders through unshared nodes.
struct Builder<'n> {
    nodes: &'n [Node],
    shared: &'n [bool],
    ref_pos: &'n [u64],
    univ_pos: &'n [u64],
    share_index: Vec<Option<u64>>,
    built: Vec<Option<ExprRef>>,
}

impl Builder<'_> {
    /// The tree a parent holds for `id`: `Share` if shared, else its content.
    fn reference(&mut self, id: usize) -> ExprRef {
        if let Some(k) = self.share_index[id] {
            return Arc::new(Expr::Share(k));
        }
        self.content(id)
    }

    /// Children of the telescope rooted at `id` (head/args, types/body, ...).
    fn telescope(&self, id: usize) -> Vec<usize> {
        let continues = |c: u32, want_app: bool, want_lam: bool| {
            !self.shared[c as usize]
                && match self.nodes[c as usize] {
                    Node::App(..) => want_app,
                    Node::Lam(..) => want_lam,
                    Node::All(..) => !want_app && !want_lam,
                    _ => false,
                }
        };
        match &self.nodes[id] {
            Node::App(f, a) => {
                let mut args = vec![*a as usize];
                let mut head = *f;
                while continues(head, true, false) {
                    let Node::App(f2, a2) = self.nodes[head as usize] else {
                        break;
                    };
                    args.push(a2 as usize);
                    head = f2;
                }
                args.push(head as usize);
                args.reverse();
                args
            }
            Node::Lam(t, body) | Node::All(t, body) => {
                let is_lam = matches!(self.nodes[id], Node::Lam(..));
                let mut kids = vec![*t as usize];
                let mut body = *body;
                while continues(body, false, is_lam) {
                    match self.nodes[body as usize] {
                        Node::Lam(t2, b2) | Node::All(t2, b2) => {
                            kids.push(t2 as usize);
                            body = b2;
                        }
                        _ => break,
                    }
                }
                kids.push(body as usize);
                kids
            }
            Node::Let(_, t, v, body) => vec![*t as usize, *v as usize, *body as usize],
            Node::Prj(_, _, e) => vec![*e as usize],
            _ => Vec::new(),
        }
    }

    /// The content of `id` (never a `Share` of itself), memoized, iterative.
    fn content(&mut self, target: usize) -> ExprRef {
        let mut stack = vec![(target, false)];
        while let Some((id, expanded)) = stack.pop() {
            if self.built[id].is_some() {
                continue;
            }
            let kids = self.telescope(id);
            if !expanded {
                stack.push((id, true));
                for &k in &kids {
                    if self.share_index[k].is_none() && self.built[k].is_none() {
                        stack.push((k, false));
                    }
                }
                continue;
            }
            let mut trees: Vec<ExprRef> = kids
                .iter()
                .map(|&k| match self.share_index[k] {
                    Some(s) => Arc::new(Expr::Share(s)),
                    None => self.built[k].clone().expect("children built first"),
                })
                .collect();
            let e = match &self.nodes[id] {
                Node::Sort(u) => Expr::Sort(self.univ_pos[*u as usize]),
                Node::Var(i) => Expr::Var(*i),
                Node::Ref(r, us) => Expr::Ref(
                    self.ref_pos[*r as usize],
                    us.iter().map(|u| self.univ_pos[*u as usize]).collect(),
                ),
                Node::Rec(i, us) => {
                    Expr::Rec(*i, us.iter().map(|u| self.univ_pos[*u as usize]).collect())
                }
                Node::Prj(r, f, _) => Expr::Prj(self.ref_pos[*r as usize], *f, trees.remove(0)),
                Node::Str(r) => Expr::Str(self.ref_pos[*r as usize]),
                Node::Nat(r) => Expr::Nat(self.ref_pos[*r as usize]),
                Node::App(..) => {
                    let head = trees.remove(0);
                    Expr::App(head, trees)
                }
                Node::Lam(..) | Node::All(..) => {
                    let body = trees.pop().expect("telescope has a body");
                    if matches!(self.nodes[id], Node::Lam(..)) {
                        Expr::Lam(trees, body)
                    } else {
                        Expr::All(trees, body)
                    }
                }
                Node::Let(nd, ..) => {
                    let b = trees.pop().expect("three children");
                    let v = trees.pop().expect("three children");
                    let t = trees.pop().expect("three children");
                    Expr::Let(*nd, t, v, b)
                }
            };
            self.built[id] = Some(Arc::new(e));
        }
        self.built[target].clone().expect("target built")
    }
}

/// The metadata DAG of one declaration entry.
#[derive(Default)]
pub struct MetaBuilder {
    pub nodes: Vec<MetaNode>,
    intern: FxHashMap<MetaNode, MetaIdx>,
    memo: FxHashMap<*const LExpr, MetaIdx>,
}

pub fn binder_code(b: BinderInfo) -> u8 {
    match b {
        BinderInfo::Default => 0,
        BinderInfo::Implicit => 1,
        BinderInfo::StrictImplicit => 2,
        BinderInfo::InstImplicit => 3,
    }
}

impl MetaBuilder {
    fn intern(&mut self, node: MetaNode) -> MetaIdx {
        if let Some(i) = self.intern.get(&node) {
            return *i;
        }
        self.nodes.push(node.clone());
        let i = self.nodes.len() as MetaIdx;
        self.intern.insert(node, i);
        i
    }

    /// The metadata of `root`; `name` interns a name for the table.
    pub fn expr(&mut self, root: &LExprRef, name: &mut impl FnMut(&Name) -> u64) -> MetaIdx {
        let mut walk = PostOrder::new(root);
        while let Some(x) = walk.next(|key| self.memo.contains_key(&key)) {
            let key = x as *const LExpr;
            let kid = |this: &Self, c: &LExprRef| this.memo[&Arc::as_ptr(c)];
            let node = match x {
                LExpr::BVar(_) | LExpr::Sort(_) | LExpr::Lit(_) => None,
                LExpr::Const(n, _) => Some(MetaNode::Ref(name(n))),
                LExpr::App(f, a) => {
                    let (mf, ma) = (kid(self, f), kid(self, a));
                    (mf != 0 || ma != 0).then_some(MetaNode::App(mf, ma))
                }
                LExpr::Lam {
                    name: n,
                    info,
                    ty,
                    body,
                }
                | LExpr::Pi {
                    name: n,
                    info,
                    ty,
                    body,
                } => {
                    let (mt, mb) = (kid(self, ty), kid(self, body));
                    let plain =
                        n.is_anonymous() && *info == BinderInfo::Default && mt == 0 && mb == 0;
                    (!plain).then(|| MetaNode::Binder(name(n), binder_code(*info), mt, mb))
                }
                LExpr::Let {
                    name: n,
                    ty,
                    value,
                    body,
                    ..
                } => {
                    let (mt, mv, mb) = (kid(self, ty), kid(self, value), kid(self, body));
                    let plain = n.is_anonymous() && mt == 0 && mv == 0 && mb == 0;
                    (!plain).then(|| MetaNode::Let(name(n), mt, mv, mb))
                }
                LExpr::Proj(s, _, e) => {
                    let me = kid(self, e);
                    Some(MetaNode::Prj(name(s), me))
                }
            };
            let idx = match node {
                None => 0,
                Some(node) => self.intern(node),
            };
            self.memo.insert(key, idx);
        }
        self.memo[&Arc::as_ptr(root)]
    }
}

#[cfg(test)]
mod tests {
    use super::worth_sharing;

    #[test]
    fn sharing_is_decided_exactly_when_occurrences_saturate() {
        // 2^64 and more copies of a 10-byte subterm: sharing saves bytes.
        assert!(worth_sharing(u64::MAX, 10));
        assert!(worth_sharing(u64::MAX, u64::MAX));
        // (2 - 1) * 4 > 2 * 2 is false; (3 - 1) * 4 > 3 * 2 is true.
        assert!(!worth_sharing(2, 4));
        assert!(worth_sharing(3, 4));
        assert!(!worth_sharing(1, u64::MAX));
    }
}

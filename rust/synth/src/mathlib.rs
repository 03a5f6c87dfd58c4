//! `ix synth --like mathlib`: a library with Mathlib's proportions rather
//! than the light default's.
//!
//! What Mathlib's kernel spends its time on is elaborated algebra: lemmas
//! stated over a universe-polymorphic type `α` with a typeclass instance,
//! instances built from the instances of parent classes, and concrete
//! statements whose check unfolds a chain of instances and projections down
//! to a computation. A generated file (`Syn.M<f>.*`) holds:
//!
//! - one class: a universe-polymorphic structure `C.{u} (α : Type u)` with a
//!   binary operation `op`, a unit `e` and, unless it is a root, a parent
//!   field `toParent : P α` (a class of one of the last [`CLASS_WINDOW`]
//!   files, so hierarchies reach [`MAX_DEPTH`] levels), with its projection
//!   functions (instance-implicit `self`);
//! - an inductive family `V.{u} (α : Type u) : Nat → Type u` (vectors
//!   indexed by their length, [`crate::family`]) and `V.fold` by its
//!   recursor with the class's `op` and `e`;
//! - one instance of the class on each of the [`CARRIERS`] global carrier
//!   structures, built from the parent's instance (its `op` is the parent's
//!   `op`): the instance-style definitions that later files unfold;
//! - lemmas and definitions, by [`Mix`]: generic lemmas over `{α : Type u}
//!   [C α]` stating an equation between two trees of operations, generic
//!   lemmas proved by applying an earlier generic lemma through the parent
//!   projections, generic definitions, concrete lemmas that compute a tree of
//!   operations on literal points (the kernel unfolds the instance chain,
//!   projects, beta-reduces and adds literals), lemmas that compute with
//!   several earlier generic definitions, and "diamond" lemmas equating one
//!   tree of operations reached through two paths of the hierarchy (lazy
//!   delta reduction on both sides);
//! - the aliases those computing lemmas go through: `def inst<k> : C Pt :=
//!   C.instPt` for each class instance the file uses, and `abbrev pt<j> :=
//!   Pt<j>.mk` for the points they state as results.
//!
//! The generic lemmas are about recent classes; the computing ones reach
//! back to any class or definition of the last [`HORIZON`] files, the
//! distance drawn from a power law ([`DISTANCE_TAIL`]), which gives the
//! delta graph Mathlib's locality. The aliases keep every large term of a
//! file mentioning a constant of the file itself, so the writer can forget
//! it with the file's scope, and a class is forgotten once no live file can
//! reach it ([`MathlibGenerator::closing`]): memory stays flat in the size.
//!
//! Every parameter is a constant below, with the real figure it is fitted
//! to. Three are fitted to measurements rather than read off Mathlib: the
//! tree sizes ([`LEAVES`]) to Mathlib's ~7.5 KB of NDJSON per declaration,
//! the share of lemmas that make the kernel unfold ([`Mix`]) to nanoda's
//! ~0.65 ms per Mathlib declaration, and [`DISTANCE_TAIL`] with the
//! [`HORIZON`] that truncates the reach to the growth of Mathlib's
//! cross-shard ingress with the shard count; the horizon also bounds the
//! generator's own memory.
//! The fit, measured, is in BENCHMARKS.md ("At scale").

use crate::family::{vector_block, vector_literal};
use crate::inductive::{BlockSpec, CtorSpec, FieldType, ParamSpec, TypeFromParams, TypeSpec};
use crate::library::Generator;
use crate::prelude::{definition, definition_with, eq_at, level_one, n, nat, nat_add, refl_at};
use crate::term::*;
use crate::Closing;
use ix_base::rng::Rng;
use ix_lean::ndjson_write::{Scope, GLOBAL};
use ix_lean::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::Cell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Blocks per generated file. Mathlib's ~650k declarations come from ~7k
/// files, ~90 per file.
pub const FILE_SIZE: usize = 100;
/// Global carrier structures every class gets an instance on. Mathlib's
/// algebraic instances concentrate on a few carriers (ℕ, ℤ, ℚ, ℝ, ℂ, …).
pub const CARRIERS: usize = 3;
/// Blocks of the opening beyond the light one's: the carriers with their
/// projections, and a first root class with its two projections and
/// instances.
pub const OPENING_BLOCKS: usize = CARRIERS * (1 + CARRIER_FIELDS) + 3 + CARRIERS;
/// Fields of a carrier (`Syn.Pt<j>.mk x0 x1`): each concrete step does one
/// literal addition per field.
const CARRIER_FIELDS: usize = 2;
/// A new class extends one of the classes of the last this-many files:
/// Mathlib's `extends` mostly points a few files back in the import graph.
pub const CLASS_WINDOW: usize = 24;
/// Deepest class hierarchy: Mathlib's algebraic hierarchy (e.g. `Field` to
/// `Add` through `DivisionRing`, `Ring`, `Semiring`, …) is 10–15 deep.
pub const MAX_DEPTH: usize = 12;
/// A fresh root class (no parent) starts one file in this many.
const ROOT_EVERY: usize = 10;
/// Earlier generic lemmas that later lemmas apply.
const LEMMA_WINDOW: usize = 64;
/// Leaves of a lemma's tree of operations, uniform in this range: fitted so
/// that a declaration averages Mathlib's ~7.5 KB of NDJSON at Mathlib's
/// size (the arena's export: 4.9 GB for ~650k declarations). Smaller
/// libraries are lighter: the records' indices have fewer digits.
const LEAVES: (usize, usize) = (74, 258);
/// Variables of a lemma's telescope (`(x0 … : α)`), uniform in this range:
/// Mathlib lemmas typically bind 2–6 explicit variables.
const VARS: (usize, usize) = (2, 6);
/// Most hypotheses (`h : x_a = x_b`) of a lemma stated with some: Mathlib
/// lemmas carry 0–4 (typeclass and order side conditions).
const HYPOTHESES: usize = 4;
/// Definitions an unfolding lemma applies, uniform in this range.
const UNFOLDED: (usize, usize) = (2, 6);
/// Leaves of a generic definition's tree, uniform in this range (lighter
/// than a lemma's: several are unfolded at once).
const DEFINITION_LEAVES: (usize, usize) = (8, 40);
/// Length of the vectors a fold lemma folds, uniform in this range.
const VECTOR_LENGTH: (usize, usize) = (4, 24);
/// Recent families that fold lemmas use.
const FAMILY_WINDOW: usize = 8;
/// Literal coordinates of concrete points are below this: Mathlib's
/// numerals are small. It also bounds the results' values (sums of a
/// tree's coordinates), whose literals the writer keeps to the end.
const LITERAL_RANGE: usize = 100;
/// Concrete lemmas draw their points from this many per carrier: Mathlib's
/// concrete statements reuse a few numerals (`0`, `1`, `2`, …) over and
/// over.
const POINT_PALETTE: usize = 512;
/// Tail of the distance (in definitions or files) from an unfolding,
/// concrete or diamond lemma back to what it unfolds: `P(distance ≥ d) ∝
/// (d + 1)^-TAIL`, truncated at [`HORIZON`]. The references crossing the
/// middle of a run of `S` files then grow as `S^(1 - TAIL)`, so each level
/// of the partitioner's bisection cuts `2^TAIL` times more than the level
/// above, and each doubling of the shard count multiplies the cross-shard
/// ingress by about `2^TAIL`. Two things pull it towards ×2: the hub nets
/// (the roots' projections and instances, which every shard needs), and
/// the horizon (see there). Fitted, with the horizon, to Mathlib's ×1.41
/// per doubling (the seed's what-if report, 93.6M → 131.8M → 184.3M bytes
/// at N = 64 / 128 / 256), measured at 30% of Mathlib with the shard
/// counts that give its shards as many files as N = 64 / 128 / 256 at
/// Mathlib's size (BENCHMARKS.md, "At scale").
const DISTANCE_TAIL: f64 = 0.3;

/// How many files back a lemma reaches a class or a generic definition:
/// [`DISTANCE_TAIL`]'s power law is truncated here. A class's scope (its
/// names and handles in the writer) is retired once no live class, lemma
/// or definition can reach it, so the writer's memory stops growing a
/// little past this many files (its last descendants, born up to
/// [`MAX_DEPTH`] × [`CLASS_WINDOW`] files later, keep a root alive).
/// Fitted to two figures. The ingress growth, with [`DISTANCE_TAIL`]: at
/// Mathlib's size (~4,600 generated files) a shard of N = 64 holds ~70
/// files, and the shorter the horizon beside that, the more a shard's
/// lemmas draw the same distant classes and definitions again, so its
/// ingress stops growing with its size and the growth per doubling of N
/// rises towards ×2. And memory: a longer horizon levels the writer's
/// memory off later (384 files: by ~10% of Mathlib).
pub const HORIZON: usize = 384;
/// The shortest horizon that keeps every window's references alive: a
/// class stays in the window of recent classes for [`CLASS_WINDOW`] files,
/// and its family is folded for [`FAMILY_WINDOW`] more.
pub const MIN_HORIZON: usize = CLASS_WINDOW + FAMILY_WINDOW + 1;

/// What share of a file's non-class blocks each kind of declaration takes,
/// in percent. Mathlib is ~70% theorems; the remaining definitions here are
/// the classes' projections and instances plus the generic definitions.
/// The three kinds that make the kernel unfold instance chains (concrete,
/// on a definition, diamond: 30% together) are fitted so that nanoda spends
/// about Mathlib's ~0.65 ms per declaration (its 425 s for ~650k on the
/// arena's machine); the generic lemmas only cost inference over their
/// terms. The rest (10%) are diamond lemmas.
const MIX: [(Pick, usize); 6] = [
    (Pick::Generic, 40),
    (Pick::Fold, 5),
    (Pick::ByLemma, 15),
    (Pick::Definition, 10),
    (Pick::OnDefinition, 10),
    (Pick::Concrete, 10),
];

/// A kind of declaration in a file's non-class blocks ([`MIX`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pick {
    Generic,
    Fold,
    ByLemma,
    Definition,
    OnDefinition,
    Concrete,
    Diamond,
}

impl Pick {
    /// The kind a roll in `0..100` draws.
    fn of_roll(roll: usize) -> Pick {
        let mut cut = 0;
        for (pick, share) in MIX {
            cut += share;
            if roll < cut {
                return pick;
            }
        }
        Pick::Diamond
    }
}

type Point = [u64; CARRIER_FIELDS];

/// A generated class, with what the generator needs to evaluate its
/// operations on the carriers.
struct Class {
    name: Name,
    /// The file that declared it, and that file's class scope in the writer.
    file: usize,
    scope: Scope,
    /// The last file that may mention its constants: [`HORIZON`] files
    /// after its own, after its last generic definition's, and after its
    /// last descendant's.
    last_use: Cell<usize>,
    /// 0 for a root class, else one more than its parent's.
    depth: usize,
    parent: Option<Rc<Class>>,
    /// What the root's `op` adds to every field, per carrier: every `op` of a
    /// hierarchy is its root's.
    root_add: [u64; CARRIERS],
    /// The unit `e` of this class's instance, per carrier.
    units: [Point; CARRIERS],
    /// The `Regular` height of this class's instances.
    instance_height: u32,
}

impl Class {
    /// The ancestor `d` levels up (the root if the hierarchy is shallower).
    fn ancestor(&self, d: usize) -> &Class {
        let mut class = self;
        for _ in 0..d {
            match &class.parent {
                Some(parent) => class = parent,
                None => break,
            }
        }
        class
    }

    /// Keeps this class and its ancestors until file `last` at least.
    fn keep_until(&self, last: usize) {
        for d in 0..=self.depth {
            let class = self.ancestor(d);
            class.last_use.set(class.last_use.get().max(last));
        }
    }

    fn has_ancestor(&self, other: &Name) -> Option<usize> {
        (0..=self.depth).find(|&d| &self.ancestor(d).name == other)
    }

    fn instance(&self, carrier: usize) -> Name {
        self.name.str(&format!("instPt{carrier}"))
    }
}

/// A term tree of operations: what every lemma and definition states.
enum Tree {
    /// Variable (or literal point) number `i` of the declaration.
    Leaf(usize),
    /// The unit of the ancestor `d` levels up.
    Unit(usize),
    /// `op` of the ancestor `d` levels up, reached by `d` parent projections.
    Op(usize, Box<Tree>, Box<Tree>),
}

impl Tree {
    fn random(rng: &mut Rng, leaves: usize, vars: usize, depth: usize) -> Tree {
        if leaves <= 1 {
            return if rng.chance(0.1) {
                Tree::Unit(rng.below_by_remainder(depth + 1))
            } else {
                Tree::Leaf(rng.below_by_remainder(vars))
            };
        }
        let left = 1 + rng.below_by_remainder(leaves - 1);
        Tree::Op(
            rng.below_by_remainder(depth + 1),
            Box::new(Tree::random(rng, left, vars, depth)),
            Box::new(Tree::random(rng, leaves - left, vars, depth)),
        )
    }

    /// The value on carrier `j` with the leaves at `points`.
    fn eval(&self, class: &Class, j: usize, points: &[Point]) -> Point {
        match self {
            Tree::Leaf(i) => points.get(*i).copied().unwrap_or_default(),
            Tree::Unit(d) => class.ancestor(*d).units[j],
            Tree::Op(_, a, b) => {
                let (a, b) = (a.eval(class, j, points), b.eval(class, j, points));
                std::array::from_fn(|k| a[k] + b[k] + class.root_add[j])
            }
        }
    }

    /// The tree as the linear map its value is (every `op` adds), so a
    /// definition can be evaluated long after its tree is dropped.
    fn linear(&self, vars: usize) -> Linear {
        let mut linear = Linear {
            leaves: vec![0; vars],
            units: Vec::new(),
            ops: 0,
        };
        let mut stack = vec![self];
        while let Some(tree) = stack.pop() {
            match tree {
                Tree::Leaf(i) => {
                    if let Some(count) = linear.leaves.get_mut(*i) {
                        *count += 1;
                    }
                }
                Tree::Unit(d) => linear.units.push(*d),
                Tree::Op(_, a, b) => {
                    linear.ops += 1;
                    stack.extend([&**a, &**b]);
                }
            }
        }
        linear
    }
}

/// A tree's value: each variable's count, the units (by ancestor) and the
/// number of operations.
struct Linear {
    leaves: Vec<u64>,
    units: Vec<usize>,
    ops: u64,
}

impl Linear {
    /// What [`Tree::eval`] gives on the tree this came from.
    fn eval(&self, class: &Class, j: usize, points: &[Point]) -> Point {
        std::array::from_fn(|k| {
            let leaves: u64 = (self.leaves.iter().zip(points))
                .map(|(count, p)| count * p[k])
                .sum();
            let units: u64 = (self.units.iter())
                .map(|&d| class.ancestor(d).units[j][k])
                .sum();
            leaves + units + self.ops * class.root_add[j]
        })
    }
}

/// A generic definition, kept for the lemmas that unfold it.
struct Definition {
    name: Name,
    file: usize,
    class: Rc<Class>,
    vars: usize,
    value: Linear,
}

/// Where a tree is rendered: a class, the type `α` at universe `level`, and
/// an instance of the class on `α`.
struct At<'a> {
    class: &'a Class,
    level: LevelRef,
    alpha: Term,
    inst: Term,
}

impl<'a> At<'a> {
    /// Where terms of `class` over carrier `j` (in `Type`) render, through
    /// the instance `inst`.
    fn on_carrier(class: &'a Class, j: usize, inst: Term) -> Self {
        At {
            class,
            level: Level::zero(),
            alpha: cnst(&carrier(j), &[]),
            inst,
        }
    }

    /// The instance of the ancestor `d` levels up: `d` parent projections.
    fn instance_of(&self, d: usize) -> Term {
        let mut inst = self.inst.clone();
        let mut class = self.class;
        for _ in 0..d {
            let Some(parent) = &class.parent else { break };
            let to_parent = cnst(
                &class.name.str("toParent"),
                std::slice::from_ref(&self.level),
            );
            inst = app(to_parent, &[self.alpha.clone(), inst]);
            class = parent;
        }
        inst
    }

    fn member(&self, d: usize, field: &str, args: &[Term]) -> Term {
        let owner = cnst(
            &self.class.ancestor(d).name.str(field),
            std::slice::from_ref(&self.level),
        );
        app(app(owner, &[self.alpha.clone(), self.instance_of(d)]), args)
    }

    /// `tree` with its leaves replaced by `leaves` and each `op` at depth `d`
    /// reached at depth `path(d)`.
    fn render(&self, tree: &Tree, leaves: &[Term], path: &dyn Fn(usize) -> usize) -> Term {
        match tree {
            Tree::Leaf(i) => leaves
                .get(*i)
                .cloned()
                .unwrap_or_else(|| self.alpha.clone()),
            Tree::Unit(d) => self.member(*d, "e", &[]),
            Tree::Op(d, a, b) => {
                let (a, b) = (self.render(a, leaves, path), self.render(b, leaves, path));
                self.member(path(*d), "op", &[a, b])
            }
        }
    }
}

/// A generic lemma later lemmas apply.
struct Lemma {
    name: Name,
    scope: Scope,
    class: Rc<Class>,
    tree: Tree,
    vars: usize,
}

fn universe() -> LevelRef {
    Level::param(n("u"))
}

fn carrier(j: usize) -> Name {
    n(&format!("Syn.Pt{j}"))
}

fn point(j: usize, p: Point) -> Term {
    let fields: Vec<Term> = p.iter().map(|&x| nat_lit(x)).collect();
    app(cnst(&carrier(j).str("mk"), &[]), &fields)
}

/// `(x0 … : α) (h0 : x_a = x_b) …`: `count` variables of type `alpha`
/// (in universe `level`), then one hypothesis per pair of `hyps`.
fn vars(
    kind: BindKind,
    count: usize,
    hyps: &[(usize, usize)],
    (level, alpha): (&LevelRef, &Term),
) -> (Vec<Binder>, Vec<Term>) {
    let (mut binders, xs): (Vec<Binder>, Vec<Term>) = (0..count)
        .map(|i| Binder::new(kind, &format!("x{i}"), BinderInfo::Default, alpha.clone()))
        .unzip();
    for (k, &(a, b)) in hyps.iter().enumerate() {
        let (a, b) = (xs[a % count].clone(), xs[b % count].clone());
        let ty = eq_at(level.clone(), alpha.clone(), a, b);
        binders.push(Binder::new(kind, &format!("h{k}"), BinderInfo::Default, ty).0);
    }
    (binders, xs)
}

/// `{α : Type u} [inst : C α] (x0 … : α) (h0 : …) …`, as Pi or Lam binders.
fn generic_telescope(
    class: &Name,
    kind: BindKind,
    count: usize,
    hyps: &[(usize, usize)],
) -> (Vec<Binder>, At0) {
    let type_u = sort(Level::succ(universe()));
    let (alpha_b, alpha) = Binder::new(kind, "α", BinderInfo::Implicit, type_u);
    let class_ty = app(cnst(class, &[universe()]), std::slice::from_ref(&alpha));
    let (inst_b, inst) = Binder::new(kind, "inst", BinderInfo::InstImplicit, class_ty);
    let level = Level::succ(universe());
    let (var_bs, xs) = vars(kind, count, hyps, (&level, &alpha));
    let mut binders = vec![alpha_b, inst_b];
    binders.extend(var_bs);
    (binders, At0 { alpha, inst, xs })
}

/// The variables a generic telescope binds.
struct At0 {
    alpha: Term,
    inst: Term,
    xs: Vec<Term>,
}

impl At0 {
    /// Where terms of `class` over these variables render (in universe `u`).
    fn at<'a>(&self, class: &'a Class) -> At<'a> {
        At {
            class,
            level: universe(),
            alpha: self.alpha.clone(),
            inst: self.inst.clone(),
        }
    }
}

/// The writer's scope of file `file`'s class, projections and instances
/// (the opening's are [`GLOBAL`]): narrowed once the class leaves the
/// window, as later files still reach it through aliases and parents.
fn class_scope(file: usize) -> Scope {
    Scope::try_from(2 * file + 1).unwrap_or(Scope::MAX)
}

/// The writer's scope of the rest of file `file`: retired once no window
/// mentions it.
fn file_scope(file: usize) -> Scope {
    Scope::try_from(2 * file + 2).unwrap_or(Scope::MAX)
}

/// Generates the files of a Mathlib-like library on top of the light
/// generator's prelude, hubs and heavy theorems.
pub struct MathlibGenerator {
    pub(crate) base: Generator,
    /// Files back a lemma reaches ([`HORIZON`]; shorter in tests).
    horizon: usize,
    /// The file being generated.
    file: usize,
    /// The window of recent classes lemmas are stated about.
    classes: VecDeque<Rc<Class>>,
    /// The classes of the last `horizon` files, oldest first: concrete and
    /// diamond lemmas reach back into all of them ([`DISTANCE_TAIL`]).
    reachable_classes: VecDeque<Rc<Class>>,
    /// Every class whose scope is not retired yet.
    live_classes: Vec<Rc<Class>>,
    /// This file's aliases of instances: `(class, carrier)` to the alias.
    aliases: FxHashMap<(Scope, usize), Name>,
    /// This file's point constructors, one per carrier (none in a file too
    /// small for them).
    makers: Vec<Name>,
    /// The points concrete lemmas draw from, per carrier.
    palette: Vec<Vec<Point>>,
    lemmas: VecDeque<Lemma>,
    /// The generic definitions of the last `horizon` files, oldest first:
    /// lemmas unfold any of them ([`DISTANCE_TAIL`]).
    definitions: VecDeque<Definition>,
    /// Recent families: the class their `fold` uses, the family's name and
    /// scope.
    families: VecDeque<(Rc<Class>, Name, Scope)>,
    /// The scopes of the file being generated: its class's, and the rest's.
    class_scope: Scope,
    scope: Scope,
    /// File scopes opened and not yet retired.
    open_scopes: Vec<Scope>,
    /// Class scopes that left the window since the last file ended.
    to_narrow: Vec<Scope>,
    pub classes_made: usize,
    pub instances_made: usize,
    /// Class scopes retired so far.
    pub classes_retired: usize,
}

impl MathlibGenerator {
    /// A generator whose lemmas reach `horizon` files back (at least
    /// [`MIN_HORIZON`]).
    pub(crate) fn with_horizon(base: Generator, horizon: usize) -> MathlibGenerator {
        MathlibGenerator {
            base,
            horizon: horizon.max(MIN_HORIZON),
            file: 0,
            classes: VecDeque::new(),
            reachable_classes: VecDeque::new(),
            live_classes: Vec::new(),
            aliases: FxHashMap::default(),
            makers: Vec::new(),
            palette: Vec::new(),
            lemmas: VecDeque::new(),
            definitions: VecDeque::new(),
            families: VecDeque::new(),
            class_scope: GLOBAL,
            scope: GLOBAL,
            open_scopes: Vec::new(),
            to_narrow: Vec::new(),
            classes_made: 0,
            instances_made: 0,
            classes_retired: 0,
        }
    }

    fn rng(&mut self) -> &mut Rng {
        self.base.rng()
    }

    fn counted(&mut self, decls: Vec<Declaration>) -> Vec<Declaration> {
        for d in &decls {
            self.base.count(d);
        }
        decls
    }

    fn pick_parent(&mut self, file: usize) -> Option<Rc<Class>> {
        if file % ROOT_EVERY == ROOT_EVERY - 1 {
            return None;
        }
        for _ in 0..4 {
            let class = self.recent_class();
            if class.depth < MAX_DEPTH {
                return Some(class);
            }
        }
        None
    }

    /// A class of the window, recent ones more likely (locality).
    fn recent_class(&mut self) -> Rc<Class> {
        let len = self.classes.len();
        let back = if self.rng().chance(0.7) {
            self.rng().below_by_remainder(len.min(4))
        } else {
            self.rng().below_by_remainder(len)
        };
        Rc::clone(&self.classes[len.saturating_sub(1 + back)])
    }

    fn class_and_instances(
        &mut self,
        prefix: &Name,
        parent: Option<Rc<Class>>,
    ) -> Vec<Declaration> {
        let name = prefix.str("C");
        let rng = self.rng();
        let root_add = match &parent {
            Some(p) => p.root_add,
            None => std::array::from_fn(|_| rng.below_by_remainder(50) as u64),
        };
        let units =
            std::array::from_fn(|_| std::array::from_fn(|_| rng.below_by_remainder(100) as u64));
        let class = Rc::new(Class {
            name,
            file: self.file,
            scope: self.class_scope,
            last_use: Cell::new(0),
            depth: parent.as_ref().map_or(0, |p| p.depth + 1),
            instance_height: parent.as_ref().map_or(2, |p| p.instance_height + 1),
            parent,
            root_add,
            units,
        });
        let mut out = vec![Declaration::Inductive(
            class_spec(&class).build(&mut self.base.interner),
        )];
        out.extend(class_projections(&class, &mut self.base.interner));
        for j in 0..CARRIERS {
            out.push(instance(&class, j, &mut self.base.interner));
        }
        self.classes_made += 1;
        self.instances_made += CARRIERS;
        class.keep_until(self.file + self.horizon - 1);
        self.reachable_classes.push_back(Rc::clone(&class));
        self.live_classes.push(Rc::clone(&class));
        self.classes.push_back(class);
        if self.classes.len() > CLASS_WINDOW {
            if let Some(old) = self.classes.pop_front() {
                self.to_narrow.push(old.scope);
            }
        }
        self.counted(out)
    }

    /// The file's vector family and `V.fold.{u} {α} [C α] {n} (v : V α n) :
    /// α := V.rec e (fun a v ih => op a ih) v` for its class.
    fn family(&mut self, prefix: &Name) -> Vec<Declaration> {
        let family = prefix.str("V");
        let block = vector_block(&family, &mut self.base.interner);
        let Some(class) = self.classes.back().map(Rc::clone) else {
            return vec![Declaration::Inductive(block)];
        };
        let u = universe();
        let build = |kind| {
            let (binders, v) = generic_telescope(&class.name, kind, 0, &[]);
            let vec_of = |len: &Term| {
                app(
                    cnst(&family, std::slice::from_ref(&u)),
                    &[v.alpha.clone(), len.clone()],
                )
            };
            let (len_b, len) = Binder::new(kind, "n", BinderInfo::Implicit, nat());
            let (vec_b, vector) = Binder::new(kind, "v", BinderInfo::Default, vec_of(&len));
            let mut binders = binders;
            binders.extend([len_b, vec_b]);
            let at = v.at(&class);
            let alpha = v.alpha.clone();
            let motive = lam("a", nat(), |a| lam("t", vec_of(&a), |_| alpha.clone()));
            let step = lam_implicit("n", nat(), |n| {
                lam("a", alpha.clone(), |a| {
                    lam("v", vec_of(&n), |_| {
                        lam("ih", alpha.clone(), |ih| at.member(0, "op", &[a, ih]))
                    })
                })
            });
            let rec = cnst(&family.str("rec"), &[Level::succ(u.clone()), u.clone()]);
            let body = app(
                rec,
                &[
                    alpha.clone(),
                    motive,
                    at.member(0, "e", &[]),
                    step,
                    len,
                    vector,
                ],
            );
            (binders, alpha, body)
        };
        let d = telescope_definition(
            family.str("fold"),
            class.instance_height + 1,
            build,
            &mut self.base.interner,
        );
        self.families.push_back((class, family, self.scope));
        if self.families.len() > FAMILY_WINDOW {
            self.families.pop_front();
        }
        vec![Declaration::Inductive(block), d]
    }

    /// The file's `abbrev pt<j> : Nat → Nat → Pt<j> := Pt<j>.mk`, one per
    /// carrier, that concrete lemmas state their results with. The results
    /// are distinct points; made with a constant of the file, their records
    /// are the file's and are forgotten with it (with `Pt<j>.mk` they would
    /// be global and remembered to the end).
    fn point_makers(&mut self, prefix: &Name) -> Vec<Declaration> {
        self.makers = (0..CARRIERS)
            .map(|j| prefix.str(&format!("pt{j}")))
            .collect();
        let makers = self.makers.iter().enumerate().map(|(j, maker)| {
            let pt = cnst(&carrier(j), &[]);
            let ty = (0..CARRIER_FIELDS).fold(pt, |ty, _| pi("x", nat(), |_| ty));
            let value = cnst(&carrier(j).str("mk"), &[]);
            abbrev(
                maker.clone(),
                Vec::new(),
                &ty,
                &value,
                &mut self.base.interner,
            )
        });
        makers.collect()
    }

    /// `V.fold.{0} Pt inst k [p0, …] = value`: iota reduction on an indexed
    /// family, one `op` (an instance chain) per element.
    fn fold_lemma(&mut self, name: Name) -> Option<Declaration> {
        let len = self.families.len();
        if len == 0 {
            return None;
        }
        let fi = len - 1 - self.rng().below_by_remainder(len);
        let (class, family, _) = self.families[fi].clone();
        let j = self.rng().below_by_remainder(CARRIERS);
        let count = VECTOR_LENGTH.0
            + self
                .rng()
                .below_by_remainder(VECTOR_LENGTH.1 - VECTOR_LENGTH.0 + 1);
        let points = self.palette_points(j, count);
        let value = points.iter().rev().fold(class.units[j], |acc, p| {
            std::array::from_fn(|k| p[k] + acc[k] + class.root_add[j])
        });
        let pt = cnst(&carrier(j), &[]);
        let items: Vec<Term> = points.iter().map(|&p| point(j, p)).collect();
        let vector = vector_literal(&family, &pt, &items);
        let args = [
            pt,
            cnst(&class.instance(j), &[]),
            nat_lit(count as u64),
            vector,
        ];
        let lhs = app(cnst(&family.str("fold"), &[Level::zero()]), &args);
        Some(self.concrete_theorem(&name, j, lhs, value))
    }

    /// The next declaration (after the alias it uses, when it needs a new
    /// one and there is room for two).
    fn lemma_or_definition(
        &mut self,
        prefix: &Name,
        i: usize,
        room: usize,
    ) -> Vec<(Scope, Declaration)> {
        let mut aliases = Vec::new();
        let d = self.pick_lemma_or_definition(prefix, i, room, &mut aliases);
        let mut out: Vec<(Scope, Declaration)> =
            aliases.into_iter().map(|a| (self.scope, a)).collect();
        // Definitions are unfolded long after their file: they live with
        // the class, in the scope that is narrowed rather than retired.
        let scope = match d {
            Declaration::Definition(_) => self.class_scope,
            _ => self.scope,
        };
        out.push((scope, d));
        out
    }

    fn pick_lemma_or_definition(
        &mut self,
        prefix: &Name,
        i: usize,
        room: usize,
        aliases: &mut Vec<Declaration>,
    ) -> Declaration {
        let lemma = || prefix.str(&format!("lemma{i}"));
        let pick = Pick::of_roll(self.rng().below_by_remainder(100));
        let found = match pick {
            Pick::Generic => None,
            Pick::Fold => self.fold_lemma(prefix.str(&format!("fold{i}"))),
            Pick::ByLemma => self.lemma_by_lemma(lemma()),
            Pick::Definition => return self.generic_definition(prefix.str(&format!("def{i}"))),
            Pick::OnDefinition | Pick::Concrete | Pick::Diamond => {
                return self.lemma_on_carrier(pick, prefix, i, room, aliases)
            }
        };
        found.unwrap_or_else(|| self.generic_lemma(lemma()))
    }

    /// A lemma on a random carrier: through earlier definitions (when there
    /// are any, else concrete), concrete or a diamond; a generic lemma when
    /// the aliases it needs do not fit in `room`.
    fn lemma_on_carrier(
        &mut self,
        pick: Pick,
        prefix: &Name,
        i: usize,
        room: usize,
        aliases: &mut Vec<Declaration>,
    ) -> Declaration {
        let j = self.rng().below_by_remainder(CARRIERS);
        if pick == Pick::OnDefinition && !self.definitions.is_empty() {
            let len = self.definitions.len();
            let count = UNFOLDED.0 + self.rng().below_by_remainder(UNFOLDED.1 - UNFOLDED.0 + 1);
            let defs: Vec<usize> = (0..count)
                .map(|_| len - 1 - self.rng().power_law(DISTANCE_TAIL, len))
                .collect();
            let classes: Vec<Rc<Class>> = (defs.iter())
                .map(|&di| Rc::clone(&self.definitions[di].class))
                .collect();
            let Some(insts) = self.aliases_of(prefix, &classes, j, room, aliases) else {
                return self.generic_lemma(prefix.str(&format!("lemma{i}")));
            };
            return self.lemma_on_definitions(prefix.str(&format!("unfold{i}")), &defs, j, insts);
        }
        let concrete = pick != Pick::Diamond;
        let class = self.distant_class();
        let Some(mut insts) = self.aliases_of(prefix, &[Rc::clone(&class)], j, room, aliases)
        else {
            return self.generic_lemma(prefix.str(&format!("lemma{i}")));
        };
        let inst = insts.remove(0);
        if concrete {
            self.concrete_lemma(prefix.str(&format!("calc{i}")), &class, j, inst)
        } else {
            self.diamond_lemma(prefix.str(&format!("diamond{i}")), &class, j, inst)
        }
    }

    /// The file's aliases of `classes`' instances on carrier `j`, declaring
    /// the new ones into `decls`; `None` (and nothing declared) when they
    /// and the lemma do not fit in `room`.
    fn aliases_of(
        &mut self,
        prefix: &Name,
        classes: &[Rc<Class>],
        j: usize,
        room: usize,
        decls: &mut Vec<Declaration>,
    ) -> Option<Vec<Term>> {
        let mut new: Vec<Scope> = classes
            .iter()
            .map(|c| c.scope)
            .filter(|s| !self.aliases.contains_key(&(*s, j)))
            .collect();
        new.sort_unstable();
        new.dedup();
        if new.len() + 1 > room {
            return None;
        }
        let insts = classes
            .iter()
            .map(|class| {
                let (inst, decl) = self.alias(prefix, class, j);
                decls.extend(decl);
                inst
            })
            .collect();
        Some(insts)
    }

    /// A class `d` files back, `d` drawn from a power law ([`DISTANCE_TAIL`])
    /// truncated at the horizon.
    fn distant_class(&mut self) -> Rc<Class> {
        let len = self.reachable_classes.len();
        let back = self.rng().power_law(DISTANCE_TAIL, len);
        Rc::clone(&self.reachable_classes[len - 1 - back])
    }

    /// The file's alias of `class`'s instance on carrier `j`, as a constant,
    /// with its declaration when it is new. Terms over an old class name the
    /// alias, so they belong to this file's scope and are forgotten with it.
    fn alias(&mut self, prefix: &Name, class: &Class, j: usize) -> (Term, Option<Declaration>) {
        if let Some(name) = self.aliases.get(&(class.scope, j)) {
            return (cnst(name, &[]), None);
        }
        let name = prefix.str(&format!("inst{}", self.aliases.len()));
        self.aliases.insert((class.scope, j), name.clone());
        let ty = app(
            cnst(&class.name, &[Level::zero()]),
            &[cnst(&carrier(j), &[])],
        );
        let value = cnst(&class.instance(j), &[]);
        let d = definition_with(
            name.clone(),
            Vec::new(),
            &ty,
            &value,
            ReducibilityHints::Regular(class.instance_height + 1),
            &mut self.base.interner,
        );
        (cnst(&name, &[]), Some(d))
    }

    /// Hypotheses `x_a = x_b` of a lemma no later lemma applies (an
    /// application would need their proofs).
    fn random_hypotheses(&mut self) -> Vec<(usize, usize)> {
        let count = self.rng().below_by_remainder(HYPOTHESES + 1);
        (0..count)
            .map(|_| {
                (
                    self.rng().below_by_remainder(VARS.0),
                    self.rng().below_by_remainder(VARS.1),
                )
            })
            .collect()
    }

    fn random_shape(&mut self, depth: usize) -> (Tree, usize) {
        self.random_shape_of(depth, LEAVES)
    }

    fn random_shape_of(&mut self, depth: usize, (low, high): (usize, usize)) -> (Tree, usize) {
        let rng = self.rng();
        let vars = VARS.0 + rng.below_by_remainder(VARS.1 - VARS.0 + 1);
        let leaves = low + rng.below_by_remainder(high - low + 1);
        (Tree::random(rng, leaves, vars, depth), vars)
    }

    /// `∀ {α} [C α] xs, t = t` by `Eq.refl`: inference over the whole term.
    fn generic_lemma(&mut self, name: Name) -> Declaration {
        let class = self.recent_class();
        let (tree, count) = self.random_shape(class.depth);
        let statement = |kind| {
            let (binders, v) = generic_telescope(&class.name, kind, count, &[]);
            let at = v.at(&class);
            let t = at.render(&tree, &v.xs, &|d| d);
            (binders, v.alpha, t)
        };
        let (pi_bs, alpha, t) = statement(BindKind::Pi);
        let ty = telescope(&pi_bs, eq_at(Level::succ(universe()), alpha, t.clone(), t));
        let (lam_bs, alpha, t) = statement(BindKind::Lam);
        let value = telescope(&lam_bs, refl_at(Level::succ(universe()), alpha, t));
        let d = self.theorem(&name, vec![n("u")], &ty, &value);
        self.remember_lemma(Lemma {
            name,
            scope: self.scope,
            class,
            tree,
            vars: count,
        });
        d
    }

    fn remember_lemma(&mut self, lemma: Lemma) {
        self.lemmas.push_back(lemma);
        if self.lemmas.len() > LEMMA_WINDOW {
            self.lemmas.pop_front();
        }
    }

    /// An earlier generic lemma `L` about an ancestor of a recent class `C`,
    /// applied through `C`'s parent projections to subtrees over new
    /// variables: the kernel instantiates `L`'s type and compares.
    fn lemma_by_lemma(&mut self, name: Name) -> Option<Declaration> {
        let len = self.lemmas.len();
        if len == 0 {
            return None;
        }
        let li = len - 1 - self.rng().below_by_remainder(len);
        let lemma_class = self.lemmas[li].class.name.clone();
        let (class, d) = self
            .classes
            .iter()
            .rev()
            .find_map(|c| c.has_ancestor(&lemma_class).map(|d| (Rc::clone(c), d)))?;
        let count = VARS.0 + self.rng().below_by_remainder(VARS.1 - VARS.0 + 1);
        let lemma_vars = self.lemmas[li].vars;
        let subtrees: Vec<Tree> = (0..lemma_vars)
            .map(|_| {
                let leaves = 1 + self.rng().below_by_remainder(3);
                Tree::random(self.rng(), leaves, count, class.depth)
            })
            .collect();
        let hyps = self.random_hypotheses();
        let lemma = &self.lemmas[li];
        let build = |kind| {
            let (binders, v) = generic_telescope(&class.name, kind, count, &hyps);
            let at = v.at(&class);
            let args: Vec<Term> = subtrees
                .iter()
                .map(|s| at.render(s, &v.xs, &|d| d))
                .collect();
            let inst = at.instance_of(d);
            (binders, v.alpha, inst, args)
        };
        let (pi_bs, alpha, inst, args) = build(BindKind::Pi);
        let at_lemma = At {
            class: &lemma.class,
            level: universe(),
            alpha: alpha.clone(),
            inst,
        };
        let t = at_lemma.render(&lemma.tree, &args, &|d| d);
        let ty = telescope(&pi_bs, eq_at(Level::succ(universe()), alpha, t.clone(), t));
        let (lam_bs, alpha, inst, args) = build(BindKind::Lam);
        let proof = app(cnst(&lemma.name, &[universe()]), &[alpha, inst]);
        let value = telescope(&lam_bs, app(proof, &args));
        Some(self.theorem(&name, vec![n("u")], &ty, &value))
    }

    /// `def f.{u} {α} [C α] xs : α := t`, unfolded by later concrete lemmas.
    fn generic_definition(&mut self, name: Name) -> Declaration {
        let class = self.recent_class();
        let (tree, count) = self.random_shape_of(class.depth, DEFINITION_LEAVES);
        let build = |kind| {
            let (binders, v) = generic_telescope(&class.name, kind, count, &[]);
            let at = v.at(&class);
            (binders, v.alpha, at.render(&tree, &v.xs, &|d| d))
        };
        let d = telescope_definition(
            name.clone(),
            class.instance_height + 1,
            build,
            &mut self.base.interner,
        );
        class.keep_until(self.file + self.horizon - 1);
        self.definitions.push_back(Definition {
            name,
            file: self.file,
            class,
            value: tree.linear(count),
            vars: count,
        });
        d
    }

    fn random_points(&mut self, count: usize) -> Vec<Point> {
        (0..count)
            .map(|_| std::array::from_fn(|_| self.rng().below_by_remainder(LITERAL_RANGE) as u64))
            .collect()
    }

    /// `count` points of carrier `j`'s palette.
    fn palette_points(&mut self, j: usize, count: usize) -> Vec<Point> {
        (0..count)
            .map(|_| {
                let k = self.rng().below_by_remainder(POINT_PALETTE);
                self.palette[j][k]
            })
            .collect()
    }

    /// `t[points] = value` on a carrier, by `Eq.refl`: the kernel unfolds
    /// the instance chain of every operation (from the alias `inst` of
    /// `class`'s instance) and adds literals.
    fn concrete_lemma(&mut self, name: Name, class: &Class, j: usize, inst: Term) -> Declaration {
        let (tree, count) = self.random_shape(class.depth);
        let points = self.palette_points(j, count);
        let value = tree.eval(class, j, &points);
        let at = At::on_carrier(class, j, inst);
        let leaves: Vec<Term> = points.iter().map(|&p| point(j, p)).collect();
        let lhs = at.render(&tree, &leaves, &|d| d);
        self.concrete_theorem(&name, j, lhs, value)
    }

    /// `op (f₁.{0} Pt inst₁ points₁) (op (f₂ …) …) = value` for earlier
    /// generic definitions `fᵢ`, combined by the first one's class's `op`:
    /// the kernel unfolds each definition and its instance chain.
    fn lemma_on_definitions(
        &mut self,
        name: Name,
        defs: &[usize],
        j: usize,
        insts: Vec<Term>,
    ) -> Declaration {
        let pt = cnst(&carrier(j), &[]);
        let mut terms = Vec::new();
        let mut values = Vec::new();
        for (&di, inst) in defs.iter().zip(&insts) {
            let points = self.palette_points(j, self.definitions[di].vars);
            let def = &self.definitions[di];
            values.push(def.value.eval(&def.class, j, &points));
            let mut args = vec![pt.clone(), inst.clone()];
            args.extend(points.iter().map(|&p| point(j, p)));
            terms.push(app(cnst(&def.name, &[Level::zero()]), &args));
        }
        let first = Rc::clone(&self.definitions[defs[0]].class);
        let op = cnst(&first.name.str("op"), &[Level::zero()]);
        let add = first.root_add[j];
        let mut parts = terms.into_iter().zip(values).rev();
        let (mut lhs, mut value) = parts.next().expect("UNFOLDED.0 is at least 1");
        for (t, v) in parts {
            lhs = app(op.clone(), &[pt.clone(), insts[0].clone(), t, lhs]);
            value = std::array::from_fn(|k| v[k] + value[k] + add);
        }
        self.concrete_theorem(&name, j, lhs, value)
    }

    fn concrete_theorem(
        &mut self,
        name: &Name,
        j: usize,
        lhs: Term,
        mut value: Point,
    ) -> Declaration {
        if self.base.plant_here(name) {
            value[0] += 1;
        }
        let pt = cnst(&carrier(j), &[]);
        let result = match self.makers.get(j) {
            Some(maker) => app(cnst(maker, &[]), &value.map(nat_lit)),
            None => point(j, value),
        };
        let ty = eq_at(level_one(), pt.clone(), lhs.clone(), result);
        // `rfl` as Lean elaborates it: `@Eq.refl Pt lhs`.
        let proof = refl_at(level_one(), pt, lhs);
        self.theorem(name, Vec::new(), &ty, &proof)
    }

    /// `∀ xs : Pt, t = t'` where `t'` reaches each operation through another
    /// path of the hierarchy: lazy delta reduction unfolds both sides.
    fn diamond_lemma(&mut self, name: Name, class: &Class, j: usize, inst: Term) -> Declaration {
        let (tree, count) = self.random_shape(class.depth);
        let depth = class.depth;
        let hyps = self.random_hypotheses();
        let at = At::on_carrier(class, j, inst);
        let pt = at.alpha.clone();
        let one = level_one();
        let statement = |kind| {
            let (binders, xs) = vars(kind, count, &hyps, (&one, &pt));
            let lhs = at.render(&tree, &xs, &|d| d);
            let rhs = at.render(&tree, &xs, &|d| depth - d.min(depth));
            (binders, lhs, rhs)
        };
        let (pi_bs, lhs, rhs) = statement(BindKind::Pi);
        let ty = telescope(&pi_bs, eq_at(level_one(), pt.clone(), lhs, rhs));
        let (lam_bs, lhs, _) = statement(BindKind::Lam);
        let value = telescope(&lam_bs, refl_at(level_one(), pt.clone(), lhs));
        self.theorem(&name, Vec::new(), &ty, &value)
    }

    fn theorem(&mut self, name: &Name, levels: Vec<Name>, ty: &Term, value: &Term) -> Declaration {
        Declaration::Theorem(TheoremVal {
            cval: ConstantVal {
                name: name.clone(),
                level_params: levels,
                ty: self.base.interner.expr(ty),
            },
            value: self.base.interner.expr(value),
            all: vec![name.clone()],
        })
    }
}

/// `structure Syn.Pt<j> where x0 x1 : Nat`, with its projection functions.
fn carrier_structure(j: usize, interner: &mut Interner) -> Vec<Declaration> {
    let name = carrier(j);
    let spec = BlockSpec {
        level_params: Vec::new(),
        params: Vec::new(),
        sort_level: level_one(),
        types: vec![TypeSpec {
            name: name.clone(),
            ctors: vec![CtorSpec {
                name: name.str("mk"),
                fields: (0..CARRIER_FIELDS)
                    .map(|k| (format!("x{k}"), FieldType::External(Box::new(|_| nat()))))
                    .collect(),
            }],
        }],
    };
    let mut out = vec![Declaration::Inductive(spec.build(interner))];
    for k in 0..CARRIER_FIELDS {
        let self_ty = cnst(&name, &[]);
        let ty = pi("self", self_ty.clone(), |_| nat());
        let value = lam("self", self_ty, |s| proj(&name, k as u64, s));
        out.push(abbrev(
            name.str(&format!("x{k}")),
            Vec::new(),
            &ty,
            &value,
            interner,
        ));
    }
    out
}

/// `def name.{u} …` at `height`: its type and value are the Pi and lambda
/// telescopes `build` gives (with the type's codomain and the value's body).
fn telescope_definition(
    name: Name,
    height: u32,
    build: impl Fn(BindKind) -> (Vec<Binder>, Term, Term),
    interner: &mut Interner,
) -> Declaration {
    let (pi_binders, alpha, _) = build(BindKind::Pi);
    let (lam_binders, _, body) = build(BindKind::Lam);
    definition_with(
        name,
        vec![n("u")],
        &telescope(&pi_binders, alpha),
        &telescope(&lam_binders, body),
        ReducibilityHints::Regular(height),
        interner,
    )
}

/// A definition with `Abbrev` hints: projection functions and constructor aliases.
fn abbrev(
    name: Name,
    levels: Vec<Name>,
    ty: &Term,
    value: &Term,
    interner: &mut Interner,
) -> Declaration {
    definition_with(name, levels, ty, value, ReducibilityHints::Abbrev, interner)
}

/// The field types of a class, given `α` (and the universe `u`).
/// A field's type as a function of `α`.
type FieldOf = Rc<dyn Fn(&Term) -> Term>;

fn class_fields(class: &Class) -> Vec<(&'static str, FieldOf)> {
    let mut fields: Vec<(&'static str, FieldOf)> = Vec::new();
    if let Some(parent) = &class.parent {
        let parent = parent.name.clone();
        fields.push((
            "toParent",
            Rc::new(move |alpha| app(cnst(&parent, &[universe()]), std::slice::from_ref(alpha))),
        ));
    }
    fields.push((
        "op",
        Rc::new(|alpha| {
            let a = alpha.clone();
            pi("a", a.clone(), |_| pi("b", a.clone(), |_| a))
        }),
    ));
    fields.push(("e", Rc::new(|alpha| alpha.clone())));
    fields
}

/// `class C.{u} (α : Type u) [extends P α] where op : α → α → α; e : α`.
fn class_spec(class: &Class) -> BlockSpec {
    BlockSpec {
        level_params: vec![n("u")],
        params: vec![ParamSpec {
            name: "α".to_string(),
            ty: Box::new(|_| sort(Level::succ(universe()))),
        }],
        sort_level: Level::succ(universe()),
        types: vec![TypeSpec {
            name: class.name.clone(),
            ctors: vec![CtorSpec {
                name: class.name.str("mk"),
                fields: class_fields(class)
                    .into_iter()
                    .map(|(field, ty)| {
                        let make: TypeFromParams = Box::new(move |ps| ty(&ps[0]));
                        (field.to_string(), FieldType::External(make))
                    })
                    .collect(),
            }],
        }],
    }
}

/// `C.field.{u} : {α : Type u} → [self : C α] → …  := fun α self => self.k`.
fn class_projections(class: &Class, interner: &mut Interner) -> Vec<Declaration> {
    let type_u = || sort(Level::succ(universe()));
    let class_of = |alpha: &Term| {
        app(
            cnst(&class.name, &[universe()]),
            std::slice::from_ref(alpha),
        )
    };
    class_fields(class)
        .into_iter()
        .enumerate()
        .map(|(k, (field, field_ty))| {
            let ty = pi_implicit("α", type_u(), |alpha| {
                bind(
                    BindKind::Pi,
                    "self",
                    BinderInfo::InstImplicit,
                    class_of(&alpha),
                    |_| field_ty(&alpha),
                )
            });
            let value = lam_implicit("α", type_u(), |alpha| {
                bind(
                    BindKind::Lam,
                    "self",
                    BinderInfo::InstImplicit,
                    class_of(&alpha),
                    |s| proj(&class.name, k as u64, s),
                )
            });
            abbrev(class.name.str(field), vec![n("u")], &ty, &value, interner)
        })
        .collect()
}

/// `instance : C Pt<j>`: the parent's instance, the parent's `op` (the
/// root's: fieldwise `a + b + c`), and a unit.
fn instance(class: &Class, j: usize, interner: &mut Interner) -> Declaration {
    let pt = cnst(&carrier(j), &[]);
    let mut fields = vec![pt.clone()];
    let op = match &class.parent {
        Some(parent) => {
            fields.push(cnst(&parent.instance(j), &[]));
            let parent_op = cnst(&parent.name.str("op"), &[Level::zero()]);
            let parent_inst = cnst(&parent.instance(j), &[]);
            lam("a", pt.clone(), |a| {
                lam("b", pt.clone(), |b| {
                    app(parent_op, &[pt.clone(), parent_inst, a, b])
                })
            })
        }
        None => {
            let add = class.root_add[j];
            lam("a", pt.clone(), |a| {
                lam("b", pt.clone(), |b| {
                    let coords: Vec<Term> = (0..CARRIER_FIELDS as u64)
                        .map(|k| {
                            let sum = nat_add(
                                proj(&carrier(j), k, a.clone()),
                                proj(&carrier(j), k, b.clone()),
                            );
                            nat_add(sum, nat_lit(add))
                        })
                        .collect();
                    app(cnst(&carrier(j).str("mk"), &[]), &coords)
                })
            })
        }
    };
    fields.push(op);
    fields.push(point(j, class.units[j]));
    let name = class.instance(j);
    let ty = app(cnst(&class.name, &[Level::zero()]), &[pt]);
    let value = app(cnst(&class.name.str("mk"), &[Level::zero()]), &fields);
    definition(name, ty, value, class.instance_height, interner)
}

impl crate::Files for MathlibGenerator {
    fn base(&mut self) -> &mut crate::library::Generator {
        &mut self.base
    }

    /// The light opening, the carriers and a first root class.
    fn opening(&mut self) -> Vec<Declaration> {
        let mut out = self.base.opening();
        for j in 0..CARRIERS {
            let decls = carrier_structure(j, &mut self.base.interner);
            out.extend(self.counted(decls));
        }
        self.palette = (0..CARRIERS)
            .map(|_| self.random_points(POINT_PALETTE))
            .collect();
        let class = self.class_and_instances(&n("Syn.M"), None);
        out.extend(class);
        out
    }

    /// One file: a class with its projections and instances (when there is
    /// room), then lemmas and definitions up to `budget` blocks, each with
    /// the writer's scope it belongs to.
    fn file(&mut self, file: usize, budget: usize) -> Vec<(Scope, Declaration)> {
        let prefix = n(&format!("Syn.M{file}"));
        self.file = file;
        self.class_scope = class_scope(file);
        self.scope = file_scope(file);
        self.open_scopes.push(self.scope);
        self.aliases.clear();
        self.makers.clear();
        let mut out = Vec::new();
        if budget >= 6 + 3 * CARRIERS {
            let parent = self.pick_parent(file);
            let class = self.class_and_instances(&prefix, parent);
            out.extend(class.into_iter().map(|d| (self.class_scope, d)));
            let family = self.family(&prefix);
            out.extend(self.counted(family).into_iter().map(|d| (self.scope, d)));
            let makers = self.point_makers(&prefix);
            out.extend(self.counted(makers).into_iter().map(|d| (self.scope, d)));
        }
        let mut i = 0;
        while out.len() < budget {
            let room = budget - out.len();
            for (scope, d) in self.lemma_or_definition(&prefix, i, room) {
                self.base.count(&d);
                out.push((scope, d));
            }
            i += 1;
        }
        out
    }

    /// What the writer may forget after a file. Once a class leaves the
    /// window no large term mentions its constants any more (lemmas about
    /// it go through a later file's alias, and its children's terms through
    /// their own `toParent`), so its scope is narrowed; once no later file
    /// may reach it (its `last_use`), it is retired, with the file's generic
    /// definitions that live in it. A file scope is retired once no window
    /// (lemmas, families) mentions it.
    fn closing(&mut self) -> Vec<Closing> {
        let live: FxHashSet<Scope> = (self.lemmas.iter().map(|l| l.scope))
            .chain(self.families.iter().map(|f| f.2))
            .collect();
        let (kept, retired): (Vec<Scope>, Vec<Scope>) =
            self.open_scopes.iter().partition(|s| live.contains(s));
        self.open_scopes = kept;
        // The next file reaches back to the file `horizon - 1` before it.
        let oldest = (self.file + 2).saturating_sub(self.horizon);
        while (self.reachable_classes.front()).is_some_and(|c| c.file < oldest) {
            self.reachable_classes.pop_front();
        }
        while (self.definitions.front()).is_some_and(|d| d.file < oldest) {
            self.definitions.pop_front();
        }
        let file = self.file;
        let (dead, live_classes): (Vec<_>, Vec<_>) = (self.live_classes.drain(..))
            .partition(|c| c.last_use.get() <= file && c.scope != GLOBAL);
        self.live_classes = live_classes;
        self.classes_retired += dead.len();
        let narrowed = self.to_narrow.drain(..).map(Closing::Narrow);
        let retired_classes = dead.into_iter().map(|c| Closing::Retire(c.scope));
        narrowed
            .chain(retired.into_iter().map(Closing::Retire))
            .chain(retired_classes)
            .collect()
    }

    fn file_size(&self) -> usize {
        FILE_SIZE
    }
}

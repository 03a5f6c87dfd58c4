//! The library generator: files of about a hundred blocks, each a mix of
//! inductive types (some mutual), structures with projections, recursive
//! definitions over them, arithmetic definitions that unfold each other along
//! a local dependency DAG with a few hubs, and theorems by `Eq.refl` that make
//! the kernel unfold and compute. The generator evaluates every definition
//! itself, so each theorem states the true value.

use crate::inductive::*;
use crate::prelude::*;
use crate::term::*;
use crate::Closing;
use ix_base::rng::Rng;
use ix_lean::ndjson_write::Scope;
use ix_lean::*;
use num_bigint::BigUint;
use std::collections::VecDeque;
use std::ops::Index;

pub const FILE_SIZE: usize = 100;
const HUBS: usize = 5;
const MAX_CHAIN: u32 = 24;
/// An arithmetic step extends one of the last this-many definitions.
const ARITH_WINDOW: usize = 40;
/// Theorems evaluate values of one of the last this-many types.
const RECENT_TYPES: usize = 10;
/// A field may have one of the last this-many types.
const EARLIER_TYPES: usize = 8;
/// The most iota steps one `drain` in a heavy theorem takes.
const HEAVY_CHUNK: u64 = 10_000;

/// The last `keep` items of a sequence, addressed by their position in
/// the whole sequence (which starts at `first`): what the generator may
/// still reach, so its memory stays flat.
struct Recent<T> {
    items: VecDeque<T>,
    first: usize,
    keep: usize,
}

impl<T> Recent<T> {
    fn new(first: usize, keep: usize) -> Recent<T> {
        Recent {
            items: VecDeque::new(),
            first,
            keep,
        }
    }

    /// The position the next item gets.
    fn len(&self) -> usize {
        self.first + self.items.len()
    }

    fn push(&mut self, item: T) {
        self.items.push_back(item);
        if self.items.len() > self.keep {
            self.items.pop_front();
            self.first += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn oldest(&self) -> Option<&T> {
        self.items.front()
    }
}

impl<T> Index<usize> for Recent<T> {
    type Output = T;

    /// Panics on a forgotten position: the windows that draw positions are
    /// narrower than what is kept.
    fn index(&self, i: usize) -> &T {
        &self.items[i - self.first]
    }
}

/// A generated `Nat → Nat` definition: `g x = x + offset`.
struct Arith {
    name: Name,
    /// The file that declared it.
    file: usize,
    offset: BigUint,
    depth: u32,
    height: u32,
}

#[derive(Clone, Copy)]
enum Field {
    Nat,
    Bool,
    Member(usize),
    /// A field of an earlier generated type (by index into `types`).
    Earlier(usize),
}

/// A generated inductive type, remembered so values can be built and evaluated.
struct GenType {
    name: Name,
    file: usize,
    /// Constructors: name, fields, and the constant the recursive function adds.
    ctors: Vec<(Name, Vec<Field>, u64)>,
    /// Index of the first member of its block in `types`.
    block_start: usize,
    /// `h`, the evaluator function of this type: `T → Nat`.
    eval_fn: Name,
    /// Projection functions when this is a structure.
    projections: Vec<Name>,
}

/// The writer's scope of light file `file`.
fn file_scope(file: usize) -> Scope {
    Scope::try_from(file + 1).unwrap_or(Scope::MAX)
}

pub(crate) struct Generator {
    rng: Rng,
    pub interner: Interner,
    hubs: Vec<Arith>,
    /// The arithmetic definitions after the hubs.
    arith: Recent<Arith>,
    /// A type's evaluator reaches [`EARLIER_TYPES`] back from one of the
    /// last [`RECENT_TYPES`], the second member of a mutual pair one more.
    types: Recent<GenType>,
    /// The file being generated.
    file: usize,
    /// Files whose scope is not retired yet, oldest first.
    open_files: VecDeque<usize>,
    pub planted: Option<Name>,
    plant_at: Option<usize>,
    pub stats: Stats,
}

#[derive(Default, Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub blocks: usize,
    pub inductive_blocks: usize,
    pub mutual_blocks: usize,
    pub definitions: usize,
    pub theorems: usize,
    pub heavy: usize,
}

fn sum_terms(terms: Vec<Term>) -> Term {
    terms
        .into_iter()
        .reduce(nat_add)
        .unwrap_or_else(|| nat_lit(0u32))
}

impl Generator {
    pub fn new(seed: u64, total_blocks: usize, plant_error: bool) -> Generator {
        Generator {
            // Offset by γ, as every library since the first was drawn.
            rng: Rng::new(seed ^ ix_base::rng::GOLDEN_GAMMA),
            interner: Interner::default(),
            hubs: Vec::new(),
            arith: Recent::new(HUBS, ARITH_WINDOW),
            types: Recent::new(0, RECENT_TYPES + EARLIER_TYPES + 1),
            file: 0,
            open_files: VecDeque::new(),
            planted: None,
            plant_at: plant_error.then_some(total_blocks / 2),
            stats: Stats::default(),
        }
    }

    pub(crate) fn count(&mut self, d: &Declaration) {
        self.stats.blocks += 1;
        match d {
            Declaration::Inductive(b) => {
                self.stats.inductive_blocks += 1;
                if b.types.len() > 1 {
                    self.stats.mutual_blocks += 1;
                }
            }
            Declaration::Definition(_) => self.stats.definitions += 1,
            Declaration::Theorem(_) => self.stats.theorems += 1,
            _ => {}
        }
    }

    fn arith_definition(&mut self, name: &Name, value: Term, height: u32) -> Declaration {
        let ty = pi("x", nat(), |_| nat());
        definition(name.clone(), ty, value, height, &mut self.interner)
    }

    fn theorem(&mut self, name: Name, lhs: Term, value: BigUint) -> Declaration {
        let mut claimed = value;
        if self.plant_here(&name) {
            claimed += 1u32;
        }
        Declaration::Theorem(TheoremVal {
            cval: ConstantVal {
                name: name.clone(),
                level_params: Vec::new(),
                ty: self.interner.expr(&nat_eq(lhs, nat_lit(claimed.clone()))),
            },
            value: self.interner.expr(&nat_refl(nat_lit(claimed))),
            all: vec![name],
        })
    }

    /// Whether the theorem `name` is the one to get a wrong value: the first
    /// theorem past the planting point, when an error is to be planted.
    pub(crate) fn plant_here(&mut self, name: &Name) -> bool {
        let due = self.plant_at.is_some_and(|at| self.stats.blocks >= at);
        if due && self.planted.is_none() {
            self.planted = Some(name.clone());
            return true;
        }
        false
    }

    /// A draw from the library's random stream (one stream per seed).
    pub(crate) fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// Arithmetic definition `i`: a hub, or one of the recent ones.
    fn arith_at(&self, i: usize) -> &Arith {
        match self.hubs.get(i) {
            Some(hub) => hub,
            None => &self.arith[i],
        }
    }

    /// A heavy theorem, `Σ_k drain k c_k = Σ_k k` with `Σ c_k = steps`: one
    /// iota step per unit, in chunks that keep each reduction shallow and
    /// that no cache can share (each chunk has its own `k`).
    pub fn heavy(&mut self, index: usize, steps: u64) -> Declaration {
        let name = n(&format!("Syn.heavy{index}"));
        let chunk_count = steps.div_ceil(HEAVY_CHUNK);
        let chunks = (0..chunk_count)
            .map(|k| {
                let size = HEAVY_CHUNK.min(steps - k * HEAVY_CHUNK);
                app(cnst(&n("Syn.drain"), &[]), &[nat_lit(k), nat_lit(size)])
            })
            .collect();
        let lhs = sum_terms(chunks);
        let total =
            BigUint::from(chunk_count) * BigUint::from(chunk_count.saturating_sub(1)) / 2u32;
        let d = self.theorem(name, lhs, total);
        self.count(&d);
        self.stats.heavy += 1;
        d
    }

    /// Picks a recent arithmetic definition (locality), sometimes a hub.
    fn pick_arith(&mut self) -> Option<usize> {
        if self.hubs.is_empty() {
            return None;
        }
        if self.rng.chance(0.15) {
            return Some(self.rng.below_by_remainder(HUBS.min(self.arith.len())));
        }
        let window = self.arith.len().min(ARITH_WINDOW);
        for _ in 0..4 {
            let j = self.arith.len() - 1 - self.rng.below_by_remainder(window);
            if self.arith_at(j).depth < MAX_CHAIN {
                return Some(j);
            }
        }
        None
    }

    fn arith_step(&mut self, prefix: &Name, i: usize) -> Declaration {
        let name = prefix.str(&format!("g{i}"));
        let c = self.rng.below_by_remainder(50) as u64;
        let (value, offset, depth, height) = match self.pick_arith() {
            Some(j) => {
                let inner = self.arith_at(j);
                let inner_name = inner.name.clone();
                let (offset, depth, height) =
                    (&inner.offset + c, inner.depth + 1, inner.height + 1);
                let value = lam("x", nat(), |x| {
                    nat_add(app(cnst(&inner_name, &[]), &[x]), nat_lit(c))
                });
                (value, offset, depth, height)
            }
            None => (
                lam("x", nat(), |x| nat_add(x, nat_lit(c))),
                BigUint::from(c),
                1,
                2,
            ),
        };
        let d = self.arith_definition(&name, value, height);
        self.arith.push(Arith {
            name,
            file: self.file,
            offset,
            depth,
            height,
        });
        d
    }

    fn theorem_step(&mut self, prefix: &Name, i: usize) -> Declaration {
        let name = prefix.str(&format!("t{i}"));
        if !self.types.is_empty() && self.rng.chance(0.4) {
            let recent = self.types.len().min(RECENT_TYPES);
            let ti = self.types.len() - 1 - self.rng.below_by_remainder(recent);
            let (value_term, value) = self.build_value(ti, 2);
            let ty = &self.types[ti];
            if !ty.projections.is_empty() && self.rng.chance(0.5) {
                return self.projection_theorem(name, ti, value_term);
            }
            let lhs = app(cnst(&ty.eval_fn, &[]), &[value_term]);
            return self.theorem(name, lhs, value);
        }
        let j = self.pick_arith().unwrap_or(0);
        let arg = self.rng.below_by_remainder(1000) as u64;
        let lhs = app(cnst(&self.arith_at(j).name, &[]), &[nat_lit(arg)]);
        let value = &self.arith_at(j).offset + arg;
        self.theorem(name, lhs, value)
    }

    fn projection_theorem(&mut self, name: Name, ti: usize, value: Term) -> Declaration {
        // Structures have only Nat and Bool fields; project a Nat one.
        let (fields, projections) = {
            let t = &self.types[ti];
            (t.ctors[0].1.clone(), t.projections.clone())
        };
        let nat_field = fields
            .iter()
            .position(|f| matches!(f, Field::Nat))
            .unwrap_or(0);
        let expected = self.field_literal(ti, nat_field);
        let lhs = app(cnst(&projections[nat_field], &[]), &[value]);
        self.theorem(name, lhs, BigUint::from(expected))
    }

    /// The literal `build_value` puts in a structure's field `k`.
    fn field_literal(&self, ti: usize, k: usize) -> u64 {
        (ti as u64 * 7 + k as u64 * 3) % 20
    }

    /// A closed value of type `ti` and what its evaluator returns on it.
    fn build_value(&self, ti: usize, fuel: u32) -> (Term, BigUint) {
        let t = &self.types[ti];
        // Constructor 0 never recurses, so fuel always runs out cleanly.
        let ci = if fuel == 0 { 0 } else { t.ctors.len() - 1 };
        let (cname, fields, k) = &t.ctors[ci];
        let mut args = Vec::new();
        let mut value = BigUint::from(*k);
        for (fi, f) in fields.iter().enumerate() {
            match *f {
                Field::Nat => {
                    let lit = self.field_literal(ti, fi);
                    args.push(nat_lit(lit));
                    value += lit;
                }
                Field::Bool => args.push(cnst(&n("Bool.true"), &[])),
                Field::Member(m) => {
                    let (term, v) = self.build_value(t.block_start + m, fuel.saturating_sub(1));
                    args.push(term);
                    value += v;
                }
                Field::Earlier(e) => args.push(self.build_value(e, 0).0),
            }
        }
        (app(cnst(cname, &[]), &args), value)
    }

    fn field_type(&self, f: Field) -> FieldType {
        match f {
            Field::Nat => FieldType::External(Box::new(|_| nat())),
            Field::Bool => FieldType::External(Box::new(|_| bool_ty())),
            Field::Member(m) => FieldType::Member(m),
            Field::Earlier(e) => {
                let name = self.types[e].name.clone();
                FieldType::External(Box::new(move |_| cnst(&name, &[])))
            }
        }
    }

    fn random_fields(&mut self, members: usize, allow_recursion: bool) -> Vec<Field> {
        let count = 1 + self.rng.below_by_remainder(3);
        (0..count)
            .map(|_| match self.rng.below_by_remainder(10) {
                0..=4 => Field::Nat,
                5 | 6 => Field::Bool,
                7 if !self.types.is_empty() => Field::Earlier(
                    self.types.len()
                        - 1
                        - (self.rng).below_by_remainder(self.types.len().min(EARLIER_TYPES)),
                ),
                _ if allow_recursion => Field::Member(self.rng.below_by_remainder(members)),
                _ => Field::Nat,
            })
            .collect()
    }

    /// An inductive block (mutual with probability 1/4) and its evaluators.
    fn inductive(&mut self, prefix: &Name, i: usize, room: usize) -> Vec<Declaration> {
        let members = if room >= 4 && self.rng.chance(0.25) {
            2
        } else {
            1
        };
        let block_start = self.types.len();
        let mut specs = Vec::new();
        for m in 0..members {
            let name = prefix.str(&format!("T{i}_{m}"));
            let ctor_count = 2 + self.rng.below_by_remainder(3);
            let mut ctors = Vec::new();
            for c in 0..ctor_count {
                // Constructor 0 is a base case; the last one always recurses.
                let fields = match c {
                    0 => Vec::new(),
                    _ if c == ctor_count - 1 => {
                        let mut f = self.random_fields(members, true);
                        f.push(Field::Member((m + 1) % members));
                        f
                    }
                    _ => self.random_fields(members, true),
                };
                ctors.push((
                    name.str(&format!("c{c}")),
                    fields,
                    self.rng.below_by_remainder(10) as u64,
                ));
            }
            specs.push(GenType {
                eval_fn: prefix.str(&format!("eval{i}_{m}")),
                name,
                file: self.file,
                ctors,
                block_start,
                projections: Vec::new(),
            });
        }
        let block = BlockSpec {
            level_params: Vec::new(),
            params: Vec::new(),
            sort_level: level_one(),
            types: specs
                .iter()
                .map(|t| TypeSpec {
                    name: t.name.clone(),
                    ctors: t
                        .ctors
                        .iter()
                        .map(|(cn, fields, _)| CtorSpec {
                            name: cn.clone(),
                            fields: fields
                                .iter()
                                .enumerate()
                                .map(|(k, f)| (format!("a{k}"), self.field_type(*f)))
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        };
        let mut out = vec![Declaration::Inductive(block.build(&mut self.interner))];
        for spec in specs {
            self.types.push(spec);
        }
        for m in 0..members {
            out.push(self.evaluator(block_start, members, m));
        }
        out
    }

    /// `eval_m : T_m → Nat` by the block's recursor: each constructor adds
    /// its constant, its Nat fields and the values of its recursive fields.
    fn evaluator(&mut self, block_start: usize, members: usize, m: usize) -> Declaration {
        let block: Vec<&GenType> = (block_start..block_start + members)
            .map(|i| &self.types[i])
            .collect();
        let one = level_one();
        let mut args: Vec<Term> = block
            .iter()
            .map(|t| {
                let ty = cnst(&t.name, &[]);
                lam("t", ty, |_| nat())
            })
            .collect();
        for t in &block {
            for (_, fields, k) in &t.ctors {
                args.push(minor(fields, *k, &block, &self.types));
            }
        }
        let target = block[m];
        let rec = cnst(&target.name.str("rec"), &[one]);
        let value = lam("t", cnst(&target.name, &[]), |t| {
            let mut all = args.clone();
            all.push(t);
            app(rec.clone(), &all)
        });
        let name = target.eval_fn.clone();
        Declaration::Definition(DefinitionVal {
            cval: ConstantVal {
                name: name.clone(),
                level_params: Vec::new(),
                ty: self
                    .interner
                    .expr(&pi("t", cnst(&target.name, &[]), |_| nat())),
            },
            value: self.interner.expr(&value),
            hints: ReducibilityHints::Regular(2),
            safety: DefinitionSafety::Safe,
            all: vec![name],
        })
    }

    /// A structure (one constructor, Nat and Bool fields), its evaluator and
    /// its projection functions.
    fn structure(&mut self, prefix: &Name, i: usize, room: usize) -> Vec<Declaration> {
        let name = prefix.str(&format!("S{i}"));
        let mut fields = vec![Field::Nat];
        for _ in 0..self.rng.below_by_remainder(room.min(4) - 2) {
            fields.push(if self.rng.chance(0.5) {
                Field::Nat
            } else {
                Field::Bool
            });
        }
        let projections: Vec<Name> = (0..fields.len())
            .map(|k| name.str(&format!("f{k}")))
            .collect();
        let field_types = fields
            .iter()
            .enumerate()
            .map(|(k, f)| (format!("f{k}"), self.field_type(*f)))
            .collect();
        let block = BlockSpec::structure(&name, field_types);
        let mut out = vec![Declaration::Inductive(block.build(&mut self.interner))];
        let ti = self.types.len();
        self.types.push(GenType {
            name: name.clone(),
            file: self.file,
            ctors: vec![(name.str("mk"), fields.clone(), 1)],
            block_start: ti,
            eval_fn: prefix.str(&format!("eval{i}_0")),
            projections: projections.clone(),
        });
        out.push(self.evaluator(ti, 1, 0));
        for (k, (proj_name, f)) in projections.iter().zip(&fields).enumerate() {
            let field_ty = if matches!(f, Field::Nat) {
                nat()
            } else {
                bool_ty()
            };
            let ty = pi("self", cnst(&name, &[]), |_| field_ty);
            let value = lam("self", cnst(&name, &[]), |s| proj(&name, k as u64, s));
            out.push(Declaration::Definition(DefinitionVal {
                cval: ConstantVal {
                    name: proj_name.clone(),
                    level_params: Vec::new(),
                    ty: self.interner.expr(&ty),
                },
                value: self.interner.expr(&value),
                hints: ReducibilityHints::Abbrev,
                safety: DefinitionSafety::Safe,
                all: vec![proj_name.clone()],
            }));
        }
        out
    }
}

/// The minor premise for one constructor: `fun fields ihs => k + nat fields + ihs`.
fn minor(fields: &[Field], k: u64, block: &[&GenType], types: &Recent<GenType>) -> Term {
    let mut binders = Vec::new();
    let mut summands = vec![nat_lit(k)];
    for (fi, f) in fields.iter().enumerate() {
        let ty = match *f {
            Field::Nat => nat(),
            Field::Bool => bool_ty(),
            Field::Member(m) => cnst(&block[m].name, &[]),
            Field::Earlier(e) => cnst(&types[e].name, &[]),
        };
        let (b, v) = Binder::new(BindKind::Lam, &format!("a{fi}"), BinderInfo::Default, ty);
        binders.push(b);
        if matches!(f, Field::Nat) {
            summands.push(v);
        }
    }
    for (fi, f) in fields.iter().enumerate() {
        if matches!(f, Field::Member(_)) {
            let (b, v) = Binder::new(
                BindKind::Lam,
                &format!("a{fi}_ih"),
                BinderInfo::Default,
                nat(),
            );
            binders.push(b);
            summands.push(v);
        }
    }
    telescope(&binders, sum_terms(summands))
}

impl crate::Files for Generator {
    fn base(&mut self) -> &mut Generator {
        self
    }

    /// The prelude plus the hub definitions.
    fn opening(&mut self) -> Vec<Declaration> {
        let mut out = prelude(&mut self.interner);
        for h in 0..HUBS {
            let offset = BigUint::from(h as u64 + 1);
            let name = n(&format!("Syn.hub{h}"));
            let value = lam("x", nat(), |x| nat_add(x, nat_lit(offset.clone())));
            out.push(self.arith_definition(&name, value, 2));
            self.hubs.push(Arith {
                name,
                file: 0,
                offset,
                depth: 1,
                height: 2,
            });
        }
        for d in &out {
            self.count(d);
        }
        out
    }

    /// One file's worth of blocks (`FILE_SIZE`, or fewer at the end), each
    /// in the writer's scope of the file.
    fn file(&mut self, file: usize, budget: usize) -> Vec<(Scope, Declaration)> {
        self.file = file;
        self.open_files.push_back(file);
        let mut out = Vec::new();
        let prefix = n(&format!("Syn.F{file}"));
        let mut i = 0;
        while out.len() < budget {
            let room = budget - out.len();
            let roll = self.rng.below_by_remainder(100);
            let decls = if roll < 5 && room >= 2 {
                self.inductive(&prefix, i, room)
            } else if roll < 8 && room >= 3 {
                self.structure(&prefix, i, room)
            } else if roll < 55 {
                vec![self.arith_step(&prefix, i)]
            } else {
                vec![self.theorem_step(&prefix, i)]
            };
            for d in decls {
                self.count(&d);
                out.push((file_scope(file), d));
            }
            i += 1;
        }
        out
    }

    /// The scopes of the files no later file mentions: those older than
    /// every definition and type the windows still hold.
    fn closing(&mut self) -> Vec<Closing> {
        let held = [
            self.arith.oldest().map(|a| a.file),
            self.types.oldest().map(|t| t.file),
        ];
        let oldest = held.into_iter().flatten().min().unwrap_or(self.file + 1);
        let mut retired = Vec::new();
        while let Some(file) = self.open_files.front().copied().filter(|&f| f < oldest) {
            self.open_files.pop_front();
            retired.push(Closing::Retire(file_scope(file)));
        }
        retired
    }

    fn file_size(&self) -> usize {
        FILE_SIZE
    }
}

//! Metadata (sections 8–10): everything a decompiler needs to give back the
//! exported declarations exactly, and nothing any constant's hash covers.
//!
//! - Section 8, names: a table of name components. Entry i is a string
//!   component (kind 0: prefix, 32-byte address of a UTF-8 blob in section 5)
//!   or a numeric one (kind 1: prefix, Tag0 number). A name reference is a
//!   Tag0: 0 is the anonymous name, k is entry k − 1, and an entry's prefix
//!   refers to an earlier entry. Entries are strictly ascending by
//!   (prefix, kind, component), which is a breadth-first order and unique.
//! - Section 9, named entries: one per exported declaration, in export order
//!   (duplicates kept: this list is the declaration order, not a table).
//!   Each entry carries a local table of expression-metadata nodes and the
//!   names, level-parameter names, hints, `all` lists and the exporter's
//!   derived inductive fields for its declaration.
//! - Section 10, comments: key/value strings, strictly ascending by key (the
//!   export's `meta` header lives here).
//!
//! Expression metadata is a DAG parallel to the Lean expression: `Ref` names
//! the constant a `Ref`/`Rec` node was written with, `Binder`/`Let` carry the
//! binder name and info, `App` and `Prj` lead to their children's metadata.
//! A metadata reference is a Tag0: 0 means "nothing below here has a name"
//! (decompiled as anonymous binders with default info and synthetic constant
//! names), k is node k − 1 of the entry's table. Nodes only refer to earlier
//! nodes and are unique within an entry.

use crate::address::Address;
use crate::constant::{Constant, ConstantInfo};
use crate::env::HintCode;
use crate::error::DecodeError;
use crate::tag::{put_tag0, Cursor};
use rustc_hash::FxHashSet;

/// 0 = anonymous, k = `names[k - 1]`.
pub type NameIdx = u64;
/// 0 = no metadata, k = `nodes[k - 1]` of the entry.
pub type MetaIdx = u64;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NameEntry {
    Str { prefix: NameIdx, blob: Address },
    Num { prefix: NameIdx, n: u64 },
}

impl NameEntry {
    /// The table's sort key: (prefix, kind, component).
    fn key(&self) -> (NameIdx, u8, [u8; 32], u64) {
        match self {
            NameEntry::Str { prefix, blob } => (*prefix, 0, blob.0, 0),
            NameEntry::Num { prefix, n } => (*prefix, 1, [0; 32], *n),
        }
    }
}

/// A names table held compactly (12 bytes an entry instead of 48): what a
/// reader that keeps a large table for lookups holds.
#[derive(Debug, Default)]
pub struct NameTable {
    /// Per entry: the prefix reference, and the component: an index into
    /// `strings` or, with [`NameTable::NUM`] set, into `numbers`.
    entries: Vec<(u32, u32)>,
    /// The string components' blob addresses, each once.
    strings: Vec<Address>,
    numbers: Vec<u64>,
}

impl NameTable {
    const NUM: u32 = 1 << 31;

    /// Reads the names table (section 8) strictly, as
    /// [`Metadata::decode_names`] does.
    pub fn decode(c: &mut Cursor) -> Result<NameTable, DecodeError> {
        let mut table = NameTable::default();
        let mut string_index: rustc_hash::FxHashMap<Address, u32> = Default::default();
        Metadata::read_names(c, |count, at, entry| {
            let too_large = || DecodeError::new(at, "names table too large for this reader");
            if count >= Self::NUM as usize {
                return Err(too_large());
            }
            table.entries.reserve_exact(count - table.entries.len());
            let (prefix, component) = match entry {
                NameEntry::Str { prefix, blob } => {
                    let next = table.strings.len() as u32;
                    let index = *string_index.entry(blob).or_insert(next);
                    if index == next {
                        table.strings.push(blob);
                    }
                    (prefix, index)
                }
                NameEntry::Num { prefix, n } => {
                    table.numbers.push(n);
                    (prefix, (table.numbers.len() - 1) as u32 | Self::NUM)
                }
            };
            // A prefix is an earlier entry, so it fits as the count does.
            table.entries.push((prefix as u32, component));
            Ok(())
        })?;
        Ok(table)
    }

    /// How many entries the table has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry name reference `k` stands for (none for 0, the anonymous
    /// name, or past the table).
    pub fn get(&self, k: NameIdx) -> Option<NameEntry> {
        let &(prefix, component) = self.entries.get(usize::try_from(k).ok()?.checked_sub(1)?)?;
        let prefix = NameIdx::from(prefix);
        Some(if component & Self::NUM == 0 {
            NameEntry::Str {
                prefix,
                blob: *self.strings.get(component as usize)?,
            }
        } else {
            NameEntry::Num {
                prefix,
                n: *self.numbers.get((component & !Self::NUM) as usize)?,
            }
        })
    }

    /// The reference of the name `entry` describes (`prefix.component`),
    /// if the table has it. The table is sorted by key, so this is a binary
    /// search: a lookup needs no resolved names.
    pub fn find(&self, entry: &NameEntry) -> Option<NameIdx> {
        let key = entry.key();
        let (mut low, mut high) = (1, self.len() as NameIdx + 1);
        while low < high {
            let mid = low + (high - low) / 2;
            match self.get(mid)?.key().cmp(&key) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// The references of the entries whose prefix is `prefix` (they are
    /// consecutive: the table is sorted by prefix first).
    pub fn children(&self, prefix: NameIdx) -> std::ops::Range<NameIdx> {
        let below =
            |p: NameIdx| self.entries.partition_point(|e| NameIdx::from(e.0) < p) as NameIdx;
        below(prefix) + 1..below(prefix + 1) + 1
    }
}

/// Binder info codes: 0 default, 1 implicit, 2 strict implicit, 3 instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MetaNode {
    Ref(NameIdx),
    App(MetaIdx, MetaIdx),
    Binder(NameIdx, u8, MetaIdx, MetaIdx),
    Let(NameIdx, MetaIdx, MetaIdx, MetaIdx),
    Prj(NameIdx, MetaIdx),
}

/// Name, level-parameter names and type metadata of one constant. `levels`
/// may be longer than the constant's level count: the extra names are level
/// parameters the export used without declaring them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstMeta {
    pub name: NameIdx,
    pub levels: Vec<NameIdx>,
    pub ty: MetaIdx,
}

/// A definition, theorem or opaque; `hint` is present for definitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefnMeta {
    pub addr: Address,
    pub c: ConstMeta,
    pub value: MetaIdx,
    pub hint: Option<HintCode>,
    pub all: Vec<NameIdx>,
}

/// An inductive group: its types and constructors, members of `block`, and
/// its recursors, members of `rec_block`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InductiveMeta {
    pub block: Option<Address>,
    pub rec_block: Option<Address>,
    pub types: Vec<TypeMeta>,
    pub ctors: Vec<CtorMeta>,
    pub recs: Vec<RecMeta>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMeta {
    pub c: ConstMeta,
    pub all: Vec<NameIdx>,
    pub ctors: Vec<NameIdx>,
    pub num_nested: u64,
    pub is_rec: bool,
    pub is_reflexive: bool,
}

/// A constructor in export order, and where it sits in the Ixon block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtorMeta {
    pub c: ConstMeta,
    pub induct: NameIdx,
    pub type_idx: u64,
    pub position: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecMeta {
    pub c: ConstMeta,
    pub all: Vec<NameIdx>,
    pub rules: Vec<RuleMeta>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    pub ctor: NameIdx,
    pub rhs: MetaIdx,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclMeta {
    Axiom { addr: Address, c: ConstMeta },
    Quot { addr: Address, c: ConstMeta },
    Defn(DefnMeta),
    Inductive(InductiveMeta),
}

impl DeclMeta {
    /// The (name, address) pairs the entry declares, in the order a
    /// decompile declares them: an inductive entry's types, then its
    /// constructors, then its recursors, each at its projection address.
    pub fn declared(&self) -> Vec<(NameIdx, Address)> {
        match self {
            DeclMeta::Axiom { addr, c } | DeclMeta::Quot { addr, c } => vec![(c.name, *addr)],
            DeclMeta::Defn(d) => vec![(d.c.name, d.addr)],
            DeclMeta::Inductive(ind) => ind.declared(),
        }
    }

    /// How many of [`DeclMeta::declared`]'s pairs (the first ones) are
    /// inductive types.
    pub fn type_count(&self) -> usize {
        match self {
            DeclMeta::Inductive(ind) if ind.block.is_some() => ind.types.len(),
            _ => 0,
        }
    }
}

impl InductiveMeta {
    /// [`DeclMeta::declared`] for a group: types, constructors, recursors,
    /// each at its projection address.
    fn declared(&self) -> Vec<(NameIdx, Address)> {
        let projection = |info| Constant::bare(info).address();
        let mut out = Vec::with_capacity(self.types.len() + self.ctors.len() + self.recs.len());
        if let Some(block) = self.block {
            for (idx, t) in (0u64..).zip(&self.types) {
                out.push((t.c.name, projection(ConstantInfo::IPrj { idx, block })));
            }
            for k in &self.ctors {
                let info = ConstantInfo::CPrj {
                    idx: k.type_idx,
                    cidx: k.position,
                    block,
                };
                out.push((k.c.name, projection(info)));
            }
        }
        if let Some(block) = self.rec_block {
            for (idx, r) in (0u64..).zip(&self.recs) {
                out.push((r.c.name, projection(ConstantInfo::RPrj { idx, block })));
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclEntry {
    pub nodes: Vec<MetaNode>,
    pub decl: DeclMeta,
}

impl DeclEntry {
    /// Rewrites every name reference (used to renumber a names table).
    pub fn map_names(&mut self, f: impl Fn(NameIdx) -> NameIdx) {
        for node in &mut self.nodes {
            match node {
                MetaNode::Ref(n)
                | MetaNode::Binder(n, ..)
                | MetaNode::Let(n, ..)
                | MetaNode::Prj(n, _) => *n = f(*n),
                MetaNode::App(..) => {}
            }
        }
        let consts = |c: &mut ConstMeta| {
            c.name = f(c.name);
            c.levels.iter_mut().for_each(|l| *l = f(*l));
        };
        let list = |l: &mut Vec<NameIdx>| l.iter_mut().for_each(|n| *n = f(*n));
        match &mut self.decl {
            DeclMeta::Axiom { c, .. } | DeclMeta::Quot { c, .. } => consts(c),
            DeclMeta::Defn(d) => {
                consts(&mut d.c);
                list(&mut d.all);
            }
            DeclMeta::Inductive(ind) => {
                for t in &mut ind.types {
                    consts(&mut t.c);
                    list(&mut t.all);
                    list(&mut t.ctors);
                }
                for k in &mut ind.ctors {
                    consts(&mut k.c);
                    k.induct = f(k.induct);
                }
                for r in &mut ind.recs {
                    consts(&mut r.c);
                    list(&mut r.all);
                    r.rules.iter_mut().for_each(|rule| rule.ctor = f(rule.ctor));
                }
            }
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub names: Vec<NameEntry>,
    pub decls: Vec<DeclEntry>,
    pub comments: Vec<(String, String)>,
}

impl Metadata {
    pub fn is_empty(&self) -> bool {
        self.names.is_empty() && self.decls.is_empty() && self.comments.is_empty()
    }

    pub fn encode_names(&self, out: &mut Vec<u8>) {
        put_tag0(out, self.names.len() as u64);
        for n in &self.names {
            match n {
                NameEntry::Str { prefix, blob } => {
                    out.push(0);
                    put_tag0(out, *prefix);
                    out.extend_from_slice(&blob.0);
                }
                NameEntry::Num { prefix, n } => {
                    out.push(1);
                    put_tag0(out, *prefix);
                    put_tag0(out, *n);
                }
            }
        }
    }

    pub fn decode_names(c: &mut Cursor) -> Result<Vec<NameEntry>, DecodeError> {
        let mut names = Vec::new();
        Metadata::read_names(c, |count, _, entry| {
            names.reserve_exact(count - names.len());
            names.push(entry);
            Ok(())
        })?;
        Ok(names)
    }

    /// Reads the names table strictly: `f(count, at, entry)` for each
    /// entry, in order, with the table's entry count and the entry's offset.
    fn read_names(
        c: &mut Cursor,
        mut f: impl FnMut(usize, usize, NameEntry) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let n = c.count()?;
        let mut previous: Option<NameEntry> = None;
        for i in 0..n {
            let at = c.offset();
            let kind = c.byte()?;
            let prefix = c.tag0()?;
            if prefix > i as u64 {
                return Err(c.error_at(at, format!("name {i}: prefix {prefix} is not earlier")));
            }
            let entry = match kind {
                0 => NameEntry::Str {
                    prefix,
                    blob: c.address()?,
                },
                1 => NameEntry::Num {
                    prefix,
                    n: c.tag0()?,
                },
                k => return Err(c.error_at(at, format!("name {i}: unknown kind {k}"))),
            };
            if previous.as_ref().is_some_and(|p| p.key() >= entry.key()) {
                return Err(c.error_at(at, format!("names table not strictly ascending at {i}")));
            }
            previous = Some(entry.clone());
            f(n, at, entry)?;
        }
        Ok(())
    }

    /// Encodes one named entry: its node count, the byte length of its
    /// node table (so that an index can step over it), the table, then
    /// the declaration.
    pub fn encode_decl(entry: &DeclEntry, out: &mut Vec<u8>) {
        put_tag0(out, entry.nodes.len() as u64);
        let mut table = Vec::new();
        Metadata::encode_nodes(&entry.nodes, &mut table);
        put_tag0(out, table.len() as u64);
        out.extend_from_slice(&table);
        Metadata::encode_decl_meta(&entry.decl, out);
    }

    fn encode_nodes(nodes: &[MetaNode], out: &mut Vec<u8>) {
        for node in nodes {
            match node {
                MetaNode::Ref(n) => {
                    out.push(0);
                    put_tag0(out, *n);
                }
                MetaNode::App(f, a) => {
                    out.push(1);
                    put_all(out, &[*f, *a]);
                }
                MetaNode::Binder(n, info, t, b) => {
                    out.push(2);
                    put_tag0(out, *n);
                    out.push(*info);
                    put_all(out, &[*t, *b]);
                }
                MetaNode::Let(n, t, v, b) => {
                    out.push(3);
                    put_all(out, &[*n, *t, *v, *b]);
                }
                MetaNode::Prj(n, e) => {
                    out.push(4);
                    put_all(out, &[*n, *e]);
                }
            }
        }
    }

    fn encode_decl_meta(decl: &DeclMeta, out: &mut Vec<u8>) {
        match decl {
            DeclMeta::Axiom { addr, c } | DeclMeta::Quot { addr, c } => {
                out.push(if matches!(decl, DeclMeta::Axiom { .. }) {
                    0
                } else {
                    2
                });
                out.extend_from_slice(&addr.0);
                put_const(out, c);
            }
            DeclMeta::Defn(d) => {
                out.push(1);
                out.extend_from_slice(&d.addr.0);
                put_const(out, &d.c);
                put_tag0(out, d.value);
                put_tag0(out, d.hint.map_or(0, |h| h + 1));
                put_list(out, &d.all);
            }
            DeclMeta::Inductive(ind) => {
                out.push(3);
                encode_inductive(ind, out);
            }
        }
    }

    /// Decodes one named entry; `names` is the size of the names table.
    pub fn decode_decl(c: &mut Cursor, names: usize) -> Result<DeclEntry, DecodeError> {
        Metadata::read_decl(c, names, true)
    }

    /// Reads one named entry for its declaration alone, stepping over its
    /// node table unread (an index of a file that reads its entries again,
    /// with [`Metadata::decode_decl`], when it needs them).
    pub fn skim_decl(c: &mut Cursor, names: usize) -> Result<DeclMeta, DecodeError> {
        Ok(Metadata::read_decl(c, names, false)?.decl)
    }

    fn read_decl(c: &mut Cursor, names: usize, keep: bool) -> Result<DeclEntry, DecodeError> {
        let n = c.count()?;
        let table_at = c.offset();
        let table_len = c.count()?;
        if !keep {
            c.take(table_len)?;
            let r = Refs { names, nodes: n };
            return Ok(DeclEntry {
                nodes: Vec::new(),
                decl: Metadata::read_decl_meta(c, &r)?,
            });
        }
        let table_end = c.offset() + table_len;
        let mut nodes = Vec::with_capacity(n);
        let mut seen = FxHashSet::default();
        seen.reserve(n);
        let mut r = Refs { names, nodes: 0 };
        for i in 0..n {
            let at = c.offset();
            let node = match c.byte()? {
                0 => MetaNode::Ref(r.name(c)?),
                1 => MetaNode::App(r.node(c)?, r.node(c)?),
                2 => {
                    let name = r.name(c)?;
                    let info = c.byte()?;
                    if info > 3 {
                        return Err(c.error_at(at, format!("unknown binder info {info}")));
                    }
                    MetaNode::Binder(name, info, r.node(c)?, r.node(c)?)
                }
                3 => MetaNode::Let(r.name(c)?, r.node(c)?, r.node(c)?, r.node(c)?),
                4 => MetaNode::Prj(r.name(c)?, r.node(c)?),
                k => return Err(c.error_at(at, format!("unknown metadata node kind {k}"))),
            };
            if !seen.insert(node.clone()) {
                return Err(c.error_at(at, format!("duplicate metadata node {i}")));
            }
            nodes.push(node);
            r.nodes = i + 1;
        }
        if c.offset() != table_end {
            return Err(c.error_at(
                table_at,
                format!(
                    "node table length {table_len} does not match its nodes ({} bytes)",
                    c.offset() - (table_end - table_len)
                ),
            ));
        }
        Ok(DeclEntry {
            nodes,
            decl: Metadata::read_decl_meta(c, &r)?,
        })
    }

    /// The declaration part of an entry, its node references bounded by `r`.
    fn read_decl_meta(c: &mut Cursor, r: &Refs) -> Result<DeclMeta, DecodeError> {
        let at = c.offset();
        let decl = match c.byte()? {
            k @ (0 | 2) => {
                let addr = c.address()?;
                let cm = r.constant(c)?;
                if k == 0 {
                    DeclMeta::Axiom { addr, c: cm }
                } else {
                    DeclMeta::Quot { addr, c: cm }
                }
            }
            1 => DeclMeta::Defn(DefnMeta {
                addr: c.address()?,
                c: r.constant(c)?,
                value: r.node(c)?,
                hint: c.tag0()?.checked_sub(1),
                all: r.list(c)?,
            }),
            3 => DeclMeta::Inductive(decode_inductive(c, r)?),
            k => return Err(c.error_at(at, format!("unknown declaration kind {k}"))),
        };
        Ok(decl)
    }

    pub fn encode_comments(&self, out: &mut Vec<u8>) {
        put_tag0(out, self.comments.len() as u64);
        for (k, v) in &self.comments {
            for s in [k, v] {
                put_tag0(out, s.len() as u64);
                out.extend_from_slice(s.as_bytes());
            }
        }
    }

    pub fn decode_comments(c: &mut Cursor) -> Result<Vec<(String, String)>, DecodeError> {
        let n = c.count()?;
        let mut out: Vec<(String, String)> = Vec::with_capacity(n);
        for _ in 0..n {
            let at = c.offset();
            let k = string(c)?;
            let v = string(c)?;
            if out.last().is_some_and(|(pk, _)| *pk >= k) {
                return Err(c.error_at(at, "comments not strictly ascending by key"));
            }
            out.push((k, v));
        }
        Ok(out)
    }
}

fn string(c: &mut Cursor) -> Result<String, DecodeError> {
    let at = c.offset();
    let n = c.count()?;
    let bytes = c.take(n)?;
    String::from_utf8(bytes.to_vec()).map_err(|_| c.error_at(at, "comment is not UTF-8"))
}

fn put_all(out: &mut Vec<u8>, values: &[u64]) {
    for v in values {
        put_tag0(out, *v);
    }
}

fn put_list(out: &mut Vec<u8>, values: &[u64]) {
    put_tag0(out, values.len() as u64);
    put_all(out, values);
}

fn put_const(out: &mut Vec<u8>, c: &ConstMeta) {
    put_tag0(out, c.name);
    put_list(out, &c.levels);
    put_tag0(out, c.ty);
}

fn put_opt_addr(out: &mut Vec<u8>, a: &Option<Address>) {
    match a {
        None => out.push(0),
        Some(a) => {
            out.push(1);
            out.extend_from_slice(&a.0);
        }
    }
}

/// A Tag0 reference, refused past `bound` (the `what` of the message).
fn at_most(c: &mut Cursor, bound: usize, what: &str) -> Result<u64, DecodeError> {
    let at = c.offset();
    let n = c.tag0()?;
    if n > bound as u64 {
        return Err(c.error_at(at, format!("{what} {n} out of range")));
    }
    Ok(n)
}

/// Bounds for references inside one entry.
struct Refs {
    names: usize,
    nodes: usize,
}

impl Refs {
    fn name(&self, c: &mut Cursor) -> Result<NameIdx, DecodeError> {
        at_most(c, self.names, "name reference")
    }

    fn node(&self, c: &mut Cursor) -> Result<MetaIdx, DecodeError> {
        at_most(c, self.nodes, "metadata reference")
    }

    fn list(&self, c: &mut Cursor) -> Result<Vec<NameIdx>, DecodeError> {
        c.counted(|c| self.name(c))
    }

    fn constant(&self, c: &mut Cursor) -> Result<ConstMeta, DecodeError> {
        Ok(ConstMeta {
            name: self.name(c)?,
            levels: self.list(c)?,
            ty: self.node(c)?,
        })
    }
}

fn opt_addr(c: &mut Cursor) -> Result<Option<Address>, DecodeError> {
    let at = c.offset();
    match c.byte()? {
        0 => Ok(None),
        1 => Ok(Some(c.address()?)),
        b => Err(c.error_at(at, format!("bad option byte {b}"))),
    }
}

fn encode_inductive(ind: &InductiveMeta, out: &mut Vec<u8>) {
    put_opt_addr(out, &ind.block);
    put_opt_addr(out, &ind.rec_block);
    put_tag0(out, ind.types.len() as u64);
    for t in &ind.types {
        put_const(out, &t.c);
        put_list(out, &t.all);
        put_list(out, &t.ctors);
        put_tag0(out, t.num_nested);
        out.push(u8::from(t.is_rec) | (u8::from(t.is_reflexive) << 1));
    }
    put_tag0(out, ind.ctors.len() as u64);
    for k in &ind.ctors {
        put_const(out, &k.c);
        put_all(out, &[k.induct, k.type_idx, k.position]);
    }
    put_tag0(out, ind.recs.len() as u64);
    for r in &ind.recs {
        put_const(out, &r.c);
        put_list(out, &r.all);
        put_tag0(out, r.rules.len() as u64);
        for rule in &r.rules {
            put_all(out, &[rule.ctor, rule.rhs]);
        }
    }
}

fn decode_inductive(c: &mut Cursor, r: &Refs) -> Result<InductiveMeta, DecodeError> {
    Ok(InductiveMeta {
        block: opt_addr(c)?,
        rec_block: opt_addr(c)?,
        types: c.counted(|c| decode_type(c, r))?,
        ctors: c.counted(|c| {
            Ok(CtorMeta {
                c: r.constant(c)?,
                induct: r.name(c)?,
                type_idx: c.tag0()?,
                position: c.tag0()?,
            })
        })?,
        recs: c.counted(|c| {
            Ok(RecMeta {
                c: r.constant(c)?,
                all: r.list(c)?,
                rules: c.counted(|c| {
                    Ok(RuleMeta {
                        ctor: r.name(c)?,
                        rhs: r.node(c)?,
                    })
                })?,
            })
        })?,
    })
}

fn decode_type(c: &mut Cursor, r: &Refs) -> Result<TypeMeta, DecodeError> {
    let cm = r.constant(c)?;
    let all = r.list(c)?;
    let ctors = r.list(c)?;
    let num_nested = c.tag0()?;
    let at = c.offset();
    let f = c.byte()?;
    if f > 3 {
        return Err(c.error_at(at, format!("unknown inductive flags {f:#x}")));
    }
    Ok(TypeMeta {
        c: cm,
        all,
        ctors,
        num_nested,
        is_rec: f & 1 != 0,
        is_reflexive: f & 2 != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An axiom `Name 1 : node 1`, with a binder node over a reference.
    fn entry() -> DeclEntry {
        DeclEntry {
            nodes: vec![MetaNode::Ref(2), MetaNode::Binder(1, 0, 1, 1)],
            decl: DeclMeta::Axiom {
                addr: Address::hash(b"axiom"),
                c: ConstMeta {
                    name: 1,
                    levels: vec![],
                    ty: 2,
                },
            },
        }
    }

    #[test]
    fn a_skim_steps_over_the_node_table_and_a_decode_checks_its_length() {
        let mut bytes = Vec::new();
        Metadata::encode_decl(&entry(), &mut bytes);
        // Node count 2, then the table's length: Ref (2 bytes) + Binder (5).
        assert_eq!(bytes[..2], [2, 7]);
        let decoded = Metadata::decode_decl(&mut Cursor::new(&bytes, 0), 2).unwrap();
        assert_eq!(decoded, entry());
        let mut c = Cursor::new(&bytes, 0);
        assert_eq!(Metadata::skim_decl(&mut c, 2).unwrap(), entry().decl);
        c.expect_end().unwrap();

        for wrong in [6, 8] {
            let mut bad = bytes.clone();
            bad[1] = wrong;
            let e = Metadata::decode_decl(&mut Cursor::new(&bad, 0), 2).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with(&format!("byte 1: node table length {wrong} does not match")),
                "{e}"
            );
        }
        // A skim still range-checks the declaration's references.
        let mut out_of_range = bytes.clone();
        let last = out_of_range.len() - 1;
        out_of_range[last] = 3;
        let e = Metadata::skim_decl(&mut Cursor::new(&out_of_range, 0), 2).unwrap_err();
        assert!(
            e.to_string().contains("metadata reference 3 out of range"),
            "{e}"
        );
    }
}

//! Constants: standalone (`Tag4(0xD, variant)`), mutual blocks
//! (`Tag4(0xC, n)`), and projections into blocks.
//!
//! Byte order of a constant: header tag, info payload, then the `sharing`
//! table (Tag0 count + expressions), the `refs` table (Tag0 count + 32-byte
//! addresses) and the `univs` table (Tag0 count + universes).
//!
//! Canonical rules the decoder enforces (docs/IXON.md §4):
//! - `refs`: strictly ascending addresses, every entry used.
//! - `univs`: strictly ascending by encoded bytes, every entry used.
//! - `sharing`: entry i refers only to entries j < i; entries are strictly
//!   ascending by (share height, blake3 of the entry's bytes), where the
//!   height is 0 for an entry with no `Share` inside and otherwise one more
//!   than the highest entry it refers to; every entry used.
//! - `Rec` only inside a mutual block, with an index below its member count.
//! - projections have empty tables; flag bytes have no unknown bits.

use crate::address::Address;
use crate::error::DecodeError;
use crate::expr::{Expr, ExprRef};
use crate::tag::{put_tag0, put_tag4, Cursor};
use crate::univ::{Univ, UnivRef};

pub const STANDALONE_FLAG: u8 = 0xD;
pub const BLOCK_FLAG: u8 = 0xC;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DefKind {
    Definition,
    Theorem,
    Opaque,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Safety {
    Unsafe,
    Safe,
    Partial,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuotKind {
    Type,
    Ctor,
    Lift,
    Ind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defn {
    pub kind: DefKind,
    pub safety: Safety,
    pub lvls: u64,
    pub ty: ExprRef,
    pub value: ExprRef,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecrRule {
    pub fields: u64,
    pub rhs: ExprRef,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recr {
    pub k: bool,
    pub is_unsafe: bool,
    pub lvls: u64,
    pub params: u64,
    pub indices: u64,
    pub motives: u64,
    pub minors: u64,
    pub ty: ExprRef,
    pub rules: Vec<RecrRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Axio {
    pub is_unsafe: bool,
    pub lvls: u64,
    pub ty: ExprRef,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quot {
    pub kind: QuotKind,
    pub lvls: u64,
    pub ty: ExprRef,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ctor {
    pub is_unsafe: bool,
    pub lvls: u64,
    pub cidx: u64,
    pub params: u64,
    pub fields: u64,
    pub ty: ExprRef,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indc {
    pub is_unsafe: bool,
    pub lvls: u64,
    pub params: u64,
    pub indices: u64,
    pub ty: ExprRef,
    pub ctors: Vec<Ctor>,
}

/// One entry of a mutual block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    Defn(Defn),
    Indc(Indc),
    Recr(Recr),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstantInfo {
    Defn(Defn),
    Recr(Recr),
    Axio(Axio),
    Quot(Quot),
    /// Constructor `cidx` of inductive member `idx` of `block`.
    CPrj {
        idx: u64,
        cidx: u64,
        block: Address,
    },
    RPrj {
        idx: u64,
        block: Address,
    },
    IPrj {
        idx: u64,
        block: Address,
    },
    DPrj {
        idx: u64,
        block: Address,
    },
    Muts(Vec<Member>),
}

impl ConstantInfo {
    pub fn is_projection(&self) -> bool {
        matches!(
            self,
            ConstantInfo::CPrj { .. }
                | ConstantInfo::RPrj { .. }
                | ConstantInfo::IPrj { .. }
                | ConstantInfo::DPrj { .. }
        )
    }

    /// Every expression of the info, in serialization order.
    pub fn exprs(&self) -> Vec<&ExprRef> {
        fn recr<'r>(r: &'r Recr, out: &mut Vec<&'r ExprRef>) {
            out.push(&r.ty);
            out.extend(r.rules.iter().map(|rule| &rule.rhs));
        }
        let mut out = Vec::new();
        match self {
            ConstantInfo::Defn(d) => out.extend([&d.ty, &d.value]),
            ConstantInfo::Recr(r) => recr(r, &mut out),
            ConstantInfo::Axio(a) => out.push(&a.ty),
            ConstantInfo::Quot(q) => out.push(&q.ty),
            ConstantInfo::Muts(ms) => {
                for m in ms {
                    match m {
                        Member::Defn(d) => out.extend([&d.ty, &d.value]),
                        Member::Recr(r) => recr(r, &mut out),
                        Member::Indc(i) => {
                            out.push(&i.ty);
                            out.extend(i.ctors.iter().map(|c| &c.ty));
                        }
                    }
                }
            }
            _ => {}
        }
        out
    }
}

/// A constant with its tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constant {
    pub info: ConstantInfo,
    pub sharing: Vec<ExprRef>,
    pub refs: Vec<Address>,
    pub univs: Vec<UnivRef>,
}

impl Constant {
    /// A constant without tables (projections).
    pub fn bare(info: ConstantInfo) -> Constant {
        Constant {
            info,
            sharing: Vec::new(),
            refs: Vec::new(),
            univs: Vec::new(),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    pub fn address(&self) -> Address {
        Address::hash(&self.to_bytes())
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        match &self.info {
            ConstantInfo::Muts(members) => {
                put_tag4(out, BLOCK_FLAG, members.len() as u64);
                for m in members {
                    match m {
                        Member::Defn(d) => {
                            out.push(0);
                            encode_defn(d, out);
                        }
                        Member::Indc(i) => {
                            out.push(1);
                            encode_indc(i, out);
                        }
                        Member::Recr(r) => {
                            out.push(2);
                            encode_recr(r, out);
                        }
                    }
                }
            }
            info => encode_standalone(info, out),
        }
        put_tag0(out, self.sharing.len() as u64);
        for e in &self.sharing {
            e.encode(out);
        }
        put_tag0(out, self.refs.len() as u64);
        for a in &self.refs {
            out.extend_from_slice(&a.0);
        }
        put_tag0(out, self.univs.len() as u64);
        for u in &self.univs {
            u.encode(out);
        }
    }

    /// Whether `bytes` encode a projection, read off the header alone (the
    /// standalone variants 4–7), so a reader can tell the small projections
    /// from the blocks without decoding the blocks.
    pub fn encodes_projection(bytes: &[u8]) -> bool {
        matches!(Cursor::new(bytes, 0).tag4(), Ok((STANDALONE_FLAG, 4..=7)))
    }

    /// Decodes and validates a whole constant; `base` is its file offset.
    pub fn decode(bytes: &[u8], base: usize) -> Result<Constant, DecodeError> {
        let mut c = Cursor::new(bytes, base);
        let at = c.offset();
        let (flag, size) = c.tag4()?;
        let info = match flag {
            BLOCK_FLAG => {
                if size > c.remaining() as u64 {
                    return Err(c.error_at(at, format!("block of {size} members exceeds the data")));
                }
                let n = size as usize;
                let mut members = Vec::with_capacity(n);
                for _ in 0..n {
                    let kind_at = c.offset();
                    members.push(match c.byte()? {
                        0 => Member::Defn(decode_defn(&mut c)?),
                        1 => Member::Indc(decode_indc(&mut c)?),
                        2 => Member::Recr(decode_recr(&mut c)?),
                        k => {
                            return Err(
                                c.error_at(kind_at, format!("unknown block member kind {k}"))
                            )
                        }
                    });
                }
                if members.is_empty() {
                    return Err(c.error_at(at, "empty mutual block"));
                }
                ConstantInfo::Muts(members)
            }
            STANDALONE_FLAG => decode_standalone(&mut c, size, at)?,
            other => return Err(c.error_at(at, format!("not a constant: tag flag {other:#x}"))),
        };
        let sharing_at = c.offset();
        let n = c.count()?;
        let mut sharing = Vec::with_capacity(n);
        let mut spans = Vec::with_capacity(n);
        for _ in 0..n {
            let start = c.position();
            sharing.push(Expr::decode(&mut c)?);
            spans.push((start, c.position()));
        }
        let refs_at = c.offset();
        let n = c.tag0()?;
        if n.saturating_mul(32) > c.remaining() as u64 {
            return Err(c.error_at(
                refs_at,
                format!("refs count {n} exceeds the remaining data"),
            ));
        }
        let refs = (0..n).map(|_| c.address()).collect::<Result<Vec<_>, _>>()?;
        if refs.windows(2).any(|w| w[0] >= w[1]) {
            return Err(c.error_at(refs_at, "refs table is not strictly ascending"));
        }
        let univs_at = c.offset();
        let univs = c.counted(Univ::decode)?;
        let univ_bytes: Vec<Vec<u8>> = univs.iter().map(|u| u.to_bytes()).collect();
        if univ_bytes.windows(2).any(|w| w[0] >= w[1]) {
            return Err(c.error_at(univs_at, "univs table is not strictly ascending"));
        }
        c.expect_end()?;
        let constant = Constant {
            info,
            sharing,
            refs,
            univs,
        };
        if constant.info.is_projection()
            && !(constant.sharing.is_empty()
                && constant.refs.is_empty()
                && constant.univs.is_empty())
        {
            return Err(c.error_at(at, "a projection must have empty tables"));
        }
        let entry_bytes: Vec<&[u8]> = spans.iter().map(|&(s, e)| &bytes[s..e]).collect();
        constant.check_tables(&entry_bytes).map_err(|m| {
            c.error_at(
                if m.starts_with("sharing") {
                    sharing_at
                } else {
                    at
                },
                m,
            )
        })?;
        Ok(constant)
    }

    /// Index bounds, usage of every table entry, and the sharing order.
    fn check_tables(&self, entry_bytes: &[&[u8]]) -> Result<(), String> {
        let mut usage = Usage {
            rec_limit: match &self.info {
                ConstantInfo::Muts(ms) => ms.len() as u64,
                _ => 0,
            },
            refs: vec![false; self.refs.len()],
            univs: vec![false; self.univs.len()],
            shares: vec![false; self.sharing.len()],
            heights: Vec::with_capacity(self.sharing.len()),
        };
        let mut previous: Option<(u64, Address)> = None;
        for (i, entry) in self.sharing.iter().enumerate() {
            let key = (
                usage.visit(entry, i)?.unwrap_or(0),
                Address::hash(entry_bytes[i]),
            );
            if previous.is_some_and(|p| p >= key) {
                return Err(format!("sharing entry {i} is out of canonical order"));
            }
            previous = Some(key);
            usage.heights.push(key.0);
        }
        for root in self.info.exprs() {
            usage.visit(root, self.sharing.len())?;
        }
        for (table, used) in [
            ("sharing", &usage.shares),
            ("refs", &usage.refs),
            ("univs", &usage.univs),
        ] {
            if let Some(i) = used.iter().position(|u| !u) {
                return Err(format!("{table} entry {i} is never used"));
            }
        }
        Ok(())
    }
}

/// Marks entry `i` of the table named `table` as used.
fn mark_used(used: &mut [bool], i: u64, table: &str) -> Result<(), String> {
    let slot = used
        .get_mut(i as usize)
        .ok_or(format!("{table} index {i} out of range"))?;
    *slot = true;
    Ok(())
}

/// Which table entries the expressions use, and the share heights so far.
struct Usage {
    rec_limit: u64,
    refs: Vec<bool>,
    univs: Vec<bool>,
    shares: Vec<bool>,
    heights: Vec<u64>,
}

impl Usage {
    fn univ(&mut self, u: u64) -> Result<(), String> {
        mark_used(&mut self.univs, u, "univs")
    }

    fn reference(&mut self, r: u64) -> Result<(), String> {
        mark_used(&mut self.refs, r, "refs")
    }

    /// Checks one tree (shares not expanded); returns its share height
    /// (`None` when it contains no `Share`).
    fn visit(&mut self, root: &ExprRef, share_limit: usize) -> Result<Option<u64>, String> {
        let mut height: Option<u64> = None;
        let mut stack: Vec<&Expr> = vec![root];
        while let Some(e) = stack.pop() {
            match e {
                Expr::Sort(u) => self.univ(*u)?,
                Expr::Ref(r, us) => {
                    self.reference(*r)?;
                    us.iter().try_for_each(|u| self.univ(*u))?;
                }
                Expr::Rec(r, us) => {
                    if *r >= self.rec_limit {
                        return Err(format!(
                            "Rec index {r} outside a block of {}",
                            self.rec_limit
                        ));
                    }
                    us.iter().try_for_each(|u| self.univ(*u))?;
                }
                Expr::Prj(r, ..) | Expr::Str(r) | Expr::Nat(r) => self.reference(*r)?,
                Expr::Share(i) => {
                    let i = *i as usize;
                    if i >= share_limit {
                        return Err(format!("sharing index {i} out of range here"));
                    }
                    self.shares[i] = true;
                    let h = self.heights.get(i).map_or(0, |h| h + 1);
                    height = Some(height.map_or(h, |cur| cur.max(h)));
                }
                Expr::Var(_) | Expr::App(..) | Expr::Lam(..) | Expr::All(..) | Expr::Let(..) => {}
            }
            e.for_each_child(|c| stack.push(c));
        }
        Ok(height)
    }
}

fn encode_defn(d: &Defn, out: &mut Vec<u8>) {
    let kind = match d.kind {
        DefKind::Definition => 0,
        DefKind::Theorem => 1,
        DefKind::Opaque => 2,
    };
    let safety = match d.safety {
        Safety::Unsafe => 0,
        Safety::Safe => 1,
        Safety::Partial => 2,
    };
    out.push((kind << 2) | safety);
    put_tag0(out, d.lvls);
    d.ty.encode(out);
    d.value.encode(out);
}

fn decode_defn(c: &mut Cursor) -> Result<Defn, DecodeError> {
    let at = c.offset();
    let b = c.byte()?;
    let kind = match b >> 2 {
        0 => DefKind::Definition,
        1 => DefKind::Theorem,
        2 => DefKind::Opaque,
        _ => return Err(c.error_at(at, format!("bad definition kind byte {b:#x}"))),
    };
    let safety = match b & 3 {
        0 => Safety::Unsafe,
        1 => Safety::Safe,
        2 => Safety::Partial,
        _ => return Err(c.error_at(at, format!("bad definition safety byte {b:#x}"))),
    };
    Ok(Defn {
        kind,
        safety,
        lvls: c.tag0()?,
        ty: Expr::decode(c)?,
        value: Expr::decode(c)?,
    })
}

/// Reads a flags byte that may only use the low `bits` bits.
fn flags(c: &mut Cursor, bits: u32) -> Result<u8, DecodeError> {
    let at = c.offset();
    let b = c.byte()?;
    if u32::from(b) >> bits != 0 {
        return Err(c.error_at(at, format!("unknown flag bits in {b:#x}")));
    }
    Ok(b)
}

fn encode_recr(r: &Recr, out: &mut Vec<u8>) {
    out.push(u8::from(r.k) | (u8::from(r.is_unsafe) << 1));
    for n in [r.lvls, r.params, r.indices, r.motives, r.minors] {
        put_tag0(out, n);
    }
    r.ty.encode(out);
    put_tag0(out, r.rules.len() as u64);
    for rule in &r.rules {
        put_tag0(out, rule.fields);
        rule.rhs.encode(out);
    }
}

fn decode_recr(c: &mut Cursor) -> Result<Recr, DecodeError> {
    let f = flags(c, 2)?;
    let (lvls, params, indices, motives, minors) =
        (c.tag0()?, c.tag0()?, c.tag0()?, c.tag0()?, c.tag0()?);
    let ty = Expr::decode(c)?;
    let rules = c.counted(|c| {
        Ok(RecrRule {
            fields: c.tag0()?,
            rhs: Expr::decode(c)?,
        })
    })?;
    Ok(Recr {
        k: f & 1 != 0,
        is_unsafe: f & 2 != 0,
        lvls,
        params,
        indices,
        motives,
        minors,
        ty,
        rules,
    })
}

fn encode_indc(i: &Indc, out: &mut Vec<u8>) {
    out.push(u8::from(i.is_unsafe));
    for n in [i.lvls, i.params, i.indices] {
        put_tag0(out, n);
    }
    i.ty.encode(out);
    put_tag0(out, i.ctors.len() as u64);
    for ctor in &i.ctors {
        out.push(u8::from(ctor.is_unsafe));
        for n in [ctor.lvls, ctor.cidx, ctor.params, ctor.fields] {
            put_tag0(out, n);
        }
        ctor.ty.encode(out);
    }
}

fn decode_indc(c: &mut Cursor) -> Result<Indc, DecodeError> {
    let is_unsafe = flags(c, 1)? != 0;
    let (lvls, params, indices) = (c.tag0()?, c.tag0()?, c.tag0()?);
    let ty = Expr::decode(c)?;
    let ctors = c.counted(|c| {
        Ok(Ctor {
            is_unsafe: flags(c, 1)? != 0,
            lvls: c.tag0()?,
            cidx: c.tag0()?,
            params: c.tag0()?,
            fields: c.tag0()?,
            ty: Expr::decode(c)?,
        })
    })?;
    Ok(Indc {
        is_unsafe,
        lvls,
        params,
        indices,
        ty,
        ctors,
    })
}

fn encode_standalone(info: &ConstantInfo, out: &mut Vec<u8>) {
    match info {
        ConstantInfo::Defn(d) => {
            put_tag4(out, STANDALONE_FLAG, 0);
            encode_defn(d, out);
        }
        ConstantInfo::Recr(r) => {
            put_tag4(out, STANDALONE_FLAG, 1);
            encode_recr(r, out);
        }
        ConstantInfo::Axio(a) => {
            put_tag4(out, STANDALONE_FLAG, 2);
            out.push(u8::from(a.is_unsafe));
            put_tag0(out, a.lvls);
            a.ty.encode(out);
        }
        ConstantInfo::Quot(q) => {
            put_tag4(out, STANDALONE_FLAG, 3);
            out.push(match q.kind {
                QuotKind::Type => 0,
                QuotKind::Ctor => 1,
                QuotKind::Lift => 2,
                QuotKind::Ind => 3,
            });
            put_tag0(out, q.lvls);
            q.ty.encode(out);
        }
        ConstantInfo::CPrj { idx, cidx, block } => {
            put_tag4(out, STANDALONE_FLAG, 4);
            put_tag0(out, *idx);
            put_tag0(out, *cidx);
            out.extend_from_slice(&block.0);
        }
        ConstantInfo::RPrj { idx, block }
        | ConstantInfo::IPrj { idx, block }
        | ConstantInfo::DPrj { idx, block } => {
            let variant = match info {
                ConstantInfo::RPrj { .. } => 5,
                ConstantInfo::IPrj { .. } => 6,
                _ => 7,
            };
            put_tag4(out, STANDALONE_FLAG, variant);
            put_tag0(out, *idx);
            out.extend_from_slice(&block.0);
        }
        ConstantInfo::Muts(_) => unreachable!("blocks are encoded by Constant::encode"),
    }
}

fn decode_standalone(c: &mut Cursor, variant: u64, at: usize) -> Result<ConstantInfo, DecodeError> {
    Ok(match variant {
        0 => ConstantInfo::Defn(decode_defn(c)?),
        1 => ConstantInfo::Recr(decode_recr(c)?),
        2 => {
            let is_unsafe = flags(c, 1)? != 0;
            ConstantInfo::Axio(Axio {
                is_unsafe,
                lvls: c.tag0()?,
                ty: Expr::decode(c)?,
            })
        }
        3 => {
            let kat = c.offset();
            let kind = match c.byte()? {
                0 => QuotKind::Type,
                1 => QuotKind::Ctor,
                2 => QuotKind::Lift,
                3 => QuotKind::Ind,
                k => return Err(c.error_at(kat, format!("unknown quotient kind {k}"))),
            };
            ConstantInfo::Quot(Quot {
                kind,
                lvls: c.tag0()?,
                ty: Expr::decode(c)?,
            })
        }
        4 => ConstantInfo::CPrj {
            idx: c.tag0()?,
            cidx: c.tag0()?,
            block: c.address()?,
        },
        5 => ConstantInfo::RPrj {
            idx: c.tag0()?,
            block: c.address()?,
        },
        6 => ConstantInfo::IPrj {
            idx: c.tag0()?,
            block: c.address()?,
        },
        7 => ConstantInfo::DPrj {
            idx: c.tag0()?,
            block: c.address()?,
        },
        v => return Err(c.error_at(at, format!("unknown constant variant {v}"))),
    })
}

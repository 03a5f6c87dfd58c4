//! Structured bytecode: one function per monomorphic instance, over register slots.
//!
//! A slot holds one field element. Values are lists of slots, so tuples,
//! projections and enum fields cost nothing at run time. Each slot is written
//! once on any path (constants are slots preloaded at frame entry).

use crate::builtins::Gadget;

pub type Slot = u32;

/// `dst = a ∘ b` for a field operation ∘.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Binary {
    pub dst: Slot,
    pub a: Slot,
    pub b: Slot,
}

/// `dst = 1` if `a` is zero, else `0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EqZero {
    pub dst: Slot,
    pub a: Slot,
}

/// `dst .. dst + size` = the `size` elements stored at the pointer in `ptr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Load {
    pub ptr: Slot,
    pub size: u32,
    pub dst: Slot,
}

/// `dst .. dst + len` = `len` values of the IO channel in `channel`, from
/// the position in `index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IoRead {
    pub channel: Slot,
    pub index: Slot,
    pub len: u32,
    pub dst: Slot,
}

/// One operation of structured code; `Binary`, `EqZero`, `Load` and
/// `IoRead` are the same in linear code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Add(Binary),
    Sub(Binary),
    Mul(Binary),
    EqZero(EqZero),
    /// Outputs go to `dst .. dst + out_size`.
    Call {
        func: u32,
        args: Vec<Slot>,
        dst: Slot,
        out_size: u32,
        unconstrained: bool,
    },
    Store {
        vals: Vec<Slot>,
        dst: Slot,
    },
    Load(Load),
    AssertEq {
        a: Vec<Slot>,
        b: Vec<Slot>,
    },
    IoGetInfo {
        channel: Slot,
        key: Vec<Slot>,
        dst: Slot,
    },
    IoRead(IoRead),
    /// Outputs go to `dst .. dst + gadget.out_size()`.
    Gadget {
        gadget: Gadget,
        args: Vec<Slot>,
        dst: Slot,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub ops: Vec<Op>,
    pub ctrl: Ctrl,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ctrl {
    Return(Vec<Slot>),
    /// Ends an arm of the innermost `Join`, writing its result slots.
    Yield(Vec<Slot>),
    /// Branch on a field value; a value with no case and no default fails.
    Match {
        val: Slot,
        cases: Vec<(u64, Block)>,
        default: Option<Box<Block>>,
    },
    /// Runs `body` (whose leaves yield into `out`), then continues with `cont`:
    /// a match in non-tail position (Aiur's `matchContinue`).
    Join {
        body: Box<Block>,
        out: Vec<Slot>,
        cont: Box<Block>,
    },
    /// No valid execution reaches here (`unreachable!()`); costs nothing.
    Unreachable,
}

/// Column counts of a function's circuit (docs/AIUR.md §2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    pub input_size: u32,
    pub selectors: u32,
    /// Includes the multiplicity column.
    pub auxiliaries: u32,
    /// Includes the return lookup.
    pub lookups: u32,
}

impl Layout {
    /// W = inputSize + selectors + auxiliaries + 2·(1 + lookups).
    pub fn width(&self) -> u64 {
        u64::from(self.input_size)
            + u64::from(self.selectors)
            + u64::from(self.auxiliaries)
            + 2 * (1 + u64::from(self.lookups))
    }
}

#[derive(Clone, Debug)]
pub struct Function {
    /// Source name, with type arguments for instances of generic functions.
    pub name: String,
    pub input_size: u32,
    pub output_size: u32,
    pub slot_count: u32,
    /// Slots preloaded with constants at frame entry.
    pub consts: Vec<(Slot, u64)>,
    pub body: Block,
    pub layout: Layout,
    pub is_entry: bool,
    /// Reachable from an entry through constrained calls: gets a circuit.
    pub has_circuit: bool,
}

//! The builtin operations callable by name: memory, field tests, IO and the byte gadgets.

/// A byte gadget: a lookup into the byte tables, with its column cost (docs/AIUR.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gadget {
    /// `u8_bit_decomposition(a: U8) -> [G; 8]`, least significant bit first.
    BitDecomposition,
    /// `u8_shift_left(a: U8) -> U8`: `(a << 1) & 0xff`.
    ShiftLeft,
    /// `u8_shift_right(a: U8) -> U8`: `a >> 1`.
    ShiftRight,
    Xor,
    And,
    Or,
    /// `u8_less_than(a, b) -> G`: 1 if a < b.
    LessThan,
    /// `u8_add(a, b) -> (U8, G)`: sum mod 256 and carry.
    Add,
    /// `u8_sub(a, b) -> (U8, G)`: difference mod 256 and borrow.
    Sub,
    /// `u8_mul(a, b) -> (U8, U8)`: low and high byte of the product.
    Mul,
    /// `u8_range_check(a: G)`: a < 256, no output.
    RangeCheck,
    /// `u32_less_than(a: G, b: G) -> G`: 1 if a < b, both < 2^32.
    U32LessThan,
}

impl Gadget {
    /// Auxiliary columns the gadget adds to its function.
    pub fn auxiliaries(self) -> u32 {
        match self {
            Gadget::BitDecomposition => 8,
            Gadget::ShiftLeft
            | Gadget::ShiftRight
            | Gadget::Xor
            | Gadget::And
            | Gadget::Or
            | Gadget::LessThan
            | Gadget::Add
            | Gadget::Sub => 1,
            Gadget::Mul => 2,
            Gadget::RangeCheck => 0,
            Gadget::U32LessThan => 12,
        }
    }

    /// Lookups (byte-table queries) the gadget adds to its function.
    pub fn lookups(self) -> u32 {
        match self {
            Gadget::U32LessThan => 6,
            _ => 1,
        }
    }

    pub fn arity(self) -> usize {
        match self {
            Gadget::BitDecomposition
            | Gadget::ShiftLeft
            | Gadget::ShiftRight
            | Gadget::RangeCheck => 1,
            _ => 2,
        }
    }

    /// Flat size of the result.
    pub fn out_size(self) -> u32 {
        match self {
            Gadget::BitDecomposition => 8,
            Gadget::Add | Gadget::Sub | Gadget::Mul => 2,
            Gadget::RangeCheck => 0,
            _ => 1,
        }
    }
}

/// Every builtin callable by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `store(v: T) -> &T`
    Store,
    /// `load(p: &T) -> T`
    Load,
    /// `ptr_val(p: &T) -> G`: the pointer as a field element, no cost.
    PtrVal,
    /// `eq_zero(x: G) -> G`: 1 if x = 0, else 0.
    EqZero,
    /// `to_field(b: U8) -> G`, no cost.
    ToField,
    /// `u8_from_field_unsafe(x: G) -> U8`: no range check, no cost.
    U8FromFieldUnsafe,
    /// `io_get_info(channel: G, key: K) -> (G, G)`: index and length of a keyed entry.
    IoGetInfo,
    /// `io_read(channel: G, index: G, LEN) -> [G; LEN]`.
    IoRead,
    Gadget(Gadget),
}

impl Builtin {
    pub fn from_name(name: &str) -> Option<Builtin> {
        let gadget = |g| Some(Builtin::Gadget(g));
        match name {
            "store" => Some(Builtin::Store),
            "load" => Some(Builtin::Load),
            "ptr_val" => Some(Builtin::PtrVal),
            "eq_zero" => Some(Builtin::EqZero),
            "to_field" => Some(Builtin::ToField),
            "u8_from_field_unsafe" => Some(Builtin::U8FromFieldUnsafe),
            "io_get_info" => Some(Builtin::IoGetInfo),
            "io_read" => Some(Builtin::IoRead),
            "u8_bit_decomposition" => gadget(Gadget::BitDecomposition),
            "u8_shift_left" => gadget(Gadget::ShiftLeft),
            "u8_shift_right" => gadget(Gadget::ShiftRight),
            "u8_xor" => gadget(Gadget::Xor),
            "u8_and" => gadget(Gadget::And),
            "u8_or" => gadget(Gadget::Or),
            "u8_less_than" => gadget(Gadget::LessThan),
            "u8_add" => gadget(Gadget::Add),
            "u8_sub" => gadget(Gadget::Sub),
            "u8_mul" => gadget(Gadget::Mul),
            "u8_range_check" => gadget(Gadget::RangeCheck),
            "u32_less_than" => gadget(Gadget::U32LessThan),
            _ => None,
        }
    }
}

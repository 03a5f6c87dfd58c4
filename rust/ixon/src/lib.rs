//! Ixon: the canonical, content-addressed binary form of Lean 4 kernel
//! declarations, and the `.ixe` environment file (docs/IXON.md §5, version 3).
//!
//! # Encoding decisions
//!
//! The tags, node layouts and file sections are in docs/IXON.md. Every
//! decoder enforces the choices below, so that one value has exactly one
//! encoding:
//!
//! - **Universes** ([`univ`]): a successor run `Tag2(0, n)` is followed by the
//!   universe it applies to, and runs are maximal; `succ^n zero` is two bytes.
//! - **Expressions** ([`expr`]): application and binder telescopes are
//!   non-empty and maximal (a `Share` may break them).
//! - **Constants** ([`constant`]): byte order header, info, `sharing`,
//!   `refs`, `univs`. `refs` ascending by address, `univs` ascending by
//!   encoded bytes, `sharing` ascending by (share height, blake3 of the
//!   entry), every table entry used, `Rec` only inside blocks, projections
//!   with empty tables. In an inductive block, `Rec i` is member (type) i.
//! - **Metadata** ([`meta`]): names table in breadth-first sorted order, one
//!   named entry per exported declaration in export order, expression
//!   metadata as a per-entry DAG parallel to the expression.
//! - **File** ([`env`]): counts before every table; hints delta-coded.
//!
//! What the decoder does *not* check: whether a sharing table is the one a
//! compiler would choose (sharing profitability). A different but valid
//! choice is a different constant with a different address, never a
//! different meaning.
//!
//! Reading never panics on any input, allocates at most in proportion to the
//! input, and is iterative in expression depth.

pub mod address;
pub mod constant;
pub mod env;
pub mod error;
pub mod expr;
pub mod mapped;
pub mod meta;
pub mod tag;
pub mod univ;

pub use address::{merkle_root_canonical, Address};
pub use constant::{
    Axio, Constant, ConstantInfo, Ctor, DefKind, Defn, Indc, Member, Quot, QuotKind, Recr,
    RecrRule, Safety,
};
pub use env::{info_file, EnvFileError, EnvInfo, HintCode, IxonEnv, ReadMode, SectionSizes};
pub use error::DecodeError;
pub use expr::{Expr, ExprRef};
pub use mapped::MappedEnv;
pub use univ::{Univ, UnivRef};

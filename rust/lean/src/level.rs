//! Universe levels as they appear in declarations (not normalised).

use crate::name::Name;
use std::sync::Arc;

pub type LevelRef = Arc<Level>;

#[derive(Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Zero,
    Succ(LevelRef),
    Max(LevelRef, LevelRef),
    IMax(LevelRef, LevelRef),
    Param(Name),
}

impl Level {
    pub fn zero() -> LevelRef {
        Arc::new(Level::Zero)
    }

    pub fn succ(l: LevelRef) -> LevelRef {
        Arc::new(Level::Succ(l))
    }

    pub fn max(a: LevelRef, b: LevelRef) -> LevelRef {
        Arc::new(Level::Max(a, b))
    }

    pub fn imax(a: LevelRef, b: LevelRef) -> LevelRef {
        Arc::new(Level::IMax(a, b))
    }

    pub fn param(n: Name) -> LevelRef {
        Arc::new(Level::Param(n))
    }
}

impl ix_base::Children for Level {
    fn take_children(&mut self, out: &mut Vec<LevelRef>) {
        let placeholder = || Arc::new(Level::Zero);
        match self {
            Level::Zero | Level::Param(_) => {}
            Level::Succ(l) => out.push(std::mem::replace(l, placeholder())),
            Level::Max(a, b) | Level::IMax(a, b) => {
                out.push(std::mem::replace(a, placeholder()));
                out.push(std::mem::replace(b, placeholder()));
            }
        }
    }
}

/// Iterative drop: a crafted export may nest `succ` 10^5 deep.
impl Drop for Level {
    fn drop(&mut self) {
        ix_base::drop_children(self);
    }
}

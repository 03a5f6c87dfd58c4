//! Compile-time diagnostics: a source position and a message.

use std::fmt;

/// A 1-based line and column in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// An error in a source file, found while lexing, parsing, checking or lowering.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct CompileError {
    pub pos: Pos,
    pub message: String,
}

impl CompileError {
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        CompileError {
            pos,
            message: message.into(),
        }
    }
}

pub type CResult<T> = Result<T, CompileError>;

/// Shorthand for returning a positioned error.
pub fn err<T>(pos: Pos, message: impl Into<String>) -> CResult<T> {
    Err(CompileError::new(pos, message))
}

/// Checks a count (of arguments, fields, ...): `Ok` when `got` is
/// `expected`, else the error `message(expected, got)` at `pos`.
pub fn expect_count(
    pos: Pos,
    expected: usize,
    got: usize,
    message: impl FnOnce(usize, usize) -> String,
) -> CResult<()> {
    if got == expected {
        Ok(())
    } else {
        err(pos, message(expected, got))
    }
}

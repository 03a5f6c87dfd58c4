//! Kernel verdict errors: a rejection (the input is not well typed) or a
//! decline (the checker could not decide: native reduction, exhausted budget,
//! recursion too deep). A decline is never an accept.

use ix_base::Verdict;
use ix_lean::Name;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KernelError {
    /// The declaration is ill-formed or ill-typed.
    #[error("{decl}: {reason}")]
    Reject { decl: Name, reason: String },
    /// The checker cannot decide this declaration.
    #[error("{decl}: declined: {reason}")]
    Decline { decl: Name, reason: String },
}

impl KernelError {
    pub fn reject(decl: &Name, reason: impl Into<String>) -> KernelError {
        KernelError::Reject {
            decl: decl.clone(),
            reason: reason.into(),
        }
    }

    pub fn decline(decl: &Name, reason: impl Into<String>) -> KernelError {
        KernelError::Decline {
            decl: decl.clone(),
            reason: reason.into(),
        }
    }

    /// The verdict this error gives: reject or decline, never accept.
    pub fn verdict(&self) -> Verdict {
        match self {
            KernelError::Reject { .. } => Verdict::Reject,
            KernelError::Decline { .. } => Verdict::Decline,
        }
    }

    pub fn decl(&self) -> &Name {
        match self {
            KernelError::Reject { decl, .. } | KernelError::Decline { decl, .. } => decl,
        }
    }

    pub fn reason(&self) -> &str {
        match self {
            KernelError::Reject { reason, .. } | KernelError::Decline { reason, .. } => reason,
        }
    }
}

pub type KResult<T> = Result<T, KernelError>;

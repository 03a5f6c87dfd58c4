//! The one verdict vocabulary of every checker in ix.

/// What a checker concludes about its input. A decline (the checker could
/// not decide: native reduction, an exhausted budget, recursion too deep) is
/// never an accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    Reject,
    Decline,
}

impl Verdict {
    /// The Lean Kernel Arena exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Accept => 0,
            Verdict::Reject => 1,
            Verdict::Decline => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Reject => "reject",
            Verdict::Decline => "decline",
        }
    }

    /// The verdict `as_str` spells, if any.
    pub fn parse(word: &str) -> Option<Verdict> {
        [Verdict::Accept, Verdict::Reject, Verdict::Decline]
            .into_iter()
            .find(|v| v.as_str() == word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for v in [Verdict::Accept, Verdict::Reject, Verdict::Decline] {
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
        assert_eq!(Verdict::parse("maybe"), None);
    }
}

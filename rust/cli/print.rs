//! The flags for what the verbs print, each defined once: `-q` for every
//! verb, and `--json` with it for the verbs that print a result.

/// `-q, --quiet`.
#[derive(clap::Args)]
pub struct Quiet {
    /// No progress bar or spinner on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `--json` and `-q, --quiet`.
#[derive(clap::Args)]
pub struct Print {
    /// Print the result as JSON on stdout instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub quiet: Quiet,
}

//! `-j, --jobs N` for every verb that runs in parallel: one parser, one cap;
//! and the kernel verbs' `-j` and `--budget` as one flattened group.

/// More threads than this buys nothing on any machine ix targets and, with
/// per-thread buffers, can take minutes to set up; refused up front.
pub const MAX_JOBS: usize = 256;

/// Parses a thread count: 0 (one per core) up to [`MAX_JOBS`].
pub fn parse(text: &str) -> Result<usize, String> {
    let jobs: usize = text
        .parse()
        .map_err(|_| format!("`{text}` is not a thread count (0 = one per core)"))?;
    if jobs > MAX_JOBS {
        return Err(format!(
            "{jobs} threads is more than the {MAX_JOBS} ix allows (0 = one per core)"
        ));
    }
    Ok(jobs)
}

/// `-j` and `--budget`, for the verbs that run the kernel over a whole
/// environment (`check`, `profile`).
#[derive(clap::Args)]
pub struct KernelRun {
    /// Worker threads (0 = one per core; at most 256).
    #[arg(short = 'j', long = "jobs", default_value_t = 0, value_parser = parse)]
    pub jobs: usize,
    /// Heartbeat budget per constant; running out declines.
    #[arg(long, default_value_t = ix_kernel::tc::DEFAULT_BUDGET)]
    pub budget: u64,
}

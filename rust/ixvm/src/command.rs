//! `ix ixvm check`: run a claim's ingress and kernel on an environment and
//! report the verdict and the circuit cost table.

use crate::prover::{check_env_input, check_input, Claim, ProverInput};
use crate::source::{program_source, Variant};
use ix_aiur::{stats, CompileError, ExecError, Failure, Program, Stats};
use ix_base::Verdict;
use ixon::{Address, IxonEnv};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum IxvmError {
    #[error("{0}")]
    Env(#[from] ixon::env::EnvFileError),
    #[error("circuit source: {0}")]
    Compile(#[from] CompileError),
    #[error("no constant named or addressed `{0}`")]
    UnknownConstant(String),
    #[error("decompile: {0}")]
    Decompile(String),
    #[error("compile: {0}")]
    Import(String),
    #[error("reading {file}: {message}")]
    Read { file: String, message: String },
}

/// Which claim to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimSpec {
    CheckEnv,
    /// A declaration name (from the metadata) or a 64-digit hex address.
    Check(String),
}

/// Bytecode instructions a claim may run before it stops with a resource
/// error (divergent reduction must not hang the verifier).
pub const DEFAULT_MAX_STEPS: u64 = 2_000_000_000;

/// `verify_claim`'s outputs.
pub type ClaimOutput = [u64; 5];

/// What the verifier concludes from a run, with its details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every claimed constant was type-checked in-circuit.
    Accept,
    /// The kernel was off: ingress ran, nothing was type-checked.
    IngressOnly,
    /// No witness exists: the claim is false. `constant` is the constant
    /// whose check failed, when the failure is inside the kernel.
    Reject {
        error: ExecError,
        constant: Option<Address>,
    },
    /// Not decided: the claim needs rules the in-circuit kernel lacks yet.
    Decline { reason: String },
    /// The step budget (or call depth) ran out: a resource limit, not a verdict.
    ResourceLimit(ExecError),
}

impl Outcome {
    /// The verdict on the claim; none when the kernel was off.
    pub fn verdict(&self) -> Option<Verdict> {
        match self {
            Outcome::Accept => Some(Verdict::Accept),
            Outcome::IngressOnly => None,
            Outcome::Reject { .. } => Some(Verdict::Reject),
            Outcome::Decline { .. } | Outcome::ResourceLimit(_) => Some(Verdict::Decline),
        }
    }
}

/// The outcome of a claim's run.
#[derive(Debug)]
pub struct Report {
    pub claim: Claim,
    pub variant: Variant,
    /// Ok: (claimed constants, kernel constants, assumption leaves,
    /// constants type-checked, constants unsupported).
    pub output: Result<ClaimOutput, ExecError>,
    pub outcome: Outcome,
    /// Statistics of the run (none when it failed).
    pub stats: Option<Stats>,
}

impl Report {
    pub fn accepted(&self) -> bool {
        self.outcome.verdict() == Some(Verdict::Accept)
    }

    /// No verdict on the claim: a rule the in-circuit kernel lacks, or an
    /// executor limit (steps, call depth).
    pub fn declined(&self) -> bool {
        self.outcome.verdict() == Some(Verdict::Decline)
    }
}

/// The verdict of a successful run.
fn outcome_of_output(out: &ClaimOutput, variant: Variant) -> Outcome {
    match (variant.kernel, out[4]) {
        (false, _) => Outcome::IngressOnly,
        (true, 0) => Outcome::Accept,
        (true, n) => Outcome::Decline {
            reason: format!(
                "{n} constant(s) not yet checked in-circuit (unsafe inductives or their recursors, recursors that do not fit their block)"
            ),
        },
    }
}

/// The verdict of a failed run: a `decline_*` function names a missing
/// kernel rule; a limit is a resource error; anything else rejects.
fn outcome_of_failure(f: &Failure) -> Outcome {
    match &f.error {
        ExecError::StepLimit(_) | ExecError::DepthLimit => Outcome::ResourceLimit(f.error.clone()),
        _ => match f.stack.last().map(|c| c.function.as_str()) {
            Some(name) if name.starts_with("decline_") => Outcome::Decline {
                reason: format!(
                    "needs {}",
                    name.trim_start_matches("decline_").replace('_', " ")
                ),
            },
            _ => Outcome::Reject {
                error: f.error.clone(),
                constant: failing_constant(f),
            },
        },
    }
}

/// The address argument of the innermost `check_constant` frame.
fn failing_constant(f: &Failure) -> Option<Address> {
    let frame = f.frame("check_constant")?;
    let bytes = f.load(32, *frame.args.first()?)?;
    let bytes: Vec<u8> = bytes
        .iter()
        .map(|&b| u8::try_from(b).ok())
        .collect::<Option<_>>()?;
    Some(Address(bytes.try_into().ok()?))
}

/// Compiles the circuit program of `variant`.
pub fn program(variant: Variant) -> Result<Program, CompileError> {
    ix_aiur::compile(&program_source(variant, false))
}

/// Runs `verify_claim` on the claim's digest with the given prover input.
pub fn run_claim(
    program: &Program,
    claim: &Claim,
    input: &ProverInput,
    variant: Variant,
) -> Report {
    run_claim_bounded(program, claim, input, variant, DEFAULT_MAX_STEPS)
}

/// [`run_claim`] with a step budget.
pub fn run_claim_bounded(
    program: &Program,
    claim: &Claim,
    input: &ProverInput,
    variant: Variant,
    max_steps: u64,
) -> Report {
    let digest = crate::prover::address_fields(&claim.digest());
    let io = input.io_buffer();
    match ix_aiur::execute_bounded(program, "verify_claim", &digest, &io, max_steps) {
        Ok(exec) => {
            let mut out = ClaimOutput::default();
            for (o, v) in out.iter_mut().zip(&exec.output) {
                *o = *v;
            }
            Report {
                claim: *claim,
                variant,
                output: Ok(out),
                outcome: outcome_of_output(&out, variant),
                stats: Some(stats::compute(program, &exec)),
            }
        }
        Err(f) => Report {
            claim: *claim,
            variant,
            outcome: outcome_of_failure(&f),
            output: Err(f.error),
            stats: None,
        },
    }
}

/// Resolves a name (via the metadata) or a hex address to a constant address.
pub fn resolve(env: &IxonEnv, what: &str) -> Result<Address, IxvmError> {
    let unknown = || IxvmError::UnknownConstant(what.to_string());
    if what.len() == 64 {
        if let Some(addr) = Address::from_hex(what) {
            return env
                .consts
                .contains_key(&addr)
                .then_some(addr)
                .ok_or_else(unknown);
        }
    }
    let lean = ix_import::decompile(env).map_err(|e| IxvmError::Decompile(e.to_string()))?;
    let compiled = ix_import::compile(&lean).map_err(|e| IxvmError::Import(e.to_string()))?;
    compiled
        .addresses
        .iter()
        .find(|(name, _)| name.to_string() == what)
        .map(|(_, a)| *a)
        .filter(|a| env.consts.contains_key(a))
        .ok_or_else(unknown)
}

/// The claim and prover input for `spec` on `env`.
pub fn claim_input(env: &IxonEnv, spec: &ClaimSpec) -> Result<(Claim, ProverInput), IxvmError> {
    match spec {
        ClaimSpec::CheckEnv => Ok(check_env_input(env, None)),
        ClaimSpec::Check(what) => Ok(check_input(env, resolve(env, what)?)),
    }
}

/// The declaration name of `addr` (from the metadata), or for a mutual
/// block the names of its members.
pub fn name_of(env: &IxonEnv, addr: &Address) -> Option<String> {
    use ixon::constant::ConstantInfo as I;
    let (_, addresses) = ix_import::decompile_with_addresses(env).ok()?;
    if let Some((name, _)) = addresses.iter().find(|(_, a)| *a == addr) {
        return Some(name.to_string());
    }
    let block_of = |a: &Address| match env.consts.get(a).map(|c| &c.info) {
        Some(I::CPrj { block, .. } | I::RPrj { block, .. })
        | Some(I::IPrj { block, .. } | I::DPrj { block, .. }) => Some(*block),
        _ => None,
    };
    let mut members: Vec<String> = addresses
        .iter()
        .filter(|(_, a)| block_of(a) == Some(*addr))
        .map(|(name, _)| name.to_string())
        .collect();
    members.sort();
    (!members.is_empty()).then(|| format!("block {{{}}}", members.join(", ")))
}

/// What the env's names show that its anonymous content, which a claim is
/// about, cannot: a name declared twice, a universe parameter named twice
/// or a quotient constant under another name (`ix check` rejects), two
/// names of atoms (axioms, opaques, inductives) sharing one anonymous
/// constant in one constant's closure (content-equal constants collapse,
/// so the circuit cannot tell them apart), metadata facts that disagree
/// with the content, Nat operations `ix check` trusts by name, or native
/// reduction (`ix check` declines). `Some(reason)` means the verifier must
/// not accept.
pub fn named_env_problem(env: &IxonEnv) -> Option<String> {
    if env.meta.is_empty() {
        return None;
    }
    let lean = ix_import::decompile(env).ok()?;
    let mut seen = std::collections::HashSet::new();
    for decl in &lean.decls {
        if let ix_lean::Declaration::Inductive(block) = decl {
            if let Some(problem) = inductive_metadata_problem(block) {
                return Some(problem);
            }
        }
        if let ix_lean::Declaration::Quot(q) = decl {
            let expected = match q.kind {
                ix_lean::QuotKind::Type => "Quot",
                ix_lean::QuotKind::Ctor => "Quot.mk",
                ix_lean::QuotKind::Lift => "Quot.lift",
                ix_lean::QuotKind::Ind => "Quot.ind",
            };
            if q.cval.name.to_string() != expected {
                return Some(format!(
                    "{}: a quotient constant named otherwise",
                    q.cval.name
                ));
            }
        }
        for cval in decl.constants() {
            let params = &cval.level_params;
            if let Some(i) = (0..params.len()).find(|&i| params[..i].contains(&params[i])) {
                return Some(format!(
                    "{}: duplicate universe parameter {}",
                    cval.name, params[i]
                ));
            }
            let name = cval.name.to_string();
            if name.starts_with("_nested") {
                return Some(format!("{name}: reserved prefix _nested"));
            }
            if name == "Lean.reduceBool" || name == "Lean.reduceNat" {
                return Some(format!("{name}: native reduction"));
            }
            if !seen.insert(name) {
                return Some(format!("{}: declared twice", cval.name));
            }
        }
    }
    if let Some(problem) = mutual_level_names_problem(&lean.decls) {
        return Some(problem);
    }
    if let Some(problem) =
        trusted_by_name_problem(&lean.decls).or_else(|| trusted_order_problem(&lean.decls))
    {
        return Some(problem);
    }
    let (_, addresses) = ix_import::decompile_with_addresses(env).ok()?;
    let addresses: Vec<(&ix_lean::Name, Address)> =
        addresses.iter().map(|(n, a)| (n, *a)).collect();
    if let Some(problem) = trusted_shared_problem(&addresses, &crate::TrustedOps::named_in(env)) {
        return Some(problem);
    }
    // Definitions and theorems with one content are equal by delta in the
    // named check too, so their sharing one constant hides nothing; two
    // axioms, opaques or inductives under one content are distinct atoms
    // by name only, which matters where one closure holds both.
    let unfoldable: std::collections::HashSet<&ix_lean::Name> = lean
        .decls
        .iter()
        .filter_map(|d| match d {
            ix_lean::Declaration::Definition(v) => Some(&v.cval.name),
            ix_lean::Declaration::Theorem(v) => Some(&v.cval.name),
            _ => None,
        })
        .collect();
    let atoms: Vec<(&ix_lean::Name, Address)> = addresses
        .into_iter()
        .filter(|(n, _)| !unfoldable.contains(n))
        .collect();
    crate::collapse::collapse_seen_together(&lean, &atoms).map(|(a, b, user)| {
        format!("{a} and {b} are one anonymous constant, both in the closure of {user}")
    })
}

/// The Nat operations `ix check` computes on literals whatever their
/// definitions (Lean's are well-founded, so their equations cannot be
/// verified) and a claim cannot trust: unfolding one that is not the
/// operation gives another verdict. (`Nat.div`, `Nat.mod` and `Nat.gcd`
/// the claim trusts: [`crate::TrustedOps`]. `ix check` computes
/// `Nat.shiftRight` once its equations hold over the trusted `Nat.div`,
/// so unfolding it here, with that `Nat.div` computed, gives the same.)
const TRUSTED_BY_NAME: [&str; 3] = ["Nat.land", "Nat.lor", "Nat.xor"];

const TRUSTED_BY_NAME_PROBLEM: &str = "`ix check` trusts it by its name";

/// A constant of another name with the content of one the claim trusts:
/// the kernel computes both, `ix check` only the one of the trusted name.
fn trusted_shared_problem(
    addresses: &[(&ix_lean::Name, Address)],
    trusted: &crate::TrustedOps,
) -> Option<String> {
    trusted.records().into_iter().find_map(|(_, addr)| {
        let mut names: Vec<String> = addresses
            .iter()
            .filter(|(_, a)| *a == addr)
            .map(|(n, _)| n.to_string())
            .collect();
        names.sort();
        (names.len() > 1).then(|| {
            format!(
                "{}: one anonymous constant the claim trusts; {TRUSTED_BY_NAME_PROBLEM}",
                names.join(" and ")
            )
        })
    })
}

/// A definition `ix check` may trust by its name (it trusts safe ones
/// without universe parameters).
fn trusted_by_name_problem(decls: &[ix_lean::Declaration]) -> Option<String> {
    decls.iter().find_map(|d| match d {
        ix_lean::Declaration::Definition(v)
            if v.cval.level_params.is_empty()
                && TRUSTED_BY_NAME.contains(&v.cval.name.to_string().as_str()) =>
        {
            Some(format!("{}: {TRUSTED_BY_NAME_PROBLEM}", v.cval.name))
        }
        _ => None,
    })
}

/// `ix check` trusts `Nat.div` and `Nat.mod` only when `Nat.sub` (and so
/// `Nat.pred`) was verified before they were declared, and `Nat.gcd` only
/// after `Nat.mod`; the kernel verifies them in that order whatever the
/// declaration order, so another order must not be trusted.
fn trusted_order_problem(decls: &[ix_lean::Declaration]) -> Option<String> {
    let position = |name: &str| {
        decls.iter().position(
            |d| matches!(d, ix_lean::Declaration::Definition(v) if v.cval.name.to_string() == name),
        )
    };
    let chains: [&[&str]; 2] = [
        &["Nat.pred", "Nat.sub", "Nat.div"],
        &["Nat.pred", "Nat.sub", "Nat.mod", "Nat.gcd"],
    ];
    chains.iter().find_map(|chain| {
        let present: Vec<(&str, usize)> = chain
            .iter()
            .filter_map(|n| position(n).map(|i| (*n, i)))
            .collect();
        // Without a trusted operation the order costs speed only.
        let trusts = present
            .iter()
            .any(|(n, _)| ["Nat.div", "Nat.mod", "Nat.gcd"].contains(n));
        if !trusts {
            return None;
        }
        present.windows(2).find_map(|w| {
            (w[0].1 > w[1].1).then(|| {
                format!(
                    "{} declared before {}, which must be verified first; {TRUSTED_BY_NAME_PROBLEM}",
                    w[1].0, w[0].0
                )
            })
        })
    })
}

/// Definitions of one mutual group (`all`) must have the same universe
/// parameters for a body to use a later member; the circuit compares their
/// counts, not their names.
fn mutual_level_names_problem(decls: &[ix_lean::Declaration]) -> Option<String> {
    use ix_lean::Declaration as D;
    let mut groups: std::collections::HashMap<&[ix_lean::Name], &[ix_lean::Name]> =
        std::collections::HashMap::new();
    for decl in decls {
        let (cval, all) = match decl {
            D::Definition(d) => (&d.cval, &d.all),
            D::Theorem(t) => (&t.cval, &t.all),
            D::Opaque(o) => (&o.cval, &o.all),
            _ => continue,
        };
        if all.len() < 2 {
            continue;
        }
        let first = groups.entry(all.as_slice()).or_insert(&cval.level_params);
        if *first != cval.level_params.as_slice() {
            return Some(format!(
                "{}: mutual definitions with other universe parameters",
                cval.name
            ));
        }
    }
    None
}

/// A nested block whose auxiliary recursors `Main.rec_k` are exported in
/// another order than their auxiliary types.
const AUX_RECURSORS_OUT_OF_ORDER: &str = "auxiliary recursors out of order";

/// The exported facts about an inductive block that live in metadata only
/// (`all`, constructor and recursor bookkeeping, safety, isRec,
/// isReflexive, numNested), recomputed as Lean (and `ix check`) defines
/// them. A nested block's auxiliary recursors follow its own ones, named
/// `Main.rec_k`; the circuit checks that there is one per auxiliary type.
fn inductive_metadata_problem(block: &ix_lean::InductiveBlock) -> Option<String> {
    let names: Vec<ix_lean::Name> = block.types.iter().map(|t| t.cval.name.clone()).collect();
    let bad =
        |name: &ix_lean::Name, what: &str| Some(format!("{name}: {what} disagrees with the block"));
    // Some constructor binder type mentions a type of the block; some such
    // binder type is a function type.
    let fields: Vec<&ix_lean::Expr> = block
        .ctors
        .iter()
        .flat_map(|c| binder_types(&c.cval.ty))
        .collect();
    let recursive = |f: &ix_lean::Expr| names.iter().any(|n| mentions(f, n));
    let is_rec = fields.iter().any(|f| recursive(f));
    let is_reflexive = fields
        .iter()
        .any(|f| matches!(f, ix_lean::Expr::Pi { .. }) && recursive(f));
    if let Some(c) = block.ctors.iter().find(|c| !names.contains(&c.induct)) {
        return bad(&c.induct, &format!("constructor {}", c.cval.name));
    }
    // One declaration, one list of universe parameters: the circuit sees
    // their number only.
    let level_params = block.types.first().map(|t| &t.cval.level_params);
    let other_levels = block
        .types
        .iter()
        .map(|t| &t.cval)
        .chain(block.ctors.iter().map(|c| &c.cval))
        .find(|cv| Some(&cv.level_params) != level_params);
    if let Some(cv) = other_levels {
        return bad(&cv.name, "the universe parameters");
    }
    let num_nested = block.recs.len().saturating_sub(block.types.len());
    for t in &block.types {
        let name = &t.cval.name;
        if t.all != names || t.num_nested as usize != num_nested {
            return bad(name, "all or numNested");
        }
        let own: Vec<&ix_lean::ConstructorVal> =
            block.ctors.iter().filter(|c| c.induct == *name).collect();
        if !t.ctors.iter().eq(own.iter().map(|c| &c.cval.name)) {
            return bad(name, "the constructor list");
        }
        for (i, c) in own.iter().enumerate() {
            let fits =
                c.cidx as usize == i && c.num_params == t.num_params && c.is_unsafe == t.is_unsafe;
            if !fits {
                return bad(name, &format!("constructor {}", c.cval.name));
            }
        }
        if is_rec != t.is_rec || is_reflexive != t.is_reflexive {
            return bad(name, "isRec or isReflexive");
        }
    }
    let aux_recs = &block.recs[block.types.len().min(block.recs.len())..];
    let aux_name = |k: usize| format!("{}.rec_{}", names[0], k + 1);
    let in_order = aux_recs
        .iter()
        .enumerate()
        .all(|(k, r)| r.cval.name.to_string() == aux_name(k));
    if !in_order {
        let mut found: Vec<String> = aux_recs.iter().map(|r| r.cval.name.to_string()).collect();
        found.sort();
        let mut wanted: Vec<String> = (0..aux_recs.len()).map(aux_name).collect();
        wanted.sort();
        if found == wanted {
            return Some(format!("{}: {AUX_RECURSORS_OUT_OF_ORDER}", names[0]));
        }
    }
    if let Some(r) = aux_recs.iter().find(|r| r.all != names) {
        return bad(&names[0], &format!("recursor {}", r.cval.name));
    }
    if !in_order {
        return bad(&names[0], "the auxiliary recursors");
    }
    for (r, t) in block.recs.iter().zip(&block.types) {
        let rule_ctors = r.rules.iter().map(|rule| &rule.ctor);
        let fits = r.cval.name.to_string() == format!("{}.rec", t.cval.name)
            && r.all == names
            && r.is_unsafe == t.is_unsafe
            && rule_ctors.eq(t.ctors.iter());
        if !fits {
            return bad(&t.cval.name, &format!("recursor {}", r.cval.name));
        }
    }
    None
}

/// The binder types of a forall telescope.
fn binder_types(ty: &ix_lean::Expr) -> Vec<&ix_lean::Expr> {
    let mut out = Vec::new();
    let mut e = ty;
    while let ix_lean::Expr::Pi { ty, body, .. } = e {
        out.push(&**ty);
        e = body;
    }
    out
}

/// Whether `e` mentions the constant `name` (each shared node visited once).
fn mentions(e: &ix_lean::Expr, name: &ix_lean::Name) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![e];
    while let Some(x) = stack.pop() {
        if !seen.insert(std::ptr::from_ref(x)) {
            continue;
        }
        if matches!(x, ix_lean::Expr::Const(n, _) if n == name) {
            return true;
        }
        stack.extend(x.children().into_iter().map(|c| &**c));
    }
    false
}

/// `ix ixvm check ENV.ixe`: reads the env, builds the claim and runs it;
/// also returns the env, to name constants in the verdict.
pub fn check_file(
    path: &Path,
    spec: &ClaimSpec,
    variant: Variant,
    max_steps: u64,
) -> Result<(Report, IxonEnv), IxvmError> {
    let (env, _) = IxonEnv::read_file(path, ixon::env::ReadMode::Full)?;
    let report = check_env(&env, spec, variant, max_steps)?;
    Ok((report, env))
}

pub fn check_env(
    env: &IxonEnv,
    spec: &ClaimSpec,
    variant: Variant,
    max_steps: u64,
) -> Result<Report, IxvmError> {
    let (claim, input) = claim_input(env, spec)?;
    let mut report = run_claim_bounded(&program(variant)?, &claim, &input, variant, max_steps);
    let decided = matches!(report.outcome, Outcome::Accept | Outcome::Reject { .. });
    if decided {
        if let Some(problem) = named_env_problem(env) {
            // A reject stands unless `ix check` itself would decline: an
            // anonymous env that is ill-typed is ill-typed under any names.
            // Nor does one when its verdict rests on names: native
            // reduction, Nat operations trusted by name, or auxiliary
            // recursors that `ix check` pairs with the auxiliary types by
            // name and the circuit by order.
            let by_name = problem.ends_with("native reduction")
                || problem.ends_with(AUX_RECURSORS_OUT_OF_ORDER)
                || problem.ends_with(TRUSTED_BY_NAME_PROBLEM);
            if report.outcome == Outcome::Accept || by_name {
                report.outcome = Outcome::Decline {
                    reason: format!("the names show what the anonymous claim cannot: {problem}"),
                };
            }
        }
    }
    Ok(report)
}

/// Compiles lean4export files and unions their constants and blobs by
/// address (shared prefixes such as `Nat` collapse to one copy).
pub fn merged_env(exports: &[&Path]) -> Result<IxonEnv, IxvmError> {
    let mut env = IxonEnv::default();
    for path in exports {
        let lean = ix_lean::ndjson::read_file(path).map_err(|e| IxvmError::Read {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        let compiled = ix_import::compile(&lean)
            .map_err(|e| IxvmError::Import(format!("{}: {e}", path.display())))?;
        env.consts.extend(compiled.env.consts);
        env.blobs.extend(compiled.env.blobs);
    }
    Ok(env)
}

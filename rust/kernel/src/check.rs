//! Checking a whole environment: a sequential pass adds every declaration
//! to the kernel environment (names, universe parameters, quotients,
//! inductive blocks), and every `ROUND` queued declarations it stops for a
//! parallel round that checks their types and bodies. The verdict and the
//! first failure (by declaration order) depend on neither the number of
//! threads nor the rounds: a body sees only what was declared before it.

use crate::env::{ConstantInfo, ConstantVal, Env};
use crate::error::{KResult, KernelError};
use crate::expr::{Converter, Expr, Interner};
use crate::inductive::DeferredBlock;
use crate::read::{ExportStream, ReadDeclaration};
use crate::tc::{Caches, Meter, TcOptions, TypeChecker};
use ix_base::progress::{Counter, Progress};
use ix_lean::ndjson::ReadError;
use ix_lean::{Declaration, DefinitionSafety, Name};
use rayon::prelude::*;
use std::sync::Arc;

/// Stack of every checker thread: deep terms recurse deeply, and the
/// recursion guard (`tc::MAX_DEPTH`) must trip before the stack does.
pub const CHECKER_STACK: usize = 1 << 30;

#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    pub tc: TcOptions,
    /// Worker threads (0 = rayon's default).
    pub threads: usize,
    /// Told the number of declarations (as they are read, for a stream)
    /// and each one finished, when set: what a progress bar polls.
    pub progress: Option<Counter>,
    /// Check on the calling thread, one declaration after another, with no
    /// pool of its own: for callers that run many checks in their own pool
    /// (one per shard), whose threads must have `CHECKER_STACK` of stack.
    pub in_current_thread: bool,
    /// Declarations per parallel round (0 = `ROUND`); the report is the
    /// same for any size.
    pub round: usize,
    /// Keep no per-constant report (`CheckReport::constants` stays empty):
    /// for a caller that prints only the verdict, a million reports are
    /// memory for nothing.
    pub discard_reports: bool,
}

/// Fuel spent on one checked constant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConstantReport {
    pub name: Name,
    pub heartbeats: u64,
    /// Constants whose bodies it unfolded, sorted (only when profiling).
    pub unfolded: Box<[Name]>,
}

#[derive(Debug)]
pub struct CheckReport {
    /// `Ok` = accept; otherwise the first failing declaration.
    pub result: KResult<()>,
    /// Per checked constant, in declaration order.
    pub constants: Vec<ConstantReport>,
    pub declarations: usize,
    /// The position of the first failing declaration, when there is one.
    pub failed_declaration: Option<usize>,
}

/// What the parallel pass checks of declaration `index`.
struct Task {
    index: usize,
    kind: TaskKind,
}

enum TaskKind {
    /// A definition, theorem, opaque or axiom: its type (and body); the
    /// rest is read off its entry in the environment.
    Constant { name: Name, same_block: Vec<Name> },
    /// What the sequential pass left of an inductive block's check, metered
    /// with the part it ran.
    Block(Box<DeferredBlock>, Arc<Meter>),
}

impl Task {
    fn same_block(&self) -> &[Name] {
        match &self.kind {
            TaskKind::Constant { same_block, .. } => same_block,
            TaskKind::Block(..) => &[],
        }
    }

    fn is_block(&self) -> bool {
        matches!(self.kind, TaskKind::Block(..))
    }
}

/// A checked task's report, and its failure.
type Outcome = (ConstantReport, Option<KernelError>);

/// How a declaration takes part in a check. A whole environment is all
/// `Check`; a shard check trusts what other shards own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Checked, and reported.
    Check,
    /// Trusted with its body: a foreign block the checked declarations unfold.
    Trust,
    /// Trusted by its type only: its body is withheld and never unfolds.
    TrustType,
}

/// Checks every declaration of `env` on a pool of big-stack threads.
pub fn check_environment(env: &ix_lean::Environment, options: &CheckOptions) -> CheckReport {
    check_environment_with_roles(env, options, &vec![Role::Check; env.decls.len()])
}

/// [`check_environment`] for a caller that is done with `env`: each
/// declaration is freed once converted, so the source and the kernel's
/// terms are never both whole in memory.
pub fn check_owned_environment(env: ix_lean::Environment, options: &CheckOptions) -> CheckReport {
    let roles = vec![Role::Check; env.decls.len()];
    run_on_checker_threads(Source::LeanOwned(env), options, &roles)
}

/// Checks an export as it is read into kernel terms (see [`crate::read`]):
/// each declaration is added while later ones are read, and freed once
/// added, so what the checker does not keep (the exported recursors, say)
/// is never all in memory. A malformed file is the error, whatever the
/// declarations before the flaw would have given.
pub fn check_stream(
    stream: ExportStream,
    options: &CheckOptions,
) -> Result<CheckReport, ReadError> {
    let mut unreadable = None;
    let report = run_on_checker_threads(Source::Stream(stream, &mut unreadable), options, &[]);
    unreadable.map_or(Ok(report), Err)
}

/// Checks `env` where `roles[i]` says how declaration `i` takes part.
/// Trusted inductive blocks are added as exported, unchecked.
pub fn check_environment_with_roles(
    env: &ix_lean::Environment,
    options: &CheckOptions,
    roles: &[Role],
) -> CheckReport {
    run_on_checker_threads(Source::Lean(env), options, roles)
}

/// Checks declarations already in kernel terms (as [`crate::read`] gives
/// them), where `roles[i]` says how declaration `i` takes part: a caller
/// that converts each declaration once and checks it in several
/// environments (shard checks) shares the terms among them.
pub fn check_declarations_with_roles(
    decls: &[ReadDeclaration],
    options: &CheckOptions,
    roles: &[Role],
) -> CheckReport {
    run_on_checker_threads(Source::Kernel(decls), options, roles)
}

/// The declarations to check: `ix_lean` terms, converted one declaration
/// at a time, terms already in the kernel's form, or terms read straight
/// into that form (with where to put the reader's error).
enum Source<'a> {
    Lean(&'a ix_lean::Environment),
    LeanOwned(ix_lean::Environment),
    Kernel(&'a [ReadDeclaration]),
    Stream(ExportStream, &'a mut Option<ReadError>),
}

impl Source<'_> {
    fn declarations(&self) -> usize {
        match self {
            Source::Lean(env) => env.decls.len(),
            Source::LeanOwned(env) => env.decls.len(),
            Source::Kernel(decls) => decls.len(),
            // Known once read: counted as they come.
            Source::Stream(..) => 0,
        }
    }

    fn constants(&self) -> usize {
        match self {
            Source::Lean(env) => env.decls.iter().map(constant_count).sum(),
            Source::LeanOwned(env) => env.decls.iter().map(constant_count).sum(),
            Source::Kernel(decls) => decls.iter().map(|d| constant_count(&d.decl)).sum(),
            Source::Stream(..) => 0,
        }
    }
}

fn run_on_checker_threads(src: Source<'_>, options: &CheckOptions, roles: &[Role]) -> CheckReport {
    let declarations = src.declarations();
    if let Some(progress) = &options.progress {
        progress.set_total(declarations);
    }
    if options.in_current_thread {
        return check_in_pool(src, options, roles);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .stack_size(CHECKER_STACK)
        .build();
    match pool {
        Ok(pool) => pool.install(|| check_in_pool(src, options, roles)),
        Err(e) => CheckReport {
            result: Err(KernelError::decline(
                &Name::anonymous(),
                format!("cannot start checker threads: {e}"),
            )),
            constants: Vec::new(),
            declarations,
            failed_declaration: None,
        },
    }
}

fn check_in_pool(src: Source<'_>, options: &CheckOptions, roles: &[Role]) -> CheckReport {
    let mut declarations = src.declarations();
    let mut env = Env::with_capacity(src.constants());
    let mut generated = Interner::default();
    let mut pending = Pending::default();
    let mut results = Results {
        constants: Vec::with_capacity(declarations),
        first_failure: None,
    };
    let mut add = |index: usize, decl: &Declaration<Expr>, too_deep: bool| -> bool {
        if too_deep {
            let reason = format!("a universe level deeper than {}", crate::level::MAX_DEPTH);
            results.fail(index, KernelError::decline(&decl_name(decl), reason));
            return false;
        }
        let queued = pending.tasks.len();
        let role = roles.get(index).copied().unwrap_or(Role::Check);
        let added = add_declaration(
            &mut env,
            &mut generated,
            decl,
            index,
            role,
            options,
            &mut pending,
        );
        if pending.tasks.len() == queued {
            tick(options);
        }
        if let Err(e) = added {
            results.fail(index, e);
            return false;
        }
        crate::primitive::note_declaration(&mut env, &decl.names(), index, &options.tc);
        !pending.round_ready(&env, options.round)
            || results.check_round(&env, &mut pending, options)
    };
    match src {
        Source::Lean(src) => {
            let mut conv = Converter::default();
            for (index, decl) in src.decls.iter().enumerate() {
                let converted = decl.map_terms(&mut |e| conv.expr(e));
                if !add(index, &converted, conv.take_too_deep()) {
                    break;
                }
            }
        }
        Source::LeanOwned(src) => {
            let mut conv = Converter::default();
            let mut freer = ix_base::BackgroundDrop::start();
            for (index, decl) in src.decls.into_iter().enumerate() {
                let converted = decl.map_terms(&mut |e| conv.expr(e));
                freer.drop_later(decl);
                if !add(index, &converted, conv.take_too_deep()) {
                    break;
                }
            }
        }
        Source::Kernel(decls) => {
            for (index, ReadDeclaration { decl, too_deep }) in decls.iter().enumerate() {
                if !add(index, decl, *too_deep) {
                    break;
                }
            }
        }
        // Each declaration is freed (on another thread) once added: what
        // the environment does not keep is gone before the parallel pass.
        Source::Stream(stream, unreadable) => {
            let mut freer = ix_base::BackgroundDrop::start();
            let mut index = 0;
            'read: while let Some(batch) = stream.next_batch() {
                for ReadDeclaration { decl, too_deep } in batch {
                    if let Some(progress) = &options.progress {
                        progress.set_total(index + 1);
                    }
                    let go_on = add(index, &decl, too_deep);
                    freer.drop_later(decl);
                    index += 1;
                    if !go_on {
                        break 'read;
                    }
                }
            }
            match stream.finish() {
                Ok(count) => declarations = count,
                Err(e) => {
                    *unreadable = Some(e);
                    return CheckReport {
                        result: Ok(()),
                        constants: Vec::new(),
                        declarations: index,
                        failed_declaration: None,
                    };
                }
            }
        }
    }
    drop(generated);
    results.check_round(&env, &mut pending, options);
    ix_base::drop_in_background(env);
    let Results {
        constants,
        first_failure,
    } = results;
    CheckReport {
        failed_declaration: first_failure.as_ref().map(|(i, _)| *i),
        result: first_failure.map_or(Ok(()), |(_, e)| Err(e)),
        constants,
        declarations,
    }
}

fn tick(options: &CheckOptions) {
    if let Some(progress) = &options.progress {
        progress.advance(1);
    }
}

/// How many constants a declaration adds (an inductive block: its types,
/// constructors and recursors).
fn constant_count<E>(decl: &Declaration<E>) -> usize {
    match decl {
        Declaration::Inductive(b) => b.types.len() + b.ctors.len() + b.recs.len(),
        _ => 1,
    }
}

/// The name a declaration is reported under (a block: its first type).
fn decl_name(decl: &Declaration<Expr>) -> Name {
    match decl {
        Declaration::Axiom(a) => a.cval.name.clone(),
        Declaration::Definition(d) => d.cval.name.clone(),
        Declaration::Theorem(t) => t.cval.name.clone(),
        Declaration::Opaque(o) => o.cval.name.clone(),
        Declaration::Quot(q) => q.cval.name.clone(),
        Declaration::Inductive(b) => b
            .types
            .first()
            .map_or_else(Name::anonymous, |t| t.cval.name.clone()),
    }
}

/// Universe parameter names must be distinct.
fn check_level_params(name: &Name, params: &[Name]) -> KResult<()> {
    for (i, p) in params.iter().enumerate() {
        if params[..i].contains(p) {
            return Err(KernelError::reject(
                name,
                format!("duplicate universe parameter {p}"),
            ));
        }
    }
    Ok(())
}

fn insert(env: &mut Env, info: ConstantInfo, index: usize) -> KResult<()> {
    env.insert(info, index)
        .map_err(|n| KernelError::reject(&n, "a constant with this name is already declared"))
}

/// Tasks checked per parallel round. Rounds run as soon as this many are
/// queued, while the reader goes on reading the file: each body is checked
/// against what was added before it (the checker refuses anything later),
/// so a round needs no more of the environment than is in.
const ROUND: usize = 4096;

/// What the sequential pass leaves for the parallel one: bodies to check,
/// and the inductive blocks it already checked.
#[derive(Default)]
struct Pending {
    tasks: Vec<Task>,
    block_reports: Vec<(usize, ConstantReport)>,
    /// Queued tasks whose mutual block names other constants (they may
    /// only be checked once those are in).
    with_block: usize,
    /// Queue length at which the next round is tried.
    next_round: usize,
}

impl Pending {
    fn queue(&mut self, task: Task) {
        self.with_block += usize::from(!task.same_block().is_empty());
        self.tasks.push(task);
    }

    /// Whether a round is due: enough tasks, and every mutual block named
    /// by one of them fully added. A block still open puts the round off
    /// by another round of tasks, so an export whose blocks never close
    /// costs no more than linear time here.
    fn round_ready(&mut self, env: &Env, round: usize) -> bool {
        let round = if round == 0 { ROUND } else { round };
        if self.tasks.len() < self.next_round.max(round) {
            return false;
        }
        let closed = self.with_block == 0
            || self
                .tasks
                .iter()
                .all(|t| t.same_block().iter().all(|n| env.contains(n)));
        if !closed {
            self.next_round = self.tasks.len() + round;
        }
        closed
    }

    fn take_round(&mut self) -> Vec<Task> {
        self.with_block = 0;
        self.next_round = 0;
        std::mem::take(&mut self.tasks)
    }
}

/// The reports so far, in declaration order, and the first failure.
struct Results {
    constants: Vec<ConstantReport>,
    first_failure: Option<(usize, KernelError)>,
}

impl Results {
    /// Keeps the failure of declaration `index` if it is the first so far.
    fn fail(&mut self, index: usize, e: KernelError) {
        if self.first_failure.as_ref().is_none_or(|(i, _)| index < *i) {
            self.first_failure = Some((index, e));
        }
    }

    /// Checks the queued tasks (in parallel unless told to stay on this
    /// thread) and appends their reports, merged with the blocks' checked
    /// since the last round: both are in declaration order, and nothing
    /// added later comes before them. Inductive blocks go first: one that
    /// fails ends the check as if it had failed in the sequential pass (no
    /// report past it, no later body checked against it, whatever that
    /// would cost), so the pass may go on only when this returns true.
    fn check_round(&mut self, env: &Env, pending: &mut Pending, options: &CheckOptions) -> bool {
        let tasks = pending.take_round();
        let (blocks, constants): (Vec<&Task>, Vec<&Task>) =
            tasks.iter().partition(|t| t.is_block());
        let block_outcomes = run_tasks(env, &blocks, options);
        let cutoff = blocks
            .iter()
            .zip(&block_outcomes)
            .find(|(_, (_, failure))| failure.is_some())
            .map(|(t, _)| t.index);
        let before_cutoff = |index: usize| cutoff.is_none_or(|c| index <= c);
        let constants: Vec<&Task> = constants
            .into_iter()
            .filter(|t| before_cutoff(t.index))
            .collect();
        let constant_outcomes = run_tasks(env, &constants, options);
        let mut outcomes: Vec<(usize, Outcome)> = blocks
            .iter()
            .map(|t| t.index)
            .zip(block_outcomes)
            .chain(constants.iter().map(|t| t.index).zip(constant_outcomes))
            .chain(pending.block_reports.drain(..).map(|(i, r)| (i, (r, None))))
            .filter(|(i, _)| before_cutoff(*i))
            .collect();
        outcomes.sort_by_key(|(i, _)| *i);
        for (index, (report, failure)) in outcomes {
            if let Some(e) = failure {
                self.fail(index, e);
            }
            if !options.discard_reports {
                self.constants.push(report);
            }
        }
        cutoff.is_none()
    }
}

/// Checks `tasks` (in parallel unless told to stay on this thread), each
/// worker keeping its caches from one constant to the next.
fn run_tasks(env: &Env, tasks: &[&Task], options: &CheckOptions) -> Vec<Outcome> {
    let run = |caches: &mut Caches, task: &&Task| {
        let (report, r) = check_task(env, task, &options.tc, caches);
        tick(options);
        (report, r.err())
    };
    if options.in_current_thread {
        let mut caches = Caches::default();
        tasks.iter().map(|t| run(&mut caches, t)).collect()
    } else {
        tasks.par_iter().map_init(Caches::default, run).collect()
    }
}

/// The sequential part for one declaration: adds its constants to `env`
/// and queues what the parallel pass checks.
fn add_declaration(
    env: &mut Env,
    generated: &mut Interner,
    decl: &Declaration<Expr>,
    index: usize,
    role: Role,
    options: &CheckOptions,
    pending: &mut Pending,
) -> KResult<()> {
    let val = |cv: &ix_lean::ConstantVal<Expr>| -> KResult<ConstantVal> {
        check_level_params(&cv.name, &cv.level_params)?;
        Ok(ConstantVal {
            name: cv.name.clone(),
            level_params: cv.level_params.clone().into(),
            ty: cv.ty.clone(),
        })
    };
    let (info, same_block) = match decl {
        Declaration::Axiom(a) => {
            let v = val(&a.cval)?;
            (
                ConstantInfo::Axiom {
                    val: v,
                    is_unsafe: a.is_unsafe,
                },
                Vec::new(),
            )
        }
        Declaration::Definition(d) => {
            let v = val(&d.cval)?;
            let value = d.value.clone();
            let same_block = if d.safety == DefinitionSafety::Safe {
                Vec::new()
            } else {
                d.all.clone()
            };
            (
                ConstantInfo::Definition {
                    val: v,
                    value,
                    hints: d.hints,
                    safety: d.safety,
                },
                same_block,
            )
        }
        Declaration::Theorem(t) => {
            let v = val(&t.cval)?;
            let value = t.value.clone();
            (ConstantInfo::Theorem { val: v, value }, Vec::new())
        }
        Declaration::Opaque(o) => {
            let v = val(&o.cval)?;
            let value = o.value.clone();
            let same_block = if o.is_unsafe {
                o.all.clone()
            } else {
                Vec::new()
            };
            (
                ConstantInfo::Opaque {
                    val: v,
                    value,
                    is_unsafe: o.is_unsafe,
                },
                same_block,
            )
        }
        Declaration::Quot(q) => {
            let v = val(&q.cval)?;
            crate::quot::check_quot(env, &v.name, q.kind, &v.level_params, &v.ty)?;
            insert(
                env,
                ConstantInfo::Quot {
                    val: v,
                    kind: q.kind,
                },
                index,
            )?;
            return Ok(());
        }
        Declaration::Inductive(block) if role != Role::Check => {
            return crate::inductive::add_trusted_inductive_block(env, block, index);
        }
        Declaration::Inductive(block) => {
            // The block's checking spreads over several checkers: meter them as one.
            let meter = Arc::new(Meter::default());
            let tc = TcOptions {
                meter: Some(meter.clone()),
                ..options.tc.clone()
            };
            let added = crate::inductive::begin_inductive_block(env, block, generated, index, &tc);
            if let Ok(Some(deferred)) = added {
                let kind = TaskKind::Block(Box::new(deferred), meter);
                pending.queue(Task { index, kind });
                return Ok(());
            }
            if let Some(first) = block.types.first() {
                let report = metered_report(first.cval.name.clone(), &meter);
                pending.block_reports.push((index, report));
            }
            return added.map(|_| ());
        }
    };
    let name = info.name().clone();
    insert(env, info, index)?;
    match role {
        Role::Check => {}
        Role::Trust => return Ok(()),
        Role::TrustType => {
            env.withhold(name);
            return Ok(());
        }
    }
    pending.queue(Task {
        index,
        kind: TaskKind::Constant { name, same_block },
    });
    Ok(())
}

fn metered_report(name: Name, meter: &Meter) -> ConstantReport {
    ConstantReport {
        name,
        heartbeats: meter.heartbeats(),
        unfolded: meter.unfolded().into(),
    }
}

fn safety_of(is_unsafe: bool) -> DefinitionSafety {
    if is_unsafe {
        DefinitionSafety::Unsafe
    } else {
        DefinitionSafety::Safe
    }
}

/// Checks one declaration's type and body; reports the heartbeats spent
/// (and, when profiling, what it unfolded). Each declaration gets a fresh
/// checker, with `caches` readied for it (see [`Caches::next_constant`]),
/// so no memo filled by another constant hides an unfold or saves fuel.
fn check_task(
    env: &Env,
    task: &Task,
    options: &TcOptions,
    caches: &mut Caches,
) -> (ConstantReport, KResult<()>) {
    let (name, same_block) = match &task.kind {
        TaskKind::Constant { name, same_block } => (name, same_block),
        TaskKind::Block(block, meter) => {
            let metered = TcOptions {
                meter: Some(meter.clone()),
                ..options.clone()
            };
            let r = block.finish(env, &metered);
            return (metered_report(block.name().clone(), meter), r);
        }
    };
    let Some(info) = env.get(name) else {
        let lost = KernelError::decline(name, "queued constant missing from the environment");
        let report = ConstantReport {
            name: name.clone(),
            heartbeats: 0,
            unfolded: Box::default(),
        };
        return (report, Err(lost));
    };
    let mut tc = TypeChecker::new(
        env,
        name.clone(),
        task.index,
        info.val().level_params.clone(),
        safety_of_info(info),
        options,
    );
    tc.caches = std::mem::take(caches);
    let r = check_task_with(&mut tc, info, same_block)
        .map_err(|e| explain_withheld(e, &tc.withheld_needed()));
    *caches = std::mem::take(&mut tc.caches);
    caches.next_constant();
    let report = ConstantReport {
        name: name.clone(),
        heartbeats: tc.heartbeats(),
        unfolded: tc.take_unfolded().into(),
    };
    (report, r)
}

/// The safety a declaration's body is checked under.
fn safety_of_info(info: &ConstantInfo) -> DefinitionSafety {
    match info {
        ConstantInfo::Definition { safety, .. } => *safety,
        _ => safety_of(info.is_unsafe()),
    }
}

/// A rejection that came after a withheld body was needed is the shard's
/// fault, not the declaration's: say so.
fn explain_withheld(e: KernelError, needed: &[Name]) -> KernelError {
    match (&e, needed.first()) {
        (KernelError::Reject { decl, reason }, Some(_)) => {
            let names: Vec<String> = needed.iter().map(|n| n.to_string()).collect();
            KernelError::reject(
                decl,
                format!(
                    "needs the body of {}, which the shard neither owns nor lists as foreign ({reason})",
                    names.join(", ")
                ),
            )
        }
        _ => e,
    }
}

fn check_task_with(tc: &mut TypeChecker, info: &ConstantInfo, same_block: &[Name]) -> KResult<()> {
    let ty = info.ty();
    let sort = tc.check(ty)?;
    tc.ensure_sort(&sort)?;
    let value = match info {
        ConstantInfo::Theorem { value, .. } => {
            if !tc.is_proof_type(ty)? {
                return Err(tc.reject("the type of a theorem must be a proposition"));
            }
            value
        }
        ConstantInfo::Definition { value, .. } | ConstantInfo::Opaque { value, .. } => value,
        _ => return Ok(()),
    };
    tc.allow_same_block(same_block.iter().cloned());
    let value_ty = tc.check(value)?;
    if !tc.is_def_eq(&value_ty, ty)? {
        return Err(tc.reject(format!(
            "value has type {value_ty}, but is declared with type {ty}"
        )));
    }
    Ok(())
}

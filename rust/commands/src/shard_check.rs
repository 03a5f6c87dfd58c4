//! `ix check-shard`, `ix check-shards`, `ix verify-claims`: check one shard
//! on its own, with the blocks other shards own as trusted assumptions, and
//! verify that a set of shard claims covers an environment.
//!
//! What a shard loads: its members (checked), its foreign blocks (trusted,
//! with their bodies, since its members unfold them), and, by type only, the
//! other constants those mention. A body that is neither owned nor foreign
//! is withheld: if a member needs to unfold it, the check fails and says so.

use crate::check::Verdict;
use crate::input::{invalid, load_lazy, InputError};
use ix_import::{Compiled, LazyDecls};
use ix_kernel::{check_environment_with_roles, CheckOptions, Role};
use ix_lean::{Declaration, Expr, Name};
use ix_shard::manifest::{Manifest, Shard};
use ixon::{Address, ConstantInfo};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum ShardCheckError {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{file}: {message}")]
    Manifest { file: String, message: String },
    #[error("{0}")]
    Usage(String),
    #[error("{file}: {message}")]
    Claims { file: String, message: String },
}

/// What one shard check establishes: under the assumptions (the foreign
/// blocks, by merkle root), the owned constants (by merkle root) check.
#[derive(Clone, Debug, PartialEq)]
pub struct ShardClaim {
    pub shard: u32,
    pub verdict: Verdict,
    pub message: String,
    pub env_root: Option<[u8; 32]>,
    /// The environment's root with its names and entries bound
    /// (`IxonEnv::named_root`): a claim holds for these names only.
    pub named_root: [u8; 32],
    pub owned_root: Option<[u8; 32]>,
    pub assumption_root: Option<[u8; 32]>,
    /// Ixon constants (projections included) whose home block the shard owns.
    pub owned_constants: usize,
    /// Declared names the shard checked (each name of the env in exactly one shard).
    pub checked_names: usize,
    pub heartbeats: u64,
    pub seconds: f64,
}

fn hex(bytes: &Option<[u8; 32]>) -> serde_json::Value {
    match bytes {
        Some(b) => Address(*b).hex().into(),
        None => serde_json::Value::Null,
    }
}

fn parse_hex(v: &serde_json::Value) -> Result<Option<[u8; 32]>, String> {
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Address::from_hex(s)
            .map(|a| Some(a.0))
            .ok_or_else(|| format!("bad hex {s:?}: expected 64 hex digits")),
        other => Err(format!("expected a 64-digit hex root or null, got {other}")),
    }
}

impl ShardClaim {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "shard": self.shard,
            "verdict": self.verdict.as_str(),
            "message": self.message,
            "env_root": hex(&self.env_root),
            "named_root": Address(self.named_root).hex(),
            "owned_root": hex(&self.owned_root),
            "assumption_root": hex(&self.assumption_root),
            "owned_constants": self.owned_constants,
            "checked_names": self.checked_names,
            "heartbeats": self.heartbeats,
            "seconds": self.seconds,
        })
    }

    pub fn from_json(v: &serde_json::Value) -> Result<ShardClaim, String> {
        let field = |k: &str| v.get(k).ok_or_else(|| format!("missing field `{k}`"));
        let number = |k: &str| -> Result<u64, String> {
            field(k)?
                .as_u64()
                .ok_or_else(|| format!("`{k}` must be a non-negative integer"))
        };
        let verdict = match field("verdict")?.as_str() {
            Some("accept") => Verdict::Accept,
            Some("reject") => Verdict::Reject,
            Some("decline") => Verdict::Decline,
            _ => return Err("`verdict` must be accept, reject or decline".into()),
        };
        Ok(ShardClaim {
            shard: u32::try_from(number("shard")?)
                .map_err(|_| "`shard` is too large".to_string())?,
            verdict,
            message: field("message")?.as_str().unwrap_or_default().to_string(),
            env_root: parse_hex(field("env_root")?)?,
            named_root: parse_hex(field("named_root")?)?
                .ok_or("`named_root` must be a 64-digit hex root")?,
            owned_root: parse_hex(field("owned_root")?)?,
            assumption_root: parse_hex(field("assumption_root")?)?,
            owned_constants: number("owned_constants")? as usize,
            checked_names: number("checked_names")? as usize,
            heartbeats: number("heartbeats")?,
            seconds: field("seconds")?.as_f64().unwrap_or(0.0),
        })
    }
}

/// An environment with a manifest that belongs to it. Declarations are
/// decompiled when a shard first needs them, each once: a shard job
/// decompiles its closure, not the whole environment.
pub struct ShardedEnv {
    pub compiled: Compiled,
    decls: LazyDecls,
    decompiled: Vec<OnceLock<Result<Declaration, String>>>,
    /// Declarations with a name the kernel accelerates (primitive candidates).
    primitive: Vec<bool>,
    pub manifest: Manifest,
    pub env_path: PathBuf,
    /// The Ixon constants (projections included) of each home block.
    constants_by_home: FxHashMap<[u8; 32], Vec<[u8; 32]>>,
    /// How many Ixon constants the environment has.
    constant_count: usize,
    /// The environment's merkle root (every claim carries it; computed once,
    /// since it hashes every constant address).
    env_root: Option<[u8; 32]>,
    /// The environment's named root (every claim carries it too).
    named_root: [u8; 32],
    /// Declaration index of each name (the later one for a duplicated name).
    decl_of: FxHashMap<Name, usize>,
    /// Every declaration of each name that is declared more than once.
    duplicates: FxHashMap<Name, Vec<usize>>,
    /// The declarations with a name homed in each block (computed once, so a
    /// shard visits its own blocks instead of the whole environment).
    decls_by_home: FxHashMap<[u8; 32], Vec<usize>>,
}

/// Loads `env` and `manifest` and checks that every block the manifest
/// names is a block of the environment.
pub fn load_sharded(env_path: &Path, manifest_path: &Path) -> Result<ShardedEnv, ShardCheckError> {
    let crate::input::LazyEnv { compiled, decls } = load_lazy(env_path)?;
    let manifest_file = manifest_path.display().to_string();
    let manifest = Manifest::read_file(manifest_path).map_err(|e| ShardCheckError::Manifest {
        file: manifest_file.clone(),
        message: e.to_string(),
    })?;
    let blocks: FxHashSet<[u8; 32]> = compiled.block_sizes.keys().map(|a| a.0).collect();
    for shard in &manifest.shards {
        let unknown = shard
            .members
            .iter()
            .chain(&shard.foreign)
            .find(|a| !blocks.contains(*a));
        if let Some(a) = unknown {
            return Err(ShardCheckError::Manifest {
                file: manifest_file,
                message: format!(
                    "does not belong to {}: shard {} names block {}, which is not in the environment",
                    env_path.display(),
                    shard.id,
                    Address(*a).hex()
                ),
            });
        }
    }
    let mut constants_by_home: FxHashMap<[u8; 32], Vec<[u8; 32]>> = FxHashMap::default();
    for (address, c) in &compiled.env.consts {
        let home = match &c.info {
            ConstantInfo::CPrj { block, .. }
            | ConstantInfo::RPrj { block, .. }
            | ConstantInfo::IPrj { block, .. }
            | ConstantInfo::DPrj { block, .. } => *block,
            _ => *address,
        };
        constants_by_home.entry(home.0).or_default().push(address.0);
    }
    let mut decl_of = FxHashMap::default();
    let mut all_of: FxHashMap<Name, Vec<usize>> = FxHashMap::default();
    let mut decls_by_home: FxHashMap<[u8; 32], Vec<usize>> = FxHashMap::default();
    let mut primitive = Vec::with_capacity(decls.len());
    for i in 0..decls.len() {
        let names = declared_names(&decls, i);
        for n in &names {
            decl_of.insert(n.clone(), i);
        }
        primitive.push(names.iter().any(ix_kernel::primitive::is_candidate));
        for n in claimed_names(&decls, i) {
            all_of.entry(n).or_default().push(i);
        }
        let mut homes: Vec<[u8; 32]> = names
            .iter()
            .filter_map(|n| compiled.homes.get(n).map(|a| a.0))
            .collect();
        homes.sort_unstable();
        homes.dedup();
        for h in homes {
            decls_by_home.entry(h).or_default().push(i);
        }
    }
    all_of.retain(|_, decls| decls.len() > 1);
    Ok(ShardedEnv {
        constant_count: compiled.env.consts.len(),
        env_root: compiled.env.root().map(|a| a.0),
        named_root: compiled.env.named_root().0,
        decompiled: (0..decls.len()).map(|_| OnceLock::new()).collect(),
        primitive,
        compiled,
        decls,
        manifest,
        env_path: env_path.to_path_buf(),
        constants_by_home,
        decl_of,
        duplicates: all_of,
        decls_by_home,
    })
}

/// The names declaration `i` declares (read off the metadata).
fn declared_names(decls: &LazyDecls, i: usize) -> Vec<Name> {
    decls.declares(i).iter().map(|(n, _)| n.clone()).collect()
}

/// The names a declaration takes in the kernel: its own, plus the `T.rec`
/// the kernel generates for each inductive type (the exporter may name its
/// recursors otherwise), so that collisions with them are seen.
fn claimed_names(decls: &LazyDecls, i: usize) -> Vec<Name> {
    let mut names = declared_names(decls, i);
    names.extend(decls.inductive_types(i).iter().map(|(t, _)| t.str("rec")));
    names
}

/// The growing set of declarations a shard loads.
struct Loading {
    roles: Vec<Option<Role>>,
    /// Loaded with everything below their bodies (primitive candidates).
    deep: Vec<bool>,
    work: Vec<usize>,
}

impl Loading {
    /// Loads declaration `i` with at least `role` (Check > Trust > TrustType);
    /// a primitive candidate comes with its body and everything below it.
    fn require(&mut self, i: usize, role: Role, primitive: bool) {
        let rank = |r: Option<Role>| match r {
            None => 0,
            Some(Role::TrustType) => 1,
            Some(Role::Trust) => 2,
            Some(Role::Check) => 3,
        };
        let role = if primitive && role == Role::TrustType {
            Role::Trust
        } else {
            role
        };
        if primitive && !self.deep[i] {
            self.deep[i] = true;
            self.work.push(i);
        }
        if rank(Some(role)) > rank(self.roles[i]) {
            self.roles[i] = Some(role);
            self.work.push(i);
        }
    }
}

/// Every expression of a declaration (types, values, rules).
fn expressions(d: &Declaration, with_values: bool) -> Vec<&Arc<Expr>> {
    match d {
        Declaration::Axiom(a) => vec![&a.cval.ty],
        Declaration::Definition(v) if with_values => vec![&v.cval.ty, &v.value],
        Declaration::Definition(v) => vec![&v.cval.ty],
        Declaration::Theorem(v) if with_values => vec![&v.cval.ty, &v.value],
        Declaration::Theorem(v) => vec![&v.cval.ty],
        Declaration::Opaque(v) if with_values => vec![&v.cval.ty, &v.value],
        Declaration::Opaque(v) => vec![&v.cval.ty],
        Declaration::Quot(q) => vec![&q.cval.ty],
        Declaration::Inductive(b) => b
            .types
            .iter()
            .map(|t| &t.cval.ty)
            .chain(b.ctors.iter().map(|c| &c.cval.ty))
            .chain(b.recs.iter().map(|r| &r.cval.ty))
            .chain(
                b.recs
                    .iter()
                    .flat_map(|r| r.rules.iter().map(|rule| &rule.rhs)),
            )
            .collect(),
    }
}

/// The constant names a declaration mentions (a DAG walk with a visited
/// set), plus what the kernel needs implicitly: the whole quotient package
/// and `Eq` for any quotient declaration, `Nat` for Nat literals, the `String` expansion for strings.
fn mentioned_names(d: &Declaration, with_values: bool) -> FxHashSet<Name> {
    let mut seen: FxHashSet<*const Expr> = FxHashSet::default();
    let mut names = FxHashSet::default();
    if let Declaration::Quot(_) = d {
        // The package comes whole (quotient reduction needs all four), after Eq.
        for n in ["Eq", "Quot", "Quot.mk", "Quot.lift", "Quot.ind"] {
            names.insert(Name::from_dotted(n));
        }
    }
    let mut stack: Vec<&Arc<Expr>> = expressions(d, with_values);
    while let Some(e) = stack.pop() {
        if !seen.insert(Arc::as_ptr(e)) {
            continue;
        }
        match &**e {
            Expr::Const(n, _) | Expr::Proj(n, _, _) => {
                names.insert(n.clone());
            }
            Expr::Lit(ix_lean::Literal::Nat(_)) => {
                names.insert(Name::from_dotted("Nat"));
            }
            Expr::Lit(ix_lean::Literal::Str(_)) => {
                for n in [
                    "String",
                    "String.ofList",
                    "Char.ofNat",
                    "List",
                    "Char",
                    "Nat",
                ] {
                    names.insert(Name::from_dotted(n));
                }
            }
            _ => {}
        }
        stack.extend(e.children());
    }
    names
}

impl ShardedEnv {
    pub fn env_root(&self) -> Option<[u8; 32]> {
        self.env_root
    }

    pub fn named_root(&self) -> [u8; 32] {
        self.named_root
    }

    fn shard(&self, k: u32) -> Result<&Shard, ShardCheckError> {
        self.manifest.shards.get(k as usize).ok_or_else(|| {
            ShardCheckError::Usage(format!(
                "shard {k} does not exist: the manifest has {} shards (0 to {})",
                self.manifest.shards.len(),
                self.manifest.shards.len().saturating_sub(1)
            ))
        })
    }

    /// The Ixon constants whose home block the shard owns.
    fn owned_constants(&self, shard: &Shard) -> Vec<[u8; 32]> {
        shard
            .members
            .iter()
            .filter_map(|b| self.constants_by_home.get(b))
            .flatten()
            .copied()
            .collect()
    }

    /// The declarations with a name homed in `block`.
    fn homed_in(&self, block: &[u8; 32]) -> &[usize] {
        self.decls_by_home
            .get(block)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    fn home(&self, n: &Name) -> Option<[u8; 32]> {
        self.compiled.homes.get(n).map(|a| a.0)
    }

    /// Declaration `i`, decompiled the first time any shard asks for it.
    fn decl(&self, i: usize) -> Result<&Declaration, ShardCheckError> {
        let decompiled = self.decompiled.get(i).ok_or_else(|| {
            ShardCheckError::Input(invalid(&self.env_path, format!("no declaration {i}")))
        })?;
        let result = decompiled.get_or_init(|| {
            self.decls
                .decl(&self.compiled.env, i)
                .map_err(|e| e.to_string())
        });
        match result {
            Ok(d) => Ok(d),
            Err(e) => Err(ShardCheckError::Input(invalid(&self.env_path, e.clone()))),
        }
    }

    /// The role of each declaration in shard `k`'s check (`None` = not loaded).
    fn roles(&self, shard: &Shard) -> Result<Vec<Option<Role>>, ShardCheckError> {
        let count = self.decls.len();
        let mut loading = Loading {
            roles: vec![None; count],
            deep: vec![false; count],
            work: Vec::new(),
        };
        // Roles only rise, so a declaration homed in both a member and a
        // foreign block ends up checked whatever the order.
        for (blocks, role) in [(&shard.members, Role::Check), (&shard.foreign, Role::Trust)] {
            for &i in blocks.iter().flat_map(|b| self.homed_in(b)) {
                loading.require(i, role, self.primitive[i]);
            }
        }
        // A name declared twice is a global error: every declaration of an
        // owned name is loaded, so the owner sees the collision.
        for i in loading.work.clone() {
            for n in claimed_names(&self.decls, i) {
                for &j in self
                    .duplicates
                    .get(&n)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                {
                    loading.require(j, Role::TrustType, self.primitive[j]);
                }
            }
        }
        // What the loaded declarations mention must be there too: by type,
        // or with bodies below a primitive (whose equations are verified).
        while let Some(i) = loading.work.pop() {
            let with_values = loading.roles[i] != Some(Role::TrustType);
            let wanted = if loading.deep[i] {
                Role::Trust
            } else {
                Role::TrustType
            };
            for n in mentioned_names(self.decl(i)?, with_values) {
                if let Some(&j) = self.decl_of.get(&n) {
                    loading.require(j, wanted, self.primitive[j]);
                    if loading.deep[i] && !loading.deep[j] {
                        loading.deep[j] = true;
                        loading.work.push(j);
                    }
                }
            }
        }
        Ok(loading.roles)
    }

    /// Checks shard `k` on its own.
    pub fn check_shard(
        &self,
        k: u32,
        options: &CheckOptions,
    ) -> Result<ShardClaim, ShardCheckError> {
        let started = Instant::now();
        let shard = self.shard(k)?;
        let roles = self.roles(shard)?;
        let mut sub = ix_lean::Environment {
            meta: self.decls.meta(&self.compiled.env),
            decls: Vec::new(),
        };
        let mut sub_roles = Vec::new();
        let members: FxHashSet<[u8; 32]> = shard.members.iter().copied().collect();
        let mut checked_names = 0;
        for (i, role) in roles.iter().enumerate() {
            let Some(role) = role else { continue };
            sub.decls.push(self.decl(i)?.clone());
            sub_roles.push(*role);
            if *role == Role::Check {
                checked_names += self
                    .decls
                    .declares(i)
                    .iter()
                    .filter(|(n, _)| self.home(n).is_some_and(|h| members.contains(&h)))
                    .count();
            }
        }
        let report = check_environment_with_roles(&sub, options, &sub_roles);
        let (verdict, message) = match &report.result {
            Ok(()) => (
                Verdict::Accept,
                format!("accept: {checked_names} constants checked"),
            ),
            Err(e) => (
                match e.verdict() {
                    ix_kernel::Verdict::Reject => Verdict::Reject,
                    ix_kernel::Verdict::Decline => Verdict::Decline,
                },
                format!(
                    "{}: {e}",
                    if matches!(e, ix_kernel::KernelError::Reject { .. }) {
                        "reject"
                    } else {
                        "decline"
                    }
                ),
            ),
        };
        let owned = self.owned_constants(shard);
        Ok(ShardClaim {
            shard: k,
            verdict,
            message,
            env_root: self.env_root(),
            named_root: self.named_root,
            owned_root: ixesp::merkle_root_canonical(&owned),
            assumption_root: ixesp::merkle_root_canonical(&shard.foreign),
            owned_constants: owned.len(),
            checked_names,
            heartbeats: report.constants.iter().map(|c| c.heartbeats).sum(),
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// Structural checks of the manifest against the env: shards disjoint,
    /// covering every block, and every assumption owned by some shard.
    pub fn verify_partition(&self) -> Result<(), String> {
        let mut owner: FxHashMap<[u8; 32], u32> = FxHashMap::default();
        for s in &self.manifest.shards {
            for m in &s.members {
                if let Some(other) = owner.insert(*m, s.id) {
                    return Err(format!(
                        "block {} is owned by shards {other} and {}",
                        Address(*m).hex(),
                        s.id
                    ));
                }
            }
        }
        if let Some(missing) = self
            .compiled
            .block_sizes
            .keys()
            .find(|a| !owner.contains_key(&a.0))
        {
            return Err(format!("block {} is owned by no shard", missing.hex()));
        }
        for s in &self.manifest.shards {
            if let Some(f) = s.foreign.iter().find(|f| !owner.contains_key(*f)) {
                return Err(format!(
                    "shard {} assumes block {}, which no shard owns",
                    s.id,
                    Address(*f).hex()
                ));
            }
        }
        Ok(())
    }

    /// The shards that own a home block of declaration `index`.
    pub fn owners_of(&self, index: usize) -> Vec<u32> {
        let homes: Vec<[u8; 32]> = self
            .decls
            .declares(index)
            .iter()
            .filter_map(|(n, _)| self.home(n))
            .collect();
        self.manifest
            .shards
            .iter()
            .filter(|s| homes.iter().any(|h| s.members.binary_search(h).is_ok()))
            .map(|s| s.id)
            .collect()
    }

    /// The shard count.
    pub fn shard_count(&self) -> u32 {
        self.manifest.shards.len() as u32
    }

    /// Total declared names and Ixon constants, what the shards must cover.
    pub fn totals(&self) -> (usize, usize) {
        let names = (0..self.decls.len())
            .map(|i| self.decls.declares(i).len())
            .sum();
        (names, self.constant_count)
    }
}

/// Checks that `claims` (one per shard) together establish the environment:
/// each shard claimed exactly once, every claim accepted and about this env,
/// its roots equal to what the manifest and env give. A missing claim is
/// named by the file expected in `claims_dir`.
pub fn verify_claims(
    sharded: &ShardedEnv,
    claims_dir: &Path,
    claims: &[(PathBuf, ShardClaim)],
) -> Result<(), ShardCheckError> {
    let fail = |file: &Path, message: String| ShardCheckError::Claims {
        file: file.display().to_string(),
        message,
    };
    let mut seen: FxHashMap<u32, &Path> = FxHashMap::default();
    for (file, claim) in claims {
        if let Some(first) = seen.insert(claim.shard, file) {
            return Err(fail(
                file,
                format!(
                    "shard {} is claimed twice (also by {})",
                    claim.shard,
                    first.display()
                ),
            ));
        }
        let shard = sharded
            .shard(claim.shard)
            .map_err(|e| fail(file, e.to_string()))?;
        if claim.env_root != sharded.env_root() {
            return Err(fail(
                file,
                "the claim is about another environment (env_root differs)".into(),
            ));
        }
        if claim.named_root != sharded.named_root() {
            return Err(fail(
                file,
                "the claim is about other names for these constants (named_root differs)".into(),
            ));
        }
        if claim.verdict != Verdict::Accept {
            return Err(fail(
                file,
                format!("shard {} did not accept: {}", claim.shard, claim.message),
            ));
        }
        if claim.owned_root != ixesp::merkle_root_canonical(&sharded.owned_constants(shard)) {
            return Err(fail(
                file,
                format!(
                    "shard {}: owned_root does not match the manifest",
                    claim.shard
                ),
            ));
        }
        if claim.assumption_root != ixesp::merkle_root_canonical(&shard.foreign) {
            return Err(fail(
                file,
                format!(
                    "shard {}: assumption_root does not match the manifest",
                    claim.shard
                ),
            ));
        }
    }
    if let Some(missing) = (0..sharded.shard_count()).find(|k| !seen.contains_key(k)) {
        return Err(ShardCheckError::Claims {
            file: claims_dir
                .join(format!("shard-{missing}.json"))
                .display()
                .to_string(),
            message: format!("no claim for shard {missing} in the folder"),
        });
    }
    sharded
        .verify_partition()
        .map_err(|m| ShardCheckError::Manifest {
            file: sharded.env_path.display().to_string(),
            message: m,
        })
}

/// Reads every `*.json` claim in `dir`, sorted by file name.
pub fn read_claims(dir: &Path) -> Result<Vec<(PathBuf, ShardClaim)>, ShardCheckError> {
    let fail = |file: &Path, message: String| ShardCheckError::Claims {
        file: file.display().to_string(),
        message,
    };
    let entries = std::fs::read_dir(dir).map_err(|e| fail(dir, format!("cannot read: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| fail(&file, format!("cannot read: {e}")))?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| fail(&file, format!("malformed JSON: {e}")))?;
            let claim = ShardClaim::from_json(&value).map_err(|m| fail(&file, m))?;
            Ok((file, claim))
        })
        .collect()
}

/// The shard index from a batch engine's environment, when `--shard` is absent.
pub fn shard_from_environment() -> Result<u32, ShardCheckError> {
    for var in ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"] {
        if let Ok(value) = std::env::var(var) {
            return value.trim().parse().map_err(|_| {
                ShardCheckError::Usage(format!("{var}={value:?} is not a shard index"))
            });
        }
    }
    Err(ShardCheckError::Usage(
        "no shard given: pass --shard K, or run under a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or a Slurm array (SLURM_ARRAY_TASK_ID)".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim() -> ShardClaim {
        ShardClaim {
            shard: 3,
            verdict: Verdict::Accept,
            message: "accept: 2 constants checked".into(),
            env_root: Some([7; 32]),
            named_root: [8; 32],
            owned_root: Some([9; 32]),
            assumption_root: None,
            owned_constants: 2,
            checked_names: 2,
            heartbeats: 40,
            seconds: 0.5,
        }
    }

    #[test]
    fn claims_round_trip_through_json() {
        assert_eq!(ShardClaim::from_json(&claim().to_json()), Ok(claim()));
    }

    #[test]
    fn malformed_roots_are_errors_not_panics() {
        let good = claim().to_json();
        let roots = [
            serde_json::json!("ab"),
            // 64 bytes whose `é` straddles a digit pair (it used to panic).
            serde_json::json!(format!("{}é0", "0".repeat(61))),
            serde_json::json!("z".repeat(64)),
            serde_json::json!(12),
        ];
        for root in roots {
            let mut v = good.clone();
            v["owned_root"] = root.clone();
            assert!(ShardClaim::from_json(&v).is_err(), "{root} accepted");
        }
    }
}

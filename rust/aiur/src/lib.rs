//! `ix-aiur`: an Aiur-style circuit language with the #432 layout model.
//!
//! Pipeline: [`parser`] → [`check`] (types, generics) → [`lower`] (monomorphic
//! bytecode, [`matching`] decision trees) → [`layout`] (circuit columns) →
//! [`linear`] (jump code) → [`exec`] (memoizing executor) → [`stats`] (FFT cost).

pub mod ast;
pub mod builtins;
pub mod bytecode;
pub mod check;
pub mod error;
pub mod exec;
pub mod field;
pub mod io;
pub mod layout;
pub mod lexer;
pub mod linear;
pub mod lower;
mod matching;
pub mod memo;
pub mod parser;
pub mod stats;
pub mod types;
pub mod verify;

use bytecode::{Ctrl, Function, Load, Op};
use rustc_hash::FxHashMap;
use std::collections::BTreeSet;

pub use error::CompileError;
pub use exec::{execute, execute_bounded, CallFrame, ExecError, Execution, Failure};
pub use io::IoBuffer;
pub use stats::Stats;

/// A compiled program: monomorphic functions with layouts, and their executable code.
#[derive(Clone, Debug)]
pub struct Program {
    pub functions: Vec<Function>,
    pub code: Vec<linear::Code>,
    /// Entry name → function index.
    pub entries: FxHashMap<String, u32>,
    /// Sizes with a memory circuit: stored or loaded by a function that has a circuit.
    pub memory_sizes: Vec<u32>,
}

/// Parses, checks, lowers and lays out a source.
pub fn compile(src: &str) -> Result<Program, CompileError> {
    let checked = check::check(parser::parse(src)?)?;
    let mut functions = lower::lower(&checked)?;
    for f in &mut functions {
        f.layout = layout::layout(f);
        if cfg!(debug_assertions) {
            verify::check_defined(f)
                .map_err(|m| CompileError::new(error::Pos::default(), format!("internal: {m}")))?;
        }
    }
    mark_circuits(&mut functions);
    let entries = functions
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_entry)
        .map(|(i, f)| (f.name.clone(), i as u32))
        .collect();
    let mut sizes = BTreeSet::new();
    for f in functions.iter().filter(|f| f.has_circuit) {
        visit_ops(&f.body, &mut |op| match op {
            Op::Store { vals, .. } => {
                sizes.insert(vals.len() as u32);
            }
            Op::Load(Load { size, .. }) => {
                sizes.insert(*size);
            }
            _ => {}
        });
    }
    let code = functions.iter().map(linear::linearize).collect();
    Ok(Program {
        functions,
        code,
        entries,
        memory_sizes: sizes.into_iter().collect(),
    })
}

/// A function gets a circuit only if an entry reaches it through constrained calls.
fn mark_circuits(functions: &mut [Function]) {
    let mut work: Vec<usize> = (0..functions.len())
        .filter(|&i| functions[i].is_entry)
        .collect();
    while let Some(i) = work.pop() {
        if std::mem::replace(&mut functions[i].has_circuit, true) {
            continue;
        }
        visit_ops(&functions[i].body.clone(), &mut |op| {
            if let Op::Call {
                func,
                unconstrained: false,
                ..
            } = op
            {
                work.push(*func as usize);
            }
        });
    }
}

fn visit_ops(block: &bytecode::Block, visit: &mut impl FnMut(&Op)) {
    block.ops.iter().for_each(&mut *visit);
    match &block.ctrl {
        Ctrl::Match { cases, default, .. } => {
            for (_, case) in cases {
                visit_ops(case, visit);
            }
            if let Some(d) = default {
                visit_ops(d, visit);
            }
        }
        Ctrl::Join { body, cont, .. } => {
            visit_ops(body, visit);
            visit_ops(cont, visit);
        }
        Ctrl::Return(_) | Ctrl::Yield(_) | Ctrl::Unreachable => {}
    }
}

/// Why `ix aiur run` failed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Compile(#[from] CompileError),
    #[error("{0}")]
    Exec(#[from] ExecError),
}

/// The result of `ix aiur run`: the output and the statistics.
#[derive(Debug)]
pub struct RunReport {
    pub output: Vec<u64>,
    pub stats: Stats,
    pub ops: u64,
}

/// Compiles `src` and runs `entry` on `args` with an empty IO buffer.
pub fn run_source(src: &str, entry: &str, args: &[u64]) -> Result<RunReport, RunError> {
    let program = compile(src)?;
    let exec = execute(&program, entry, args, &IoBuffer::default())?;
    let stats = stats::compute(&program, &exec);
    Ok(RunReport {
        output: exec.output,
        stats,
        ops: exec.ops,
    })
}

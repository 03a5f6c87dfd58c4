//! The executor: runs linearized bytecode with per-function memo tables and hash-consed memory.
//!
//! Memo tables are keyed by the flattened arguments. A constrained call adds 1
//! to its row's multiplicity; an unconstrained one (`#f`, and everything it
//! calls) leaves multiplicities at 0 and only records rows. A constrained hit
//! on a row first created unconstrained (multiplicity 0) replays the body in
//! constrained mode, so the obligations of nested calls, loads and stores are
//! counted (the post-#570 behaviour; #432 itself only bumped the row).

use crate::builtins::Gadget;
use crate::bytecode::{Binary, EqZero, IoRead, Load};
use crate::field;
use crate::io::IoBuffer;
use crate::linear::{Code, Instr};
pub use crate::memo::Table;
use crate::Program;

/// Calls nested deeper than this are treated as unbounded recursion.
pub const MAX_DEPTH: usize = 1 << 20;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExecError {
    #[error("no entry point named `{0}` (entries are `pub fn`)")]
    UnknownEntry(String),
    #[error("entry `{entry}` takes {expected} field element(s), got {got}")]
    ArgCount {
        entry: String,
        expected: usize,
        got: usize,
    },
    #[error("argument {0} is not a field element (must be below 2^64 - 2^32 + 1)")]
    ArgRange(u64),
    #[error("assert_eq! failed in `{0}`")]
    AssertFailed(String),
    #[error("no match case for value {value} in `{function}`")]
    NoCase { function: String, value: u64 },
    #[error("unreachable code reached in `{0}`")]
    Unreachable(String),
    #[error("invalid pointer {ptr} into memory[{size}] in `{function}`")]
    BadPointer {
        function: String,
        size: u32,
        ptr: u64,
    },
    #[error("{gadget:?} input out of range in `{function}`")]
    GadgetRange { function: String, gadget: Gadget },
    #[error("io key not found on channel {channel} in `{function}`")]
    IoMissing { function: String, channel: u64 },
    #[error("io read out of bounds on channel {channel} in `{function}`")]
    IoBounds { function: String, channel: u64 },
    #[error("call depth exceeded {MAX_DEPTH} frames (unbounded recursion?)")]
    DepthLimit,
    #[error("step budget of {0} bytecode instructions exhausted")]
    StepLimit(u64),
}

/// A failed execution: the error, the call stack at the failure (entry
/// first) and the memory built so far, so callers can decode pointer
/// arguments of the failing frames.
#[derive(Clone, Debug)]
pub struct Failure {
    pub error: ExecError,
    pub stack: Vec<CallFrame>,
    memory: Vec<Table>,
}

/// One frame of a failed execution's call stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFrame {
    pub function: String,
    pub args: Vec<u64>,
}

impl Failure {
    fn bare(error: ExecError) -> Self {
        Failure {
            error,
            stack: Vec::new(),
            memory: Vec::new(),
        }
    }

    /// The stored value of `size` field elements behind pointer `ptr`.
    pub fn load(&self, size: usize, ptr: u64) -> Option<&[u64]> {
        let table = self.memory.get(size)?;
        let row = u32::try_from(ptr).ok()?;
        (ptr < table.rows() as u64).then(|| table.key(row))
    }

    /// The innermost frame of `function`.
    pub fn frame(&self, function: &str) -> Option<&CallFrame> {
        self.stack.iter().rev().find(|f| f.function == function)
    }
}

impl ExecError {
    /// A limit of this executor, not a fault of the program's input, stopped
    /// the run: a verdict built on it is a decline, never a reject.
    pub fn is_resource_limit(&self) -> bool {
        matches!(self, ExecError::DepthLimit)
    }
}

/// What an execution leaves behind: the output, the query record and the work done.
#[derive(Clone, Debug)]
pub struct Execution {
    pub output: Vec<u64>,
    /// One memo table per bytecode function.
    pub functions: Vec<Table>,
    /// Memory tables by value size.
    pub memory: Vec<(u32, Table)>,
    /// Bytecode instructions executed.
    pub ops: u64,
}

struct Frame {
    func: u32,
    pc: u32,
    base: u32,
    dst: u32,
    constrained: bool,
    /// The caller has no memo row yet: its own return will insert one.
    new_row: bool,
}

struct Machine<'p> {
    program: &'p Program,
    io: &'p IoBuffer,
    stack: Vec<u64>,
    /// End of the innermost frame in `stack`.
    top: usize,
    frames: Vec<Frame>,
    tables: Vec<Table>,
    memory: Vec<Table>,
    scratch: Vec<u64>,
    ops: u64,
    max_ops: u64,
    /// The frame (function, base) that was running when execution failed.
    failed_at: (u32, usize),
}

pub fn execute(
    program: &Program,
    entry: &str,
    args: &[u64],
    io: &IoBuffer,
) -> Result<Execution, ExecError> {
    execute_bounded(program, entry, args, io, u64::MAX).map_err(|f| f.error)
}

/// [`execute`] that stops with [`ExecError::StepLimit`] once more than
/// `max_ops` instructions ran (checked at calls: every loop is a recursion),
/// and that reports the call stack of a failure.
pub fn execute_bounded(
    program: &Program,
    entry: &str,
    args: &[u64],
    io: &IoBuffer,
    max_ops: u64,
) -> Result<Execution, Failure> {
    let func = *program
        .entries
        .get(entry)
        .ok_or_else(|| Failure::bare(ExecError::UnknownEntry(entry.to_string())))?;
    let f = &program.functions[func as usize];
    if args.len() != f.input_size as usize {
        return Err(Failure::bare(ExecError::ArgCount {
            entry: entry.to_string(),
            expected: f.input_size as usize,
            got: args.len(),
        }));
    }
    if let Some(&bad) = args.iter().find(|&&a| a >= field::P) {
        return Err(Failure::bare(ExecError::ArgRange(bad)));
    }
    let mut m = Machine {
        program,
        io,
        stack: Vec::with_capacity(1 << 16),
        top: 0,
        frames: Vec::new(),
        tables: program
            .functions
            .iter()
            .map(|f| Table::new(f.input_size as usize, f.output_size as usize))
            .collect(),
        memory: Vec::new(),
        scratch: Vec::new(),
        ops: 0,
        max_ops,
        failed_at: (func, 0),
    };
    let output = match m.run(func, args) {
        Ok(output) => output,
        Err(error) => return Err(m.failure(error)),
    };
    let memory = m
        .memory
        .into_iter()
        .enumerate()
        .filter(|(_, t)| t.rows() > 0)
        .map(|(s, t)| (s as u32, t))
        .collect();
    Ok(Execution {
        output,
        functions: m.tables,
        memory,
        ops: m.ops,
    })
}

impl Machine<'_> {
    fn fail<T>(&mut self, cur: u32, base: usize, error: ExecError) -> Result<T, ExecError> {
        self.failed_at = (cur, base);
        Err(error)
    }

    fn failure(self, error: ExecError) -> Failure {
        let frames = self.frames.iter().map(|f| (f.func, f.base as usize));
        let stack = frames
            .chain(std::iter::once(self.failed_at))
            .map(|(func, base)| {
                let f = &self.program.functions[func as usize];
                // Argument slots are never reused within a frame.
                let args = self.stack.get(base..base + f.input_size as usize);
                CallFrame {
                    function: f.name.clone(),
                    args: args.map(<[u64]>::to_vec).unwrap_or_default(),
                }
            })
            .collect();
        Failure {
            error,
            stack,
            memory: self.memory,
        }
    }

    fn name(&self, func: u32) -> String {
        self.program
            .functions
            .get(func as usize)
            .map_or_else(String::new, |f| f.name.clone())
    }

    fn enter(&mut self, func: u32, args: &[u64]) -> usize {
        let f = &self.program.functions[func as usize];
        // Frames reuse the stack above `top` without clearing: every slot is
        // written (argument, constant or op result) before it is read.
        let base = self.top;
        self.top = base + f.slot_count as usize;
        if self.stack.len() < self.top {
            self.stack.resize(self.top, 0);
        }
        self.stack[base..base + args.len()].copy_from_slice(args);
        for &(slot, value) in &f.consts {
            self.stack[base + slot as usize] = value;
        }
        base
    }

    fn memory_table(&mut self, size: u32) -> &mut Table {
        let size = size as usize;
        while self.memory.len() <= size {
            self.memory.push(Table::new(self.memory.len(), 0));
        }
        &mut self.memory[size]
    }

    #[allow(clippy::too_many_lines)]
    fn run(&mut self, entry: u32, args: &[u64]) -> Result<Vec<u64>, ExecError> {
        let program = self.program;
        let mut cur = entry;
        let mut code: &Code = &program.code[cur as usize];
        let mut pc = 0usize;
        let mut base = self.enter(cur, args);
        let mut constrained = true;
        let mut new_row = true;
        let mut args_buf: Vec<u64> = Vec::new();
        loop {
            self.ops += 1;
            let Some(&instr) = code.instrs.get(pc) else {
                return self.fail(cur, base, ExecError::Unreachable(self.name(cur)));
            };
            pc += 1;
            match instr {
                Instr::Add(Binary { dst, a, b }) => {
                    self.stack[base + dst as usize] =
                        field::add(self.stack[base + a as usize], self.stack[base + b as usize]);
                }
                Instr::Sub(Binary { dst, a, b }) => {
                    self.stack[base + dst as usize] =
                        field::sub(self.stack[base + a as usize], self.stack[base + b as usize]);
                }
                Instr::Mul(Binary { dst, a, b }) => {
                    self.stack[base + dst as usize] =
                        field::mul(self.stack[base + a as usize], self.stack[base + b as usize]);
                }
                Instr::EqZero(EqZero { dst, a }) => {
                    self.stack[base + dst as usize] = u64::from(self.stack[base + a as usize] == 0);
                }
                Instr::Copy { dst, src } => {
                    self.stack[base + dst as usize] = self.stack[base + src as usize]
                }
                Instr::Switch { val, table } => {
                    let value = self.stack[base + val as usize];
                    match code.switches[table as usize].target(value) {
                        Some(target) => pc = target as usize,
                        None => {
                            return self.fail(
                                cur,
                                base,
                                ExecError::NoCase {
                                    function: self.name(cur),
                                    value,
                                },
                            )
                        }
                    }
                }
                Instr::Jump { target } => pc = target as usize,
                Instr::Call {
                    func,
                    args,
                    nargs,
                    dst,
                    unconstrained,
                } => {
                    args_buf.clear();
                    for &s in &code.pool[args as usize..(args + nargs) as usize] {
                        args_buf.push(self.stack[base + s as usize]);
                    }
                    let callee_constrained = constrained && !unconstrained;
                    let table = &mut self.tables[func as usize];
                    let mut replay = false;
                    if let Some(row) = table.find(&args_buf) {
                        let m = &mut table.multiplicities[row as usize];
                        if callee_constrained && *m == 0 {
                            *m = 1;
                            replay = true;
                        } else {
                            if callee_constrained {
                                *m += 1;
                            }
                            let out = table.values(row);
                            let dst = base + dst as usize;
                            self.stack[dst..dst + out.len()].copy_from_slice(out);
                            continue;
                        }
                    }
                    if self.frames.len() >= MAX_DEPTH {
                        return self.fail(cur, base, ExecError::DepthLimit);
                    }
                    if self.ops > self.max_ops {
                        return self.fail(cur, base, ExecError::StepLimit(self.max_ops));
                    }
                    self.frames.push(Frame {
                        func: cur,
                        pc: pc as u32,
                        base: base as u32,
                        dst,
                        constrained,
                        new_row,
                    });
                    cur = func;
                    code = &program.code[cur as usize];
                    pc = 0;
                    base = self.enter(cur, &args_buf);
                    constrained = callee_constrained;
                    new_row = !replay;
                }
                Instr::Return { vals, n } => {
                    self.scratch.clear();
                    for &s in &code.pool[vals as usize..(vals + n) as usize] {
                        self.scratch.push(self.stack[base + s as usize]);
                    }
                    if new_row {
                        let input = program.functions[cur as usize].input_size as usize;
                        let key = &self.stack[base..base + input];
                        self.tables[cur as usize].push(key, &self.scratch, u64::from(constrained));
                    }
                    self.top = base;
                    let Some(frame) = self.frames.pop() else {
                        return Ok(std::mem::take(&mut self.scratch));
                    };
                    cur = frame.func;
                    code = &program.code[cur as usize];
                    pc = frame.pc as usize;
                    base = frame.base as usize;
                    constrained = frame.constrained;
                    new_row = frame.new_row;
                    let dst = base + frame.dst as usize;
                    self.stack[dst..dst + self.scratch.len()].copy_from_slice(&self.scratch);
                }
                Instr::Store { vals, n, dst } => {
                    self.scratch.clear();
                    for &s in &code.pool[vals as usize..(vals + n) as usize] {
                        self.scratch.push(self.stack[base + s as usize]);
                    }
                    let scratch = std::mem::take(&mut self.scratch);
                    let table = self.memory_table(n);
                    let ptr = match table.find(&scratch) {
                        Some(row) => {
                            table.multiplicities[row as usize] += u64::from(constrained);
                            row
                        }
                        None => table.push(&scratch, &[], u64::from(constrained)),
                    };
                    self.scratch = scratch;
                    self.stack[base + dst as usize] = u64::from(ptr);
                }
                Instr::Load(Load { ptr, size, dst }) => {
                    let p = self.stack[base + ptr as usize];
                    let table = self.memory_table(size);
                    if p >= table.rows() as u64 {
                        return self.fail(
                            cur,
                            base,
                            ExecError::BadPointer {
                                function: self.name(cur),
                                size,
                                ptr: p,
                            },
                        );
                    }
                    table.multiplicities[p as usize] += u64::from(constrained);
                    let dst = base + dst as usize;
                    let (stack, memory) = (&mut self.stack, &self.memory[size as usize]);
                    stack[dst..dst + size as usize].copy_from_slice(memory.key(p as u32));
                }
                Instr::AssertEq { a, n } => {
                    let (a, n) = (a as usize, n as usize);
                    let lhs = &code.pool[a..a + n];
                    let rhs = &code.pool[a + n..a + 2 * n];
                    if lhs.iter().zip(rhs).any(|(&x, &y)| {
                        self.stack[base + x as usize] != self.stack[base + y as usize]
                    }) {
                        return self.fail(cur, base, ExecError::AssertFailed(self.name(cur)));
                    }
                }
                Instr::IoGetInfo {
                    channel,
                    key,
                    nkey,
                    dst,
                } => {
                    let ch = self.stack[base + channel as usize];
                    self.scratch.clear();
                    for &s in &code.pool[key as usize..(key + nkey) as usize] {
                        self.scratch.push(self.stack[base + s as usize]);
                    }
                    let Some((start, len)) = self.io.info(ch, &self.scratch) else {
                        return self.fail(
                            cur,
                            base,
                            ExecError::IoMissing {
                                function: self.name(cur),
                                channel: ch,
                            },
                        );
                    };
                    self.stack[base + dst as usize] = start;
                    self.stack[base + dst as usize + 1] = len;
                }
                Instr::IoRead(IoRead {
                    channel,
                    index,
                    len,
                    dst,
                }) => {
                    let ch = self.stack[base + channel as usize];
                    let start = self.stack[base + index as usize];
                    let Some(values) = self.io.read(ch, start, len as usize) else {
                        return self.fail(
                            cur,
                            base,
                            ExecError::IoBounds {
                                function: self.name(cur),
                                channel: ch,
                            },
                        );
                    };
                    let dst = base + dst as usize;
                    self.stack[dst..dst + len as usize].copy_from_slice(values);
                }
                Instr::Gadget { gadget, a, b, dst } => {
                    let (x, y) = (self.stack[base + a as usize], self.stack[base + b as usize]);
                    let dst = base + dst as usize;
                    if !run_gadget(gadget, x, y, &mut self.stack[dst..]) {
                        return self.fail(
                            cur,
                            base,
                            ExecError::GadgetRange {
                                function: self.name(cur),
                                gadget,
                            },
                        );
                    }
                }
                Instr::Unreachable => {
                    return self.fail(cur, base, ExecError::Unreachable(self.name(cur)))
                }
            }
        }
    }
}

/// Computes a byte gadget into `out`; false if an input is out of its range.
fn run_gadget(gadget: Gadget, a: u64, b: u64, out: &mut [u64]) -> bool {
    let bytes = a < 256 && b < 256;
    let mut put = |values: &[u64]| {
        if let Some(dst) = out.get_mut(..values.len()) {
            dst.copy_from_slice(values);
        }
    };
    match gadget {
        Gadget::U32LessThan => {
            if a >> 32 != 0 || b >> 32 != 0 {
                return false;
            }
            put(&[u64::from(a < b)]);
        }
        Gadget::RangeCheck => return a < 256,
        _ if !bytes => return false,
        Gadget::BitDecomposition => {
            let bits: [u64; 8] = std::array::from_fn(|i| (a >> i) & 1);
            put(&bits);
        }
        Gadget::ShiftLeft => put(&[(a << 1) & 0xff]),
        Gadget::ShiftRight => put(&[a >> 1]),
        Gadget::Xor => put(&[a ^ b]),
        Gadget::And => put(&[a & b]),
        Gadget::Or => put(&[a | b]),
        Gadget::LessThan => put(&[u64::from(a < b)]),
        Gadget::Add => put(&[(a + b) & 0xff, (a + b) >> 8]),
        Gadget::Sub => put(&[a.wrapping_sub(b) & 0xff, u64::from(a < b)]),
        Gadget::Mul => put(&[(a * b) & 0xff, (a * b) >> 8]),
    }
    true
}

/-!
# The ix C ABI, seen from Lean

Each declaration is the `@[extern]` twin of a function in `include/ix.h`:
the C glue `lean/ix_glue.c` defines `lean_rs_NAME`, which calls `rs_NAME`
with the same arguments in the same order (the message buffer is the
glue's). A check of the repository (`tests/lean_ffi_consistency.rs`)
compares these declarations with the header, name by name and argument by
argument.

Results: `(status, message)` with status 0 (accept / success), 1 (reject)
or 2 (decline); any other outcome (bad arguments, unreadable or malformed
files, a write error) is an `IO.userError` carrying the Rust side's message.
-/

namespace Ix.Ffi

/-- `rs_compile`: lean4export NDJSON → `.ixe`. -/
@[extern "lean_rs_compile"]
opaque compile (ndjsonPath : @& String) (outPath : @& String) : IO (UInt32 × String)

/-- `rs_kernel_check`: check an `.ixe` or `.ndjson` environment. -/
@[extern "lean_rs_kernel_check"]
opaque kernelCheck (inputPath : @& String) (parallelism : UInt32) : IO (UInt32 × String)

/-- `rs_kernel_profile_anon`: heartbeats and delta-unfold edges → `.ixesp`. -/
@[extern "lean_rs_kernel_profile_anon"]
opaque kernelProfileAnon (ixePath : @& String) (outPath : @& String) (isolate : UInt8) (quiet : UInt8)
    (parallelism : UInt32) : IO (UInt32 × String)

/-- `rs_kernel_check_shard`: check shard `shard` on its own; `claimDir = ""` writes no claim. -/
@[extern "lean_rs_kernel_check_shard"]
opaque kernelCheckShard (ixePath : @& String) (manifestPath : @& String) (shard : UInt32)
    (claimDir : @& String) : IO (UInt32 × String)

/-- `rs_shard_esp`: partition a profile into `nShards` shards → `.ixes`. -/
@[extern "lean_rs_shard_esp"]
opaque shardEsp (profilePath : @& String) (nShards : UInt32) (balance : Float) (parallelism : UInt32)
    (outPath : @& String) : IO (UInt32 × String)

end Ix.Ffi

import Ix.KernelCheck
import Ix.Cli.Args

/-!
# `ix check INPUT [-j N]`, `ix check-shard ENV MANIFEST --shard K [--claim-dir DIR]`, `ix compile IN -o OUT`

The same flags as the Rust CLI; exit 0 accept, 1 reject, 2 decline.
-/

namespace Ix.Cli.CheckCmd

def check (args : List String) : IO UInt32 := do
  match parse ["-j", "--jobs"] args with
  | .error e => throw (IO.userError e)
  | .ok p =>
    let some input := p.positional[0]? | throw (IO.userError "usage: ix check INPUT [-j N]")
    report (← Ix.Ffi.kernelCheck input (← IO.ofExcept (p.nat32 ["-j", "--jobs"] 0)))

def checkShard (args : List String) : IO UInt32 := do
  let usage := "usage: ix check-shard ENV.ixe MANIFEST.ixes --shard K [--claim-dir DIR]"
  match parse ["--shard", "--claim-dir"] args with
  | .error e => throw (IO.userError e)
  | .ok p =>
    let (some env, some manifest) := (p.positional[0]?, p.positional[1]?) | throw (IO.userError usage)
    let some shardText := p.get? ["--shard"] | throw (IO.userError s!"missing --shard K\n{usage}")
    let some shard := shardText.toNat? | throw (IO.userError s!"--shard must be a whole number, got {shardText}")
    report (← Ix.Ffi.kernelCheckShard env manifest shard.toUInt32 ((p.get? ["--claim-dir"]).getD ""))

def compile (args : List String) : IO UInt32 := do
  match parse ["-o", "--output"] args with
  | .error e => throw (IO.userError e)
  | .ok p =>
    let (some input, some out) := (p.positional[0]?, p.get? ["-o", "--output"])
      | throw (IO.userError "usage: ix compile IN.ndjson -o OUT.ixe")
    report (← Ix.Ffi.compile input out)

end Ix.Cli.CheckCmd

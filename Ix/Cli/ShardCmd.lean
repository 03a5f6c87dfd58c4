import Ix.KernelCheck
import Ix.Cli.Args

/-!
# `ix shard PROFILE.ixesp -n N [--balance E] -o OUT.ixes [-j N]`

The same flags as the Rust CLI's `ix shard` (`-n/--shards`, `--balance`,
`-o/--output`, `-j/--threads`); the work is `rs_shard_esp`.
-/

namespace Ix.Cli.ShardCmd

def usage : String := "usage: ix shard PROFILE.ixesp -n N [--balance E] -o OUT.ixes [-j N]"

def run (args : List String) : IO UInt32 := do
  match parse ["-n", "--shards", "--balance", "-o", "--output", "-j", "--threads"] args with
  | .error e => throw (IO.userError s!"{e}\n{usage}")
  | .ok p =>
    let some profile := p.positional[0]? | throw (IO.userError usage)
    let some out := p.get? ["-o", "--output"] | throw (IO.userError s!"missing -o OUT.ixes\n{usage}")
    let shards ← IO.ofExcept (p.nat32 ["-n", "--shards"] 0)
    let threads ← IO.ofExcept (p.nat32 ["-j", "--threads"] 0)
    let balanceText := (p.get? ["--balance"]).getD "0.05"
    let some balance := parseDecimal balanceText
      | throw (IO.userError s!"--balance must be a decimal like 0.05, got {balanceText}")
    report (← Ix.Ffi.shardEsp profile shards balance threads out)

end Ix.Cli.ShardCmd

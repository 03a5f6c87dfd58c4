import Ix.KernelCheck
import Ix.Cli.Args

/-!
# `ix profile ENV -o OUT.ixesp [-j N] [-q]`

The same flags as the Rust CLI's `ix profile` (`-o/--output`, `-j/--jobs`,
`-q/--quiet`); the work is `rs_kernel_profile_anon`.
-/

namespace Ix.Cli.ProfileCmd

def usage : String := "usage: ix profile ENV -o OUT.ixesp [-j N] [-q]"

def run (args : List String) : IO UInt32 := do
  match parse ["-o", "--output", "-j", "--jobs"] args with
  | .error e => throw (IO.userError s!"{e}\n{usage}")
  | .ok p =>
    let some env := p.positional[0]? | throw (IO.userError usage)
    let some out := p.get? ["-o", "--output"] | throw (IO.userError s!"missing -o OUT.ixesp\n{usage}")
    let jobs ← IO.ofExcept (p.nat32 ["-j", "--jobs"] 0)
    let quiet : UInt8 := if p.has ["-q", "--quiet"] then 1 else 0
    report (← Ix.Ffi.kernelProfileAnon env out 1 quiet jobs)

end Ix.Cli.ProfileCmd

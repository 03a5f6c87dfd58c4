import Ix

/-!
`lake exe ix VERB ...`: the Lean front end of ix. Each verb parses its
arguments in Lean and calls the Rust C ABI; the Rust `ix` binary offers the
same verbs with the same flags.
-/

def usage : String :=
  "usage: ix (compile | check | profile | shard | check-shard) ARGS...\n" ++
  "  ix compile IN.ndjson -o OUT.ixe\n" ++
  "  ix check INPUT [-j N]\n" ++
  "  ix profile ENV -o OUT.ixesp [-j N] [-q]\n" ++
  "  ix shard PROFILE.ixesp -n N [--balance E] -o OUT.ixes [-j N]\n" ++
  "  ix check-shard ENV.ixe MANIFEST.ixes --shard K [--claim-dir DIR]"

def dispatch : List String → IO UInt32
  | "compile" :: args => Ix.Cli.CheckCmd.compile args
  | "check" :: args => Ix.Cli.CheckCmd.check args
  | "profile" :: args => Ix.Cli.ProfileCmd.run args
  | "shard" :: args => Ix.Cli.ShardCmd.run args
  | "check-shard" :: args => Ix.Cli.CheckCmd.checkShard args
  | _ => do
    IO.eprintln usage
    pure 2

def main (args : List String) : IO UInt32 := do
  try
    dispatch args
  catch e =>
    IO.eprintln s!"ix: error: {e}"
    pure 1

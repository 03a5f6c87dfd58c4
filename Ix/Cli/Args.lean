/-!
# Command-line arguments, parsed the way the Rust `ix` CLI (clap) reads them:
positional arguments, `-x VALUE` / `--long VALUE` / `--long=VALUE` options
and boolean flags.
-/

namespace Ix.Cli

structure Parsed where
  positional : Array String := #[]
  options : List (String × String) := []
  flags : List String := []

/-- Splits `args`; `valued` lists the option spellings that take a value. -/
partial def parse (valued : List String) (args : List String) (acc : Parsed := {}) : Except String Parsed :=
  match args with
  | [] => .ok acc
  | a :: rest =>
    if a.startsWith "--" && a.contains '=' then
      let parts := a.splitOn "="
      let key := parts.headD ""
      let value := "=".intercalate (parts.drop 1)
      parse valued rest { acc with options := (key, value) :: acc.options }
    else if valued.contains a then
      match rest with
      | v :: rest' => parse valued rest' { acc with options := (a, v) :: acc.options }
      | [] => .error s!"{a} needs a value"
    else if a.startsWith "-" && a.length > 1 then
      parse valued rest { acc with flags := a :: acc.flags }
    else
      parse valued rest { acc with positional := acc.positional.push a }

/-- The value of the first of `names` that was given. -/
def Parsed.get? (p : Parsed) (names : List String) : Option String :=
  (p.options.find? fun (k, _) => names.contains k).map (·.2)

def Parsed.has (p : Parsed) (names : List String) : Bool :=
  p.flags.any names.contains

/-- A `UInt32` option with a default; an error names the option. -/
def Parsed.nat32 (p : Parsed) (names : List String) (default : UInt32) : Except String UInt32 :=
  match p.get? names with
  | none => .ok default
  | some s => match s.toNat? with
    | some n => if n < 2 ^ 32 then .ok n.toUInt32 else .error s!"{names.headD ""} is too large: {s}"
    | none => .error s!"{names.headD ""} must be a whole number, got {s}"

/-- Parses a decimal like `0.05` (what `--balance` takes). -/
def parseDecimal (s : String) : Option Float :=
  match s.splitOn "." with
  | [whole] => whole.toNat?.map Float.ofNat
  | [whole, frac] => do
    let w ← (if whole.isEmpty then some 0 else whole.toNat?)
    let f ← frac.toNat?
    pure (Float.ofNat w + Float.ofNat f / Float.ofNat (10 ^ frac.length))
  | _ => none

/-- Prints the Rust side's message and turns the status into an exit code. -/
def report (result : UInt32 × String) : IO UInt32 := do
  IO.println result.2
  pure result.1

end Ix.Cli

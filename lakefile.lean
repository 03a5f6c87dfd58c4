import Lake
open System Lake DSL

/-!
The Lean front end of ix. Everything behind it is Rust: `lake build` runs
`cargo build --release -p ix-ffi` for the static library `libix_ffi.a`
(the C ABI declared in `include/ix.h`), compiles the C glue in `lean/`
against `lean.h` and `ix.h`, and links both into the `ix` executable.
-/

package ix where
  version := v!"0.1.0"
  -- The Rust standard library inside `libix_ffi.a` needs these at link time.
  moreLinkArgs := #["-lpthread", "-ldl", "-lm"]

lean_lib Ix

@[default_target]
lean_exe ix where
  root := `Main

/-- The Rust static library (the C ABI), built by cargo. -/
extern_lib ix_ffi pkg := do
  proc { cmd := "cargo", args := #["build", "--release", "-p", "ix-ffi"], cwd := pkg.dir } (quiet := true)
  return pure (pkg.dir / "target" / "release" / nameToStaticLib "ix_ffi")

/-- The C glue between Lean objects and the plain C ABI. -/
extern_lib ix_glue pkg := do
  let src := pkg.dir / "lean" / "ix_glue.c"
  let obj := pkg.buildDir / "lean" / "ix_glue.o"
  let flags := #["-I", (← getLeanIncludeDir).toString, "-I", (pkg.dir / "include").toString]
  let srcJob ← inputTextFile src
  let objJob ← buildO obj srcJob flags #["-fPIC", "-Wall"] "cc" getLeanTrace
  buildStaticLib (pkg.nativeLibDir / nameToStaticLib "ix_glue") #[objJob]

/-- `lake test -- --ignored ixvm`: the IxVM suite (the kernel run
in-circuit on every bundled export, both CheckEnv variants, each verdict
against `ix check`'s), run by cargo; the arguments after `--` go to the Rust
test harness unchanged. -/
@[test_driver]
script ixvmTests (args) do
  let child ← IO.Process.spawn {
    cmd := "cargo"
    args := #["test", "--release", "-p", "ix-ixvm", "--"] ++ args.toArray
  }
  child.wait

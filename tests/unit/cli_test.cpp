// The `wasmscope` command line: usage and option errors, `validate`, `info`,
// `run` on text modules (traps, backtraces, fuel) and the spec-script runner
// on small scripts written here. Runs the built CLI as a child process.
#include <gtest/gtest.h>

#include "cli_run.h"

using ws::testing::CliResult;
using ws::testing::run_cli;
using ws::testing::TempDir;

namespace {

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  size_t nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// ---- usage ----

TEST(Cli, NoArgumentsPrintsUsageAndExits2) {
  CliResult r = run_cli({});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "usage: wasmscope")) << r.err;
}

TEST(Cli, HelpPrintsUsageToStdout) {
  CliResult r = run_cli({"--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(contains(r.out, "run [--dir HOST[::GUEST]]")) << r.out;
  EXPECT_TRUE(contains(r.out, "spec")) << r.out;
}

TEST(Cli, UnknownCommandAndOptionsExit2) {
  CliResult r = run_cli({"frobnicate"});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "unknown command 'frobnicate'")) << r.err;

  r = run_cli({"run", "--bogus", "x.wasm"});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "unknown option '--bogus' for 'run'")) << r.err;

  r = run_cli({"run", "--fuel", "lots", "x.wasm"});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "bad --fuel 'lots'")) << r.err;

  r = run_cli({"info", "-x", "m.wasm"});
  EXPECT_EQ(r.status, 2);
  r = run_cli({"spec", "--quick"});
  EXPECT_EQ(r.status, 2);
}

// ---- validate ----

TEST(Cli, ValidateAcceptsValidTextModule) {
  TempDir dir;
  std::string path = dir.write("ok.wat", "(module (func (export \"f\") (result i32) i32.const 1))");
  CliResult r = run_cli({"validate", path});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "valid\n");
}

TEST(Cli, ValidateReportsTypeErrorWithFunction) {
  TempDir dir;
  std::string path = dir.write("bad.wat", "(module (func $f (result i32) i64.const 1))");
  CliResult r = run_cli({"validate", path});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "type mismatch")) << r.err;
  EXPECT_TRUE(contains(r.err, "func 0")) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(Cli, ValidateReportsMalformedBinaryAndMissingFile) {
  TempDir dir;
  std::string path = dir.write("junk.wasm", std::string("\0asm\x02\0\0\0", 8));
  CliResult r = run_cli({"validate", path});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "version")) << r.err;

  r = run_cli({"validate", dir.file("missing.wasm")});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "missing.wasm")) << r.err;
}

// ---- info ----

// A binary written byte by byte so every section offset is known:
//   type @10 (4 bytes), function @16 (2), export @20 (7), code @29 (4; the
//   body's 2 bytes, after its size, at 31), custom "note" @35 (8; its
//   payload "abc" starts at 40).
const char kTinyBinary[] =
    "\0asm\1\0\0\0"
    "\x01\x04\x01\x60\x00\x00"
    "\x03\x02\x01\x00"
    "\x07\x07\x01\x03run\x00\x00"
    "\x0a\x04\x01\x02\x00\x0b"
    "\x00\x08\x04noteabc";

TEST(Cli, InfoListsSectionsWithOffsets) {
  TempDir dir;
  std::string path = dir.write("tiny.wasm", std::string(kTinyBinary, sizeof kTinyBinary - 1));
  CliResult r = run_cli({"info", path});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "(43 bytes)")) << r.out;
  EXPECT_TRUE(contains(r.out, "sections (5):\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "   1 type                 offset 0x0000000a size 4\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "   3 function             offset 0x00000010 size 2\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "   7 export               offset 0x00000014 size 7\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  10 code                 offset 0x0000001d size 4\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "   0 custom \"note\"        offset 0x00000023 size 8\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  \"run\": func[0]\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  func[0] run: type 0 () -> (), body 2 bytes at 0x1f, locals 0\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  \"note\" offset 0x00000028 size 3\n")) << r.out;
}

TEST(Cli, InfoDescribesImportsFunctionsAndSegments) {
  TempDir dir;
  std::string path = dir.write("demo.wat", R"((module
    (import "env" "log" (func $log (param i32)))
    (import "env" "mem" (memory 1))
    (table 2 5 funcref)
    (global $counter (mut i64) (i64.const 0))
    (func $add (export "add") (param i32 i32) (result i32) (local i64 i64 f32)
      local.get 0 local.get 1 i32.add)
    (func $start_here (call $log (i32.const 1)))
    (start $start_here)
    (elem (i32.const 0) $add)
    (data (i32.const 0) "hi")
    (data (i32.const 8) "there")))");
  CliResult r = run_cli({"info", path});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "imports (2):\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  func[0] env.log: type 0 (i32) -> ()\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  memory[0] env.mem: pages min 1\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "functions (2 defined, 1 imported):\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  func[1] add: type 1 (i32, i32) -> (i32), body")) << r.out;
  EXPECT_TRUE(contains(r.out, "locals 3 (i64 x2, f32)\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  func[2] start_here: type 2 () -> ()")) << r.out;
  EXPECT_TRUE(contains(r.out, "  table[0] funcref min 2 max 5\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  global[0] mut i64\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "start: func[2] start_here\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "data segments: 2\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "elem segments: 1\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  \"name\" offset")) << r.out;
}

// ---- run (text modules; the C guests are in wasi_test.cpp) ----

TEST(Cli, RunTrapPrintsBacktraceWithNamesYoungestFirst) {
  TempDir dir;
  std::string path = dir.write("trap.wat", R"((module
    (func $inner (param i32) (result i32) local.get 0 i32.const 0 i32.div_u)
    (func $outer (result i32) i32.const 7 call $inner)
    (func (export "_start") call $outer drop)))");
  CliResult r = run_cli({"run", path});
  EXPECT_EQ(r.status, 134);
  EXPECT_TRUE(contains(r.err, "trap: integer divide by zero\n")) << r.err;
  size_t f0 = r.err.find("  #0 func[0] inner  (offset 0x");
  size_t f1 = r.err.find("  #1 func[1] outer  (offset 0x");
  size_t f2 = r.err.find("  #2 func[2] _start  (offset 0x");
  EXPECT_NE(f0, std::string::npos) << r.err;
  EXPECT_NE(f1, std::string::npos) << r.err;
  EXPECT_NE(f2, std::string::npos) << r.err;
  EXPECT_TRUE(f0 < f1 && f1 < f2) << r.err;
}

TEST(Cli, RunStopsWhenFuelRunsOut) {
  TempDir dir;
  std::string path = dir.write("spin.wat", R"((module
    (func $spin (loop br 0))
    (func (export "_start") call $spin)))");
  CliResult r = run_cli({"run", "--fuel", "5000", path});
  EXPECT_EQ(r.status, 134);
  EXPECT_TRUE(contains(r.err, "error: fuel exhausted (5000 units)\n")) << r.err;
  EXPECT_TRUE(contains(r.err, "  #0 func[0] spin  (offset 0x")) << r.err;
  EXPECT_TRUE(contains(r.err, "  #1 func[1] _start  (offset 0x")) << r.err;
}

TEST(Cli, RunFinishesWithinFuelAndReturnsZero) {
  TempDir dir;
  std::string path = dir.write("count.wat", R"((module
    (func (export "_start") (local i32)
      (loop (br_if 0 (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 100)))))))");
  CliResult r = run_cli({"run", "--fuel=1000", path});
  EXPECT_EQ(r.status, 0) << r.err;
  r = run_cli({"run", "--fuel=10", path});
  EXPECT_EQ(r.status, 134) << r.err;
}

TEST(Cli, RunRejectsUnknownImportsAndInvalidModules) {
  TempDir dir;
  std::string path = dir.write("imports.wat", R"((module
    (import "env" "missing" (func))
    (func (export "_start"))))");
  CliResult r = run_cli({"run", path});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "unknown import: env.missing")) << r.err;

  path = dir.write("wrong_type.wat", R"((module
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32)))
    (func (export "_start"))))");
  r = run_cli({"run", path});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "incompatible import type: wasi_snapshot_preview1.fd_write")) << r.err;

  path = dir.write("invalid.wat", "(module (func (export \"_start\") i32.add))");
  r = run_cli({"run", path});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "type mismatch")) << r.err;
}

TEST(Cli, RunUsesProcExitStatusAndStartFunction) {
  TempDir dir;
  std::string path = dir.write("exit.wat", R"((module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (func (export "_start") (call $exit (i32.const 42)) unreachable)))");
  CliResult r = run_cli({"run", path});
  EXPECT_EQ(r.status, 42) << r.err;

  // A module with only a start function runs it; a trap there is a trap.
  path = dir.write("start.wat", "(module (func $boom unreachable) (start $boom))");
  r = run_cli({"run", path});
  EXPECT_EQ(r.status, 134);
  EXPECT_TRUE(contains(r.err, "trap: unreachable")) << r.err;
  EXPECT_TRUE(contains(r.err, "#0 func[0] boom")) << r.err;
}

// ---- spec ----

TEST(CliSpec, ReportsOnePassedOneFailedWithFileAndLine) {
  TempDir dir;
  std::string path = dir.write("tiny.wast",
                               "(module\n"
                               "  (func (export \"add\") (param i32 i32) (result i32)\n"
                               "    (i32.add (local.get 0) (local.get 1))))\n"
                               "(assert_return (invoke \"add\" (i32.const 1) (i32.const 2)) (i32.const 3))\n"
                               "(assert_return (invoke \"add\" (i32.const 2) (i32.const 2)) (i32.const 5))\n");
  CliResult r = run_cli({"spec", path});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.out, "tiny.wast:5: assert_return (invoke \"add\" i32:2 i32:2): expected [i32:5], got "
                              "returned [i32:4]\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "tiny.wast: 1 passed, 1 failed\n")) << r.out;
  EXPECT_EQ(last_line(r.out), "1 passed, 1 failed");
}

// Every kind of command, each written to pass.
const char kAllCommandsScript[] = R"wast(
(module $M
  (func $print (import "spectest" "print_i32") (param i32))
  (global (export "g") i32 (i32.const 42))
  (memory (export "mem") 1)
  (table (export "tab") 2 funcref)
  (func $id (export "id") (param i32) (result i32) (local.get 0))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "nan64") (result f64) (f64.const nan:0x8000000000001))
  (func (export "lanes") (result v128) (v128.const f32x4 nan 1 -0 inf))
  (func (export "null") (result externref) (ref.null extern))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (func (export "fref") (result funcref) (ref.func $id))
  (func $deep (export "deep") (call $deep))
  (func (export "spin") (loop (br 0)))
  (func (export "print") (call $print (i32.const 1))))
(register "M" $M)
(assert_return (invoke "id" (i32.const 7)) (i32.const 7))
(assert_return (get "g") (i32.const 42))
(assert_return (get $M "g") (i32.const 42))
(assert_return (invoke "nan") (f32.const nan:arithmetic))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "nan64") (f64.const nan:arithmetic))
(assert_return (invoke "lanes") (v128.const f32x4 nan:canonical 1 -0 inf))
(assert_return (invoke "null") (ref.null extern))
(assert_return (invoke "ext" (ref.extern 5)) (ref.extern 5))
(assert_return (invoke "fref") (ref.func))
(assert_return (invoke "print"))
(invoke "print")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke "deep") "call stack exhausted")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module quote "(func (result i32) (i32.const 0x))") "unknown operator")
(assert_unlinkable (module (import "M" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "M" "g" (global i64))) "incompatible import type")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(module (import "M" "mem" (memory 1)) (import "M" "id" (func (param i32) (result i32))))
(assert_trap (module (memory 1) (data (i32.const 65536) "x")) "out of bounds memory access")
)wast";

TEST(CliSpec, EveryCommandKindPasses) {
  TempDir dir;
  std::string path = dir.write("all.wast", kAllCommandsScript);
  CliResult r = run_cli({"spec", path});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(last_line(r.out), "20 passed, 0 failed") << r.out;
}

TEST(CliSpec, WrongStageAndWrongValuesFail) {
  TempDir dir;
  std::string path = dir.write("wrong.wast", R"((module (func (export "f") (result f32) (f32.const 1.5)))
(assert_return (invoke "f") (f32.const nan:canonical))
(assert_return (invoke "f") (f32.const 1.5))
(assert_invalid (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_trap (invoke "f") "unreachable")
(assert_return (invoke "nope"))
)");
  CliResult r = run_cli({"spec", path});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.out, "wrong.wast:2: assert_return")) << r.out;
  EXPECT_TRUE(contains(r.out, "expected [f32:nan:canonical], got returned [f32:1.5 (0x3fc00000)]")) << r.out;
  EXPECT_TRUE(contains(r.out, "wrong.wast:4: assert_invalid: expected rejection in validation")) << r.out;
  EXPECT_TRUE(contains(r.out, "wrong.wast:5: assert_malformed: expected rejection in decoding")) << r.out;
  EXPECT_TRUE(contains(r.out, "wrong.wast:6: assert_trap")) << r.out;
  EXPECT_TRUE(contains(r.out, "wrong.wast:7: assert_return")) << r.out;
  EXPECT_EQ(last_line(r.out), "1 passed, 5 failed") << r.out;
}

TEST(CliSpec, RunawayActionFailsInsteadOfHanging) {
  TempDir dir;
  std::string path = dir.write("spin.wast", R"((module (func (export "spin") (loop (br 0))))
(assert_return (invoke "spin"))
)");
  CliResult r = run_cli({"spec", path});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.out, "spin.wast:2: assert_return (invoke \"spin\"): expected [], got still running after"))
      << r.out;
}

TEST(CliSpec, MessageDifferencesPassAndAreCounted) {
  TempDir dir;
  std::string path = dir.write("msg.wast", R"((assert_invalid (module (func (result i32) (i64.const 0))) "some other words")
)");
  CliResult r = run_cli({"spec", path});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "rejections with a different message than the script's: 1")) << r.out;
  EXPECT_EQ(last_line(r.out), "1 passed, 0 failed");

  r = run_cli({"spec", "--verbose", path});
  EXPECT_TRUE(contains(r.out, "msg.wast:1: assert_invalid: message differs: expected \"some other words\"")) << r.out;
}

TEST(CliSpec, DirectoryRunsEveryScriptAndSums) {
  TempDir dir;
  dir.write("a.wast", "(module (func (export \"f\") (result i32) (i32.const 1)))\n"
                      "(assert_return (invoke \"f\") (i32.const 1))\n");
  dir.write("b.wast", "(module (func (export \"f\") (result i32) (i32.const 2)))\n"
                      "(assert_return (invoke \"f\") (i32.const 2))\n"
                      "(assert_return (invoke \"f\") (i32.const 3))\n");
  dir.write("ignored.txt", "not a script");
  CliResult r = run_cli({"spec", dir.path()});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.out, "a.wast: 1 passed, 0 failed\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "b.wast: 1 passed, 1 failed\n")) << r.out;
  EXPECT_EQ(last_line(r.out), "2 passed, 1 failed");
}

}  // namespace

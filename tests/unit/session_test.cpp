// The debug-session API (vm/debug/session.h) on small .wat modules:
// breakpoints, conditions, stepping, pause, restart, editing, watchpoints,
// and frames at traps.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <cstring>
#include <map>

#include "vm/code_reader.h"
#include "vm/debug/session.h"
#include "vm/text/wast.h"

namespace ws::debug {
namespace {

std::unique_ptr<Session> load_wat(const std::string& wat, SessionConfig config = {}) {
  auto bin = text::wat_to_binary(wat);
  if (!bin) {
    ADD_FAILURE() << bin.error().to_string();
    return nullptr;
  }
  auto s = Session::load(*bin, "test.wasm", std::move(config));
  if (!s) {
    ADD_FAILURE() << s.error().to_string();
    return nullptr;
  }
  return std::move(*s);
}

StopEvent run_to_stop(Session& s, uint64_t slice = 1 << 16) {
  for (int i = 0; i < 100000; ++i) {
    StopEvent e = s.advance(slice);
    if (e.reason != StopReason::Running) return e;
  }
  ADD_FAILURE() << "never stopped";
  return {};
}

StopEvent resume(Session& s, ResumeMode mode) {
  s.resume(mode);
  return run_to_stop(s);
}

// Module offsets of every instruction `op` in function `func_index`.
std::vector<uint32_t> offsets_of(const Module& m, uint32_t func_index, Op op) {
  const FuncBody& body = m.funcs[func_index - m.num_imported_funcs];
  CodeReader reader(m.binary.data(), body.code_offset, body.code_end);
  Instr in;
  std::vector<uint32_t> out;
  while (!reader.at_end() && reader.next(&in))
    if (in.op == op) out.push_back(in.offset);
  return out;
}

// fib(10) = 55 becomes the exit code, after a store, a fill and a global update.
constexpr const char* kProgram = R"((module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (global $counter (mut i32) (i32.const 0))
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $store (param $addr i32) (param $v i32)
    (i32.store (local.get $addr) (local.get $v)))
  (func $never (result i32) (i32.const 99))
  (func (export "_start") (local $r i32)
    (local.set $r (call $fib (i32.const 10)))
    (call $store (i32.const 64) (local.get $r))
    (memory.fill (i32.const 128) (i32.const 7) (i32.const 16))
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (call $proc_exit (i32.load (i32.const 64))))))";

constexpr uint32_t kFib = 1, kStore = 2, kStart = 4;

TEST(Session, RunsToExitWithoutBreakpoints) {
  auto s = load_wat(kProgram);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->advance(100).reason, StopReason::NotStarted);
  StopEvent e = resume(*s, ResumeMode::Continue);
  EXPECT_EQ(e.reason, StopReason::Exited);
  EXPECT_EQ(e.exit_code, 55);
}

TEST(Session, FunctionBreakpointStopsAtEveryCallWithFramesAndHitCounts) {
  auto s = load_wat(kProgram);
  ASSERT_TRUE(s);
  auto id = s->add_breakpoint(BreakpointSpec::at_function("fib"));
  ASSERT_TRUE(id) << id.error().to_string();
  StopEvent e = resume(*s, ResumeMode::Continue);
  ASSERT_EQ(e.reason, StopReason::Breakpoint);
  EXPECT_EQ(e.breakpoint_id, *id);
  std::vector<Frame> f = s->frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].function, "fib");
  EXPECT_EQ(f[0].func_index, kFib);
  EXPECT_EQ(f[0].offset, s->module().funcs[kFib - 1].code_offset);
  EXPECT_EQ(f[0].code_offset, f[0].offset - s->module().funcs[kFib - 1].body_offset);
  ASSERT_EQ(f[0].locals.size(), 1u);
  EXPECT_EQ(f[0].locals[0].name, "n");
  EXPECT_EQ(f[0].locals[0].value.i32, 10u);
  EXPECT_EQ(f[1].function, "_start");
  EXPECT_EQ(f[1].locals[0].name, "r");
  // The next stop is the recursive call fib(9).
  e = resume(*s, ResumeMode::Continue);
  ASSERT_EQ(e.reason, StopReason::Breakpoint);
  f = s->frames();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].locals[0].value.i32, 9u);
  EXPECT_EQ(s->breakpoints()[0].hits, 2u);
  ASSERT_TRUE(s->remove_breakpoint(*id));
  e = resume(*s, ResumeMode::Continue);
  EXPECT_EQ(e.reason, StopReason::Exited);
  EXPECT_EQ(e.exit_code, 55);
}

TEST(Session, BreakpointByIndexAndByOffset) {
  auto s = load_wat(kProgram);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->add_breakpoint(BreakpointSpec::at_function("0")));  // imported
  EXPECT_FALSE(s->add_breakpoint(BreakpointSpec::at_function("nope")));
  const uint32_t store = offsets_of(s->module(), kStore, Op::I32Store)[0];
  EXPECT_FALSE(s->add_breakpoint(BreakpointSpec::at_offset(store + 1)));
  auto by_offset = s->add_breakpoint(BreakpointSpec::at_offset(store));
  ASSERT_TRUE(by_offset) << by_offset.error().to_string();
  StopEvent e = resume(*s, ResumeMode::Continue);
  ASSERT_EQ(e.reason, StopReason::Breakpoint);
  EXPECT_EQ(e.breakpoint_id, *by_offset);
  std::vector<Frame> f = s->frames();
  EXPECT_EQ(f[0].offset, store);
  ASSERT_EQ(f[0].stack.size(), 2u);  // the store's operands
  EXPECT_EQ(f[0].stack[0].i32, 64u);
  EXPECT_EQ(f[0].stack[1].i32, 55u);
  // By index: $never never runs, so this one is never hit.
  auto never = s->add_breakpoint(BreakpointSpec::at_function("3"));
  ASSERT_TRUE(never);
  e = resume(*s, ResumeMode::Continue);
  EXPECT_EQ(e.reason, StopReason::Exited);
  EXPECT_EQ(s->breakpoints()[1].hits, 0u);
}

TEST(Session, ConditionsAndDisabledBreakpoints) {
  auto s = load_wat(kProgram);
  ASSERT_TRUE(s);
  BreakpointSpec spec = BreakpointSpec::at_function("fib");
  spec.condition = "oops";
  EXPECT_FALSE(s->add_breakpoint(spec));
  spec.condition = "n == 3";
  auto named = s->add_breakpoint(spec);
  ASSERT_TRUE(named);
  StopEvent e = resume(*s, ResumeMode::Continue);
  ASSERT_EQ(e.reason, StopReason::Breakpoint);
  EXPECT_EQ(s->frames()[0].locals[0].value.i32, 3u);
  EXPECT_EQ(s->breakpoints()[0].hits, 1u);
  ASSERT_TRUE(s->enable_breakpoint(*named, false));
  spec.condition = "$0 < 1";  // by index: fib(0) happens 34 times in fib(10)
  auto indexed = s->add_breakpoint(spec);
  ASSERT_TRUE(indexed);
  int stops = 0;
  for (e = resume(*s, ResumeMode::Continue); e.reason == StopReason::Breakpoint; e = resume(*s, ResumeMode::Continue)) {
    EXPECT_EQ(e.breakpoint_id, *indexed);
    EXPECT_EQ(s->frames()[0].locals[0].value.i32, 0u);
    ++stops;
  }
  EXPECT_EQ(e.reason, StopReason::Exited);
  EXPECT_GT(stops, 10);
  EXPECT_EQ(s->breakpoints()[0].hits, 1u);  // disabled: not counted
  EXPECT_EQ(s->breakpoints()[1].hits, uint64_t(stops));
}

TEST(Session, StepInstructionIntoAndOverCalls) {
  auto s = load_wat(kProgram);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->add_breakpoint(BreakpointSpec::at_function("_start")));
  ASSERT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Breakpoint);
  const std::vector<uint32_t> consts = offsets_of(s->module(), kStart, Op::I32Const);
  const std::vector<uint32_t> calls = offsets_of(s->module(), kStart, Op::Call);
  EXPECT_EQ(s->frames()[0].offset, consts[0]);
  // stepi: i32.const, then the call enters fib.
  ASSERT_EQ(resume(*s, ResumeMode::StepInstruction).reason, StopReason::StepDone);
  EXPECT_EQ(s->frames()[0].offset, calls[0]);
  ASSERT_EQ(s->frames()[0].stack.size(), 1u);
  EXPECT_EQ(s->frames()[0].stack[0].i32, 10u);
  ASSERT_EQ(resume(*s, ResumeMode::StepInstruction).reason, StopReason::StepDone);
  std::vector<Frame> f = s->frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].function, "fib");
  // Every instruction of fib can be stepped to: local.get is next.
  ASSERT_EQ(resume(*s, ResumeMode::StepInstruction).reason, StopReason::StepDone);
  EXPECT_EQ(s->frames()[0].offset, offsets_of(s->module(), kFib, Op::I32Const)[0]);
  ASSERT_EQ(s->frames()[0].stack.size(), 1u);
  // finish: back in _start after the call, with fib's result on the stack.
  ASSERT_EQ(resume(*s, ResumeMode::StepOut).reason, StopReason::StepDone);
  f = s->frames();
  ASSERT_EQ(f.size(), 1u);
  ASSERT_EQ(f[0].stack.size(), 1u);
  EXPECT_EQ(f[0].stack[0].i32, 55u);
  EXPECT_EQ(f[0].offset, offsets_of(s->module(), kStart, Op::LocalSet)[0]);
  // nexti over `call $store`: local.set, i32.const, local.get, call -> over.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(resume(*s, ResumeMode::StepInstructionOver).reason, StopReason::StepDone);
  EXPECT_EQ(s->frames()[0].offset, calls[1]);
  ASSERT_EQ(resume(*s, ResumeMode::StepInstructionOver).reason, StopReason::StepDone);
  f = s->frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].offset, consts[2]);  // memory.fill's first operand
  auto mem = s->read_memory(64, 4);
  ASSERT_TRUE(mem);
  EXPECT_EQ((*mem)[0], 55);
  EXPECT_EQ(resume(*s, ResumeMode::Continue).exit_code, 55);
}

TEST(Session, FinishOutOfRecursionReturnsToTheCallingActivation) {
  auto s = load_wat(kProgram);
  ASSERT_TRUE(s);
  BreakpointSpec spec = BreakpointSpec::at_function("fib");
  spec.condition = "n == 7";
  auto id = s->add_breakpoint(spec);
  ASSERT_TRUE(id);
  ASSERT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Breakpoint);
  const size_t depth = s->frames().size();  // _start, fib 10, 9, 8, 7
  EXPECT_EQ(depth, 5u);
  ASSERT_TRUE(s->remove_breakpoint(*id));
  ASSERT_EQ(resume(*s, ResumeMode::StepOut).reason, StopReason::StepDone);
  std::vector<Frame> f = s->frames();
  ASSERT_EQ(f.size(), depth - 1);
  EXPECT_EQ(f[0].locals[0].value.i32, 8u);
  ASSERT_GE(f[0].stack.size(), 1u);
  EXPECT_EQ(f[0].stack.back().i32, 13u);  // fib(7)
  EXPECT_EQ(resume(*s, ResumeMode::Continue).exit_code, 55);
}

TEST(Session, EditingLocalsGlobalsAndMemoryIsSeenOnContinue) {
  auto s = load_wat(kProgram);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->add_breakpoint(BreakpointSpec::at_function("store")));
  ASSERT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Breakpoint);
  EXPECT_FALSE(s->set_local(0, 1, Value::make_i64(1)));  // wrong type
  ASSERT_TRUE(s->set_local(0, 1, Value::make_i32(42)));  // $v
  ASSERT_TRUE(s->set_global(0, Value::make_i32(10)));
  ASSERT_TRUE(s->write_memory(128 + 16, {1, 2, 3}));
  EXPECT_FALSE(s->write_memory(65536 - 1, {1, 2}));
  EXPECT_EQ(resume(*s, ResumeMode::Continue).exit_code, 42);
  EXPECT_EQ(s->globals()[0].value.i32, 11u);
  auto mem = s->read_memory(128, 19);
  ASSERT_TRUE(mem);
  EXPECT_EQ((*mem)[15], 7);
  EXPECT_EQ((*mem)[16], 1);
  EXPECT_EQ((*mem)[18], 3);
}

TEST(Session, EditingALocalWhileAFusedOperandAliasesIt) {
  // In fused code `local.get $x` stays an alias of $x until the add; the
  // edit must not change the operand already pushed.
  auto s = load_wat(R"((module
    (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
    (func $id (param i32) (result i32) (local.get 0))
    (func (export "_start") (local $x i32)
      (local.set $x (i32.const 5))
      (call $proc_exit (i32.add (local.get $x) (call $id (i32.const 1)))))))");
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->add_breakpoint(BreakpointSpec::at_function("id")));
  ASSERT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Breakpoint);
  ASSERT_TRUE(s->set_local(1, 0, Value::make_i32(100)));
  EXPECT_EQ(s->frames()[1].locals[0].value.i32, 100u);
  EXPECT_EQ(resume(*s, ResumeMode::Continue).exit_code, 6);
}

TEST(Session, PauseFromAnotherThreadAndRestart) {
  auto s = load_wat(R"((module
    (global $g (mut i32) (i32.const 0))
    (func $spin (loop $l (global.set $g (i32.add (global.get $g) (i32.const 1))) (br $l)))
    (func (export "_start") (call $spin))))");
  ASSERT_TRUE(s);
  s->resume(ResumeMode::Continue);
  std::atomic<bool> go{false};
  std::thread pauser([&] {
    while (!go) std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    s->pause();
  });
  go = true;
  StopEvent e = s->advance(UINT64_MAX);  // one slice that only a pause ends
  pauser.join();
  ASSERT_EQ(e.reason, StopReason::Paused);
  std::vector<Frame> f = s->frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].function, "spin");
  EXPECT_GT(s->globals()[0].value.i32, 0u);
  // Stepping from the pause walks the loop one instruction at a time.
  const uint32_t before = s->globals()[0].value.i32;
  for (int i = 0; i < 12; ++i) ASSERT_EQ(resume(*s, ResumeMode::StepInstruction).reason, StopReason::StepDone);
  EXPECT_GE(s->globals()[0].value.i32, before + 2);
  EXPECT_LE(s->globals()[0].value.i32, before + 3);
  ASSERT_TRUE(s->restart());
  EXPECT_EQ(s->globals()[0].value.i32, 0u);
  EXPECT_TRUE(s->frames().empty());
  s->pause();  // before the first slice: stops at once
  s->resume(ResumeMode::Continue);
  EXPECT_EQ(s->advance(UINT64_MAX).reason, StopReason::Paused);
}

TEST(Session, WatchpointsSeeStoresAndMemoryFill) {
  auto s = load_wat(kProgram);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->add_watchpoint(65536 - 2, 4));
  auto stored = s->add_watchpoint(64, 4);
  ASSERT_TRUE(stored);
  auto filled = s->add_watchpoint(140, 8);  // the fill covers 128..143
  ASSERT_TRUE(filled);
  StopEvent e = resume(*s, ResumeMode::Continue);
  ASSERT_EQ(e.reason, StopReason::Watchpoint);
  EXPECT_EQ(e.watchpoint_id, *stored);
  EXPECT_EQ(e.address, 64u);
  EXPECT_EQ(e.old_bytes, (std::vector<uint8_t>{0, 0, 0, 0}));
  EXPECT_EQ(e.new_bytes, (std::vector<uint8_t>{55, 0, 0, 0}));
  EXPECT_EQ(s->frames()[0].function, "store");  // stopped right after the store
  e = resume(*s, ResumeMode::Continue);
  ASSERT_EQ(e.reason, StopReason::Watchpoint);
  EXPECT_EQ(e.watchpoint_id, *filled);
  EXPECT_EQ(e.address, 140u);
  EXPECT_EQ(e.new_bytes, (std::vector<uint8_t>{7, 7, 7, 7, 0, 0, 0, 0}));
  ASSERT_TRUE(s->remove_watchpoint(*filled));
  e = resume(*s, ResumeMode::Continue);
  EXPECT_EQ(e.reason, StopReason::Exited);
  EXPECT_EQ(s->watchpoints()[0].hits, 1u);
}

TEST(Session, DisabledWatchpointsDoNotStop) {
  auto s = load_wat(kProgram);
  ASSERT_TRUE(s);
  auto stored = s->add_watchpoint(64, 4);
  auto filled = s->add_watchpoint(140, 8);
  ASSERT_TRUE(stored && filled);
  EXPECT_FALSE(s->enable_watchpoint(*filled + 1, false));
  ASSERT_TRUE(s->enable_watchpoint(*stored, false));
  EXPECT_FALSE(s->watchpoints()[0].enabled);
  StopEvent e = resume(*s, ResumeMode::Continue);
  ASSERT_EQ(e.reason, StopReason::Watchpoint);
  EXPECT_EQ(e.watchpoint_id, *filled);  // the store into 64 went by
  EXPECT_EQ(s->watchpoints()[0].hits, 0u);
  ASSERT_TRUE(s->restart());
  ASSERT_TRUE(s->enable_watchpoint(*filled, false));  // none enabled: plain code again
  EXPECT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Exited);
  ASSERT_TRUE(s->restart());
  ASSERT_TRUE(s->enable_watchpoint(*stored, true));
  e = resume(*s, ResumeMode::Continue);
  ASSERT_EQ(e.reason, StopReason::Watchpoint);
  EXPECT_EQ(e.watchpoint_id, *stored);
}

TEST(Session, TrapFramesAreTheThreadsFrames) {
  auto s = load_wat(R"((module
    (func $div (param $a i32) (param $b i32) (result i32) (i32.div_s (local.get $a) (local.get $b)))
    (func (export "_start") (drop (call $div (i32.const 7) (i32.const 0))))))");
  ASSERT_TRUE(s);
  StopEvent e = resume(*s, ResumeMode::Continue);
  ASSERT_EQ(e.reason, StopReason::Trapped);
  EXPECT_EQ(e.message, "integer divide by zero");
  std::vector<Frame> f = s->frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].function, "div");
  EXPECT_EQ(f[0].offset, offsets_of(s->module(), 0, Op::I32DivS)[0]);
  EXPECT_EQ(f[0].locals[1].value.i32, 0u);
  EXPECT_EQ(f[1].function, "_start");
  EXPECT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Trapped);  // stays trapped
  EXPECT_FALSE(s->coredump().empty());
}

TEST(Session, WatchpointSeesAHostWriteByFdRead) {
  SessionConfig config;
  bool given = false;
  config.wasi.stdin_source = [&](uint8_t* buf, size_t size) -> std::optional<size_t> {
    if (given || size < 3) return 0;
    given = true;
    std::memcpy(buf, "hey", 3);
    return 3;
  };
  auto s = load_wat(R"((module
    (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "_start")
      (i32.store (i32.const 0) (i32.const 100))
      (i32.store (i32.const 4) (i32.const 8))
      (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 16))))))", config);
  ASSERT_TRUE(s);
  auto id = s->add_watchpoint(100, 4);
  ASSERT_TRUE(id);
  StopEvent e = resume(*s, ResumeMode::Continue);
  ASSERT_EQ(e.reason, StopReason::Watchpoint);
  EXPECT_EQ(e.watchpoint_id, *id);
  EXPECT_EQ(e.address, 100u);
  EXPECT_EQ(e.old_bytes, (std::vector<uint8_t>{0, 0, 0, 0}));
  EXPECT_EQ(e.new_bytes, (std::vector<uint8_t>{'h', 'e', 'y', 0}));
  EXPECT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Exited);
}

#ifdef WASMSCOPE_DEBUG_TESTS_DIR
// tests/debug/steps.c, compiled with -g; lines are found by their markers.
class SessionC : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream wasm(std::string(WASMSCOPE_DEBUG_TESTS_DIR) + "/steps.wasm", std::ios::binary);
    ASSERT_TRUE(wasm) << "steps.wasm not built";
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(wasm)), std::istreambuf_iterator<char>());
    SessionConfig config;
    config.wasi.args = {"steps.wasm"};
    config.wasi.stdout_sink = [this](const uint8_t* d, size_t n) { out.append(reinterpret_cast<const char*>(d), n); };
    auto loaded = Session::load(std::move(bytes), "steps.wasm", config);
    ASSERT_TRUE(loaded) << loaded.error().to_string();
    s = std::move(*loaded);
    ASSERT_TRUE(s->debug_info().has_dwarf());
    std::ifstream src(std::string(WASMSCOPE_DEBUG_TESTS_SOURCE_DIR) + "/steps.c");
    std::string text;
    for (uint32_t n = 1; std::getline(src, text); ++n) {
      const size_t at = text.find("// LINE_");
      if (at != std::string::npos) lines[text.substr(at + 3)] = n;
    }
  }
  uint32_t line(const std::string& marker) {
    EXPECT_TRUE(lines.count(marker)) << marker;
    return lines[marker];
  }
  // The source line of the youngest frame.
  uint32_t where() {
    std::vector<Frame> f = s->frames();
    if (f.empty() || f[0].source.empty() || !f[0].source[0].location) return 0;
    return f[0].source[0].location->line;
  }
  std::string function() {
    std::vector<Frame> f = s->frames();
    return f.empty() || f[0].source.empty() ? "" : f[0].source[0].function;
  }
  std::unique_ptr<Session> s;
  std::map<std::string, uint32_t> lines;
  std::string out;
};

TEST_F(SessionC, LineBreakpointThenStepIntoAndOver) {
  auto id = s->add_breakpoint(BreakpointSpec::at_line("steps.c", line("LINE_MAIN_SQUARE")));
  ASSERT_TRUE(id) << id.error().to_string();
  ASSERT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Breakpoint);
  EXPECT_EQ(where(), line("LINE_MAIN_SQUARE"));
  EXPECT_EQ(function(), "main");
  // step enters square()
  ASSERT_EQ(resume(*s, ResumeMode::StepLine).reason, StopReason::StepDone);
  EXPECT_EQ(function(), "square");
  EXPECT_EQ(where(), line("LINE_SQUARE_BODY"));
  // finish returns to main, in the middle of the call's line
  ASSERT_EQ(resume(*s, ResumeMode::StepOut).reason, StopReason::StepDone);
  EXPECT_EQ(function(), "main");
  // next steps over fact(5) and lands on the next line
  ASSERT_EQ(resume(*s, ResumeMode::StepLineOver).reason, StopReason::StepDone);
  EXPECT_EQ(where(), line("LINE_MAIN_FACT"));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(resume(*s, ResumeMode::StepLineOver).reason, StopReason::StepDone);
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_EQ(where(), line("LINE_MAIN_TOTAL"));
  EXPECT_EQ(function(), "main");
  std::printf("source-line step over `int b = fact(5);`: %lld us\n", static_cast<long long>(us.count()));
  EXPECT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Exited);
  EXPECT_EQ(out, "9 120 129 -\n");
}

TEST_F(SessionC, FunctionBreakpointStopsPastThePrologue) {
  ASSERT_TRUE(s->add_breakpoint(BreakpointSpec::at_function("square")));
  ASSERT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Breakpoint);
  EXPECT_EQ(where(), line("LINE_SQUARE_BODY"));
  auto x = s->evaluate(0, "x");  // stored into the frame by the prologue
  ASSERT_TRUE(x) << x.error().to_string();
  EXPECT_EQ(*x, "3");
}

TEST_F(SessionC, FinishOutOfTheDeepestRecursion) {
  auto id = s->add_breakpoint(BreakpointSpec::at_line("steps.c", line("LINE_FACT_BASE")));
  ASSERT_TRUE(id);
  // fact(5) .. fact(1): the fifth hit is the deepest.
  for (int i = 0; i < 5; ++i) ASSERT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Breakpoint);
  const size_t depth = s->frames().size();
  ASSERT_TRUE(s->enable_breakpoint(*id, false));
  ASSERT_EQ(resume(*s, ResumeMode::StepOut).reason, StopReason::StepDone);
  EXPECT_EQ(s->frames().size(), depth - 1);
  EXPECT_EQ(function(), "fact");
  EXPECT_EQ(where(), line("LINE_FACT_RECURSE"));
  // Step over the rest of fact's line; stepping leaves the recursion one frame at a time.
  ASSERT_EQ(resume(*s, ResumeMode::StepLineOver).reason, StopReason::StepDone);
  EXPECT_LT(s->frames().size(), depth);
  EXPECT_EQ(resume(*s, ResumeMode::Continue).reason, StopReason::Exited);
}
#endif

}  // namespace
}  // namespace ws::debug

// Coredumps (vm/coredump): what a trap leaves behind is written as a Wasm
// binary that other tools accept, and reads back to exactly the frames,
// locals, operand stacks, memory and globals the live thread had. Hostile
// coredumps are refused with an Error naming what and where.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <cstdlib>
#include <cstring>
#include <random>
#include <set>

#include "cli_run.h"
#include "engine_fixture.h"
#include "vm/binary_writer.h"
#include "vm/coredump/coredump.h"
#include "vm/reader.h"
#include "vm/wasi/wasi.h"

namespace ws {
namespace {

using testing::CliResult;
using testing::TempDir;
using testing::run_cli;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A module whose `crash` traps three calls deep with locals of every
// numeric type (and a v128, which the format cannot hold) and operands on
// the stack; memory holds a string and a far-away word; globals of each type.
const char kTrappingFuncs[] = R"((module
  (memory 2)
  (data (i32.const 0x1000) "Hello, coredump")
  (data (i32.const 0x18000) "\2a\00\00\00")
  (global $counter (mut i32) (i32.const 7))
  (global i64 (i64.const -5))
  (global (mut f32) (f32.const 1.5))
  (global f64 (f64.const -0.25))
  (func $divide (param $a i32) (param $b i32) (result i32)
    (local $wide i64) (local $ratio f64) (local $vec v128)
    (local.set $wide (i64.const -9000000000))
    (local.set $ratio (f64.const 2.5))
    (global.set $counter (i32.const 99))
    (i32.add (i32.const 1000) (i32.div_s (local.get $a) (local.get $b))))
  (func $middle (param $x i32) (result i32)
    (local $f f32)
    (local.set $f (f32.const -3.75))
    (i32.mul (i32.const 3) (call $divide (local.get $x) (i32.const 0))))
)";
const std::string kTrappingModule = std::string(kTrappingFuncs) + R"(
  (func (export "crash") (result i32)
    (i32.add (i32.const 5) (call $middle (i32.const 42)))))
)";
// The same as a WASI-style command for `wasmscope run`.
const std::string kTrappingCommand = std::string(kTrappingFuncs) + R"(
  (func (export "_start")
    (drop (i32.add (i32.const 5) (call $middle (i32.const 42))))))
)";

struct Trapped {
  Store store;
  Instance* instance = nullptr;
  Trap trap;
};

// Runs `crash` of kTrappingModule until it traps.
void run_to_trap(Trapped* t) {
  t->instance = testing::instantiate(t->store, kTrappingModule);
  ASSERT_NE(t->instance, nullptr);
  std::vector<Value> results;
  ASSERT_EQ(invoke(t->store, testing::export_func(t->instance, "crash"), {}, &results, &t->trap),
            RunStatus::Trapped);
  ASSERT_EQ(t->trap.message, "integer divide by zero");
  ASSERT_EQ(t->trap.frames.size(), 3u);
}

std::vector<uint8_t> dump_of(const Trapped& t) {
  coredump::CoreThread thread = coredump::core_thread("main", *t.instance->module, t.trap.frames);
  return coredump::write(coredump::capture(*t.instance, "crash.wasm", {thread}));
}

bool same_value(const std::optional<Value>& a, const Value& live) {
  if (!coredump::has_core_type(live.type)) return !a.has_value();  // v128, references: missing
  if (!a || a->type != live.type) return false;
  switch (live.type) {
    case ValType::I32: return a->i32 == live.i32;
    case ValType::F32: return std::memcmp(&a->f32, &live.f32, 4) == 0;
    default: return std::memcmp(&a->i64, &live.i64, 8) == 0;
  }
}

// Every frame of the coredump is the live frame: function, instruction,
// locals and operand stack.
void expect_same_frames(const Module& module, const coredump::CoreThread& core, const std::vector<FrameInfo>& live) {
  ASSERT_EQ(core.frames.size(), live.size());
  for (size_t i = 0; i < live.size(); i++) {
    SCOPED_TRACE("frame " + std::to_string(i));
    const coredump::CoreFrame& f = core.frames[i];
    EXPECT_EQ(f.instance_index, 0u);
    EXPECT_EQ(f.func_index, live[i].func_index);
    EXPECT_EQ(coredump::module_offset(module, f), live[i].offset);
    const FuncBody& body = module.funcs[live[i].func_index - module.num_imported_funcs];
    EXPECT_EQ(f.code_offset, live[i].offset - body.body_offset);
    ASSERT_EQ(f.locals.size(), live[i].locals.size());
    for (size_t l = 0; l < f.locals.size(); l++) EXPECT_TRUE(same_value(f.locals[l], live[i].locals[l])) << "local " << l;
    ASSERT_EQ(f.stack.size(), live[i].stack.size());
    for (size_t s = 0; s < f.stack.size(); s++) EXPECT_TRUE(same_value(f.stack[s], live[i].stack[s])) << "operand " << s;
  }
}

TEST(Coredump, RoundTripIsTheLiveTrap) {
  Trapped t;
  run_to_trap(&t);
  std::vector<uint8_t> bytes = dump_of(t);
  auto dump = coredump::read(bytes);
  ASSERT_TRUE(dump) << dump.error().to_string();

  EXPECT_EQ(dump->executable, "crash.wasm");
  ASSERT_EQ(dump->modules.size(), 1u);
  ASSERT_EQ(dump->instances.size(), 1u);
  EXPECT_EQ(dump->instances[0].module_index, 0u);
  ASSERT_EQ(dump->threads.size(), 1u);
  EXPECT_EQ(dump->threads[0].name, "main");
  expect_same_frames(*t.instance->module, dump->threads[0], t.trap.frames);

  // The youngest frame holds what the test put there: a = 42, b = 0, the
  // i64 and f64 locals, a missing v128; operands of the division on the stack.
  const coredump::CoreFrame& top = dump->threads[0].frames[0];
  ASSERT_EQ(top.locals.size(), 5u);
  EXPECT_EQ(top.locals[0]->i32, 42u);
  EXPECT_EQ(top.locals[1]->i32, 0u);
  EXPECT_EQ(int64_t(top.locals[2]->i64), -9000000000);
  EXPECT_EQ(top.locals[3]->f64, 2.5);
  EXPECT_FALSE(top.locals[4].has_value());
  ASSERT_GE(top.stack.size(), 2u);
  EXPECT_EQ(top.stack[top.stack.size() - 2]->i32, 42u);
  EXPECT_EQ(top.stack.back()->i32, 0u);
  EXPECT_EQ(dump->threads[0].frames[1].locals[1]->f32, -3.75f);

  // Memory and globals are the instance's at the trap.
  ASSERT_EQ(dump->memories.size(), 1u);
  const Memory& memory = *t.instance->memories[0];
  ASSERT_EQ(dump->memories[0].size(), memory.size_bytes());
  EXPECT_EQ(std::memcmp(dump->memories[0].data(), memory.data(), memory.size_bytes()), 0);
  EXPECT_EQ(std::memcmp(dump->memories[0].data() + 0x1000, "Hello, coredump", 15), 0);
  ASSERT_EQ(dump->globals.size(), 4u);
  EXPECT_EQ(dump->globals[0].i32, 99u);  // the value at the trap, not the initial one
  EXPECT_EQ(int64_t(dump->globals[1].i64), -5);
  EXPECT_EQ(dump->globals[2].f32, 1.5f);
  EXPECT_EQ(dump->globals[3].f64, -0.25);
  EXPECT_EQ(dump->instances[0].globals, (std::vector<uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(dump->instances[0].memories, (std::vector<uint32_t>{0}));
}

TEST(Coredump, IsAValidWasmModule) {
  Trapped t;
  run_to_trap(&t);
  std::vector<uint8_t> bytes = dump_of(t);
  auto module = decode_module(bytes);
  ASSERT_TRUE(module) << module.error().to_string();
  Status valid = validate_module(**module);
  EXPECT_TRUE(valid) << valid.error().to_string();
  EXPECT_EQ((*module)->memories.size(), 1u);
  EXPECT_EQ((*module)->memories[0].limits.min, 2u);
  for (const GlobalDef& g : (*module)->globals) EXPECT_FALSE(g.type.mutable_);
  // Zero runs are left out: two small segments, not 128 KiB.
  EXPECT_EQ((*module)->datas.size(), 2u);
  EXPECT_LT(bytes.size(), 1024u);
}

TEST(Coredump, WasmObjdumpAcceptsIt) {
  std::string objdump = WASMSCOPE_WASM_OBJDUMP;
  if (objdump.empty()) GTEST_SKIP() << "wasm-objdump (wabt) not installed";
  Trapped t;
  run_to_trap(&t);
  std::vector<uint8_t> bytes = dump_of(t);
  TempDir dir;
  std::string path = dir.write("core.wasm", std::string(bytes.begin(), bytes.end()));
  std::string out = dir.file("objdump.txt");
  int status = std::system((objdump + " -h " + path + " > " + out + " 2>&1").c_str());
  std::string text = testing::read_text(out);
  EXPECT_EQ(status, 0) << text;
  for (const char* section : {"\"core\"", "\"coremodules\"", "\"coreinstances\"", "\"corestack\"", "Memory",
                              "Global", "Data"})
    EXPECT_TRUE(contains(text, section)) << section << "\n" << text;
}

TEST(Coredump, LongZeroRunsBecomeSeparateSegments) {
  coredump::Coredump dump;
  dump.executable = "sparse";
  dump.modules = {"sparse.wasm"};
  dump.instances.resize(1);
  dump.instances[0].memories = {0};
  dump.memories.assign(1, std::vector<uint8_t>(64 * kPageSize, 0));
  std::vector<uint8_t>& m = dump.memories[0];
  m[0] = 1;                                 // at the very start
  m[5] = 2;                                 // a short zero run stays inside the segment
  m[100000] = 3;                            // far away: its own segment
  m[m.size() - 1] = 4;                      // at the very end
  std::vector<uint8_t> bytes = coredump::write(dump);
  EXPECT_LT(bytes.size(), 200u);
  auto back = coredump::read(bytes);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_TRUE(back->memories == dump.memories);
  auto module = decode_module(bytes);
  ASSERT_TRUE(module);
  EXPECT_EQ((*module)->datas.size(), 3u);
}

// ---- hostile coredumps ----

coredump::Coredump small_dump() {
  coredump::Coredump dump;
  dump.executable = "prog";
  dump.modules = {"prog.wasm"};
  dump.instances.resize(1);
  dump.instances[0].memories = {0};
  dump.instances[0].globals = {0};
  dump.memories.assign(1, std::vector<uint8_t>(kPageSize, 0));
  std::memcpy(dump.memories[0].data() + 16, "data", 4);
  dump.globals = {Value::make_i32(5)};
  coredump::CoreFrame frame;
  frame.func_index = 3;
  frame.code_offset = 17;
  frame.locals = {Value::make_i32(1), Value::make_i64(2), std::nullopt, Value::make_f32(3), Value::make_f64(4)};
  frame.stack = {Value::make_i32(uint32_t(-1))};
  dump.threads = {coredump::CoreThread{"main", {frame, frame}}};
  return dump;
}

// The payload offset of the corestack section in `bytes`.
size_t corestack_payload(const std::vector<uint8_t>& bytes) {
  const std::string name = "corestack";
  auto it = std::search(bytes.begin(), bytes.end(), name.begin(), name.end());
  return size_t(it - bytes.begin()) + name.size();
}

// Where each section of a well-formed binary ends.
std::set<size_t> section_ends(const std::vector<uint8_t>& bytes) {
  std::set<size_t> ends = {8};
  Reader r(bytes.data(), 8, uint32_t(bytes.size()));
  uint8_t id;
  uint32_t size;
  while (r.u8(&id) && r.u32(&size) && r.skip(size)) ends.insert(r.pos());
  return ends;
}

TEST(CoredumpHostile, EveryTruncationIsAnError) {
  std::vector<uint8_t> bytes = coredump::write(small_dump());
  ASSERT_TRUE(coredump::read(bytes));
  // Cut between sections, a dump is a partial one (fewer threads, less
  // memory) and may be valid; cut anywhere else, it is malformed.
  std::set<size_t> boundaries = section_ends(bytes);
  for (size_t size = 0; size < bytes.size(); size++) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + long(size));
    auto r = coredump::read(cut);
    if (boundaries.count(size)) continue;
    ASSERT_FALSE(r) << "accepted a coredump cut to " << size << " bytes";
    EXPECT_FALSE(r.error().message.empty());
  }
  auto r = coredump::read(std::vector<uint8_t>(bytes.begin(), bytes.end() - 3));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().offset.has_value()) << r.error().to_string();
}

TEST(CoredumpHostile, BadValueTypeByte) {
  std::vector<uint8_t> bytes = coredump::write(small_dump());
  // Payload: size, name, 0x00, thread name "main", frame count, frame: 0x00 inst func offset, locals count, i32 type.
  size_t at = corestack_payload(bytes) + 1 + 5 + 1 + 1 + 1 + 1 + 1 + 1;
  ASSERT_EQ(bytes[at], 0x7F);
  bytes[at] = 0x42;
  auto r = coredump::read(bytes);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "bad value type byte 0x42");
  EXPECT_EQ(r.error().section, "corestack");
  EXPECT_EQ(r.error().offset, at);
  EXPECT_TRUE(contains(r.error().to_string(), "corestack")) << r.error().to_string();
}

TEST(CoredumpHostile, BadLeb) {
  coredump::Coredump dump = small_dump();
  dump.threads[0].frames[0].func_index = 0x7FFFFFFF;  // five LEB bytes
  std::vector<uint8_t> bytes = coredump::write(dump);
  size_t at = corestack_payload(bytes) + 1 + 5 + 1 + 1 + 1;  // funcidx
  ASSERT_EQ(bytes[at + 4], 0x07);
  bytes[at + 4] = 0x87;  // continuation bit on the fifth byte: too long for a u32
  auto r = coredump::read(bytes);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "integer representation too long");
  EXPECT_EQ(r.error().section, "corestack");
  EXPECT_EQ(r.error().offset, at);
}

TEST(CoredumpHostile, StructuralProblemsAreNamed) {
  auto expect_error = [](const coredump::Coredump& dump, const std::string& message) {
    auto r = coredump::read(coredump::write(dump));
    ASSERT_FALSE(r) << "accepted: expected " << message;
    EXPECT_TRUE(contains(r.error().message, message)) << r.error().to_string();
  };
  coredump::Coredump d = small_dump();
  d.threads[0].frames[1].instance_index = 4;
  expect_error(d, "thread 0 frame 1: no instance 4");
  d = small_dump();
  d.instances[0].module_index = 2;
  expect_error(d, "instance 0: no module 2");
  d = small_dump();
  d.instances[0].globals = {0, 1};
  expect_error(d, "instance 0: no global 1");

  // Not a coredump at all, and duplicated sections.
  BinaryWriter plain;
  write_wasm_header(plain);
  auto r = coredump::read(plain.bytes());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "not a coredump: no 'core' section");
  std::vector<uint8_t> twice = coredump::write(small_dump());
  BinaryWriter core;
  core.u8(0);
  core.name("again");
  BinaryWriter extra;
  extra.custom_section("core", core.bytes());
  twice.insert(twice.end(), extra.bytes().begin(), extra.bytes().end());
  r = coredump::read(twice);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "the 'core' section appears twice");
  r = coredump::read({'n', 'o', 'p', 'e'});
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "not a valid Wasm binary")) << r.error().to_string();
}

TEST(CoredumpHostile, HugeDeclaredMemoryIsRefused) {
  coredump::Coredump d = small_dump();
  std::vector<uint8_t> bytes = coredump::write(d);
  auto r = coredump::read(bytes, /*max_memory_bytes=*/kPageSize / 2);
  ASSERT_FALSE(r);
  EXPECT_TRUE(contains(r.error().message, "exceeds the reader's limit")) << r.error().to_string();
  EXPECT_EQ(r.error().section, "memory");
}

TEST(CoredumpHostile, RandomCorruptionNeverCrashes) {
  std::vector<uint8_t> good = coredump::write(small_dump());
  std::mt19937 rng(1234);
  int rejected = 0;
  for (int round = 0; round < 3000; round++) {
    std::vector<uint8_t> bytes = good;
    int flips = 1 + int(rng() % 3);
    for (int i = 0; i < flips; i++) bytes[rng() % bytes.size()] = uint8_t(rng());
    auto r = coredump::read(bytes);
    if (!r) {
      rejected++;
      EXPECT_FALSE(r.error().message.empty());
    }
  }
  EXPECT_GT(rejected, 0);
}

// ---- a real program: C compiled with -g, trapping under WASI ----

TEST(Coredump, CProgramRoundTrip) {
  auto module = testing::parse_module("(module)");  // fixture sanity
  ASSERT_TRUE(module);
  auto bytes = testing::read_text(std::string(WASMSCOPE_EXAMPLES_DIR) + "/divide_by_zero.wasm");
  ASSERT_FALSE(bytes.empty());
  auto decoded = decode_module(std::vector<uint8_t>(bytes.begin(), bytes.end()));
  ASSERT_TRUE(decoded) << decoded.error().to_string();
  wasi::WasiConfig config;
  config.args = {"divide_by_zero"};
  auto w = wasi::Wasi::create(config);
  ASSERT_TRUE(w);
  Store store;
  auto imports = (*w)->resolve_imports(store, **decoded);
  ASSERT_TRUE(imports) << imports.error().to_string();
  auto instance = store.instantiate(*decoded, *imports);
  ASSERT_TRUE(instance);
  Thread thread(store);
  ASSERT_TRUE(thread.start((*instance)->find_export("_start")->func(), {}));
  ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Trapped);
  const Trap& trap = thread.trap();
  EXPECT_EQ(trap.message, "integer divide by zero");

  coredump::CoreThread core = coredump::core_thread("main", **decoded, trap.frames);
  auto dump = coredump::read(coredump::write(coredump::capture(**instance, "divide_by_zero.wasm", {core})));
  ASSERT_TRUE(dump) << dump.error().to_string();
  expect_same_frames(**decoded, dump->threads[0], trap.frames);
  const Memory& memory = *(*instance)->memories[0];
  ASSERT_EQ(dump->memories[0].size(), memory.size_bytes());
  EXPECT_EQ(std::memcmp(dump->memories[0].data(), memory.data(), memory.size_bytes()), 0);
  ASSERT_EQ(dump->globals.size(), (*instance)->globals.size());
  for (size_t g = 0; g < dump->globals.size(); g++) EXPECT_TRUE(same_value(dump->globals[g], (*instance)->globals[g]->value));
}

// ---- the CLI: --coredump-on-trap, `core`, `core --memory` ----

TEST(CoredumpCli, WrittenOnTrapAndReadBack) {
  TempDir dir;
  std::string wat = dir.write("crash.wat", kTrappingCommand);
  std::string core = dir.file("crash.core");
  CliResult r = run_cli({"run", "--coredump-on-trap", core, wat});
  ASSERT_EQ(r.status, 134) << r.err;
  EXPECT_TRUE(contains(r.err, "trap: integer divide by zero\n")) << r.err;
  EXPECT_TRUE(contains(r.err, "coredump written to " + core)) << r.err;

  r = run_cli({"core", core, wat});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "thread main:\n#0 func[0] divide  (offset 0x")) << r.out;
  EXPECT_TRUE(contains(r.out, "#1 func[1] middle  (offset 0x")) << r.out;
  EXPECT_TRUE(contains(r.out, "    $a: i32 = 42\n    $b: i32 = 0\n    $wide: i64 = -9000000000\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "    $ratio: f64 = 2.5\n    $vec: v128 = <unavailable>\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "    $f: f32 = -3.75\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "    stack: 1000, 42, 0\n")) << r.out;

  // The frames are the ones the trap report printed.
  size_t report = r.out.find("#0 func[0]");
  std::string first_line = r.out.substr(report, r.out.find('\n', report) - report);
  CliResult again = run_cli({"run", wat});
  EXPECT_TRUE(contains(again.err, "  " + first_line + "\n")) << again.err << "\nvs\n" << first_line;

  r = run_cli({"core", "--memory", "0x1000", "20", core, wat});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "00001000: 48 65 6c 6c 6f 2c 20 63 6f 72 65 64 75 6d 70 00  Hello, coredump.\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "00001010: 00 00 00 00                                      ....\n")) << r.out;
  r = run_cli({"core", "--memory", "0x1fff0", "32", core, wat});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "out of bounds")) << r.err;

  // The coredump names the module it came from: found without MODULE.
  r = run_cli({"core", core});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "#1 func[1] middle  (offset 0x")) << r.out;

  // Without the module: indices and code offsets, still every local.
  std::filesystem::remove(wat);
  r = run_cli({"core", core});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "(module not found")) << r.out;
  EXPECT_TRUE(contains(r.out, "#0 func[0]  (code offset 0x")) << r.out;
  EXPECT_TRUE(contains(r.out, "local[0]: i32 = 42")) << r.out;

  std::string bad = dir.write("bad.core", std::string("\0asm\1\0\0\0", 8));
  r = run_cli({"core", bad});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(contains(r.err, "not a coredump: no 'core' section")) << r.err;
}

// ---- speed: measured and printed, not asserted ----

// Wall time and this process's CPU time of `work`, in ms (CPU time is the
// fairer number on a loaded machine).
template <typename F>
std::pair<double, double> timed(F&& work) {
  auto wall = std::chrono::steady_clock::now();
  std::clock_t cpu = std::clock();
  work();
  double cpu_ms = 1000.0 * double(std::clock() - cpu) / CLOCKS_PER_SEC;
  return {std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall).count(), cpu_ms};
}

TEST(CoredumpSpeed, Write64MiB) {
  coredump::Coredump dump;
  dump.executable = "big";
  dump.modules = {"big.wasm"};
  dump.instances.resize(1);
  dump.instances[0].memories = {0};
  dump.memories.assign(1, std::vector<uint8_t>(1024 * kPageSize, 0));
  // A used heap: half the pages hold data with scattered zero bytes, half are zero.
  std::mt19937 rng(7);
  std::vector<uint8_t>& m = dump.memories[0];
  for (size_t page = 0; page < 1024; page += 2)
    for (size_t i = page * kPageSize; i < (page + 1) * kPageSize; i++) m[i] = (rng() % 4 == 0) ? 0 : uint8_t(rng());
  std::vector<uint8_t> bytes;
  auto [wall, cpu] = timed([&] { bytes = coredump::write(dump); });
  std::printf("[ speed    ] coredump::write, 64 MiB memory, half used: %.1f ms (cpu %.1f ms), %zu bytes\n", wall, cpu,
              bytes.size());
  std::fill(m.begin(), m.end(), 0x5A);
  std::tie(wall, cpu) = timed([&] { bytes = coredump::write(dump); });
  std::printf("[ speed    ] coredump::write, 64 MiB memory, all used: %.1f ms (cpu %.1f ms), %zu bytes\n", wall, cpu,
              bytes.size());
  // What --coredump-on-trap does: capture (copies the memory) and write.
  Store store;
  Instance* instance = testing::instantiate(store, "(module (memory 1024))");
  ASSERT_NE(instance, nullptr);
  std::memcpy(instance->memories[0]->data(), m.data(), m.size());
  std::tie(wall, cpu) = timed([&] { bytes = coredump::write(coredump::capture(*instance, "big.wasm", {})); });
  std::printf("[ speed    ] capture + write of a 64 MiB instance: %.1f ms (cpu %.1f ms)\n", wall, cpu);
  Result<coredump::Coredump> back = Error{};
  std::tie(wall, cpu) = timed([&] { back = coredump::read(bytes); });
  std::printf("[ speed    ] coredump::read of it: %.1f ms (cpu %.1f ms)\n", wall, cpu);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->memories == dump.memories);
}

}  // namespace
}  // namespace ws

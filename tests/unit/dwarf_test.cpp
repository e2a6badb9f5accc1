// vm/dwarf: line tables, source frames (inlining), variables and C
// expressions, checked on real paused frames of the C programs in
// tests/dwarf/ (built with -g at -O0 and -O2 by cmake/DwarfPrograms.cmake).
// Expected lines come from the programs' "MARK:" comments.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include <time.h>

#include "engine_fixture.h"
#include "vm/compiler.h"
#include "vm/decoder.h"
#include "vm/dwarf/debug_info.h"
#include "vm/dwarf/paths.h"
#include "vm/interp.h"
#include "vm/runtime.h"

namespace ws::dwarf {
namespace {

using ws::testing::load_module;

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

std::string source_path(const std::string& name) {
  return std::string(WASMSCOPE_DWARF_SOURCES_DIR) + "/" + name + ".c";
}

// The line holding "MARK: <marker>" in tests/dwarf/<program>.c.
uint32_t marker_line(const std::string& program, const std::string& marker) {
  std::ifstream in(source_path(program));
  std::string text;
  for (uint32_t line = 1; std::getline(in, text); ++line) {
    if (text.find("MARK: " + marker) != std::string::npos) return line;
  }
  ADD_FAILURE() << "no MARK: " << marker << " in " << program;
  return 0;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A test program (tests/dwarf/NAME.c at -O0 or -O2), instantiated, with
// its DWARF loaded, and a thread to run it on.
struct Program {
  std::string name;
  std::shared_ptr<Module> module;
  std::unique_ptr<DebugInfo> info;
  Store store;
  Instance* instance = nullptr;
  Thread thread{store};
  std::vector<FrameInfo> frames;  // of the paused or trapped thread

  bool open(const std::string& program, const std::string& level) {
    name = program;
    module = load_module(read_file(std::string(WASMSCOPE_DWARF_TESTS_DIR) + "/" + program + "." +
                                   level + ".wasm"));
    if (!module) return false;
    auto loaded = DebugInfo::load(module);
    if (!loaded) {
      ADD_FAILURE() << loaded.error().to_string();
      return false;
    }
    info = std::move(*loaded);
    auto inst = store.instantiate(module, {});
    if (!inst) {
      ADD_FAILURE() << inst.error().to_string();
      return false;
    }
    instance = *inst;
    return info->has_dwarf();
  }
  Function* exported(const std::string& export_name) const {
    const Extern* e = instance->find_export(export_name);
    return e ? e->func() : nullptr;
  }
  // Runs `function(args)` until it traps; frames then holds the backtrace.
  bool run_to_trap(const std::string& function, const std::vector<Value>& args) {
    if (!thread.start(exported(function), args)) return false;
    if (thread.run(UINT64_MAX) != RunStatus::Trapped) return false;
    frames = thread.trap().frames;
    return !frames.empty();
  }
  // Runs `function(args)` until a breakpoint at module offset `offset`.
  bool run_to_breakpoint(const std::string& function, const std::vector<Value>& args,
                         uint32_t func_index, uint32_t offset) {
    CompiledFunction* cf = state_of(instance->funcs[func_index])->compiled;
    uint32_t index = code_index_at_offset(*cf, offset);
    if (index == UINT32_MAX || !set_breakpoint(cf, index)) return false;
    if (!thread.start(exported(function), args)) return false;
    if (thread.run(UINT64_MAX) != RunStatus::Breakpoint) return false;
    frames = thread.frames();
    return !frames.empty();
  }
  // What the evaluator sees of frames[k].
  FrameContext context(size_t k) const {
    FrameContext c;
    const FrameInfo* frame = &frames[k];
    Instance* inst = instance;
    c.local = [frame](uint32_t i) -> std::optional<Value> {
      if (i >= frame->locals.size()) return std::nullopt;
      return frame->locals[i];
    };
    c.operand = [frame](uint32_t depth) -> std::optional<Value> {
      if (depth >= frame->stack.size()) return std::nullopt;
      return frame->stack[frame->stack.size() - 1 - depth];
    };
    c.global = [inst](uint32_t i) -> std::optional<Value> {
      if (i >= inst->globals.size()) return std::nullopt;
      return inst->globals[i]->value;
    };
    c.read_memory = [inst](uint64_t addr, void* out, size_t size) {
      if (inst->memories.empty()) return false;
      Memory* m = inst->memories[0];
      if (addr > m->size_bytes() || size > m->size_bytes() - addr) return false;
      std::memcpy(out, m->data() + addr, size);
      return true;
    };
    return c;
  }
  uint32_t func_index(const std::string& function) const {
    for (const auto& [index, fname] : module->names.functions) {
      if (fname == function) return index;
    }
    ADD_FAILURE() << "no function " << function;
    return 0;
  }
};

const Variable* find(const std::vector<Variable>& vars, const std::string& name) {
  for (const Variable& v : vars) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

// ---- line tables ----

TEST(DwarfLines, TrapAndCallSiteMapToTheirMarkedLines) {
  Program p;
  ASSERT_TRUE(p.open("vars", "O0"));
  ASSERT_TRUE(p.run_to_trap("run_vars", {Value::make_i32(42)}));
  ASSERT_GE(p.frames.size(), 2u);
  auto trap = p.info->location(p.frames[0].offset);
  ASSERT_TRUE(trap);
  EXPECT_TRUE(ends_with(trap->file, "tests/dwarf/vars.c")) << trap->file;
  EXPECT_EQ(trap->line, marker_line("vars", "vars_trap"));
  EXPECT_GT(trap->column, 0u);
  auto call = p.info->location(p.frames[1].offset);
  ASSERT_TRUE(call);
  EXPECT_EQ(call->line, marker_line("vars", "vars_call"));
}

TEST(DwarfLines, LineOffsetsStartTheLineAndMatchPathSuffixes) {
  Program p;
  ASSERT_TRUE(p.open("vars", "O0"));
  const uint32_t line = marker_line("vars", "vars_trap");
  std::vector<uint32_t> offsets = p.info->line_offsets("vars.c", line);
  ASSERT_FALSE(offsets.empty());
  for (uint32_t offset : offsets) {
    auto loc = p.info->location(offset);
    ASSERT_TRUE(loc);
    EXPECT_EQ(loc->line, line);
    // The first instruction of the line: the byte before belongs to another line.
    auto before = p.info->location(offset - 1);
    EXPECT_TRUE(!before || before->line != line);
  }
  EXPECT_EQ(p.info->line_offsets("dwarf/vars.c", line), offsets);
  EXPECT_EQ(p.info->line_offsets(source_path("vars"), line), offsets);
  EXPECT_TRUE(p.info->line_offsets("ars.c", line).empty());  // not a whole path component
  EXPECT_TRUE(p.info->line_offsets("vars.c", 1).empty());    // a comment
  EXPECT_FALSE(p.info->location(0));                          // the module header
}

TEST(DwarfLines, PathsAreTidiedAndMatchedByWholeComponents) {
  EXPECT_EQ(tidy_path("./build/./libc/./crt1.c"), "./build/libc/crt1.c");
  EXPECT_TRUE(path_matches("/src/app/main.c", "main.c"));
  EXPECT_TRUE(path_matches("/src/app/main.c", "app/main.c"));
  EXPECT_TRUE(path_matches("/src/app/main.c", "/src/app/main.c"));
  EXPECT_FALSE(path_matches("/src/app/main.c", "ain.c"));
  EXPECT_FALSE(path_matches("/src/app/main.c", ""));
}

TEST(DwarfLines, ModuleWithoutDwarfHasNoInfo) {
  // The -O0 program with its .debug_* sections renamed away.
  std::vector<uint8_t> bytes = read_file(std::string(WASMSCOPE_DWARF_TESTS_DIR) + "/vars.O0.wasm");
  auto module = load_module(bytes);
  ASSERT_TRUE(module);
  for (const CustomSection& c : module->customs) {
    if (c.name.rfind(".debug_", 0) == 0) bytes[c.offset - 1] = 'x';  // ".debug_info" -> ".debux_info"
  }
  auto stripped = load_module(bytes);
  ASSERT_TRUE(stripped);
  auto info = DebugInfo::load(stripped);
  ASSERT_TRUE(info);
  EXPECT_FALSE((*info)->has_dwarf());
  EXPECT_FALSE((*info)->location(0x100));
  EXPECT_TRUE((*info)->source_frames(0x100).empty());
  EXPECT_TRUE((*info)->variables(0x100).empty());
  EXPECT_FALSE((*info)->evaluate_expression("x", 0x100, FrameContext{}));
}

// ---- source frames ----

TEST(DwarfFrames, OutOfLineFunctionIsOneSourceFrame) {
  Program p;
  ASSERT_TRUE(p.open("vars", "O0"));
  ASSERT_TRUE(p.run_to_trap("run_vars", {Value::make_i32(42)}));
  std::vector<SourceFrame> frames = p.info->source_frames(p.frames[0].offset);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].function, "inspect");
  ASSERT_TRUE(frames[0].location);
  EXPECT_EQ(frames[0].location->line, marker_line("vars", "vars_trap"));
  std::vector<SourceFrame> caller = p.info->source_frames(p.frames[1].offset);
  ASSERT_EQ(caller.size(), 1u);
  EXPECT_EQ(caller[0].function, "run_vars");
}

TEST(DwarfFrames, InlinedCallIsItsOwnSourceFrameWithTheCallSite) {
  Program p;
  ASSERT_TRUE(p.open("inlined", "O2"));
  // factor 3: checked_div divides by zero and traps inside the inlined code.
  ASSERT_TRUE(p.run_to_trap("run_inlined", {Value::make_i32(3), Value::make_i32(10)}));
  ASSERT_GE(p.frames.size(), 2u);
  std::vector<SourceFrame> frames = p.info->source_frames(p.frames[0].offset);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].function, "checked_div");
  ASSERT_TRUE(frames[0].location);
  EXPECT_EQ(frames[0].location->line, marker_line("inlined", "inline_trap"));
  EXPECT_EQ(frames[1].function, "scale");
  ASSERT_TRUE(frames[1].location);
  EXPECT_EQ(frames[1].location->line, marker_line("inlined", "inline_call"));
  EXPECT_GT(frames[1].location->column, 0u);
  EXPECT_TRUE(ends_with(frames[1].location->file, "inlined.c")) << frames[1].location->file;
  std::vector<SourceFrame> outer = p.info->source_frames(p.frames[1].offset);
  ASSERT_EQ(outer.size(), 1u);
  EXPECT_EQ(outer[0].function, "run_inlined");
  EXPECT_EQ(outer[0].location->line, marker_line("inlined", "outer_call"));
}

// ---- variables ----

TEST(DwarfVariables, ListsParametersAndLocalsWithCTypeNames) {
  Program p;
  ASSERT_TRUE(p.open("vars", "O0"));
  ASSERT_TRUE(p.run_to_trap("run_vars", {Value::make_i32(42)}));
  std::vector<Variable> vars = p.info->variables(p.frames[0].offset);
  const std::pair<const char*, const char*> expected[] = {
      {"p", "struct point *"}, {"n", "int"},          {"arr", "int[4]"},
      {"grid", "int[2][3]"},   {"c", "enum color"},   {"local", "point_t"},
      {"msg", "const char *"}, {"name", "char[8]"},   {"o", "struct outer"},
      {"first", "struct node"}, {"num", "union number"}, {"fl", "struct flags"},
      {"ratio", "double"},     {"byte", "unsigned char"}};
  for (auto [name, type] : expected) {
    const Variable* v = find(vars, name);
    ASSERT_TRUE(v) << name;
    EXPECT_EQ(v->type_name, type) << name;
  }
  EXPECT_TRUE(find(vars, "p")->is_parameter);
  EXPECT_FALSE(find(vars, "arr")->is_parameter);
  EXPECT_FALSE(find(vars, "pt"));  // run_vars's local: another function
}

TEST(DwarfVariables, PrintsEveryKindOfValue) {
  Program p;
  ASSERT_TRUE(p.open("vars", "O0"));
  ASSERT_TRUE(p.run_to_trap("run_vars", {Value::make_i32(42)}));
  const uint32_t offset = p.frames[0].offset;
  FrameContext frame = p.context(0);
  std::vector<Variable> vars = p.info->variables(offset);
  auto value = [&](const char* name) {
    const Variable* v = find(vars, name);
    return v ? p.info->evaluate(*v, offset, frame) : std::string("<missing ") + name + ">";
  };
  EXPECT_EQ(value("n"), "42");
  EXPECT_EQ(value("arr"), "{1, 2, 3, 4}");
  EXPECT_EQ(value("grid"), "{{1, 2, 3}, {4, 5, 6}}");
  EXPECT_EQ(value("c"), "GREEN");
  EXPECT_EQ(value("local"), "{x = 3, y = 4}");
  EXPECT_EQ(value("name"), "\"abc\"");
  EXPECT_EQ(value("o"), "{corner = {x = -1, y = 2}, in = {v = 300, tag = 122 'z'}, weight = 2.5}");
  EXPECT_EQ(value("num"), "{i = 1078530011, f = 3.14159}");
  EXPECT_EQ(value("fl"), "{ready = 1, level = -3, mode = 5}");
  EXPECT_EQ(value("ratio"), "0.25");
  EXPECT_EQ(value("byte"), "200 '\\310'");
  std::string msg = value("msg");
  EXPECT_EQ(msg.rfind("0x", 0), 0u) << msg;
  EXPECT_TRUE(ends_with(msg, " \"hello\"")) << msg;
  // p points at run_vars's pt, in linear memory below inspect's frame.
  std::string ptr = value("p");
  ASSERT_EQ(ptr.rfind("0x", 0), 0u) << ptr;
  uint32_t pt_address = uint32_t(std::stoul(ptr, nullptr, 16));
  int32_t pt[2];
  ASSERT_TRUE(frame.read_memory(pt_address, pt, sizeof pt));
  EXPECT_EQ(pt[0], 10);
  EXPECT_EQ(pt[1], 20);
  std::string first = value("first");
  EXPECT_EQ(first.rfind("{value = 10, next = 0x", 0), 0u) << first;
}

TEST(DwarfVariables, WasmLocalLocationsAndLocationListsAtO2) {
  Program p;
  ASSERT_TRUE(p.open("inlined", "O2"));
  // Stopped at the start of the line calling checked_div, in scale().
  std::vector<uint32_t> at = p.info->line_offsets("inlined.c", marker_line("inlined", "inline_call"));
  ASSERT_FALSE(at.empty());
  ASSERT_TRUE(p.run_to_breakpoint("run_inlined", {Value::make_i32(5), Value::make_i32(12)},
                                  p.func_index("scale"), at[0]));
  ASSERT_GE(p.frames.size(), 2u);
  // scale's parameters: location lists of DW_OP_WASM_location local + DW_OP_stack_value.
  const uint32_t offset = p.frames[0].offset;
  FrameContext frame = p.context(0);
  auto factor = p.info->evaluate_expression("factor", offset, frame);
  ASSERT_TRUE(factor) << factor.error().message;
  EXPECT_EQ(*factor, "5");
  auto value = p.info->evaluate_expression("value", offset, frame);
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ(*value, "12");
  // run_inlined's parameters: a single DW_OP_WASM_location local expression.
  FrameContext outer = p.context(1);
  auto outer_value = p.info->evaluate_expression("value", p.frames[1].offset, outer);
  ASSERT_TRUE(outer_value) << outer_value.error().message;
  EXPECT_EQ(*outer_value, "12");
  // The C global `sink`, in linear memory (DW_OP_addr), holds factor by now.
  auto sink = p.info->evaluate_expression("sink", offset, frame);
  ASSERT_TRUE(sink) << sink.error().message;
  EXPECT_EQ(*sink, "5");
}

TEST(DwarfVariables, VariableOutsideItsLocationRangeIsOptimizedOut) {
  Program p;
  ASSERT_TRUE(p.open("inlined", "O2"));
  ASSERT_TRUE(p.run_to_trap("run_inlined", {Value::make_i32(3), Value::make_i32(10)}));
  // r is only computed after the division: no location at the trap.
  std::vector<Variable> vars = p.info->variables(p.frames[0].offset);
  const Variable* r = find(vars, "r");
  ASSERT_TRUE(r);
  EXPECT_EQ(p.info->evaluate(*r, p.frames[0].offset, p.context(0)), "<optimized out>");
  // Inlined checked_div's parameters are in scope (innermost first).
  ASSERT_FALSE(vars.empty());
  EXPECT_TRUE(vars[0].name == "a" || vars[0].name == "b") << vars[0].name;
}

// ---- expressions ----

TEST(DwarfExpressions, NamesDereferencesMembersAndIndexesChain) {
  Program p;
  ASSERT_TRUE(p.open("vars", "O0"));
  ASSERT_TRUE(p.run_to_trap("run_vars", {Value::make_i32(42)}));
  const uint32_t offset = p.frames[0].offset;
  FrameContext frame = p.context(0);
  const std::pair<const char*, const char*> cases[] = {
      {"n", "42"},
      {"p->x", "10"},
      {"*p", "{x = 10, y = 20}"},
      {"(*p).y", "20"},
      {"o.corner.y", "2"},
      {"o.in.tag", "122 'z'"},
      {"arr[2]", "3"},
      {"grid[1][2]", "6"},
      {"grid[1]", "{4, 5, 6}"},
      {"first.next->value", "20"},
      {"*first.next", "{value = 20, next = 0x0}"},
      {"msg[1]", "101 'e'"},
      {"*msg", "104 'h'"},
      {"name[0]", "97 'a'"},
      {"arr[c]", "<error>"},  // c is GREEN (5): out of bounds
      {"g_counter", "7"},
      {" local . y ", "4"},
  };
  for (auto [expression, expected] : cases) {
    auto r = p.info->evaluate_expression(expression, offset, frame);
    if (std::string(expected) == "<error>") {
      EXPECT_FALSE(r) << expression;
      continue;
    }
    ASSERT_TRUE(r) << expression << ": " << r.error().message;
    EXPECT_EQ(*r, expected) << expression;
  }
}

TEST(DwarfExpressions, AddressOfPrintsATypedPointer) {
  Program p;
  ASSERT_TRUE(p.open("vars", "O0"));
  ASSERT_TRUE(p.run_to_trap("run_vars", {Value::make_i32(42)}));
  const uint32_t offset = p.frames[0].offset;
  FrameContext frame = p.context(0);
  auto eval = [&](const char* expression) {
    auto r = p.info->evaluate_expression(expression, offset, frame);
    return r ? *r : "error: " + r.error().message;
  };
  // The address in "(T *) 0x...".
  auto address = [](const std::string& text) -> uint64_t {
    size_t at = text.find(") 0x");
    return at == std::string::npos ? 0 : std::stoull(text.substr(at + 2), nullptr, 16);
  };
  std::string n = eval("&n");
  ASSERT_EQ(n.rfind("(int *) 0x", 0), 0u) << n;
  int32_t stored = 0;
  ASSERT_TRUE(frame.read_memory(address(n), &stored, 4));
  EXPECT_EQ(stored, 42);
  EXPECT_EQ(eval("*&n"), "42");
  EXPECT_EQ(eval("&arr").rfind("(int (*)[4]) 0x", 0), 0u) << eval("&arr");
  EXPECT_EQ(address(eval("&arr[1]")), address(eval("&arr")) + 4);
  EXPECT_EQ(address(eval("&p->y")), std::stoull(eval("p"), nullptr, 16) + 4);
  EXPECT_EQ(eval("&name[0]").rfind("(char *) 0x", 0), 0u) << eval("&name[0]");
  EXPECT_TRUE(ends_with(eval("&name[0]"), " \"abc\""));
}

TEST(DwarfExpressions, AddressOfAValueInAWasmLocalIsAnError) {
  Program p;
  ASSERT_TRUE(p.open("inlined", "O2"));
  ASSERT_TRUE(p.run_to_trap("run_inlined", {Value::make_i32(3), Value::make_i32(10)}));
  auto r = p.info->evaluate_expression("&value", p.frames[1].offset, p.context(1));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not in memory"), std::string::npos) << r.error().message;
}

TEST(DwarfExpressions, ErrorsSayWhatIsWrong) {
  Program p;
  ASSERT_TRUE(p.open("vars", "O0"));
  ASSERT_TRUE(p.run_to_trap("run_vars", {Value::make_i32(42)}));
  const uint32_t offset = p.frames[0].offset;
  FrameContext frame = p.context(0);
  auto error = [&](const char* expression) {
    auto r = p.info->evaluate_expression(expression, offset, frame);
    return r ? "no error: " + *r : r.error().message;
  };
  EXPECT_NE(error("nope").find("no variable 'nope' in scope"), std::string::npos);
  EXPECT_NE(error("local.z").find("no member 'z'"), std::string::npos);
  EXPECT_NE(error("n.x").find("not a struct"), std::string::npos);
  EXPECT_NE(error("*n").find("cannot dereference"), std::string::npos);
  EXPECT_NE(error("n[1]").find("cannot subscript"), std::string::npos);
  EXPECT_NE(error("arr[").find("in 'arr['"), std::string::npos);
  EXPECT_NE(error("p->").find("member name"), std::string::npos);
  EXPECT_NE(error("arr[4]").find("out of bounds"), std::string::npos);
  EXPECT_NE(error("n n").find("unexpected"), std::string::npos);
  EXPECT_NE(error("").find("expected a variable name"), std::string::npos);
  EXPECT_NE(error(std::string(500, '*').append("p").c_str()).find("nested too deeply"), std::string::npos);
}

// ---- malformed DWARF ----

// Flips bytes of the .debug_* sections (fixed seed) and asks everything:
// the result may be an Error or "no info", never a crash or a leak (see the
// asan preset; 3000 rounds of two other seeds were clean too).
void fuzz_debug_sections(const std::string& program, const std::string& level,
                         const std::string& function, const std::vector<Value>& args,
                         const std::vector<const char*>& expressions) {
  Program p;
  ASSERT_TRUE(p.open(program, level));
  ASSERT_TRUE(p.run_to_trap(function, args));
  FrameContext frame = p.context(0);
  const std::vector<uint8_t> original = p.module->binary;
  std::vector<std::pair<uint32_t, uint32_t>> sections;
  for (const CustomSection& c : p.module->customs) {
    if (c.name.rfind(".debug_", 0) == 0 && c.size) sections.push_back({c.offset, c.size});
  }
  ASSERT_FALSE(sections.empty());
  std::vector<uint32_t> offsets;
  for (const FuncBody& f : p.module->funcs) {
    for (uint32_t o = f.code_offset; o < f.code_end; o += 5) offsets.push_back(o);
  }
  std::mt19937 rng(1234);
  for (int round = 0; round < 300; ++round) {
    std::vector<uint8_t> bytes = original;
    int flips = 1 + int(rng() % 8);
    for (int i = 0; i < flips; ++i) {
      auto [start, size] = sections[rng() % sections.size()];
      uint8_t& b = bytes[start + rng() % size];
      b = round % 3 == 0 ? uint8_t(rng()) : uint8_t(b ^ (1u << (rng() % 8)));
    }
    auto module = decode_module(bytes);
    ASSERT_TRUE(module);  // custom section contents do not matter to the decoder
    auto info = DebugInfo::load(*module);
    if (!info) {
      EXPECT_FALSE(info.error().message.empty());
      continue;
    }
    for (uint32_t o : offsets) {
      (*info)->location(o);
      (*info)->source_frames(o);
      for (const Variable& v : (*info)->variables(o)) (*info)->evaluate(v, o, frame);
    }
    (*info)->line_offsets(program + ".c", 10);
    for (const char* e : expressions) (*info)->evaluate_expression(e, p.frames[0].offset, frame);
  }
}

TEST(DwarfMalformed, MutatedSectionsNeverCrashAtO0) {
  fuzz_debug_sections("vars", "O0", "run_vars", {Value::make_i32(42)},
                      {"p->x", "o.corner", "grid[1][2]", "*msg", "first.next->next", "fl"});
}

TEST(DwarfMalformed, MutatedLocationListsNeverCrashAtO2) {
  fuzz_debug_sections("inlined", "O2", "run_inlined", {Value::make_i32(3), Value::make_i32(10)},
                      {"factor", "value", "r", "a", "b", "sink"});
}

// ---- python-debug.wasm (when scripts/build-cpython has built it) ----

// CPU time of this thread: on a busy machine (CI, parallel builds) wall time
// measures the neighbours.
double thread_cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

TEST(DwarfPerformance, PythonDebugLineTablesLoadQuickly) {
  std::vector<uint8_t> bytes = read_file(WASMSCOPE_PYTHON_DEBUG_WASM);
  if (bytes.empty()) GTEST_SKIP() << "no " << WASMSCOPE_PYTHON_DEBUG_WASM;
  auto module = decode_module(std::move(bytes));
  ASSERT_TRUE(module);
  auto start = std::chrono::steady_clock::now();
  double cpu_start = thread_cpu_ms();
  auto info = DebugInfo::load(*module);
  double load_ms = thread_cpu_ms() - cpu_start;
  double wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(info) << info.error().to_string();
  ASSERT_TRUE((*info)->has_dwarf());
  std::cout << "python-debug.wasm DWARF load: " << load_ms << " ms CPU, " << wall_ms << " ms wall\n";
  // PyObject_Repr's first statement, found by its source file and line.
  std::vector<uint32_t> offsets = (*info)->line_offsets("Objects/object.c", 405);
  ASSERT_FALSE(offsets.empty());
  std::vector<SourceFrame> frames = (*info)->source_frames(offsets[0]);
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames.back().function, "PyObject_Repr");
  // Lookups after the first one in a unit are a binary search away.
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) (*info)->location(offsets[0] + uint32_t(i % 64));
  double lookup_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / 1000;
  std::cout << "location(): " << lookup_us << " us\n";
#ifdef NDEBUG  // timing only means something in an optimised build
  EXPECT_LT(load_ms, 300);
#endif
}

}  // namespace
}  // namespace ws::dwarf

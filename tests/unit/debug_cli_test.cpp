// `wasmscope debug`: the command parser and the output formatters on their
// own, then scripted sessions run through the built CLI (--batch) on the C
// programs of tests/debug_cli/ and assets/examples/ (compiled with -g).
// Expected source lines come from "LINE:name" / "backtrace #N: name" marker
// comments in the sources, never from numbers written here.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <regex>
#include <sys/resource.h>
#include <sstream>

#include "app/cli/debug_format.h"
#include "app/cli/debug_parse.h"
#include "cli_run.h"

namespace ws::cli {
namespace {

using Kind = DebugCommandKind;

DebugCommand parsed(const std::string& line) {
  auto c = parse_debug_command(line);
  EXPECT_TRUE(c) << line << ": " << (c ? "" : c.error().message);
  return c ? *c : DebugCommand{};
}

std::string parse_error(const std::string& line) {
  auto c = parse_debug_command(line);
  EXPECT_FALSE(c) << line << " parsed";
  return c ? "" : c.error().message;
}

// ---- parsing ----

TEST(DebugCliParse, BreakpointLocations) {
  DebugCommand c = parsed("break fib");
  EXPECT_EQ(c.kind, Kind::Break);
  EXPECT_EQ(c.breakpoint.kind, debug::BreakpointSpec::Function);
  EXPECT_EQ(c.breakpoint.function, "fib");
  EXPECT_EQ(c.breakpoint.condition, "");

  c = parsed("b 3");
  EXPECT_EQ(c.breakpoint.kind, debug::BreakpointSpec::Function);
  EXPECT_EQ(c.breakpoint.function, "3");

  c = parsed("  break  src/fib.c:12  ");
  EXPECT_EQ(c.breakpoint.kind, debug::BreakpointSpec::Line);
  EXPECT_EQ(c.breakpoint.file, "src/fib.c");
  EXPECT_EQ(c.breakpoint.line, 12u);

  c = parsed("br *0x1a3");
  EXPECT_EQ(c.breakpoint.kind, debug::BreakpointSpec::Offset);
  EXPECT_EQ(c.breakpoint.offset, 0x1a3u);

  c = parsed("break fib.c:7 if n == 3");
  EXPECT_EQ(c.breakpoint.kind, debug::BreakpointSpec::Line);
  EXPECT_EQ(c.breakpoint.line, 7u);
  EXPECT_EQ(c.breakpoint.condition, "n == 3");

  c = parsed("break *419 if $0 >= 10");
  EXPECT_EQ(c.breakpoint.offset, 419u);
  EXPECT_EQ(c.breakpoint.condition, "$0 >= 10");
}

TEST(DebugCliParse, BreakpointMistakesAreMessages) {
  EXPECT_NE(parse_error("break").find("where?"), std::string::npos);
  EXPECT_NE(parse_error("break fib.c:x").find("bad location 'fib.c:x'"), std::string::npos);
  EXPECT_NE(parse_error("break fib.c:0").find("bad location"), std::string::npos);
  EXPECT_NE(parse_error("break *zz").find("bad offset 'zz'"), std::string::npos);
  EXPECT_NE(parse_error("break *0x100000000").find("bad offset"), std::string::npos);
  EXPECT_NE(parse_error("break fib when n").find("expected 'if CONDITION'"), std::string::npos);
  EXPECT_NE(parse_error("break fib if").find("needs a condition"), std::string::npos);
}

TEST(DebugCliParse, ExecutionCommandsAndCounts) {
  EXPECT_EQ(parsed("run").kind, Kind::Run);
  EXPECT_EQ(parsed("r").kind, Kind::Run);
  EXPECT_EQ(parsed("c").kind, Kind::Continue);
  EXPECT_EQ(parsed("continue").kind, Kind::Continue);
  EXPECT_EQ(parsed("finish").kind, Kind::Finish);
  EXPECT_EQ(parsed("restart").kind, Kind::Restart);
  DebugCommand c = parsed("step");
  EXPECT_EQ(c.kind, Kind::Step);
  EXPECT_EQ(c.count, 1u);
  c = parsed("s 3");
  EXPECT_EQ(c.kind, Kind::Step);
  EXPECT_EQ(c.count, 3u);
  EXPECT_EQ(parsed("n 2").kind, Kind::Next);
  EXPECT_EQ(parsed("si").kind, Kind::StepInstruction);
  c = parsed("nexti 4");
  EXPECT_EQ(c.kind, Kind::NextInstruction);
  EXPECT_EQ(c.count, 4u);
  EXPECT_NE(parse_error("step 0").find("at least 1"), std::string::npos);
  EXPECT_NE(parse_error("next x").find("bad number 'x'"), std::string::npos);
  EXPECT_NE(parse_error("stepi 1 2").find("too many arguments"), std::string::npos);
  EXPECT_NE(parse_error("run now").find("takes no arguments"), std::string::npos);
}

TEST(DebugCliParse, BreakpointLists) {
  DebugCommand c = parsed("delete");
  EXPECT_EQ(c.kind, Kind::Delete);
  EXPECT_TRUE(c.ids.empty());
  c = parsed("d 1 2");
  EXPECT_EQ(c.ids, (std::vector<int>{1, 2}));
  c = parsed("disable 3");
  EXPECT_EQ(c.kind, Kind::Disable);
  EXPECT_EQ(c.ids, std::vector<int>{3});
  EXPECT_EQ(parsed("enable 3").kind, Kind::Enable);
  EXPECT_NE(parse_error("disable").find("which breakpoint?"), std::string::npos);
  EXPECT_NE(parse_error("delete x").find("bad breakpoint number 'x'"), std::string::npos);
  EXPECT_NE(parse_error("enable 0").find("bad breakpoint number '0'"), std::string::npos);
}

TEST(DebugCliParse, ExamineFormats) {
  DebugCommand c = parsed("x/4xw 0x100");
  EXPECT_EQ(c.kind, Kind::Examine);
  EXPECT_EQ(c.examine.count, 4u);
  EXPECT_EQ(c.examine.format, 'x');
  EXPECT_EQ(c.examine.unit, 4u);
  EXPECT_EQ(c.expression, "0x100");

  c = parsed("x/8b 16");
  EXPECT_EQ(c.examine.count, 8u);
  EXPECT_EQ(c.examine.unit, 1u);
  EXPECT_EQ(c.examine.format, 'x');

  c = parsed("x 0x10");  // gdb's defaults: one hex word
  EXPECT_EQ(c.examine.count, 1u);
  EXPECT_EQ(c.examine.unit, 4u);

  c = parsed("x/s 0x10");
  EXPECT_EQ(c.examine.format, 's');
  EXPECT_EQ(c.examine.unit, 1u);

  c = parsed("x/3dh ptr->data");
  EXPECT_EQ(c.examine.count, 3u);
  EXPECT_EQ(c.examine.format, 'd');
  EXPECT_EQ(c.examine.unit, 2u);
  EXPECT_EQ(c.expression, "ptr->data");

  c = parsed("x/2ug 8");
  EXPECT_EQ(c.examine.unit, 8u);
  EXPECT_EQ(c.examine.format, 'u');

  EXPECT_NE(parse_error("x/4q 1").find("unknown format letter 'q'"), std::string::npos);
  EXPECT_NE(parse_error("x/0w 1").find("at least 1"), std::string::npos);
  EXPECT_NE(parse_error("x/4w").find("which address?"), std::string::npos);
  EXPECT_NE(parse_error("x/sw 1").find("strings are bytes"), std::string::npos);
  EXPECT_NE(parse_error("xx 1").find("unknown command 'xx'"), std::string::npos);
}

TEST(DebugCliParse, PrintSetWatch) {
  DebugCommand c = parsed("print p->next[2].value");
  EXPECT_EQ(c.kind, Kind::Print);
  EXPECT_EQ(c.expression, "p->next[2].value");
  EXPECT_EQ(parsed("p $__stack_pointer").expression, "$__stack_pointer");
  EXPECT_NE(parse_error("print").find("what?"), std::string::npos);

  c = parsed("set var factor = 5");
  EXPECT_EQ(c.kind, Kind::SetVariable);
  EXPECT_EQ(c.expression, "factor");
  EXPECT_EQ(c.value, "5");
  c = parsed("set variable $0=-1");
  EXPECT_EQ(c.expression, "$0");
  EXPECT_EQ(c.value, "-1");
  EXPECT_NE(parse_error("set n = 5").find("only 'set var"), std::string::npos);
  EXPECT_NE(parse_error("set var n == 5").find("NAME = VALUE"), std::string::npos);
  EXPECT_NE(parse_error("set var = 3").find("NAME = VALUE"), std::string::npos);
  EXPECT_NE(parse_error("set var n =").find("NAME = VALUE"), std::string::npos);

  c = parsed("watch 0x1000 4");
  EXPECT_EQ(c.kind, Kind::Watch);
  EXPECT_EQ(c.expression, "0x1000");
  EXPECT_EQ(c.length, 4u);
  EXPECT_NE(parse_error("watch 0x1000").find("expected ADDR LEN"), std::string::npos);
  EXPECT_NE(parse_error("watch 1 0").find("LEN must be"), std::string::npos);
  EXPECT_NE(parse_error("watch 1 x").find("bad number 'x'"), std::string::npos);
}

TEST(DebugCliParse, InspectionAndMisc) {
  EXPECT_EQ(parsed("info breakpoints").kind, Kind::InfoBreakpoints);
  EXPECT_EQ(parsed("info b").kind, Kind::InfoBreakpoints);
  EXPECT_EQ(parsed("info globals").kind, Kind::InfoGlobals);
  EXPECT_EQ(parsed("info locals").kind, Kind::Locals);
  EXPECT_EQ(parsed("locals").kind, Kind::Locals);
  EXPECT_NE(parse_error("info foo").find("not 'foo'"), std::string::npos);
  EXPECT_EQ(parsed("bt").kind, Kind::Backtrace);
  EXPECT_EQ(parsed("where").kind, Kind::Backtrace);
  DebugCommand c = parsed("frame 2");
  EXPECT_EQ(c.kind, Kind::Frame);
  EXPECT_EQ(c.number, std::optional<uint64_t>(2));
  EXPECT_FALSE(parsed("f").number.has_value());
  EXPECT_NE(parse_error("frame -1").find("bad number '-1'"), std::string::npos);
  EXPECT_EQ(parsed("up 2").count, 2u);
  EXPECT_EQ(parsed("down").kind, Kind::Down);
  EXPECT_EQ(parsed("dump /tmp/a b.core").path, "/tmp/a b.core");
  EXPECT_NE(parse_error("dump").find("which file?"), std::string::npos);
  EXPECT_EQ(parsed("echo --- bt ---").text, "--- bt ---");
  EXPECT_EQ(parsed("quit").kind, Kind::Quit);
  EXPECT_EQ(parsed("q").kind, Kind::Quit);
  EXPECT_EQ(parsed("help").kind, Kind::Help);
  EXPECT_EQ(parsed("").kind, Kind::Nothing);
  EXPECT_EQ(parsed("   \t").kind, Kind::Nothing);
  EXPECT_EQ(parsed("# a comment").kind, Kind::Nothing);
  EXPECT_NE(parse_error("bogus 1 2").find("unknown command 'bogus'"), std::string::npos);
}

TEST(DebugCliParse, Numbers) {
  uint64_t n = 0;
  EXPECT_TRUE(parse_unsigned("0x10", &n));
  EXPECT_EQ(n, 16u);
  EXPECT_TRUE(parse_unsigned("10", &n));
  EXPECT_EQ(n, 10u);
  EXPECT_TRUE(parse_unsigned("18446744073709551615", &n));
  EXPECT_EQ(n, UINT64_MAX);
  EXPECT_FALSE(parse_unsigned("18446744073709551616", &n));
  EXPECT_FALSE(parse_unsigned("", &n));
  EXPECT_FALSE(parse_unsigned("0x", &n));
  EXPECT_FALSE(parse_unsigned("-1", &n));
  EXPECT_FALSE(parse_unsigned(" 1", &n));
  EXPECT_FALSE(parse_unsigned("1k", &n));
}

// ---- formatting ----

ExamineFormat format(uint64_t count, char f, uint32_t unit) {
  ExamineFormat x;
  x.count = count;
  x.format = f;
  x.unit = unit;
  return x;
}

TEST(DebugCliFormat, ExamineUnitsAndRows) {
  std::vector<uint8_t> bytes = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(examine_lines(0x1000, {bytes.begin(), bytes.begin() + 8}, format(2, 'x', 4)),
            std::vector<std::string>{"0x1000:\t0x04030201\t0x08070605"});
  EXPECT_EQ(examine_lines(0x1000, bytes, format(9, 'x', 1)),
            (std::vector<std::string>{"0x1000:\t0x01\t0x02\t0x03\t0x04\t0x05\t0x06\t0x07\t0x08", "0x1008:\t0x09"}));
  std::vector<uint8_t> minus_one(16, 0xff);
  EXPECT_EQ(examine_lines(16, {minus_one.begin(), minus_one.begin() + 4}, format(1, 'd', 4)),
            std::vector<std::string>{"0x10:\t-1"});
  EXPECT_EQ(examine_lines(16, {minus_one.begin(), minus_one.begin() + 4}, format(1, 'u', 4)),
            std::vector<std::string>{"0x10:\t4294967295"});
  EXPECT_EQ(examine_lines(0, minus_one, format(2, 'x', 8)),
            std::vector<std::string>{"0x0:\t0xffffffffffffffff\t0xffffffffffffffff"});
  EXPECT_EQ(examine_lines(0, {0x34, 0x12}, format(1, 'x', 2)), std::vector<std::string>{"0x0:\t0x1234"});
  EXPECT_EQ(examine_lines(0, {'a', '\n', 0x80}, format(3, 'c', 1)),
            std::vector<std::string>{"0x0:\t97 'a'\t10 '\\n'\t-128 '\\x80'"});
}

TEST(DebugCliFormat, ExamineStrings) {
  std::vector<uint8_t> bytes = {'h', 'i', 0, 't', 'h', 'e', 'r', 'e', 0, 'x'};
  EXPECT_EQ(examine_lines(0x20, bytes, format(2, 's', 1)),
            (std::vector<std::string>{"0x20:\t\"hi\"", "0x23:\t\"there\""}));
  // No NUL before the end of what was read: the string is cut short.
  EXPECT_EQ(examine_lines(0x20, {'a', '"'}, format(1, 's', 1)), std::vector<std::string>{"0x20:\t\"a\\\"\"..."});
}

TEST(DebugCliFormat, WatchedBytes) {
  EXPECT_EQ(watched_bytes_text({1, 0, 0, 0}), "1");
  EXPECT_EQ(watched_bytes_text({0xff}), "-1");
  EXPECT_EQ(watched_bytes_text({0xfe, 0xff}), "-2");
  EXPECT_EQ(watched_bytes_text({0, 0, 0, 0, 1, 0, 0, 0}), "4294967296");
  EXPECT_EQ(watched_bytes_text({1, 2, 3}), "{0x01, 0x02, 0x03}");
}

TEST(DebugCliFormat, TypedValuesFromText) {
  auto v = parse_typed_value(ValType::I32, "-1");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->i32, 0xffffffffu);
  EXPECT_EQ(parse_typed_value(ValType::I32, "0x10")->i32, 16u);
  EXPECT_EQ(parse_typed_value(ValType::I32, "4294967295")->i32, 0xffffffffu);
  EXPECT_EQ(parse_typed_value(ValType::I32, "-2147483648")->i32, 0x80000000u);
  EXPECT_NE(parse_typed_value(ValType::I32, "4294967296").error().message.find("does not fit in i32"), std::string::npos);
  EXPECT_FALSE(parse_typed_value(ValType::I32, "-2147483649"));
  EXPECT_NE(parse_typed_value(ValType::I32, "abc").error().message.find("is not an i32 value"), std::string::npos);
  EXPECT_FALSE(parse_typed_value(ValType::I32, "1.5"));
  EXPECT_FALSE(parse_typed_value(ValType::I32, ""));
  EXPECT_EQ(parse_typed_value(ValType::I64, "-9223372036854775808")->i64, uint64_t(1) << 63);
  EXPECT_EQ(parse_typed_value(ValType::F64, "1.5")->f64, 1.5);
  EXPECT_TRUE(std::isnan(parse_typed_value(ValType::F32, "nan")->f32));
  EXPECT_FALSE(parse_typed_value(ValType::F64, "1.5x"));
  EXPECT_NE(parse_typed_value(ValType::V128, "1").error().message.find("cannot set a v128"), std::string::npos);
}

TEST(DebugCliFormat, CScalars) {
  EXPECT_EQ(c_scalar_type("int")->size, 4u);
  EXPECT_EQ(c_scalar_type("const unsigned char")->size, 1u);
  EXPECT_EQ(c_scalar_type("char *")->size, 4u);
  EXPECT_EQ(c_scalar_type("long long")->size, 8u);
  EXPECT_TRUE(c_scalar_type("double")->is_float);
  EXPECT_EQ(c_scalar_type("enum color")->size, 4u);
  EXPECT_FALSE(c_scalar_type("struct point"));
  EXPECT_FALSE(c_scalar_type("int[4]"));

  EXPECT_EQ(*c_scalar_bytes({4, false}, "-2"), (std::vector<uint8_t>{0xfe, 0xff, 0xff, 0xff}));
  EXPECT_EQ(*c_scalar_bytes({1, false}, "255"), std::vector<uint8_t>{0xff});
  EXPECT_EQ(*c_scalar_bytes({1, false}, "-128"), std::vector<uint8_t>{0x80});
  EXPECT_NE(c_scalar_bytes({1, false}, "300").error().message.find("does not fit in 1 bytes"), std::string::npos);
  EXPECT_FALSE(c_scalar_bytes({1, false}, "-129"));
  EXPECT_EQ(*c_scalar_bytes({8, true}, "1.5"), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0xf8, 0x3f}));
  EXPECT_EQ(*c_scalar_bytes({4, true}, "1"), (std::vector<uint8_t>{0, 0, 0x80, 0x3f}));
}

TEST(DebugCliFormat, AddressesFromPrintedValues) {
  uint64_t a = 0;
  EXPECT_TRUE(leading_address("(int *) 0x1000", &a));
  EXPECT_EQ(a, 0x1000u);
  EXPECT_TRUE(leading_address("0x20", &a));
  EXPECT_EQ(a, 0x20u);
  EXPECT_TRUE(leading_address("16", &a));
  EXPECT_EQ(a, 16u);
  EXPECT_FALSE(leading_address("{x = 1}", &a));
  EXPECT_FALSE(leading_address("(int *", &a));
  EXPECT_FALSE(leading_address("", &a));
}

// ---- scripted sessions through the CLI ----

using ws::testing::CliResult;
using ws::testing::run_cli;
using ws::testing::TempDir;

// The line of `path` holding `marker`; 0 (and a test failure) if none.
uint32_t marker_line(const std::string& path, const std::string& marker) {
  std::istringstream in(ws::testing::read_text(path));
  uint32_t n = 0;
  for (std::string line; std::getline(in, line);) {
    n++;
    if (line.find(marker) != std::string::npos) return n;
  }
  ADD_FAILURE() << "no marker '" << marker << "' in " << path;
  return 0;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines between "echo BEGIN" and "echo END" markers of a script's output.
std::vector<std::string> section(const std::string& out, const std::string& name) {
  std::vector<std::string> lines = lines_of(out);
  std::vector<std::string> inside;
  bool in = false;
  for (const std::string& line : lines) {
    if (line == "<" + name + ">") {
      in = true;
    } else if (line == "</" + name + ">") {
      return inside;
    } else if (in) {
      inside.push_back(line);
    }
  }
  ADD_FAILURE() << "no section <" << name << "> in:\n" << out;
  return inside;
}

bool has_line(const std::vector<std::string>& lines, const std::string& pattern) {
  std::regex re(pattern);
  for (const std::string& line : lines) {
    if (std::regex_search(line, re)) return true;
  }
  return false;
}

#if defined(WASMSCOPE_DEBUG_CLI_DIR)

class DebugCli : public ::testing::Test {
 protected:
  static std::string program(const std::string& name) { return std::string(WASMSCOPE_DEBUG_CLI_DIR) + "/" + name + ".wasm"; }
  static std::string source(const std::string& name) {
    return std::string(WASMSCOPE_DEBUG_CLI_SOURCE_DIR) + "/" + name + ".c";
  }
  static uint32_t fib_line(const std::string& marker) { return marker_line(source("fib"), "LINE:" + marker); }
  std::string fib_at(const std::string& marker) { return "fib.c:" + std::to_string(fib_line(marker)); }

  // Runs `wasmscope debug --batch SCRIPT ARGS...`; the fuel limit (far
  // above what fib.wasm needs) keeps a broken stop from hanging the test.
  CliResult debug(const std::string& script, std::vector<std::string> args, const std::string& stdin_text = "") {
    std::string path = dir_.write("script", script);
    args.insert(args.begin(), {"debug", "--fuel", "100000000", "--batch", path});
    return run_cli(args, stdin_text);
  }

  // Static addresses fib.wasm prints when it starts: "calls=0x... table=0x... greeting=0x...".
  uint64_t address(const std::string& name) {
    CliResult r = run_cli({"run", program("fib")});
    std::smatch m;
    std::regex re(name + "=(0x[0-9a-f]+)");
    if (!std::regex_search(r.out, m, re)) {
      ADD_FAILURE() << "no address of " << name << " in: " << r.out;
      return 0;
    }
    return std::stoull(m[1].str(), nullptr, 16);
  }

  TempDir dir_;
};

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

TEST_F(DebugCli, BreakRunBacktraceLocalsPrint) {
  std::string at = fib_at("fib_calls");
  CliResult r = debug("break " + at + "\n"
                      "run\n"
                      "echo <bt1>\nbt\necho </bt1>\n"
                      "echo <locals>\nlocals\necho </locals>\n"
                      "print n\n"
                      "print calls\n"
                      "continue\n"
                      "echo <bt2>\nbt\necho </bt2>\n"
                      "print n\n"
                      "info breakpoints\n"
                      "quit\n",
                      {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<std::string> out = lines_of(r.out);
  EXPECT_TRUE(has_line(out, "^Breakpoint 1: .*" + at)) << r.out;
  EXPECT_TRUE(has_line(out, "^Breakpoint 1, func\\[\\d+\\] fib \\(n=6\\) at .*" + at + "$")) << r.out;
  // The source line follows the stop report.
  EXPECT_TRUE(has_line(out, "^" + std::to_string(fib_line("fib_calls")) + "\t.*LINE:fib_calls")) << r.out;
  // main is called by wasi-libc's start code: frames below it are not checked.
  std::vector<std::string> bt1 = section(r.out, "bt1");
  ASSERT_GE(bt1.size(), 2u) << r.out;
  EXPECT_TRUE(has_line({bt1[0]}, "^#0 func\\[\\d+\\] fib  \\(offset 0x[0-9a-f]+\\) at .*" + at + ":\\d+$")) << bt1[0];
  EXPECT_TRUE(has_line({bt1[1]}, "^#1 func\\[\\d+\\] main .*fib.c:" + std::to_string(fib_line("main_fib")))) << bt1[1];
  EXPECT_TRUE(has_line(section(r.out, "locals"), "^n: int = 6$")) << r.out;
  EXPECT_TRUE(has_line(out, "^n = 6$")) << r.out;
  EXPECT_TRUE(has_line(out, "^calls = 0$")) << r.out;
  // The second hit is one call deeper.
  EXPECT_TRUE(has_line(out, "^Breakpoint 1, func\\[\\d+\\] fib \\(n=5\\) at .*" + at + "$")) << r.out;
  std::vector<std::string> bt2 = section(r.out, "bt2");
  ASSERT_GE(bt2.size(), 3u) << r.out;
  EXPECT_TRUE(has_line({bt2[1]}, "^#1 func\\[\\d+\\] fib .*" + fib_at("fib_first"))) << bt2[1];
  EXPECT_TRUE(has_line({bt2[2]}, "^#2 func\\[\\d+\\] main .*" + fib_at("main_fib"))) << bt2[2];
  EXPECT_TRUE(has_line(out, "^n = 5$")) << r.out;
  EXPECT_TRUE(has_line(out, "^1 +breakpoint +y +2 +.*" + at)) << r.out;
}

TEST_F(DebugCli, ConditionalBreakpoint) {
  std::string at = fib_at("fib_calls");
  CliResult r = debug("break " + at + " if n == 2\n"
                      "run\n"
                      "print n\n"
                      "echo <bt>\nbt\necho </bt>\n"
                      "info breakpoints\n",
                      {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> out = lines_of(r.out);
  EXPECT_TRUE(has_line(out, "^Breakpoint 1, func\\[\\d+\\] fib \\(n=2\\) at .*" + at + "$")) << r.out;
  EXPECT_TRUE(has_line(out, "^n = 2$")) << r.out;
  // fib(6) -> fib(5) -> fib(4) -> fib(3) -> fib(2), called from main.
  std::vector<std::string> bt = section(r.out, "bt");
  EXPECT_TRUE(has_line(bt, "^#4 func\\[\\d+\\] fib ")) << r.out;
  EXPECT_TRUE(has_line(bt, "^#5 func\\[\\d+\\] main ")) << r.out;
  EXPECT_TRUE(has_line(out, "^ +stop only if n == 2$")) << r.out;
}

// Like gdb, a function breakpoint stops after the prologue, where the
// parameters have their values.
TEST_F(DebugCli, FunctionBreakpointStopsAfterThePrologue) {
  CliResult r = debug("break fib\nrun\ncontinue\n", {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> out = lines_of(r.out);
  EXPECT_TRUE(has_line(out, "^Breakpoint 1, func\\[\\d+\\] fib \\(n=6\\) at .*" + fib_at("fib_calls") + "$")) << r.out;
  EXPECT_TRUE(has_line(out, "^Breakpoint 1, func\\[\\d+\\] fib \\(n=5\\) at .*" + fib_at("fib_calls") + "$")) << r.out;
  // The same function by its index.
  std::smatch index;
  ASSERT_TRUE(std::regex_search(r.out, index, std::regex("Breakpoint 1: func\\[(\\d+)\\] fib"))) << r.out;
  const std::string fib_index = index[1].str();  // `index` points into r.out, reassigned below
  r = debug("break " + fib_index + "\nrun\n", {program("fib")});
  EXPECT_TRUE(has_line(lines_of(r.out), "^Breakpoint 1, func\\[" + fib_index + "\\] fib \\(n=6\\)")) << r.out;
}

TEST_F(DebugCli, StepNextFinish) {
  CliResult r = debug("break " + fib_at("main_fib") + "\n"
                      "run\n"
                      "step\n"
                      "finish\n"
                      "next\n"
                      "next\n"
                      "continue\n",
                      {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> out = lines_of(r.out);
  EXPECT_TRUE(has_line(out, "^Breakpoint 1, func\\[\\d+\\] main \\(.*\\) at .*" + fib_at("main_fib") + "$")) << r.out;
  // step enters fib(6); finish returns to main with its result.
  EXPECT_TRUE(has_line(out, "^func\\[\\d+\\] fib \\(n=6\\) at .*fib.c:\\d+$")) << r.out;
  EXPECT_TRUE(has_line(out, "^Run till exit from func\\[\\d+\\] fib \\(n=6\\)")) << r.out;
  EXPECT_TRUE(has_line(out, "^Value returned: 8$")) << r.out;
  EXPECT_TRUE(has_line(out, "^func\\[\\d+\\] main \\(.*\\) at .*" + fib_at("main_scale") + "$")) << r.out;
  EXPECT_TRUE(has_line(out, "^func\\[\\d+\\] main \\(.*\\) at .*" + fib_at("main_print") + "$")) << r.out;
  EXPECT_TRUE(has_line(out, "^fib\\(6\\) = 8, scaled = 24, calls = 25$")) << r.out;
  EXPECT_TRUE(has_line(out, "^Program exited with code 0$")) << r.out;
}

TEST_F(DebugCli, InstructionStepsShowOffsets) {
  CliResult r = debug("break fib\nrun\nstepi\nnexti 3\n", {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> out = lines_of(r.out);
  // Each instruction step reports where it stopped, and it moved.
  std::vector<std::string> steps;
  for (const std::string& line : out) {
    if (std::regex_search(line, std::regex("^0x[0-9a-f]+ in func\\[\\d+\\] fib \\("))) steps.push_back(line);
  }
  ASSERT_EQ(steps.size(), 2u) << r.out;
  EXPECT_NE(steps[0].substr(0, steps[0].find(' ')), steps[1].substr(0, steps[1].find(' '))) << r.out;
}

TEST_F(DebugCli, WatchpointReportsOldAndNewValues) {
  uint64_t calls = address("calls");
  CliResult r = debug("watch " + hex(calls) + " 4\n"
                      "info breakpoints\n"
                      "run\n"
                      "continue\n"
                      "disable 1\n"
                      "info breakpoints\n"
                      "continue\n",
                      {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> out = lines_of(r.out);
  EXPECT_TRUE(has_line(out, "^Watchpoint 1: " + hex(calls) + " \\(4 bytes\\)$")) << r.out;
  EXPECT_TRUE(has_line(out, "^1 +watchpoint +y +0 +" + hex(calls))) << r.out;
  EXPECT_TRUE(has_line(out, "^1 +watchpoint +n +2 +" + hex(calls))) << r.out;  // disabled: runs to the end
  EXPECT_TRUE(has_line(out, "^Watchpoint 1: " + hex(calls) + " changed from 0 to 1$")) << r.out;
  EXPECT_TRUE(has_line(out, "^Watchpoint 1: " + hex(calls) + " changed from 1 to 2$")) << r.out;
  EXPECT_TRUE(has_line(out, "^func\\[\\d+\\] fib \\(n=6\\) at .*fib.c:\\d+$")) << r.out;
  EXPECT_TRUE(has_line(out, "^Program exited with code 0$")) << r.out;
}

TEST_F(DebugCli, DisableEnableDelete) {
  CliResult r = debug("break " + fib_at("fib_calls") + "\n"
                      "break " + fib_at("scale_multiply") + "\n"
                      "disable 1\n"
                      "run\n"
                      "info breakpoints\n"
                      "enable 1\n"
                      "delete 2\n"
                      "run\n"
                      "delete\n"
                      "info breakpoints\n"
                      "continue\n",
                      {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> out = lines_of(r.out);
  // fib is disabled: the first stop is scale.
  EXPECT_TRUE(has_line(out, "^Breakpoint 2, func\\[\\d+\\] scale \\(x=8\\) at .*" + fib_at("scale_multiply"))) << r.out;
  EXPECT_TRUE(has_line(out, "^1 +breakpoint +n +0 ")) << r.out;
  EXPECT_TRUE(has_line(out, "^2 +breakpoint +y +1 ")) << r.out;
  EXPECT_TRUE(has_line(out, "^Breakpoint 1, func\\[\\d+\\] fib \\(n=6\\)")) << r.out;
  EXPECT_TRUE(has_line(out, "^No breakpoints or watchpoints\\.$")) << r.out;
  EXPECT_TRUE(has_line(out, "^Program exited with code 0$")) << r.out;
}

TEST_F(DebugCli, ExamineMemory) {
  uint64_t table = address("table"), greeting = address("greeting");
  CliResult r = debug("x/8dw " + hex(table) + "\n"
                      "x/4xb " + hex(table) + "\n"
                      "x/s " + hex(greeting) + "\n"
                      "x/2xg " + hex(table) + "\n",
                      {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> out = lines_of(r.out);
  EXPECT_TRUE(has_line(out, "^" + hex(table) + ":\t1\t2\t3\t4$")) << r.out;
  EXPECT_TRUE(has_line(out, "^" + hex(table + 16) + ":\t5\t6\t7\t8$")) << r.out;
  EXPECT_TRUE(has_line(out, "^" + hex(table) + ":\t0x01\t0x00\t0x00\t0x00$")) << r.out;
  EXPECT_TRUE(has_line(out, "^" + hex(greeting) + ":\t\"hello, debugger\"$")) << r.out;
  EXPECT_TRUE(has_line(out, "^" + hex(table) + ":\t0x0000000200000001\t0x0000000400000003$")) << r.out;
}

TEST_F(DebugCli, SetVarChangesTheResult) {
  CliResult r = debug("break " + fib_at("scale_multiply") + "\n"
                      "run\n"
                      "print factor\n"
                      "set var factor = 5\n"
                      "print factor\n"
                      "continue\n",
                      {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> out = lines_of(r.out);
  EXPECT_TRUE(has_line(out, "^factor = 3$")) << r.out;
  EXPECT_TRUE(has_line(out, "^factor = 5$")) << r.out;
  EXPECT_TRUE(has_line(out, "^fib\\(6\\) = 8, scaled = 40, calls = 25$")) << r.out;
}

TEST_F(DebugCli, SetVarOnAWasmLocalAndGlobal) {
  // At -O0 a parameter arrives in Wasm local 0 before the prologue stores it.
  CliResult r = debug("break fib\nrun\nset var $0 = 7\nset var local[0] = 9\ninfo globals\n", {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has_line(lines_of(r.out), "__stack_pointer: i32 = \\d+$")) << r.out;
}

TEST_F(DebugCli, ErrorsAreMessages) {
  CliResult r = debug("bogus\n"
                      "bt\n"
                      "continue\n"
                      "print n\n"
                      "break no_such_function\n"
                      "break nowhere.c:3\n"
                      "step x\n"
                      "delete 42\n"
                      "x/4w 0xffffffff0\n"
                      "break fib\n"
                      "run\n"
                      "frame 99\n"
                      "print no_such_variable\n"
                      "set var no_such_variable = 1\n"
                      "set var n = 1.5\n"
                      "dump /nonexistent-dir/x.core\n"
                      "up 99\n"
                      "info breakpoints\n",
                      {program("fib")});
  EXPECT_EQ(r.status, 1);  // some command failed; none crashed
  std::vector<std::string> err = lines_of(r.err);
  EXPECT_TRUE(has_line(err, "^error: unknown command 'bogus'")) << r.err;
  EXPECT_TRUE(has_line(err, "^error: The program is not being run\\.$")) << r.err;
  EXPECT_TRUE(has_line(err, "no_such_function")) << r.err;
  EXPECT_TRUE(has_line(err, "^error: step: bad number 'x'$")) << r.err;
  EXPECT_TRUE(has_line(err, "^error: No breakpoint number 42\\.$")) << r.err;
  EXPECT_TRUE(has_line(err, "^error: Cannot access memory at 0xffffffff0")) << r.err;
  EXPECT_TRUE(has_line(err, "^error: No frame 99 ")) << r.err;
  EXPECT_TRUE(has_line(err, "no_such_variable")) << r.err;
  EXPECT_TRUE(has_line(err, "^error: cannot write the coredump to '/nonexistent-dir/x.core'$")) << r.err;
  EXPECT_TRUE(has_line(err, "^error: Initial frame selected")) << r.err;
  // The script went on after every error.
  EXPECT_TRUE(has_line(lines_of(r.out), "^Breakpoint \\d+, func\\[\\d+\\] fib")) << r.out;
  EXPECT_TRUE(has_line(lines_of(r.out), "^Num +Type")) << r.out;
}

TEST_F(DebugCli, BadCommandLinesAreUsageErrors) {
  EXPECT_EQ(run_cli({"debug"}).status, 2);
  EXPECT_EQ(run_cli({"debug", "--frobnicate", program("fib")}).status, 2);
  EXPECT_EQ(run_cli({"debug", "--fuel", "lots", program("fib")}).status, 2);
  CliResult r = run_cli({"debug", "--batch", dir_.file("missing"), program("fib")});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("cannot read commands"), std::string::npos) << r.err;
  r = run_cli({"debug", dir_.file("missing.wasm")}, "run\n");
  EXPECT_EQ(r.status, 1);
}

TEST_F(DebugCli, GuestStdin) {
  // Commands on stdin: the guest's stdin is empty.
  CliResult r = run_cli({"debug", program("echo")}, "run\nquit\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has_line(lines_of(r.out), "^0 lines$")) << r.out;
  // --stdin FILE feeds the guest.
  std::string input = dir_.write("input", "one\ntwo\n");
  r = run_cli({"debug", "--stdin", input, program("echo")}, "run\n");
  EXPECT_TRUE(has_line(lines_of(r.out), "^echo: two$")) << r.out;
  EXPECT_TRUE(has_line(lines_of(r.out), "^2 lines$")) << r.out;
  // --batch: the guest reads the debugger's stdin.
  r = debug("run\n", {program("echo")}, "three\n");
  EXPECT_TRUE(has_line(lines_of(r.out), "^echo: three$")) << r.out;
  EXPECT_TRUE(has_line(lines_of(r.out), "^1 lines$")) << r.out;
}

#if defined(WASMSCOPE_WASI_TESTS_DIR)
// A guest that sleeps under the debugger: the session suspends and the CLI
// sleeps in poll(2) until the deadline instead of spinning.
TEST_F(DebugCli, SleepingGuestCostsNoCpu) {
  auto cpu_of_children = [] {
    struct rusage usage = {};
    getrusage(RUSAGE_CHILDREN, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  };
  double before = cpu_of_children();
  CliResult r = debug("run\n", {std::string(WASMSCOPE_WASI_TESTS_DIR) + "/poll_sleep.wasm", "500"});
  double cpu = cpu_of_children() - before;
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has_line(lines_of(r.out), "^slept [0-9]+ ms$")) << r.out;
  EXPECT_TRUE(has_line(lines_of(r.out), "^Program exited with code 0$")) << r.out;
  EXPECT_LT(cpu, 0.25) << "the debugger spins while the guest sleeps";
}
#endif

TEST_F(DebugCli, RestartKeepsBreakpoints) {
  CliResult r = debug("break " + fib_at("scale_multiply") + "\nrun\nrestart\nrun\nrun\ncontinue\n", {program("fib")});
  EXPECT_EQ(r.status, 0) << r.err;
  size_t hits = 0;
  for (const std::string& line : lines_of(r.out)) hits += line.rfind("Breakpoint 1, ", 0) == 0;
  EXPECT_EQ(hits, 3u) << r.out;
  EXPECT_TRUE(has_line(lines_of(r.out), "^Program restarted")) << r.out;
  EXPECT_TRUE(has_line(lines_of(r.out), "^Program exited with code 0$")) << r.out;
}

#endif  // WASMSCOPE_DEBUG_CLI_DIR

#if defined(WASMSCOPE_EXAMPLES_DIR)

std::string example(const std::string& name) { return std::string(WASMSCOPE_EXAMPLES_DIR) + "/" + name + ".wasm"; }
std::string example_source(const std::string& name) {
  return std::string(WASMSCOPE_EXAMPLES_SOURCE_DIR) + "/" + name + ".c";
}

// "// backtrace #N: FUNC" markers: frame N of the backtrace is FUNC at that line.
std::vector<std::pair<std::string, std::string>> expected_frames(const std::string& name) {
  std::vector<std::pair<std::string, std::string>> frames;
  std::istringstream in(ws::testing::read_text(example_source(name)));
  std::regex marker("// backtrace (#\\d+): (\\w+)");
  uint32_t n = 0;
  for (std::string line; std::getline(in, line);) {
    n++;
    std::smatch m;
    if (std::regex_search(line, m, marker)) {
      frames.push_back({"^" + m[1].str() + " func\\[\\d+\\] " + m[2].str() + " .* at .*" + name + ".c:" +
                            std::to_string(n) + "(:\\d+)?$",
                        m[2].str()});
    }
  }
  EXPECT_FALSE(frames.empty()) << name;
  return frames;
}

class DebugCliExamples : public ::testing::TestWithParam<std::string> {};

// Each trapping example: the stop report, then bt names every marked frame
// with its file:line.
TEST_P(DebugCliExamples, TrapStopAndBacktrace) {
  TempDir dir;
  std::string script = dir.write("script", "run\necho <bt>\nbt\necho </bt>\n");
  CliResult r = run_cli({"debug", "--batch", script, example(GetParam())});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has_line(lines_of(r.out), "^Program trapped: .+")) << r.out;
  std::vector<std::string> bt = section(r.out, "bt");
  for (const auto& [pattern, function] : expected_frames(GetParam())) {
    EXPECT_TRUE(has_line(bt, pattern)) << function << " (" << pattern << ") not in:\n" << r.out;
  }
}

INSTANTIATE_TEST_SUITE_P(DebugCli, DebugCliExamples,
                         ::testing::Values("null_pointer", "out_of_bounds", "stack_overflow", "divide_by_zero",
                                           "abort"));

TEST(DebugCliExample, DivideByZeroTrapMessage) {
  TempDir dir;
  std::string script = dir.write("script", "run\nprint count\nprint sum\n");
  CliResult r = run_cli({"debug", "--batch", script, example("divide_by_zero")});
  std::vector<std::string> out = lines_of(r.out);
  EXPECT_TRUE(has_line(out, "^Program trapped: integer divide by zero$")) << r.out;
  EXPECT_TRUE(has_line(out, "^func\\[\\d+\\] average \\(values=0x[0-9a-f]+, count=0\\) at .*divide_by_zero.c:" +
                                std::to_string(marker_line(example_source("divide_by_zero"), "backtrace #0")) + "$"))
      << r.out;
  EXPECT_TRUE(has_line(out, "^count = 0$")) << r.out;
  EXPECT_TRUE(has_line(out, "^sum = 0$")) << r.out;  // no values were added
}

TEST(DebugCliExample, InfiniteLoopStoppedByFuel) {
  TempDir dir;
  std::string script = dir.write("script", "run\necho <bt>\nbt\necho </bt>\ncontinue\nprint steps\n");
  CliResult r = run_cli({"debug", "--fuel", "1000000", "--batch", script, example("infinite_loop")});
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> out = lines_of(r.out);
  size_t stops = 0;
  for (const std::string& line : out) stops += line == "Program stopped: fuel exhausted (1000000 units)";
  EXPECT_EQ(stops, 2u) << r.out;  // each run/continue gets the fuel again
  EXPECT_TRUE(has_line(section(r.out, "bt"), "^#0 func\\[\\d+\\] collatz_steps ")) << r.out;
  EXPECT_TRUE(has_line(section(r.out, "bt"), "^#1 func\\[\\d+\\] main ")) << r.out;
  EXPECT_TRUE(has_line(out, "^steps = \\d+$")) << r.out;
}

// A coredump written while stopped reads back (wasmscope core) with the same
// frames and locals the live session showed.
TEST(DebugCliExample, DumpThenCoreShowsTheSameFramesAndLocals) {
  TempDir dir;
  std::string core = dir.file("divide.core");
  std::string script = dir.write("script",
                                 "run\n"
                                 "echo <bt>\nbt\necho </bt>\n"
                                 "echo <locals0>\nlocals\necho </locals0>\n"
                                 "frame 1\n"
                                 "echo <locals1>\nlocals\necho </locals1>\n"
                                 "dump " + core + "\n");
  CliResult live = run_cli({"debug", "--batch", script, example("divide_by_zero")});
  EXPECT_EQ(live.status, 0) << live.err;
  EXPECT_TRUE(has_line(lines_of(live.out), "^Coredump written to " + core + " \\(\\d+ bytes\\)$")) << live.out;

  CliResult post = run_cli({"core", core, example("divide_by_zero")});
  EXPECT_EQ(post.status, 0) << post.err;
  // `core` prints each frame line unindented with its locals indented by 4.
  std::vector<std::string> frames;
  std::vector<std::vector<std::string>> locals;
  for (const std::string& line : lines_of(post.out)) {
    if (line.rfind("#", 0) == 0) {
      frames.push_back(line);
      locals.emplace_back();
    } else if (line.rfind("    ", 0) == 0 && !locals.empty() && line.rfind("    inlined", 0) != 0 &&
               line.rfind("    stack:", 0) != 0) {
      locals.back().push_back(line.substr(4));
    }
  }
  std::vector<std::string> bt = section(live.out, "bt");
  EXPECT_EQ(frames, bt) << post.out;
  ASSERT_GE(locals.size(), 2u) << post.out;
  EXPECT_EQ(locals[0], section(live.out, "locals0")) << post.out;
  EXPECT_EQ(locals[1], section(live.out, "locals1")) << post.out;
  EXPECT_TRUE(has_line(locals[0], "^count: int = 0$")) << post.out;
}

#endif  // WASMSCOPE_EXAMPLES_DIR

#if defined(WASMSCOPE_CPYTHON_DIR)

// CPython's debug build (scripts/build-cpython): a breakpoint on a C
// function of the interpreter hits, and bt shows Python's C frames.
TEST(DebugCliPython, BreakpointOnACFunction) {
  std::string dir = WASMSCOPE_CPYTHON_DIR;
  std::string python = dir + "/python-debug.wasm";
  if (!std::filesystem::exists(python)) GTEST_SKIP() << python << " not built";
  TempDir temp;
  std::string script = temp.write("script", "break PyObject_Repr\nrun\necho <bt>\nbt\necho </bt>\nquit\n");
  CliResult r = run_cli({"debug", "--batch", script, "--dir", dir + "/lib::/lib", "--env", "PYTHONHOME=/", python,
                         "-c", "repr(1)"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has_line(lines_of(r.out), "^Breakpoint 1, func\\[\\d+\\] PyObject_Repr \\(.*\\) at .*object\\.c:\\d+$"))
      << r.out.substr(0, 4000);
  std::vector<std::string> bt = section(r.out, "bt");
  EXPECT_TRUE(has_line(bt, "^#0 func\\[\\d+\\] PyObject_Repr  \\(offset 0x[0-9a-f]+\\) at .*Objects/object\\.c:\\d+(:\\d+)?$"))
      << r.out.substr(0, 4000);
  EXPECT_GE(bt.size(), 5u) << r.out.substr(0, 4000);
  // Python's C frames down to main, each with its source location.
  EXPECT_TRUE(has_line(bt, "^#\\d+ func\\[\\d+\\] main .* at .*\\.c:\\d+")) << r.out.substr(0, 4000);
}

#endif  // WASMSCOPE_CPYTHON_DIR

}  // namespace
}  // namespace ws::cli

// The example programs of assets/examples/ (C, compiled with -g): each one
// fails in its own way, and the trap report must name every frame with its
// source file:line. The expected lines are marked in the sources with
//   // backtrace #N: NAME
// comments, so editing an example never needs a test change. Each run also
// writes a coredump, and `wasmscope core` must show the same frames.
#include <gtest/gtest.h>

#include <fstream>
#include <ostream>
#include <regex>

#include "cli_run.h"

namespace ws {
namespace {

using testing::CliResult;
using testing::TempDir;
using testing::run_cli;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

struct Example {
  const char* name;
  const char* stop;               // the first line of the report
  std::vector<std::string> run_options;
  std::vector<const char*> post_mortem;  // lines `core` must print (C variables of frame #0..)
};

// Names the parameter in test listings (and so in ctest's test names).
void PrintTo(const Example& example, std::ostream* out) { *out << example.name; }

const Example kExamples[] = {
    {"null_pointer", "trap: unreachable", {}, {"    steps: int = 3"}},
    {"out_of_bounds", "trap: out of bounds memory access", {}, {"    stride: unsigned int = 1048576"}},
    {"stack_overflow", "trap: out of bounds memory access", {}, {"    n: unsigned int = <unreadable memory at 0xfffffff8>"}},
    {"divide_by_zero", "trap: integer divide by zero", {}, {"    values: int[4] = {3, 5, 7, 9}", "    count: int = 0", "    sum: int = 0"}},
    {"abort", "trap: unreachable", {}, {"    balance: int = -150"}},
    {"infinite_loop", "error: fuel exhausted (1000000 units)", {"--fuel", "1000000"}, {}},
};

struct Marker {
  size_t depth;
  std::string function;
  int line;
};

// The `// backtrace #N: NAME` comments of a source file.
std::vector<Marker> markers_of(const std::string& source_path) {
  std::ifstream in(source_path);
  std::vector<Marker> markers;
  std::regex marker(R"(// backtrace #(\d+): (\w+))");
  std::string text;
  for (int line = 1; std::getline(in, text); line++) {
    std::smatch m;
    if (std::regex_search(text, m, marker)) markers.push_back({std::stoul(m[1]), m[2], line});
  }
  return markers;
}

// The report's line for frame `depth`, without its indentation; empty if none.
std::string frame_line(const std::string& report, size_t depth) {
  std::string head = "#" + std::to_string(depth) + " ";
  size_t at = report.find("  " + head);
  if (at == std::string::npos) return "";
  at += 2;
  return report.substr(at, report.find('\n', at) - at);
}

std::vector<std::string> frame_lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t start = line.find_first_not_of(' ');
    if (start != std::string::npos && line[start] == '#') lines.push_back(line.substr(start));
  }
  return lines;
}

class ExampleTest : public ::testing::TestWithParam<Example> {};

TEST_P(ExampleTest, BacktraceHasNamesAndSourceLines) {
  const Example& ex = GetParam();
  const std::string wasm = std::string(WASMSCOPE_EXAMPLES_DIR) + "/" + ex.name + ".wasm";
  const std::string source = std::string(WASMSCOPE_EXAMPLES_SOURCE_DIR) + "/" + ex.name + ".c";
  std::vector<Marker> markers = markers_of(source);
  ASSERT_FALSE(markers.empty()) << source << " has no backtrace markers";

  TempDir dir;
  const std::string core = dir.file(std::string(ex.name) + ".core");
  std::vector<std::string> args = {"run", "--coredump-on-trap", core};
  args.insert(args.end(), ex.run_options.begin(), ex.run_options.end());
  args.push_back(wasm);
  CliResult r = run_cli(args);
  EXPECT_EQ(r.status, 134) << r.err;
  EXPECT_TRUE(contains(r.err, std::string(ex.stop) + "\n")) << r.err;

  for (const Marker& m : markers) {
    SCOPED_TRACE("marker #" + std::to_string(m.depth) + ": " + m.function + " at line " + std::to_string(m.line));
    std::string line = frame_line(r.err, m.depth);
    ASSERT_FALSE(line.empty()) << r.err;
    std::regex expected("#" + std::to_string(m.depth) + R"( func\[\d+\] )" + m.function +
                        R"(  \(offset 0x[0-9a-f]+\) at \S*/)" + ex.name + R"(\.c:)" + std::to_string(m.line) +
                        R"((:\d+)?)");
    EXPECT_TRUE(std::regex_match(line, expected)) << line;
  }

  // Post-mortem: `core` shows the frames the live report showed, in order
  // (the report leaves out the middle of very deep stacks), and the C
  // variables of the frames.
  EXPECT_TRUE(contains(r.err, "coredump written to " + core)) << r.err;
  for (const std::vector<std::string>& core_args :
       {std::vector<std::string>{"core", core, wasm}, std::vector<std::string>{"core", core}}) {
    CliResult pm = run_cli(core_args);
    ASSERT_EQ(pm.status, 0) << pm.err;
    EXPECT_FALSE(contains(pm.out, "module not found")) << "the coredump records the module's path";
    std::vector<std::string> live = frame_lines_of(r.err), dead = frame_lines_of(pm.out);
    ASSERT_FALSE(live.empty());
    size_t next = 0;
    for (const std::string& frame : live) {
      while (next < dead.size() && dead[next] != frame) next++;
      EXPECT_LT(next, dead.size()) << "`core` lacks the live frame: " << frame << "\n" << pm.out;
    }
    for (const char* line : ex.post_mortem) EXPECT_TRUE(contains(pm.out, std::string(line) + "\n")) << pm.out;
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleTest, ::testing::ValuesIn(kExamples),
                         [](const ::testing::TestParamInfo<Example>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace ws

// What attaching the debugger costs while the program just runs:
//   build/native/debug_overhead [--runs N] MODULE.wasm [ARGS...]...
// times each WASI module plainly (Thread::run slices, as `wasmscope run`)
// and under a debug::Session with breakpoints on code that never runs (every
// `unreachable` instruction, up to 64: abort paths), alternating the two,
// best of N (default 5), and prints both and their ratio. Output is discarded.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "vm/code_reader.h"
#include "vm/debug/session.h"
#include "vm/decoder.h"
#include "vm/validator.h"

using namespace ws;

namespace {

constexpr uint64_t kSlice = 1u << 20;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

wasi::WasiConfig quiet(const std::vector<std::string>& args) {
  wasi::WasiConfig c;
  c.args = args;
  c.stdout_sink = [](const uint8_t*, size_t) {};
  c.stderr_sink = [](const uint8_t*, size_t) {};
  return c;
}

// Seconds of execution (instantiation excluded), or a negative value on failure.
double plain_run(const std::vector<uint8_t>& bytes, const std::vector<std::string>& args) {
  auto module = decode_module(bytes);
  if (!module || !validate_module(**module)) return -1;
  auto w = wasi::Wasi::create(quiet(args));
  if (!w) return -1;
  Store store;
  auto imports = (*w)->resolve_imports(store, **module);
  if (!imports) return -1;
  auto instance = store.instantiate(*module, *imports);
  if (!instance) return -1;
  const Extern* start = (*instance)->find_export("_start");
  if (!start || !start->func()) return -1;
  Thread thread(store);
  const auto t0 = std::chrono::steady_clock::now();
  if (!thread.start(start->func(), {})) return -1;
  RunStatus s;
  do s = thread.run(kSlice);
  while (s == RunStatus::OutOfBudget);
  const double t = seconds_since(t0);
  return s == RunStatus::Finished || s == RunStatus::Exited ? t : -1;
}

std::vector<uint32_t> unreachable_offsets(const Module& m) {
  std::vector<uint32_t> out;
  for (const FuncBody& body : m.funcs) {
    CodeReader reader(m.binary.data(), body.code_offset, body.code_end);
    Instr in;
    while (!reader.at_end() && reader.next(&in) && out.size() < 64)
      if (in.op == Op::Unreachable) out.push_back(in.offset);
  }
  return out;
}

double session_run(const std::vector<uint8_t>& bytes, const std::vector<std::string>& args, size_t* breakpoints) {
  debug::SessionConfig config;
  config.wasi = quiet(args);
  auto session = debug::Session::load(bytes, args[0], config);
  if (!session) return -1;
  debug::Session& s = **session;
  *breakpoints = 0;
  for (uint32_t offset : unreachable_offsets(s.module()))
    if (s.add_breakpoint(debug::BreakpointSpec::at_offset(offset))) ++*breakpoints;
  const auto t0 = std::chrono::steady_clock::now();
  s.resume(debug::ResumeMode::Continue);
  debug::StopEvent e;
  do e = s.advance(kSlice);
  while (e.reason == debug::StopReason::Running);
  const double t = seconds_since(t0);
  return e.reason == debug::StopReason::Exited ? t : -1;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  int i = 1;
  if (i + 1 < argc && std::string(argv[i]) == "--runs") {
    runs = std::atoi(argv[i + 1]);
    i += 2;
  }
  if (i >= argc) {
    std::fprintf(stderr, "usage: debug_overhead [--runs N] MODULE.wasm [ARGS...]...\n");
    return 2;
  }
  std::printf("%-16s %10s %10s %8s %5s\n", "module", "plain s", "session s", "ratio", "bps");
  double log_sum = 0;
  int count = 0;
  for (; i < argc; ++i) {
    std::ifstream f(argv[i], std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::vector<std::string> args = {argv[i]};
    double best_plain = 1e30, best_session = 1e30;
    size_t bps = 0;
    for (int r = 0; r < runs; ++r) {
      const double p = plain_run(bytes, args);
      const double s = session_run(bytes, args, &bps);
      if (p < 0 || s < 0) {
        std::fprintf(stderr, "%s: did not run to its end\n", argv[i]);
        return 1;
      }
      best_plain = std::min(best_plain, p);
      best_session = std::min(best_session, s);
    }
    std::string name = argv[i];
    name = name.substr(name.find_last_of('/') + 1);
    const double ratio = best_session / best_plain;
    std::printf("%-16s %10.4f %10.4f %8.4f %5zu\n", name.c_str(), best_plain, best_session, ratio, bps);
    log_sum += std::log(ratio);
    ++count;
  }
  std::printf("geometric mean ratio: %.4f\n", std::exp(log_sum / count));
  return 0;
}

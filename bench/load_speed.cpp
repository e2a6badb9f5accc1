// Load-speed benchmark: how fast a module goes from bytes to runnable code.
// Times decode, validate and compile (every defined function, eagerly, as
// instantiation does) separately, best of N runs each, and prints the rate
// in MB/s of function-body bytes (the code section without its framing).
// Each phase is timed twice: wall clock, and the thread's CPU time (user +
// system, so page faults count), which stays meaningful on a machine shared
// with other jobs, where a 100 ms phase is rarely left to run uninterrupted.
//
//   load_speed [-n RUNS] MODULE.wasm...
//
// Imports are satisfied with dummies (tests/fuzz/dummy_imports.h), so any
// valid module loads, whatever host it was built for.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <time.h>

#include "tests/fuzz/dummy_imports.h"
#include "vm/compiler.h"
#include "vm/decoder.h"
#include "vm/interp.h"
#include "vm/validator.h"

namespace {

using Clock = std::chrono::steady_clock;

double thread_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Wall and CPU time of one phase.
struct Stopwatch {
  Clock::time_point wall = Clock::now();
  double cpu = thread_cpu_seconds();
};

// Best wall and CPU times (seconds) of a phase over the runs.
struct Best {
  double wall = 1e9, cpu = 1e9;
  void update(const Stopwatch& start) {
    wall = std::min(wall, std::chrono::duration<double>(Clock::now() - start.wall).count());
    cpu = std::min(cpu, thread_cpu_seconds() - start.cpu);
  }
};

bool read_file(const char* path, std::vector<uint8_t>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

struct Timings {
  Best decode, validate, compile;
};

// One load of `bytes`: decode, validate, then compile every defined function
// of an instance of it into fresh CompiledFunctions (what instantiate does,
// without allocating memories or applying segments). False with a message on
// any failure.
bool load_once(const std::vector<uint8_t>& bytes, Timings* best, std::string* error) {
  std::vector<uint8_t> copy = bytes;
  Stopwatch start;
  ws::Result<std::shared_ptr<ws::Module>> module = ws::decode_module(std::move(copy));
  best->decode.update(start);
  if (!module) return *error = "decode: " + module.error().to_string(), false;

  start = Stopwatch();
  ws::Status valid = ws::validate_module(**module);
  best->validate.update(start);
  if (!valid) return *error = "validate: " + valid.error().to_string(), false;

  // Instantiation compiles too; its compiled code is discarded here and the
  // functions are compiled again, alone, into fresh objects to be timed.
  ws::Store store;
  std::optional<std::vector<ws::Extern>> imports = ws::make_dummy_imports(store, **module);
  if (!imports) return *error = "an import cannot be created", false;
  ws::Result<ws::Instance*> instance = store.instantiate(*module, *imports);
  if (!instance) return *error = "instantiate: " + instance.error().to_string(), false;
  ws::InstanceState& state = *ws::state_of(*instance);
  std::vector<ws::CompiledFunction> fresh(state.compiled.size());
  for (size_t i = 0; i < fresh.size(); ++i) {
    fresh[i].func = state.compiled[i]->func;
    fresh[i].instance = state.compiled[i]->instance;
    fresh[i].memory = state.compiled[i]->memory;
    fresh[i].func_index = state.compiled[i]->func_index;
  }
  start = Stopwatch();
  for (ws::CompiledFunction& cf : fresh) {
    ws::Status compiled = ws::compile_function(&cf, true);
    if (!compiled) return *error = "compile: " + compiled.error().to_string(), false;
  }
  best->compile.update(start);
  return true;
}

void print_phase(const char* name, double wall, double cpu, uint64_t code_bytes) {
  std::printf("  %-24s %9.3f ms %8.1f MB/s %9.3f ms %8.1f MB/s\n", name, wall * 1e3,
              code_bytes / wall / 1e6, cpu * 1e3, code_bytes / cpu / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::vector<const char*> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-n") == 0 && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else paths.push_back(argv[i]);
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: load_speed [-n RUNS] MODULE.wasm...\n");
    return 2;
  }
  int status = 0;
  for (const char* path : paths) {
    std::vector<uint8_t> bytes;
    if (!read_file(path, &bytes)) {
      std::fprintf(stderr, "%s: cannot read\n", path);
      status = 1;
      continue;
    }
    ws::Result<std::shared_ptr<ws::Module>> module = ws::decode_module(bytes);
    if (!module) {
      std::fprintf(stderr, "%s: %s\n", path, module.error().to_string().c_str());
      status = 1;
      continue;
    }
    uint64_t code_bytes = 0;
    for (const ws::FuncBody& f : (*module)->funcs) code_bytes += f.code_end - f.body_offset;

    Timings best;
    std::string error;
    bool ok = true;
    for (int r = 0; r < runs && ok; ++r) ok = load_once(bytes, &best, &error);
    if (!ok) {
      std::fprintf(stderr, "%s: %s\n", path, error.c_str());
      status = 1;
      continue;
    }
    std::printf("%s: %zu bytes, %zu functions, %llu code bytes (best of %d)\n", path, bytes.size(),
                (*module)->funcs.size(), (unsigned long long)code_bytes, runs);
    std::printf("  %-24s %28s %28s\n", "", "wall", "thread CPU");
    print_phase("decode", best.decode.wall, best.decode.cpu, code_bytes);
    print_phase("validate", best.validate.wall, best.validate.cpu, code_bytes);
    print_phase("compile", best.compile.wall, best.compile.cpu, code_bytes);
    print_phase("decode+validate+compile", best.decode.wall + best.validate.wall + best.compile.wall,
                best.decode.cpu + best.validate.cpu + best.compile.cpu, code_bytes);
  }
  return status;
}

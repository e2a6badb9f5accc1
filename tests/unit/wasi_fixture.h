// Helpers for the WASI tests (wasi_test.cpp, wasi_stream_test.cpp,
// wasi_fs_test.cpp): a module instantiated against a wasi::Wasi the test
// configures, a module exposing every preview1 function, and the C guests
// of tests/wasi/.
#pragma once
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "vm/runtime.h"
#include "vm/wasi/wasi.h"

namespace ws::testing {

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A preview1 function as vm/wasi/functions.def lists it; params and results
// have one char per value, 'i' for i32 and 'l' for i64.
struct Preview1Function {
  const char* name;
  const char* params;
  const char* results;
};

inline const std::vector<Preview1Function>& preview1_functions() {
  static const std::vector<Preview1Function> all = {
#define WASI_FN(name, params, results) {#name, params, results},
#define WASI_NOSYS(name, params, results) {#name, params, results},
#include "vm/wasi/functions.def"
#undef WASI_FN
#undef WASI_NOSYS
  };
  return all;
}

// A module whose export NAME forwards its arguments to the preview1
// function NAME, for every preview1 function: tests call WASI with any
// pointers they like, on a memory they fill themselves.
inline std::string forwarders() {
  auto types = [](const char* chars) {
    std::string s;
    for (const char* c = chars; *c; c++) s += *c == 'l' ? " i64" : " i32";
    return s;
  };
  std::string imports, exports;
  for (const Preview1Function& f : preview1_functions()) {
    std::string forward;
    for (size_t i = 0; f.params[i]; i++) forward += " (local.get " + std::to_string(i) + ")";
    std::string type = "(param" + types(f.params) + ") (result" + types(f.results) + ")";
    std::string name = f.name;
    imports += "(import \"wasi_snapshot_preview1\" \"" + name + "\" (func $" + name + " " + type + "))\n";
    exports += "(func (export \"" + name + "\") " + type + " (call $" + name + forward + "))\n";
  }
  return "(module\n" + imports + "(memory (export \"memory\") 1)\n" + exports + ")";
}

// A module (forwarders() unless the test gives one) instantiated against a
// Wasi built from the test's config, with its stdout and stderr captured.
// `error` says why instantiation failed (tests of link errors expect that).
// Calls run on one thread, whose stacks are allocated once: that keeps
// thousands of calls cheap.
class WasiGuest {
 public:
  explicit WasiGuest(wasi::WasiConfig config = {}) : WasiGuest(forwarders(), std::move(config)) {}
  explicit WasiGuest(const std::string& wat, wasi::WasiConfig config = {})
      : WasiGuest(parse_module(wat), std::move(config)) {}
  WasiGuest(std::shared_ptr<Module> module, wasi::WasiConfig config) {
    config.stdout_sink = [this](const uint8_t* d, size_t n) { out.append(reinterpret_cast<const char*>(d), n); };
    config.stderr_sink = [this](const uint8_t* d, size_t n) { err.append(reinterpret_cast<const char*>(d), n); };
    auto w = wasi::Wasi::create(std::move(config));
    if (!w) {
      error = w.error().to_string();
      return;
    }
    wasi = std::move(*w);
    if (!module) {
      error = "no valid module";  // load_module() or parse_module() said why
      return;
    }
    auto imports = wasi->resolve_imports(store, *module);
    if (!imports) {
      error = imports.error().to_string();
      return;
    }
    auto inst = store.instantiate(module, *imports);
    if (!inst) {
      error = inst.error().to_string();
      return;
    }
    instance = *inst;
  }
  // The sinks point at this object.
  WasiGuest(const WasiGuest&) = delete;
  WasiGuest& operator=(const WasiGuest&) = delete;

  // Starts export `name` and runs it until it stops (Finished, Suspended,
  // Exited or Trapped). Each argument is passed as an i32 or an i64, as the
  // function's signature says, so tests write plain numbers.
  RunStatus start(const std::string& name, const std::vector<uint64_t>& args) {
    Function* f = export_func(instance, name);
    if (!f || f->type.params.size() != args.size()) {
      ADD_FAILURE() << "no export " << name << " taking " << args.size() << " arguments";
      return RunStatus::Trapped;
    }
    std::vector<Value> values;
    for (size_t i = 0; i < args.size(); i++) {
      values.push_back(f->type.params[i] == ValType::I64 ? Value::make_i64(args[i])
                                                         : Value::make_i32(uint32_t(args[i])));
    }
    if (!thread.start(f, values)) return RunStatus::Trapped;
    return thread.run(UINT64_MAX);
  }
  RunStatus resume() { return thread.run(UINT64_MAX); }
  // The finished call's one i32 result (an errno, usually); -1 if none.
  int32_t result() const { return thread.results().size() == 1 ? int32_t(thread.results()[0].i32) : -1; }
  // Runs export `name` to its end and returns its result.
  int32_t call(const std::string& name, const std::vector<uint64_t>& args = {}) {
    RunStatus s = start(name, args);
    EXPECT_EQ(s, RunStatus::Finished) << name << ": " << (s == RunStatus::Trapped ? thread.trap().message : "");
    return s == RunStatus::Finished ? result() : -1;
  }

  uint8_t* memory() { return instance->memories.at(0)->data(); }
  void poke(uint32_t at, const void* data, size_t size) { std::memcpy(memory() + at, data, size); }
  void poke(uint32_t at, const std::string& s) { poke(at, s.data(), s.size()); }
  template <typename T>
  T peek(uint32_t at) {
    T v;
    std::memcpy(&v, memory() + at, sizeof v);
    return v;
  }
  std::string peek_string(uint32_t at, size_t size) {
    return std::string(reinterpret_cast<const char*>(memory() + at), size);
  }

  Store store;
  Thread thread{store};
  std::unique_ptr<wasi::Wasi> wasi;
  Instance* instance = nullptr;
  std::string error, out, err;
};

// The C guests of tests/wasi/, built unless WASMSCOPE_WASI_PROGRAMS=OFF;
// tests that run them start with REQUIRE_GUESTS().
#ifdef WASMSCOPE_WASI_TESTS_DIR
inline std::string guest_wasm(const std::string& name) {
  return std::string(WASMSCOPE_WASI_TESTS_DIR) + "/" + name + ".wasm";
}
#define REQUIRE_GUESTS() (void)0
#else
inline std::string guest_wasm(const std::string&) { return ""; }
#define REQUIRE_GUESTS() GTEST_SKIP() << "tests/wasi guests are not built (WASMSCOPE_WASI_PROGRAMS=OFF)"
#endif

}  // namespace ws::testing

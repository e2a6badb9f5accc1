// Inputs from fuzzing (tests/fuzz/) and the adversarial shapes probed next to
// it: each must load and run, or be rejected, without crashing, and with the
// result the spec gives. Also checks the fuzzers' own harness, the dummy
// imports (tests/fuzz/dummy_imports.h), so a broken harness cannot hide bugs.
#include <gtest/gtest.h>

#include "tests/fuzz/dummy_imports.h"
#include "tests/unit/engine_fixture.h"
#include "tests/unit/wasm_bytes.h"
#include "vm/runtime.h"

using namespace ws;
using namespace ws::test;
using ws::testing::load_module;

namespace {

Bytes repeat(const Bytes& unit, size_t n) {
  Bytes out;
  out.reserve(unit.size() * n);
  for (size_t i = 0; i < n; ++i) out.insert(out.end(), unit.begin(), unit.end());
  return out;
}

// A module exporting one function "f" of type [] -> results with `code`.
Bytes exported_function(const Bytes& results, const Bytes& code) {
  WasmBuilder extra;
  extra.add(kExportId, vec({cat({str("f"), {0x00}, leb(0)})}));
  return one_function({}, results, vec({}), code, extra);
}

// Instantiates `bytes` against dummy imports and runs export "f" with a
// budget, as fuzz_execute does.
RunStatus run_export(const Bytes& bytes, std::vector<Value>* results) {
  std::shared_ptr<Module> module = load_module(bytes);
  if (!module) return RunStatus::Trapped;
  Store store;
  auto imports = make_dummy_imports(store, *module);
  EXPECT_TRUE(imports.has_value());
  if (!imports) return RunStatus::Trapped;
  auto instance = store.instantiate(module, *imports);
  EXPECT_TRUE(bool(instance)) << instance.error().to_string();
  if (!instance) return RunStatus::Trapped;
  Function* f = (*instance)->find_export("f")->func();
  Thread thread(store);
  EXPECT_TRUE(bool(thread.start(f, {})));
  RunStatus status = thread.run(1'000'000);
  if (status == RunStatus::Finished) *results = thread.results();
  return status;
}

constexpr size_t kDeep = 100'000;

TEST(FuzzRegressions, DeeplyNestedBlocksRun) {
  // block × N, end × N: no recursion on the native stack anywhere.
  Bytes code = cat({repeat({0x02, 0x40}, kDeep), repeat({0x0B}, kDeep), {0x0B}});
  std::vector<Value> results;
  EXPECT_EQ(run_export(exported_function({}, code), &results), RunStatus::Finished);
}

TEST(FuzzRegressions, DeeplyNestedLoopsCarryTheirResultOut) {
  Bytes code = cat({repeat({0x03, I32}, kDeep), {0x41, 0x2A}, repeat({0x0B}, kDeep), {0x0B}});
  std::vector<Value> results;
  ASSERT_EQ(run_export(exported_function({I32}, code), &results), RunStatus::Finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].i32, 42u);
}

TEST(FuzzRegressions, BranchOutOfDeeplyNestedIfs) {
  // (if (i32.const 1)) × N, then br to the outermost, then else/end × N; the
  // value after the ifs proves the branch landed at the right end.
  Bytes code = cat({repeat({0x41, 0x01, 0x04, 0x40}, kDeep), {0x0C}, leb(uint32_t(kDeep - 1)),
                    repeat({0x05, 0x0B}, kDeep), {0x41, 0x07, 0x0B}});
  std::vector<Value> results;
  ASSERT_EQ(run_export(exported_function({I32}, code), &results), RunStatus::Finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].i32, 7u);
}

TEST(FuzzRegressions, WideBranchTableToEveryEnclosingLabel) {
  // block (result i32), then void blocks × N; a br_table with one target per
  // label picks the last one (the outermost void block), which then yields 5.
  // Taking the innermost instead would yield 9.
  constexpr uint32_t n = 20'000;  // n - 1 is a positive signed LEB as encoded by leb()
  Bytes targets;
  for (uint32_t i = 0; i < n; ++i) {
    Bytes l = leb(i);
    targets.insert(targets.end(), l.begin(), l.end());
  }
  Bytes code = cat({{0x02, I32}, repeat({0x02, 0x40}, n), {0x41}, leb(n - 1), {0x0E}, leb(n), targets, leb(0),
                    {0x0B, 0x41, 0x09, 0x0C}, leb(n - 1), repeat({0x0B}, n - 1), {0x41, 0x05, 0x0B, 0x0B}});
  std::vector<Value> results;
  ASSERT_EQ(run_export(exported_function({I32}, code), &results), RunStatus::Finished);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].i32, 5u);
}

TEST(FuzzRegressions, DummyImportsMatchEveryImportKind) {
  // Imports a function [i32] -> [i64, f64], a table, a memory and a global,
  // and calls the function; the dummy returns zeros of the right types.
  Bytes import_section = vec({
      cat({str("env"), str("fn"), {0x00}, leb(1)}),
      cat({str("env"), str("table"), {0x01, FUNCREF, 0x00}, leb(3)}),
      cat({str("env"), str("memory"), {0x02, 0x01}, leb(1), leb(2)}),
      cat({str("env"), str("global"), {0x03, F32, 0x01}}),
  });
  WasmBuilder extra;
  extra.add(kTypeId, vec({functype({}, {I64, F64}), functype({I32}, {I64, F64})}))
      .add(kImportId, import_section)
      .add(kExportId, vec({cat({str("f"), {0x00}, leb(1)})}));
  // f calls the imported function with i32 9 and returns its results.
  Bytes bytes = one_function({}, {I64, F64}, vec({}), {0x41, 0x09, 0x10, 0x00, 0x0B}, extra);
  std::shared_ptr<Module> module = load_module(bytes);
  ASSERT_TRUE(module);
  Store store;
  auto imports = make_dummy_imports(store, *module);
  ASSERT_TRUE(imports.has_value());
  ASSERT_EQ(imports->size(), 4u);
  EXPECT_EQ((*imports)[1].table()->elements.size(), 3u);
  EXPECT_EQ((*imports)[2].memory()->pages(), 1u);
  EXPECT_TRUE((*imports)[3].global()->type.mutable_);
  auto instance = store.instantiate(module, *imports);
  ASSERT_TRUE(bool(instance)) << instance.error().to_string();
  std::vector<Value> results;
  Trap trap;
  ASSERT_EQ(invoke(store, (*instance)->find_export("f")->func(), {}, &results, &trap), RunStatus::Finished);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].type, ValType::I64);
  EXPECT_EQ(results[0].i64, 0u);
  EXPECT_EQ(results[1].type, ValType::F64);
  EXPECT_EQ(results[1].f64, 0.0);
}

TEST(FuzzRegressions, DummyImportsRefuseAMemoryOverTheStoreLimit) {
  ExecLimits limits;
  limits.max_memory_pages = 4;
  Store store(limits);
  WasmBuilder extra;
  extra.add(kImportId, vec({cat({str("env"), str("memory"), {0x02, 0x00}, leb(5)})}));
  std::shared_ptr<Module> module = load_module(one_function({}, {}, vec({}), {0x0B}, extra));
  ASSERT_TRUE(module);
  EXPECT_FALSE(make_dummy_imports(store, *module).has_value());
}

}  // namespace

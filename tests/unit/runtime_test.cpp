// Store and instantiation: import checks, constant expressions, segment
// initialisation, growth limits, host functions and invoke().
#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace ws {
namespace {

using testing::export_func;
using testing::i32;
using testing::instantiate;
using testing::parse_module;

uint32_t call_i32(Store& store, Function* f, std::vector<Value> args = {}) {
  std::vector<Value> results;
  Trap trap;
  EXPECT_EQ(invoke(store, f, args, &results, &trap), RunStatus::Finished) << trap.message;
  return results.empty() ? 0xDEADBEEF : results[0].i32;
}

TEST(Runtime, RejectsImportOfWrongFunctionType) {
  Store store;
  Function* host = store.create_host_function({{ValType::I64}, {}}, [](HostCall&) { return HostResult::Ok; }, "m.f");
  auto m = parse_module(R"((module (import "m" "f" (func (param i32)))))");
  ASSERT_TRUE(m);
  auto r = store.instantiate(m, {Extern{ExternKind::Func, host}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("incompatible import type"), std::string::npos);
}

TEST(Runtime, RejectsImportOfWrongKindAndTooSmallMemory) {
  Store store;
  Memory* small = store.create_memory({{1, std::nullopt}});
  auto m = parse_module(R"((module (import "m" "mem" (memory 2))))");
  ASSERT_TRUE(m);
  auto r = store.instantiate(m, {Extern{ExternKind::Memory, small}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("incompatible import type"), std::string::npos);
  Global* g = store.create_global({ValType::I32, false}, i32(1));
  r = store.instantiate(m, {Extern{ExternKind::Global, g}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("incompatible import type"), std::string::npos);
}

TEST(Runtime, EvaluatesExtendedConstantExpressions) {
  Store store;
  Global* base = store.create_global({ValType::I32, false}, i32(40));
  Instance* inst = instantiate(store, R"((module
      (import "env" "base" (global $base i32))
      (global $g i32 (i32.add (global.get $base) (i32.mul (i32.const 2) (i32.const 3))))
      (global $h i64 (i64.sub (i64.const 10) (i64.const 15)))
      (func (export "g") (result i32) (global.get $g))
      (func (export "h") (result i64) (global.get $h))))",
                               {Extern{ExternKind::Global, base}});
  ASSERT_TRUE(inst);
  EXPECT_EQ(call_i32(store, export_func(inst, "g")), 46u);
  std::vector<Value> r;
  ASSERT_EQ(invoke(store, export_func(inst, "h"), {}, &r, nullptr), RunStatus::Finished);
  EXPECT_EQ(int64_t(r[0].i64), -5);
}

TEST(Runtime, FailingDataSegmentKeepsEarlierWrites) {
  Store store;
  Memory* mem = store.create_memory({{1, std::nullopt}});
  auto m = parse_module(R"((module (import "env" "mem" (memory 1))
      (data (i32.const 10) "ab")
      (data (i32.const 65535) "cd")))");
  ASSERT_TRUE(m);
  auto r = store.instantiate(m, {Extern{ExternKind::Memory, mem}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "out of bounds memory access");
  EXPECT_EQ(mem->data()[10], 'a');
  EXPECT_EQ(mem->data()[11], 'b');
  EXPECT_EQ(mem->data()[65535], 0);
}

TEST(Runtime, FailingElementSegmentKeepsEarlierWrites) {
  Store store;
  Table* table = store.create_table({ValType::FuncRef, {3, std::nullopt}});
  auto m = parse_module(R"((module (import "env" "t" (table 3 funcref))
      (func $f) (elem (i32.const 0) $f) (elem (i32.const 2) $f $f)))");
  ASSERT_TRUE(m);
  auto r = store.instantiate(m, {Extern{ExternKind::Table, table}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "out of bounds table access");
  EXPECT_NE(table->elements[0], 0u);
  EXPECT_EQ(table->elements[2], 0u);
}

TEST(Runtime, DroppedDataSegmentIsEmpty) {
  Store store;
  Instance* inst = instantiate(store, R"((module (memory 1) (data $d "xyz")
      (func (export "init") (param i32) (memory.init $d (i32.const 0) (i32.const 0) (local.get 0)))
      (func (export "drop") (data.drop $d))
      (func (export "byte") (result i32) (i32.load8_u (i32.const 2)))))");
  ASSERT_TRUE(inst);
  std::vector<Value> r;
  Trap trap;
  ASSERT_EQ(invoke(store, export_func(inst, "init"), {i32(3)}, &r, &trap), RunStatus::Finished);
  EXPECT_EQ(call_i32(store, export_func(inst, "byte")), uint32_t('z'));
  ASSERT_EQ(invoke(store, export_func(inst, "drop"), {}, &r, &trap), RunStatus::Finished);
  EXPECT_EQ(invoke(store, export_func(inst, "init"), {i32(0)}, &r, &trap), RunStatus::Finished);
  EXPECT_EQ(invoke(store, export_func(inst, "init"), {i32(1)}, &r, &trap), RunStatus::Trapped);
  EXPECT_EQ(trap.message, "out of bounds memory access");
}

TEST(Runtime, MemoryGrowRespectsTypeMaximumAndPageLimit) {
  ExecLimits limits;
  limits.max_memory_pages = 4;
  Store store(limits);
  Memory* bounded = store.create_memory({{1, 2}});
  ASSERT_TRUE(bounded);
  EXPECT_EQ(bounded->grow(1), 1);
  EXPECT_EQ(bounded->grow(1), -1);
  EXPECT_EQ(bounded->pages(), 2u);
  Memory* open = store.create_memory({{1, std::nullopt}});
  EXPECT_EQ(open->grow(3), 1);
  EXPECT_EQ(open->grow(1), -1);  // the store's limit
  EXPECT_EQ(open->size_bytes(), 4u * kPageSize);
  EXPECT_EQ(open->data()[4 * kPageSize - 1], 0);

  // The guest sees the same limit through memory.grow, and a module that
  // needs more than the limit does not instantiate.
  Instance* inst = instantiate(store, R"((module (memory 1)
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))))");
  ASSERT_TRUE(inst);
  EXPECT_EQ(call_i32(store, export_func(inst, "grow"), {i32(3)}), 1u);
  EXPECT_EQ(call_i32(store, export_func(inst, "grow"), {i32(1)}), 0xFFFFFFFFu);
  auto big = parse_module("(module (memory 5))");
  ASSERT_TRUE(big);
  EXPECT_FALSE(store.instantiate(big, {}));
}

TEST(Runtime, TableGrowRespectsMaximum) {
  Store store;
  Table* t = store.create_table({ValType::ExternRef, {1, 3}}, 7);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->grow(2, 9), 1);
  EXPECT_EQ(t->grow(1, 9), -1);
  ASSERT_EQ(t->elements.size(), 3u);
  EXPECT_EQ(t->elements[0], 7u);
  EXPECT_EQ(t->elements[2], 9u);
}

TEST(Runtime, HostFunctionsReturnTrapAndExit) {
  Store store;
  Function* add = store.create_host_function(
      {{ValType::I32, ValType::I32}, {ValType::I32}},
      [](HostCall& c) {
        c.results[0] = i32(c.args[0].i32 + c.args[1].i32);
        return HostResult::Ok;
      },
      "env.add");
  Function* fail = store.create_host_function({{}, {}}, [](HostCall& c) {
        c.trap_message = "host says no";
        return HostResult::Trap;
      }, "env.fail");
  Function* quit = store.create_host_function({{ValType::I32}, {}}, [](HostCall& c) {
        c.exit_code = int(c.args[0].i32);
        return HostResult::Exit;
      }, "env.exit");
  Instance* inst = instantiate(store, R"((module
      (import "env" "add" (func $add (param i32 i32) (result i32)))
      (import "env" "fail" (func $fail))
      (import "env" "exit" (func $exit (param i32)))
      (func (export "sum") (result i32) (call $add (i32.const 2) (call $add (i32.const 3) (i32.const 4))))
      (func (export "fail") (call $fail))
      (func (export "quit") (call $exit (i32.const 42)) (unreachable))))",
      {Extern{ExternKind::Func, add}, Extern{ExternKind::Func, fail}, Extern{ExternKind::Func, quit}});
  ASSERT_TRUE(inst);
  EXPECT_EQ(call_i32(store, export_func(inst, "sum")), 9u);
  Trap trap;
  EXPECT_EQ(invoke(store, export_func(inst, "fail"), {}, nullptr, &trap), RunStatus::Trapped);
  EXPECT_EQ(trap.message, "host says no");
  Thread thread(store);
  ASSERT_TRUE(thread.start(export_func(inst, "quit"), {}));
  EXPECT_EQ(thread.run(UINT64_MAX), RunStatus::Exited);
  EXPECT_EQ(thread.exit_code(), 42);
}

TEST(Runtime, StartRejectsWrongArguments) {
  Store store;
  Instance* inst = instantiate(store, R"((module (func (export "f") (param i32))))");
  ASSERT_TRUE(inst);
  Thread thread(store);
  EXPECT_FALSE(thread.start(export_func(inst, "f"), {}));
  EXPECT_FALSE(thread.start(export_func(inst, "f"), {Value::make_i64(1)}));
  EXPECT_TRUE(thread.start(export_func(inst, "f"), {i32(1)}));
}

TEST(Runtime, LinksFunctionsAcrossInstancesWithTheirOwnMemories) {
  Store store;
  Instance* a = instantiate(store, R"((module (memory 1) (data (i32.const 0) "\2a")
      (func (export "peek") (result i32) (i32.load8_u (i32.const 0)))))");
  ASSERT_TRUE(a);
  Instance* b = instantiate(store, R"((module (import "a" "peek" (func $peek (result i32)))
      (memory 1) (data (i32.const 0) "\07")
      (func (export "both") (result i32)
        (i32.add (i32.mul (call $peek) (i32.const 100)) (i32.load8_u (i32.const 0))))))",
                            {*a->find_export("peek")});
  ASSERT_TRUE(b);
  EXPECT_EQ(call_i32(store, export_func(b, "both")), 4207u);
}

}  // namespace
}  // namespace ws

// The interpreter's resumability and debugging mechanisms: budgeted runs,
// suspension in host calls, stop requests from other threads, stack limits,
// frames at stops and traps, breakpoints, and fused vs unfused code.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine_fixture.h"
#include "vm/code_reader.h"
#include "vm/compiler.h"
#include "vm/handlers.h"
#include "vm/interp.h"

namespace ws {
namespace {

using testing::export_func;
using testing::i32;
using testing::instantiate;

// Module offset of the nth (from 0) `op` in the body of defined function `funcidx`.
uint32_t offset_of(const Module& m, uint32_t funcidx, Op op, int nth = 0) {
  const FuncBody& body = m.funcs[funcidx - m.num_imported_funcs];
  CodeReader reader(m.binary.data(), body.code_offset, body.code_end);
  Instr in;
  while (!reader.at_end() && reader.next(&in))
    if (in.op == op && nth-- == 0) return in.offset;
  ADD_FAILURE() << "no " << op_info(op).name << " in func " << funcidx;
  return 0;
}

void recompile(Instance* inst, bool fuse) {
  for (auto& cf : state_of(inst)->compiled) ASSERT_TRUE(compile_function(cf.get(), fuse));
}

constexpr const char* kSumLoop = R"((module
  (func $inner (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (local.get $acc))
  (func (export "outer") (param i32) (result i32)
    (i32.add (i32.const 100) (call $inner (local.get 0))))))";

TEST(Interp, SmallBudgetsGiveTheSameResultAsNoBudget) {
  for (bool fuse : {true, false}) {
    Store store;
    Instance* inst = instantiate(store, kSumLoop);
    ASSERT_TRUE(inst);
    recompile(inst, fuse);
    Thread thread(store);
    ASSERT_TRUE(thread.start(export_func(inst, "outer"), {i32(1000)}));
    int slices = 0;
    RunStatus s;
    while ((s = thread.run(3)) == RunStatus::OutOfBudget) {
      EXPECT_LE(thread.budget_used(), 3u);
      ++slices;
    }
    ASSERT_EQ(s, RunStatus::Finished);
    EXPECT_GT(slices, 300);
    std::vector<Value> unbudgeted;
    ASSERT_EQ(invoke(store, export_func(inst, "outer"), {i32(1000)}, &unbudgeted, nullptr), RunStatus::Finished);
    EXPECT_EQ(thread.results()[0].i32, unbudgeted[0].i32);
    EXPECT_EQ(unbudgeted[0].i32, 100u + 1000u * 1001u / 2);
  }
}

TEST(Interp, FramesAtABudgetStopShowFunctionsOffsetsLocalsAndStack) {
  Store store;
  Instance* inst = instantiate(store, kSumLoop);
  ASSERT_TRUE(inst);
  const Module& m = *inst->module;
  Thread thread(store);
  ASSERT_TRUE(thread.start(export_func(inst, "outer"), {i32(7)}));
  // Units: call outer, call inner, two backward branches; the third
  // iteration's br_if does not fit and stops before jumping.
  ASSERT_EQ(thread.run(4), RunStatus::OutOfBudget);
  std::vector<FrameInfo> frames = thread.frames();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].func_index, 0u);
  EXPECT_EQ(frames[0].offset, offset_of(m, 0, Op::BrIf));
  ASSERT_EQ(frames[0].locals.size(), 2u);
  EXPECT_EQ(frames[0].locals[0].i32, 4u);             // n after three bodies
  EXPECT_EQ(frames[0].locals[1].i32, 7u + 6u + 5u);   // acc
  ASSERT_EQ(frames[0].stack.size(), 1u);              // br_if's condition
  EXPECT_EQ(frames[0].stack[0].i32, 4u);
  EXPECT_EQ(frames[1].func_index, 1u);
  EXPECT_EQ(frames[1].offset, offset_of(m, 1, Op::Call));
  ASSERT_EQ(frames[1].stack.size(), 2u);         // the pending 100 and the argument
  EXPECT_EQ(frames[1].stack[0].i32, 100u);
  EXPECT_EQ(frames[1].stack[1].i32, 7u);
  EXPECT_EQ(frames[1].locals[0].i32, 7u);
  ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Finished);
  EXPECT_EQ(thread.results()[0].i32, 128u);
}

TEST(Interp, HostSuspensionRetriesTheSameCall) {
  Store store;
  int calls = 0;
  Function* slow = store.create_host_function({{ValType::I32}, {ValType::I32}}, [&](HostCall& c) {
        if (++calls < 3) return HostResult::Suspend;
        c.results[0] = i32(c.args[0].i32 * 2);
        return HostResult::Ok;
      }, "env.slow");
  Instance* inst = instantiate(store, R"((module (import "env" "slow" (func $slow (param i32) (result i32)))
      (func (export "f") (param i32) (result i32) (local $keep i32)
        (local.set $keep (i32.const 5))
        (i32.add (local.get $keep) (call $slow (local.get 0))))))",
      {Extern{ExternKind::Func, slow}});
  ASSERT_TRUE(inst);
  Thread thread(store);
  ASSERT_TRUE(thread.start(export_func(inst, "f"), {i32(21)}));
  EXPECT_EQ(thread.run(UINT64_MAX), RunStatus::Suspended);
  std::vector<FrameInfo> frames = thread.frames();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].func, slow);
  EXPECT_EQ(frames[1].func_index, 1u);
  EXPECT_EQ(frames[1].locals[1].i32, 5u);
  EXPECT_EQ(thread.run(UINT64_MAX), RunStatus::Suspended);
  EXPECT_EQ(thread.run(UINT64_MAX), RunStatus::Finished);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(thread.results()[0].i32, 47u);
}

TEST(Interp, RequestStopFromAnotherThreadStopsAnEndlessLoop) {
  Store store;
  Instance* inst = instantiate(store, R"((module (func (export "spin") (loop $l (br $l)))))");
  ASSERT_TRUE(inst);
  Thread thread(store);
  ASSERT_TRUE(thread.start(export_func(inst, "spin"), {}));
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    thread.request_stop();
  });
  EXPECT_EQ(thread.run(UINT64_MAX), RunStatus::OutOfBudget);
  stopper.join();
  EXPECT_GT(thread.budget_used(), 0u);
  ASSERT_EQ(thread.frames().size(), 1u);
  // A request made while the thread is paused stops the next run at once.
  thread.request_stop();
  EXPECT_EQ(thread.run(UINT64_MAX), RunStatus::OutOfBudget);
  EXPECT_EQ(thread.budget_used(), 0u);
  EXPECT_EQ(thread.run(1000), RunStatus::OutOfBudget);
  EXPECT_EQ(thread.budget_used(), 1000u);
}

TEST(Interp, CallDepthLimitTrapsCleanly) {
  ExecLimits limits;
  limits.max_call_depth = 1000;
  Store store(limits);
  Instance* inst = instantiate(store, R"((module
      (func $r (export "r") (param i32) (result i32) (call $r (i32.add (local.get 0) (i32.const 1))))))");
  ASSERT_TRUE(inst);
  Trap trap;
  ASSERT_EQ(invoke(store, export_func(inst, "r"), {i32(0)}, nullptr, &trap), RunStatus::Trapped);
  EXPECT_EQ(trap.message, "call stack exhausted");
  ASSERT_FALSE(trap.frames.empty());
  EXPECT_LE(trap.frames.size(), 1000u);
  EXPECT_EQ(trap.frames[0].locals[0].i32, 999u);  // the deepest frame that fit
  EXPECT_EQ(trap.frames[1].locals[0].i32, 998u);
}

TEST(Interp, ValueStackLimitTrapsBeforeTheCallDepthLimit) {
  ExecLimits limits;
  limits.max_stack_bytes = 64 * 1024;
  Store store(limits);
  // 100 locals: a little over 800 bytes per frame, so about 75 frames fit.
  std::string locals;
  for (int i = 0; i < 100; ++i) locals += " i64";
  Instance* inst = instantiate(store, "(module (func $r (export \"r\") (param i32) (result i32) (local" + locals +
                                          ") (call $r (i32.add (local.get 0) (i32.const 1)))))");
  ASSERT_TRUE(inst);
  Trap trap;
  ASSERT_EQ(invoke(store, export_func(inst, "r"), {i32(0)}, nullptr, &trap), RunStatus::Trapped);
  EXPECT_EQ(trap.message, "call stack exhausted");
  const uint32_t depth = trap.frames[0].locals[0].i32 + 1;
  EXPECT_GT(depth, 50u);
  EXPECT_LT(depth, 100u);
}

TEST(Interp, TrapBacktraceNamesTheFaultingInstructionAndItsOperands) {
  Store store;
  Instance* inst = instantiate(store, R"((module
      (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "f") (param i32) (result i32)
        (i32.add (i32.const 1) (call $div (i32.const 10) (local.get 0))))))");
  ASSERT_TRUE(inst);
  const Module& m = *inst->module;
  Trap trap;
  ASSERT_EQ(invoke(store, export_func(inst, "f"), {i32(0)}, nullptr, &trap), RunStatus::Trapped);
  EXPECT_EQ(trap.message, "integer divide by zero");
  ASSERT_EQ(trap.frames.size(), 2u);
  EXPECT_EQ(trap.frames[0].func_index, 0u);
  EXPECT_EQ(trap.frames[0].offset, offset_of(m, 0, Op::I32DivS));
  ASSERT_EQ(trap.frames[0].stack.size(), 2u);
  EXPECT_EQ(trap.frames[0].stack[0].i32, 10u);
  EXPECT_EQ(trap.frames[0].stack[1].i32, 0u);
  EXPECT_EQ(trap.frames[1].func_index, 1u);
  EXPECT_EQ(trap.frames[1].offset, offset_of(m, 1, Op::Call));
  ASSERT_EQ(trap.frames[1].stack.size(), 3u);
  EXPECT_EQ(trap.frames[1].stack[0].i32, 1u);
}

TEST(Interp, FusedAddressArithmeticStillShowsTheAddressOnATrap) {
  Store store;
  Instance* inst = instantiate(store, R"((module (memory 1)
      (func (export "f") (param i32) (result i32)
        (i32.load offset=4 (i32.add (local.get 0) (i32.const 16))))))");
  ASSERT_TRUE(inst);
  std::vector<Value> r;
  ASSERT_EQ(invoke(store, export_func(inst, "f"), {i32(65512)}, &r, nullptr), RunStatus::Finished);
  Trap trap;
  ASSERT_EQ(invoke(store, export_func(inst, "f"), {i32(65513)}, nullptr, &trap), RunStatus::Trapped);
  EXPECT_EQ(trap.message, "out of bounds memory access");
  ASSERT_EQ(trap.frames.size(), 1u);
  EXPECT_EQ(trap.frames[0].offset, offset_of(*inst->module, 0, Op::I32Load));
  ASSERT_EQ(trap.frames[0].stack.size(), 1u);
  EXPECT_EQ(trap.frames[0].stack[0].i32, 65513u + 16u);
  // The add wraps at 32 bits before the offset is added.
  ASSERT_EQ(invoke(store, export_func(inst, "f"), {i32(0xFFFFFFF0u)}, &r, nullptr), RunStatus::Finished);
}

TEST(Interp, FusedStoresShowTheAddressAndValueOnATrap) {
  // The address x + y folds into the store, and so does a mul computing the
  // stored value; both still leave the store's operands in their slots.
  Store store;
  Instance* inst = instantiate(store, R"((module (memory 1)
      (func (export "add_address") (param i32 i32)
        (i32.store8 offset=1 (i32.add (local.get 0) (local.get 1)) (i32.const 9)))
      (func (export "mul_value") (param i32 f64)
        (f64.store (local.get 0) (f64.mul (local.get 1) (f64.const 2))))
      (func (export "get") (param i32) (result i64) (i64.load (local.get 0)))
      (func (export "getf") (param i32) (result f64) (f64.load (local.get 0)))))");
  ASSERT_TRUE(inst);
  const Module& m = *inst->module;
  for (bool fuse : {true, false}) {
    recompile(inst, fuse);
    std::vector<Value> r;
    ASSERT_EQ(invoke(store, export_func(inst, "add_address"), {i32(3), i32(4)}, nullptr, nullptr),
              RunStatus::Finished);
    ASSERT_EQ(invoke(store, export_func(inst, "mul_value"), {i32(16), Value::make_f64(1.5)}, nullptr, nullptr),
              RunStatus::Finished);
    ASSERT_EQ(invoke(store, export_func(inst, "get"), {i32(8)}, &r, nullptr), RunStatus::Finished);
    EXPECT_EQ(r[0].i64, 9u) << "fuse = " << fuse;
    ASSERT_EQ(invoke(store, export_func(inst, "getf"), {i32(16)}, &r, nullptr), RunStatus::Finished);
    EXPECT_EQ(r[0].f64, 3.0) << "fuse = " << fuse;

    Trap trap;
    ASSERT_EQ(invoke(store, export_func(inst, "add_address"), {i32(65530), i32(5)}, nullptr, &trap),
              RunStatus::Trapped);
    EXPECT_EQ(trap.message, "out of bounds memory access");
    ASSERT_EQ(trap.frames.size(), 1u);
    EXPECT_EQ(trap.frames[0].offset, offset_of(m, 0, Op::I32Store8));
    ASSERT_EQ(trap.frames[0].stack.size(), 2u);
    EXPECT_EQ(trap.frames[0].stack[0].i32, 65535u);
    EXPECT_EQ(trap.frames[0].stack[1].i32, 9u);

    ASSERT_EQ(invoke(store, export_func(inst, "mul_value"), {i32(65530), Value::make_f64(2.5)}, nullptr, &trap),
              RunStatus::Trapped);
    EXPECT_EQ(trap.frames[0].offset, offset_of(m, 1, Op::F64Store));
    ASSERT_EQ(trap.frames[0].stack.size(), 2u);
    EXPECT_EQ(trap.frames[0].stack[0].i32, 65530u);
    EXPECT_EQ(trap.frames[0].stack[1].f64, 5.0);
  }
}

TEST(Interp, FusedArrayIndexingStillShowsTheAddressOnATrap) {
  // a + (i << 2) folds into the load; the address stays in its slot.
  Store store;
  Instance* inst = instantiate(store, R"((module (memory 1) (data (i32.const 20) "\2a")
      (func (export "f") (param i32 i32) (result i32)
        (i32.load offset=4 (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2)))))))");
  ASSERT_TRUE(inst);
  for (bool fuse : {true, false}) {
    recompile(inst, fuse);
    std::vector<Value> r;
    ASSERT_EQ(invoke(store, export_func(inst, "f"), {i32(8), i32(2)}, &r, nullptr), RunStatus::Finished);
    EXPECT_EQ(r[0].i32, 42u) << "fuse = " << fuse;
    Trap trap;
    ASSERT_EQ(invoke(store, export_func(inst, "f"), {i32(65000), i32(200)}, nullptr, &trap), RunStatus::Trapped);
    ASSERT_EQ(trap.frames.size(), 1u);
    EXPECT_EQ(trap.frames[0].offset, offset_of(*inst->module, 0, Op::I32Load));
    ASSERT_EQ(trap.frames[0].stack.size(), 1u);
    EXPECT_EQ(trap.frames[0].stack[0].i32, 65800u) << "fuse = " << fuse;
  }
}

TEST(Interp, FusedStoreOfAConstantKeepsTheAddressOperands) {
  // The add's right operand is computed into the slot the constant value
  // would be written to: the store must still see the right address.
  Store store;
  Instance* inst = instantiate(store, R"((module (memory 1) (data (i32.const 0) "\05")
      (func (export "f") (param i32)
        (i32.store8 (i32.add (local.get 0) (i32.load8_u (i32.const 0))) (i32.const 7)))
      (func (export "get") (param i32) (result i32) (i32.load8_u (local.get 0)))))");
  ASSERT_TRUE(inst);
  for (bool fuse : {true, false}) {
    recompile(inst, fuse);
    std::vector<Value> r;
    ASSERT_EQ(invoke(store, export_func(inst, "f"), {i32(10 + fuse)}, nullptr, nullptr), RunStatus::Finished);
    ASSERT_EQ(invoke(store, export_func(inst, "get"), {i32(15 + fuse)}, &r, nullptr), RunStatus::Finished);
    EXPECT_EQ(r[0].i32, 7u) << "fuse = " << fuse;
  }
}

TEST(Interp, FusionOnlyFoldsTheInstructionJustEmitted) {
  // The shl is followed by a load: the add must add the loaded value, not
  // fold the earlier shl into itself.
  Store store;
  Instance* inst = instantiate(store, R"((module (memory 1) (data (i32.const 8) "\07")
      (func (export "f") (param i32 i32) (result i32)
        (i32.add (local.get 1) (i32.load8_u (i32.shl (local.get 0) (i32.const 2)))))))");
  ASSERT_TRUE(inst);
  for (bool fuse : {true, false}) {
    recompile(inst, fuse);
    std::vector<Value> r;
    ASSERT_EQ(invoke(store, export_func(inst, "f"), {i32(2), i32(100)}, &r, nullptr), RunStatus::Finished);
    EXPECT_EQ(r[0].i32, 107u) << "fuse = " << fuse;
  }
}

TEST(Interp, BreakpointStopsAtThePatchedInstructionAndResumes) {
  Store store;
  Instance* inst = instantiate(store, kSumLoop);
  ASSERT_TRUE(inst);
  const Module& m = *inst->module;
  CompiledFunction* inner = state_of(inst->funcs[0])->compiled;
  const uint32_t sub = offset_of(m, 0, Op::I32Sub);
  const uint32_t at = code_index_at_offset(*inner, sub);
  ASSERT_TRUE(set_breakpoint(inner, at));
  Thread thread(store);
  ASSERT_TRUE(thread.start(export_func(inst, "outer"), {i32(3)}));
  for (uint32_t n = 3; n >= 2; --n) {
    ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Breakpoint);
    std::vector<FrameInfo> frames = thread.frames();
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(frames[0].offset, sub);
    ASSERT_EQ(frames[0].stack.size(), 2u);  // i32.sub's operands
    EXPECT_EQ(frames[0].stack[0].i32, n);
    EXPECT_EQ(frames[0].stack[1].i32, 1u);
  }
  ASSERT_TRUE(clear_breakpoint(inner, at));
  ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Finished);
  EXPECT_EQ(thread.results()[0].i32, 106u);
}

TEST(Interp, UnfusedCodeStopsBeforeEveryInstruction) {
  Store store;
  Instance* inst = instantiate(store, kSumLoop);
  ASSERT_TRUE(inst);
  recompile(inst, false);
  const Module& m = *inst->module;
  const FuncBody& body = m.funcs[0];
  const CompiledFunction& inner = *state_of(inst->funcs[0])->compiled;
  CodeReader reader(m.binary.data(), body.code_offset, body.code_end);
  Instr in;
  while (!reader.at_end() && reader.next(&in)) {
    if (in.op == Op::End && reader.at_end()) break;
    EXPECT_NE(code_index_at_offset(inner, in.offset), UINT32_MAX) << op_info(in.op).name;
    const uint32_t index = code_index_at_offset(inner, in.offset);
    EXPECT_EQ(inner.position_at(index)->offset, in.offset) << op_info(in.op).name;
  }
}

constexpr const char* kMixed = R"((module
  (memory 1)
  (table funcref (elem $fib $collatz $switch))
  (type $unary (func (param i32) (result i32)))
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $collatz (param $n i32) (result i32) (local $steps i32)
    (block $done
      (loop $l
        (br_if $done (i32.le_u (local.get $n) (i32.const 1)))
        (local.set $n (select (i32.add (i32.mul (local.get $n) (i32.const 3)) (i32.const 1))
                              (i32.shr_u (local.get $n) (i32.const 1))
                              (i32.and (local.get $n) (i32.const 1))))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (br $l)))
    (local.get $steps))
  (func $switch (param i32) (result i32)
    (block $c (block $b (block $a
      (br_table $a $b $c (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 20)))
    (i32.const 30))
  (func $memory (param $n i32) (result i32) (local $i i32) (local $sum i64)
    (loop $fill
      (i64.store (i32.shl (local.get $i) (i32.const 3)) (i64.mul (i64.extend_i32_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))) (i64.const 3)))
      (br_if $fill (i32.lt_s (local.get $i) (local.get $n))))
    (local.set $i (i32.const 0))
    (loop $read
      (local.set $sum (i64.add (local.get $sum) (i64.load (i32.shl (local.get $i) (i32.const 3)))))
      (br_if $read (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.wrap_i64 (local.get $sum)))
  (func (export "run") (param i32) (result i32)
    (i32.add
      (i32.add (call_indirect (type $unary) (local.get 0) (i32.const 0))
               (call_indirect (type $unary) (i32.add (local.get 0) (i32.const 7)) (i32.const 1)))
      (i32.add (call_indirect (type $unary) (i32.rem_u (local.get 0) (i32.const 4)) (i32.const 2))
               (call $memory (i32.add (local.get 0) (i32.const 1))))))))";

TEST(Interp, FusedAndUnfusedCodeGiveIdenticalResults) {
  Store store;
  Instance* inst = instantiate(store, kMixed);
  ASSERT_TRUE(inst);
  std::vector<uint32_t> fused;
  for (uint32_t x = 0; x < 20; ++x) {
    std::vector<Value> r;
    ASSERT_EQ(invoke(store, export_func(inst, "run"), {i32(x)}, &r, nullptr), RunStatus::Finished);
    fused.push_back(r[0].i32);
  }
  recompile(inst, false);
  for (uint32_t x = 0; x < 20; ++x) {
    std::vector<Value> r;
    ASSERT_EQ(invoke(store, export_func(inst, "run"), {i32(x)}, &r, nullptr), RunStatus::Finished);
    EXPECT_EQ(r[0].i32, fused[x]) << "x = " << x;
  }
  // Spot-check one value by hand: fib(3) + collatz(10) + switch(3) + memory(4).
  EXPECT_EQ(fused[3], 2u + 6u + 30u + 3u * (1 + 2 + 3 + 4));
}


// One function per fused form of the compiler, each run fused and unfused
// (with small budgets too: resuming must not redo a fused handler's work).
constexpr const char* kFusedForms = R"((module (memory 1)
  (data (i32.const 60000) "\01\00\00\00\00\00\00\00\00\00\00\00\05")
  (global $sp (mut i32) (i32.const 4096))
  (func (export "tee_address") (param i32) (result i32) (local $p i32)
    (i32.add (i32.load (local.tee $p (i32.add (local.get 0) (i32.const 4)))) (local.get $p)))
  (func (export "tee_value") (param i32 i32) (result i32) (local $v i32)
    (i32.store (local.get 0) (local.tee $v (i32.mul (local.get 1) (i32.const 3))))
    (i32.add (i32.load (local.get 0)) (local.get $v)))
  (func (export "and_tests") (param i32) (result i32) (local $r i32)
    (block $a (br_if $a (i32.and (local.get 0) (i32.const 1)))
      (local.set $r (i32.const 10)))
    (block $b (br_if $b (i32.eqz (i32.and (local.get 0) (i32.const 2))))
      (local.set $r (i32.add (local.get $r) (i32.const 100))))
    (if (i32.and (local.get 0) (i32.const 4))
      (then (local.set $r (i32.add (local.get $r) (i32.const 1000)))))
    (if (i32.eqz (i32.and (local.get 0) (i32.const 8)))
      (then (local.set $r (i32.add (local.get $r) (i32.const 10000)))))
    (loop $l
      (local.set 0 (i32.shr_u (local.get 0) (i32.const 1)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $l (i32.and (local.get 0) (i32.const 16))))
    (local.get $r))
  (func (export "moves") (param i32) (result i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local.set $a (i32.const 3))
    (local.set $b (local.get 0))
    (local.set $c (i32.const 5))
    (local.set $d (local.get $b))
    (local.set $a (local.get $b))
    (local.set $b (local.get $a))
    (local.set $c (local.get $d))
    (local.set $d (i32.const 7))
    (local.set $a (local.get $c))
    (local.set $b (i32.const 11))
    (i32.add (i32.mul (local.get $a) (i32.const 1000))
             (i32.add (i32.mul (local.get $b) (i32.const 100)) (i32.add (local.get $c) (local.get $d)))))
  (func $frame (param i32) (result i32) (local $fp i32)
    (global.set $sp (local.tee $fp (i32.sub (global.get $sp) (i32.const 16))))
    (i32.store (local.get $fp) (local.get 0))
    (local.set 0 (i32.add (i32.load (local.get $fp)) (global.get $sp)))
    (global.set $sp (i32.add (local.get $fp) (i32.const 16)))
    (local.get 0))
  (func (export "stack_pointer") (param i32) (result i32)
    (i32.add (call $frame (local.get 0)) (global.get $sp)))
  (func (export "increments") (param i32) (result i32) (local $t i32)
    (i32.store (local.get 0) (i32.const 5))
    (i32.store (local.get 0) (i32.add (i32.load (local.get 0)) (i32.const 1)))
    (i32.store (local.get 0) (local.tee $t (i32.add (i32.load (local.get 0)) (i32.const -7))))
    (i32.add (local.get $t) (i32.mul (i32.load (local.get 0)) (i32.const 100))))
  (func (export "store_constants") (param i32) (result i64)
    (i32.store8 (local.get 0) (i32.const 300))
    (i32.store16 offset=1 (local.get 0) (i32.const 0x1234))
    (f32.store offset=4 (local.get 0) (f32.const 1.5))
    (i64.add (i64.load (local.get 0)) (i64.load8_u (local.get 0))))
  (func (export "dispatch") (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (i32.add (i32.and (local.get 0) (i32.const 255)) (i32.const -1))))
      (return (i32.const 10)))
      (block $y (block $x (br_table $x $y (i32.and (local.get 0) (i32.const 0x100))))
        (return (i32.const 20)))
      (return (i32.const 21)))
      (block $z (br_table $z $z (i32.add (local.get 0) (i32.const 5))))
      (return (i32.const 30)))
    (i32.const 40))
  (func (export "counters") (param $n i32) (result i32) (local $i i32) (local $j i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $j (i32.sub (local.get $i) (i32.const 3)))
      (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (if (local.tee $j (i32.add (local.get $j) (i32.const 3)))
      (then (local.set $i (i32.mul (local.get $i) (i32.const 2)))))
    (i32.add (i32.mul (local.get $i) (i32.const 1000)) (local.get $j)))
  (func (export "rmw_at") (param i32)
    (i32.store (local.get 0) (i32.add (i32.load (local.get 0)) (i32.const 1))))
  (func (export "decref") (param $n i32) (result i32) (local $p i32) (local $t i32) (local $r i32)
    (local.set $p (i32.const 512))
    (i32.store (local.get $p) (local.get $n))
    (block $live
      (i32.store (local.get $p) (local.tee $t (i32.add (i32.load (local.get $p)) (i32.const -1))))
      (br_if $live (local.get $t))
      (local.set $r (i32.const 100)))
    (i32.store (local.get $p) (local.tee $t (i32.add (i32.load (local.get $p)) (i32.const -1))))
    (if (local.get $t) (then (local.set $r (i32.add (local.get $r) (i32.const 7)))))
    (i32.add (local.get $r) (i32.load (local.get $p))))
  (func (export "constant_operands") (param $x i32) (result i32)
    (i32.add
      (i32.add (select (i32.const 5) (i32.const 9) (local.get $x))
               (select (i32.const 100) (local.get $x) (i32.and (local.get $x) (i32.const 1))))
      (i32.add (select (local.get $x) (i32.const 1000) (i32.and (local.get $x) (i32.const 2)))
               (i32.add (i32.sub (i32.const 77) (local.get $x))
                        (i32.shl (i32.const 3) (local.get $x))))))
  (func (export "load_tests") (param $p i32) (result i32) (local $r i32)
    (if (i32.eqz (i32.load (local.get $p))) (then (local.set $r (i32.const 1))))
    (if (i32.load offset=4 (i32.add (local.get $p) (i32.const 8)))
      (then (local.set $r (i32.add (local.get $r) (i32.const 2)))))
    (block $b
      (br_if $b (i32.load offset=4 (i32.add (local.get $p) (i32.const 8))))
      (local.set $r (i32.add (local.get $r) (i32.const 4))))
    (block $c
      (br_if $c (i32.eqz (i32.load (local.get $p))))
      (local.set $r (i32.add (local.get $r) (i32.const 8))))
    (local.get $r))))";

// True if some position of function `funcidx` starts with handler `h`.
// True if the compiler emitted `h` (maybe paired) in the function.
bool has_handler(Instance* inst, uint32_t funcidx, Handler h) {
  const CompiledFunction& cf = *state_of(inst)->compiled[funcidx];
  for (const auto& p : cf.positions)
    if (unpaired(cf.code[p.code_index].h) == h) return true;
  return false;
}

TEST(Interp, FusedFormsGiveTheUnfusedResults) {
  const std::vector<std::pair<const char*, std::vector<Value>>> calls = {
      {"tee_address", {i32(100)}},   {"tee_value", {i32(64), i32(7)}},
      {"and_tests", {i32(0)}},       {"and_tests", {i32(0x3F)}},
      {"and_tests", {i32(0x15)}},    {"and_tests", {i32(0x2A)}},
      {"moves", {i32(9)}},           {"stack_pointer", {i32(5)}},
      {"increments", {i32(200)}},    {"store_constants", {i32(300)}},
      {"dispatch", {i32(1)}},        {"dispatch", {i32(0x203)}},
      {"dispatch", {i32(0x100)}},    {"dispatch", {i32(0)}},
      {"dispatch", {i32(0x301)}},    {"dispatch", {i32(0xFFFFFFFB)}},
      {"counters", {i32(5)}},        {"counters", {i32(1)}},
      {"decref", {i32(2)}},          {"decref", {i32(1)}},
      {"constant_operands", {i32(0)}}, {"constant_operands", {i32(3)}},
      {"constant_operands", {i32(34)}},
      {"load_tests", {i32(60000)}},  {"load_tests", {i32(60016)}},
  };
  std::vector<Value> expected;
  for (bool fuse : {false, true}) {
    for (uint64_t budget : {UINT64_MAX, uint64_t(1)}) {
      Store store;
      Instance* inst = instantiate(store, kFusedForms);
      ASSERT_TRUE(inst);
      recompile(inst, fuse);
      const OpHandlers& hs = op_handlers();
      const std::vector<std::pair<uint32_t, Handler>> forms = {
          {0, hs.add_imm_address[size_t(Op::I32Load)]}, {1, hs.store_result_imm[size_t(Op::I32Mul)]},
          {2, h::i32_and_nz_br}, {2, h::i32_and_z_br}, {2, h::i32_and_nz_br_back},
          {3, h::moves}, {3, h::copy_constant}, {4, h::global_i32_add_imm_set},
          {4, h::i32_add_imm_global_set}, {6, h::i32_load_add_imm_store},
          {7, hs.store_value_imm[size_t(Op::I32Store8)]}, {8, h::br_table_masked},
          {9, h::i32_add_imm2}, {9, h::i32_add_imm_nz_br_back}, {9, h::i32_add_imm_z_br},
          {11, h::i32_load_add_imm_store_nz_br}, {11, h::i32_load_add_imm_store_z_br},
          {12, h::select_imm_imm}, {12, h::select_imm_slot}, {12, h::select_slot_imm},
          {12, h::i32_imm_sub}, {12, h::i32_imm_shl},
          {13, h::i32_load_z_br}, {13, h::i32_load_nz_br}, {13, h::i32_load_add_z_br},
          {13, h::i32_load_add_nz_br}};
      for (const auto& [func, handler] : forms)
        EXPECT_EQ(has_handler(inst, func, handler), fuse) << "func " << func;
      for (size_t i = 0; i < calls.size(); ++i) {
        Thread thread(store);
        ASSERT_TRUE(thread.start(export_func(inst, calls[i].first), calls[i].second));
        RunStatus s;
        while ((s = thread.run(budget)) == RunStatus::OutOfBudget) {
        }
        ASSERT_EQ(s, RunStatus::Finished) << calls[i].first;
        const Value r = thread.results()[0];
        if (expected.size() <= i) expected.push_back(r);
        EXPECT_EQ(r.i64, expected[i].i64)
            << calls[i].first << " #" << i << " fuse = " << fuse << " budget = " << budget;
      }
    }
  }
  // Spot checks by hand.
  EXPECT_EQ(expected[6].i32, 9u * 1000 + 11u * 100 + 9u + 7u);  // moves run in order
  EXPECT_EQ(expected[7].i32, 5u + 4080u + 4096u);                  // sp restored after the call
  EXPECT_EQ(expected[8].i32, uint32_t(-1) + uint32_t(-100));       // 5 + 1 - 7 = -1
  EXPECT_EQ(expected[11].i32, 30u);  // (0x203 & 255) - 1 = 2
  EXPECT_EQ(expected[16].i32, 10000u + 5u);
  EXPECT_EQ(expected[18].i32, 0u);
  EXPECT_EQ(expected[19].i32, 106u);
  EXPECT_EQ(expected[20].i32, 9u + 0u + 1000u + 77u + 3u);
  EXPECT_EQ(expected[21].i32, 5u + 100u + 3u + 74u + 24u);
  EXPECT_EQ(expected[22].i32, 5u + 34u + 34u + 43u + 12u);  // shift count 34 & 31
  EXPECT_EQ(expected[23].i32, 2u + 8u);
  EXPECT_EQ(expected[24].i32, 1u + 4u);
}

TEST(Interp, ALoadFusedWithItsBranchTrapsAsTheLoad) {
  for (bool fuse : {true, false}) {
    Store store;
    Instance* inst = instantiate(store, kFusedForms);
    ASSERT_TRUE(inst);
    const Module& m = *inst->module;
    recompile(inst, fuse);
    // [address, expected offset, address on the stack]: the plain load, and
    // the one whose address is an i32.add K (the sum is on the stack).
    for (const auto& [p, nth, address] : {std::make_tuple(65534u, 0, 65534u), std::make_tuple(65530u, 1, 65538u)}) {
      Trap trap;
      ASSERT_EQ(invoke(store, export_func(inst, "load_tests"), {i32(p)}, nullptr, &trap), RunStatus::Trapped);
      EXPECT_EQ(trap.message, "out of bounds memory access");
      ASSERT_EQ(trap.frames.size(), 1u);
      EXPECT_EQ(trap.frames[0].offset, offset_of(m, 13, Op::I32Load, nth)) << "fuse = " << fuse;
      ASSERT_EQ(trap.frames[0].stack.size(), 1u);
      EXPECT_EQ(trap.frames[0].stack[0].i32, address) << "fuse = " << fuse;
    }
  }
}

// Two i32 loads/stores in a row run as one handler written over the first
// one's word; the second keeps its own word and position.
constexpr const char* kAccessPairs = R"((module (memory 1)
  (func (export "copy") (param $d i32) (param $s i32) (result i32)
    (i32.store (local.get $d) (i32.load (local.get $s)))
    (i32.store offset=4 (local.get $d) (i32.const 65535))
    (i32.load (i32.load offset=8 (i32.add (local.get $s) (i32.const 4)))))))";

TEST(Interp, PairedAccessesTrapAndStopAtTheSecondAsUnfused) {
  for (bool fuse : {true, false}) {
    Store store;
    Instance* inst = instantiate(store, kAccessPairs);
    ASSERT_TRUE(inst);
    const Module& m = *inst->module;
    recompile(inst, fuse);
    CompiledFunction* cf = state_of(inst->funcs[0])->compiled;
    auto at = [&](Op op, int nth) { return code_index_at_offset(*cf, offset_of(m, 0, op, nth)); };
    const OpHandlers& hs = op_handlers();
    // load + store and load (i32.add K address) + load are pairs; each
    // second keeps its handler.
    const Handler first = cf->code[at(Op::I32Load, 0)].h, inner = cf->code[at(Op::I32Load, 1)].h;
    EXPECT_EQ(first == hs.plain[size_t(Op::I32Load)], !fuse);
    EXPECT_EQ(inner == hs.plain[size_t(Op::I32Load)] || inner == hs.add_imm_address[size_t(Op::I32Load)], !fuse);
    EXPECT_EQ(cf->code[at(Op::I32Store, 0)].h, hs.plain[size_t(Op::I32Store)]);
    EXPECT_EQ(cf->code[at(Op::I32Load, 2)].h, hs.plain[size_t(Op::I32Load)]);
    std::vector<Value> r;
    ASSERT_EQ(invoke(store, export_func(inst, "copy"), {i32(100), i32(200)}, &r, nullptr), RunStatus::Finished);
    EXPECT_EQ(r[0].i32, 0u);
    // Each second access traps at itself, with its own stack.
    Trap trap;
    ASSERT_EQ(invoke(store, export_func(inst, "copy"), {i32(65534), i32(200)}, nullptr, &trap), RunStatus::Trapped);
    ASSERT_EQ(trap.frames.size(), 1u);
    EXPECT_EQ(trap.frames[0].offset, offset_of(m, 0, Op::I32Store)) << "fuse = " << fuse;
    ASSERT_EQ(trap.frames[0].stack.size(), 2u);
    EXPECT_EQ(trap.frames[0].stack[0].i32, 65534u);
    ASSERT_EQ(invoke(store, export_func(inst, "copy"), {i32(208), i32(200)}, nullptr, &trap), RunStatus::Trapped);
    ASSERT_EQ(trap.frames.size(), 1u);
    EXPECT_EQ(trap.frames[0].offset, offset_of(m, 0, Op::I32Load, 2)) << "fuse = " << fuse;
    ASSERT_EQ(trap.frames[0].stack.size(), 1u);
    EXPECT_EQ(trap.frames[0].stack[0].i32, 65535u);
    // A breakpoint on the second of a pair stops there; resuming runs it.
    const uint32_t second = at(Op::I32Store, 0);
    ASSERT_TRUE(set_breakpoint(cf, second));
    Thread thread(store);
    ASSERT_TRUE(thread.start(export_func(inst, "copy"), {i32(100), i32(300)}));
    ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Breakpoint);
    std::vector<FrameInfo> frames = thread.frames();
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0].offset, offset_of(m, 0, Op::I32Store)) << "fuse = " << fuse;
    ASSERT_TRUE(clear_breakpoint(cf, second));
    ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Finished);
    EXPECT_EQ(thread.results()[0].i32, 0u);
  }
}

TEST(Interp, ABreakpointOnASelectOfConstantsShowsThemOnTheStack) {
  Store store;
  Instance* inst = instantiate(store, kFusedForms);
  ASSERT_TRUE(inst);
  const Module& m = *inst->module;
  CompiledFunction* cf = state_of(inst->funcs[12])->compiled;
  ASSERT_TRUE(cf->fused);
  const uint32_t select = offset_of(m, 12, Op::Select);
  const uint32_t at = code_index_at_offset(*cf, select);
  ASSERT_EQ(cf->code[at].h, h::select_imm_imm);
  ASSERT_TRUE(set_breakpoint(cf, at));
  Thread thread(store);
  ASSERT_TRUE(thread.start(export_func(inst, "constant_operands"), {i32(3)}));
  ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Breakpoint);
  std::vector<FrameInfo> frames = thread.frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].offset, select);
  ASSERT_EQ(frames[0].stack.size(), 3u);
  EXPECT_EQ(frames[0].stack[0].i32, 5u);
  EXPECT_EQ(frames[0].stack[1].i32, 9u);
  EXPECT_EQ(frames[0].stack[2].i32, 3u);
  ASSERT_TRUE(clear_breakpoint(cf, at));
  ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Finished);
  EXPECT_EQ(thread.results()[0].i32, 206u);
}

TEST(Interp, FusedStoreOfAConstantAndLoadAddStoreShowTheUnfusedStackOnATrap) {
  Store store;
  Instance* inst = instantiate(store, kFusedForms);
  ASSERT_TRUE(inst);
  const Module& m = *inst->module;
  for (bool fuse : {true, false}) {
    recompile(inst, fuse);
    // The constant stored needs no slot, but the trap still shows it.
    Trap trap;
    ASSERT_EQ(invoke(store, export_func(inst, "increments"), {i32(65534)}, nullptr, &trap), RunStatus::Trapped);
    ASSERT_EQ(trap.frames.size(), 1u);
    EXPECT_EQ(trap.frames[0].offset, offset_of(m, 6, Op::I32Store)) << "fuse = " << fuse;
    ASSERT_EQ(trap.frames[0].stack.size(), 2u);
    EXPECT_EQ(trap.frames[0].stack[0].i32, 65534u);
    EXPECT_EQ(trap.frames[0].stack[1].i32, 5u);
    // load + add K + store back is one handler; its load traps, and the
    // trap is the load's, with the load's stack (both address operands).
    ASSERT_EQ(invoke(store, export_func(inst, "rmw_at"), {i32(65533)}, nullptr, &trap), RunStatus::Trapped);
    ASSERT_EQ(trap.frames.size(), 1u);
    EXPECT_EQ(trap.frames[0].offset, offset_of(m, 10, Op::I32Load)) << "fuse = " << fuse;
    ASSERT_EQ(trap.frames[0].stack.size(), 2u);
    EXPECT_EQ(trap.frames[0].stack[0].i32, 65533u);
    EXPECT_EQ(trap.frames[0].stack[1].i32, 65533u);
  }
}

}  // namespace
}  // namespace ws

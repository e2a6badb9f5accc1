// Calls in fused code: the call zeroes the callee's locals, a local.set of a
// call's result is folded into the call (ret1 writes the local), and a local
// set to zero while it is still zero emits nothing. Each must give the
// unfused results, show the unfused state in frames(), and keep budget stops,
// call-depth traps and moves to debug code working.
#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "vm/code_reader.h"
#include "vm/compiler.h"
#include "vm/handlers.h"
#include "vm/interp.h"
#include "vm/thread_debug.h"

namespace ws {
namespace {

using testing::export_func;
using testing::i32;
using testing::instantiate;

// $g's result goes straight into a local (set and tee); $sum declares more
// locals than one group of four and sets some to zero before its loop.
constexpr const char* kCalls = R"((module
  (func $g (param $x i32) (result i32) (local $t i32)
    (local.set $t (i32.mul (local.get $x) (i32.const 3)))
    (i32.add (local.get $t) (i32.div_u (i32.const 100) (local.get $x))))
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $acc i32) (local $i i32) (local $a i64) (local $b i64) (local $c i32) (local $d i32)
    (local.set $acc (i32.const 0))
    (local.set $i (i32.const 0))
    (local.set $c (i32.wrap_i64 (i64.add (local.get $a) (local.get $b))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $d (call $g (i32.add (local.get $i) (i32.const 1))))
        (local.set $acc (i32.add (local.get $acc)
                                 (i32.add (local.get $d) (local.tee $c (call $g (local.get $d))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i32.add (local.get $acc) (local.get $c)))))";

uint32_t offset_of(const Module& m, uint32_t funcidx, Op op, int nth = 0) {
  const FuncBody& body = m.funcs[funcidx - m.num_imported_funcs];
  CodeReader reader(m.binary.data(), body.code_offset, body.code_end);
  Instr in;
  while (!reader.at_end() && reader.next(&in))
    if (in.op == op && nth-- == 0) return in.offset;
  ADD_FAILURE() << "no " << op_info(op).name << " in func " << funcidx;
  return 0;
}

uint32_t run_sum(Store& store, Instance* inst, uint32_t n, uint64_t budget) {
  Thread thread(store);
  EXPECT_TRUE(thread.start(export_func(inst, "sum"), {i32(n)}));
  RunStatus s;
  while ((s = thread.run(budget)) == RunStatus::OutOfBudget) {}
  EXPECT_EQ(s, RunStatus::Finished);
  return s == RunStatus::Finished ? thread.results()[0].i32 : 0;
}

TEST(CallFusion, FoldedResultsEqualUnfusedOnesAtEveryBudget) {
  Store store;
  Instance* inst = instantiate(store, kCalls);
  ASSERT_TRUE(inst);
  std::vector<uint32_t> fused;
  for (uint32_t n : {0u, 1u, 5u, 40u}) fused.push_back(run_sum(store, inst, n, UINT64_MAX));
  for (auto& cf : state_of(inst)->compiled) ASSERT_TRUE(compile_function(cf.get(), false));
  size_t k = 0;
  for (uint32_t n : {0u, 1u, 5u, 40u}) {
    EXPECT_EQ(run_sum(store, inst, n, UINT64_MAX), fused[k]) << n;
    for (auto& cf : state_of(inst)->compiled) ASSERT_TRUE(compile_function(cf.get(), true));
    EXPECT_EQ(run_sum(store, inst, n, 1), fused[k]) << n;  // a stop at every call and branch
    for (auto& cf : state_of(inst)->compiled) ASSERT_TRUE(compile_function(cf.get(), false));
    ++k;
  }
  // g(x) = 3x + 100/x; sum(1): d = g(1) = 103, c = g(103) = 309; acc = 103 + 309.
  EXPECT_EQ(fused[1], 103u + 309u + 309u);
}

TEST(CallFusion, ATrapInTheCalleeShowsTheFoldedLocalNotYetSet) {
  Store store;
  Instance* inst = instantiate(store, R"((module
      (func $f (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
      (func (export "t") (param i32) (result i32) (local $r i32)
        (local.set $r (i32.const 7))
        (local.set $r (call $f (local.get 0)))
        (local.get $r))))");
  ASSERT_TRUE(inst);
  const Module& m = *inst->module;
  std::vector<Value> r;
  ASSERT_EQ(invoke(store, export_func(inst, "t"), {i32(1)}, &r, nullptr), RunStatus::Finished);
  EXPECT_EQ(r[0].i32, 1u);
  Trap trap;
  ASSERT_EQ(invoke(store, export_func(inst, "t"), {i32(0)}, nullptr, &trap), RunStatus::Trapped);
  EXPECT_EQ(trap.message, "integer divide by zero");
  ASSERT_EQ(trap.frames.size(), 2u);
  EXPECT_EQ(trap.frames[1].offset, offset_of(m, 1, Op::Call));
  EXPECT_EQ(trap.frames[1].locals[1].i32, 7u);
  ASSERT_EQ(trap.frames[1].stack.size(), 1u);  // the call's argument
  EXPECT_EQ(trap.frames[1].stack[0].i32, 0u);
}

TEST(CallFusion, AStopInTheCalleeShowsFreshLocalsZeroAndTheCallersArgument) {
  Store store;
  Instance* inst = instantiate(store, kCalls);
  ASSERT_TRUE(inst);
  const Module& m = *inst->module;
  CompiledFunction* g = state_of(inst->funcs[0])->compiled;
  const uint32_t div = offset_of(m, 0, Op::I32DivU);
  ASSERT_TRUE(set_breakpoint(g, code_index_at_offset(*g, div)));
  Thread thread(store);
  ASSERT_TRUE(thread.start(export_func(inst, "sum"), {i32(1)}));
  ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Breakpoint);
  std::vector<FrameInfo> frames = thread.frames();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].locals[0].i32, 1u);  // x
  EXPECT_EQ(frames[0].locals[1].i32, 3u);  // t
  EXPECT_EQ(frames[1].offset, offset_of(m, 1, Op::Call));
  ASSERT_EQ(frames[1].locals.size(), 7u);
  for (size_t i = 1; i < 7; ++i) EXPECT_EQ(frames[1].locals[i].i64, 0u) << "local " << i;  // d not yet set
  ASSERT_EQ(frames[1].stack.size(), 1u);  // the call's argument
  EXPECT_EQ(frames[1].stack[0].i32, 1u);
}

TEST(CallFusion, AFrameInsideAFoldedCallMovesToDebugCode) {
  Store store;
  Instance* inst = instantiate(store, kCalls);
  ASSERT_TRUE(inst);
  const Module& m = *inst->module;
  const uint32_t expected = run_sum(store, inst, 3, UINT64_MAX);
  CompiledFunction* g = state_of(inst->funcs[0])->compiled;
  CompiledFunction* sum = state_of(inst->funcs[1])->compiled;
  const uint32_t at = code_index_at_offset(*g, offset_of(m, 0, Op::I32DivU));
  ASSERT_TRUE(set_breakpoint(g, at));
  Thread thread(store);
  ASSERT_TRUE(thread.start(export_func(inst, "sum"), {i32(3)}));
  ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Breakpoint);
  // sum is inside `call $g` whose result the fused code writes to $d directly.
  ASSERT_TRUE(switch_code(&thread, sum, true));
  ASSERT_TRUE(clear_breakpoint(g, at));
  ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Finished);
  EXPECT_EQ(thread.results()[0].i32, expected);
}

TEST(CallFusion, ZeroingManyLocalsStillHitsTheCallDepthAndStackLimitsCleanly) {
  ExecLimits limits;
  limits.max_stack_bytes = 64 * 1024;
  Store store(limits);
  // 10 declared locals: two groups of four and one more, zeroed by every call.
  Instance* inst = instantiate(store, R"((module
      (func $r (export "r") (param i32) (result i32) (local i64 i64 i64 i64 i64 i64 i64 i64 i32 i32)
        (if (i32.ne (local.get 9) (i32.const 0)) (then unreachable))
        (local.set 9 (i32.const 1))
        (local.set 10 (call $r (i32.add (local.get 0) (i32.const 1))))
        (local.get 10))))");
  ASSERT_TRUE(inst);
  Trap trap;
  ASSERT_EQ(invoke(store, export_func(inst, "r"), {i32(0)}, nullptr, &trap), RunStatus::Trapped);
  EXPECT_EQ(trap.message, "call stack exhausted");
  ASSERT_GE(trap.frames.size(), 2u);
  EXPECT_EQ(trap.frames[0].locals[9].i32, 1u);
  EXPECT_EQ(trap.frames[0].locals[10].i32, 0u);
  EXPECT_EQ(trap.frames[0].locals[8].i64, 0u);
  EXPECT_EQ(trap.frames[1].locals[0].i32 + 1, trap.frames[0].locals[0].i32);
}

// Calls whose argument moves (local.get, constants) fold into the call:
// call_same_moves, call_moves (a callee of another instance, with its own
// memory) and call_indirect_moves (with a constant index in one of them).
constexpr const char* kLib = R"((module (memory 1)
  (func (export "div") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))))";
constexpr const char* kArgMoves = R"((module
  (type $t (func (param i32 i32) (result i32)))
  (import "lib" "div" (func $far_div (param i32 i32) (result i32)))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $sub)
  (func $sub (type $t) (i32.sub (local.get 0) (local.get 1)))
  (func $div (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "direct") (param $a i32) (param $b i32) (result i32)
    (call $div (local.get $a) (local.get $b)))
  (func (export "far") (param $a i32) (param $b i32) (result i32)
    (call $far_div (local.get $a) (local.get $b)))
  (func (export "indirect") (param $a i32) (param $i i32) (result i32)
    (call_indirect (type $t) (local.get $a) (i32.const 7) (local.get $i)))
  (func (export "indirect_const") (param $a i32) (result i32)
    (call_indirect (type $t) (i32.const 50) (local.get $a) (i32.const 0)))))";

Instance* instantiate_arg_moves(Store& store) {
  Instance* lib = instantiate(store, kLib);
  if (!lib) return nullptr;
  return instantiate(store, kArgMoves, {*lib->find_export("div")});
}

Handler handler_at_call(Instance* inst, uint32_t funcidx, Op op) {
  const CompiledFunction& cf = *state_of(inst->funcs[funcidx])->compiled;
  return cf.code[code_index_at_offset(cf, offset_of(*inst->module, funcidx, op))].h;
}

void recompile(Instance* inst, bool fuse) {
  for (auto& cf : state_of(inst)->compiled) ASSERT_TRUE(compile_function(cf.get(), fuse));
}

TEST(CallFusion, FoldedArgumentMovesGiveTheUnfusedResultsAtEveryBudget) {
  const std::vector<std::tuple<const char*, std::vector<Value>, uint32_t>> calls = {
      {"direct", {i32(7), i32(2)}, 3u}, {"far", {i32(9), i32(3)}, 3u},
      {"indirect", {i32(9), i32(0)}, 2u}, {"indirect_const", {i32(8)}, 42u}};
  for (bool fuse : {false, true}) {
    for (uint64_t budget : {UINT64_MAX, uint64_t(1)}) {
      Store store;
      Instance* inst = instantiate_arg_moves(store);
      ASSERT_TRUE(inst);
      recompile(inst, fuse);
      EXPECT_EQ(handler_at_call(inst, 3, Op::Call), fuse ? h::call_same_moves : h::call_same);
      EXPECT_EQ(handler_at_call(inst, 4, Op::Call), fuse ? h::call_moves : h::call);
      EXPECT_EQ(handler_at_call(inst, 5, Op::CallIndirect), fuse ? h::call_indirect_moves : h::call_indirect);
      EXPECT_EQ(handler_at_call(inst, 6, Op::CallIndirect), fuse ? h::call_indirect_moves : h::call_indirect);
      for (const auto& [name, args, expected] : calls) {
        Thread thread(store);
        ASSERT_TRUE(thread.start(export_func(inst, name), args));
        RunStatus s;
        while ((s = thread.run(budget)) == RunStatus::OutOfBudget) {}
        ASSERT_EQ(s, RunStatus::Finished) << name;
        EXPECT_EQ(thread.results()[0].i32, expected) << name << " fuse = " << fuse << " budget = " << budget;
      }
    }
  }
}

TEST(CallFusion, TrapsInAndAfterFoldedArgumentMovesShowTheUnfusedStack) {
  for (bool fuse : {false, true}) {
    Store store;
    Instance* inst = instantiate_arg_moves(store);
    ASSERT_TRUE(inst);
    const Module& m = *inst->module;
    recompile(inst, fuse);
    // In the callee: the caller is at its call, with both arguments on its stack.
    Trap trap;
    ASSERT_EQ(invoke(store, export_func(inst, "direct"), {i32(7), i32(0)}, nullptr, &trap), RunStatus::Trapped);
    EXPECT_EQ(trap.message, "integer divide by zero");
    ASSERT_EQ(trap.frames.size(), 2u);
    EXPECT_EQ(trap.frames[1].offset, offset_of(m, 3, Op::Call)) << "fuse = " << fuse;
    ASSERT_EQ(trap.frames[1].stack.size(), 2u);
    EXPECT_EQ(trap.frames[1].stack[0].i32, 7u);
    EXPECT_EQ(trap.frames[1].stack[1].i32, 0u);
    // In the call_indirect itself, after its moves ran.
    ASSERT_EQ(invoke(store, export_func(inst, "indirect"), {i32(9), i32(1)}, nullptr, &trap), RunStatus::Trapped);
    EXPECT_EQ(trap.message, "uninitialized element 1");
    ASSERT_EQ(trap.frames.size(), 1u);
    EXPECT_EQ(trap.frames[0].offset, offset_of(m, 5, Op::CallIndirect)) << "fuse = " << fuse;
    ASSERT_EQ(trap.frames[0].stack.size(), 3u);
    EXPECT_EQ(trap.frames[0].stack[0].i32, 9u);
    EXPECT_EQ(trap.frames[0].stack[1].i32, 7u);
    EXPECT_EQ(trap.frames[0].stack[2].i32, 1u);
  }
}

TEST(CallFusion, FramesInsideCallsWithFoldedMovesMoveToDebugCode) {
  Store store;
  Instance* inst = instantiate_arg_moves(store);
  ASSERT_TRUE(inst);
  const Module& m = *inst->module;
  // $sub is called by call_indirect_moves, $div by call_same_moves.
  for (const auto& [callee, op, caller, name, args, expected] :
       {std::make_tuple(1u, Op::I32Sub, 5u, "indirect", std::vector<Value>{i32(9), i32(0)}, 2u),
        std::make_tuple(2u, Op::I32DivU, 3u, "direct", std::vector<Value>{i32(9), i32(2)}, 4u)}) {
    CompiledFunction* target = state_of(inst->funcs[callee])->compiled;
    CompiledFunction* from = state_of(inst->funcs[caller])->compiled;
    const uint32_t at = code_index_at_offset(*target, offset_of(m, callee, op));
    ASSERT_TRUE(set_breakpoint(target, at));
    Thread thread(store);
    ASSERT_TRUE(thread.start(export_func(inst, name), args));
    ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Breakpoint);
    ASSERT_TRUE(switch_code(&thread, from, true));
    ASSERT_TRUE(clear_breakpoint(target, at));
    ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Finished) << name;
    EXPECT_EQ(thread.results()[0].i32, expected) << name;
  }
}

}  // namespace
}  // namespace ws

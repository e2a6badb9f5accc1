// Handler pairs (vm/handlers_pairs.inc): two neighbouring handlers run as
// one, written over the first's word, while the second keeps its own word
// and position. Paired code must behave exactly as unpaired code: the same
// results under any budget, branches into the second, traps and stacks at
// either, breakpoints on either.
#include <gtest/gtest.h>

#include <set>

#include "engine_fixture.h"
#include "vm/compiler.h"
#include "vm/handlers.h"
#include "vm/interp.h"

namespace ws {
namespace h {
#define PAIR(first, second) \
  WS_HANDLER(first);        \
  WS_HANDLER(second);       \
  WS_HANDLER(first##_then_##second);
#include "vm/handlers_pairs.inc"
#undef PAIR
}  // namespace h

namespace {

using testing::export_func;
using testing::i32;
using testing::instantiate;

struct Listed {
  Handler first, second, both;
};
const Listed kListed[] = {
#define PAIR(first, second) {h::first, h::second, h::first##_then_##second},
#include "vm/handlers_pairs.inc"
#undef PAIR
};

TEST(HandlerPairs, EveryListedPairIsFoundAndUnpairs) {
  const PairTable& pairs = handler_pairs();
  std::set<std::pair<Handler, Handler>> listed;
  for (const Listed& p : kListed) {
    EXPECT_TRUE(listed.insert({p.first, p.second}).second) << "listed twice";
    EXPECT_EQ(pairs.find(p.first, p.second), p.both);
    EXPECT_EQ(unpaired(p.both), p.first);
    EXPECT_EQ(unpaired(p.first), p.first);
    EXPECT_EQ(pairs.find(p.both, p.second), nullptr) << "a pair is no first";
  }
  for (const Listed& p : kListed)
    if (!listed.count({p.second, p.first})) EXPECT_EQ(pairs.find(p.second, p.first), nullptr);
}

// Loops like the benchmarks' (a[i] += k * b[i], a running sum) and a
// CPython-like stack-pointer bump that returns, each compiled with pairs.
constexpr const char* kPaired = R"((module (memory 1)
  (global $sp (mut i32) (i32.const 4096))
  (func (export "axpy") (param $n i32) (param $k f64) (result f64)
    (local $i i32) (local $end i32) (local $s f64)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (loop $init
      (f64.store (local.get $i) (f64.const 1))
      (f64.store offset=32768 (local.get $i) (f64.convert_i32_u (i32.shr_u (local.get $i) (i32.const 3))))
      (br_if $init (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 8))) (local.get $end))))
    (local.set $i (i32.const 0))
    (loop $mul
      (f64.store (local.get $i)
        (f64.add (f64.load (local.get $i)) (f64.mul (local.get $k) (f64.load offset=32768 (local.get $i)))))
      (br_if $mul (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 8))) (local.get $end))))
    (local.set $i (i32.const 0))
    (loop $sum
      (local.set $s (f64.add (local.get $s) (f64.load (local.get $i))))
      (br_if $sum (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 8))) (local.get $end))))
    (local.get $s))
  ;; b[0] + .. + b[n]
  (func (export "sum_b") (param $n i32) (result f64) (local $j i32) (local $end i32) (local $s f64)
    (local.set $end (i32.add (local.get $n) (i32.const 1)))
    (loop $l
      (local.set $s (f64.add (local.get $s)
        (f64.load offset=32760 (local.tee $j (i32.add (local.get $j) (i32.const 8))))))
      (br_if $l (i32.ne (i32.shr_u (local.get $j) (i32.const 3)) (local.get $end))))
    (local.get $s))
  ;; the load after the block is the second of a pair with the add before
  ;; it, and the target of the br_if
  (func (export "skip") (param $x i32) (result i32) (local $r i32)
    (i32.store (i32.const 200) (i32.const 11))
    (i32.store (i32.const 112) (i32.const 22))
    (block $b
      (local.set $r (i32.add (local.get $x) (i32.const 5)))
      (br_if $b (i32.gt_u (local.get $x) (i32.const 100)))
      (local.set $r (i32.add (local.get $r) (i32.const 7))))
    (i32.load (local.get $r)))
  (func $alloc (param $x i32) (result i32) (local $t i32)
    (global.set $sp (local.tee $t (i32.add (local.get $x) (i32.const 16))))
    (local.get $t))
  (func (export "allocs") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $alloc (local.get $n))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (local.get $acc) (global.get $sp)))))";

void recompile(Instance* inst, bool fuse) {
  for (auto& cf : state_of(inst)->compiled) ASSERT_TRUE(compile_function(cf.get(), fuse));
}

size_t pairs_in(const CompiledFunction& cf) {
  size_t n = 0;
  for (const auto& p : cf.positions) n += unpaired(cf.code[p.code_index].h) != cf.code[p.code_index].h;
  return n;
}

// Runs to the end in slices of `budget`.
Value run(Store& store, Function* f, const std::vector<Value>& args, uint64_t budget) {
  Thread thread(store);
  EXPECT_TRUE(thread.start(f, args));
  RunStatus s;
  while ((s = thread.run(budget)) == RunStatus::OutOfBudget) {
  }
  EXPECT_EQ(s, RunStatus::Finished);
  return s == RunStatus::Finished ? thread.results()[0] : Value{};
}

TEST(HandlerPairs, PairedCodeGivesTheUnpairedResultsUnderAnyBudget) {
  for (bool fuse : {true, false}) {
    Store store;
    Instance* inst = instantiate(store, kPaired);
    ASSERT_TRUE(inst);
    recompile(inst, fuse);
    for (uint32_t f : {0u, 2u, 3u}) EXPECT_EQ(pairs_in(*state_of(inst)->compiled[f]) > 0, fuse) << "func " << f;
    for (uint64_t budget : {UINT64_MAX, uint64_t(1), uint64_t(7)}) {
      // sum of 1 + 2i for i < 10 (b[i] = i); 0 + .. + 9; sum of j + 16 for
      // j = 1..10, and the last sp (1 + 16)
      EXPECT_EQ(run(store, export_func(inst, "axpy"), {i32(10), Value::make_f64(2)}, budget).f64, 100.0)
          << "fuse " << fuse << " budget " << budget;
      EXPECT_EQ(run(store, export_func(inst, "sum_b"), {i32(9)}, budget).f64, 45.0)
          << "fuse " << fuse << " budget " << budget;
      EXPECT_EQ(run(store, export_func(inst, "allocs"), {i32(10)}, budget).i32, 55u + 160u + 17u)
          << "fuse " << fuse << " budget " << budget;
    }
  }
}

TEST(HandlerPairs, ABranchIntoTheSecondOfAPairRunsTheSecondAlone) {
  Store store;
  Instance* inst = instantiate(store, kPaired);
  ASSERT_TRUE(inst);
  // In skip, a branch target word points at the second of a pair.
  const CompiledFunction& cf = *state_of(inst)->compiled[2];
  bool found = false;
  for (size_t i = 0; i + 1 < cf.positions.size(); ++i) {
    const Handler first = cf.code[cf.positions[i].code_index].h;
    const CodeWord* second = &cf.code[cf.positions[i + 1].code_index];
    if (first == unpaired(first)) continue;
    ASSERT_EQ(handler_pairs().find(unpaired(first), second->h), first);
    for (const CodeWord& w : cf.code) found |= w.target == second;
  }
  EXPECT_TRUE(found);
  // Branching there (x > 100) and falling through (x + 5 + 7 = 112).
  EXPECT_EQ(run(store, export_func(inst, "skip"), {i32(195)}, UINT64_MAX).i32, 11u);
  EXPECT_EQ(run(store, export_func(inst, "skip"), {i32(100)}, UINT64_MAX).i32, 22u);
}

TEST(HandlerPairs, ALoopHeadIsNoSecond) {
  Store store;
  Instance* inst = instantiate(store, kPaired);
  ASSERT_TRUE(inst);
  // sum_b: the add before the loop and the loop's first load could pair,
  // but the loop branches to the load on every iteration.
  const CompiledFunction& cf = *state_of(inst)->compiled[1];
  ASSERT_GE(cf.positions.size(), 2u);
  const Handler first = cf.code[cf.positions[0].code_index].h;
  EXPECT_EQ(first, unpaired(first));
  EXPECT_NE(handler_pairs().find(first, cf.code[cf.positions[1].code_index].h), nullptr);
}

TEST(HandlerPairs, TrapsStopAtTheUnpairedInstructionWithItsStack) {
  // b[i] runs past the end of memory at i = 4096, in the init loop's
  // second store: fused and unfused code stop at the same instruction with
  // the same operand stack.
  std::vector<Trap> traps[2];
  for (bool fuse : {true, false}) {
    Store store;
    Instance* inst = instantiate(store, kPaired);
    ASSERT_TRUE(inst);
    recompile(inst, fuse);
    Trap trap;
    ASSERT_EQ(invoke(store, export_func(inst, "axpy"), {i32(5000), Value::make_f64(1)}, nullptr, &trap),
              RunStatus::Trapped);
    traps[fuse].push_back(trap);
  }
  ASSERT_EQ(traps[0][0].frames.size(), 1u);
  ASSERT_EQ(traps[1][0].frames.size(), 1u);
  EXPECT_EQ(traps[1][0].message, traps[0][0].message);
  EXPECT_EQ(traps[1][0].frames[0].offset, traps[0][0].frames[0].offset);
  const auto& fused = traps[1][0].frames[0].stack;
  const auto& unfused = traps[0][0].frames[0].stack;
  ASSERT_EQ(fused.size(), unfused.size());
  for (size_t i = 0; i < fused.size(); ++i) EXPECT_EQ(fused[i].i64, unfused[i].i64) << i;
}

TEST(HandlerPairs, BreakpointsOnEitherHandlerOfAPairStopThere) {
  Store store;
  Instance* inst = instantiate(store, kPaired);
  ASSERT_TRUE(inst);
  CompiledFunction* cf = state_of(inst)->compiled[0].get();
  // The first pair of the function, and its second.
  size_t i = 0;
  while (i + 1 < cf->positions.size() && unpaired(cf->code[cf->positions[i].code_index].h) ==
                                            cf->code[cf->positions[i].code_index].h)
    ++i;
  ASSERT_LT(i + 1, cf->positions.size());
  for (size_t at : {i, i + 1}) {
    const uint32_t index = cf->positions[at].code_index;
    ASSERT_TRUE(set_breakpoint(cf, index));
    Thread thread(store);
    ASSERT_TRUE(thread.start(export_func(inst, "axpy"), {i32(10), Value::make_f64(2)}));
    ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Breakpoint);
    const std::vector<FrameInfo> frames = thread.frames();
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0].offset, cf->positions[at].offset);
    ASSERT_TRUE(clear_breakpoint(cf, index));
    ASSERT_EQ(thread.run(UINT64_MAX), RunStatus::Finished);
    EXPECT_EQ(thread.results()[0].f64, 100.0);
  }
}

}  // namespace
}  // namespace ws

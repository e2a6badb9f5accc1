// The handler set of the threaded interpreter, as the compiler sees it.
// Each comment gives the handler's immediates in code-word order; "slot" is a
// frame-pointer-relative slot index, "K" an immediate constant.
#pragma once
#include "interp.h"
#include "opcodes.h"

namespace ws {

#define WS_HANDLER(name) \
  Exit name(const CodeWord* ip, uint64_t* fp, uint8_t* mem, uint64_t msize, Ctx* ctx)

// Handlers of the plain numeric and memory instructions, indexed by Op;
// nullptr where an op has no such form.
struct OpHandlers {
  // unary [dst, a]; binary [dst, a, b]; load [dst, addr, offset];
  // store [addr, value, offset]
  Handler plain[kOpCount] = {};
  // binary with the right operand immediate [dst, a, K]; load with a
  // constant effective address [dst, ea]; store to one [ea, value]
  Handler imm[kOpCount] = {};
  // integer compare-and-branch [a, b, target]; eqz-and-branch [a, target]
  Handler branch[kOpCount] = {};
  // compare-and-branch with an immediate right operand [a, K, target]
  Handler branch_imm[kOpCount] = {};
  // the same for backward branches (to a loop head): they charge the budget
  Handler branch_back[kOpCount] = {};
  // load / store whose address is an i32.add with an immediate:
  // [dst, x, K, offset, address slot] / [x, K, offset, address slot, value]
  Handler add_imm_address[kOpCount] = {};
  // the same with the add's right operand in a slot (y instead of K)
  Handler add_address[kOpCount] = {};
  // load whose address is an i32_add_shl a + (x << k):
  // [dst, a, x, k, offset, address slot]
  Handler add_shl_address[kOpCount] = {};
  Handler branch_imm_back[kOpCount] = {};
  // store of a constant value: [address slot, K, offset]
  Handler store_value_imm[kOpCount] = {};
  // non-trapping binary op whose result the next instruction stores at full
  // width (i32.store, i64.store, f32.store, f64.store by result type):
  // [dst, a, b, address slot, offset]; _imm with K for b
  Handler store_result[kOpCount] = {};
  Handler store_result_imm[kOpCount] = {};
};
const OpHandlers& op_handlers();

// Handler pairs (handlers_pairs.inc): a pair handler runs `first` and then,
// if the word it continues at holds `second`, `second` too, with one
// dispatch. The compiler writes it over the first's
// word; the second keeps its own word and position, so branches to it, its
// traps and a breakpoint on it behave as unpaired.
class PairTable {
 public:
  PairTable();
  // The pair handler of `first` then `second`, or null. The compiler asks
  // about every handler it emits: most start no pair, which a bit per hash
  // of the first tells at once.
  Handler find(Handler first, Handler second) const {
    const uint64_t k = key(first);
    if (!(firsts_[k >> 6] >> (k & 63) & 1)) return nullptr;
    for (size_t i = slot(k, second);; i = (i + 1) % kSlots) {
      const Slot& s = slots_[i];
      if (s.first == first && s.second == second) return s.both;
      if (!s.first) return nullptr;
    }
  }

 private:
  static constexpr size_t kSlots = 1024;  // open addressing, under half full
  static uint64_t key(Handler h) { return (uint64_t(reinterpret_cast<uintptr_t>(h)) * 0x9E3779B97F4A7C15u) >> 54; }
  static size_t slot(uint64_t first_key, Handler second) {
    return ((first_key ^ uint64_t(reinterpret_cast<uintptr_t>(second))) * 0xC2B2AE3D27D4EB4Fu) >> 54;
  }
  struct Slot {
    Handler first = nullptr, second = nullptr, both = nullptr;
  };
  uint64_t firsts_[kSlots / 64] = {};
  Slot slots_[kSlots];
};
const PairTable& handler_pairs();
// The first handler of the pair handler `h`; h itself if it is no pair.
Handler unpaired(Handler h);

// Handler of a SIMD instruction (null for v128.const), by SimdForm:
//   Unary/Test/Splat [dst, a]; Binary/Shift [dst, a, b]; Ternary [dst, a, b, c];
//   ExtractLane [dst, a, lane]; ReplaceLane [dst, a, x, lane];
//   Shuffle [dst, a, b, lanes 0-7, lanes 8-15]; Load [dst, addr, offset];
//   LoadLane [dst, addr, v, offset, lane]; Store [addr, v, offset];
//   StoreLane [addr, v, offset, lane]
Handler simd_handler(Op op);

namespace h {
WS_HANDLER(copy);          // [dst, src]
WS_HANDLER(copy2);         // [dst, src] 16 bytes (v128)
WS_HANDLER(constant);      // [dst, K]
WS_HANDLER(constant2);     // [dst, K low, K high]
// Two scalar moves in a row, in order: [dst 1, src 1 or K 1, dst 2, src 2 or K 2]
WS_HANDLER(copy_copy);
WS_HANDLER(copy_constant);
WS_HANDLER(constant_copy);
WS_HANDLER(constant_constant);
// More moves in a row: [n, (dst, src) or (dst | kMoveConstant, K) n times]
WS_HANDLER(moves);
constexpr uint64_t kMoveConstant = uint64_t(1) << 63;
WS_HANDLER(nop);           // []
// Branches to a loop head (_back) charge one budget unit: every loop
// iteration pays, and a budget stop resumes by re-running the branch.
WS_HANDLER(br);            // [target]
WS_HANDLER(br_back);       // [target]
WS_HANDLER(br_if_nz);      // [cond, target]
WS_HANDLER(br_if_nz_back); // [cond, target]
WS_HANDLER(br_if_z);       // [cond, target]
WS_HANDLER(br_table);      // [index, n, target 0..n-1, default target]; charges
// br_table on the index (x & mask) + K, also written to its slot:
// [x, mask, K, index slot, n, targets as br_table]; charges
WS_HANDLER(br_table_masked);
WS_HANDLER(ret0);          // []
WS_HANDLER(ret1);          // [src] one one-slot result, written to FrameRecord::result
WS_HANDLER(retn);          // [src, slot count] written to slot 0..
// [CompiledFunction*, arg base, result slot]: a single one-slot result goes to
// the result slot (arg base, or the local a following local.set names)
WS_HANDLER(call);
WS_HANDLER(call_same);     // the same; the callee shares the caller's memory
WS_HANDLER(call_host);     // [Function*, arg base]
WS_HANDLER(call_indirect); // [Table*, type id, arg base, index slot]
// The same three after the moves that put their arguments in place:
// [the call's immediates, n, n move pairs as h::moves]
WS_HANDLER(call_moves);
WS_HANDLER(call_same_moves);
WS_HANDLER(call_indirect_moves);
WS_HANDLER(return_call);   // [CompiledFunction*, arg base, arg slots]
// [Table*, type id, arg base, index slot, arg slots], followed by a retn that
// returns a host callee's results
WS_HANDLER(return_call_indirect);
WS_HANDLER(unreachable);   // []
WS_HANDLER(finish);        // [] end of the thread's entry stub
WS_HANDLER(breakpoint);    // [] patched over another handler's word
WS_HANDLER(step_check);    // [] debug code: stops before an instruction while ctx->single_step
WS_HANDLER(i32_add_shl);   // [dst, a, x, k] a + (x << k)
WS_HANDLER(i32_add_imm2);  // [dst 1, a 1, K 1, dst 2, a 2, K 2] two i32.add K in order
// i32.load (plain [dst, addr, offset] or with an i32.add K address [dst, x,
// K, offset, address slot]) and a forward branch taken when the value loaded
// is zero (z) or not (nz): the load's immediates, then the target
WS_HANDLER(i32_load_z_br);
WS_HANDLER(i32_load_nz_br);
WS_HANDLER(i32_load_add_z_br);
WS_HANDLER(i32_load_add_nz_br);
// i32.sub and i32.shl with a constant left operand: [dst, K, b]
WS_HANDLER(i32_imm_sub);
WS_HANDLER(i32_imm_shl);
// i32.and with K feeding a branch: taken when a & K != 0 (nz) or == 0 (z):
// [a, K, target]; _back forms charge
WS_HANDLER(i32_and_nz_br);
WS_HANDLER(i32_and_z_br);
WS_HANDLER(i32_and_nz_br_back);
WS_HANDLER(i32_and_z_br_back);
// i32.add K written to dst (a tee'd local) and tested by a branch:
// [dst, a, K, target]; taken when the sum != 0 (nz) or == 0 (z)
WS_HANDLER(i32_add_imm_nz_br);
WS_HANDLER(i32_add_imm_nz_br_back);
WS_HANDLER(i32_add_imm_z_br);
// i32.load, i32.add K of it, i32.store back to the same address:
// [load dst, address slot, offset, sum dst, K]
WS_HANDLER(i32_load_add_imm_store);
// the same, then a branch on the sum: [its 5 immediates, target]
WS_HANDLER(i32_load_add_imm_store_nz_br);
WS_HANDLER(i32_load_add_imm_store_z_br);
WS_HANDLER(select);        // [dst, a, b, cond]
// scalar select with constant operands: [dst, K or a, K or b, cond]
WS_HANDLER(select_imm_slot);
WS_HANDLER(select_slot_imm);
WS_HANDLER(select_imm_imm);
WS_HANDLER(select2);       // [dst, a, b, cond] v128
WS_HANDLER(global_get);    // [dst, uint64_t* cell]
WS_HANDLER(global_get2);   // [dst, uint64_t* cell] v128
WS_HANDLER(global_set);    // [uint64_t* cell, src]
WS_HANDLER(global_set2);   // [uint64_t* cell, src] v128
// global.set of an i32 sum a + K (also written to dst), and of the global's
// own value + K
WS_HANDLER(i32_add_imm_global_set);  // [dst, a, K, uint64_t* cell]
WS_HANDLER(global_i32_add_imm_set);  // [dst, uint64_t* cell, K]
WS_HANDLER(memory_size);   // [dst]
WS_HANDLER(memory_grow);   // [dst, delta]
WS_HANDLER(memory_fill);   // [d, value, n]
WS_HANDLER(memory_copy);   // [d, s, n]
WS_HANDLER(memory_init);   // [InstanceState*, data index, d, s, n]
WS_HANDLER(data_drop);     // [InstanceState*, data index]
WS_HANDLER(table_get);     // [dst, Table*, index]
WS_HANDLER(table_set);     // [Table*, index, value]
WS_HANDLER(table_size);    // [dst, Table*]
WS_HANDLER(table_grow);    // [dst, Table*, init, delta]
WS_HANDLER(table_fill);    // [Table*, i, value, n]
WS_HANDLER(table_copy);    // [Table* dst, Table* src, d, s, n]
WS_HANDLER(table_init);    // [InstanceState*, elem index, Table*, d, s, n]
WS_HANDLER(elem_drop);     // [InstanceState*, elem index]
}  // namespace h

}  // namespace ws

// Compiling loads and stores: constant addresses and an `i32.add` (or, for
// loads, an `i32_add_shl`) computing the address fold into the access, and a
// binary op computing a stored value folds into the store.
#include "compiler_impl.h"

namespace ws {
namespace compiler_detail {

// The store that writes all bytes of a value of type t.
static Op full_width_store(ValType t) {
  switch (t) {
    case ValType::I32: return Op::I32Store;
    case ValType::I64: return Op::I64Store;
    case ValType::F32: return Op::F32Store;
    case ValType::F64: return Op::F64Store;
    default: return Op::Count_;
  }
}

void Compiler::memory_access(const Instr& in) {
  const OpInfo& info = op_info(in.op);
  Handler h = handlers_.plain[size_t(in.op)];
  // A constant address folds into the offset: [dst, ea] / [ea, value].
  const bool abs = fuse_ && stack_[stack_.size() - (info.results.empty() ? 2 : 1)].kind == Entry::Const;
  if (abs) {
    const bool load = !info.results.empty();
    const Entry v = load ? Entry{} : pop();
    const uint64_t ea = uint64_t(uint32_t(pop().bits[0])) + in.mem_offset;
    const uint32_t sv = load ? 0 : src(v);
    if (load) push(type_from_char(info.results[0]));
    const size_t start = begin(handlers_.imm[size_t(in.op)]);
    if (load) {
      word(stack_.back().slot);
      word(ea);
      produced(start + 1);
    } else {
      word(ea);
      word(sv);
    }
    return;
  }
  const OpHandlers& hs = handlers_;
  if (!info.results.empty() && produced_or_teed_by(stack_.back(), Op::I32Add)) {
    // The address is x + K or x + y (wrapping at 32 bits) of the last instruction.
    const LastBinary add = last_;
    const uint32_t address_slot = slot_of(pop());
    truncate(add.start);
    push(type_from_char(info.results[0]));
    const size_t start = begin((add.imm ? hs.add_imm_address : hs.add_address)[size_t(in.op)]);
    word(stack_.back().slot);
    word(add.a);
    word(add.b);
    word(in.mem_offset);
    word(address_slot);
    produced(start + 1);
    if (in.op == Op::I32Load && add.imm) load_ = {true, true, start, code_.size()};
    return;
  }
  if (!info.results.empty() && add_shl_.valid && add_shl_.end == code_.size() &&
      is_last_result(stack_.back())) {
    // The address is a + (x << k), as in indexing an array: one handler.
    const AddShl addr = add_shl_;
    const uint32_t address_slot = slot_of(pop());
    truncate(addr.start);
    push(type_from_char(info.results[0]));
    const size_t start = begin(hs.add_shl_address[size_t(in.op)]);
    word(stack_.back().slot);
    word(addr.a);
    word(addr.x);
    word(addr.k);
    word(in.mem_offset);
    word(address_slot);
    produced(start + 1);
    return;
  }
  if (info.results.empty() && produced_or_teed_by(stack_.back(), last_.op) &&
      in.op == full_width_store(stack_.back().type)) {
    // The value is the result of the last (binary) instruction: compute and
    // store in one handler. A constant address took the path above, so the
    // address is in a slot or a local and needs no code.
    const LastBinary bin = last_;
    const Handler fused = (bin.imm ? hs.store_result_imm : hs.store_result)[size_t(bin.op)];
    if (fused) {
      const uint32_t dst = slot_of(pop());
      const uint32_t sa = src(pop());
      if (in.op == Op::I32Store && bin.op == Op::I32Add && bin.imm && bin.a_from != kNone &&
          code_[bin.a_from].h == hs.plain[size_t(Op::I32Load)] && code_[bin.a_from + 2].u == sa &&
          code_[bin.a_from + 3].u == in.mem_offset) {
        // The added value was loaded from the same address just before, as
        // in a reference count update: one handler. Only its load can trap.
        const uint64_t load_dst = code_[bin.a_from + 1].u;
        const size_t start = bin.a_from;
        begin_in_place_of(start, h::i32_load_add_imm_store);
        word(load_dst);
        word(sa);
        word(in.mem_offset);
        word(dst);
        word(bin.b);
        load_add_store_ = {true, start, code_.size(), dst};
        return;
      }
      truncate(bin.start);
      begin(fused);
      word(dst);
      word(bin.a);
      word(bin.b);
      word(sa);
      word(in.mem_offset);
      return;
    }
  }
  if (info.results.empty() && produced_or_teed_by(stack_[stack_.size() - 2], Op::I32Add)) {
    // The same for a store, unless writing a constant value to its home slot
    // would overwrite the add's right operand before the store reads it, or
    // the value is the local a tee wrote the address to (the handler reads
    // the value before it writes the address).
    const LastBinary add = last_;
    const Entry v = stack_.back();
    const uint32_t address_slot = slot_of(stack_[stack_.size() - 2]);
    if ((add.imm || v.kind != Entry::Const || add.b != v.slot) &&
        !(v.kind == Entry::Local && v.local == address_slot)) {
      pop();
      pop();
      truncate(add.start);
      const uint32_t sv = src(v);
      begin((add.imm ? hs.add_imm_address : hs.add_address)[size_t(in.op)]);
      word(add.a);
      word(add.b);
      word(in.mem_offset);
      word(address_slot);
      word(sv);
      return;
    }
  }
  if (!info.results.empty()) {
    const uint32_t addr = src(pop());
    push(type_from_char(info.results[0]));
    const size_t start = begin(h);
    word(stack_.back().slot);
    word(addr);
    word(in.mem_offset);
    produced(start + 1);
    if (fuse_ && in.op == Op::I32Load) load_ = {true, false, start, code_.size()};
  } else if (fuse_ && stack_.back().kind == Entry::Const) {
    // A constant value needs no slot: frames() at a trap reads it from the
    // stack model, as it does the deferred constant in unfused order.
    const uint64_t k = pop().bits[0];
    const uint32_t sa = src(pop());
    begin(hs.store_value_imm[size_t(in.op)]);
    word(sa);
    word(k);
    word(in.mem_offset);
  } else {
    emit_store(h, in);
  }
}

// A store with its address and value operands taken from the stack:
// [address, value, offset].
void Compiler::emit_store(Handler h, const Instr& in) {
  const Entry v = pop(), a = pop();
  const uint32_t sa = src(a), sv = src(v);
  begin(h);
  word(sa);
  word(sv);
  word(in.mem_offset);
}

}  // namespace compiler_detail
}  // namespace ws

// Compiles a validated function body to register-slot threaded code.
//
// The compiler walks the bytecode once, keeping a model of the Wasm operand
// stack. Every entry has a home slot (locals first, then the operand stack at
// fixed depths), so the frame layout is the same with and without fusion. With
// fusion on, local.get and constants are deferred (the entry names the local
// or holds the constant) and consumed directly by the next instruction;
// results feeding local.set / local.tee are written straight into the local;
// integer compares feeding br_if / if become compare-and-branch handlers;
// constant right operands select the `_imm` form of binary handlers. Deferred
// entries are materialised into their home slots at control-flow boundaries,
// calls, and before their local is overwritten.
#include "compiler_impl.h"

#include <cstring>

#include "simd_ops.h"

namespace ws {
namespace compiler_detail {

namespace {
// The working buffers of a compilation, kept per thread between them:
// compiling a module allocates little more than each function's final code
// and positions (fresh, exactly sized allocations cost page faults; these
// stay warm).
struct Scratch {
  std::vector<StackItem> snapshot, stack;
  std::vector<CodeWord> code;
  std::vector<CompiledFunction::Position> positions;
  std::vector<Label> labels;
  std::vector<size_t> targets, loop_heads;
};
thread_local Scratch scratch;
}  // namespace

void Compiler::swap_scratch() {
  snapshot_.swap(scratch.snapshot);
  stack_.swap(scratch.stack);
  code_.swap(scratch.code);
  positions_.swap(scratch.positions);
  labels_.swap(scratch.labels);
  targets_.swap(scratch.targets);
  loop_heads_.swap(scratch.loop_heads);
  // Whatever goes back to the scratch set starts the next compilation empty.
  scratch.snapshot.clear();
  scratch.stack.clear();
  scratch.code.clear();
  scratch.positions.clear();
  scratch.labels.clear();
  scratch.targets.clear();
  scratch.loop_heads.clear();
}

Status Compiler::run() {
  const FuncBody& body = m_.funcs[cf_.func_index - m_.num_imported_funcs];
  const FuncType& type = m_.types[body.type];
  cf_.code.clear();
  cf_.positions.clear();
  cf_.patches.clear();
  cf_.fused = fuse_;
  cf_.step_checks = step_;
  cf_.local_types = type.params;
  cf_.local_types.insert(cf_.local_types.end(), body.locals.begin(), body.locals.end());
  cf_.local_slot.clear();
  uint32_t slots = 0;
  for (size_t i = 0; i < cf_.local_types.size(); ++i) {
    if (i == type.params.size()) cf_.param_slots = slots;
    cf_.local_slot.push_back(slots);
    slots += slot_count(cf_.local_types[i]);
  }
  if (cf_.local_types.size() == type.params.size()) cf_.param_slots = slots;
  cf_.local_slots = slots;
  max_slots_ = slots;

  Label fn;
  fn.kind = Op::Nop;
  fn.base_slot = slots;
  fn.results = TypeList(type.results);
  labels_.push_back(fn);

  instr_.offset = body.code_offset;
  // The entering call zeroes the declared locals in groups of 4 slots, at least one.
  cf_.zeroed_slots = cf_.local_slots - cf_.param_slots;
  zero_locals_ = cf_.zeroed_slots >= 64 ? ~uint64_t(0) : (uint64_t(1) << cf_.zeroed_slots) - 1;
  max_slots_ = std::max(max_slots_, cf_.param_slots + std::max(4u, (cf_.zeroed_slots + 3) & ~3u));

  CodeReader reader(m_.binary.data(), body.code_offset, body.code_end);
  Visitor visitor{*this};
  while (!reader.at_end() && !labels_.empty()) {
    if (probe_out_) snapshot_ = stack_;
    if (!reader.visit(&instr_, visitor)) {
      if (reader.error()) {
        Error e{reader.error(), "code", reader.error_offset(), cf_.func_index, ""};
        return e;
      }
      Error e{"instruction not supported by the compiler", "code", instr_.offset, cf_.func_index,
              std::string(op_info(instr_.op).name)};
      return e;
    }
  }
  finish();
  return Ok{};
}

void Compiler::finish() {
  if (fuse_) pair_handlers();
  cf_.frame_slots = max_slots_;
  cf_.code.assign(code_.begin(), code_.end());
  CodeWord* code = cf_.code.data();
  for (size_t w : targets_) code[w].target = code + code[w].u;
  cf_.positions.assign(positions_.begin(), positions_.end());
}

// Writes handler pairs (handlers.h) over the first of each two neighbours
// that have one, from the start: a handler is in at most one pair. A loop
// head is no second: every iteration but the first branches to it, running
// it alone, and it may pair with what follows it instead.
void Compiler::pair_handlers() {
  const PairTable& pairs = handler_pairs();
  size_t head = 0;
  for (size_t i = 0; i + 1 < positions_.size(); ++i) {
    const size_t second = positions_[i + 1].code_index;
    while (head < loop_heads_.size() && loop_heads_[head] < second) ++head;
    if (head < loop_heads_.size() && loop_heads_[head] == second) continue;
    CodeWord& first = code_[positions_[i].code_index];
    if (const Handler both = pairs.find(first.h, code_[second].h)) {
      set_handler(first, both);
      ++i;
    }
  }
}

__attribute__((always_inline)) inline bool Compiler::instruction(Op op, const Instr& in) {
  if (dead_) {
    switch (op) {
      case Op::Block: case Op::Loop: case Op::If:
        ++dead_depth_;
        return true;
      case Op::Else:
        if (dead_depth_ == 0) else_();
        return true;
      case Op::End:
        if (dead_depth_ > 0) --dead_depth_;
        else end();
        return true;
      default:
        return true;
    }
  }
  // Debug code: a step check first, except where the instruction's own
  // boundary() is one (and is what branches to a block end land on).
  if (step_ && op != Op::Nop && op != Op::Drop && op != Op::Block && op != Op::Loop &&
      !(op == Op::End && labels_.size() > 1))
    begin(h::step_check);
  switch (op) {
    case Op::Unreachable:
      begin(h::unreachable);
      dead_ = true;
      return true;
    case Op::Nop:
      if (!fuse_) boundary();
      return true;
    case Op::Block: case Op::Loop: case Op::If:
      enter_block(in);
      return true;
    case Op::Else: else_(); return true;
    case Op::End: end(); return true;
    case Op::Br: branch(in.index); return true;
    case Op::BrIf: branch_if(in.index); return true;
    case Op::BrTable: branch_table(in); return true;
    case Op::Return:
      emit_return();
      dead_ = true;
      return true;
    case Op::Call: call(in.index, false); return true;
    case Op::ReturnCall: call(in.index, true); return true;
    case Op::CallIndirect: call_indirect(in.index, in.index2, false); return true;
    case Op::ReturnCallIndirect: call_indirect(in.index, in.index2, true); return true;
    case Op::Drop:
      pop();
      if (!fuse_) boundary();
      return true;
    case Op::Select: case Op::SelectT: {
      const Entry c = pop(), b = pop(), a = pop();
      // Scalar constant operands are immediates.
      const bool scalar = a.type != ValType::V128;
      const bool ka = fuse_ && scalar && a.kind == Entry::Const;
      const bool kb = fuse_ && scalar && b.kind == Entry::Const;
      const uint64_t sa = ka ? a.bits[0] : src(a);
      const uint64_t sb = kb ? b.bits[0] : src(b);
      const uint32_t sc = src(c);
      static constexpr Handler kSelect[2][2] = {{h::select, h::select_slot_imm},
                                                {h::select_imm_slot, h::select_imm_imm}};
      push(a.type);
      begin(scalar ? kSelect[ka][kb] : h::select2);
      const size_t dst = code_.size();
      word(stack_.back().slot);
      word(sa);
      word(sb);
      word(sc);
      produced(dst);
      return true;
    }
    case Op::LocalGet: {
      const ValType t = cf_.local_types[in.index];
      const uint32_t slot = cf_.local_slot[in.index];
      if (fuse_) {
        push_local(t, slot);
      } else {
        Entry e;
        e.type = t;
        e.kind = Entry::Local;
        e.local = slot;
        emit_move(push(t).slot, e);
      }
      return true;
    }
    case Op::LocalSet: local_set(in.index, false); return true;
    case Op::LocalTee: local_set(in.index, true); return true;
    case Op::GlobalGet: {
      Global* g = inst_.globals[in.index];
      const bool wide = g->type.type == ValType::V128;
      push(g->type.type);
      begin(wide ? h::global_get2 : h::global_get);
      const size_t dst = code_.size();
      word(stack_.back().slot);
      word_p(&g->value.i64);
      produced(dst);
      return true;
    }
    case Op::GlobalSet: {
      Global* g = inst_.globals[in.index];
      if (global_set_of_add(g)) return true;
      const uint32_t s = src(pop());
      begin(g->type.type == ValType::V128 ? h::global_set2 : h::global_set);
      word_p(&g->value.i64);
      word(s);
      return true;
    }
    case Op::TableGet: {
      const uint32_t i = src(pop());
      push(inst_.tables[in.index]->type.elem);
      begin(h::table_get);
      const size_t dst = code_.size();
      word(stack_.back().slot);
      word_p(inst_.tables[in.index]);
      word(i);
      produced(dst);
      return true;
    }
    case Op::TableSet: {
      const Entry v = pop(), i = pop();
      const uint32_t si = src(i), sv = src(v);
      begin(h::table_set);
      word_p(inst_.tables[in.index]);
      word(si);
      word(sv);
      return true;
    }
    case Op::MemorySize:
      push(ValType::I32);
      begin(h::memory_size);
      word(stack_.back().slot);
      return true;
    case Op::MemoryGrow: {
      const uint32_t d = src(pop());
      push(ValType::I32);
      begin(h::memory_grow);
      word(stack_.back().slot);
      word(d);
      return true;
    }
    case Op::I32Const:
    case Op::I64Const:
    case Op::F32Const:
    case Op::F64Const: {
      const ValType t = type_from_char(op_info(op).results[0]);
      if (fuse_) {
        push_const(t, in.bits);
      } else {
        Entry e;
        e.type = t;
        e.kind = Entry::Const;
        e.bits[0] = in.bits;
        emit_move(push(t).slot, e);
      }
      return true;
    }
    case Op::RefNull:
    case Op::RefFunc: {
      const ValType t = op == Op::RefNull ? in.type : ValType::FuncRef;
      const uint64_t bits = op == Op::RefNull ? 0 : uint64_t(uintptr_t(inst_.funcs[in.index]));
      if (fuse_) {
        push_const(t, bits);
      } else {
        Entry e;
        e.type = t;
        e.kind = Entry::Const;
        e.bits[0] = bits;
        emit_move(push(t).slot, e);
      }
      return true;
    }
    case Op::RefIsNull: {
      // A null reference is 0 in every slot, so this is i64.eqz.
      const Entry a = pop();
      const uint32_t sa = src(a);
      push(ValType::I32);
      const size_t start = begin(handlers_.plain[size_t(Op::I64Eqz)]);
      word(stack_.back().slot);
      word(sa);
      produced(start + 1);
      compare_ = {true, start, code_.size(), Op::I64Eqz, sa, 0, false, true, stack_.back().slot};
      return true;
    }
    case Op::MemoryInit: {
      const Entry n = pop(), s = pop(), d = pop();
      const uint32_t sd = src(d), ss = src(s), sn = src(n);
      begin(h::memory_init);
      word_p(&inst_);
      word(in.index);
      word(sd);
      word(ss);
      word(sn);
      return true;
    }
    case Op::DataDrop:
      begin(h::data_drop);
      word_p(&inst_);
      word(in.index);
      return true;
    case Op::MemoryCopy:
    case Op::MemoryFill: {
      const Entry n = pop(), s = pop(), d = pop();
      const uint32_t sd = src(d), ss = src(s), sn = src(n);
      begin(op == Op::MemoryCopy ? h::memory_copy : h::memory_fill);
      word(sd);
      word(ss);
      word(sn);
      return true;
    }
    case Op::TableInit: {
      const Entry n = pop(), s = pop(), d = pop();
      const uint32_t sd = src(d), ss = src(s), sn = src(n);
      begin(h::table_init);
      word_p(&inst_);
      word(in.index);
      word_p(inst_.tables[in.index2]);
      word(sd);
      word(ss);
      word(sn);
      return true;
    }
    case Op::ElemDrop:
      begin(h::elem_drop);
      word_p(&inst_);
      word(in.index);
      return true;
    case Op::TableCopy: {
      const Entry n = pop(), s = pop(), d = pop();
      const uint32_t sd = src(d), ss = src(s), sn = src(n);
      begin(h::table_copy);
      word_p(inst_.tables[in.index]);
      word_p(inst_.tables[in.index2]);
      word(sd);
      word(ss);
      word(sn);
      return true;
    }
    case Op::TableGrow: {
      const Entry delta = pop(), init = pop();
      const uint32_t si = src(init), sd = src(delta);
      push(ValType::I32);
      begin(h::table_grow);
      word(stack_.back().slot);
      word_p(inst_.tables[in.index]);
      word(si);
      word(sd);
      return true;
    }
    case Op::TableSize:
      push(ValType::I32);
      begin(h::table_size);
      word(stack_.back().slot);
      word_p(inst_.tables[in.index]);
      return true;
    case Op::TableFill: {
      const Entry n = pop(), v = pop(), i = pop();
      const uint32_t si = src(i), sv = src(v), sn = src(n);
      begin(h::table_fill);
      word_p(inst_.tables[in.index]);
      word(si);
      word(sv);
      word(sn);
      return true;
    }
    default:
      break;
  }
  const OpInfo& info = op_info(op);
  if (info.prefix == 0xFD) {
    simd(in);
    return true;
  }
  if (info.imm == Imm::Mem) {
    memory_access(in);
    return true;
  }
  if (handlers_.plain[size_t(op)]) {
    numeric(in);
    return true;
  }
  return false;
}

void Compiler::numeric(const Instr& in) {
  const Op op = in.op;
  const OpInfo& info = op_info(op);
  const OpHandlers& hs = handlers_;
  const ValType result = type_from_char(info.results[0]);
  if (info.params.size() == 1) {
    // eqz of an i32.and with a constant: a bit test, if a branch follows.
    const bool and_test = op == Op::I32Eqz && produced_by_imm(stack_.back(), Op::I32And);
    const LastBinary and_ = last_;
    const uint32_t a = src(pop());
    push(result);
    const size_t start = begin(hs.plain[size_t(op)]);
    word(stack_.back().slot);
    word(a);
    produced(start + 1);
    if (and_test)
      compare_ = {true, and_.start, code_.size(), Op::I32Eq, and_.a, and_.b, true, false,
                  stack_.back().slot, true};
    else if (hs.branch[size_t(op)])
      compare_ = {true, start, code_.size(), op, a, 0, false, true, stack_.back().slot};
    return;
  }
  Entry b = pop(), a = pop();
  if (op == Op::I32Add && produced_by_imm(b, Op::I32Shl)) {
    // a + (x << k) in one handler.
    const LastBinary shl = last_;
    truncate(shl.start);
    const uint32_t sa = src(a);
    push(result);
    const size_t start = begin(h::i32_add_shl);
    word(stack_.back().slot);
    word(sa);
    word(shl.a);
    word(shl.b);
    produced(start + 1);
    add_shl_ = {true, start, code_.size(), stack_.back().slot, sa, shl.a, shl.b};
    return;
  }
  if (fuse_ && a.kind == Entry::Const && b.kind != Entry::Const && is_commutative(op))
    std::swap(a, b);
  if (fuse_ && a.kind == Entry::Const && b.kind != Entry::Const &&
      (op == Op::I32Sub || op == Op::I32Shl)) {
    // K - x, K << x: no other fusion reads these forms (last_ forgets them).
    const uint32_t sb = src(b);
    push(result);
    const size_t start = begin(op == Op::I32Sub ? h::i32_imm_sub : h::i32_imm_shl);
    word(stack_.back().slot);
    word(a.bits[0]);
    word(sb);
    produced(start + 1);
    last_.end = kNone;
    return;
  }
  const bool use_imm = fuse_ && b.kind == Entry::Const && hs.imm[size_t(op)];
  const size_t a_from = use_imm && is_last_result(a) ? producer_.start : kNone;
  const uint32_t sa = src(a);
  const uint64_t sb = use_imm ? b.bits[0] : src(b);
  push(result);
  const size_t start = begin(use_imm ? hs.imm[size_t(op)] : hs.plain[size_t(op)]);
  word(stack_.back().slot);
  word(sa);
  word(sb);
  produced(start + 1);
  last_ = {op, use_imm, start, code_.size(), sa, sb, a_from};
  if (hs.branch[size_t(op)])
    compare_ = {true, start, code_.size(), op, sa, sb, use_imm, false, stack_.back().slot};
  else if (op == Op::I32And && use_imm)
    compare_ = {true, start, code_.size(), Op::I32Ne, sa, sb, true, false, stack_.back().slot, true};
}

// Called after the last instruction's result was redirected into `local`:
// two i32.add/sub K in a row whose results both went to locals (counters,
// pointers stepping through arrays) become one handler.
void Compiler::add_to_local(uint32_t local) {
  const bool add = last_.end == code_.size() && last_.imm &&
                   (last_.op == Op::I32Add || last_.op == Op::I32Sub);
  if (!add) return;
  const uint64_t k = last_.op == Op::I32Add ? uint32_t(last_.b) : uint32_t(0u - uint32_t(last_.b));
  if (!(add_local_.valid && add_local_.end == last_.start)) {
    add_local_ = {true, last_.start, last_.end, local, last_.a, k};
    return;
  }
  const AddToLocal first = add_local_;
  const uint64_t a = last_.a;
  truncate(first.start);
  begin(h::i32_add_imm2);
  word(first.dst);
  word(first.a);
  word(first.k);
  word(local);
  word(a);
  word(k);
  last_.end = kNone;
}

// global.set of an i32.add/sub with a constant, as in moving the stack
// pointer: one handler that still writes the sum to its slot (or tee'd
// local); with a global.get of the same global as the left operand (the
// prologue `global.get; i32.const; i32.sub; local.tee; global.set`), that
// too.
bool Compiler::global_set_of_add(Global* g) {
  const Entry& v = stack_.back();
  if (!(produced_or_teed_by(v, Op::I32Add) || produced_or_teed_by(v, Op::I32Sub)) || !last_.imm)
    return false;
  const LastBinary add = last_;
  const uint64_t k = add.op == Op::I32Add ? uint32_t(add.b) : uint32_t(0u - uint32_t(add.b));
  const uint32_t dst = slot_of(pop());
  // (The global.get must have written an operand slot, not a tee'd local.)
  const bool from_global = add.a_from != kNone && code_[add.a_from].h == h::global_get &&
                           code_[add.a_from + 1].u >= cf_.local_slots &&
                           code_[add.a_from + 2].p == &g->value.i64;
  truncate(from_global ? add.a_from : add.start);
  if (from_global) {
    begin(h::global_i32_add_imm_set);
    word(dst);
    word_p(&g->value.i64);
    word(k);
  } else {
    begin(h::i32_add_imm_global_set);
    word(dst);
    word(add.a);
    word(k);
    word_p(&g->value.i64);
  }
  return true;
}

// A br_table index computed by (x & K) + K2, or one of the two, as in a
// bytecode interpreter's dispatch: emits the start of one br_table_masked
// handler (up to the target count), which still writes the index to its slot.
bool Compiler::masked_br_table(const Entry& index) {
  const bool add = produced_by_imm(index, Op::I32Add);
  if (!add && !produced_by_imm(index, Op::I32And)) return false;
  const LastBinary last = last_;
  uint64_t x = last.a, mask = UINT32_MAX, offset = 0;
  size_t start = last.start;
  if (!add) {
    mask = last.b;
  } else {
    offset = last.b;
    // (The and must have written an operand slot, not a tee'd local.)
    if (last.a_from != kNone && code_[last.a_from].h == handlers_.imm[size_t(Op::I32And)] &&
        code_[last.a_from + 1].u >= cf_.local_slots) {
      start = last.a_from;
      x = code_[start + 2].u;
      mask = code_[start + 3].u;
    }
  }
  truncate(start);
  begin(h::br_table_masked);
  word(x);
  word(uint32_t(mask));
  word(uint32_t(offset));
  word(index.slot);
  return true;
}

void Compiler::simd(const Instr& in) {
  const OpInfo& info = op_info(in.op);
  const SimdForm form = simd_form(in.op);
  const Handler h = simd_handler(in.op);
  if (form == SimdForm::Const) {
    uint64_t lo, hi;
    std::memcpy(&lo, in.v128.bytes, 8);
    std::memcpy(&hi, in.v128.bytes + 8, 8);
    if (fuse_) {
      push_const(ValType::V128, lo, hi);
    } else {
      Entry e;
      e.type = ValType::V128;
      e.kind = Entry::Const;
      e.bits[0] = lo;
      e.bits[1] = hi;
      emit_move(push(ValType::V128).slot, e);
    }
    return;
  }
  if (form == SimdForm::Store || form == SimdForm::StoreLane) {
    emit_store(h, in);
    if (form == SimdForm::StoreLane) word(in.lane);
    return;
  }
  // Every other form pops its operands (bottom first in the words) and
  // pushes one result.
  std::vector<uint32_t> operands(info.params.size());
  for (size_t i = operands.size(); i-- > 0;) operands[i] = src(pop());
  push(type_from_char(info.results[0]));
  const size_t start = begin(h);
  word(stack_.back().slot);
  for (uint32_t o : operands) word(o);
  switch (form) {
    case SimdForm::ExtractLane:
    case SimdForm::ReplaceLane:
      word(in.lane);
      break;
    case SimdForm::Shuffle: {
      uint64_t lo, hi;
      std::memcpy(&lo, in.v128.bytes, 8);
      std::memcpy(&hi, in.v128.bytes + 8, 8);
      word(lo);
      word(hi);
      break;
    }
    case SimdForm::Load:
      word(in.mem_offset);
      break;
    case SimdForm::LoadLane:
      word(in.mem_offset);
      word(in.lane);
      break;
    default:
      break;
  }
  produced(start + 1);
}

void Compiler::local_set(uint32_t index, bool tee) {
  const uint32_t local = cf_.local_slot[index];
  const ValType t = cf_.local_types[index];
  Entry e = pop();
  const bool aliased = std::any_of(stack_.begin(), stack_.end(), [&](const Entry& x) {
    return x.kind == Entry::Local && x.local == local;
  });
  const uint64_t zero_bit = local >= cf_.param_slots && local - cf_.param_slots < 64
                                ? uint64_t(1) << (local - cf_.param_slots) : 0;
  const bool numeric = t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
  const bool writes_zero = numeric && e.kind == Entry::Const && e.bits[0] == 0;
  if (fuse_ && writes_zero && (zero_locals_ & zero_bit)) {
    // The local still holds the zero it was entered with.
  } else if (!(e.kind == Entry::Local && e.local == local)) {
    zero_locals_ &= ~zero_bit;
    if (!aliased && e.kind == Entry::Slot && is_last_result(e)) {
      // The producer writes the local directly. After a tee the local is
      // still the last result, for consumers that fold its producer in.
      code_[producer_.dst_word].u = local;
      producer_.valid = tee;
      producer_.local = local;
      compare_.valid = false;
      if (!tee) add_to_local(local);
    } else {
      for (Entry& x : stack_)
        if (x.kind == Entry::Local && x.local == local) materialize(x);
      emit_move(local, e);
    }
  }
  if (!tee) return;
  if (fuse_) {
    push_local(t, local);
  } else {
    // Unfused: the value stays materialised in its home slot.
    Entry& x = push(t);
    x.kind = Entry::Slot;
    emit_move(x.slot, [&] { Entry l; l.type = t; l.kind = Entry::Local; l.local = local; return l; }());
  }
}

}  // namespace compiler_detail

using compiler_detail::Compiler;
using compiler_detail::kNone;

const CompiledFunction::Position* CompiledFunction::position_at(uint32_t i) const {
  auto it = std::upper_bound(positions.begin(), positions.end(), i,
                             [](uint32_t v, const Position& p) { return v < p.code_index; });
  if (it == positions.begin()) return nullptr;
  return &*(it - 1);
}

Status compile_function(CompiledFunction* cf, bool fuse) {
  Compiler c(cf, fuse, false, kNone, nullptr);
  return c.run();
}

Status compile_debug_function(CompiledFunction* cf) {
  Compiler c(cf, false, true, kNone, nullptr);
  return c.run();
}

bool describe_position(const CompiledFunction& cf, uint32_t code_index, PositionState* out) {
  CompiledFunction copy;
  copy.func = cf.func;
  copy.instance = cf.instance;
  copy.memory = cf.memory;
  copy.func_index = cf.func_index;
  Compiler c(&copy, cf.fused, cf.step_checks, code_index, out);
  if (!c.run()) return false;
  return c.probe_found();
}

uint32_t code_index_at_offset(const CompiledFunction& cf, uint32_t offset) {
  for (const auto& p : cf.positions)
    if (p.offset >= offset) return p.code_index;
  return UINT32_MAX;
}

static bool is_position(const CompiledFunction& cf, uint32_t code_index) {
  auto it = std::lower_bound(cf.positions.begin(), cf.positions.end(), code_index,
                             [](const CompiledFunction::Position& p, uint32_t v) { return p.code_index < v; });
  return it != cf.positions.end() && it->code_index == code_index;
}

bool set_breakpoint(CompiledFunction* cf, uint32_t code_index) {
  if (!is_position(*cf, code_index)) return false;
  if (cf->patches.count(code_index)) return true;
  cf->patches[code_index] = cf->code[code_index].h;
  set_handler(cf->code[code_index], h::breakpoint);
  return true;
}

bool clear_breakpoint(CompiledFunction* cf, uint32_t code_index) {
  auto it = cf->patches.find(code_index);
  if (it == cf->patches.end()) return false;
  set_handler(cf->code[code_index], it->second);
  cf->patches.erase(it);
  return true;
}

}  // namespace ws

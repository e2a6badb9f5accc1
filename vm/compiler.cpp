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
#include "compiler.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "code_reader.h"
#include "handlers.h"
#include "simd_ops.h"

namespace ws {
namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();

ValType type_from_char(char c) {
  switch (c) {
    case 'i': return ValType::I32;
    case 'l': return ValType::I64;
    case 'f': return ValType::F32;
    case 'd': return ValType::F64;
    default: return ValType::V128;
  }
}

bool is_commutative(Op op) {
  switch (op) {
    case Op::I32Add: case Op::I32Mul: case Op::I32And: case Op::I32Or: case Op::I32Xor:
    case Op::I32Eq: case Op::I32Ne:
    case Op::I64Add: case Op::I64Mul: case Op::I64And: case Op::I64Or: case Op::I64Xor:
    case Op::I64Eq: case Op::I64Ne:
      return true;
    default:
      return false;
  }
}

// The compare whose result is the negation of `op`'s, for branching on a
// false condition; Op::Count_ if there is none with a branch handler.
Op complement(Op op) {
  switch (op) {
#define PAIR(a, b) case Op::a: return Op::b; case Op::b: return Op::a;
    PAIR(I32Eq, I32Ne) PAIR(I32LtS, I32GeS) PAIR(I32LtU, I32GeU) PAIR(I32GtS, I32LeS)
    PAIR(I32GtU, I32LeU) PAIR(I64Eq, I64Ne) PAIR(I64LtS, I64GeS) PAIR(I64LtU, I64GeU)
    PAIR(I64GtS, I64LeS) PAIR(I64GtU, I64LeU)
#undef PAIR
    default: return Op::Count_;
  }
}

struct Label {
  Op kind = Op::Block;            // Block, Loop, If; Nop for the function body
  size_t base = 0;                // stack entries below the label's params
  uint32_t base_slot = 0;         // home slot of the first param / result
  std::vector<ValType> params, results;
  size_t loop_head = 0;           // Loop: code index of its first instruction
  std::vector<size_t> fixups;     // words to patch with the end's code index
  size_t else_fixup = kNone;      // If: the false branch's target word
  const std::vector<ValType>& branch_types() const { return kind == Op::Loop ? params : results; }
};

class Compiler {
 public:
  Compiler(CompiledFunction* cf, bool fuse, size_t probe, PositionState* probe_out)
      : cf_(*cf), inst_(*cf->instance), m_(*inst_.module), fuse_(fuse),
        probe_(probe), probe_out_(probe_out), code_(cf->code) {}

  Status run();
  bool probe_found() const { return probe_found_; }

 private:
  using Entry = StackItem;

  // ---- emission ----
  size_t begin(Handler h) {
    const size_t at = code_.size();
    if (probe_out_ && at == probe_) {
      probe_out_->offset = instr_.offset;
      probe_out_->stack = snapshot_;
      probe_found_ = true;
    }
    cf_.positions.push_back({uint32_t(at), instr_.offset});
    producer_.valid = compare_.valid = false;
    word_h(h);
    return at;
  }
  void word_h(Handler h) { CodeWord w; w.h = h; code_.push_back(w); }
  void word(uint64_t u) { CodeWord w; w.u = u; code_.push_back(w); }
  void word_p(const void* p) { CodeWord w; w.p = p; code_.push_back(w); }
  // A branch target word, holding a code index until finish() makes it a pointer.
  size_t target_word(size_t index) {
    targets_.push_back(code_.size());
    word(index);
    return code_.size() - 1;
  }
  void patch(size_t word_index, size_t target) { code_[word_index].u = target; }
  void truncate(size_t at) {
    code_.resize(at);
    while (!cf_.positions.empty() && cf_.positions.back().code_index >= at) cf_.positions.pop_back();
    while (!targets_.empty() && targets_.back() >= at) targets_.pop_back();
  }

  // ---- operand stack model ----
  uint32_t height() const {
    return stack_.empty() ? cf_.local_slots : stack_.back().slot + slot_count(stack_.back().type);
  }
  Entry& push(ValType t) {
    Entry e;
    e.type = t;
    e.slot = height();
    stack_.push_back(e);
    max_slots_ = std::max(max_slots_, e.slot + slot_count(t));
    return stack_.back();
  }
  void push_local(ValType t, uint32_t local_slot) {
    Entry& e = push(t);
    e.kind = Entry::Local;
    e.local = local_slot;
  }
  void push_const(ValType t, uint64_t lo, uint64_t hi = 0) {
    Entry& e = push(t);
    e.kind = Entry::Const;
    e.bits[0] = lo;
    e.bits[1] = hi;
  }
  Entry pop() {
    Entry e = stack_.back();
    stack_.pop_back();
    return e;
  }
  void emit_move(uint32_t dst, const Entry& e) {
    const bool wide = e.type == ValType::V128;
    if (e.kind == Entry::Const) {
      begin(wide ? h::constant2 : h::constant);
      word(dst);
      word(e.bits[0]);
      if (wide) word(e.bits[1]);
    } else {
      const uint32_t from = e.kind == Entry::Local ? e.local : e.slot;
      if (from == dst) return;
      begin(wide ? h::copy2 : h::copy);
      word(dst);
      word(from);
    }
  }
  void materialize(Entry& e) {
    if (e.kind == Entry::Slot) return;
    emit_move(e.slot, e);
    e.kind = Entry::Slot;
  }
  void materialize_all() {
    for (Entry& e : stack_) materialize(e);
  }
  void materialize_top(size_t n) {
    for (size_t i = stack_.size() - n; i < stack_.size(); ++i) materialize(stack_[i]);
  }
  // The slot an instruction reads a popped entry from (constants get written
  // to their home slot first, which is free once popped).
  uint32_t src(Entry e) {
    if (e.kind == Entry::Local) return e.local;
    if (e.kind == Entry::Const) materialize(e);
    return e.slot;
  }
  // Records that the instruction just emitted wrote its single result, the
  // stack top, through the word at dst_word (local.set/tee may redirect it).
  void produced(size_t dst_word) {
    producer_ = {true, dst_word, code_.size(), stack_.back().slot};
  }
  // True if the stack entry `e` is the result of the last instruction, which
  // was `op` with an immediate right operand (the caller may then fold it).
  bool produced_by_imm(const Entry& e, Op op) const {
    return fuse_ && producer_.valid && e.kind == Entry::Slot && producer_.slot == e.slot &&
           producer_.end == code_.size() && last_.end == code_.size() && last_.op == op && last_.imm;
  }

  // ---- instructions ----
  Status instruction(const Instr& in);
  void numeric(const Instr& in);
  void memory_access(const Instr& in);
  void simd(const Instr& in);
  void local_set(uint32_t local, bool tee);
  std::vector<ValType> block_params(const BlockType& bt) const;
  std::vector<ValType> block_results(const BlockType& bt) const;
  void enter_block(const Instr& in);
  void else_();
  void end();
  void branch(uint32_t depth);
  void branch_if(uint32_t depth);
  void branch_table(const Instr& in);
  bool needs_copies(const Label& l) const;
  void emit_copies_and_jump(Label& l);
  void emit_return();
  void call(uint32_t funcidx, bool tail);
  void call_indirect(uint32_t typeidx, uint32_t tableidx, bool tail);
  uint32_t args_base(const FuncType& t);
  void emit_return_from_slots(uint32_t base, uint32_t slots);
  // A conditional jump on `cond`, taken when cond != 0 (want_true) or == 0.
  struct CondJump {
    Op op = Op::Count_;      // fused compare / eqz, or Count_: test slot `a`
    bool imm = false;        // compare against the immediate b
    bool when_zero = false;  // Count_: jump when a == 0
    uint64_t a = 0, b = 0;
  };
  CondJump prepare_cond(Entry cond, bool want_true);
  // Emits the jump; `back` when the target is a loop head.
  size_t emit_cond(const CondJump& j, size_t target, bool back);
  void finish();

  CompiledFunction& cf_;
  InstanceState& inst_;
  const Module& m_;
  const bool fuse_;
  const size_t probe_;
  PositionState* probe_out_;
  bool probe_found_ = false;
  std::vector<Entry> snapshot_;
  std::vector<CodeWord>& code_;
  std::vector<Entry> stack_;
  std::vector<Label> labels_;
  std::vector<size_t> targets_;  // words holding code indices of branch targets
  uint32_t max_slots_ = 0;
  Instr instr_;
  bool dead_ = false;         // after an unconditional branch, until the label ends
  uint32_t dead_depth_ = 0;   // blocks opened inside dead code
  struct Producer {
    bool valid = false;
    size_t dst_word = 0, end = 0;
    uint32_t slot = 0;
  } producer_;
  struct LastBinary {  // operands of the last binary instruction emitted
    Op op = Op::Nop;
    bool imm = false;
    size_t start = 0, end = 0;
    uint64_t a = 0, b = 0;
  } last_;
  struct Compare {
    bool valid = false;
    size_t start = 0, end = 0;
    Op op = Op::Nop;
    uint64_t a = 0, b = 0;
    bool b_imm = false, unary = false;
    uint32_t slot = 0;
  } compare_;

};

Status Compiler::run() {
  const FuncBody& body = m_.funcs[cf_.func_index - m_.num_imported_funcs];
  const FuncType& type = m_.types[body.type];
  cf_.code.clear();
  cf_.positions.clear();
  cf_.patches.clear();
  cf_.fused = fuse_;
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
  fn.results = type.results;
  labels_.push_back(fn);

  instr_.offset = body.code_offset;
  const uint32_t zeroed = cf_.local_slots - cf_.param_slots;
  if (zeroed > 0 && zeroed <= 4) {
    // Slots past the locals are free at entry, so zeroing 4 is harmless.
    begin(h::zero_locals4);
    word(cf_.param_slots);
    max_slots_ = std::max(max_slots_, cf_.param_slots + 4);
  } else if (zeroed > 4) {
    begin(h::zero_locals);
    word(cf_.param_slots);
    word(zeroed);
  }

  CodeReader reader(m_.binary.data(), body.code_offset, body.code_end);
  while (!reader.at_end() && !labels_.empty()) {
    if (!reader.next(&instr_)) {
      Error e{reader.error(), "code", reader.error_offset(), cf_.func_index, ""};
      return e;
    }
    if (probe_out_) snapshot_ = stack_;
    Status s = instruction(instr_);
    if (!s) return s;
  }
  finish();
  return Ok{};
}

void Compiler::finish() {
  cf_.frame_slots = max_slots_;
  for (size_t w : targets_) code_[w].target = code_.data() + code_[w].u;
}

Status Compiler::instruction(const Instr& in) {
  const Op op = in.op;
  if (dead_) {
    switch (op) {
      case Op::Block: case Op::Loop: case Op::If:
        ++dead_depth_;
        return Ok{};
      case Op::Else:
        if (dead_depth_ == 0) else_();
        return Ok{};
      case Op::End:
        if (dead_depth_ > 0) --dead_depth_;
        else end();
        return Ok{};
      default:
        return Ok{};
    }
  }
  switch (op) {
    case Op::Unreachable:
      begin(h::unreachable);
      dead_ = true;
      return Ok{};
    case Op::Nop:
      if (!fuse_) begin(h::nop);
      return Ok{};
    case Op::Block: case Op::Loop: case Op::If:
      enter_block(in);
      return Ok{};
    case Op::Else: else_(); return Ok{};
    case Op::End: end(); return Ok{};
    case Op::Br: branch(in.index); return Ok{};
    case Op::BrIf: branch_if(in.index); return Ok{};
    case Op::BrTable: branch_table(in); return Ok{};
    case Op::Return:
      emit_return();
      dead_ = true;
      return Ok{};
    case Op::Call: call(in.index, false); return Ok{};
    case Op::ReturnCall: call(in.index, true); return Ok{};
    case Op::CallIndirect: call_indirect(in.index, in.index2, false); return Ok{};
    case Op::ReturnCallIndirect: call_indirect(in.index, in.index2, true); return Ok{};
    case Op::Drop:
      pop();
      if (!fuse_) begin(h::nop);
      return Ok{};
    case Op::Select: case Op::SelectT: {
      const Entry c = pop(), b = pop(), a = pop();
      const uint32_t sa = src(a), sb = src(b), sc = src(c);
      push(a.type);
      begin(a.type == ValType::V128 ? h::select2 : h::select);
      const size_t dst = code_.size();
      word(stack_.back().slot);
      word(sa);
      word(sb);
      word(sc);
      produced(dst);
      return Ok{};
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
      return Ok{};
    }
    case Op::LocalSet: local_set(in.index, false); return Ok{};
    case Op::LocalTee: local_set(in.index, true); return Ok{};
    case Op::GlobalGet: {
      Global* g = inst_.globals[in.index];
      const bool wide = g->type.type == ValType::V128;
      push(g->type.type);
      begin(wide ? h::global_get2 : h::global_get);
      const size_t dst = code_.size();
      word(stack_.back().slot);
      word_p(&g->value.i64);
      produced(dst);
      return Ok{};
    }
    case Op::GlobalSet: {
      Global* g = inst_.globals[in.index];
      const uint32_t s = src(pop());
      begin(g->type.type == ValType::V128 ? h::global_set2 : h::global_set);
      word_p(&g->value.i64);
      word(s);
      return Ok{};
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
      return Ok{};
    }
    case Op::TableSet: {
      const Entry v = pop(), i = pop();
      const uint32_t si = src(i), sv = src(v);
      begin(h::table_set);
      word_p(inst_.tables[in.index]);
      word(si);
      word(sv);
      return Ok{};
    }
    case Op::MemorySize:
      push(ValType::I32);
      begin(h::memory_size);
      word(stack_.back().slot);
      return Ok{};
    case Op::MemoryGrow: {
      const uint32_t d = src(pop());
      push(ValType::I32);
      begin(h::memory_grow);
      word(stack_.back().slot);
      word(d);
      return Ok{};
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
      return Ok{};
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
      return Ok{};
    }
    case Op::RefIsNull: {
      // A null reference is 0 in every slot, so this is i64.eqz.
      const Entry a = pop();
      const uint32_t sa = src(a);
      push(ValType::I32);
      const size_t start = begin(op_handlers().plain[size_t(Op::I64Eqz)]);
      word(stack_.back().slot);
      word(sa);
      produced(start + 1);
      compare_ = {true, start, code_.size(), Op::I64Eqz, sa, 0, false, true, stack_.back().slot};
      return Ok{};
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
      return Ok{};
    }
    case Op::DataDrop:
      begin(h::data_drop);
      word_p(&inst_);
      word(in.index);
      return Ok{};
    case Op::MemoryCopy:
    case Op::MemoryFill: {
      const Entry n = pop(), s = pop(), d = pop();
      const uint32_t sd = src(d), ss = src(s), sn = src(n);
      begin(op == Op::MemoryCopy ? h::memory_copy : h::memory_fill);
      word(sd);
      word(ss);
      word(sn);
      return Ok{};
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
      return Ok{};
    }
    case Op::ElemDrop:
      begin(h::elem_drop);
      word_p(&inst_);
      word(in.index);
      return Ok{};
    case Op::TableCopy: {
      const Entry n = pop(), s = pop(), d = pop();
      const uint32_t sd = src(d), ss = src(s), sn = src(n);
      begin(h::table_copy);
      word_p(inst_.tables[in.index]);
      word_p(inst_.tables[in.index2]);
      word(sd);
      word(ss);
      word(sn);
      return Ok{};
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
      return Ok{};
    }
    case Op::TableSize:
      push(ValType::I32);
      begin(h::table_size);
      word(stack_.back().slot);
      word_p(inst_.tables[in.index]);
      return Ok{};
    case Op::TableFill: {
      const Entry n = pop(), v = pop(), i = pop();
      const uint32_t si = src(i), sv = src(v), sn = src(n);
      begin(h::table_fill);
      word_p(inst_.tables[in.index]);
      word(si);
      word(sv);
      word(sn);
      return Ok{};
    }
    default:
      break;
  }
  const OpInfo& info = op_info(op);
  if (info.prefix == 0xFD) {
    simd(in);
    return Ok{};
  }
  if (info.imm == Imm::Mem) {
    memory_access(in);
    return Ok{};
  }
  if (op_handlers().plain[size_t(op)]) {
    numeric(in);
    return Ok{};
  }
  Error e{"instruction not supported by the compiler", "code", in.offset, cf_.func_index,
          std::string(info.name)};
  return e;
}

void Compiler::numeric(const Instr& in) {
  const Op op = in.op;
  const OpInfo& info = op_info(op);
  const OpHandlers& hs = op_handlers();
  const ValType result = type_from_char(info.results[0]);
  if (info.params.size() == 1) {
    const uint32_t a = src(pop());
    push(result);
    const size_t start = begin(hs.plain[size_t(op)]);
    word(stack_.back().slot);
    word(a);
    produced(start + 1);
    if (hs.branch[size_t(op)])
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
    return;
  }
  if (fuse_ && a.kind == Entry::Const && b.kind != Entry::Const && is_commutative(op))
    std::swap(a, b);
  const bool use_imm = fuse_ && b.kind == Entry::Const && hs.imm[size_t(op)];
  const uint32_t sa = src(a);
  const uint64_t sb = use_imm ? b.bits[0] : src(b);
  push(result);
  const size_t start = begin(use_imm ? hs.imm[size_t(op)] : hs.plain[size_t(op)]);
  word(stack_.back().slot);
  word(sa);
  word(sb);
  produced(start + 1);
  last_ = {op, use_imm, start, code_.size(), sa, sb};
  if (hs.branch[size_t(op)])
    compare_ = {true, start, code_.size(), op, sa, sb, use_imm, false, stack_.back().slot};
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
    const Entry v = pop(), a = pop();
    const uint32_t sa = src(a), sv = src(v);
    begin(h);
    word(sa);
    word(sv);
    word(in.mem_offset);
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

void Compiler::memory_access(const Instr& in) {
  const OpInfo& info = op_info(in.op);
  Handler h = op_handlers().plain[size_t(in.op)];
  // A constant address folds into the offset: [dst, ea] / [ea, value].
  const bool abs = fuse_ && stack_[stack_.size() - (info.results.empty() ? 2 : 1)].kind == Entry::Const;
  if (abs) {
    const bool load = !info.results.empty();
    const Entry v = load ? Entry{} : pop();
    const uint64_t ea = uint64_t(uint32_t(pop().bits[0])) + in.mem_offset;
    const uint32_t sv = load ? 0 : src(v);
    if (load) push(type_from_char(info.results[0]));
    const size_t start = begin(op_handlers().imm[size_t(in.op)]);
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
  if (!info.results.empty() && produced_by_imm(stack_.back(), Op::I32Add)) {
    // The address is x + K (wrapping at 32 bits) of the last instruction.
    const LastBinary add = last_;
    const uint32_t address_slot = pop().slot;
    truncate(add.start);
    push(type_from_char(info.results[0]));
    const size_t start = begin(op_handlers().add_imm_address[size_t(in.op)]);
    word(stack_.back().slot);
    word(add.a);
    word(add.b);
    word(in.mem_offset);
    word(address_slot);
    produced(start + 1);
    return;
  }
  if (!info.results.empty()) {
    const uint32_t addr = src(pop());
    push(type_from_char(info.results[0]));
    const size_t start = begin(h);
    word(stack_.back().slot);
    word(addr);
    word(in.mem_offset);
    produced(start + 1);
  } else {
    const Entry v = pop(), a = pop();
    const uint32_t sa = src(a), sv = src(v);
    begin(h);
    word(sa);
    word(sv);
    word(in.mem_offset);
  }
}

void Compiler::local_set(uint32_t index, bool tee) {
  const uint32_t local = cf_.local_slot[index];
  const ValType t = cf_.local_types[index];
  Entry e = pop();
  const bool aliased = std::any_of(stack_.begin(), stack_.end(), [&](const Entry& x) {
    return x.kind == Entry::Local && x.local == local;
  });
  if (!(e.kind == Entry::Local && e.local == local)) {
    if (fuse_ && !aliased && e.kind == Entry::Slot && producer_.valid &&
        producer_.end == code_.size() && producer_.slot == e.slot) {
      // The producer writes the local directly.
      code_[producer_.dst_word].u = local;
      producer_.valid = compare_.valid = false;
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

std::vector<ValType> Compiler::block_params(const BlockType& bt) const {
  if (bt.kind == BlockType::TypeIndex) return m_.types[bt.type_index].params;
  return {};
}
std::vector<ValType> Compiler::block_results(const BlockType& bt) const {
  if (bt.kind == BlockType::TypeIndex) return m_.types[bt.type_index].results;
  if (bt.kind == BlockType::Value) return {bt.value};
  return {};
}

void Compiler::enter_block(const Instr& in) {
  Label l;
  l.kind = in.op;
  l.params = block_params(in.block);
  l.results = block_results(in.block);
  CondJump jump;
  if (in.op == Op::If) jump = prepare_cond(pop(), false);
  materialize_all();
  l.base = stack_.size() - l.params.size();
  l.base_slot = l.base < stack_.size() ? stack_[l.base].slot : height();
  if (in.op == Op::Loop) {
    // Backward branches charge the budget; the head itself costs nothing.
    l.loop_head = code_.size();
    if (!fuse_) begin(h::nop);
    producer_.valid = compare_.valid = false;
  } else if (in.op == Op::If) {
    l.else_fixup = emit_cond(jump, 0, false);
  } else if (!fuse_) {
    begin(h::nop);
  }
  labels_.push_back(std::move(l));
}

void Compiler::else_() {
  Label& l = labels_.back();
  if (!dead_) {
    materialize_top(l.results.size());
    begin(h::br);
    l.fixups.push_back(target_word(0));
  }
  patch(l.else_fixup, code_.size());
  l.else_fixup = kNone;
  stack_.resize(l.base);
  for (ValType t : l.params) push(t);
  dead_ = false;
  producer_.valid = compare_.valid = false;
}

void Compiler::end() {
  Label& l = labels_.back();
  if (labels_.size() == 1) {
    if (!dead_) emit_return();
    labels_.pop_back();
    return;
  }
  if (!dead_) materialize_top(l.results.size());
  if (l.else_fixup != kNone) patch(l.else_fixup, code_.size());
  for (size_t w : l.fixups) patch(w, code_.size());
  stack_.resize(l.base);
  for (ValType t : l.results) push(t);
  labels_.pop_back();
  dead_ = false;
  producer_.valid = compare_.valid = false;
  if (!fuse_) begin(h::nop);
}

// True when taking a branch to `l` must move values: the branch values are
// deferred or not already in the label's slots.
bool Compiler::needs_copies(const Label& l) const {
  const auto& types = l.branch_types();
  uint32_t slot = l.base_slot;
  for (size_t i = 0; i < types.size(); ++i) {
    const Entry& e = stack_[stack_.size() - types.size() + i];
    if (e.kind != Entry::Slot || e.slot != slot) return true;
    slot += slot_count(types[i]);
  }
  return false;
}

// Moves the branch values into the label's slots and jumps (the function
// label returns instead).
void Compiler::emit_copies_and_jump(Label& l) {
  if (&l == &labels_.front()) {
    emit_return();
    return;
  }
  const auto& types = l.branch_types();
  uint32_t slot = l.base_slot;
  for (size_t i = 0; i < types.size(); ++i) {
    emit_move(slot, stack_[stack_.size() - types.size() + i]);
    slot += slot_count(types[i]);
  }
  if (l.kind == Op::Loop) {
    begin(h::br_back);
    target_word(l.loop_head);
  } else {
    begin(h::br);
    l.fixups.push_back(target_word(0));
  }
}

void Compiler::branch(uint32_t depth) {
  emit_copies_and_jump(labels_[labels_.size() - 1 - depth]);
  dead_ = true;
}

Compiler::CondJump Compiler::prepare_cond(Entry cond, bool want_true) {
  const OpHandlers& hs = op_handlers();
  CondJump j;
  if (fuse_ && compare_.valid && compare_.end == code_.size() && cond.kind == Entry::Slot &&
      cond.slot == compare_.slot) {
    bool fused = true;
    if (compare_.unary) {
      // eqz: branch when zero, or (its complement) when non-zero, for i32 only.
      if (want_true) j.op = compare_.op;
      else fused = compare_.op == Op::I32Eqz;  // plain test of the operand
    } else {
      j.op = want_true ? compare_.op : complement(compare_.op);
      fused = j.op != Op::Count_ && hs.branch[size_t(j.op)];
      j.imm = compare_.b_imm;
      j.b = compare_.b;
    }
    if (fused) {
      j.a = compare_.a;
      truncate(compare_.start);
      return j;
    }
  }
  j = CondJump{};
  j.when_zero = !want_true;
  j.a = src(cond);
  return j;
}

size_t Compiler::emit_cond(const CondJump& j, size_t target, bool back) {
  const OpHandlers& hs = op_handlers();
  const size_t op = size_t(j.op);
  if (j.op == Op::Count_) {
    begin(j.when_zero ? h::br_if_z : back ? h::br_if_nz_back : h::br_if_nz);
    word(j.a);
  } else if (op_info(j.op).params.size() == 1) {
    begin(back ? hs.branch_back[op] : hs.branch[op]);
    word(j.a);
  } else {
    begin(back ? (j.imm ? hs.branch_imm_back[op] : hs.branch_back[op])
               : (j.imm ? hs.branch_imm[op] : hs.branch[op]));
    word(j.a);
    word(j.b);
  }
  return target_word(target);
}

void Compiler::branch_if(uint32_t depth) {
  Label& l = labels_[labels_.size() - 1 - depth];
  const Entry cond = pop();
  const bool is_fn = &l == &labels_.front();
  if (!is_fn && !needs_copies(l)) {
    const CondJump j = prepare_cond(cond, true);
    if (l.kind == Op::Loop) {
      emit_cond(j, l.loop_head, true);
    } else {
      l.fixups.push_back(emit_cond(j, 0, false));
    }
    return;
  }
  const CondJump j = prepare_cond(cond, false);
  const size_t skip = emit_cond(j, 0, false);
  emit_copies_and_jump(l);
  patch(skip, code_.size());
  producer_.valid = compare_.valid = false;
}

void Compiler::branch_table(const Instr& in) {
  const Entry index = pop();
  const uint32_t si = src(index);
  std::vector<uint32_t> depths(in.targets, in.targets + in.target_count);
  depths.push_back(in.index);
  begin(h::br_table);
  word(si);
  word(in.target_count);
  const size_t first = code_.size();
  for (size_t i = 0; i < depths.size(); ++i) target_word(0);
  // Targets that need no copies jump straight to the label; the others go
  // through a stub that moves the values first. One stub per distinct label.
  std::vector<std::pair<uint32_t, size_t>> stubs;
  for (size_t i = 0; i < depths.size(); ++i) {
    Label& l = labels_[labels_.size() - 1 - depths[i]];
    const size_t w = first + i;
    const bool is_fn = &l == &labels_.front();
    if (!is_fn && !needs_copies(l)) {
      if (l.kind == Op::Loop) patch(w, l.loop_head);
      else l.fixups.push_back(w);
      continue;
    }
    auto found = std::find_if(stubs.begin(), stubs.end(), [&](auto& s) { return s.first == depths[i]; });
    if (found != stubs.end()) {
      patch(w, found->second);
      continue;
    }
    stubs.push_back({depths[i], code_.size()});
    patch(w, code_.size());
    emit_copies_and_jump(l);
  }
  dead_ = true;
}

void Compiler::emit_return() {
  const auto& results = labels_.front().results;
  if (results.empty()) {
    begin(h::ret0);
    return;
  }
  if (results.size() == 1 && results[0] != ValType::V128) {
    const uint32_t s = src(stack_.back());
    begin(h::ret1);
    word(s);
    return;
  }
  // Materialise for this return only: a conditional return (br_if, br_table)
  // leaves the model of the path that continues unchanged.
  const std::vector<Entry> saved = stack_;
  materialize_top(results.size());
  const Entry& first = stack_[stack_.size() - results.size()];
  emit_return_from_slots(first.slot, height() - first.slot);
  stack_ = saved;
}

void Compiler::emit_return_from_slots(uint32_t base, uint32_t slots) {
  begin(h::retn);
  word(base);
  word(slots);
}

// Materialises the call's arguments in place and returns the slot of the first.
uint32_t Compiler::args_base(const FuncType& t) {
  materialize_top(t.params.size());
  return t.params.empty() ? height() : stack_[stack_.size() - t.params.size()].slot;
}

static uint32_t slots_of(const std::vector<ValType>& types) {
  uint32_t n = 0;
  for (ValType t : types) n += slot_count(t);
  return n;
}

void Compiler::call(uint32_t funcidx, bool tail) {
  Function* f = inst_.funcs[funcidx];
  const FuncType& t = f->type;
  const uint32_t base = args_base(t);
  FunctionState* fs = state_of(f);
  const uint32_t result_slots = slots_of(t.results);
  max_slots_ = std::max(max_slots_, base + result_slots);
  if (tail && fs->compiled) {
    begin(h::return_call);
    word_p(fs->compiled);
    word(base);
    word(slots_of(t.params));
    dead_ = true;
    return;
  }
  if (fs->compiled) {
    begin(fs->compiled->memory == cf_.memory ? h::call_same : h::call);
    word_p(fs->compiled);
  } else {
    begin(h::call_host);
    word_p(f);
  }
  word(base);
  for (size_t i = 0; i < t.params.size(); ++i) pop();
  if (tail) {
    emit_return_from_slots(base, result_slots);
    dead_ = true;
    return;
  }
  for (ValType r : t.results) push(r);
}

void Compiler::call_indirect(uint32_t typeidx, uint32_t tableidx, bool tail) {
  const FuncType& t = m_.types[typeidx];
  const Entry index = pop();
  const uint32_t base = args_base(t);
  const uint32_t si = src(index);
  const uint32_t result_slots = slots_of(t.results);
  max_slots_ = std::max(max_slots_, base + result_slots);
  begin(tail ? h::return_call_indirect : h::call_indirect);
  word_p(inst_.tables[tableidx]);
  word(inst_.type_ids[typeidx]);
  word(base);
  word(si);
  if (tail) {
    word(slots_of(t.params));
    emit_return_from_slots(base, result_slots);
    dead_ = true;
    return;
  }
  for (size_t i = 0; i < t.params.size(); ++i) pop();
  for (ValType r : t.results) push(r);
}

}  // namespace

const CompiledFunction::Position* CompiledFunction::position_at(uint32_t i) const {
  auto it = std::upper_bound(positions.begin(), positions.end(), i,
                             [](uint32_t v, const Position& p) { return v < p.code_index; });
  if (it == positions.begin()) return nullptr;
  return &*(it - 1);
}

Status compile_function(CompiledFunction* cf, bool fuse) {
  Compiler c(cf, fuse, kNone, nullptr);
  return c.run();
}

bool describe_position(const CompiledFunction& cf, uint32_t code_index, PositionState* out) {
  CompiledFunction copy;
  copy.func = cf.func;
  copy.instance = cf.instance;
  copy.memory = cf.memory;
  copy.func_index = cf.func_index;
  Compiler c(&copy, cf.fused, code_index, out);
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
  cf->code[code_index].h = h::breakpoint;
  return true;
}

bool clear_breakpoint(CompiledFunction* cf, uint32_t code_index) {
  auto it = cf->patches.find(code_index);
  if (it == cf->patches.end()) return false;
  cf->code[code_index].h = it->second;
  cf->patches.erase(it);
  return true;
}

}  // namespace ws

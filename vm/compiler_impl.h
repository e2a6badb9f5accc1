// Internal to the compiler: the Compiler class shared by compiler*.cpp.
// compiler.cpp drives the pass and handles stack/numeric instructions,
// compiler_control.cpp blocks and branches, compiler_calls.cpp calls,
// compiler_memory.cpp loads and stores.
#pragma once
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <vector>

#include "code_reader.h"
#include "compiler.h"
#include "handlers.h"

namespace ws {
namespace compiler_detail {

constexpr size_t kNone = std::numeric_limits<size_t>::max();

// The value type of a type letter of opcodes.def. A table: as a switch it
// was a tenth of Compiler::instruction's time (i32.const asks for every one).
struct TypeLetters {
  ValType type[128];
};
constexpr TypeLetters make_type_letters() {
  TypeLetters t{};
  for (ValType& v : t.type) v = ValType::V128;
  t.type[uint8_t('i')] = ValType::I32;
  t.type[uint8_t('l')] = ValType::I64;
  t.type[uint8_t('f')] = ValType::F32;
  t.type[uint8_t('d')] = ValType::F64;
  return t;
}
inline constexpr TypeLetters kTypeLetters = make_type_letters();
inline ValType type_from_char(char c) { return kTypeLetters.type[uint8_t(c) & 127]; }

inline bool is_commutative(Op op) {
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
inline Op complement(Op op) {
  switch (op) {
#define PAIR(a, b) case Op::a: return Op::b; case Op::b: return Op::a;
    PAIR(I32Eq, I32Ne) PAIR(I32LtS, I32GeS) PAIR(I32LtU, I32GeU) PAIR(I32GtS, I32LeS)
    PAIR(I32GtU, I32LeU) PAIR(I64Eq, I64Ne) PAIR(I64LtS, I64GeS) PAIR(I64LtU, I64GeU)
    PAIR(I64GtS, I64LeS) PAIR(I64GtU, I64LeU)
#undef PAIR
    default: return Op::Count_;
  }
}

// A view of a block's param or result types: they live in the module's type
// list (or, for a single value type, in a static table), so labels copy nothing.
class TypeList {
 public:
  TypeList() = default;
  explicit TypeList(const std::vector<ValType>& v) : data_(v.data()), size_(v.size()) {}
  static TypeList single(ValType t) {
    static const ValType kAll[] = {ValType::I32, ValType::I64, ValType::F32, ValType::F64,
                                   ValType::V128, ValType::FuncRef, ValType::ExternRef};
    TypeList l;
    l.data_ = std::find(std::begin(kAll), std::end(kAll), t);
    l.size_ = 1;
    return l;
  }
  const ValType* begin() const { return data_; }
  const ValType* end() const { return data_ + size_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ValType operator[](size_t i) const { return data_[i]; }

 private:
  const ValType* data_ = nullptr;
  size_t size_ = 0;
};

struct Label {
  Op kind = Op::Block;            // Block, Loop, If; Nop for the function body
  size_t base = 0;                // stack entries below the label's params
  uint32_t base_slot = 0;         // home slot of the first param / result
  TypeList params, results;
  size_t loop_head = 0;           // Loop: code index of its first instruction
  // Forward branches to the end, not yet patched: a chain through their
  // target words (each holds the previous one's index; kNone ends it), so
  // labels allocate nothing.
  size_t fixups = kNone;
  size_t else_fixup = kNone;      // If: the false branch's target word
  TypeList branch_types() const { return kind == Op::Loop ? params : results; }
};

class Compiler {
 public:
  Compiler(CompiledFunction* cf, bool fuse, bool step_checks, size_t probe, PositionState* probe_out)
      : cf_(*cf), inst_(*cf->instance), m_(*inst_.module), fuse_(fuse && !step_checks),
        step_(step_checks), probe_(probe), probe_out_(probe_out), handlers_(op_handlers()) {
    swap_scratch();
  }
  ~Compiler() { swap_scratch(); }
  Compiler(const Compiler&) = delete;
  Compiler& operator=(const Compiler&) = delete;

  Status run();
  bool probe_found() const { return probe_found_; }

 private:
  using Entry = StackItem;

  // ---- emission ----
  size_t begin(Handler h) {
    const size_t at = code_.size();
    if (probe_out_ && at == probe_) {
      if (!probe_found_) {  // the first handler emitted here; fusion may replace it
        probe_out_->start_offset = instr_.offset;
        probe_out_->start_stack = snapshot_;
      }
      probe_out_->offset = instr_.offset;
      probe_out_->stack = snapshot_;
      probe_found_ = true;
    }
    positions_.push_back({uint32_t(at), instr_.offset});
    forget_last_handler();
    word_h(h);
    return at;
  }
  // Replaces the handlers from code index `at` on by `h`, which does their
  // work and can trap in the first one: the position and the probed stack
  // stay that handler's, so a trap is reported as the unfused code's.
  void begin_in_place_of(size_t at, Handler h) {
    uint32_t offset = instr_.offset;
    for (size_t i = positions_.size(); i-- > 0 && positions_[i].code_index >= at;)
      if (positions_[i].code_index == at) offset = positions_[i].offset;
    truncate(at);
    positions_.push_back({uint32_t(at), offset});
    forget_last_handler();
    word_h(h);
  }
  // Forced inline: out of line they cost a few percent of compile time.
  __attribute__((always_inline)) void word_h(Handler h) { CodeWord w; set_handler(w, h); code_.push_back(w); }
  __attribute__((always_inline)) void word(uint64_t u) { CodeWord w; w.u = u; code_.push_back(w); }
  __attribute__((always_inline)) void word_p(const void* p) { CodeWord w; w.p = p; code_.push_back(w); }
  // A branch target word, holding a code index until finish() makes it a pointer.
  size_t target_word(size_t index) {
    targets_.push_back(code_.size());
    word(index);
    return code_.size() - 1;
  }
  void patch(size_t word_index, size_t target) { code_[word_index].u = target; }
  void add_fixup(Label& l, size_t word_index) {
    code_[word_index].u = l.fixups;
    l.fixups = word_index;
  }
  void patch_fixups(const Label& l, size_t target) {
    for (size_t w = l.fixups; w != kNone;) {
      const size_t next = code_[w].u;
      patch(w, target);
      w = next;
    }
  }
  void truncate(size_t at) {
    code_.resize(at);
    while (!positions_.empty() && positions_.back().code_index >= at) positions_.pop_back();
    while (!targets_.empty() && targets_.back() >= at) targets_.pop_back();
    // Records of removed handlers are void: a replacement of another length
    // could end where they did.
    if (producer_.end > at) producer_.valid = false;
    if (compare_.end > at) compare_.valid = false;
    if (add_shl_.end > at) add_shl_.valid = false;
    if (move_.end > at) move_.valid = false;
    if (add_local_.end > at) add_local_.valid = false;
    if (load_add_store_.end > at) load_add_store_.valid = false;
    if (load_.end > at) load_.valid = false;
    if (last_.end > at) last_.end = kNone;
  }

  // ---- operand stack model ----
  uint32_t height() const {
    return stack_.empty() ? cf_.local_slots : stack_.back().slot + slot_count(stack_.back().type);
  }
  Entry& push(ValType t) {
    const uint32_t slot = height();
    // Filled in place: building an Entry on the side and copying it in made
    // the copy's wide load wait on the narrow field stores.
    Entry& e = stack_.emplace_back();
    e.type = t;
    e.slot = slot;
    max_slots_ = std::max(max_slots_, slot + slot_count(t));
    return e;
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
    const bool is_const = e.kind == Entry::Const;
    if (wide) {
      if (is_const) {
        begin(h::constant2);
        word(dst);
        word(e.bits[0]);
        word(e.bits[1]);
      } else if (slot_of(e) != dst) {
        begin(h::copy2);
        word(dst);
        word(slot_of(e));
      }
      return;
    }
    const uint64_t from = is_const ? e.bits[0] : slot_of(e);
    if (!is_const && from == dst) return;
    // Scalar moves in a row (phi moves, call arguments) run as one handler,
    // in their order: the run so far is emitted again with this one added.
    size_t start = code_.size();
    if (move_.valid && move_.end == code_.size() && move_run_size_ < kMaxMoveRun) {
      start = move_.start;
      truncate(start);
    } else {
      move_run_size_ = 0;
    }
    move_run_[move_run_size_++] = {is_const, dst, from};
    const size_t n = move_run_size_;
    if (n == 1) {
      begin(is_const ? h::constant : h::copy);
    } else if (n == 2) {
      static constexpr Handler kPair[2][2] = {{h::copy_copy, h::copy_constant},
                                              {h::constant_copy, h::constant_constant}};
      begin(kPair[move_run_[0].is_const][is_const]);
    } else {
      begin(h::moves);
      word(n);
    }
    for (size_t i = 0; i < n; ++i) {
      const MoveWords& m = move_run_[i];
      word(n > 2 && m.is_const ? m.dst | h::kMoveConstant : m.dst);
      word(m.from);
    }
    if (fuse_) move_ = {true, start, code_.size()};
  }
  // Where a non-constant entry's value is: its local, or its home slot.
  static uint32_t slot_of(const Entry& e) { return e.kind == Entry::Local ? e.local : e.slot; }
  // Code index `here` becomes a branch target: nothing emitted before it
  // may fuse with what follows.
  void target_here() {
    forget_last_handler();
    add_local_.valid = false;
    load_.valid = false;
  }
  // A new handler starts: the records describing the last one no longer do.
  void forget_last_handler() {
    producer_.valid = compare_.valid = add_shl_.valid = move_.valid = false;
    load_add_store_.valid = false;
  }
  // Where unfused code can stop between instructions: a nop, or in debug
  // code a step check.
  void boundary() { begin(step_ ? h::step_check : h::nop); }
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
    producer_ = {true, dst_word - 1, dst_word, code_.size(), stack_.back().slot, kNoLocal};
  }
  // True if the stack entry `e` is the result of the last instruction, which
  // was `op` with an immediate right operand (the caller may then fold it).
  bool produced_by_imm(const Entry& e, Op op) const { return produced_by(e, op) && last_.imm; }
  // The same with either form of right operand (see last_.imm).
  bool produced_by(const Entry& e, Op op) const {
    return is_last_result(e) && e.kind == Entry::Slot && last_.end == code_.size() && last_.op == op;
  }
  // The same, also accepting the result after a local.tee wrote it straight
  // into its local (`e` is then that local): for fusions whose handler still
  // writes the result, to slot_of(e).
  bool produced_or_teed_by(const Entry& e, Op op) const {
    return is_last_result(e) && last_.end == code_.size() && last_.op == op;
  }
  bool is_last_result(const Entry& e) const {
    if (!fuse_ || !producer_.valid || producer_.end != code_.size()) return false;
    if (producer_.local != kNoLocal) return e.kind == Entry::Local && e.local == producer_.local;
    return e.kind == Entry::Slot && e.slot == producer_.slot;
  }

  // ---- instructions ----
  // False for an instruction the compiler does not support. `op` is in.op;
  // CodeReader::visit passes it as a constant for one-byte opcodes, so the
  // switch on it folds into each opcode's case.
  bool instruction(Op op, const Instr& in);
  struct Visitor {
    Compiler& c;
    template <Op K>
    __attribute__((always_inline)) bool known(const Instr& in) { return c.instruction(K, in); }
    bool dynamic(const Instr& in) { return c.instruction(in.op, in); }
  };
  void numeric(const Instr& in);
  void memory_access(const Instr& in);
  void emit_store(Handler h, const Instr& in);
  void simd(const Instr& in);
  void local_set(uint32_t local, bool tee);
  bool global_set_of_add(Global* g);
  void add_to_local(uint32_t local);
  TypeList block_params(const BlockType& bt) const;
  TypeList block_results(const BlockType& bt) const;
  void enter_block(const Instr& in);
  void else_();
  void end();
  void branch(uint32_t depth);
  void branch_if(uint32_t depth);
  void branch_table(const Instr& in);
  bool masked_br_table(const Entry& index);
  bool needs_copies(const Label& l) const;
  void emit_copies_and_jump(Label& l);
  void emit_return();
  void call(uint32_t funcidx, bool tail);
  void call_indirect(uint32_t typeidx, uint32_t tableidx, bool tail);
  uint32_t args_base(const FuncType& t);
  bool fold_argument_moves(size_t n, Entry* index);
  void emit_argument_moves();
  void emit_return_from_slots(uint32_t base, uint32_t slots);
  // A conditional jump on `cond`, taken when cond != 0 (want_true) or == 0.
  struct CondJump {
    Op op = Op::Count_;      // fused compare / eqz, or Count_: test slot `a`
    bool imm = false;        // compare against the immediate b
    bool and_test = false;   // op (I32Ne, I32Eq) compares a & b with 0
    bool add_test = false;   // Count_: tests a + b (immediate), also written to add_dst
    uint64_t add_dst = 0;
    // Count_: tests the sum of the i32_load_add_imm_store just emitted; a
    // forward branch replaces it, taking its immediates
    bool load_add_store = false;
    bool when_zero = false;  // Count_: jump when a == 0
    uint64_t a = 0, b = 0;
  };
  CondJump prepare_cond(Entry cond, bool want_true);
  // Emits the jump; `back` when the target is a loop head.
  size_t emit_cond(const CondJump& j, size_t target, bool back);
  bool branch_on_load(const CondJump& j);
  void finish();
  void pair_handlers();
  // Trades the working buffers with the thread's scratch set (see Scratch
  // in compiler.cpp): each compilation starts with the capacity the previous
  // ones grew, and a nested compilation just gets empty buffers.
  void swap_scratch();

  CompiledFunction& cf_;
  InstanceState& inst_;
  const Module& m_;
  const bool fuse_;
  const bool step_;  // debug code: a step check starts every instruction
  const size_t probe_;
  PositionState* probe_out_;
  bool probe_found_ = false;
  const OpHandlers& handlers_;  // looked up once, not per instruction
  std::vector<Entry> snapshot_;
  // Built here and copied to cf_ by finish(): as members rather than
  // references into cf_, appending to them compiles to tighter code.
  std::vector<CodeWord> code_;
  std::vector<CompiledFunction::Position> positions_;
  std::vector<Entry> stack_;
  std::vector<Label> labels_;
  std::vector<size_t> targets_;  // words holding code indices of branch targets
  std::vector<size_t> loop_heads_;  // code indices, ascending (fused code only)
  uint32_t max_slots_ = 0;
  Instr instr_;
  // Bit i: declared-local slot i (of the first 64) still holds the zero the
  // call entered it with: not written since entry, and no loop head passed
  // (before the first loop, code runs only forward, so an unwritten local is
  // unwritten on every path). Setting such a local to zero emits nothing.
  uint64_t zero_locals_ = 0;
  bool dead_ = false;         // after an unconditional branch, until the label ends
  uint32_t dead_depth_ = 0;   // blocks opened inside dead code
  static constexpr uint32_t kNoLocal = std::numeric_limits<uint32_t>::max();
  struct Producer {
    bool valid = false;
    size_t start = 0;  // the producer's handler word (its dst is the first immediate)
    size_t dst_word = 0, end = 0;
    uint32_t slot = 0;
    uint32_t local = kNoLocal;  // a local.tee redirected the result into this local
  } producer_;
  struct LastBinary {  // operands of the last binary instruction emitted
    Op op = Op::Nop;
    bool imm = false;
    size_t start = 0, end = 0;
    uint64_t a = 0, b = 0;
    // With imm: the start of the handler that computed `a` just before this
    // one (which can then fold into a fused form), or kNone.
    size_t a_from = kNone;
  } last_;
  struct Move {  // the last handler, if it was a run of scalar moves (move_run_)
    bool valid = false;
    size_t start = 0, end = 0;
  } move_;
  struct LoadAddStore {  // the last handler, if it was i32_load_add_imm_store
    bool valid = false;
    size_t start = 0, end = 0;
    uint64_t sum = 0;  // where it wrote the sum
  } load_add_store_;
  // The last i32.load (plain, or with an i32.add K address), for a branch
  // on its value. The compare between them (eqz) is truncated before the
  // branch is emitted, so only code truncation and branch targets void it.
  struct Load {
    bool valid = false;
    bool add = false;
    size_t start = 0, end = 0;
  } load_;
  struct AddToLocal {  // an i32.add K whose result a local.set took (add_to_local)
    bool valid = false;
    size_t start = 0, end = 0;
    uint64_t dst = 0, a = 0, k = 0;
  } add_local_;
  struct MoveWords {
    bool is_const = false;
    uint64_t dst = 0, from = 0;  // from: a slot, or the constant
  };
  static constexpr size_t kMaxMoveRun = 8;
  MoveWords move_run_[kMaxMoveRun];
  size_t move_run_size_ = 0;
  struct AddShl {  // the last instruction, if it was an i32_add_shl
    bool valid = false;
    size_t start = 0, end = 0;
    uint32_t slot = 0;       // its result
    uint64_t a = 0, x = 0, k = 0;
  } add_shl_;
  struct Compare {
    bool valid = false;
    size_t start = 0, end = 0;
    Op op = Op::Nop;
    uint64_t a = 0, b = 0;
    bool b_imm = false, unary = false;
    uint32_t slot = 0;
    // op is I32Ne (or I32Eq) of `a & K` and 0, K in b: an i32.and with a
    // constant (and an eqz of it), branching as a bit test
    bool and_test = false;
  } compare_;

};

}  // namespace compiler_detail
}  // namespace ws

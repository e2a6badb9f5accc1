// Function body type checking (see func_validator.h). Instructions whose
// typing is fixed take their operand types from opcodes.def; the others
// ("*" there) are handled one by one in FuncValidator::instruction.
#include "func_validator.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace ws {
namespace {

// The fixed signature of an instruction, decoded from opcodes.def strings.
struct Signature {
  bool by_hand = false;  // "*": typed by FuncValidator::instruction
  bool checks_immediates = false;  // simple_immediates has something to check
  uint8_t num_params = 0;
  uint8_t params[3] = {};
  uint8_t num_results = 0;
  uint8_t result = 0;
  // The params as the stack holds them, bottom in the low byte, and a mask
  // of their bytes: operands match when (top word & mask) == packed.
  uint32_t packed = 0, mask = 0;
};

constexpr uint8_t type_from_char(char c) {
  switch (c) {
    case 'i': return uint8_t(ValType::I32);
    case 'l': return uint8_t(ValType::I64);
    case 'f': return uint8_t(ValType::F32);
    case 'd': return uint8_t(ValType::F64);
    case 'v': return uint8_t(ValType::V128);
  }
  return 0;
}

constexpr std::array<Signature, kOpCount> make_signatures() {
  std::array<Signature, kOpCount> sigs{};
  for (unsigned i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    Signature& s = sigs[i];
    if (info.params == "*" || info.results == "*") {
      s.by_hand = true;
      continue;
    }
    s.checks_immediates = info.imm != Imm::None && info.imm != Imm::I32 && info.imm != Imm::I64 &&
                          info.imm != Imm::F32 && info.imm != Imm::F64 && info.imm != Imm::V128;
    s.num_params = uint8_t(info.params.size());
    for (size_t k = 0; k < info.params.size(); ++k) {
      s.params[k] = type_from_char(info.params[k]);
      s.packed |= uint32_t(s.params[k]) << (8 * k);
      s.mask |= 0xFFu << (8 * k);
    }
    s.num_results = uint8_t(info.results.size());
    if (!info.results.empty()) s.result = type_from_char(info.results[0]);
  }
  return sigs;
}

constexpr std::array<Signature, kOpCount> kSignatures = make_signatures();

// opcodes.def promises at most three operands and one result.
constexpr bool signatures_fit() {
  for (const OpInfo& info : kOpInfo)
    if (info.params != "*" && (info.params.size() > 3 || info.results.size() > 1)) return false;
  return true;
}
static_assert(signatures_fit(), "opcodes.def signature too long for Signature");

const char* slot_name(uint8_t t) { return t ? valtype_name(ValType(t)) : "unknown"; }

bool is_ref_slot(uint8_t t) { return is_ref(ValType(t)); }

}  // namespace

FuncValidator::FuncValidator(const Module& module, const std::vector<bool>& declared_funcs)
    : m_(module), declared_(declared_funcs) {
  for (const FuncType& t : module.types)
    room_ = std::max({room_, uint32_t(t.params.size()), uint32_t(t.results.size())});
}

bool FuncValidator::fail(std::string message) {
  error_ = std::move(message);
  return false;
}

bool FuncValidator::mismatch(Slot expected, Slot actual, bool missing) {
  std::string msg = "type mismatch: expected ";
  msg += slot_name(expected);
  msg += missing ? ", but the stack is empty" : std::string(", got ") + slot_name(actual);
  return fail(std::move(msg));
}

// ---- operand stack ----

inline bool FuncValidator::pop(Slot expected) {
  if (top_ == floor_) return unreachable_ || mismatch(expected, 0, true);
  const Slot actual = stack_[--top_];
  if (actual != expected && actual != kUnknown && expected != kUnknown)
    return mismatch(expected, actual, false);
  return true;
}

inline bool FuncValidator::pop_any(Slot* actual) {
  if (top_ == floor_) {
    *actual = kUnknown;
    return unreachable_ || fail("type mismatch: expected a value, but the stack is empty");
  }
  *actual = stack_[--top_];
  return true;
}

bool FuncValidator::pop(TypeList t) {
  for (uint32_t i = t.size; i-- > 0;)
    if (!pop(Slot(t.data[i]))) return false;
  return true;
}

bool FuncValidator::check_top(TypeList t) {
  const uint32_t available = top_ - floor_;
  for (uint32_t k = 0; k < t.size; ++k) {
    const Slot expected = Slot(t.data[t.size - 1 - k]);
    if (k >= available) return unreachable_ || mismatch(expected, 0, true);
    const Slot actual = stack_[top_ - 1 - k];
    if (actual != expected && actual != kUnknown) return mismatch(expected, actual, false);
  }
  return true;
}

void FuncValidator::set_unreachable() {
  top_ = floor_;
  unreachable_ = frames_.back().unreachable = true;
}

void FuncValidator::enter_top_frame() {
  floor_ = frames_.back().height;
  unreachable_ = frames_.back().unreachable;
}

// ---- control frames ----

FuncValidator::TypeList FuncValidator::params(const BlockType& bt) const {
  if (bt.kind != BlockType::TypeIndex) return {};
  const FuncType& ft = m_.types[bt.type_index];
  return {ft.params.data(), uint32_t(ft.params.size())};
}

FuncValidator::TypeList FuncValidator::results(const BlockType& bt) const {
  switch (bt.kind) {
    case BlockType::Empty: return {};
    case BlockType::Value: return {&bt.value, 1};
    case BlockType::TypeIndex: {
      const FuncType& ft = m_.types[bt.type_index];
      return {ft.results.data(), uint32_t(ft.results.size())};
    }
  }
  return {};
}

bool FuncValidator::block_type(const BlockType& bt) {
  if (bt.kind == BlockType::TypeIndex && bt.type_index >= m_.types.size())
    return fail("unknown type " + std::to_string(bt.type_index));
  return true;
}

bool FuncValidator::push_frame(Op kind, const BlockType& bt) {
  const TypeList in = params(bt);
  if (!pop(in)) return false;
  frames_.push_back(Frame{kind, bt, top_, false});
  enter_top_frame();
  push(in);
  return true;
}

bool FuncValidator::end_frame() {
  const Frame& f = frames_.back();
  const TypeList out = results(f.type);
  if (!pop(out)) return false;
  if (top_ != f.height)
    return fail("type mismatch: " + std::to_string(top_ - f.height) +
                " extra value(s) on the stack at the end of the block");
  if (f.kind == Op::If) {
    // An if without else passes its parameters through the missing branch.
    const TypeList in = params(f.type);
    bool same = in.size == out.size;
    for (uint32_t i = 0; same && i < in.size; ++i) same = in.data[i] == out.data[i];
    if (!same) return fail("type mismatch: if without else must produce its block's results");
  }
  const BlockType bt = f.type;  // `out` may point into the frame being popped
  frames_.pop_back();
  if (frames_.empty()) return true;
  enter_top_frame();
  push(results(bt));
  return true;
}

// ---- index checks ----

bool FuncValidator::label(uint32_t depth) {
  return depth < frames_.size() || fail("unknown label " + std::to_string(depth));
}
bool FuncValidator::table(uint32_t index) {
  return index < m_.total_tables() || fail("unknown table " + std::to_string(index));
}
bool FuncValidator::memory() { return m_.total_memories() > 0 || fail("unknown memory 0"); }
bool FuncValidator::func(uint32_t index) {
  return index < m_.total_funcs() || fail("unknown function " + std::to_string(index));
}
bool FuncValidator::type_index(uint32_t index) {
  return index < m_.types.size() || fail("unknown type " + std::to_string(index));
}
bool FuncValidator::data_segment(uint32_t index) {
  // Single-pass compilers need the segment count before the code section;
  // the spec only insists when there are segments to refer to.
  if (!m_.data_count && !m_.datas.empty()) {
    error_is_malformed_ = true;  // a binary-format rule, checked here where the code is read
    return fail("data count section required");
  }
  const uint32_t count = m_.data_count ? *m_.data_count : 0;
  return index < count || fail("unknown data segment " + std::to_string(index));
}

bool FuncValidator::memarg(const Instr& in) {
  if (!memory()) return false;
  const unsigned bytes = memory_access_bytes(in.op);
  if (in.align >= 32 || (uint64_t(1) << in.align) > bytes)
    return fail("alignment must not be larger than natural");
  return true;
}

// Immediate checks of instructions with a fixed signature.
bool FuncValidator::simple_immediates(const Instr& in) {
  switch (op_imm(in.op)) {
    case Imm::Mem:
      return memarg(in);
    case Imm::MemLane:
      if (!memarg(in)) return false;
      [[fallthrough]];
    case Imm::Lane:
      return in.lane < lane_count(in.op) || fail("invalid lane index");
    case Imm::Shuffle:
      for (uint8_t lane : in.v128.bytes)
        if (lane >= 32) return fail("invalid lane index");
      return true;
    case Imm::MemIdx:
    case Imm::MemoryCopy:
      return memory();
    case Imm::MemoryInit:
      return memory() && data_segment(in.index);
    case Imm::Data:
      return data_segment(in.index);
    case Imm::Elem:
      return in.index < m_.elems.size() || fail("unknown elem segment " + std::to_string(in.index));
    case Imm::Table:
      return table(in.index);
    case Imm::TableInit: {
      if (!table(in.index2)) return false;
      if (in.index >= m_.elems.size()) return fail("unknown elem segment " + std::to_string(in.index));
      const ValType want = m_.table_type(in.index2).elem;
      return m_.elems[in.index].type == want ||
             fail(std::string("type mismatch: element segment of ") + valtype_name(m_.elems[in.index].type) +
                  " into table of " + valtype_name(want));
    }
    case Imm::TableCopy: {
      if (!table(in.index) || !table(in.index2)) return false;
      const ValType dst = m_.table_type(in.index).elem, src = m_.table_type(in.index2).elem;
      return dst == src || fail(std::string("type mismatch: table.copy from ") + valtype_name(src) +
                                " table to " + valtype_name(dst) + " table");
    }
    default:
      return true;
  }
}

// ---- instructions ----

bool FuncValidator::call(const FuncType& callee, bool tail) {
  if (!pop(TypeList{callee.params.data(), uint32_t(callee.params.size())})) return false;
  if (!tail) {
    push(TypeList{callee.results.data(), uint32_t(callee.results.size())});
    return true;
  }
  // A tail call returns the callee's results as the caller's own.
  if (callee.results.size() != func_results_.size ||
      !std::equal(callee.results.begin(), callee.results.end(), func_results_.data))
    return fail("type mismatch: tail call results differ from the caller's");
  set_unreachable();
  return true;
}

// Fixed signatures (most instructions): their operands are usually all
// there with the exact types, which one masked compare of the stack's top
// word confirms.
template <Op op>
__attribute__((always_inline)) inline bool FuncValidator::fixed_signature(const Instr& in) {
  constexpr Signature sig = kSignatures[unsigned(op)];
  if constexpr (sig.checks_immediates) {
    if (!simple_immediates(in)) return false;
  }
  if constexpr (sig.num_params > 0) {
    uint32_t top_word = ~sig.packed;
    if (top_ - floor_ >= sig.num_params) std::memcpy(&top_word, &stack_[top_ - sig.num_params], 4);
    if ((top_word & sig.mask) == sig.packed) {
      top_ -= sig.num_params;
    } else {
      for (unsigned i = sig.num_params; i-- > 0;)
        if (!pop(sig.params[i])) return false;
    }
  }
  if constexpr (sig.num_results > 0) push(sig.result);
  return true;
}

// A one-byte opcode, known at compile time (from CodeReader::visit).
template <Op op>
__attribute__((always_inline)) inline bool FuncValidator::known(const Instr& in) {
  if constexpr (kSignatures[unsigned(op)].by_hand) return by_hand(op, in);
  else return fixed_signature<op>(in);
}

// A prefixed opcode: looked up at run time.
bool FuncValidator::dynamic(const Instr& in) {
  const Signature& sig = kSignatures[unsigned(in.op)];
  if (sig.by_hand) return by_hand(in.op, in);
  if (sig.checks_immediates && !simple_immediates(in)) return false;
  for (unsigned i = sig.num_params; i-- > 0;)
    if (!pop(sig.params[i])) return false;
  if (sig.num_results) push(sig.result);
  return true;
}

// Instructions typed by hand ("*" in opcodes.def). Inlined where `op` is a
// constant (from known()), so each one-byte opcode's case is its own code.
__attribute__((always_inline)) inline bool FuncValidator::by_hand(Op op, const Instr& in) {
  switch (op) {
    case Op::Unreachable:
      set_unreachable();
      return true;
    case Op::Block:
    case Op::Loop:
      return block_type(in.block) && push_frame(op, in.block);
    case Op::If:
      return block_type(in.block) && pop(Slot(ValType::I32)) && push_frame(Op::If, in.block);
    case Op::Else: {
      if (frames_.back().kind != Op::If) return fail("else without matching if");
      const BlockType bt = frames_.back().type;
      if (!pop(results(bt))) return false;
      if (top_ != floor_)
        return fail("type mismatch: extra value(s) on the stack at the end of the if branch");
      frames_.back().kind = Op::Else;
      unreachable_ = frames_.back().unreachable = false;
      push(params(bt));
      return true;
    }
    case Op::End:
      return end_frame();
    case Op::Br:
      if (!label(in.index) || !pop(label_types(frames_[frames_.size() - 1 - in.index]))) return false;
      set_unreachable();
      return true;
    case Op::BrIf: {
      if (!label(in.index) || !pop(Slot(ValType::I32))) return false;
      const TypeList t = label_types(frames_[frames_.size() - 1 - in.index]);
      if (!pop(t)) return false;
      push(t);
      return true;
    }
    case Op::BrTable: {
      if (!pop(Slot(ValType::I32)) || !label(in.index)) return false;
      const TypeList fallback = label_types(frames_[frames_.size() - 1 - in.index]);
      for (uint32_t i = 0; i < in.target_count; ++i) {
        if (!label(in.targets[i])) return false;
        const TypeList t = label_types(frames_[frames_.size() - 1 - in.targets[i]]);
        if (t.size != fallback.size)
          return fail("type mismatch: br_table targets have different arities");
        if (!check_top(t)) return false;
      }
      if (!pop(fallback)) return false;
      set_unreachable();
      return true;
    }
    case Op::Return:
      if (!pop(func_results_)) return false;
      set_unreachable();
      return true;
    case Op::Call:
    case Op::ReturnCall:
      return func(in.index) && call(m_.func_type(in.index), op == Op::ReturnCall);
    case Op::CallIndirect:
    case Op::ReturnCallIndirect:
      if (!table(in.index2) || !type_index(in.index)) return false;
      if (m_.table_type(in.index2).elem != ValType::FuncRef)
        return fail("type mismatch: call_indirect through a table of externref");
      return pop(Slot(ValType::I32)) && call(m_.types[in.index], op == Op::ReturnCallIndirect);
    case Op::Drop: {
      Slot t;
      return pop_any(&t);
    }
    case Op::Select: {
      Slot a, b;
      if (!pop(Slot(ValType::I32)) || !pop_any(&a) || !pop_any(&b)) return false;
      if (is_ref_slot(a) || is_ref_slot(b))
        return fail("type mismatch: select without a type needs numeric or vector operands");
      if (a != b && a != kUnknown && b != kUnknown) return mismatch(b, a, false);
      push(a == kUnknown ? b : a);
      return true;
    }
    case Op::SelectT: {
      if (in.type_count != 1) return fail("invalid result arity");
      const Slot t = Slot(in.type);
      if (!pop(Slot(ValType::I32)) || !pop(t) || !pop(t)) return false;
      push(t);
      return true;
    }
    case Op::LocalGet:
    case Op::LocalSet:
    case Op::LocalTee: {
      if (in.index >= locals_.size()) return fail("unknown local " + std::to_string(in.index));
      const Slot t = Slot(locals_[in.index]);
      if (op != Op::LocalGet && !pop(t)) return false;
      if (op != Op::LocalSet) push(t);
      return true;
    }
    case Op::GlobalGet:
    case Op::GlobalSet: {
      if (in.index >= m_.total_globals()) return fail("unknown global " + std::to_string(in.index));
      const GlobalType& g = m_.global_type(in.index);
      if (op == Op::GlobalGet) {
        push(Slot(g.type));
        return true;
      }
      if (!g.mutable_) return fail("global is immutable");
      return pop(Slot(g.type));
    }
    case Op::TableGet:
      if (!table(in.index) || !pop(Slot(ValType::I32))) return false;
      push(Slot(m_.table_type(in.index).elem));
      return true;
    case Op::TableSet:
      return table(in.index) && pop(Slot(m_.table_type(in.index).elem)) && pop(Slot(ValType::I32));
    case Op::TableGrow:
      if (!table(in.index) || !pop(Slot(ValType::I32)) || !pop(Slot(m_.table_type(in.index).elem)))
        return false;
      push(Slot(ValType::I32));
      return true;
    case Op::TableFill:
      return table(in.index) && pop(Slot(ValType::I32)) &&
             pop(Slot(m_.table_type(in.index).elem)) && pop(Slot(ValType::I32));
    case Op::RefNull:
      push(Slot(in.type));
      return true;
    case Op::RefIsNull: {
      Slot t;
      if (!pop_any(&t)) return false;
      if (t != kUnknown && !is_ref_slot(t))
        return fail(std::string("type mismatch: expected a reference, got ") + slot_name(t));
      push(Slot(ValType::I32));
      return true;
    }
    case Op::RefFunc:
      if (!func(in.index)) return false;
      if (!declared_[in.index]) return fail("undeclared function reference");
      push(Slot(ValType::FuncRef));
      return true;
    default:
      return fail("unhandled instruction");  // opcodes.def and by_hand() disagree
  }
}

Status FuncValidator::validate(uint32_t func_index) {
  const FuncBody& body = m_.funcs[func_index - m_.num_imported_funcs];
  const FuncType& ft = m_.types[body.type];
  locals_.assign(ft.params.begin(), ft.params.end());
  locals_.insert(locals_.end(), body.locals.begin(), body.locals.end());
  func_results_ = {ft.results.data(), uint32_t(ft.results.size())};
  top_ = 0;
  frames_.clear();
  BlockType whole;
  whole.kind = BlockType::TypeIndex;
  whole.type_index = body.type;
  frames_.push_back(Frame{Op::Block, whole, 0, false});
  enter_top_frame();

  CodeReader code(m_.binary.data(), body.code_offset, body.code_end);
  Instr in;
  Visitor visitor{*this};
  auto malformed = [&](std::string message, uint32_t offset) {
    return Error{std::move(message), "code", offset, func_index, "", true};
  };
  error_is_malformed_ = false;
  while (!frames_.empty()) {
    if (code.at_end()) return malformed("unexpected end of section or function (END opcode expected)", code.pos());
    reserve_room();
    if (!code.visit(&in, visitor)) {
      if (code.error()) return malformed(code.error(), code.error_offset());
      return Error{std::move(error_), "code", in.offset, func_index, std::string(op_info(in.op).name),
                   error_is_malformed_};
    }
  }
  if (!code.at_end()) return malformed("section size mismatch: bytes after the function's end", code.pos());
  return Ok{};
}

}  // namespace ws

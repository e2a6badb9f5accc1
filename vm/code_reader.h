// Instruction-by-instruction decoding of a function body (or a constant
// expression): the one place that knows how opcodes and immediates are laid
// out in the binary. The validator, the compiler, the disassembler and the
// debugger all walk code with it.
//
//   CodeReader code(module.binary.data(), body.code_offset, body.code_end);
//   Instr in;
//   while (!code.at_end()) {
//     if (!code.next(&in)) return error(code.error(), code.error_offset());
//     switch (in.op) { ... in.index ... }
//   }
//
// next() checks only the encoding (known opcode, well-formed LEB128s, reserved
// zero bytes, enough bytes); whether indices exist and types match is the
// validator's job. It never allocates except to grow the br_table target
// buffer, which is reused across instructions.
#pragma once
#include <cstdint>
#include <vector>

#include "opcodes.h"
#include "reader.h"
#include "types.h"

namespace ws {

// The immediate of block, loop and if.
struct BlockType {
  enum Kind : uint8_t { Empty, Value, TypeIndex };
  Kind kind = Empty;
  ValType value = ValType::I32;  // Kind::Value: the single result type
  uint32_t type_index = 0;       // Kind::TypeIndex: a function type [params] -> [results]
};

// One decoded instruction. Only the fields named for op_info(op).imm are set;
// the others keep stale values from earlier instructions.
struct Instr {
  Op op = Op::Nop;
  uint32_t offset = 0;  // module offset of the opcode's first byte (the prefix, if any)
  uint32_t next = 0;    // module offset just past the immediates

  // Imm::Label: depth. Imm::Func / Local / Global / Table / Data / Elem: the index.
  // Imm::CallIndirect: type index. Imm::MemoryInit: data index.
  // Imm::TableInit: elem index. Imm::TableCopy: destination table.
  // Imm::BrTable: the default label.
  uint32_t index = 0;
  // Imm::CallIndirect / TableInit: table index. Imm::TableCopy: source table.
  uint32_t index2 = 0;

  BlockType block;          // Imm::BlockType
  uint32_t align = 0;       // Imm::Mem / MemLane: log2 of the alignment hint
  uint32_t mem_offset = 0;  // Imm::Mem / MemLane: static address offset
  uint8_t lane = 0;         // Imm::Lane / MemLane: lane index (not yet range-checked)
  ValType type = ValType::I32;  // Imm::RefType: the heap type; Imm::SelectT: the first type
  uint32_t type_count = 0;      // Imm::SelectT: how many types were listed (valid: exactly 1)
  // Imm::I32: the value as uint32 bits; Imm::I64: the value as uint64 bits;
  // Imm::F32 / F64: the IEEE bit pattern.
  uint64_t bits = 0;
  V128 v128;                // Imm::V128: the constant; Imm::Shuffle: the 16 lane indices
  // Imm::BrTable: the label depths before the default. Points into the
  // reader's buffer: valid until the next call of next().
  const uint32_t* targets = nullptr;
  uint32_t target_count = 0;

  int32_t i32() const { return int32_t(uint32_t(bits)); }
  int64_t i64() const { return int64_t(bits); }
};

class CodeReader {
 public:
  // Reads the code in [begin, end) of the module binary starting at `base`.
  // `limit`, if given, is the size of the whole binary (see Reader).
  CodeReader(const uint8_t* base, uint32_t begin, uint32_t end, uint32_t limit = 0)
      : in_(base, begin, end, limit) {
    in_.set_end_message("unexpected end of section or function");
  }

  bool at_end() const { return in_.at_end(); }
  uint32_t pos() const { return in_.pos(); }
  uint32_t end() const { return in_.end(); }

  // Decodes the instruction at pos() into *out. Returns false on a malformed
  // encoding (or at the end); error() and error_offset() say why and where.
  bool next(Instr* out);

  // The same, handing the instruction to `visitor` (see the definition).
  template <class Visitor>
  bool visit(Instr* out, Visitor& visitor);

  const char* error() const { return in_.error(); }
  uint32_t error_offset() const { return in_.error_offset(); }

 private:
  template <Imm K>
  bool immediate(Instr* out);
  template <Op K, class Visitor>
  bool visit_known(Instr* out, Visitor& visitor);
  bool immediates(Instr* out, Imm imm);
  bool type_index_block(Instr* out);
  bool br_table(Instr* out);
  bool select_types(Instr* out);
  __attribute__((always_inline)) bool memarg(Instr* out) {
    return in_.u32(&out->align) && in_.u32(&out->mem_offset);
  }
  bool zero_byte() {
    uint8_t b;
    if (!in_.u8(&b)) return false;
    return b == 0 || in_.fail("zero byte expected", in_.pos() - 1);
  }

  Reader in_;
  std::vector<uint32_t> targets_;  // br_table labels, reused
};

// Immediate kinds that are one u32 index: tested with a bit mask before the
// switch, because a well-predicted conditional branch is cheaper than the
// switch's indirect jump for these most frequent cases.
constexpr uint32_t kSingleIndexImms =
    1u << unsigned(Imm::Label) | 1u << unsigned(Imm::Func) | 1u << unsigned(Imm::Local) |
    1u << unsigned(Imm::Global) | 1u << unsigned(Imm::Table) | 1u << unsigned(Imm::Data) |
    1u << unsigned(Imm::Elem);

// One-byte opcodes with their immediate kind in one entry: op | imm << 16,
// or kNotPlain for prefixes and illegal bytes. The immediate kind is then
// known one load after the byte, instead of two.
struct PlainOpcodes {
  static constexpr uint32_t kNotPlain = 0xFFFFFFFF;
  uint32_t entry[256];
};
constexpr PlainOpcodes make_plain_opcodes() {
  PlainOpcodes t{};
  for (unsigned c = 0; c < 256; ++c) {
    const uint16_t op = kOpcodeTables.plain[c];
    t.entry[c] = op == OpcodeTables::kNone ? PlainOpcodes::kNotPlain
                                           : op | uint32_t(kOpcodeTables.imm[op]) << 16;
  }
  return t;
}
inline constexpr PlainOpcodes kPlainOpcodes = make_plain_opcodes();

// Inlined into each caller's loop with the most common cases (no immediate,
// one index, i32.const, a memarg: 9 in 10 instructions of compiled C) handled
// here. The call to immediates() for the rest was a fifth of the
// validator's and compiler's decoding time when it took every case; taking
// i32.const and memargs out of it made validation 15% faster. (A switch on
// the immediate kind instead of these tests was slower: one more indirect
// jump to predict per instruction.)
__attribute__((always_inline)) inline bool CodeReader::next(Instr* out) {
  out->offset = in_.pos();
  uint8_t byte;
  if (!in_.u8(&byte)) return false;
  const uint32_t plain = kPlainOpcodes.entry[byte];
  Imm imm;
  if (plain != PlainOpcodes::kNotPlain) {
    out->op = Op(plain & 0xFFFF);
    imm = Imm(plain >> 16);
  } else if (byte == 0xFC || byte == 0xFD) {
    uint32_t sub;
    if (!in_.u32(&sub)) return false;
    if (!op_from_code(byte, sub, &out->op)) return in_.fail("illegal opcode", out->offset);
    imm = op_imm(out->op);
  } else {
    return in_.fail("illegal opcode", out->offset);
  }
  if (imm != Imm::None) {
    if ((1u << unsigned(imm)) & kSingleIndexImms) {
      if (!in_.u32(&out->index)) return false;
    } else if (imm == Imm::I32) {
      int32_t v;
      if (!in_.s32(&v)) return false;
      out->bits = uint32_t(v);
    } else if (imm == Imm::Mem) {
      if (!memarg(out)) return false;
    } else if (!immediates(out, imm)) {
      return false;
    }
  }
  out->next = in_.pos();
  return true;
}

// The immediates of kind K: the one definition of each kind's layout, used
// by next() (through immediates()) and by visit(), where K is known at
// compile time.
template <Imm K>
__attribute__((always_inline)) inline bool CodeReader::immediate(Instr* out) {
  if constexpr (K == Imm::None) {
    return true;
  } else if constexpr (K == Imm::BlockType) {
    uint8_t b;
    if (in_.peek_u8(&b) && b == 0x40) {
      out->block.kind = BlockType::Empty;
      return in_.skip(1);
    }
    if (in_.peek_u8(&b) && valtype_from_byte(b, &out->block.value)) {
      out->block.kind = BlockType::Value;
      return in_.skip(1);
    }
    return type_index_block(out);
  } else if constexpr (K == Imm::BrTable) {
    return br_table(out);
  } else if constexpr (K == Imm::CallIndirect || K == Imm::TableInit || K == Imm::TableCopy) {
    return in_.u32(&out->index) && in_.u32(&out->index2);
  } else if constexpr (K == Imm::SelectT) {
    return select_types(out);
  } else if constexpr (K == Imm::Mem) {
    return memarg(out);
  } else if constexpr (K == Imm::MemIdx) {
    return zero_byte();
  } else if constexpr (K == Imm::I32) {
    int32_t v;
    if (!in_.s32(&v)) return false;
    out->bits = uint32_t(v);
    return true;
  } else if constexpr (K == Imm::I64) {
    int64_t v;
    if (!in_.s64(&v)) return false;
    out->bits = uint64_t(v);
    return true;
  } else if constexpr (K == Imm::F32) {
    uint32_t v;
    if (!in_.f32_bits(&v)) return false;
    out->bits = v;
    return true;
  } else if constexpr (K == Imm::F64) {
    return in_.f64_bits(&out->bits);
  } else if constexpr (K == Imm::RefType) {
    const uint32_t at = in_.pos();
    uint8_t b;
    if (!in_.u8(&b)) return false;
    if (b != uint8_t(ValType::FuncRef) && b != uint8_t(ValType::ExternRef))
      return in_.fail("malformed reference type", at);
    out->type = ValType(b);
    return true;
  } else if constexpr (K == Imm::MemoryInit) {
    return in_.u32(&out->index) && zero_byte();
  } else if constexpr (K == Imm::MemoryCopy) {
    return zero_byte() && zero_byte();
  } else if constexpr (K == Imm::V128 || K == Imm::Shuffle) {
    return in_.bytes(out->v128.bytes, 16);
  } else if constexpr (K == Imm::Lane) {
    return in_.u8(&out->lane);
  } else if constexpr (K == Imm::MemLane) {
    return memarg(out) && in_.u8(&out->lane);
  } else {
    static_assert((1u << unsigned(K)) & kSingleIndexImms, "an Imm kind without a layout");
    return in_.u32(&out->index);
  }
}

inline bool CodeReader::type_index_block(Instr* out) {
  const uint32_t at = in_.pos();
  int64_t index;
  if (!in_.s33(&index)) return false;
  // Negative values other than the value types are malformed.
  // (A non-negative s33 always fits in 32 bits.)
  if (index < 0) return in_.fail("malformed value type", at);
  out->block.kind = BlockType::TypeIndex;
  out->block.type_index = uint32_t(index);
  return true;
}

inline bool CodeReader::br_table(Instr* out) {
  uint32_t count;
  if (!in_.u32(&count)) return false;
  // Each label takes at least one byte: reject impossible counts before
  // growing the buffer.
  if (count > in_.remaining()) return in_.fail("unexpected end of section or function");
  if (targets_.size() < count) targets_.resize(count);
  for (uint32_t i = 0; i < count; ++i)
    if (!in_.u32(&targets_[i])) return false;
  out->targets = targets_.data();
  out->target_count = count;
  return in_.u32(&out->index);
}

inline bool CodeReader::select_types(Instr* out) {
  uint32_t count;
  if (!in_.u32(&count)) return false;
  if (count > in_.remaining()) return in_.fail("unexpected end of section or function");
  out->type_count = count;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t at = in_.pos();
    uint8_t b;
    ValType t;
    if (!in_.u8(&b)) return false;
    if (!valtype_from_byte(b, &t)) return in_.fail("malformed value type", at);
    if (i == 0) out->type = t;
  }
  return true;
}

inline bool CodeReader::immediates(Instr* out, Imm imm) {
  switch (imm) {
#define IMM(k) \
  case Imm::k: return immediate<Imm::k>(out);
    IMM(None) IMM(BlockType) IMM(Label) IMM(BrTable) IMM(Func) IMM(CallIndirect) IMM(SelectT)
    IMM(Local) IMM(Global) IMM(Table) IMM(Mem) IMM(MemIdx) IMM(I32) IMM(I64) IMM(F32) IMM(F64)
    IMM(RefType) IMM(Data) IMM(Elem) IMM(MemoryInit) IMM(MemoryCopy) IMM(TableInit)
    IMM(TableCopy) IMM(V128) IMM(Shuffle) IMM(Lane) IMM(MemLane)
#undef IMM
  }
  return in_.fail("illegal opcode", out->offset);
}

// One-byte opcode K, known at compile time: its immediates, then the visitor.
template <Op K, class Visitor>
__attribute__((always_inline)) inline bool CodeReader::visit_known(Instr* out, Visitor& visitor) {
  out->op = K;
  if (!immediate<kOpInfo[unsigned(K)].imm>(out)) return false;
  out->next = in_.pos();
  return visitor.template known<K>(*out);
}

// One switch on the opcode byte reaches a case per one-byte opcode that reads
// its immediates with their kind known and calls the visitor's
// `template <Op K> bool known(const Instr&)`, so a consumer that dispatches on
// the opcode anyway (validator, compiler) pays for one indirect jump per
// instruction instead of that and the immediate-kind tests of next().
// Prefixed opcodes go through next()'s decoding and `dynamic(const Instr&)`.
// False if decoding fails (error() is then set) or the visitor returns false.
template <class Visitor>
__attribute__((always_inline)) inline bool CodeReader::visit(Instr* out, Visitor& visitor) {
  out->offset = in_.pos();
  uint8_t byte;
  if (!in_.u8(&byte)) return false;
  // The most frequent opcodes (45% of python.wasm's instructions) are tested
  // before the switch: conditional branches predict them better than the
  // switch's indirect jump (validation 9% faster; more tests were no better).
  if (byte == 0x20) return visit_known<Op::LocalGet>(out, visitor);
  if (byte == 0x41) return visit_known<Op::I32Const>(out, visitor);
  if (byte == 0x21) return visit_known<Op::LocalSet>(out, visitor);
  switch (byte) {
    // Cases of prefixed opcodes get numbers above any byte and never match.
#define OP(id, text, prefix, code, imm, params, results) \
  case prefix * 0x100 + code:                             \
    return visit_known<Op::id>(out, visitor);
#include "opcodes.def"
#undef OP
    case 0xFC:
    case 0xFD: {
      uint32_t sub;
      if (!in_.u32(&sub)) return false;
      if (!op_from_code(byte, sub, &out->op)) return in_.fail("illegal opcode", out->offset);
      if (!immediates(out, op_imm(out->op))) return false;
      out->next = in_.pos();
      return visitor.dynamic(*out);
    }
    default:
      return in_.fail("illegal opcode", out->offset);
  }
}

}  // namespace ws

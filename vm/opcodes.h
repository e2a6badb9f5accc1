// Instruction identities and metadata, generated from opcodes.def.
#pragma once
#include <cstdint>
#include <string_view>

namespace ws {

// How an instruction's immediates are laid out in the binary format.
enum class Imm : uint8_t {
  None,
  BlockType,     // s33 block type: 0x40 (empty), a value type, or a type index
  Label,         // u32 label depth
  BrTable,       // vec(u32) labels, then u32 default label
  Func,          // u32 function index
  CallIndirect,  // u32 type index, u32 table index
  SelectT,       // vec(valtype) (exactly one in 2.0)
  Local,         // u32 local index
  Global,        // u32 global index
  Table,         // u32 table index
  Mem,           // memarg: u32 align (log2), u32 offset
  MemIdx,        // one 0x00 byte (memory index 0)
  I32,           // s32 LEB
  I64,           // s64 LEB
  F32,           // 4 bytes little-endian IEEE
  F64,           // 8 bytes little-endian IEEE
  RefType,       // one byte: 0x70 funcref / 0x6F externref
  Data,          // u32 data segment index
  Elem,          // u32 element segment index
  MemoryInit,    // u32 data index, 0x00
  MemoryCopy,    // 0x00 0x00
  TableInit,     // u32 elem index, u32 table index
  TableCopy,     // u32 dst table, u32 src table
  V128,          // 16 bytes
  Shuffle,       // 16 lane-index bytes, each < 32
  Lane,          // one lane-index byte
  MemLane,       // memarg, then one lane-index byte
};

enum class Op : uint16_t {
#define OP(id, text, prefix, code, imm, params, results) id,
#include "opcodes.def"
#undef OP
  Count_
};

constexpr unsigned kOpCount = static_cast<unsigned>(Op::Count_);

struct OpInfo {
  std::string_view name;  // text-format name
  uint8_t prefix;         // 0, 0xFC or 0xFD
  uint32_t code;          // byte (prefix 0) or sub-opcode
  Imm imm;
  std::string_view params;   // see opcodes.def; "*" = validated by hand
  std::string_view results;
};

inline constexpr OpInfo kOpInfo[] = {
#define OP(id, text, prefix, code, imm, params, results) \
  {text, prefix, code, Imm::imm, params, results},
#include "opcodes.def"
#undef OP
};

inline const OpInfo& op_info(Op op) { return kOpInfo[static_cast<unsigned>(op)]; }

// Decoding tables, built at compile time from opcodes.def: the Op of each
// opcode byte (one table per prefix; every 2.0 sub-opcode is below 256), and
// each Op's immediate kind packed densely for the decoder's hot loop.
struct OpcodeTables {
  static constexpr uint16_t kNone = 0xFFFF;
  uint16_t plain[256], fc[256], fd[256];
  Imm imm[kOpCount];
};

constexpr OpcodeTables make_opcode_tables() {
  OpcodeTables t{};
  for (unsigned c = 0; c < 256; ++c) t.plain[c] = t.fc[c] = t.fd[c] = OpcodeTables::kNone;
  for (unsigned i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    uint16_t* table = info.prefix == 0 ? t.plain : info.prefix == 0xFC ? t.fc : t.fd;
    table[info.code] = uint16_t(i);
    t.imm[i] = info.imm;
  }
  return t;
}

inline constexpr OpcodeTables kOpcodeTables = make_opcode_tables();

inline Imm op_imm(Op op) { return kOpcodeTables.imm[static_cast<unsigned>(op)]; }

// Opcode lookup from the binary encoding. Returns false if (prefix, code)
// names no instruction.
inline bool op_from_code(uint8_t prefix, uint32_t code, Op* out) {
  const uint16_t* table = prefix == 0x00   ? kOpcodeTables.plain
                          : prefix == 0xFC ? kOpcodeTables.fc
                          : prefix == 0xFD ? kOpcodeTables.fd
                                           : nullptr;
  if (!table || code > 0xFF || table[code] == OpcodeTables::kNone) return false;
  *out = static_cast<Op>(table[code]);
  return true;
}

// Bytes read or written by a memory instruction (Imm::Mem / Imm::MemLane),
// derived from its name ("i64.load32_u" -> 4, "v128.load8x8_s" -> 8); 0 for
// other instructions. Its log2 is the natural alignment.
unsigned memory_access_bytes(Op op);

// Number of lanes a lane-index immediate (Imm::Lane / Imm::MemLane) ranges
// over ("i16x8.extract_lane_s" -> 8, "v128.load32_lane" -> 4); 0 otherwise.
unsigned lane_count(Op op);

}  // namespace ws

// C types from .debug_info, read on demand by DIE offset and cached.
#pragma once
#include <libdwarf.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ws::dwarf {

struct TypeInfo {
  enum Kind { Void, Base, Pointer, Array, Struct, Union, Enum, Typedef, Const, Volatile, Function, Unknown };
  Kind kind = Unknown;
  std::string name;       // base, struct/union/enum tag, typedef name
  uint64_t size = 0;      // DW_AT_byte_size (arrays: computed by TypeTable::size_of)
  uint32_t encoding = 0;  // base types: DW_ATE_*
  uint64_t target = 0;    // pointee, element, typedef'd, qualified, enum underlying; 0 = void
  struct Member {
    std::string name;
    uint64_t type = 0;
    uint64_t offset = 0;     // bytes
    uint32_t bit_size = 0;   // bit fields only
    uint32_t bit_offset = 0; // from the start of `offset`, little-endian
  };
  std::vector<Member> members;
  std::vector<std::pair<std::string, int64_t>> enumerators;
  std::vector<uint64_t> counts;  // array dimensions, outermost first (0 = unknown)
};

class TypeTable {
 public:
  explicit TypeTable(Dwarf_Debug dbg) : dbg_(dbg) {}
  // The type at DIE offset `offset` (0 = void). References are stable.
  const TypeInfo& get(uint64_t offset);
  // Skips typedefs and qualifiers.
  uint64_t strip(uint64_t offset);
  uint64_t size_of(uint64_t offset);
  // C spelling: "int", "const char *", "struct point", "int[4]", "point_t".
  std::string name_of(uint64_t offset);
  // For a multi-dimensional array type, the array type of its elements
  // (int[2][3] -> int[3]): a synthetic entry under a key no DIE can have.
  uint64_t sub_array(uint64_t array);
  // The type "pointer to `type`" (for `&x`): synthetic like sub_array's.
  uint64_t pointer_to(uint64_t type);
  static bool is_synthetic(uint64_t key) { return key >= kFirstSynthetic; }

 private:
  std::string declare(uint64_t offset, const std::string& inner, int depth);
  uint64_t size_of(uint64_t offset, int depth);
  Dwarf_Debug dbg_;
  std::map<uint64_t, TypeInfo> cache_;
  static constexpr uint64_t kFirstSynthetic = uint64_t(1) << 62;  // past any .debug_info
  std::map<uint64_t, uint64_t> sub_arrays_, pointers_;
  uint64_t next_synthetic_ = kFirstSynthetic;
};

}  // namespace ws::dwarf

// Thin, non-aborting helpers over libdwarf's DIE API: every libdwarf error is
// released and becomes "absent", so malformed DWARF degrades to "no info".
#pragma once
#include <libdwarf.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ws::dwarf {

class DwarfHandle;

// Address ranges in module offsets, [begin, end).
using Ranges = std::vector<std::pair<uint32_t, uint32_t>>;
bool ranges_contain(const Ranges& ranges, uint32_t offset);

// Owns one Dwarf_Die.
class Die {
 public:
  Die() = default;
  Die(Dwarf_Debug dbg, Dwarf_Die die) : dbg_(dbg), die_(die) {}
  Die(Die&& o) noexcept : dbg_(o.dbg_), die_(std::exchange(o.die_, nullptr)) {}
  Die& operator=(Die&& o) noexcept;
  ~Die();
  explicit operator bool() const { return die_ != nullptr; }
  Dwarf_Die get() const { return die_; }

  static Die at_offset(Dwarf_Debug dbg, uint64_t offset);
  Die first_child() const;
  Die next_sibling() const;

  uint16_t tag() const;
  uint64_t offset() const;
  bool has(uint16_t attribute) const;
  std::optional<std::string> string(uint16_t attribute) const;
  std::optional<uint64_t> unsigned_value(uint16_t attribute) const;
  std::optional<int64_t> signed_value(uint16_t attribute) const;
  std::optional<uint64_t> reference(uint16_t attribute) const;  // global DIE offset
  // DW_AT_location / DW_AT_frame_base: an inline expression, or an offset
  // into .debug_loc (for a location list).
  struct LocationAttr {
    std::vector<uint8_t> expression;
    std::optional<uint64_t> list_offset;
  };
  std::optional<LocationAttr> location(uint16_t attribute) const;

  // The name, following DW_AT_abstract_origin / DW_AT_specification
  // (at most `hops` links: malformed DWARF may link in a cycle).
  std::string name(int hops = 8) const;
  // DW_AT_type, following DW_AT_abstract_origin; 0 for void.
  uint64_t type(int hops = 8) const;
  // The code ranges (low/high pc or DW_AT_ranges) in module offsets;
  // tombstoned (discarded) ranges are left out.
  Ranges ranges(const DwarfHandle& handle, uint32_t cu_base) const;

 private:
  Dwarf_Debug dbg_ = nullptr;
  Dwarf_Die die_ = nullptr;
};

}  // namespace ws::dwarf

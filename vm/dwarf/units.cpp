#include "units.h"

#include <dwarf.h>

#include <algorithm>

#include "dwarf_handle.h"
#include "paths.h"

namespace ws::dwarf {
namespace {

// DIE trees are nested at most this deep; deeper (malformed or hostile)
// input is cut off rather than exhausting the native stack.
constexpr int kMaxDepth = 64;

LocationDescription read_location(const DwarfHandle& handle, const Unit& unit, const Die& die,
                                  uint16_t attribute) {
  LocationDescription out;
  std::optional<Die::LocationAttr> attr = die.location(attribute);
  if (!attr) return out;
  out.present = true;
  if (attr->list_offset) {
    out.is_list = true;
    out.list = read_location_list(handle.section(".debug_loc"), *attr->list_offset,
                                  unit.base_address, handle.code_start(), handle.code_size());
  } else {
    out.expression = std::move(attr->expression);
  }
  return out;
}

VariableInfo read_variable(const DwarfHandle& handle, const Unit& unit, const Die& die) {
  VariableInfo v;
  v.die = die.offset();
  v.name = die.name();
  v.type = die.type();
  v.is_parameter = die.tag() == DW_TAG_formal_parameter;
  v.location = read_location(handle, unit, die, DW_AT_location);
  return v;
}

// Reads the children of `parent` into `scope` (variables and nested scopes).
void read_scope_children(const DwarfHandle& handle, const Unit& unit, const Die& parent, Scope& scope,
                         int depth) {
  if (depth > kMaxDepth) return;
  for (Die child = parent.first_child(); child; child = child.next_sibling()) {
    uint16_t tag = child.tag();
    if (tag == DW_TAG_formal_parameter || tag == DW_TAG_variable) {
      VariableInfo v = read_variable(handle, unit, child);
      if (!v.name.empty()) scope.variables.push_back(std::move(v));
    } else if (tag == DW_TAG_lexical_block || tag == DW_TAG_inlined_subroutine) {
      Scope s;
      s.tag = tag;
      s.ranges = child.ranges(handle, unit.base_address);
      if (tag == DW_TAG_inlined_subroutine) {
        s.name = child.name();
        s.call_file = uint32_t(child.unsigned_value(DW_AT_call_file).value_or(0));
        s.call_line = uint32_t(child.unsigned_value(DW_AT_call_line).value_or(0));
        s.call_column = uint32_t(child.unsigned_value(DW_AT_call_column).value_or(0));
      }
      read_scope_children(handle, unit, child, s, depth + 1);
      if (!s.ranges.empty()) scope.children.push_back(std::move(s));
    }
  }
}

// Walks the unit's top level (and namespaces) for functions with code and
// global variables.
void read_unit_level(const DwarfHandle& handle, Unit& unit, const Die& parent, int depth) {
  if (depth > kMaxDepth) return;
  for (Die child = parent.first_child(); child; child = child.next_sibling()) {
    uint16_t tag = child.tag();
    if (tag == DW_TAG_subprogram) {
      Scope s;
      s.tag = tag;
      s.ranges = child.ranges(handle, unit.base_address);
      if (s.ranges.empty()) continue;  // a declaration or an abstract inline instance
      s.name = child.name();
      s.frame_base = read_location(handle, unit, child, DW_AT_frame_base);
      read_scope_children(handle, unit, child, s, depth + 1);
      unit.functions.push_back(std::move(s));
    } else if (tag == DW_TAG_variable) {
      VariableInfo v = read_variable(handle, unit, child);
      if (!v.name.empty() && v.location.present) unit.globals.push_back(std::move(v));
    } else if (tag == DW_TAG_namespace || tag == DW_TAG_structure_type ||
               tag == DW_TAG_class_type) {
      read_unit_level(handle, unit, child, depth + 1);
    }
  }
}

void collect_chain(const Scope& scope, uint32_t offset, ScopeChain& chain) {
  chain.push_back(&scope);
  for (const Scope& child : scope.children) {
    if (ranges_contain(child.ranges, offset)) {
      collect_chain(child, offset, chain);
      return;
    }
  }
}

const VariableInfo* find_in_scope(const Scope& scope, uint64_t die) {
  for (const VariableInfo& v : scope.variables) {
    if (v.die == die) return &v;
  }
  for (const Scope& child : scope.children) {
    if (const VariableInfo* v = find_in_scope(child, die)) return v;
  }
  return nullptr;
}

}  // namespace

std::string Unit::file_name(uint32_t index) const {
  // DWARF 5 numbers files from 0, earlier versions from 1.
  size_t i = version >= 5 ? index : size_t(index) - 1;
  if (index == 0 && version < 5) return {};
  return i < files.size() ? files[i] : std::string();
}

void Units::add(const DwarfHandle& handle, uint64_t header_offset, uint64_t end_offset,
                uint32_t version, const Die& cu_die) {
  Unit unit;
  unit.header_offset = header_offset;
  unit.end_offset = end_offset;
  unit.die_offset = cu_die.offset();
  unit.version = version;
  Dwarf_Addr low = 0;
  Dwarf_Error error = nullptr;
  if (dwarf_lowpc(cu_die.get(), &low, &error) == DW_DLV_OK) unit.base_address = uint32_t(low);
  else if (error) dwarf_dealloc_error(handle.dbg(), error);
  unit.ranges = cu_die.ranges(handle, unit.base_address);
  for (auto range : unit.ranges) index_.push_back({range, units_.size()});
  units_.push_back(std::move(unit));
}

void Units::finish() { std::sort(index_.begin(), index_.end()); }

void Units::parse(const DwarfHandle& handle, Unit& unit) {
  unit.parsed = true;
  Die cu = Die::at_offset(handle.dbg(), unit.die_offset);
  if (!cu) return;
  char** files = nullptr;
  Dwarf_Signed count = 0;
  Dwarf_Error error = nullptr;
  if (dwarf_srcfiles(cu.get(), &files, &count, &error) == DW_DLV_OK) {
    for (Dwarf_Signed i = 0; i < count; ++i) {
      unit.files.push_back(tidy_path(files[i]));
      dwarf_dealloc(handle.dbg(), files[i], DW_DLA_STRING);
    }
    dwarf_dealloc(handle.dbg(), files, DW_DLA_LIST);
  } else if (error) {
    dwarf_dealloc_error(handle.dbg(), error);
  }
  read_unit_level(handle, unit, cu, 0);
}

Unit* Units::unit_at(const DwarfHandle& handle, uint32_t offset) {
  auto it = std::upper_bound(index_.begin(), index_.end(), offset,
                             [](uint32_t o, const auto& e) { return o < e.first.first; });
  // Ranges of different units do not overlap in well-formed DWARF; look back
  // over a few in case a malformed one does.
  for (int back = 0; back < 4 && it != index_.begin(); ++back) {
    --it;
    if (offset >= it->first.first && offset < it->first.second) {
      Unit& unit = units_[it->second];
      if (!unit.parsed) parse(handle, unit);
      return &unit;
    }
  }
  return nullptr;
}

Unit* Units::unit_of_die(const DwarfHandle& handle, uint64_t die_offset) {
  for (Unit& unit : units_) {
    if (die_offset >= unit.header_offset && die_offset < unit.end_offset) {
      if (!unit.parsed) parse(handle, unit);
      return &unit;
    }
  }
  return nullptr;
}

ScopeChain Units::scopes_at(const Unit& unit, uint32_t offset) {
  ScopeChain chain;
  for (const Scope& f : unit.functions) {
    if (ranges_contain(f.ranges, offset)) {
      collect_chain(f, offset, chain);
      break;
    }
  }
  return chain;
}

const VariableInfo* Units::find_variable(const Unit& unit, uint64_t die) {
  for (const Scope& f : unit.functions) {
    if (const VariableInfo* v = find_in_scope(f, die)) return v;
  }
  for (const VariableInfo& v : unit.globals) {
    if (v.die == die) return &v;
  }
  return nullptr;
}

}  // namespace ws::dwarf

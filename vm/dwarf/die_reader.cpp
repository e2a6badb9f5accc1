#include "die_reader.h"

#include <dwarf.h>

#include "dwarf_handle.h"

namespace ws::dwarf {
namespace {

// Releases a libdwarf error (libdwarf never aborts: we always pass &error).
void drop(Dwarf_Debug dbg, Dwarf_Error& error) {
  if (error) dwarf_dealloc_error(dbg, error);
  error = nullptr;
}

// Owns one Dwarf_Attribute.
struct Attr {
  Dwarf_Attribute a = nullptr;
  ~Attr() {
    if (a) dwarf_dealloc_attribute(a);
  }
};

bool get_attr(Dwarf_Debug dbg, Dwarf_Die die, uint16_t attribute, Attr* out) {
  Dwarf_Error error = nullptr;
  int res = dwarf_attr(die, attribute, &out->a, &error);
  drop(dbg, error);
  return res == DW_DLV_OK;
}

}  // namespace

bool ranges_contain(const Ranges& ranges, uint32_t offset) {
  for (auto [begin, end] : ranges) {
    if (offset >= begin && offset < end) return true;
  }
  return false;
}

Die& Die::operator=(Die&& o) noexcept {
  if (this != &o) {
    if (die_) dwarf_dealloc_die(die_);
    dbg_ = o.dbg_;
    die_ = std::exchange(o.die_, nullptr);
  }
  return *this;
}

Die::~Die() {
  if (die_) dwarf_dealloc_die(die_);
}

Die Die::at_offset(Dwarf_Debug dbg, uint64_t offset) {
  Dwarf_Die die = nullptr;
  Dwarf_Error error = nullptr;
  if (dwarf_offdie_b(dbg, offset, true, &die, &error) != DW_DLV_OK) {
    drop(dbg, error);
    return {};
  }
  return Die(dbg, die);
}

Die Die::first_child() const {
  Dwarf_Die child = nullptr;
  Dwarf_Error error = nullptr;
  if (dwarf_child(die_, &child, &error) != DW_DLV_OK) {
    drop(dbg_, error);
    return {};
  }
  return Die(dbg_, child);
}

Die Die::next_sibling() const {
  Dwarf_Die sibling = nullptr;
  Dwarf_Error error = nullptr;
  if (dwarf_siblingof_b(dbg_, die_, true, &sibling, &error) != DW_DLV_OK) {
    drop(dbg_, error);
    return {};
  }
  return Die(dbg_, sibling);
}

uint16_t Die::tag() const {
  Dwarf_Half tag = 0;
  Dwarf_Error error = nullptr;
  if (dwarf_tag(die_, &tag, &error) != DW_DLV_OK) drop(dbg_, error);
  return tag;
}

uint64_t Die::offset() const {
  Dwarf_Off offset = 0;
  Dwarf_Error error = nullptr;
  if (dwarf_dieoffset(die_, &offset, &error) != DW_DLV_OK) drop(dbg_, error);
  return offset;
}

bool Die::has(uint16_t attribute) const {
  Dwarf_Bool present = false;
  Dwarf_Error error = nullptr;
  if (dwarf_hasattr(die_, attribute, &present, &error) != DW_DLV_OK) drop(dbg_, error);
  return present;
}

std::optional<std::string> Die::string(uint16_t attribute) const {
  Attr attr;
  if (!get_attr(dbg_, die_, attribute, &attr)) return std::nullopt;
  char* text = nullptr;
  Dwarf_Error error = nullptr;
  if (dwarf_formstring(attr.a, &text, &error) != DW_DLV_OK || !text) {
    drop(dbg_, error);
    return std::nullopt;
  }
  return std::string(text);  // points into .debug_str / .debug_info: not ours to free
}

std::optional<uint64_t> Die::unsigned_value(uint16_t attribute) const {
  Attr attr;
  if (!get_attr(dbg_, die_, attribute, &attr)) return std::nullopt;
  Dwarf_Unsigned value = 0;
  Dwarf_Error error = nullptr;
  if (dwarf_formudata(attr.a, &value, &error) != DW_DLV_OK) {
    drop(dbg_, error);
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> Die::signed_value(uint16_t attribute) const {
  Attr attr;
  if (!get_attr(dbg_, die_, attribute, &attr)) return std::nullopt;
  Dwarf_Signed value = 0;
  Dwarf_Error error = nullptr;
  if (dwarf_formsdata(attr.a, &value, &error) == DW_DLV_OK) return value;
  drop(dbg_, error);
  Dwarf_Unsigned u = 0;  // DW_FORM_udata / data with the top bit clear
  if (dwarf_formudata(attr.a, &u, &error) == DW_DLV_OK) return int64_t(u);
  drop(dbg_, error);
  return std::nullopt;
}

std::optional<uint64_t> Die::reference(uint16_t attribute) const {
  Attr attr;
  if (!get_attr(dbg_, die_, attribute, &attr)) return std::nullopt;
  Dwarf_Off offset = 0;
  Dwarf_Error error = nullptr;
  if (dwarf_global_formref(attr.a, &offset, &error) != DW_DLV_OK) {
    drop(dbg_, error);
    return std::nullopt;
  }
  return offset;
}

std::optional<Die::LocationAttr> Die::location(uint16_t attribute) const {
  Attr attr;
  if (!get_attr(dbg_, die_, attribute, &attr)) return std::nullopt;
  Dwarf_Half form = 0;
  Dwarf_Error error = nullptr;
  if (dwarf_whatform(attr.a, &form, &error) != DW_DLV_OK) {
    drop(dbg_, error);
    return std::nullopt;
  }
  LocationAttr out;
  if (form == DW_FORM_exprloc) {
    Dwarf_Unsigned length = 0;
    Dwarf_Ptr bytes = nullptr;
    if (dwarf_formexprloc(attr.a, &length, &bytes, &error) != DW_DLV_OK) {
      drop(dbg_, error);
      return std::nullopt;
    }
    auto* p = static_cast<const uint8_t*>(bytes);
    out.expression.assign(p, p + length);
    return out;
  }
  if (form == DW_FORM_block1 || form == DW_FORM_block2 || form == DW_FORM_block4 ||
      form == DW_FORM_block) {
    Dwarf_Block* block = nullptr;
    if (dwarf_formblock(attr.a, &block, &error) != DW_DLV_OK) {
      drop(dbg_, error);
      return std::nullopt;
    }
    auto* p = static_cast<const uint8_t*>(block->bl_data);
    out.expression.assign(p, p + block->bl_len);
    dwarf_dealloc(dbg_, block, DW_DLA_BLOCK);
    return out;
  }
  Dwarf_Unsigned offset = 0;  // DW_FORM_sec_offset (DWARF 4) or data4 (DWARF 3)
  if (dwarf_formudata(attr.a, &offset, &error) != DW_DLV_OK) {
    drop(dbg_, error);
    Dwarf_Off ref = 0;
    if (dwarf_global_formref(attr.a, &ref, &error) != DW_DLV_OK) {
      drop(dbg_, error);
      return std::nullopt;
    }
    offset = ref;
  }
  out.list_offset = offset;
  return out;
}

std::string Die::name(int hops) const {
  if (auto n = string(DW_AT_name)) return *n;
  if (hops <= 0) return {};
  for (uint16_t link : {uint16_t(DW_AT_abstract_origin), uint16_t(DW_AT_specification)}) {
    if (auto ref = reference(link)) {
      Die origin = at_offset(dbg_, *ref);
      if (origin) return origin.name(hops - 1);
    }
  }
  return {};
}

uint64_t Die::type(int hops) const {
  if (auto t = reference(DW_AT_type)) return *t;
  if (hops <= 0) return 0;
  if (auto ref = reference(DW_AT_abstract_origin)) {
    Die origin = at_offset(dbg_, *ref);
    if (origin) return origin.type(hops - 1);
  }
  return 0;
}

Ranges Die::ranges(const DwarfHandle& handle, uint32_t cu_base) const {
  Ranges out;
  const uint32_t code_size = handle.code_size();
  auto add = [&](uint64_t begin, uint64_t end) {
    // wasm-ld tombstones discarded code as 0, -1 or -2: outside the code section.
    if (begin == 0 || begin >= end || end > code_size) return;
    out.push_back({handle.code_start() + uint32_t(begin), handle.code_start() + uint32_t(end)});
  };
  Dwarf_Error error = nullptr;
  Dwarf_Addr low = 0;
  if (dwarf_lowpc(die_, &low, &error) == DW_DLV_OK) {
    Dwarf_Addr high = 0;
    Dwarf_Half form = 0;
    enum Dwarf_Form_Class form_class = DW_FORM_CLASS_UNKNOWN;
    if (dwarf_highpc_b(die_, &high, &form, &form_class, &error) == DW_DLV_OK) {
      if (form_class == DW_FORM_CLASS_CONSTANT) high += low;
      add(low, high);
      return out;
    }
  }
  drop(dbg_, error);
  Attr attr;
  if (!get_attr(dbg_, die_, DW_AT_ranges, &attr)) return out;
  Dwarf_Unsigned list = 0;
  if (dwarf_global_formref(attr.a, &list, &error) != DW_DLV_OK) {
    drop(dbg_, error);
    if (dwarf_formudata(attr.a, &list, &error) != DW_DLV_OK) {
      drop(dbg_, error);
      return out;
    }
  }
  Dwarf_Ranges* entries = nullptr;
  Dwarf_Signed count = 0;
  Dwarf_Unsigned bytes = 0;
  if (dwarf_get_ranges_a(dbg_, list, die_, &entries, &count, &bytes, &error) !=
      DW_DLV_OK) {
    drop(dbg_, error);
    return out;
  }
  uint64_t base = cu_base;
  for (Dwarf_Signed i = 0; i < count; ++i) {
    const Dwarf_Ranges& r = entries[i];
    if (r.dwr_type == DW_RANGES_ADDRESS_SELECTION) base = r.dwr_addr2;
    else if (r.dwr_type == DW_RANGES_ENTRY) add(base + r.dwr_addr1, base + r.dwr_addr2);
  }
  dwarf_ranges_dealloc(dbg_, entries, count);
  return out;
}

}  // namespace ws::dwarf

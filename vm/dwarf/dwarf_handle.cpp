#include "dwarf_error.h"
#include "dwarf_handle.h"

#include "../reader.h"

namespace ws::dwarf {
namespace {

// ---- the object-access interface: sections straight from memory ----

const std::vector<DwarfHandle::Section>& sections_of(void* obj) {
  return *static_cast<const std::vector<DwarfHandle::Section>*>(obj);
}

int get_section_info(void* obj, Dwarf_Half index, Dwarf_Obj_Access_Section* out, int* error) {
  const auto& sections = sections_of(obj);
  if (index >= sections.size()) {
    *error = DW_DLE_MDE;
    return DW_DLV_ERROR;
  }
  *out = Dwarf_Obj_Access_Section{};
  out->size = sections[index].bytes.size();
  out->name = sections[index].name.c_str();
  return DW_DLV_OK;
}

Dwarf_Endianness get_byte_order(void*) { return DW_OBJECT_LSB; }
Dwarf_Small get_length_size(void*) { return 4; }
Dwarf_Small get_pointer_size(void*) { return 4; }  // wasm32
Dwarf_Unsigned get_section_count(void* obj) { return sections_of(obj).size(); }

int load_section(void* obj, Dwarf_Half index, Dwarf_Small** data, int* error) {
  auto& sections = *static_cast<std::vector<DwarfHandle::Section>*>(obj);
  if (index >= sections.size()) {
    *error = DW_DLE_MDE;
    return DW_DLV_ERROR;
  }
  if (sections[index].bytes.empty()) return DW_DLV_NO_ENTRY;
  *data = sections[index].bytes.data();
  return DW_DLV_OK;
}

const Dwarf_Obj_Access_Methods kMethods = {get_section_info, get_byte_order, get_length_size,
                                           get_pointer_size, get_section_count, load_section,
                                           nullptr};

// Finds the code section's payload by walking the section headers.
bool find_code_section(const std::vector<uint8_t>& binary, uint32_t* start, uint32_t* size) {
  Reader r(binary.data(), 8, uint32_t(binary.size()));
  while (!r.at_end()) {
    uint8_t id = 0;
    uint32_t length = 0;
    if (!r.u8(&id) || !r.u32(&length) || length > r.remaining()) return false;
    if (id == 10) {
      *start = r.pos();
      *size = length;
      return true;
    }
    r.skip(length);
  }
  return false;
}

}  // namespace

std::string take_error_message(Dwarf_Debug dbg, Dwarf_Error& error) {
  std::string message = error ? dwarf_errmsg(error) : "libdwarf error";
  if (error) dwarf_dealloc_error(dbg, error);
  error = nullptr;
  return message;
}

Result<std::unique_ptr<DwarfHandle>> DwarfHandle::open(const Module& module) {
  std::unique_ptr<DwarfHandle> handle(new DwarfHandle());
  handle->sections_.push_back({});  // libdwarf treats section 0 like ELF's null section
  bool has_info = false;
  for (const CustomSection& custom : module.customs) {
    if (custom.name.rfind(".debug_", 0) != 0) continue;
    if (uint64_t(custom.offset) + custom.size > module.binary.size()) {
      Error e = dwarf_error("custom section " + custom.name + " extends past the end of the module");
      e.offset = custom.offset;
      return e;
    }
    const uint8_t* begin = module.binary.data() + custom.offset;
    handle->sections_.push_back({custom.name, std::vector<uint8_t>(begin, begin + custom.size)});
    has_info |= custom.name == ".debug_info" || custom.name == ".debug_line";
  }
  if (!has_info) return std::unique_ptr<DwarfHandle>();
  if (!find_code_section(module.binary, &handle->code_start_, &handle->code_size_)) {
    return dwarf_error("DWARF without a code section");
  }
  handle->access_.object = &handle->sections_;
  handle->access_.methods = &kMethods;
  Dwarf_Error error = nullptr;
  // No error handler: every failure comes back as DW_DLV_ERROR, never abort().
  int res = dwarf_object_init_b(&handle->access_, nullptr, nullptr, DW_GROUPNUMBER_ANY,
                                &handle->dbg_, &error);
  if (res == DW_DLV_NO_ENTRY) return std::unique_ptr<DwarfHandle>();
  if (res != DW_DLV_OK) {
    std::string message = error ? dwarf_errmsg(error) : "libdwarf cannot read the sections";
    if (error) dwarf_dealloc_error(nullptr, error);  // no Dwarf_Debug to release it with
    handle->dbg_ = nullptr;
    return dwarf_error("DWARF: " + message);
  }
  return handle;
}

DwarfHandle::~DwarfHandle() {
  Dwarf_Error error = nullptr;
  if (dbg_ && dwarf_object_finish(dbg_, &error) == DW_DLV_ERROR) dwarf_dealloc_error(nullptr, error);
}

const std::vector<uint8_t>& DwarfHandle::section(const std::string& name) const {
  for (const Section& s : sections_) {
    if (s.name == name) return s.bytes;
  }
  static const std::vector<uint8_t> kEmpty;
  return kEmpty;
}

}  // namespace ws::dwarf

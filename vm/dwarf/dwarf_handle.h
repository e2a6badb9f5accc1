// A libdwarf session over a Wasm module's .debug_* custom sections, handed
// to libdwarf from memory through its object-access interface (there is no
// ELF file). Also knows where the code section starts: Wasm DWARF addresses
// are offsets from the first byte of the code section's payload.
#pragma once
#include <libdwarf.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../error.h"
#include "../module.h"

namespace ws::dwarf {

class DwarfHandle {
 public:
  // Null (and no error) when the module has no .debug_info/.debug_line.
  static Result<std::unique_ptr<DwarfHandle>> open(const Module& module);
  ~DwarfHandle();
  DwarfHandle(const DwarfHandle&) = delete;
  DwarfHandle& operator=(const DwarfHandle&) = delete;

  Dwarf_Debug dbg() const { return dbg_; }
  // Module offset of the code section's payload (DWARF address 0).
  uint32_t code_start() const { return code_start_; }
  uint32_t code_size() const { return code_size_; }
  // Raw bytes of a section by name (".debug_loc"); empty if absent.
  const std::vector<uint8_t>& section(const std::string& name) const;

  struct Section {
    std::string name;
    std::vector<uint8_t> bytes;
  };

 private:
  DwarfHandle() = default;
  std::vector<Section> sections_;  // [0] is an empty placeholder (libdwarf's section 0)
  Dwarf_Obj_Access_Interface access_{};
  Dwarf_Debug dbg_ = nullptr;
  uint32_t code_start_ = 0, code_size_ = 0;
};

// libdwarf's message for an error, which is then released.
std::string take_error_message(Dwarf_Debug dbg, Dwarf_Error& error);

}  // namespace ws::dwarf

// All line-table rows of a module in one address-sorted array, built once at
// load: address lookups are a binary search, FILE:LINE lookups a scan.
#pragma once
#include <libdwarf.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../error.h"
#include "debug_info.h"

namespace ws::dwarf {

struct LineRow {
  uint32_t address = 0;  // module offset
  uint32_t file = 0;     // index into LineTable::files()
  uint32_t line = 0;
  uint32_t column = 0;
  bool is_stmt = false;
  bool end_sequence = false;  // first address past a sequence; no location
};

class LineTable {
 public:
  // Adds the rows of the compile unit whose DIE is `cu_die`. `code_start`
  // and `code_size` place DWARF addresses in the module; sequences outside
  // the code section (discarded functions: wasm-ld sets them to 0 or -1)
  // are dropped.
  Status add_unit(Dwarf_Debug dbg, Dwarf_Die cu_die, uint32_t code_start, uint32_t code_size);
  // Sorts the sequences by address; call once after the last add_unit().
  void finish();

  std::optional<SourceLocation> location(uint32_t offset) const;
  std::vector<uint32_t> line_offsets(const std::string& file, uint32_t line) const;
  const std::vector<std::string>& files() const { return files_; }

 private:
  std::vector<LineRow> rows_;  // sequences, each ending with an end_sequence row
  std::vector<std::string> files_;
};

}  // namespace ws::dwarf

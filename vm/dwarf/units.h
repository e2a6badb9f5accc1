// Compile units: an address index over all of them, built at load, and each
// unit's functions, scopes and variables, parsed from .debug_info on first
// use (python-debug.wasm has hundreds of units; a lookup touches one).
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../error.h"
#include "die_reader.h"
#include "location.h"

namespace ws::dwarf {

class DwarfHandle;

struct VariableInfo {
  uint64_t die = 0;
  std::string name;
  uint64_t type = 0;  // DIE offset of the type, 0 = void/unknown
  bool is_parameter = false;
  LocationDescription location;
};

// A subprogram, an inlined subroutine or a lexical block.
struct Scope {
  uint16_t tag = 0;
  std::string name;  // function name (subprograms, inlined subroutines)
  Ranges ranges;
  // Inlined subroutines: where the call was, in the unit's file numbering.
  uint32_t call_file = 0, call_line = 0, call_column = 0;
  LocationDescription frame_base;  // subprograms only
  std::vector<VariableInfo> variables;
  std::vector<Scope> children;
};

struct Unit {
  uint64_t header_offset = 0, end_offset = 0;  // [header, next header) in .debug_info
  uint64_t die_offset = 0;
  uint32_t version = 0;
  uint32_t base_address = 0;  // DW_AT_low_pc, for ranges and location lists
  Ranges ranges;
  // Parsed on first use:
  bool parsed = false;
  std::vector<std::string> files;   // the unit's file names (dwarf_srcfiles)
  std::vector<Scope> functions;     // subprograms with code
  std::vector<VariableInfo> globals;
  std::string file_name(uint32_t index) const;
};

// The chain of scopes covering an offset: subprogram first, innermost last.
using ScopeChain = std::vector<const Scope*>;

class Units {
 public:
  // Registers a unit (its CU DIE) while the line tables are read.
  void add(const DwarfHandle& handle, uint64_t header_offset, uint64_t end_offset, uint32_t version,
           const Die& cu_die);
  void finish();  // builds the address index

  // The unit whose code covers `offset`, parsed; null if none.
  Unit* unit_at(const DwarfHandle& handle, uint32_t offset);
  // The unit holding DIE `die_offset`, parsed; null if none.
  Unit* unit_of_die(const DwarfHandle& handle, uint64_t die_offset);
  static ScopeChain scopes_at(const Unit& unit, uint32_t offset);
  // A variable by its DIE offset within the chain or the unit's globals.
  static const VariableInfo* find_variable(const Unit& unit, uint64_t die);

 private:
  void parse(const DwarfHandle& handle, Unit& unit);
  std::vector<Unit> units_;
  std::vector<std::pair<std::pair<uint32_t, uint32_t>, size_t>> index_;  // range -> unit
};

}  // namespace ws::dwarf

// DWARF location descriptions and their evaluation against a paused frame.
// libdwarf's expression decoder (20210528) names DW_OP_WASM_location but
// cannot decode its operands, and rejects a whole location list containing
// it, so expressions are decoded here from their raw bytes (the small subset
// of DWARF operations compilers emit for Wasm), and DWARF 4 location lists
// (.debug_loc) are read here too.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "debug_info.h"

namespace ws::dwarf {

struct LocationEntry {
  uint32_t begin = 0, end = 0;  // module offsets, [begin, end)
  std::vector<uint8_t> expression;
};

struct LocationDescription {
  bool present = false;  // false: no DW_AT_location (optimized out)
  bool is_list = false;
  std::vector<uint8_t> expression;   // !is_list
  std::vector<LocationEntry> list;   // is_list
  // The expression that applies at `offset`, or null.
  const std::vector<uint8_t>* at(uint32_t offset) const;
};

// Reads the DWARF 4 location list at `offset` of .debug_loc. Addresses are
// relative to `base` (the unit's low_pc) and placed at `code_start`.
// Malformed lists are cut short.
std::vector<LocationEntry> read_location_list(const std::vector<uint8_t>& debug_loc, uint64_t offset,
                                              uint32_t base, uint32_t code_start, uint32_t code_size);

// Where an object's bytes are: pieces in order, each in memory or held as
// bytes (a Wasm local, global or operand, or a computed value).
struct Piece {
  enum Kind { Memory, Bytes, Missing } kind = Missing;
  uint64_t address = 0;          // Memory
  std::vector<uint8_t> bytes;    // Bytes
  uint32_t size = 0;             // DW_OP_piece size; 0 for the whole object
};

struct Located {
  std::vector<Piece> pieces;
  std::string error;  // set when the expression cannot be evaluated
};

// Evaluates `expression`. `frame_base` evaluates DW_OP_fbreg's base (the
// subprogram's DW_AT_frame_base), null when there is none.
Located evaluate_location(const std::vector<uint8_t>& expression, const FrameContext& frame,
                          const std::function<std::optional<uint64_t>()>& frame_base);

// The numeric value of a location that yields an address or a scalar
// (DW_AT_frame_base): memory pieces give their address, byte pieces their value.
std::optional<uint64_t> location_as_number(const Located& located);

}  // namespace ws::dwarf

// Source-level debug information of a module: DWARF in its custom sections
// (.debug_info, .debug_line, .debug_abbrev, .debug_str, ...), read with
// libdwarf through its object-access interface (the sections are handed over
// from memory; there is no ELF). Addresses in Wasm DWARF are offsets into
// the code section; this API speaks module offsets (FrameInfo::offset) and
// converts internally.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../error.h"
#include "../module.h"
#include "../types.h"

namespace ws::dwarf {

struct SourceLocation {
  std::string file;   // as the line table names it (directory joined)
  uint32_t line = 0;
  uint32_t column = 0;
};

// A source-level function activation at a code offset. One Wasm frame can be
// several source frames when calls were inlined: innermost first, the last
// one is the out-of-line subprogram.
struct SourceFrame {
  std::string function;                   // DW_AT_name of the (inlined) subprogram
  std::optional<SourceLocation> location; // where this source frame is
};

// What the evaluator needs from a paused frame to find variables' values.
struct FrameContext {
  std::function<std::optional<Value>(uint32_t index)> local;    // DW_OP_WASM_location 0
  std::function<std::optional<Value>(uint32_t index)> global;   // DW_OP_WASM_location 1 / 3
  std::function<std::optional<Value>(uint32_t depth)> operand;  // DW_OP_WASM_location 2 (0 = top)
  // Copies guest memory [addr, addr+size) into out; false if out of bounds.
  std::function<bool(uint64_t addr, void* out, size_t size)> read_memory;
};

// A C/C++ variable (parameter or local) in scope at a code offset.
struct Variable {
  std::string name;
  std::string type_name;  // "int", "char *", "struct point", "int[4]"
  bool is_parameter = false;
  uint64_t die_offset = 0;  // identifies the DIE for evaluate()
};

class DebugInfo {
 public:
  // The module's DWARF, or a DebugInfo with has_dwarf() == false when the
  // module has none. Malformed DWARF is an Error naming the section/offset.
  static Result<std::unique_ptr<DebugInfo>> load(std::shared_ptr<const Module> module);
  virtual ~DebugInfo() = default;
  virtual bool has_dwarf() const = 0;

  // The line-table row covering module offset `offset`, if any.
  virtual std::optional<SourceLocation> location(uint32_t offset) const = 0;
  // Module offsets where FILE:LINE starts (is_stmt rows; the first row of each
  // address run). `file` matches a full path or any trailing path component
  // sequence ("main.c", "src/main.c"). Empty when the line has no code.
  virtual std::vector<uint32_t> line_offsets(const std::string& file, uint32_t line) const = 0;
  // Source frames at `offset`, innermost first (empty if no subprogram covers it).
  virtual std::vector<SourceFrame> source_frames(uint32_t offset) const = 0;
  // Variables in scope at `offset` (innermost scope's first; parameters included).
  virtual std::vector<Variable> variables(uint32_t offset) const = 0;
  // The variable's value printed C-style ("42", "0x1000", "{x = 1, y = 2}",
  // "{1, 2, 3}", "RED"), or why it is unavailable ("<optimized out>",
  // "<unreadable memory at 0x...>").
  virtual std::string evaluate(const Variable& variable, uint32_t offset,
                               const FrameContext& frame) const = 0;
  // A C expression over the variables in scope, printed like evaluate():
  // `name`, `*name`, `name.field`, `name->field`, `name[3]`, and chains of
  // them; `&name` (of anything in memory) prints "(int *) 0x1000". An Error says what is wrong ("no variable 'x' in scope").
  virtual Result<std::string> evaluate_expression(const std::string& expression, uint32_t offset,
                                                  const FrameContext& frame) const = 0;
};

}  // namespace ws::dwarf

// The libdwarf-backed DebugInfo. Line tables and the unit address index are
// built at load; units' DIEs are parsed on first use (under a lock: the
// session may ask from the UI thread while another thread runs the guest).
#pragma once
#include <map>
#include <mutex>

#include "debug_info.h"
#include "dwarf_handle.h"
#include "line_table.h"
#include "types.h"
#include "units.h"

namespace ws::dwarf {

class LibdwarfDebugInfo : public DebugInfo {
 public:
  static Result<std::unique_ptr<DebugInfo>> create(std::shared_ptr<const Module> module);
  bool has_dwarf() const override { return handle_ != nullptr; }
  std::optional<SourceLocation> location(uint32_t offset) const override;
  std::vector<uint32_t> line_offsets(const std::string& file, uint32_t line) const override;
  std::vector<SourceFrame> source_frames(uint32_t offset) const override;
  std::vector<Variable> variables(uint32_t offset) const override;
  std::string evaluate(const Variable& variable, uint32_t offset,
                       const FrameContext& frame) const override;
  Result<std::string> evaluate_expression(const std::string& expression, uint32_t offset,
                                          const FrameContext& frame) const override;

 private:
  // Where a variable's value is at `offset` (locks held by the caller).
  Located locate(const Unit& unit, const VariableInfo& v, uint32_t offset,
                 const FrameContext& frame) const;
  // Variables visible at `offset`, innermost first, then the unit's globals.
  std::vector<const VariableInfo*> visible(const Unit& unit, uint32_t offset,
                                           bool with_globals) const;

  std::shared_ptr<const Module> module_;
  std::unique_ptr<DwarfHandle> handle_;
  LineTable lines_;
  mutable std::mutex mutex_;  // guards units_, types_ and libdwarf
  mutable Units units_;
  mutable std::unique_ptr<TypeTable> types_;
};

}  // namespace ws::dwarf

#include "dwarf_error.h"
#include "debug_info_impl.h"

#include <dwarf.h>

namespace ws::dwarf {

Result<std::unique_ptr<DebugInfo>> DebugInfo::load(std::shared_ptr<const Module> module) {
  return LibdwarfDebugInfo::create(std::move(module));
}

Result<std::unique_ptr<DebugInfo>> LibdwarfDebugInfo::create(std::shared_ptr<const Module> module) {
  std::unique_ptr<LibdwarfDebugInfo> info(new LibdwarfDebugInfo());
  info->module_ = module;
  auto handle = DwarfHandle::open(*module);
  if (!handle) return handle.error();
  info->handle_ = std::move(*handle);
  if (!info->handle_) return std::unique_ptr<DebugInfo>(std::move(info));
  const DwarfHandle& h = *info->handle_;
  Dwarf_Debug dbg = h.dbg();
  // Every unit: its line table and its code ranges.
  uint64_t header_offset = 0;  // units follow each other in .debug_info
  for (;;) {
    Dwarf_Unsigned header_length = 0, abbrev_offset = 0, type_offset = 0, next_header = 0;
    Dwarf_Half version = 0, address_size = 0, length_size = 0, extension_size = 0, header_type = 0;
    Dwarf_Sig8 signature;
    Dwarf_Error error = nullptr;
    int res = dwarf_next_cu_header_d(dbg, true, &header_length, &version, &abbrev_offset,
                                     &address_size, &length_size, &extension_size, &signature,
                                     &type_offset, &next_header, &header_type, &error);
    if (res == DW_DLV_NO_ENTRY) break;
    if (res != DW_DLV_OK) return dwarf_error("DWARF .debug_info: " + take_error_message(dbg, error));
    Dwarf_Die raw = nullptr;
    if (dwarf_siblingof_b(dbg, nullptr, true, &raw, &error) != DW_DLV_OK) {
      return dwarf_error("DWARF .debug_info: unit without a DIE: " + take_error_message(dbg, error));
    }
    Die cu(dbg, raw);
    Status lines = info->lines_.add_unit(dbg, raw, h.code_start(), h.code_size());
    if (!lines) return lines.error();
    info->units_.add(h, header_offset, next_header, version, cu);
    header_offset = next_header;
  }
  info->lines_.finish();
  info->units_.finish();
  info->types_ = std::make_unique<TypeTable>(dbg);
  return std::unique_ptr<DebugInfo>(std::move(info));
}

std::optional<SourceLocation> LibdwarfDebugInfo::location(uint32_t offset) const {
  return lines_.location(offset);
}

std::vector<uint32_t> LibdwarfDebugInfo::line_offsets(const std::string& file, uint32_t line) const {
  return lines_.line_offsets(file, line);
}

std::vector<SourceFrame> LibdwarfDebugInfo::source_frames(uint32_t offset) const {
  std::vector<SourceFrame> frames;
  if (!handle_) return frames;
  std::lock_guard<std::mutex> lock(mutex_);
  const Unit* unit = units_.unit_at(*handle_, offset);
  if (!unit) return frames;
  ScopeChain chain = Units::scopes_at(*unit, offset);
  std::optional<SourceLocation> where = lines_.location(offset);
  // Innermost first: each inlined subroutine is at `where`, and its call
  // site is where its caller is.
  for (size_t i = chain.size(); i-- > 0;) {
    const Scope& s = *chain[i];
    if (s.tag == DW_TAG_lexical_block) continue;
    frames.push_back({s.name, where});
    if (s.tag == DW_TAG_inlined_subroutine) {
      where = SourceLocation{unit->file_name(s.call_file), s.call_line, s.call_column};
    }
  }
  return frames;
}

}  // namespace ws::dwarf

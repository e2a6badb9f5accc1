#include "dwarf_error.h"
#include "line_table.h"

#include <algorithm>
#include <unordered_map>

#include "dwarf_handle.h"
#include "paths.h"

namespace ws::dwarf {

Status LineTable::add_unit(Dwarf_Debug dbg, Dwarf_Die cu_die, uint32_t code_start,
                           uint32_t code_size) {
  Dwarf_Error error = nullptr;
  Dwarf_Unsigned version = 0;
  Dwarf_Small table_count = 0;
  Dwarf_Line_Context context = nullptr;
  int res = dwarf_srclines_b(cu_die, &version, &table_count, &context, &error);
  if (res == DW_DLV_NO_ENTRY) return Ok{};
  if (res != DW_DLV_OK) return dwarf_error("DWARF .debug_line: " + take_error_message(dbg, error));
  Dwarf_Line* lines = nullptr;
  Dwarf_Signed count = 0;
  if (dwarf_srclines_from_linecontext(context, &lines, &count, &error) != DW_DLV_OK) {
    dwarf_srclines_dealloc_b(context);
    return dwarf_error("DWARF .debug_line: " + take_error_message(dbg, error));
  }
  // The unit's file numbers -> indices into files_, resolved (with libdwarf
  // joining directories) on first use.
  std::unordered_map<Dwarf_Unsigned, uint32_t> file_index;
  std::vector<LineRow> sequence;
  bool keep = true;
  for (Dwarf_Signed i = 0; i < count; ++i) {
    Dwarf_Line l = lines[i];
    Dwarf_Addr addr = 0;
    Dwarf_Unsigned line = 0, column = 0, fileno = 0;
    Dwarf_Bool stmt = false, end = false;
    if (dwarf_lineaddr(l, &addr, &error) != DW_DLV_OK || dwarf_lineno(l, &line, &error) != DW_DLV_OK ||
        dwarf_lineoff_b(l, &column, &error) != DW_DLV_OK ||
        dwarf_line_srcfileno(l, &fileno, &error) != DW_DLV_OK ||
        dwarf_linebeginstatement(l, &stmt, &error) != DW_DLV_OK ||
        dwarf_lineendsequence(l, &end, &error) != DW_DLV_OK) {
      dwarf_srclines_dealloc_b(context);
      return dwarf_error("DWARF .debug_line: " + take_error_message(dbg, error));
    }
    if (sequence.empty()) keep = addr != 0 && addr < code_size;
    if (addr > code_size) keep = false;  // past the code section: drop the sequence
    LineRow row;
    row.address = code_start + uint32_t(addr);
    row.line = uint32_t(line);
    row.column = uint32_t(column);
    row.is_stmt = stmt;
    row.end_sequence = end;
    if (keep && !end) {
      auto it = file_index.find(fileno);
      if (it == file_index.end()) {
        char* name = nullptr;
        std::string path = "?";
        if (dwarf_linesrc(l, &name, &error) == DW_DLV_OK) {
          path = tidy_path(name);
          dwarf_dealloc(dbg, name, DW_DLA_STRING);
        } else if (error) {
          dwarf_dealloc_error(dbg, error);
          error = nullptr;
        }
        it = file_index.emplace(fileno, uint32_t(files_.size())).first;
        files_.push_back(path);
      }
      row.file = it->second;
    }
    sequence.push_back(row);
    if (end) {
      // Rows must not run backwards within a sequence; a malformed one is dropped.
      for (size_t k = 1; keep && k < sequence.size(); ++k) keep = sequence[k - 1].address <= sequence[k].address;
      if (keep) rows_.insert(rows_.end(), sequence.begin(), sequence.end());
      sequence.clear();
    }
  }
  dwarf_srclines_dealloc_b(context);
  return Ok{};
}

void LineTable::finish() {
  // Split into sequences, order them by start address, and lay them out again.
  std::vector<std::pair<size_t, size_t>> sequences;  // [begin, end] row index
  size_t begin = 0;
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].end_sequence) {
      sequences.push_back({begin, i});
      begin = i + 1;
    }
  }
  std::stable_sort(sequences.begin(), sequences.end(), [&](auto a, auto b) {
    return rows_[a.first].address < rows_[b.first].address;
  });
  std::vector<LineRow> sorted;
  sorted.reserve(rows_.size());
  for (auto [first, last] : sequences) sorted.insert(sorted.end(), rows_.begin() + first, rows_.begin() + last + 1);
  rows_ = std::move(sorted);
}

std::optional<SourceLocation> LineTable::location(uint32_t offset) const {
  // The last row starting at or before `offset`.
  auto it = std::upper_bound(rows_.begin(), rows_.end(), offset,
                             [](uint32_t o, const LineRow& r) { return o < r.address; });
  if (it == rows_.begin()) return std::nullopt;
  const LineRow& row = *(it - 1);
  if (row.end_sequence || row.line == 0) return std::nullopt;
  return SourceLocation{files_[row.file], row.line, row.column};
}

std::vector<uint32_t> LineTable::line_offsets(const std::string& file, uint32_t line) const {
  std::vector<bool> file_matches(files_.size());
  for (size_t i = 0; i < files_.size(); ++i) file_matches[i] = path_matches(files_[i], file);
  std::vector<uint32_t> offsets;
  bool in_run = false;  // the previous row was already this file:line
  for (const LineRow& row : rows_) {
    bool here = !row.end_sequence && row.line == line && file_matches[row.file];
    if (here && row.is_stmt && !in_run) offsets.push_back(row.address);
    in_run = here && (in_run || row.is_stmt);
  }
  std::sort(offsets.begin(), offsets.end());
  offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
  return offsets;
}

}  // namespace ws::dwarf

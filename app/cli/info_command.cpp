// `wasmscope validate` and `wasmscope info`: what a module is, as stable
// text that tests and scripts can rely on.
#include <cinttypes>
#include <cstdio>
#include <map>

#include "commands.h"
#include "load.h"
#include "vm/reader.h"

namespace ws::cli {
namespace {

const char* section_name(uint8_t id) {
  static const char* const kNames[] = {"custom", "type",    "import", "function", "table",
                                       "memory", "global",  "export", "start",    "element",
                                       "code",   "data",    "datacount"};
  return id < sizeof kNames / sizeof kNames[0] ? kNames[id] : "unknown";
}

struct SectionHeader {
  uint8_t id;
  uint32_t offset;  // of the payload
  uint32_t size;
  std::string custom_name;
};

// The section headers of a module that decoded successfully.
std::vector<SectionHeader> scan_sections(const std::vector<uint8_t>& binary) {
  std::vector<SectionHeader> out;
  Reader r(binary.data(), 8, uint32_t(binary.size()));  // after magic and version
  while (!r.at_end()) {
    SectionHeader s;
    if (!r.u8(&s.id) || !r.u32(&s.size)) break;
    s.offset = r.pos();
    if (s.size > r.remaining()) break;
    if (s.id == 0) {
      Reader name(binary.data(), s.offset, s.offset + s.size);
      uint32_t len;
      if (name.u32(&len) && len <= name.remaining()) {
        s.custom_name.assign(reinterpret_cast<const char*>(name.cursor()), len);
      }
    }
    r.skip(s.size);
    out.push_back(s);
  }
  return out;
}

std::string limits_text(const Limits& l) {
  std::string s = "min " + std::to_string(l.min);
  if (l.max) s += " max " + std::to_string(*l.max);
  return s;
}

std::string import_desc(const Module& m, const Import& im) {
  switch (im.kind) {
    case ExternKind::Func:
      return "type " + std::to_string(im.func_type) + " " +
             (im.func_type < m.types.size() ? m.types[im.func_type].to_string() : "?");
    case ExternKind::Table:
      return std::string(valtype_name(im.table.elem)) + " " + limits_text(im.table.limits);
    case ExternKind::Memory:
      return "pages " + limits_text(im.memory.limits);
    case ExternKind::Global:
      return std::string(im.global.mutable_ ? "mut " : "") + valtype_name(im.global.type);
  }
  return "";
}

// "i32 x2, f64" for a function's declared locals.
std::string locals_text(const std::vector<ValType>& locals) {
  std::string s;
  for (size_t i = 0; i < locals.size();) {
    size_t j = i;
    while (j < locals.size() && locals[j] == locals[i]) j++;
    if (!s.empty()) s += ", ";
    s += valtype_name(locals[i]);
    if (j - i > 1) s += " x" + std::to_string(j - i);
    i = j;
  }
  return s;
}

void print_info(const std::string& path, const Module& m) {
  std::printf("module: %s (%zu bytes)\n", path.c_str(), m.binary.size());

  std::vector<SectionHeader> sections = scan_sections(m.binary);
  std::printf("sections (%zu):\n", sections.size());
  for (const SectionHeader& s : sections) {
    std::string name = section_name(s.id);
    if (s.id == 0) name += " \"" + s.custom_name + "\"";
    std::printf("  %2u %-20s offset 0x%08" PRIx32 " size %" PRIu32 "\n", s.id, name.c_str(), s.offset, s.size);
  }

  std::printf("types (%zu):\n", m.types.size());
  for (size_t i = 0; i < m.types.size(); i++) std::printf("  type[%zu] %s\n", i, m.types[i].to_string().c_str());

  std::printf("imports (%zu):\n", m.imports.size());
  uint32_t next[4] = {0, 0, 0, 0};  // next index per kind
  for (const Import& im : m.imports) {
    std::printf("  %s[%u] %s.%s: %s\n", extern_kind_name(im.kind), next[unsigned(im.kind)]++, im.module.c_str(),
                im.name.c_str(), import_desc(m, im).c_str());
  }

  std::printf("exports (%zu):\n", m.exports.size());
  for (const Export& e : m.exports) {
    std::printf("  \"%s\": %s[%u]\n", e.name.c_str(), extern_kind_name(e.kind), e.index);
  }

  std::printf("functions (%zu defined, %u imported):\n", m.funcs.size(), m.num_imported_funcs);
  for (size_t i = 0; i < m.funcs.size(); i++) {
    const FuncBody& f = m.funcs[i];
    uint32_t index = m.num_imported_funcs + uint32_t(i);
    std::string type = f.type < m.types.size() ? m.types[f.type].to_string() : "?";
    std::printf("  func[%u] %s: type %u %s, body %u bytes at 0x%x, locals %zu", index,
                m.func_display_name(index).c_str(), f.type, type.c_str(), f.code_end - f.body_offset,
                f.body_offset, f.locals.size());
    if (!f.locals.empty()) std::printf(" (%s)", locals_text(f.locals).c_str());
    std::printf("\n");
  }

  std::printf("tables (%zu defined):\n", m.tables.size());
  for (size_t i = 0; i < m.tables.size(); i++) {
    std::printf("  table[%zu] %s %s\n", m.num_imported_tables + i, valtype_name(m.tables[i].elem),
                limits_text(m.tables[i].limits).c_str());
  }
  std::printf("memories (%zu defined):\n", m.memories.size());
  for (size_t i = 0; i < m.memories.size(); i++) {
    std::printf("  memory[%zu] pages %s\n", m.num_imported_memories + i, limits_text(m.memories[i].limits).c_str());
  }
  std::printf("globals (%zu defined):\n", m.globals.size());
  for (size_t i = 0; i < m.globals.size(); i++) {
    const GlobalType& g = m.globals[i].type;
    std::printf("  global[%zu] %s%s\n", m.num_imported_globals + i, g.mutable_ ? "mut " : "", valtype_name(g.type));
  }
  if (m.start) std::printf("start: func[%u] %s\n", *m.start, m.func_display_name(*m.start).c_str());

  std::printf("custom sections (%zu):\n", m.customs.size());
  for (const CustomSection& c : m.customs) {
    std::printf("  \"%s\" offset 0x%08" PRIx32 " size %" PRIu32 "\n", c.name.c_str(), c.offset, c.size);
  }
  std::printf("data segments: %zu\n", m.datas.size());
  std::printf("elem segments: %zu\n", m.elems.size());
}

// Both commands take exactly one MODULE.
bool single_module_arg(const char* command, const Args& args, std::string* path, int* status) {
  for (const std::string& a : args) {
    if (!a.empty() && a[0] == '-') {
      *status = usage_error("unknown option '" + a + "' for '" + command + "'");
      return false;
    }
  }
  if (args.size() != 1) {
    *status = usage_error(std::string(command) + ": expected one MODULE");
    return false;
  }
  *path = args[0];
  return true;
}

}  // namespace

int validate_command(const Args& args) {
  std::string path;
  int status;
  if (!single_module_arg("validate", args, &path, &status)) return status;
  auto module = load_module(path);
  if (!module) {
    std::fprintf(stderr, "error: %s: %s\n", path.c_str(), module.error().to_string().c_str());
    return kExitFailure;
  }
  std::printf("valid\n");
  return 0;
}

int info_command(const Args& args) {
  std::string path;
  int status;
  if (!single_module_arg("info", args, &path, &status)) return status;
  auto module = load_module(path);
  if (!module) {
    std::fprintf(stderr, "error: %s: %s\n", path.c_str(), module.error().to_string().c_str());
    return kExitFailure;
  }
  print_info(path, **module);
  return 0;
}

}  // namespace ws::cli

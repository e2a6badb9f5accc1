// Index-space accessors and display names of a decoded module.
#include "module.h"

namespace ws {

const char* extern_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "?";
}

uint32_t Module::func_type_index(uint32_t funcidx) const {
  if (funcidx < func_imports.size()) return imports[func_imports[funcidx]].func_type;
  funcidx -= uint32_t(func_imports.size());
  return funcidx < funcs.size() ? funcs[funcidx].type : 0;
}

const FuncType& Module::func_type(uint32_t funcidx) const {
  static const FuncType kNone;
  const uint32_t t = func_type_index(funcidx);
  return t < types.size() ? types[t] : kNone;
}

const TableType& Module::table_type(uint32_t tableidx) const {
  static const TableType kNone;
  if (tableidx < table_imports.size()) return imports[table_imports[tableidx]].table;
  tableidx -= uint32_t(table_imports.size());
  return tableidx < tables.size() ? tables[tableidx] : kNone;
}

const MemoryType& Module::memory_type(uint32_t memidx) const {
  static const MemoryType kNone;
  if (memidx < memory_imports.size()) return imports[memory_imports[memidx]].memory;
  memidx -= uint32_t(memory_imports.size());
  return memidx < memories.size() ? memories[memidx] : kNone;
}

const GlobalType& Module::global_type(uint32_t globalidx) const {
  static const GlobalType kNone;
  if (globalidx < global_imports.size()) return imports[global_imports[globalidx]].global;
  globalidx -= uint32_t(global_imports.size());
  return globalidx < globals.size() ? globals[globalidx].type : kNone;
}

std::string Module::func_display_name(uint32_t funcidx) const {
  auto named = names.functions.find(funcidx);
  if (named != names.functions.end() && !named->second.empty()) return named->second;
  for (const Export& e : exports)
    if (e.kind == ExternKind::Func && e.index == funcidx) return e.name;
  if (funcidx < func_imports.size()) {
    const Import& im = imports[func_imports[funcidx]];
    return im.module + "." + im.name;
  }
  return "func[" + std::to_string(funcidx) + "]";
}

}  // namespace ws

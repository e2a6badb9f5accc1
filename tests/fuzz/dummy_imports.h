// Satisfies every import of a module with a fresh dummy of exactly the
// imported type, so any valid module can be instantiated without its real
// host: functions that return zeros, zero-filled memories and tables, and
// zero-valued globals. Used by the fuzzers and the load-speed benchmark.
#pragma once
#include <optional>
#include <vector>

#include "vm/module.h"
#include "vm/runtime.h"

namespace ws {

// Null when an imported type cannot be created in `store` (e.g. a memory
// larger than the store's page limit).
inline std::optional<std::vector<Extern>> make_dummy_imports(Store& store, const Module& module) {
  std::vector<Extern> imports;
  for (const Import& import : module.imports) {
    Extern x;
    x.kind = import.kind;
    switch (import.kind) {
      case ExternKind::Func: {
        const FuncType& type = module.types[import.func_type];
        const std::vector<ValType> results = type.results;
        x.object = store.create_host_function(
            type,
            [results](HostCall& call) {
              for (size_t i = 0; i < results.size(); ++i) call.results[i] = Value::null_of(results[i]);
              return HostResult::Ok;
            },
            import.module + "." + import.name);
        break;
      }
      case ExternKind::Table: x.object = store.create_table(import.table); break;
      case ExternKind::Memory: x.object = store.create_memory(import.memory); break;
      case ExternKind::Global:
        x.object = store.create_global(import.global, Value::null_of(import.global.type));
        break;
    }
    if (!x.object) return std::nullopt;
    imports.push_back(x);
  }
  return imports;
}

}  // namespace ws

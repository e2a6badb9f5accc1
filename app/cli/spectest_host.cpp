#include "spectest_host.h"

#include <cstdio>

namespace ws::cli {

ExternMap make_spectest(Store& store, bool verbose) {
  ExternMap m;
  auto add_print = [&](const char* name, std::vector<ValType> params) {
    FuncType type{params, {}};
    size_t count = params.size();
    HostFn fn = [verbose, name, count](HostCall& call) {
      if (verbose) {
        std::fprintf(stderr, "spectest.%s:", name);
        for (size_t i = 0; i < count; i++) std::fprintf(stderr, " %s", call.args[i].to_string().c_str());
        std::fprintf(stderr, "\n");
      }
      return HostResult::Ok;
    };
    Extern e;
    e.kind = ExternKind::Func;
    e.object = store.create_host_function(type, std::move(fn), std::string("spectest.") + name);
    m[name] = e;
  };
  add_print("print", {});
  add_print("print_i32", {ValType::I32});
  add_print("print_i64", {ValType::I64});
  add_print("print_f32", {ValType::F32});
  add_print("print_f64", {ValType::F64});
  add_print("print_i32_f32", {ValType::I32, ValType::F32});
  add_print("print_f64_f64", {ValType::F64, ValType::F64});

  auto add_global = [&](const char* name, Value v) {
    Extern e;
    e.kind = ExternKind::Global;
    e.object = store.create_global(GlobalType{v.type, false}, v);
    m[name] = e;
  };
  add_global("global_i32", Value::make_i32(666));
  add_global("global_i64", Value::make_i64(666));
  add_global("global_f32", Value::make_f32(666.6f));
  add_global("global_f64", Value::make_f64(666.6));

  Extern table;
  table.kind = ExternKind::Table;
  table.object = store.create_table(TableType{ValType::FuncRef, Limits{10, 20}});
  m["table"] = table;

  Extern memory;
  memory.kind = ExternKind::Memory;
  memory.object = store.create_memory(MemoryType{Limits{1, 2}});
  m["memory"] = memory;
  return m;
}

}  // namespace ws::cli

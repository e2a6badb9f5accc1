// Instantiation: import linking with type checks, allocation of the module's
// objects, compilation, and element/data segment initialisation.
#include "compiler.h"
#include "const_expr.h"
#include "store_impl.h"

namespace ws {

const Extern* Instance::find_export(const std::string& name) const {
  for (const auto& e : exports)
    if (e.first == name) return &e.second;
  return nullptr;
}

namespace {

Error link_error(const Import& im, const std::string& message) {
  return Error{message + " (" + im.module + "." + im.name + ")", "import", std::nullopt, std::nullopt, ""};
}

// Import subtyping of limits: the provided object must be at least as large
// as required and, if a maximum is required, have one no larger.
bool limits_match(uint64_t actual_min, const std::optional<uint64_t>& actual_max, const Limits& want) {
  if (actual_min < want.min) return false;
  if (!want.max) return true;
  return actual_max && *actual_max <= *want.max;
}

Status check_import(const Import& im, const Extern& x, const Module& m) {
  if (x.kind != im.kind || !x.object) return link_error(im, "incompatible import type");
  switch (im.kind) {
    case ExternKind::Func:
      if (x.func()->type != m.types[im.func_type]) return link_error(im, "incompatible import type");
      break;
    case ExternKind::Table: {
      const Table* t = x.table();
      if (t->type.elem != im.table.elem ||
          !limits_match(t->elements.size(), t->type.limits.max, im.table.limits))
        return link_error(im, "incompatible import type");
      break;
    }
    case ExternKind::Memory: {
      const Memory* mem = x.memory();
      if (!limits_match(mem->pages(), mem->type.limits.max, im.memory.limits))
        return link_error(im, "incompatible import type");
      break;
    }
    case ExternKind::Global: {
      const Global* g = x.global();
      if (g->type.type != im.global.type || g->type.mutable_ != im.global.mutable_)
        return link_error(im, "incompatible import type");
      break;
    }
  }
  return Ok{};
}

// Evaluates an i32 segment offset.
Result<uint32_t> eval_offset(const Module& m, const ConstExpr& e, const Instance& inst) {
  Result<Value> v = eval_const_expr(m, e, inst);
  if (!v) return v.error();
  return v->i32;
}

}  // namespace

Result<Instance*> Store::instantiate(std::shared_ptr<const Module> module,
                                     const std::vector<Extern>& imports) {
  const Module& m = *module;
  if (imports.size() != m.imports.size())
    return Error{"unknown import: " + std::to_string(m.imports.size()) + " imports needed, " +
                     std::to_string(imports.size()) + " given",
                 "import", std::nullopt, std::nullopt, ""};
  for (size_t i = 0; i < imports.size(); ++i) {
    Status s = check_import(m.imports[i], imports[i], m);
    if (!s) return s.error();
  }

  // The instance is owned by the store from here on: a failing segment leaves
  // earlier writes (which may reference its functions) in shared objects.
  impl_->instances.push_back(std::make_unique<InstanceState>());
  InstanceState& inst = *impl_->instances.back();
  inst.module = module;
  for (const FuncType& t : m.types) inst.type_ids.push_back(impl_->type_id(t));

  for (const Extern& x : imports) {
    switch (x.kind) {
      case ExternKind::Func: inst.funcs.push_back(x.func()); break;
      case ExternKind::Table: inst.tables.push_back(x.table()); break;
      case ExternKind::Memory: inst.memories.push_back(x.memory()); break;
      case ExternKind::Global: inst.globals.push_back(x.global()); break;
    }
  }
  for (size_t i = 0; i < m.funcs.size(); ++i) {
    auto f = std::make_unique<FunctionState>();
    f->type = m.types[m.funcs[i].type];
    f->type_id = inst.type_ids[m.funcs[i].type];
    f->instance = &inst;
    f->index = m.num_imported_funcs + uint32_t(i);
    inst.compiled.push_back(std::make_unique<CompiledFunction>());
    f->compiled = inst.compiled.back().get();
    inst.funcs.push_back(f.get());
    impl_->funcs.push_back(std::move(f));
  }
  for (const TableType& t : m.tables) {
    Table* table = create_table(t, 0);
    if (!table) return Error{"table too large", "table", std::nullopt, std::nullopt, ""};
    inst.tables.push_back(table);
  }
  for (const MemoryType& t : m.memories) {
    Memory* mem = t.limits.min <= limits_.max_memory_pages ? create_memory(t) : nullptr;
    if (!mem)
      return Error{"memory of " + std::to_string(t.limits.min) + " pages exceeds the limit", "memory",
                   std::nullopt, std::nullopt, ""};
    inst.memories.push_back(mem);
  }
  for (const GlobalDef& g : m.globals) {
    Result<Value> v = eval_const_expr(m, g.init, inst);
    if (!v) return v.error();
    inst.globals.push_back(create_global(g.type, *v));
  }
  for (const Export& e : m.exports) {
    Extern x;
    x.kind = e.kind;
    switch (e.kind) {
      case ExternKind::Func: x.object = inst.funcs[e.index]; break;
      case ExternKind::Table: x.object = inst.tables[e.index]; break;
      case ExternKind::Memory: x.object = inst.memories[e.index]; break;
      case ExternKind::Global: x.object = inst.globals[e.index]; break;
    }
    inst.exports.push_back({e.name, x});
  }
  inst.dropped_elems.assign(m.elems.size(), false);
  inst.dropped_datas.assign(m.datas.size(), false);
  for (const ElemSegment& seg : m.elems) {
    std::vector<uint64_t> items;
    for (const ConstExpr& item : seg.items) {
      Result<Value> v = eval_const_expr(m, item, inst);
      if (!v) return v.error();
      items.push_back(v->ref);
    }
    inst.elem_items.push_back(std::move(items));
  }

  Memory* memory0 = inst.memories.empty() ? empty_memory() : inst.memories[0];
  for (size_t i = 0; i < m.funcs.size(); ++i) {
    CompiledFunction* cf = inst.compiled[i].get();
    cf->func = inst.funcs[m.num_imported_funcs + i];
    cf->instance = &inst;
    cf->memory = memory0;
    cf->func_index = m.num_imported_funcs + uint32_t(i);
  }
  for (auto& cf : inst.compiled) {
    Status s = compile_function(cf.get(), true);
    if (!s) return s.error();
  }

  // Segments, in order; the first out-of-bounds one fails instantiation.
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    if (seg.mode == SegmentMode::Passive) continue;
    inst.dropped_elems[i] = true;
    if (seg.mode == SegmentMode::Declarative) continue;
    Result<uint32_t> offset = eval_offset(m, seg.offset, inst);
    if (!offset) return offset.error();
    Table* t = inst.tables[seg.table];
    const std::vector<uint64_t>& items = inst.elem_items[i];
    if (uint64_t(*offset) + items.size() > t->elements.size())
      return Error{"out of bounds table access", "elem", seg.section_offset, std::nullopt, ""};
    std::copy(items.begin(), items.end(), t->elements.begin() + *offset);
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& seg = m.datas[i];
    if (seg.mode != SegmentMode::Active) continue;
    inst.dropped_datas[i] = true;
    Result<uint32_t> offset = eval_offset(m, seg.offset, inst);
    if (!offset) return offset.error();
    Memory* mem = inst.memories[seg.memory];
    if (uint64_t(*offset) + seg.size > mem->size_bytes())
      return Error{"out of bounds memory access", "data", seg.data_offset, std::nullopt, ""};
    if (seg.size) std::memcpy(mem->data() + *offset, m.binary.data() + seg.data_offset, seg.size);
  }
  if (m.start) inst.start = inst.funcs[*m.start];
  return static_cast<Instance*>(&inst);
}

}  // namespace ws

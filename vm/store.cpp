// Store: creation of host-made runtime objects.
#include "store_impl.h"

namespace ws {

Store::Store(ExecLimits limits) : impl_(std::make_unique<Impl>()), limits_(limits) {}
Store::~Store() = default;

Function* Store::create_host_function(FuncType type, HostFn fn, std::string name) {
  auto f = std::make_unique<FunctionState>();
  f->type_id = impl_->type_id(type);
  f->type = std::move(type);
  f->host = std::move(fn);
  f->host_name = std::move(name);
  impl_->funcs.push_back(std::move(f));
  return impl_->funcs.back().get();
}

Memory* Store::create_memory(MemoryType type) {
  auto m = std::make_unique<Memory>();
  m->type = type;
  m->page_limit_ = limits_.max_memory_pages;
  if (type.limits.min > 0 && m->grow(uint32_t(std::min<uint64_t>(type.limits.min, kMaxPages + 1))) < 0)
    return nullptr;
  impl_->memories.push_back(std::move(m));
  return impl_->memories.back().get();
}

Table* Store::create_table(TableType type, uint64_t init) {
  auto t = std::make_unique<Table>();
  t->type = type;
  if (t->grow(uint32_t(std::min<uint64_t>(type.limits.min, UINT32_MAX)), init) < 0) return nullptr;
  impl_->tables.push_back(std::move(t));
  return impl_->tables.back().get();
}

Global* Store::create_global(GlobalType type, Value value) {
  auto g = std::make_unique<Global>();
  g->type = type;
  g->value = value;
  g->value.type = type.type;
  impl_->globals.push_back(std::move(g));
  return impl_->globals.back().get();
}

}  // namespace ws

// Handlers that touch store objects: globals, memory size/grow and bulk
// memory, tables and element/data segments.
#include "handlers_steps.h"

namespace ws::h {

using u32 = uint32_t;

// The handlers of the steps in handlers_steps.h.
HANDLER_OF_STEP(global_get)
HANDLER_OF_STEP(global_get2)
HANDLER_OF_STEP(global_set)
HANDLER_OF_STEP(global_set2)
HANDLER_OF_STEP(i32_add_imm_global_set)
HANDLER_OF_STEP(global_i32_add_imm_set)

// ---- memory ----

HANDLER(memory_size) {
  wr<u32>(fp, ip[1].u, u32(msize / kPageSize));
  NEXT(2);
}
HANDLER(memory_grow) {
  Memory* m = ctx->frame->func->memory;
  wr<u32>(fp, ip[1].u, u32(m->grow(rd<u32>(fp, ip[2].u))));
  mem = m->data_;
  msize = m->size_;
  NEXT(3);
}
HANDLER(memory_fill) {
  const uint64_t d = rd<u32>(fp, ip[1].u), n = rd<u32>(fp, ip[3].u);
  if (!in_bounds(d, n, msize)) TRAP(MemoryOutOfBounds);
  std::memset(mem + d, int(rd<u32>(fp, ip[2].u) & 0xFF), n);
  NEXT(4);
}
HANDLER(memory_copy) {
  const uint64_t d = rd<u32>(fp, ip[1].u), s = rd<u32>(fp, ip[2].u), n = rd<u32>(fp, ip[3].u);
  if (!in_bounds(d, n, msize) || !in_bounds(s, n, msize)) TRAP(MemoryOutOfBounds);
  std::memmove(mem + d, mem + s, n);
  NEXT(4);
}
HANDLER(memory_init) {
  const InstanceState* inst = static_cast<const InstanceState*>(ip[1].p);
  const uint32_t seg = uint32_t(ip[2].u);
  const DataSegment& data = inst->module->datas[seg];
  const uint64_t size = inst->dropped_datas[seg] ? 0 : data.size;
  const uint64_t d = rd<u32>(fp, ip[3].u), s = rd<u32>(fp, ip[4].u), n = rd<u32>(fp, ip[5].u);
  if (!in_bounds(s, n, size) || !in_bounds(d, n, msize)) TRAP(MemoryOutOfBounds);
  if (n) std::memcpy(mem + d, inst->module->binary.data() + data.data_offset + s, n);
  NEXT(6);
}
HANDLER(data_drop) {
  InstanceState* inst = static_cast<InstanceState*>(const_cast<void*>(ip[1].p));
  inst->dropped_datas[ip[2].u] = true;
  NEXT(3);
}

// ---- tables ----

static Table* table_at(CodeWord w) { return static_cast<Table*>(const_cast<void*>(w.p)); }

HANDLER(table_get) {
  const Table* t = table_at(ip[2]);
  const uint64_t i = rd<u32>(fp, ip[3].u);
  if (i >= t->elements.size()) TRAP(TableOutOfBounds);
  fp[ip[1].u] = t->elements[i];
  NEXT(4);
}
HANDLER(table_set) {
  Table* t = table_at(ip[1]);
  const uint64_t i = rd<u32>(fp, ip[2].u);
  if (i >= t->elements.size()) TRAP(TableOutOfBounds);
  t->elements[i] = fp[ip[3].u];
  NEXT(4);
}
HANDLER(table_size) {
  wr<u32>(fp, ip[1].u, u32(table_at(ip[2])->elements.size()));
  NEXT(3);
}
HANDLER(table_grow) {
  wr<u32>(fp, ip[1].u, u32(table_at(ip[2])->grow(rd<u32>(fp, ip[4].u), fp[ip[3].u])));
  NEXT(5);
}
HANDLER(table_fill) {
  Table* t = table_at(ip[1]);
  const uint64_t i = rd<u32>(fp, ip[2].u), n = rd<u32>(fp, ip[4].u);
  if (!in_bounds(i, n, t->elements.size())) TRAP(TableOutOfBounds);
  const uint64_t v = fp[ip[3].u];
  for (uint64_t k = 0; k < n; ++k) t->elements[i + k] = v;
  NEXT(5);
}
HANDLER(table_copy) {
  Table* dst = table_at(ip[1]);
  const Table* src = table_at(ip[2]);
  const uint64_t d = rd<u32>(fp, ip[3].u), s = rd<u32>(fp, ip[4].u), n = rd<u32>(fp, ip[5].u);
  if (!in_bounds(d, n, dst->elements.size()) || !in_bounds(s, n, src->elements.size()))
    TRAP(TableOutOfBounds);
  if (n) std::memmove(dst->elements.data() + d, src->elements.data() + s, n * sizeof(uint64_t));
  NEXT(6);
}
HANDLER(table_init) {
  const InstanceState* inst = static_cast<const InstanceState*>(ip[1].p);
  const uint32_t seg = uint32_t(ip[2].u);
  Table* t = table_at(ip[3]);
  const std::vector<uint64_t>& items = inst->elem_items[seg];
  const uint64_t size = inst->dropped_elems[seg] ? 0 : items.size();
  const uint64_t d = rd<u32>(fp, ip[4].u), s = rd<u32>(fp, ip[5].u), n = rd<u32>(fp, ip[6].u);
  if (!in_bounds(s, n, size) || !in_bounds(d, n, t->elements.size())) TRAP(TableOutOfBounds);
  for (uint64_t k = 0; k < n; ++k) t->elements[d + k] = items[s + k];
  NEXT(7);
}
HANDLER(elem_drop) {
  InstanceState* inst = static_cast<InstanceState*>(const_cast<void*>(ip[1].p));
  inst->dropped_elems[ip[2].u] = true;
  NEXT(3);
}

}  // namespace ws::h

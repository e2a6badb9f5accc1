// Watchpoints: while any exists, every function runs debug code and each
// instruction that may write memory (stores, memory.fill/copy/init, calls
// that may reach a host function such as fd_read) stops at a patched
// breakpoint. If it is about to write into a watched range (for a host call:
// always), the watched bytes are saved and the instruction single-stepped;
// the stop after it reports the write.
#include <algorithm>
#include <cstring>

#include "../handlers.h"
#include "../store_impl.h"
#include "../thread_debug.h"
#include "session_impl.h"

namespace ws::debug {

namespace {

Error watch_error(std::string message) { return Error{std::move(message), "", std::nullopt, std::nullopt, ""}; }

uint32_t store_size(Op op) {
  switch (op) {
    case Op::I32Store8: case Op::I64Store8: case Op::V128Store8Lane: return 1;
    case Op::I32Store16: case Op::I64Store16: case Op::V128Store16Lane: return 2;
    case Op::I32Store: case Op::F32Store: case Op::I64Store32: case Op::V128Store32Lane: return 4;
    case Op::I64Store: case Op::F64Store: case Op::V128Store64Lane: return 8;
    case Op::V128Store: return 16;
    default: return 0;
  }
}

}  // namespace

Memory* SessionImpl::memory0() const {
  return instance_ && !instance_->memories.empty() ? instance_->memories[0] : nullptr;
}

bool SessionImpl::watching() const {
  return std::any_of(watchpoints_.begin(), watchpoints_.end(), [](const auto& w) { return w.second.enabled; });
}

Status SessionImpl::watching_changed(bool was_watching) {
  const bool now = watching();
  if (now == was_watching) return Ok{};
  for (auto& cf : state_of(instance_)->compiled) {
    if (!now || cf->step_checks) {
      apply_patches(cf.get());
    } else if (Status s = switch_function(cf.get(), true); !s) {
      return s.error();
    }
  }
  if (!now) pending_ = PendingWrite{};
  return Ok{};
}

Result<int> SessionImpl::add_watchpoint(uint64_t address, uint32_t length) {
  const Memory* mem = memory0();
  if (!mem) return watch_error("the module has no memory to watch");
  if (length == 0) return watch_error("a watchpoint needs at least one byte");
  if (address + length > mem->size_bytes())
    return watch_error("watched range 0x" + [&] {
      char b[32];
      std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(address));
      return std::string(b);
    }() + " + " + std::to_string(length) + " is outside the memory (" + std::to_string(mem->size_bytes()) + " bytes)");
  const bool was_watching = watching();
  Watchpoint w;
  w.id = next_id_++;
  w.address = address;
  w.length = length;
  watchpoints_[w.id] = w;
  if (Status s = watching_changed(was_watching); !s) return s.error();
  return w.id;
}

Status SessionImpl::remove_watchpoint(int id) {
  const bool was_watching = watching();
  if (!watchpoints_.erase(id)) return watch_error("no watchpoint " + std::to_string(id));
  return watching_changed(was_watching);
}

Status SessionImpl::enable_watchpoint(int id, bool enabled) {
  auto it = watchpoints_.find(id);
  if (it == watchpoints_.end()) return watch_error("no watchpoint " + std::to_string(id));
  const bool was_watching = watching();
  it->second.enabled = enabled;
  return watching_changed(was_watching);
}

std::vector<Watchpoint> SessionImpl::watchpoints() const {
  std::vector<Watchpoint> out;
  for (const auto& [id, w] : watchpoints_) out.push_back(w);
  return out;
}

bool SessionImpl::may_write(CompiledFunction* cf, uint32_t code_index) const {
  auto f = write_sites_.find(cf->func_index);
  return f != write_sites_.end() && f->second.count(code_index);
}

void SessionImpl::arm_write_check() {
  CompiledFunction* cf = current_function();
  const Memory* mem = memory0();
  if (!cf || !mem) return;
  const Op op = write_sites_[cf->func_index][cf->index_of(ThreadAccess::ctx(*thread_).ip)];
  const CodeWord* ip = next_handler_ip();
  const uint64_t* fp = ThreadAccess::ctx(*thread_).fp;
  auto u32 = [&](uint64_t slot) { return uint64_t(uint32_t(fp[slot])); };
  PendingWrite p;
  if (const uint32_t size = store_size(op)) {
    p.known_range = true;  // [address, value, offset, ...]
    p.first = u32(ip[1].u) + ip[3].u;
    p.end = p.first + size;
  } else if (op == Op::MemoryFill || op == Op::MemoryCopy) {
    p.known_range = true;  // [d, value or s, n]
    p.first = u32(ip[1].u);
    p.end = p.first + u32(ip[3].u);
  } else if (op == Op::MemoryInit) {
    p.known_range = true;  // [instance, segment, d, s, n]
    p.first = u32(ip[3].u);
    p.end = p.first + u32(ip[5].u);
  }
  for (const auto& [id, w] : watchpoints_) {
    if (!w.enabled) continue;
    if (p.known_range && (p.end <= w.address || p.first >= w.address + w.length)) continue;
    const uint64_t end = std::min<uint64_t>(w.address + w.length, mem->size_bytes());
    if (w.address >= end) continue;
    p.before[id].assign(mem->data() + w.address, mem->data() + end);
  }
  if (p.before.empty()) return;
  p.active = true;
  pending_ = std::move(p);
  ThreadAccess::ctx(*thread_).single_step = true;
}

std::optional<StopEvent> SessionImpl::finish_write_check() {
  PendingWrite p = std::move(pending_);
  pending_ = PendingWrite{};
  const Memory* mem = memory0();
  if (!mem) return std::nullopt;
  for (auto& [id, before] : p.before) {
    auto it = watchpoints_.find(id);
    if (it == watchpoints_.end()) continue;
    Watchpoint& w = it->second;
    const uint64_t end = std::min<uint64_t>(w.address + before.size(), mem->size_bytes());
    std::vector<uint8_t> after(mem->data() + std::min(w.address, end), mem->data() + end);
    uint64_t address;
    if (p.known_range) {
      address = std::max(p.first, w.address);
    } else {
      auto diff = std::mismatch(before.begin(), before.end(), after.begin(), after.end());
      if (diff.first == before.end() && after.size() == before.size()) continue;  // not written
      address = w.address + uint64_t(diff.first - before.begin());
    }
    ++w.hits;
    StopEvent e;
    e.reason = StopReason::Watchpoint;
    e.watchpoint_id = id;
    e.address = address;
    e.old_bytes = std::move(before);
    e.new_bytes = std::move(after);
    return e;
  }
  return std::nullopt;
}

}  // namespace ws::debug

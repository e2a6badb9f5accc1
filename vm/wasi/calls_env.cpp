// Preview1 calls about the process: arguments, environment, clocks,
// randomness, exit and yield.
#include "fd.h"

namespace ws::wasi {
namespace {

Errno write_sizes(GuestMemory& mem, const std::vector<std::string>& list, uint32_t count_ptr,
                  uint32_t size_ptr) {
  uint64_t bytes = 0;
  for (const std::string& s : list) bytes += s.size() + 1;
  if (bytes > UINT32_MAX) return kEoverflow;
  if (!mem.write_u32(count_ptr, uint32_t(list.size())) || !mem.write_u32(size_ptr, uint32_t(bytes))) {
    return kEfault;
  }
  return kSuccess;
}

// Writes each string NUL-terminated into `buf` and a pointer to it into
// `ptrs[i]`; both ranges are checked before anything is written.
Errno write_strings(GuestMemory& mem, const std::vector<std::string>& list, uint32_t ptrs,
                    uint32_t buf) {
  uint64_t bytes = 0;
  for (const std::string& s : list) bytes += s.size() + 1;
  if (!mem.in_bounds(ptrs, uint64_t(list.size()) * 4) || !mem.in_bounds(buf, bytes)) return kEfault;
  uint32_t at = buf;
  for (size_t i = 0; i < list.size(); i++) {
    const std::string& s = list[i];
    mem.write_u32(ptrs + uint32_t(i) * 4, at);
    mem.write(at, s.c_str(), s.size() + 1);
    at += uint32_t(s.size() + 1);
  }
  return kSuccess;
}

}  // namespace

HostResult Wasi::args_sizes_get(HostCall& call) {
  GuestMemory mem(call.memory);
  return done(call, write_sizes(mem, config_.args, arg_u32(call, 0), arg_u32(call, 1)));
}

HostResult Wasi::args_get(HostCall& call) {
  GuestMemory mem(call.memory);
  return done(call, write_strings(mem, config_.args, arg_u32(call, 0), arg_u32(call, 1)));
}

HostResult Wasi::environ_sizes_get(HostCall& call) {
  GuestMemory mem(call.memory);
  return done(call, write_sizes(mem, config_.env, arg_u32(call, 0), arg_u32(call, 1)));
}

HostResult Wasi::environ_get(HostCall& call) {
  GuestMemory mem(call.memory);
  return done(call, write_strings(mem, config_.env, arg_u32(call, 0), arg_u32(call, 1)));
}

HostResult Wasi::clock_res_get(HostCall& call) {
  GuestMemory mem(call.memory);
  uint64_t ns = 0;
  if (Errno e = clocks_.resolution(arg_u32(call, 0), &ns)) return done(call, e);
  return done(call, mem.write_u64(arg_u32(call, 1), ns) ? kSuccess : kEfault);
}

HostResult Wasi::clock_time_get(HostCall& call) {
  GuestMemory mem(call.memory);
  // args[1] is the precision the guest can accept; every clock here is
  // already as precise as it gets.
  uint32_t time_ptr = arg_u32(call, 2);
  if (!mem.in_bounds(time_ptr, 8)) return done(call, kEfault);
  uint64_t ns = 0;
  if (Errno e = clocks_.now(arg_u32(call, 0), &ns)) return done(call, e);
  mem.write_u64(time_ptr, ns);
  return done(call, kSuccess);
}

HostResult Wasi::random_get(HostCall& call) {
  GuestMemory mem(call.memory);
  uint32_t len = arg_u32(call, 1);
  uint8_t* p = mem.span(arg_u32(call, 0), len);
  if (p == nullptr) return done(call, kEfault);
  return done(call, entropy_.fill(p, len));
}

HostResult Wasi::proc_exit(HostCall& call) {
  call.exit_code = int(arg_u32(call, 0));
  return HostResult::Exit;
}

// One guest thread per Wasi: there is nobody to yield to.
HostResult Wasi::sched_yield(HostCall& call) { return done(call, kSuccess); }

}  // namespace ws::wasi

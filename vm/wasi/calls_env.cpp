// Preview1 calls about the process: arguments, environment, clocks,
// randomness, exit and yield.
#include <time.h>
#include <sys/random.h>

#include <cerrno>

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

bool host_clock(uint32_t id, clockid_t* out) {
  switch (id) {
    case kClockRealtime: *out = CLOCK_REALTIME; return true;
    case kClockMonotonic: *out = CLOCK_MONOTONIC; return true;
    case kClockProcessCputime: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case kClockThreadCputime: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

uint64_t to_ns(const struct timespec& ts) {
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
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
  clockid_t id;
  if (!host_clock(arg_u32(call, 0), &id)) return done(call, kEinval);
  struct timespec ts;
  if (::clock_getres(id, &ts) != 0) return done(call, errno_from_host(errno));
  return done(call, mem.write_u64(arg_u32(call, 1), to_ns(ts)) ? kSuccess : kEfault);
}

HostResult Wasi::clock_time_get(HostCall& call) {
  GuestMemory mem(call.memory);
  clockid_t id;
  if (!host_clock(arg_u32(call, 0), &id)) return done(call, kEinval);
  // args[1] is the requested precision; the host clock is as precise as it gets.
  struct timespec ts;
  if (::clock_gettime(id, &ts) != 0) return done(call, errno_from_host(errno));
  return done(call, mem.write_u64(arg_u32(call, 2), to_ns(ts)) ? kSuccess : kEfault);
}

HostResult Wasi::random_get(HostCall& call) {
  GuestMemory mem(call.memory);
  uint32_t len = arg_u32(call, 1);
  uint8_t* p = mem.span(arg_u32(call, 0), len);
  if (p == nullptr) return done(call, kEfault);
  // getentropy() serves at most 256 bytes per call.
  for (uint32_t at = 0; at < len; at += 256) {
    size_t chunk = len - at < 256 ? len - at : 256;
    if (::getentropy(p + at, chunk) != 0) return done(call, kEio);
  }
  return done(call, kSuccess);
}

HostResult Wasi::proc_exit(HostCall& call) {
  call.exit_code = int(arg_u32(call, 0));
  return HostResult::Exit;
}

HostResult Wasi::sched_yield(HostCall& call) { return done(call, kSuccess); }

}  // namespace ws::wasi

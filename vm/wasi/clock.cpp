#include "clock.h"

#include <time.h>

#include <cerrno>

namespace ws::wasi {
namespace {

bool host_clock(uint32_t id, clockid_t* out) {
  switch (id) {
    case kClockRealtime: *out = CLOCK_REALTIME; return true;
    case kClockMonotonic: *out = CLOCK_MONOTONIC; return true;
    case kClockProcessCputime: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case kClockThreadCputime: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

uint64_t to_ns(const struct timespec& ts) { return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec); }

uint64_t saturating_add(uint64_t a, uint64_t b) { return b > UINT64_MAX - a ? UINT64_MAX : a + b; }

// Asks the host clock behind WASI clock `id` for its time or resolution
// (`query` is clock_gettime or clock_getres), in nanoseconds.
Errno query_host_clock(uint32_t id, int (*query)(clockid_t, struct timespec*), uint64_t* ns) {
  clockid_t host;
  if (!host_clock(id, &host)) return kEinval;
  struct timespec ts;
  int failed = query(host, &ts);
  // Hosts without CPU-time clocks (Emscripten: browsers and node have none)
  // get elapsed time instead, which is what a guest that never yields the
  // CPU would have used; their monotonic clock starts with the process.
  if (failed && errno == EINVAL && (id == kClockProcessCputime || id == kClockThreadCputime))
    failed = query(CLOCK_MONOTONIC, &ts);
  if (failed) return errno == EINVAL ? kEinval : kEio;
  *ns = to_ns(ts);
  return kSuccess;
}

}  // namespace

Errno Clocks::read(uint32_t id, uint64_t* ns) const {
  if (virtual_) {
    if (id > kClockThreadCputime) return kEinval;
    *ns = id == kClockRealtime ? kVirtualEpochNs + virtual_ns_ : virtual_ns_;
    return kSuccess;
  }
  return query_host_clock(id, ::clock_gettime, ns);
}

Errno Clocks::now(uint32_t id, uint64_t* ns) {
  if (virtual_ && id <= kClockThreadCputime) virtual_ns_ += kVirtualStepNs;
  return read(id, ns);
}

Errno Clocks::resolution(uint32_t id, uint64_t* ns) const {
  if (virtual_) {
    if (id > kClockThreadCputime) return kEinval;
    *ns = kVirtualStepNs;
    return kSuccess;
  }
  return query_host_clock(id, ::clock_getres, ns);
}

uint64_t Clocks::timeline_now() const {
  if (virtual_) return virtual_ns_;
  struct timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return to_ns(ts);
}

Errno Clocks::deadline(uint32_t id, uint64_t timeout, bool absolute, uint64_t* out) const {
  uint64_t remaining = timeout;
  if (absolute) {
    uint64_t now;
    if (Errno e = read(id, &now)) return e;
    remaining = timeout > now ? timeout - now : 0;
  } else if (id > kClockThreadCputime) {
    return kEinval;
  }
  *out = saturating_add(timeline_now(), remaining);
  return kSuccess;
}

void Clocks::advance_to(uint64_t t) {
  if (virtual_ && t > virtual_ns_) virtual_ns_ = t;
}

}  // namespace ws::wasi

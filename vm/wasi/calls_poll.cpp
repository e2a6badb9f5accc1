// poll_oneoff, and how any blocking call waits: the guest thread suspends
// (Thread::run returns Suspended, no host thread blocks), wait_ tells the
// embedder what would wake it, and the embedder runs the thread again, which
// retries the call. With virtual clocks (--seed) a sleep never waits: the
// virtual time jumps to its end.
#include <algorithm>
#include <cstring>

#include "fd.h"

namespace ws::wasi {
namespace {

// witx layouts: subscription (48 bytes) and event (32 bytes).
constexpr uint32_t kSubscriptionSize = 48;  // userdata u64 @0, tag u8 @8, then @16: clock {id u32 @16,
                                            // timeout u64 @24, precision u64 @32, flags u16 @40} or fd u32 @16
constexpr uint32_t kEventSize = 32;         // userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
enum EventType : uint8_t { kEventClock = 0, kEventFdRead = 1, kEventFdWrite = 2 };
constexpr uint16_t kSubclockAbstime = 1 << 0;
constexpr uint16_t kEventHangup = 1 << 0;

struct Subscription {
  uint64_t userdata = 0;
  uint8_t type = 0;           // EventType
  uint32_t clock_or_fd = 0;   // clock id, or fd
  uint64_t timeout = 0;
  uint16_t clock_flags = 0;
};

struct Event {
  uint64_t userdata = 0;
  Errno error = kSuccess;
  uint8_t type = 0;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
};

template <typename T>
T get(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <typename T>
void put(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

// Decodes the subscriptions (already bounds-checked); false on an unknown tag.
bool decode(const uint8_t* in, uint32_t count, std::vector<Subscription>* out) {
  out->resize(count);
  for (uint32_t i = 0; i < count; i++) {
    const uint8_t* p = in + uint64_t(i) * kSubscriptionSize;
    Subscription& s = (*out)[i];
    s.userdata = get<uint64_t>(p);
    s.type = p[8];
    if (s.type > kEventFdWrite) return false;
    s.clock_or_fd = get<uint32_t>(p + 16);
    s.timeout = get<uint64_t>(p + 24);
    s.clock_flags = get<uint16_t>(p + 40);
  }
  return true;
}

}  // namespace

HostResult Wasi::suspend_on(Handle& handle, bool write) {
  wait_ = WaitHint{};
  handle.add_wait(write, &wait_);
  return HostResult::Suspend;
}

HostResult Wasi::poll_oneoff(HostCall& call) {
  GuestMemory mem(call.memory);
  uint32_t in = arg_u32(call, 0), out = arg_u32(call, 1), count = arg_u32(call, 2);
  uint32_t nevents_ptr = arg_u32(call, 3);
  if (count == 0) return done(call, kEinval);  // would wait forever
  const uint8_t* in_bytes = mem.span(in, uint64_t(count) * kSubscriptionSize);
  uint8_t* out_bytes = mem.span(out, uint64_t(count) * kEventSize);
  if (in_bytes == nullptr || out_bytes == nullptr || !mem.in_bounds(nevents_ptr, 4)) return done(call, kEfault);
  std::vector<Subscription> subs;
  if (!decode(in_bytes, count, &subs)) return done(call, kEinval);

  // Deadlines count from the first attempt, not from each retry.
  bool retry = pending_poll_ && pending_poll_->thread == &call.thread && pending_poll_->in == in &&
               pending_poll_->out == out && pending_poll_->count == count;
  std::vector<uint64_t> deadlines;
  std::vector<Errno> clock_errors(count, kSuccess);
  if (retry) deadlines = pending_poll_->deadlines;
  deadlines.resize(count, UINT64_MAX);
  for (uint32_t i = 0; i < count; i++) {
    const Subscription& s = subs[i];
    if (s.type != kEventClock) continue;
    uint64_t d = 0;
    clock_errors[i] = clocks_.deadline(s.clock_or_fd, s.timeout, s.clock_flags & kSubclockAbstime, &d);
    if (!retry && clock_errors[i] == kSuccess) deadlines[i] = d;
  }
  pending_poll_.reset();

  std::vector<Event> events;
  auto collect = [&] {
    uint64_t now = clocks_.timeline_now();
    for (uint32_t i = 0; i < count; i++) {
      const Subscription& s = subs[i];
      Event ev;
      ev.userdata = s.userdata;
      ev.type = s.type;
      if (s.type == kEventClock) {
        ev.error = clock_errors[i];
        if (ev.error == kSuccess && deadlines[i] > now) continue;
      } else if (Fd* f = fd(s.clock_or_fd)) {
        Readiness r = s.type == kEventFdRead ? f->handle->read_readiness() : f->handle->write_readiness();
        if (!r.ready) continue;
        ev.nbytes = r.nbytes;
        ev.flags = r.hangup ? kEventHangup : 0;
      } else {
        ev.error = kEbadf;
      }
      events.push_back(ev);
    }
  };
  collect();
  uint64_t earliest = *std::min_element(deadlines.begin(), deadlines.end());
  if (events.empty() && clocks_.is_virtual() && earliest != UINT64_MAX) {
    clocks_.advance_to(earliest);  // a virtual sleep ends at once
    collect();
  }
  if (events.empty()) {
    pending_poll_ = PendingPoll{&call.thread, in, out, count, deadlines};
    wait_ = WaitHint{};
    if (earliest != UINT64_MAX) wait_.deadline_ns = earliest;
    for (const Subscription& s : subs) {
      if (s.type != kEventClock) fd(s.clock_or_fd)->handle->add_wait(s.type == kEventFdWrite, &wait_);
    }
    return HostResult::Suspend;
  }

  std::memset(out_bytes, 0, size_t(events.size()) * kEventSize);
  for (size_t i = 0; i < events.size(); i++) {
    uint8_t* p = out_bytes + i * kEventSize;
    put(p, events[i].userdata);
    put(p + 8, uint16_t(events[i].error));
    put(p + 10, events[i].type);
    put(p + 16, events[i].nbytes);
    put(p + 24, events[i].flags);
  }
  mem.write_u32(nevents_ptr, uint32_t(events.size()));
  return done(call, kSuccess);
}

}  // namespace ws::wasi

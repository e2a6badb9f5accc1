// The clocks a WASI guest reads (clock_time_get, clock_res_get) and the
// timeline poll_oneoff's deadlines live on. Either the host's clocks, or,
// for reproducible runs (`--seed`), a virtual time that only the guest moves:
// every read advances it by a fixed step and a sleep jumps it to the sleep's
// end at once, so two runs see exactly the same times.
#pragma once
#include <cstdint>

#include "abi.h"

namespace ws::wasi {

class Clocks {
 public:
  // The virtual realtime clock starts at 2024-01-01T00:00:00Z.
  static constexpr uint64_t kVirtualEpochNs = 1704067200ull * 1000000000ull;
  static constexpr uint64_t kVirtualStepNs = 1000;  // per read; also its resolution

  static Clocks host() { return Clocks(false); }
  static Clocks virtual_time() { return Clocks(true); }

  bool is_virtual() const { return virtual_; }
  // Reads clock `id` (kClock*): EINVAL for an unknown id.
  Errno now(uint32_t id, uint64_t* ns);
  Errno resolution(uint32_t id, uint64_t* ns) const;

  // Deadlines: nanoseconds on the host's CLOCK_MONOTONIC, or the virtual time.
  uint64_t timeline_now() const;
  // When a poll subscription on clock `id` with `timeout` expires, on the
  // timeline. A CPU-time clock does not advance while the guest sleeps, so
  // its timeouts are measured as elapsed time.
  Errno deadline(uint32_t id, uint64_t timeout, bool absolute, uint64_t* out) const;
  // Virtual time only: the guest slept until timeline time `t`.
  void advance_to(uint64_t t);

 private:
  explicit Clocks(bool is_virtual) : virtual_(is_virtual) {}
  Errno read(uint32_t id, uint64_t* ns) const;  // without a virtual step

  bool virtual_;
  uint64_t virtual_ns_ = 0;  // virtual time since its start
};

}  // namespace ws::wasi

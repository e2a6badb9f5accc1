// Internal to vm/wasi/: one entry of the guest's file descriptor table, and
// small helpers shared by the preview1 call implementations.
#pragma once
#include <string>

#include "wasi.h"

namespace ws::wasi {

struct Wasi::Fd {
  std::unique_ptr<Handle> handle;
  uint64_t rights_base = kAllRights;
  uint64_t rights_inheriting = kAllRights;
  bool is_preopen = false;
  std::string preopen_name;  // guest path of a preopened directory
};

// Most open files a guest may hold at once.
constexpr uint32_t kMaxFds = 1024;

inline uint32_t arg_u32(const HostCall& call, int i) { return call.args[i].i32; }
inline uint64_t arg_u64(const HostCall& call, int i) { return call.args[i].i64; }

// Every preview1 call but proc_exit returns one errno.
inline HostResult done(HostCall& call, Errno e) {
  call.results[0] = Value::make_i32(e);
  return HostResult::Ok;
}

// Reads an iovec array from the guest: every entry and every buffer must lie
// inside memory (EFAULT), and at most kMaxIovecs entries (EINVAL).
Errno read_iovecs(GuestMemory& mem, uint32_t iovs, uint32_t count, std::vector<IoBuffer>* out);

// Decodes fstflags for fd/path_filestat_set_times: EINVAL for unknown bits
// or a time given both explicitly and as "now".
Errno time_change(uint64_t atim, uint64_t mtim, uint32_t fstflags, TimeChange* out);

// Writes a 64-byte filestat record (EFAULT when out of bounds).
Errno write_filestat(GuestMemory& mem, uint32_t ptr, const FileStat& stat);

}  // namespace ws::wasi

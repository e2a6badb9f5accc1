// WASI preview1 ABI constants and struct layouts (from the witx definition),
// as the guest sees them in its linear memory. Internal to vm/wasi/.
#pragma once
#include <cstdint>

namespace ws::wasi {

// errno values returned by every preview1 call.
enum Errno : uint16_t {
  kSuccess = 0,
  kE2big = 1,
  kEacces = 2,
  kEagain = 6,
  kEbadf = 8,
  kEbusy = 10,
  kEexist = 20,
  kEfault = 21,
  kEfbig = 22,
  kEintr = 27,
  kEinval = 28,
  kEio = 29,
  kEisdir = 31,
  kEloop = 32,
  kEmfile = 33,
  kEnametoolong = 37,
  kEnfile = 41,
  kEnoent = 44,
  kEnomem = 48,
  kEnospc = 51,
  kEnosys = 52,
  kEnotdir = 54,
  kEnotempty = 55,
  kEnotsup = 58,
  kEnotty = 59,
  kEoverflow = 61,
  kEperm = 63,
  kEpipe = 64,
  kErofs = 69,
  kEspipe = 70,
  kExdev = 75,
  kEnotcapable = 76,
};

// Maps a host errno to the preview1 errno (EIO for ones without a match).
Errno errno_from_host(int host_errno);

enum Filetype : uint8_t {
  kFiletypeUnknown = 0,
  kFiletypeBlockDevice = 1,
  kFiletypeCharacterDevice = 2,
  kFiletypeDirectory = 3,
  kFiletypeRegularFile = 4,
  kFiletypeSocketDgram = 5,
  kFiletypeSocketStream = 6,
  kFiletypeSymbolicLink = 7,
};

enum Whence : uint8_t { kWhenceSet = 0, kWhenceCur = 1, kWhenceEnd = 2 };

enum Clock : uint32_t {
  kClockRealtime = 0,
  kClockMonotonic = 1,
  kClockProcessCputime = 2,
  kClockThreadCputime = 3,
};

// fdflags
constexpr uint16_t kFdflagAppend = 1 << 0;
constexpr uint16_t kFdflagDsync = 1 << 1;
constexpr uint16_t kFdflagNonblock = 1 << 2;
constexpr uint16_t kFdflagRsync = 1 << 3;
constexpr uint16_t kFdflagSync = 1 << 4;

// oflags
constexpr uint16_t kOflagCreat = 1 << 0;
constexpr uint16_t kOflagDirectory = 1 << 1;
constexpr uint16_t kOflagExcl = 1 << 2;
constexpr uint16_t kOflagTrunc = 1 << 3;

// rights: the ones that decide how a file is opened on the host.
constexpr uint64_t kRightFdRead = 1ull << 1;
constexpr uint64_t kRightFdWrite = 1ull << 6;
constexpr uint64_t kAllRights = (1ull << 30) - 1;  // every right preview1 defines

// Struct layouts in guest memory.
namespace layout {
constexpr uint32_t kIovecSize = 8;        // { u32 buf; u32 buf_len; }
constexpr uint32_t kFdstatSize = 24;      // filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16
constexpr uint32_t kFilestatSize = 64;    // dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56
constexpr uint32_t kPrestatSize = 8;      // tag u8 @0 (0 = dir), name_len u32 @4
}  // namespace layout

// Largest iovec count accepted in one call (POSIX IOV_MAX); more is EINVAL.
constexpr uint32_t kMaxIovecs = 1024;

}  // namespace ws::wasi

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
  kEconnaborted = 13,
  kEconnrefused = 14,
  kEconnreset = 15,
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
  kEnotconn = 53,
  kEnotdir = 54,
  kEnotempty = 55,
  kEnotsock = 57,
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

// lookupflags
constexpr uint32_t kLookupSymlinkFollow = 1 << 0;

// fstflags: which timestamps fd/path_filestat_set_times change, and how.
constexpr uint16_t kFstAtim = 1 << 0;
constexpr uint16_t kFstAtimNow = 1 << 1;
constexpr uint16_t kFstMtim = 1 << 2;
constexpr uint16_t kFstMtimNow = 1 << 3;

// advice (fd_advise): normal, sequential, random, willneed, dontneed, noreuse.
constexpr uint32_t kAdviceLast = 5;

// rights, one bit per operation (witx order).
constexpr uint64_t kRightFdDatasync = 1ull << 0;
constexpr uint64_t kRightFdRead = 1ull << 1;
constexpr uint64_t kRightFdSeek = 1ull << 2;
constexpr uint64_t kRightFdFdstatSetFlags = 1ull << 3;
constexpr uint64_t kRightFdSync = 1ull << 4;
constexpr uint64_t kRightFdTell = 1ull << 5;
constexpr uint64_t kRightFdWrite = 1ull << 6;
constexpr uint64_t kRightFdAdvise = 1ull << 7;
constexpr uint64_t kRightFdAllocate = 1ull << 8;
constexpr uint64_t kRightPathCreateDirectory = 1ull << 9;
constexpr uint64_t kRightPathCreateFile = 1ull << 10;
constexpr uint64_t kRightPathLinkSource = 1ull << 11;
constexpr uint64_t kRightPathLinkTarget = 1ull << 12;
constexpr uint64_t kRightPathOpen = 1ull << 13;
constexpr uint64_t kRightFdReaddir = 1ull << 14;
constexpr uint64_t kRightPathReadlink = 1ull << 15;
constexpr uint64_t kRightPathRenameSource = 1ull << 16;
constexpr uint64_t kRightPathRenameTarget = 1ull << 17;
constexpr uint64_t kRightPathFilestatGet = 1ull << 18;
constexpr uint64_t kRightPathFilestatSetSize = 1ull << 19;
constexpr uint64_t kRightPathFilestatSetTimes = 1ull << 20;
constexpr uint64_t kRightFdFilestatGet = 1ull << 21;
constexpr uint64_t kRightFdFilestatSetSize = 1ull << 22;
constexpr uint64_t kRightFdFilestatSetTimes = 1ull << 23;
constexpr uint64_t kRightPathSymlink = 1ull << 24;
constexpr uint64_t kRightPathRemoveDirectory = 1ull << 25;
constexpr uint64_t kRightPathUnlinkFile = 1ull << 26;
constexpr uint64_t kRightPollFdReadwrite = 1ull << 27;
constexpr uint64_t kRightSockShutdown = 1ull << 28;
constexpr uint64_t kRightSockAccept = 1ull << 29;
constexpr uint64_t kAllRights = (1ull << 30) - 1;  // every right preview1 defines

// The rights that mean something for each kind of object: an fd never holds
// more than its type's set (like wasmtime), so e.g. fd_seek on a directory
// is ENOTCAPABLE.
constexpr uint64_t kRegularFileRights =
    kRightFdDatasync | kRightFdRead | kRightFdSeek | kRightFdFdstatSetFlags | kRightFdSync | kRightFdTell |
    kRightFdWrite | kRightFdAdvise | kRightFdAllocate | kRightFdFilestatGet | kRightFdFilestatSetSize |
    kRightFdFilestatSetTimes | kRightPollFdReadwrite;
constexpr uint64_t kDirectoryRights =
    kRightFdFdstatSetFlags | kRightFdSync | kRightFdAdvise | kRightPathCreateDirectory | kRightPathCreateFile |
    kRightPathLinkSource | kRightPathLinkTarget | kRightPathOpen | kRightFdReaddir | kRightPathReadlink |
    kRightPathRenameSource | kRightPathRenameTarget | kRightPathFilestatGet | kRightPathFilestatSetSize |
    kRightPathFilestatSetTimes | kRightFdFilestatGet | kRightFdFilestatSetTimes | kRightPathSymlink |
    kRightPathRemoveDirectory | kRightPathUnlinkFile | kRightPollFdReadwrite;
// Rights a directory passes on to what is opened beneath it.
constexpr uint64_t kDirectoryInheritingRights = kDirectoryRights | kRegularFileRights;

// Struct layouts in guest memory.
namespace layout {
constexpr uint32_t kIovecSize = 8;        // { u32 buf; u32 buf_len; }
constexpr uint32_t kFdstatSize = 24;      // filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16
constexpr uint32_t kFilestatSize = 64;    // dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56
constexpr uint32_t kPrestatSize = 8;      // tag u8 @0 (0 = dir), name_len u32 @4
constexpr uint32_t kDirentSize = 24;      // d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20; name follows
}  // namespace layout

// Largest iovec count accepted in one call (POSIX IOV_MAX); more is EINVAL.
constexpr uint32_t kMaxIovecs = 1024;

}  // namespace ws::wasi

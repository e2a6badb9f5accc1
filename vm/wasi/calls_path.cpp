// Preview1 calls that name files by path, relative to a directory fd.
#include "fd.h"

namespace ws::wasi {

HostResult Wasi::path_open(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* dir = fd(arg_u32(call, 0));
  if (dir == nullptr) return done(call, kEbadf);
  // args[1] = lookupflags: symbolic links are never followed, so
  // SYMLINK_FOLLOW changes nothing yet.
  std::string path;
  if (!mem.read_string(arg_u32(call, 2), arg_u32(call, 3), &path)) return done(call, kEfault);
  uint32_t oflags = arg_u32(call, 4);
  uint64_t rights_base = arg_u64(call, 5);
  uint64_t rights_inheriting = arg_u64(call, 6);
  uint32_t fdflags = arg_u32(call, 7);
  uint32_t result_ptr = arg_u32(call, 8);
  if (oflags > 0xF || fdflags > 0x1F) return done(call, kEinval);
  if (!mem.in_bounds(result_ptr, 4)) return done(call, kEfault);

  OpenRequest req;
  req.oflags = uint16_t(oflags);
  req.fdflags = uint16_t(fdflags);
  req.read = (rights_base & kRightFdRead) != 0;
  req.write = (rights_base & kRightFdWrite) != 0 || (oflags & kOflagTrunc) != 0;
  std::unique_ptr<Handle> handle;
  if (Errno e = dir->handle->open_at(path, req, &handle)) return done(call, e);

  uint32_t number = 0;
  if (Errno e = add_fd(std::move(handle), &number)) return done(call, e);
  Fd* opened = fd(number);
  opened->rights_base = rights_base & dir->rights_inheriting;
  opened->rights_inheriting = rights_inheriting & dir->rights_inheriting;
  mem.write_u32(result_ptr, number);
  return done(call, kSuccess);
}

HostResult Wasi::path_filestat_get(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* dir = fd(arg_u32(call, 0));
  if (dir == nullptr) return done(call, kEbadf);
  std::string path;
  if (!mem.read_string(arg_u32(call, 2), arg_u32(call, 3), &path)) return done(call, kEfault);
  FileStat s;
  if (Errno e = dir->handle->stat_at(path, &s)) return done(call, e);
  return done(call, write_filestat(mem, arg_u32(call, 4), s));
}

}  // namespace ws::wasi

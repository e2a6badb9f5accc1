// Preview1 calls that name files by path, relative to a directory fd. The
// fd must hold the call's right (ENOTCAPABLE), the path must lie in guest
// memory (EFAULT); the directory's file system resolves it (vfs_path.h).
#include "fd.h"

namespace ws::wasi {
namespace {

Errno read_path(GuestMemory& mem, uint32_t ptr, uint32_t len, std::string* out) {
  return mem.read_string(ptr, len, out) ? kSuccess : kEfault;
}

// The rights an fd opened on an object of `type` can hold at most.
uint64_t rights_for(Filetype type) {
  switch (type) {
    case kFiletypeDirectory: return kDirectoryRights;
    case kFiletypeCharacterDevice: return kRegularFileRights & ~(kRightFdSeek | kRightFdTell);
    default: return kRegularFileRights;
  }
}

}  // namespace

HostResult Wasi::path_open(HostCall& call) {
  GuestMemory mem(call.memory);
  uint32_t oflags = arg_u32(call, 4);
  uint64_t rights_base = arg_u64(call, 5);
  uint64_t rights_inheriting = arg_u64(call, 6);
  uint32_t fdflags = arg_u32(call, 7);
  uint32_t result_ptr = arg_u32(call, 8);
  uint64_t needed = kRightPathOpen;
  if (oflags & kOflagCreat) needed |= kRightPathCreateFile;
  if (oflags & kOflagTrunc) needed |= kRightPathFilestatSetSize;
  Errno error;
  Fd* dir = fd(arg_u32(call, 0), needed, &error);
  if (dir == nullptr) return done(call, error);
  std::string path;
  if (Errno e = read_path(mem, arg_u32(call, 2), arg_u32(call, 3), &path)) return done(call, e);
  if (oflags > 0xF || fdflags > 0x1F) return done(call, kEinval);
  if (!mem.in_bounds(result_ptr, 4)) return done(call, kEfault);

  // The new fd gets at most what the directory passes on (witx: "fewer
  // rights than specified" is allowed), then what its type can use.
  rights_base &= dir->rights_inheriting;
  rights_inheriting &= dir->rights_inheriting;
  OpenRequest req;
  req.oflags = uint16_t(oflags);
  req.fdflags = uint16_t(fdflags);
  req.read = (rights_base & (kRightFdRead | kRightFdReaddir)) != 0;
  req.write = (rights_base & kRightFdWrite) != 0 || (oflags & kOflagTrunc) != 0;
  req.follow = (arg_u32(call, 1) & kLookupSymlinkFollow) != 0;
  std::unique_ptr<Handle> handle;
  if (Errno e = dir->handle->open_at(path, req, &handle)) return done(call, e);
  uint64_t type_rights = rights_for(handle->filetype());

  uint32_t number = 0;
  if (Errno e = add_fd(std::move(handle), &number)) return done(call, e);
  Fd* opened = fd(number);
  opened->rights_base = rights_base & type_rights;
  opened->rights_inheriting = rights_inheriting;
  mem.write_u32(result_ptr, number);
  return done(call, kSuccess);
}

HostResult Wasi::path_filestat_get(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* dir = fd(arg_u32(call, 0), kRightPathFilestatGet, &error);
  if (dir == nullptr) return done(call, error);
  std::string path;
  if (Errno e = read_path(mem, arg_u32(call, 2), arg_u32(call, 3), &path)) return done(call, e);
  if (!mem.in_bounds(arg_u32(call, 4), layout::kFilestatSize)) return done(call, kEfault);
  FileStat s;
  bool follow = arg_u32(call, 1) & kLookupSymlinkFollow;
  if (Errno e = dir->handle->stat_at(path, follow, &s)) return done(call, e);
  return done(call, write_filestat(mem, arg_u32(call, 4), s));
}

HostResult Wasi::path_filestat_set_times(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* dir = fd(arg_u32(call, 0), kRightPathFilestatSetTimes, &error);
  if (dir == nullptr) return done(call, error);
  std::string path;
  if (Errno e = read_path(mem, arg_u32(call, 2), arg_u32(call, 3), &path)) return done(call, e);
  TimeChange times;
  if (Errno e = time_change(arg_u64(call, 4), arg_u64(call, 5), arg_u32(call, 6), &times)) return done(call, e);
  bool follow = arg_u32(call, 1) & kLookupSymlinkFollow;
  return done(call, dir->handle->set_times_at(path, follow, times));
}

HostResult Wasi::path_create_directory(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* dir = fd(arg_u32(call, 0), kRightPathCreateDirectory, &error);
  if (dir == nullptr) return done(call, error);
  std::string path;
  if (Errno e = read_path(mem, arg_u32(call, 1), arg_u32(call, 2), &path)) return done(call, e);
  return done(call, dir->handle->create_directory_at(path));
}

HostResult Wasi::path_remove_directory(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* dir = fd(arg_u32(call, 0), kRightPathRemoveDirectory, &error);
  if (dir == nullptr) return done(call, error);
  std::string path;
  if (Errno e = read_path(mem, arg_u32(call, 1), arg_u32(call, 2), &path)) return done(call, e);
  return done(call, dir->handle->remove_directory_at(path));
}

HostResult Wasi::path_unlink_file(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* dir = fd(arg_u32(call, 0), kRightPathUnlinkFile, &error);
  if (dir == nullptr) return done(call, error);
  std::string path;
  if (Errno e = read_path(mem, arg_u32(call, 1), arg_u32(call, 2), &path)) return done(call, e);
  return done(call, dir->handle->unlink_file_at(path));
}

// path_symlink(old_path, old_path_len, fd, new_path, new_path_len): a link
// named new_path whose contents are old_path.
HostResult Wasi::path_symlink(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* dir = fd(arg_u32(call, 2), kRightPathSymlink, &error);
  if (dir == nullptr) return done(call, error);
  std::string target, path;
  if (Errno e = read_path(mem, arg_u32(call, 0), arg_u32(call, 1), &target)) return done(call, e);
  if (Errno e = read_path(mem, arg_u32(call, 3), arg_u32(call, 4), &path)) return done(call, e);
  return done(call, dir->handle->symlink_at(target, path));
}

// path_readlink(fd, path, path_len, buf, buf_len, bufused): the contents,
// cut off at buf_len like POSIX readlink.
HostResult Wasi::path_readlink(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* dir = fd(arg_u32(call, 0), kRightPathReadlink, &error);
  if (dir == nullptr) return done(call, error);
  std::string path, target;
  if (Errno e = read_path(mem, arg_u32(call, 1), arg_u32(call, 2), &path)) return done(call, e);
  uint32_t buf = arg_u32(call, 3), buf_len = arg_u32(call, 4), used_ptr = arg_u32(call, 5);
  if (!mem.in_bounds(buf, buf_len) || !mem.in_bounds(used_ptr, 4)) return done(call, kEfault);
  if (Errno e = dir->handle->readlink_at(path, &target)) return done(call, e);
  uint32_t n = uint32_t(std::min<uint64_t>(target.size(), buf_len));
  mem.write(buf, target.data(), n);
  mem.write_u32(used_ptr, n);
  return done(call, kSuccess);
}

// path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len)
HostResult Wasi::path_rename(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* from = fd(arg_u32(call, 0), kRightPathRenameSource, &error);
  if (from == nullptr) return done(call, error);
  Fd* to = fd(arg_u32(call, 3), kRightPathRenameTarget, &error);
  if (to == nullptr) return done(call, error);
  std::string old_path, new_path;
  if (Errno e = read_path(mem, arg_u32(call, 1), arg_u32(call, 2), &old_path)) return done(call, e);
  if (Errno e = read_path(mem, arg_u32(call, 4), arg_u32(call, 5), &new_path)) return done(call, e);
  return done(call, from->handle->rename_at(old_path, *to->handle, new_path));
}

// path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path, new_path_len)
HostResult Wasi::path_link(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* from = fd(arg_u32(call, 0), kRightPathLinkSource, &error);
  if (from == nullptr) return done(call, error);
  Fd* to = fd(arg_u32(call, 4), kRightPathLinkTarget, &error);
  if (to == nullptr) return done(call, error);
  std::string old_path, new_path;
  if (Errno e = read_path(mem, arg_u32(call, 2), arg_u32(call, 3), &old_path)) return done(call, e);
  if (Errno e = read_path(mem, arg_u32(call, 5), arg_u32(call, 6), &new_path)) return done(call, e);
  bool follow = arg_u32(call, 1) & kLookupSymlinkFollow;
  return done(call, from->handle->link_at(old_path, follow, *to->handle, new_path));
}

}  // namespace ws::wasi

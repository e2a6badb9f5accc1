// Preview1 calls on open file descriptors.
#include <cstring>

#include "fd.h"

namespace ws::wasi {
namespace {

// Rights reported for stdio: everything but seek/tell, which is how
// wasi-libc recognises a terminal (and then line-buffers stdout).
constexpr uint64_t kRightFdSeek = 1ull << 2;
constexpr uint64_t kRightFdTell = 1ull << 5;
constexpr uint64_t kStreamRights = kAllRights & ~(kRightFdSeek | kRightFdTell);

template <typename T>
void put(uint8_t* buf, uint32_t at, T v) {
  std::memcpy(buf + at, &v, sizeof v);
}

}  // namespace

Errno write_filestat(GuestMemory& mem, uint32_t ptr, const FileStat& s) {
  uint8_t buf[layout::kFilestatSize] = {};
  put(buf, 0, s.dev);
  put(buf, 8, s.ino);
  put(buf, 16, uint8_t(s.filetype));
  put(buf, 24, s.nlink);
  put(buf, 32, s.size);
  put(buf, 40, s.atim);
  put(buf, 48, s.mtim);
  put(buf, 56, s.ctim);
  return mem.write(ptr, buf, sizeof buf) ? kSuccess : kEfault;
}

HostResult Wasi::fd_close(HostCall& call) {
  uint32_t n = arg_u32(call, 0);
  if (fd(n) == nullptr) return done(call, kEbadf);
  fds_[n].reset();
  return done(call, kSuccess);
}

HostResult Wasi::fd_fdstat_get(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  Filetype type = f->handle->filetype();
  bool stream = type == kFiletypeCharacterDevice;
  uint8_t buf[layout::kFdstatSize] = {};
  put(buf, 0, uint8_t(type));
  put(buf, 2, f->handle->fdflags());
  put(buf, 8, stream ? kStreamRights : f->rights_base);
  put(buf, 16, stream ? 0 : f->rights_inheriting);
  return done(call, mem.write(arg_u32(call, 1), buf, sizeof buf) ? kSuccess : kEfault);
}

HostResult Wasi::fd_fdstat_set_flags(HostCall& call) {
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  uint32_t flags = arg_u32(call, 1);
  if (flags > 0xFFFF) return done(call, kEinval);
  return done(call, f->handle->set_fdflags(uint16_t(flags)));
}

HostResult Wasi::fd_filestat_get(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  FileStat s;
  if (Errno e = f->handle->stat(&s)) return done(call, e);
  return done(call, write_filestat(mem, arg_u32(call, 1), s));
}

HostResult Wasi::fd_prestat_get(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr || !f->is_preopen) return done(call, kEbadf);
  uint8_t buf[layout::kPrestatSize] = {};
  put(buf, 0, uint8_t(0));  // tag: directory
  put(buf, 4, uint32_t(f->preopen_name.size()));
  return done(call, mem.write(arg_u32(call, 1), buf, sizeof buf) ? kSuccess : kEfault);
}

HostResult Wasi::fd_prestat_dir_name(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr || !f->is_preopen) return done(call, kEbadf);
  const std::string& name = f->preopen_name;
  if (arg_u32(call, 2) < name.size()) return done(call, kEnametoolong);
  return done(call, mem.write(arg_u32(call, 1), name.data(), name.size()) ? kSuccess : kEfault);
}

HostResult Wasi::fd_read(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  uint32_t nread_ptr = arg_u32(call, 3);
  if (!mem.in_bounds(nread_ptr, 4)) return done(call, kEfault);
  std::vector<IoBuffer> bufs;
  if (Errno e = read_iovecs(mem, arg_u32(call, 1), arg_u32(call, 2), &bufs)) return done(call, e);
  uint64_t n = 0;
  Errno e = f->handle->read(bufs, &n);
  // A blocking read with no input yet waits: the thread suspends and this
  // call is retried when the embedder resumes it.
  if (e == kEagain && !(f->handle->fdflags() & kFdflagNonblock)) return HostResult::Suspend;
  if (e != kSuccess) return done(call, e);
  mem.write_u32(nread_ptr, uint32_t(n));
  return done(call, kSuccess);
}

HostResult Wasi::fd_write(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  uint32_t nwritten_ptr = arg_u32(call, 3);
  if (!mem.in_bounds(nwritten_ptr, 4)) return done(call, kEfault);
  std::vector<IoBuffer> bufs;
  if (Errno e = read_iovecs(mem, arg_u32(call, 1), arg_u32(call, 2), &bufs)) return done(call, e);
  uint64_t n = 0;
  if (Errno e = f->handle->write(bufs, &n)) return done(call, e);
  mem.write_u32(nwritten_ptr, uint32_t(n));
  return done(call, kSuccess);
}

HostResult Wasi::fd_seek(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  uint32_t whence = arg_u32(call, 2);
  if (whence > kWhenceEnd) return done(call, kEinval);
  uint32_t result_ptr = arg_u32(call, 3);
  if (!mem.in_bounds(result_ptr, 8)) return done(call, kEfault);
  uint64_t pos = 0;
  if (Errno e = f->handle->seek(int64_t(arg_u64(call, 1)), Whence(whence), &pos)) return done(call, e);
  mem.write_u64(result_ptr, pos);
  return done(call, kSuccess);
}

HostResult Wasi::fd_tell(HostCall& call) {
  GuestMemory mem(call.memory);
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  uint32_t result_ptr = arg_u32(call, 1);
  if (!mem.in_bounds(result_ptr, 8)) return done(call, kEfault);
  uint64_t pos = 0;
  if (Errno e = f->handle->seek(0, kWhenceCur, &pos)) return done(call, e);
  mem.write_u64(result_ptr, pos);
  return done(call, kSuccess);
}

}  // namespace ws::wasi

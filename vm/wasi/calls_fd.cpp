// Preview1 calls on open file descriptors.
#include <algorithm>
#include <cstring>

#include "fd.h"

namespace ws::wasi {
namespace {

// Rights reported for stdio: everything but seek/tell, which is how
// wasi-libc recognises a terminal (and then line-buffers stdout).
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

Errno time_change(uint64_t atim, uint64_t mtim, uint32_t fstflags, TimeChange* out) {
  if (fstflags > 0xF) return kEinval;
  if ((fstflags & kFstAtim) && (fstflags & kFstAtimNow)) return kEinval;
  if ((fstflags & kFstMtim) && (fstflags & kFstMtimNow)) return kEinval;
  *out = TimeChange{atim, mtim, uint16_t(fstflags)};
  return kSuccess;
}

Wasi::Fd* Wasi::fd(uint32_t number, uint64_t rights, Errno* error) {
  Fd* f = fd(number);
  if (f == nullptr) {
    *error = kEbadf;
  } else if ((f->rights_base & rights) != rights) {
    *error = kEnotcapable;
    f = nullptr;
  }
  return f;
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
  put(buf, 8, stream ? kStreamRights & f->rights_base : f->rights_base);
  put(buf, 16, stream ? 0 : f->rights_inheriting);
  return done(call, mem.write(arg_u32(call, 1), buf, sizeof buf) ? kSuccess : kEfault);
}

HostResult Wasi::fd_fdstat_set_flags(HostCall& call) {
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdFdstatSetFlags, &error);
  if (f == nullptr) return done(call, error);
  uint32_t flags = arg_u32(call, 1);
  if (flags > 0xFFFF) return done(call, kEinval);
  return done(call, f->handle->set_fdflags(uint16_t(flags)));
}

HostResult Wasi::fd_filestat_get(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdFilestatGet, &error);
  if (f == nullptr) return done(call, error);
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
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdRead, &error);
  if (f == nullptr) return done(call, error);
  uint32_t nread_ptr = arg_u32(call, 3);
  if (!mem.in_bounds(nread_ptr, 4)) return done(call, kEfault);
  std::vector<IoBuffer> bufs;
  if (Errno e = read_iovecs(mem, arg_u32(call, 1), arg_u32(call, 2), &bufs)) return done(call, e);
  uint64_t n = 0;
  Errno e = f->handle->read(bufs, &n);
  // A blocking read with no input yet waits: the thread suspends and this
  // call is retried when the embedder resumes it.
  if (e == kEagain && !(f->handle->fdflags() & kFdflagNonblock)) return suspend_on(*f->handle, false);
  if (e != kSuccess) return done(call, e);
  mem.write_u32(nread_ptr, uint32_t(n));
  return done(call, kSuccess);
}

HostResult Wasi::fd_write(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdWrite, &error);
  if (f == nullptr) return done(call, error);
  uint32_t nwritten_ptr = arg_u32(call, 3);
  if (!mem.in_bounds(nwritten_ptr, 4)) return done(call, kEfault);
  std::vector<IoBuffer> bufs;
  if (Errno e = read_iovecs(mem, arg_u32(call, 1), arg_u32(call, 2), &bufs)) return done(call, e);
  uint64_t n = 0;
  Errno e = f->handle->write(bufs, &n);
  // A blocking write to a full stream (a socket) waits like a read.
  if (e == kEagain && !(f->handle->fdflags() & kFdflagNonblock)) return suspend_on(*f->handle, true);
  if (e != kSuccess) return done(call, e);
  mem.write_u32(nwritten_ptr, uint32_t(n));
  return done(call, kSuccess);
}

HostResult Wasi::fd_seek(HostCall& call) {
  GuestMemory mem(call.memory);
  // Asking where the position is (0 from the current one) is a tell.
  bool tell = arg_u64(call, 1) == 0 && arg_u32(call, 2) == kWhenceCur;
  Errno error;
  Fd* f = fd(arg_u32(call, 0), tell ? kRightFdTell : kRightFdSeek, &error);
  if (f == nullptr) return done(call, error);
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
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdTell, &error);
  if (f == nullptr) return done(call, error);
  uint32_t result_ptr = arg_u32(call, 1);
  if (!mem.in_bounds(result_ptr, 8)) return done(call, kEfault);
  uint64_t pos = 0;
  if (Errno e = f->handle->seek(0, kWhenceCur, &pos)) return done(call, e);
  mem.write_u64(result_ptr, pos);
  return done(call, kSuccess);
}

// The I/O half of fd_pread / fd_pwrite: (fd, iovs, iovs_len, offset, result).
HostResult Wasi::positioned_io(HostCall& call, bool writing) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* f = fd(arg_u32(call, 0), (writing ? kRightFdWrite : kRightFdRead) | kRightFdSeek, &error);
  if (f == nullptr) return done(call, error);
  uint32_t result_ptr = arg_u32(call, 4);
  if (!mem.in_bounds(result_ptr, 4)) return done(call, kEfault);
  std::vector<IoBuffer> bufs;
  if (Errno e = read_iovecs(mem, arg_u32(call, 1), arg_u32(call, 2), &bufs)) return done(call, e);
  uint64_t offset = arg_u64(call, 3), n = 0;
  Errno e = writing ? f->handle->pwrite(bufs, offset, &n) : f->handle->pread(bufs, offset, &n);
  if (e != kSuccess) return done(call, e);
  mem.write_u32(result_ptr, uint32_t(n));
  return done(call, kSuccess);
}

HostResult Wasi::fd_pread(HostCall& call) { return positioned_io(call, false); }
HostResult Wasi::fd_pwrite(HostCall& call) { return positioned_io(call, true); }

HostResult Wasi::fd_readdir(HostCall& call) {
  GuestMemory mem(call.memory);
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdReaddir, &error);
  if (f == nullptr) return done(call, error);
  uint32_t buf = arg_u32(call, 1), buf_len = arg_u32(call, 2), used_ptr = arg_u32(call, 4);
  uint64_t cookie = arg_u64(call, 3);
  uint8_t* out = mem.span(buf, buf_len);
  if (out == nullptr || !mem.in_bounds(used_ptr, 4)) return done(call, kEfault);
  std::vector<DirEntry> entries;
  if (Errno e = f->handle->list(&entries)) return done(call, e);
  // Entries from the cookie on, each a dirent header and its name, until the
  // buffer is full: the last one is cut off where the buffer ends, and a
  // full buffer tells the guest to call again from the last whole entry.
  uint32_t used = 0;
  for (uint64_t i = cookie; i < entries.size() && used < buf_len; i++) {
    const DirEntry& e = entries[i];
    uint8_t header[layout::kDirentSize] = {};
    put(header, 0, uint64_t(i + 1));
    put(header, 8, e.ino);
    put(header, 16, uint32_t(e.name.size()));
    put(header, 20, uint8_t(e.type));
    uint32_t n = std::min<uint32_t>(buf_len - used, sizeof header);
    std::memcpy(out + used, header, n);
    used += n;
    n = uint32_t(std::min<uint64_t>(buf_len - used, e.name.size()));
    std::memcpy(out + used, e.name.data(), n);
    used += n;
  }
  mem.write_u32(used_ptr, used);
  return done(call, kSuccess);
}

HostResult Wasi::fd_renumber(HostCall& call) {
  uint32_t from = arg_u32(call, 0), to = arg_u32(call, 1);
  if (fd(from) == nullptr || fd(to) == nullptr) return done(call, kEbadf);
  if (from != to) fds_[to] = std::move(fds_[from]);  // closes what `to` was
  return done(call, kSuccess);
}

HostResult Wasi::fd_fdstat_set_rights(HostCall& call) {
  Fd* f = fd(arg_u32(call, 0));
  if (f == nullptr) return done(call, kEbadf);
  uint64_t base = arg_u64(call, 1), inheriting = arg_u64(call, 2);
  // Rights can only be dropped, never gained.
  if ((base & ~f->rights_base) || (inheriting & ~f->rights_inheriting)) return done(call, kEnotcapable);
  f->rights_base = base;
  f->rights_inheriting = inheriting;
  return done(call, kSuccess);
}

HostResult Wasi::fd_filestat_set_size(HostCall& call) {
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdFilestatSetSize, &error);
  if (f == nullptr) return done(call, error);
  return done(call, f->handle->set_size(arg_u64(call, 1)));
}

HostResult Wasi::fd_filestat_set_times(HostCall& call) {
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdFilestatSetTimes, &error);
  if (f == nullptr) return done(call, error);
  TimeChange times;
  if (Errno e = time_change(arg_u64(call, 1), arg_u64(call, 2), arg_u32(call, 3), &times)) return done(call, e);
  return done(call, f->handle->set_times(times));
}

HostResult Wasi::fd_allocate(HostCall& call) {
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdAllocate, &error);
  if (f == nullptr) return done(call, error);
  uint64_t offset = arg_u64(call, 1), len = arg_u64(call, 2);
  if (len == 0) return done(call, kEinval);
  return done(call, f->handle->allocate(offset, len));
}

HostResult Wasi::fd_advise(HostCall& call) {
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdAdvise, &error);
  if (f == nullptr) return done(call, error);
  uint64_t offset = arg_u64(call, 1), len = arg_u64(call, 2);
  uint32_t advice = arg_u32(call, 3);
  if (advice > kAdviceLast || offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX) - offset) {
    return done(call, kEinval);
  }
  return done(call, f->handle->advise(offset, len, advice));
}

HostResult Wasi::fd_sync(HostCall& call) {
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdSync, &error);
  if (f == nullptr) return done(call, error);
  return done(call, f->handle->sync(false));
}

HostResult Wasi::fd_datasync(HostCall& call) {
  Errno error;
  Fd* f = fd(arg_u32(call, 0), kRightFdDatasync, &error);
  if (f == nullptr) return done(call, error);
  return done(call, f->handle->sync(true));
}

}  // namespace ws::wasi

#include "host_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "vfs_path.h"

namespace ws::wasi {
namespace {

// Owns one host file descriptor.
class HostFd {
 public:
  explicit HostFd(int fd = -1) : fd_(fd) {}
  HostFd(HostFd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  HostFd& operator=(HostFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  HostFd(const HostFd&) = delete;
  ~HostFd() { reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

uint64_t to_ns(const struct timespec& ts) {
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

Filetype filetype_of(mode_t mode) {
  if (S_ISREG(mode)) return kFiletypeRegularFile;
  if (S_ISDIR(mode)) return kFiletypeDirectory;
  if (S_ISCHR(mode)) return kFiletypeCharacterDevice;
  if (S_ISBLK(mode)) return kFiletypeBlockDevice;
  if (S_ISLNK(mode)) return kFiletypeSymbolicLink;
  if (S_ISSOCK(mode)) return kFiletypeSocketStream;
  return kFiletypeUnknown;
}

FileStat filestat_of(const struct stat& st) {
  FileStat s;
  s.dev = uint64_t(st.st_dev);
  s.ino = uint64_t(st.st_ino);
  s.filetype = filetype_of(st.st_mode);
  s.nlink = uint64_t(st.st_nlink);
  s.size = uint64_t(st.st_size);
  s.atim = to_ns(st.st_atim);
  s.mtim = to_ns(st.st_mtim);
  s.ctim = to_ns(st.st_ctim);
  return s;
}

Errno stat_fd(int fd, FileStat* out) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return errno_from_host(errno);
  *out = filestat_of(st);
  return kSuccess;
}

using HostDir = std::shared_ptr<HostFd>;

// One name in a host directory, for resolve_path. fstatat and openat never
// follow a symlink here (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW): links are read
// and resolved by resolve_path, inside the sandbox, so even a link swapped
// in concurrently cannot lead out.
Errno host_lookup(const HostDir& dir, const std::string& name, EntryKind* kind, HostDir* sub, std::string* target) {
  struct stat st;
  if (::fstatat(dir->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) {
      *kind = EntryKind::Missing;
      return kSuccess;
    }
    return errno_from_host(errno);
  }
  if (S_ISLNK(st.st_mode)) {
    std::vector<char> buf(4096);
    ssize_t n = ::readlinkat(dir->get(), name.c_str(), buf.data(), buf.size());
    if (n < 0) return errno_from_host(errno);
    if (size_t(n) == buf.size()) return kEnametoolong;
    target->assign(buf.data(), size_t(n));
    *kind = EntryKind::Symlink;
  } else if (S_ISDIR(st.st_mode)) {
    int fd = ::openat(dir->get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno_from_host(errno);
    *sub = std::make_shared<HostFd>(fd);
    *kind = EntryKind::Directory;
  } else {
    *kind = EntryKind::Other;
  }
  return kSuccess;
}

Errno resolve_beneath(const HostDir& root, const std::string& path, bool follow, ResolvedPath<HostDir>* out) {
  return resolve_path(root, path, follow, host_lookup, out);
}

// The host's answer as an errno.
Errno host_result(int r) { return r == 0 ? kSuccess : errno_from_host(errno); }

// A path ending in "/" must name a directory. Checked here rather than by
// passing the "/" on: a trailing slash makes the host follow a symlink.
Errno check_trailing_slash(const ResolvedPath<HostDir>& r) {
  if (!r.trailing_slash) return kSuccess;
  struct stat st;
  if (::fstatat(r.parent->get(), r.last.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return errno_from_host(errno);
  return S_ISDIR(st.st_mode) ? kSuccess : kEnotdir;
}

void to_timespecs(const TimeChange& t, struct timespec ts[2]) {
  auto one = [](uint64_t ns, bool set, bool now, struct timespec* out) {
    out->tv_sec = 0;
    out->tv_nsec = now ? UTIME_NOW : set ? long(ns % 1000000000ull) : UTIME_OMIT;
    if (set && !now) out->tv_sec = time_t(ns / 1000000000ull);
  };
  one(t.atim, t.flags & kFstAtim, t.flags & kFstAtimNow, &ts[0]);
  one(t.mtim, t.flags & kFstMtim, t.flags & kFstMtimNow, &ts[1]);
}

class HostFileHandle : public Handle {
 public:
  HostFileHandle(HostFd fd, Filetype type, uint16_t fdflags) : fd_(std::move(fd)), type_(type) {
    fdflags_ = fdflags;
  }
  Filetype filetype() const override { return type_; }
  Errno stat(FileStat* out) override { return stat_fd(fd_.get(), out); }

  Errno read(const std::vector<IoBuffer>& bufs, uint64_t* nread) override {
    return transfer(bufs, nread, false, std::nullopt);
  }
  Errno write(const std::vector<IoBuffer>& bufs, uint64_t* nwritten) override {
    return transfer(bufs, nwritten, true, std::nullopt);
  }
  Errno pread(const std::vector<IoBuffer>& bufs, uint64_t offset, uint64_t* nread) override {
    if (offset > uint64_t(INT64_MAX)) return kEinval;
    return transfer(bufs, nread, false, offset);
  }
  Errno pwrite(const std::vector<IoBuffer>& bufs, uint64_t offset, uint64_t* nwritten) override {
    if (offset > uint64_t(INT64_MAX)) return kEinval;
    return transfer(bufs, nwritten, true, offset);
  }

  Errno seek(int64_t offset, Whence whence, uint64_t* new_offset) override {
    int how = whence == kWhenceSet ? SEEK_SET : whence == kWhenceCur ? SEEK_CUR : SEEK_END;
    off_t r = ::lseek(fd_.get(), off_t(offset), how);
    if (r < 0) return errno_from_host(errno);
    *new_offset = uint64_t(r);
    return kSuccess;
  }

  Errno set_size(uint64_t size) override {
    if (size > uint64_t(INT64_MAX)) return kEinval;
    return host_result(::ftruncate(fd_.get(), off_t(size)));
  }
  Errno set_times(const TimeChange& times) override {
    struct timespec ts[2];
    to_timespecs(times, ts);
    return host_result(::futimens(fd_.get(), ts));
  }
  Errno sync(bool data_only) override {
    return host_result(data_only ? ::fdatasync(fd_.get()) : ::fsync(fd_.get()));
  }
  Errno allocate(uint64_t offset, uint64_t len) override {
    if (offset > uint64_t(INT64_MAX) || len > uint64_t(INT64_MAX) - offset) return kEfbig;
    int r = ::posix_fallocate(fd_.get(), off_t(offset), off_t(len));  // returns the error
    return r == 0 ? kSuccess : errno_from_host(r);
  }
  // Advice is a hint; ignoring it is what POSIX allows.
  Errno advise(uint64_t, uint64_t, uint32_t) override { return kSuccess; }

  Errno set_fdflags(uint16_t flags) override {
    if (flags & ~(kFdflagAppend | kFdflagNonblock)) return kEnotsup;
    int host = ::fcntl(fd_.get(), F_GETFL);
    if (host < 0) return errno_from_host(errno);
    host &= ~(O_APPEND | O_NONBLOCK);
    if (flags & kFdflagAppend) host |= O_APPEND;
    if (flags & kFdflagNonblock) host |= O_NONBLOCK;
    if (::fcntl(fd_.get(), F_SETFL, host) != 0) return errno_from_host(errno);
    fdflags_ = flags;
    return kSuccess;
  }

 private:
  // read/write (at the file position) or pread/pwrite (at `at`), one
  // buffer at a time, stopping at a short transfer like readv/writev.
  Errno transfer(const std::vector<IoBuffer>& bufs, uint64_t* done, bool writing, std::optional<uint64_t> at) {
    *done = 0;
    for (const IoBuffer& b : bufs) {
      if (b.size == 0) continue;
      ssize_t n;
      if (at) {
        off_t where = off_t(*at + *done);
        n = writing ? ::pwrite(fd_.get(), b.data, b.size, where) : ::pread(fd_.get(), b.data, b.size, where);
      } else {
        n = writing ? ::write(fd_.get(), b.data, b.size) : ::read(fd_.get(), b.data, b.size);
      }
      if (n < 0) {
        if (errno == EINTR) continue;
        // Report what was already transferred; the error shows up next call.
        return *done ? kSuccess : errno_from_host(errno);
      }
      *done += uint64_t(n);
      if (size_t(n) < b.size) break;
    }
    return kSuccess;
  }

  HostFd fd_;
  Filetype type_;
};

class HostDirHandle : public Handle {
 public:
  explicit HostDirHandle(HostDir fd) : fd_(std::move(fd)) {}
  Filetype filetype() const override { return kFiletypeDirectory; }
  Errno stat(FileStat* out) override { return stat_fd(fd_->get(), out); }
  Errno set_times(const TimeChange& times) override {
    struct timespec ts[2];
    to_timespecs(times, ts);
    return host_result(::futimens(fd_->get(), ts));
  }
  Errno sync(bool data_only) override {
    return host_result(data_only ? ::fdatasync(fd_->get()) : ::fsync(fd_->get()));
  }
  Errno advise(uint64_t, uint64_t, uint32_t) override { return kSuccess; }

  Errno list(std::vector<DirEntry>* out) override {
    out->clear();
    FileStat self;
    if (Errno e = stat(&self)) return e;
    // fdopendir takes ownership of its fd: give it a copy, rewound.
    int copy = ::dup(fd_->get());
    if (copy < 0) return errno_from_host(errno);
    DIR* d = ::fdopendir(copy);
    if (d == nullptr) {
      int error = errno;
      ::close(copy);
      return errno_from_host(error);
    }
    ::rewinddir(d);
    std::vector<DirEntry> entries;
    while (struct dirent* ent = ::readdir(d)) {
      std::string name = ent->d_name;
      if (name == "." || name == "..") continue;
      DirEntry e{name, uint64_t(ent->d_ino), kFiletypeUnknown};
      struct stat st;
      if (::fstatat(fd_->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) e.type = filetype_of(st.st_mode);
      entries.push_back(std::move(e));
    }
    ::closedir(d);
    // Host order changes as files come and go; name order keeps cookies
    // meaningful and runs reproducible.
    std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    out->push_back({".", self.ino, kFiletypeDirectory});
    out->push_back({"..", 0, kFiletypeDirectory});  // the parent may lie outside the sandbox: not shown
    out->insert(out->end(), entries.begin(), entries.end());
    return kSuccess;
  }

  Errno open_at(const std::string& path, const OpenRequest& req, std::unique_ptr<Handle>* out) override {
    ResolvedPath<HostDir> where;
    if (Errno e = resolve_beneath(fd_, path, req.follow, &where)) return e;

    int flags = O_CLOEXEC | O_NOFOLLOW;
    if (req.read && req.write) {
      flags |= O_RDWR;
    } else if (req.write) {
      flags |= O_WRONLY;
    } else {
      flags |= O_RDONLY;
    }
    if (req.oflags & kOflagCreat) flags |= O_CREAT;
    if (req.oflags & kOflagExcl) flags |= O_EXCL;
    if (req.oflags & kOflagTrunc) flags |= O_TRUNC;
    if ((req.oflags & kOflagDirectory) || where.trailing_slash) flags |= O_DIRECTORY;
    if (req.fdflags & kFdflagAppend) flags |= O_APPEND;
    if (req.fdflags & (kFdflagSync | kFdflagRsync)) flags |= O_SYNC;
    if (req.fdflags & kFdflagDsync) flags |= O_DSYNC;
    // Opening a FIFO must not block the host: open non-blocking, then
    // restore the mode the guest asked for.
    flags |= O_NONBLOCK;

    HostFd fd(::openat(where.parent->get(), where.last.c_str(), flags, 0666));
    if (!fd.valid()) return errno_from_host(errno);
    if (!(req.fdflags & kFdflagNonblock)) {
      int host = ::fcntl(fd.get(), F_GETFL);
      if (host >= 0) ::fcntl(fd.get(), F_SETFL, host & ~O_NONBLOCK);
    }

    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return errno_from_host(errno);
    if (S_ISDIR(st.st_mode)) {
      *out = std::make_unique<HostDirHandle>(std::make_shared<HostFd>(std::move(fd)));
    } else {
      uint16_t kept = req.fdflags & (kFdflagAppend | kFdflagNonblock);
      *out = std::make_unique<HostFileHandle>(std::move(fd), filetype_of(st.st_mode), kept);
    }
    return kSuccess;
  }

  Errno stat_at(const std::string& path, bool follow, FileStat* out) override {
    ResolvedPath<HostDir> where;
    if (Errno e = resolve_beneath(fd_, path, follow, &where)) return e;
    struct stat st;
    if (::fstatat(where.parent->get(), where.last.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return errno_from_host(errno);
    }
    if (where.trailing_slash && !S_ISDIR(st.st_mode)) return kEnotdir;
    *out = filestat_of(st);
    return kSuccess;
  }

  Errno set_times_at(const std::string& path, bool follow, const TimeChange& times) override {
    ResolvedPath<HostDir> where;
    if (Errno e = resolve_beneath(fd_, path, follow, &where)) return e;
    if (Errno e = check_trailing_slash(where)) return e;
    struct timespec ts[2];
    to_timespecs(times, ts);
    return host_result(::utimensat(where.parent->get(), where.last.c_str(), ts, AT_SYMLINK_NOFOLLOW));
  }

  Errno create_directory_at(const std::string& path) override {
    ResolvedPath<HostDir> where;
    if (Errno e = resolve_beneath(fd_, path, false, &where)) return e;
    return host_result(::mkdirat(where.parent->get(), where.last.c_str(), 0777));
  }

  Errno remove_directory_at(const std::string& path) override {
    ResolvedPath<HostDir> where;
    if (Errno e = resolve_beneath(fd_, path, false, &where)) return e;
    return host_result(::unlinkat(where.parent->get(), where.last.c_str(), AT_REMOVEDIR));
  }

  Errno unlink_file_at(const std::string& path) override {
    ResolvedPath<HostDir> where;
    if (Errno e = resolve_beneath(fd_, path, false, &where)) return e;
    if (where.trailing_slash) {
      Errno e = check_trailing_slash(where);
      return e == kSuccess ? kEisdir : e;
    }
    return host_result(::unlinkat(where.parent->get(), where.last.c_str(), 0));
  }

  Errno symlink_at(const std::string& target, const std::string& path) override {
    if (target.empty()) return kEnoent;
    if (target[0] == '/') return kEnotcapable;  // could only point outside the sandbox
    if (target.find('\0') != std::string::npos) return kEinval;
    ResolvedPath<HostDir> where;
    if (Errno e = resolve_beneath(fd_, path, false, &where)) return e;
    return host_result(::symlinkat(target.c_str(), where.parent->get(), where.last.c_str()));
  }

  Errno readlink_at(const std::string& path, std::string* target) override {
    ResolvedPath<HostDir> where;
    if (Errno e = resolve_beneath(fd_, path, false, &where)) return e;
    std::vector<char> buf(4096);
    ssize_t n = ::readlinkat(where.parent->get(), where.last.c_str(), buf.data(), buf.size());
    if (n < 0) return errno_from_host(errno);
    target->assign(buf.data(), size_t(n));
    return kSuccess;
  }

  Errno rename_at(const std::string& old_path, Handle& new_dir, const std::string& new_path) override {
    auto* to = dynamic_cast<HostDirHandle*>(&new_dir);
    if (to == nullptr) return kExdev;
    ResolvedPath<HostDir> from, dest;
    if (Errno e = resolve_beneath(fd_, old_path, false, &from)) return e;
    if (Errno e = resolve_beneath(to->fd_, new_path, false, &dest)) return e;
    if (dest.trailing_slash && !from.trailing_slash) from.trailing_slash = true;  // "a" -> "b/": a must be a directory
    if (Errno e = check_trailing_slash(from)) return e;
    return host_result(
        ::renameat(from.parent->get(), from.last.c_str(), dest.parent->get(), dest.last.c_str()));
  }

  Errno link_at(const std::string& old_path, bool follow, Handle& new_dir, const std::string& new_path) override {
    auto* to = dynamic_cast<HostDirHandle*>(&new_dir);
    if (to == nullptr) return kExdev;
    ResolvedPath<HostDir> from, dest;
    if (Errno e = resolve_beneath(fd_, old_path, follow, &from)) return e;
    if (Errno e = resolve_beneath(to->fd_, new_path, false, &dest)) return e;
    return host_result(::linkat(from.parent->get(), from.last.c_str(), dest.parent->get(), dest.last.c_str(), 0));
  }

 private:
  HostDir fd_;
};

}  // namespace

Result<std::unique_ptr<Handle>> open_host_directory(const std::string& host_path) {
  HostFd fd(::open(host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return Error{"cannot open directory '" + host_path + "': " + std::strerror(errno), "", {}, {}, ""};
  }
  return std::unique_ptr<Handle>(std::make_unique<HostDirHandle>(std::make_shared<HostFd>(std::move(fd))));
}

Errno errno_from_host(int e) {
  switch (e) {
    case 0: return kSuccess;
    case E2BIG: return kE2big;
    case EACCES: return kEacces;
    case EAGAIN: return kEagain;
    case EBADF: return kEbadf;
    case EBUSY: return kEbusy;
    case EEXIST: return kEexist;
    case EFAULT: return kEfault;
    case EFBIG: return kEfbig;
    case EINTR: return kEintr;
    case EINVAL: return kEinval;
    case EIO: return kEio;
    case EISDIR: return kEisdir;
    case ELOOP: return kEloop;
    case EMFILE: return kEmfile;
    case ENAMETOOLONG: return kEnametoolong;
    case ENFILE: return kEnfile;
    case ENOENT: return kEnoent;
    case ENOMEM: return kEnomem;
    case ENOSPC: return kEnospc;
    case ENOSYS: return kEnosys;
    case ENOTDIR: return kEnotdir;
    case ENOTEMPTY: return kEnotempty;
    case ENOTSUP: return kEnotsup;
    case ENOTTY: return kEnotty;
    case EOVERFLOW: return kEoverflow;
    case EPERM: return kEperm;
    case EPIPE: return kEpipe;
    case EROFS: return kErofs;
    case ESPIPE: return kEspipe;
    case EXDEV: return kExdev;
    default: return kEio;
  }
}

}  // namespace ws::wasi

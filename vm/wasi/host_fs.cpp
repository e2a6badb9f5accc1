#include "host_fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

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

// A path split into the directory it lives in (opened beneath the root)
// and its last component.
struct Resolved {
  HostFd parent_owned;  // set when the parent is not the root itself
  int parent = -1;
  std::string last;
};

// Walks `path` beneath `root` one component at a time with O_NOFOLLOW, so
// neither ".." nor a symbolic link can leave the root.
Errno resolve_beneath(int root, const std::string& path, Resolved* out) {
  if (path.empty()) return kEnoent;
  if (path[0] == '/') return kEnotcapable;
  if (path.find('\0') != std::string::npos) return kEinval;

  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    if (!part.empty() && part != ".") parts.push_back(std::move(part));
    start = slash + 1;
  }
  // A trailing "/" or "." names the directory itself.
  bool names_directory = path.back() == '/' || parts.empty() ||
                         (path.size() >= 2 && path.compare(path.size() - 2, 2, "/.") == 0);

  // `dirs` holds the directories entered so far; ".." leaves the last one.
  std::vector<HostFd> dirs;
  auto current = [&] { return dirs.empty() ? root : dirs.back().get(); };
  std::string last = ".";
  for (size_t i = 0; i < parts.size(); i++) {
    const std::string& part = parts[i];
    bool is_last = i + 1 == parts.size() && !names_directory;
    if (part == "..") {
      if (dirs.empty()) return kEnotcapable;
      dirs.pop_back();
      continue;
    }
    if (is_last) {
      last = part;
      break;
    }
    int fd = ::openat(current(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      int error = errno;
      // A symbolic link could point anywhere: refuse it as a capability
      // violation (hosts report it as ELOOP or ENOTDIR).
      struct stat st;
      if (::fstatat(current(), part.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        return kEnotcapable;
      }
      return errno_from_host(error);
    }
    dirs.emplace_back(fd);
  }
  // `..` as the last component was consumed by the loop: the result is
  // the directory reached, named ".".
  out->parent = current();
  if (!dirs.empty()) {
    out->parent_owned = std::move(dirs.back());
    out->parent = out->parent_owned.get();
  }
  out->last = last;
  return kSuccess;
}

class HostFileHandle : public Handle {
 public:
  HostFileHandle(HostFd fd, Filetype type, uint16_t fdflags) : fd_(std::move(fd)), type_(type) {
    fdflags_ = fdflags;
  }
  Filetype filetype() const override { return type_; }
  Errno stat(FileStat* out) override { return stat_fd(fd_.get(), out); }

  Errno read(const std::vector<IoBuffer>& bufs, uint64_t* nread) override {
    return transfer(bufs, nread, false);
  }
  Errno write(const std::vector<IoBuffer>& bufs, uint64_t* nwritten) override {
    return transfer(bufs, nwritten, true);
  }

  Errno seek(int64_t offset, Whence whence, uint64_t* new_offset) override {
    int how = whence == kWhenceSet ? SEEK_SET : whence == kWhenceCur ? SEEK_CUR : SEEK_END;
    off_t r = ::lseek(fd_.get(), off_t(offset), how);
    if (r < 0) return errno_from_host(errno);
    *new_offset = uint64_t(r);
    return kSuccess;
  }

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
  Errno transfer(const std::vector<IoBuffer>& bufs, uint64_t* done, bool writing) {
    *done = 0;
    for (const IoBuffer& b : bufs) {
      if (b.size == 0) continue;
      ssize_t n = writing ? ::write(fd_.get(), b.data, b.size) : ::read(fd_.get(), b.data, b.size);
      if (n < 0) {
        if (errno == EINTR) continue;
        // Report what was already transferred; the error shows up next call.
        return *done ? kSuccess : errno_from_host(errno);
      }
      *done += uint64_t(n);
      if (size_t(n) < b.size) break;  // short transfer: stop like readv/writev
    }
    return kSuccess;
  }

  HostFd fd_;
  Filetype type_;
};

class HostDirHandle : public Handle {
 public:
  explicit HostDirHandle(HostFd fd) : fd_(std::move(fd)) {}
  Filetype filetype() const override { return kFiletypeDirectory; }
  Errno stat(FileStat* out) override { return stat_fd(fd_.get(), out); }

  Errno open_at(const std::string& path, const OpenRequest& req,
                std::unique_ptr<Handle>* out) override {
    Resolved where;
    if (Errno e = resolve_beneath(fd_.get(), path, &where)) return e;

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
    if (req.oflags & kOflagDirectory) flags |= O_DIRECTORY;
    if (req.fdflags & kFdflagAppend) flags |= O_APPEND;
    if (req.fdflags & (kFdflagSync | kFdflagRsync)) flags |= O_SYNC;
    if (req.fdflags & kFdflagDsync) flags |= O_DSYNC;
    // Opening a FIFO must not block the host: open non-blocking, then
    // restore the mode the guest asked for.
    flags |= O_NONBLOCK;

    HostFd fd(::openat(where.parent, where.last.c_str(), flags, 0666));
    if (!fd.valid()) return errno == ELOOP ? kEloop : errno_from_host(errno);
    if (!(req.fdflags & kFdflagNonblock)) {
      int host = ::fcntl(fd.get(), F_GETFL);
      if (host >= 0) ::fcntl(fd.get(), F_SETFL, host & ~O_NONBLOCK);
    }

    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return errno_from_host(errno);
    if (S_ISDIR(st.st_mode)) {
      *out = std::make_unique<HostDirHandle>(std::move(fd));
    } else {
      uint16_t kept = req.fdflags & (kFdflagAppend | kFdflagNonblock);
      *out = std::make_unique<HostFileHandle>(std::move(fd), filetype_of(st.st_mode), kept);
    }
    return kSuccess;
  }

  Errno stat_at(const std::string& path, FileStat* out) override {
    Resolved where;
    if (Errno e = resolve_beneath(fd_.get(), path, &where)) return e;
    struct stat st;
    if (::fstatat(where.parent, where.last.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return errno_from_host(errno);
    }
    *out = filestat_of(st);
    return kSuccess;
  }

 private:
  HostFd fd_;
};

}  // namespace

Result<std::unique_ptr<Handle>> open_host_directory(const std::string& host_path) {
  HostFd fd(::open(host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return Error{"cannot open directory '" + host_path + "': " + std::strerror(errno), "", {}, {}, ""};
  }
  return std::unique_ptr<Handle>(std::make_unique<HostDirHandle>(std::move(fd)));
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

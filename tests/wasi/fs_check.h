// Shared by the tests/wasi/fs_*.c guests: checks that print one line each
// ("ok ..." or "FAIL ...") and count failures, which become the exit status.
#pragma once
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;
static const char* root_dir;  // argv[1]: the directory under test, as the guest sees it

// A path under the directory under test (four rotating buffers).
static inline const char* at(const char* name) {
  static char bufs[4][512];
  static int next;
  next = (next + 1) % 4;
  snprintf(bufs[next], sizeof bufs[next], "%s/%s", root_dir, name);
  return bufs[next];
}

static inline const char* errno_name(int e) {
  switch (e) {
    case 0: return "0";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case ENOENT: return "ENOENT";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EPERM: return "EPERM";
    case EROFS: return "EROFS";
    case EXDEV: return "EXDEV";
    default: return strerror(e);
  }
}

static inline void check(int ok, const char* what) {
  printf("%s %s\n", ok ? "ok" : "FAIL", what);
  if (!ok) failures++;
}

// A call that must fail with errno `want` (returning -1 or a null pointer).
#define CHECK_ERRNO(call, want)                                                         \
  do {                                                                                  \
    errno = 0;                                                                          \
    long r_ = (long)(call);                                                             \
    int e_ = errno;                                                                     \
    char what_[256];                                                                    \
    snprintf(what_, sizeof what_, "%s -> %s (want %s)", #call, r_ == -1 || r_ == 0 ? errno_name(e_) : "success", \
             errno_name(want));                                                         \
    check((r_ == -1 || r_ == 0) && e_ == (want), what_);                                \
  } while (0)

#define CHECK(cond) check((cond), #cond)

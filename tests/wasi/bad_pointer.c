// Calls WASI directly with bad pointers, counts and fds: each call must fail
// with the right errno, and the host must not crash.
#include <stdio.h>
#include <wasi/api.h>

// path_open straight from the host: wasi-libc's wrapper would strlen() the path.
__attribute__((import_module("wasi_snapshot_preview1"), import_name("path_open"))) int raw_path_open(
    int fd, int dirflags, int path, int path_len, int oflags, long long rights_base, long long rights_inheriting,
    int fdflags, int result_fd);

int main(void) {
  __wasi_size_t n = 0;

  // An iovec array that lies past the end of linear memory.
  const __wasi_ciovec_t* far_iovs = (const __wasi_ciovec_t*)0xFFFFFFF0u;
  printf("iovec array out of bounds: %d\n", __wasi_fd_write(1, far_iovs, 1, &n));

  // A valid iovec whose buffer is out of bounds.
  __wasi_ciovec_t bad_buf = {(const uint8_t*)0xFFFF0000u, 4096};
  printf("buffer out of bounds: %d\n", __wasi_fd_write(1, &bad_buf, 1, &n));

  // A buffer that wraps around the 32-bit address space.
  __wasi_ciovec_t wrap = {(const uint8_t*)0xFFFFFFFFu, 2};
  printf("buffer wrapping around: %d\n", __wasi_fd_write(1, &wrap, 1, &n));

  // Too many iovecs.
  static __wasi_ciovec_t many[2000];
  printf("too many iovecs: %d\n", __wasi_fd_write(1, many, 2000, &n));

  // Result pointer out of bounds.
  __wasi_ciovec_t ok = {(const uint8_t*)"x", 1};
  printf("result pointer out of bounds: %d\n", __wasi_fd_write(1, &ok, 1, (__wasi_size_t*)0xFFFFFFFEu));

  // A file descriptor that is not open.
  printf("bad fd: %d\n", __wasi_fd_write(99, &ok, 1, &n));
  printf("bad fd close: %d\n", __wasi_fd_close(12345));

  // A path that reaches out of memory.
  __wasi_fd_t fd;
  printf("path out of bounds: %d\n", raw_path_open(3, 0, (int)0xFFFFFF00u, 512, 0, 0, 0, 0, (int)&fd));

  // No subscriptions: nothing to wait for, EINVAL.
  printf("poll_oneoff: %d\n", __wasi_poll_oneoff(0, 0, 0, &n));

  printf("still alive\n");
  return 0;
}

// Prints the tree under argv[1]: one line per entry, in readdir order, with
// the size and an FNV-1a hash of each file's bytes (and small text files'
// contents), then tries to change the tree and prints each errno. Used on
// zip mounts (read-only) and in-memory trees.
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "fs_check.h"

static void show_file(const char* path, const char* shown) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("file %s: open %s\n", shown, errno_name(errno));
    return;
  }
  uint32_t hash = 2166136261u;
  char buf[4096], head[41] = {0};
  long size = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    if (size == 0) memcpy(head, buf, n < 40 ? (size_t)n : 40);
    for (ssize_t i = 0; i < n; i++) hash = (hash ^ (uint8_t)buf[i]) * 16777619u;
    size += n;
  }
  if (n < 0) printf("file %s: read %s\n", shown, errno_name(errno));
  struct stat st;
  fstat(fd, &st);
  close(fd);
  int text = size <= 40;
  for (long i = 0; i < size && text; i++) text = head[i] >= 32 && head[i] < 127;
  printf("file %s size %ld stat %lld fnv %08x%s%s\n", shown, size, (long long)st.st_size, hash, text ? " text " : "",
         text ? head : "");
}

static void walk(const char* path, const char* shown) {
  DIR* d = opendir(path);
  if (!d) {
    printf("dir %s: %s\n", shown, errno_name(errno));
    return;
  }
  struct dirent* e;
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char child[1024], child_shown[1024];
    snprintf(child, sizeof child, "%s/%s", path, e->d_name);
    snprintf(child_shown, sizeof child_shown, "%s%s%s", shown, *shown ? "/" : "", e->d_name);
    if (e->d_type == DT_DIR) {
      printf("dir %s\n", child_shown);
      walk(child, child_shown);
    } else {
      show_file(child, child_shown);
    }
  }
  closedir(d);
}

int main(int argc, char** argv) {
  if (argc < 2) return 100;
  root_dir = argv[1];
  walk(root_dir, "");
  if (argc > 2) {
    // argv[2]: a file in the tree, to try changing (argv[1] must be fd 3).
    const char* f = at(argv[2]);
    printf("create: %s\n", errno_name(open(at("new.txt"), O_CREAT | O_WRONLY, 0644) < 0 ? errno : 0));
    printf("write: %s\n", errno_name(open(f, O_WRONLY) < 0 ? errno : 0));
    printf("truncate: %s\n", errno_name(open(f, O_RDONLY | O_TRUNC) < 0 ? errno : 0));
    printf("mkdir: %s\n", errno_name(mkdir(at("newdir"), 0755) < 0 ? errno : 0));
    printf("unlink: %s\n", errno_name(unlink(f) < 0 ? errno : 0));
    printf("rename: %s\n", errno_name(rename(f, at("moved")) < 0 ? errno : 0));
    printf("symlink: %s\n", errno_name(symlink("x", at("link")) < 0 ? errno : 0));
    // Straight to WASI: wasi-libc's headers define UTIME_NOW twice, differently.
    int e = __wasi_path_filestat_set_times(3, 0, argv[2], 0, 0, __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW);
    printf("utimens: %s\n", errno_name(e));
  }
  return 0;
}

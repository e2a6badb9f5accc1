// Directories, names and links in the directory argv[1]: mkdir/rmdir,
// readdir across many fd_readdir calls (with telldir/seekdir cookies),
// rename, unlink, hard links, and symlinks, including ones that try to lead
// out of the directory. Prints one line per check; the exit status is the
// number of failures. Run against a host directory and an in-memory tree, it
// must print the same.
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_check.h"

#define MANY 120  // entries with long names: more than one fd_readdir buffer

static void touch(const char* path, const char* content) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd >= 0) {
    write(fd, content, strlen(content));
    close(fd);
  }
}

static int read_is(const char* path, const char* want) {
  char buf[128] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  read(fd, buf, sizeof buf - 1);
  close(fd);
  return strcmp(buf, want) == 0;
}

static void long_name(char* out, size_t size, int i) {
  snprintf(out, size, "d/entry-%03d-with-a-name-long-enough-to-fill-readdir-buffers-quickly", i);
}

static int count_entries(const char* path) {
  DIR* d = opendir(path);
  if (!d) return -1;
  int n = 0;
  while (readdir(d)) n++;
  closedir(d);
  return n;
}

int main(int argc, char** argv) {
  if (argc < 2) return 100;
  root_dir = argv[1];

  // mkdir / rmdir.
  CHECK(mkdir(at("d"), 0755) == 0);
  CHECK_ERRNO(mkdir(at("d"), 0755), EEXIST);
  CHECK_ERRNO(mkdir(at("no/such"), 0755), ENOENT);
  char name[160];
  for (int i = 0; i < MANY; i++) {
    long_name(name, sizeof name, i);
    touch(at(name), "x");
  }

  // readdir: every entry once, in name order, "." and ".." included.
  DIR* d = opendir(at("d"));
  CHECK(d != NULL);
  int seen = 0, dots = 0, in_order = 1;
  char previous[256] = "";
  long cookie_at_10 = -1;
  char name_at_10[256] = "";
  struct dirent* e;
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
      dots++;
      CHECK(e->d_type == DT_DIR);
      continue;
    }
    if (strcmp(previous, e->d_name) >= 0) in_order = 0;
    snprintf(previous, sizeof previous, "%s", e->d_name);
    if (seen == 10) {
      snprintf(name_at_10, sizeof name_at_10, "%s", e->d_name);
    }
    seen++;
    if (seen == 10) cookie_at_10 = telldir(d);
    if (e->d_type != DT_REG) in_order = 0;
  }
  CHECK(seen == MANY && dots == 2);
  CHECK(in_order);
  // seekdir back to a cookie: the same entry comes next.
  seekdir(d, cookie_at_10);
  e = readdir(d);
  CHECK(e != NULL && strcmp(e->d_name, name_at_10) == 0);
  closedir(d);
  CHECK_ERRNO(opendir(at("d/entry-000-with-a-name-long-enough-to-fill-readdir-buffers-quickly")), ENOTDIR);

  // Removing: a non-empty directory cannot go; files and dirs by the right call.
  CHECK_ERRNO(rmdir(at("d")), ENOTEMPTY);
  long_name(name, sizeof name, 0);
  CHECK_ERRNO(rmdir(at(name)), ENOTDIR);
  CHECK_ERRNO(unlink(at("d")), EISDIR);
  for (int i = 1; i < MANY; i++) {
    long_name(name, sizeof name, i);
    if (unlink(at(name)) != 0) failures++;
  }
  CHECK(count_entries(at("d")) == 3);

  // rename: files, directories, and what may not be replaced.
  long_name(name, sizeof name, 0);
  CHECK(rename(at(name), at("d/renamed.txt")) == 0);
  CHECK_ERRNO(open(at(name), O_RDONLY), ENOENT);
  CHECK(read_is(at("d/renamed.txt"), "x"));
  touch(at("top.txt"), "top");
  CHECK(rename(at("top.txt"), at("d/renamed.txt")) == 0);  // replaces the old file
  CHECK(read_is(at("d/renamed.txt"), "top"));
  CHECK(rename(at("d"), at("e")) == 0);
  CHECK(read_is(at("e/renamed.txt"), "top"));
  CHECK(mkdir(at("e/sub"), 0755) == 0);
  CHECK_ERRNO(rename(at("e"), at("e/sub/inside")), EINVAL);  // into itself
  CHECK(mkdir(at("full"), 0755) == 0);
  touch(at("full/f"), "f");
  CHECK_ERRNO(rename(at("e/sub"), at("full")), ENOTEMPTY);
  CHECK_ERRNO(rename(at("e/renamed.txt"), at("e/sub")), EISDIR);
  CHECK_ERRNO(rename(at("e/sub"), at("e/renamed.txt")), ENOTDIR);
  CHECK_ERRNO(rename(at("missing"), at("e/x")), ENOENT);
  CHECK(mkdir(at("empty"), 0755) == 0);
  CHECK(rename(at("e/sub"), at("empty")) == 0);  // an empty directory can be replaced
  CHECK_ERRNO(rename(at("e/renamed.txt"), at("../escaped.txt")), ENOTCAPABLE);

  // Hard links.
  CHECK(link(at("e/renamed.txt"), at("hard.txt")) == 0);
  struct stat st;
  CHECK(stat(at("hard.txt"), &st) == 0 && st.st_nlink == 2);
  CHECK_ERRNO(link(at("e"), at("dirlink")), EPERM);
  CHECK_ERRNO(link(at("e/renamed.txt"), at("hard.txt")), EEXIST);
  CHECK(unlink(at("hard.txt")) == 0 && stat(at("e/renamed.txt"), &st) == 0 && st.st_nlink == 1);

  // Symbolic links inside the directory are followed (except with O_NOFOLLOW).
  CHECK(symlink("e/renamed.txt", at("link")) == 0);
  char target[64] = {0};
  CHECK(readlink(at("link"), target, sizeof target) == 13 && strcmp(target, "e/renamed.txt") == 0);
  CHECK(readlink(at("link"), target, 4) == 4 && memcmp(target, "e/re", 4) == 0);  // cut off
  CHECK_ERRNO(readlink(at("e"), target, sizeof target), EINVAL);
  CHECK(read_is(at("link"), "top"));
  CHECK_ERRNO(open(at("link"), O_RDONLY | O_NOFOLLOW), ELOOP);
  CHECK(lstat(at("link"), &st) == 0 && S_ISLNK(st.st_mode));
  CHECK(stat(at("link"), &st) == 0 && S_ISREG(st.st_mode));
  CHECK(symlink("e", at("elink")) == 0);
  CHECK(read_is(at("elink/renamed.txt"), "top"));
  CHECK(symlink("../e/./renamed.txt", at("full/up")) == 0);
  CHECK(read_is(at("full/up"), "top"));
  CHECK_ERRNO(symlink("x", at("link")), EEXIST);

  // ... but never out of it.
  CHECK(symlink("../outside.txt", at("escape")) == 0);
  CHECK_ERRNO(open(at("escape"), O_RDONLY), ENOTCAPABLE);
  CHECK(symlink("..", at("updir")) == 0);
  CHECK_ERRNO(open(at("updir/outside.txt"), O_RDONLY), ENOTCAPABLE);
  CHECK_ERRNO(stat(at("updir/outside.txt"), &st), ENOTCAPABLE);
  CHECK_ERRNO(symlink("/etc/passwd", at("absolute")), ENOTCAPABLE);
  CHECK(symlink("loop2", at("loop1")) == 0 && symlink("loop1", at("loop2")) == 0);
  CHECK_ERRNO(open(at("loop1"), O_RDONLY), ELOOP);
  CHECK(symlink("nowhere", at("dangling")) == 0);
  CHECK_ERRNO(open(at("dangling"), O_RDONLY), ENOENT);
  int fd = open(at("dangling"), O_CREAT | O_WRONLY, 0644);  // creates the link's target
  CHECK(fd >= 0);
  close(fd);
  CHECK(stat(at("nowhere"), &st) == 0 && S_ISREG(st.st_mode));

  // Clean up: the directory ends as it started.
  const char* links[] = {"link", "elink", "full/up", "escape", "updir", "loop1", "loop2", "dangling", "nowhere",
                         "full/f", "e/renamed.txt"};
  for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
    if (unlink(at(links[i])) != 0) {
      printf("FAIL unlink %s: %s\n", links[i], errno_name(errno));
      failures++;
    }
  }
  CHECK(rmdir(at("full")) == 0 && rmdir(at("empty")) == 0 && rmdir(at("e")) == 0);
  CHECK_ERRNO(rmdir(at("e")), ENOENT);
  printf("%d failures\n", failures);
  return failures;
}

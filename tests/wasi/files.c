// File access inside a preopened directory: argv[1] is the directory as the
// guest sees it. Writes a file, reads it back, stats it, and checks that
// paths leaving the directory are refused.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int check_refused(const char* path) {
  int fd = open(path, O_RDONLY);
  if (fd >= 0) {
    printf("ESCAPED: %s opened\n", path);
    close(fd);
    return 1;
  }
  printf("refused %s: %s\n", path, errno == ENOTCAPABLE ? "ENOTCAPABLE" : strerror(errno));
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  char path[512];
  snprintf(path, sizeof path, "%s/written-by-guest.txt", argv[1]);

  FILE* f = fopen(path, "w");
  if (!f) {
    printf("fopen for writing failed: %s\n", strerror(errno));
    return 1;
  }
  fprintf(f, "line one\nline two\n");
  fclose(f);

  f = fopen(path, "r");
  if (!f) {
    printf("fopen for reading failed: %s\n", strerror(errno));
    return 1;
  }
  char line[128];
  while (fgets(line, sizeof line, f)) printf("read: %s", line);
  long size = ftell(f);
  fseek(f, 5, SEEK_SET);
  printf("after seek: %c%c%c\n", fgetc(f), fgetc(f), fgetc(f));
  fclose(f);

  struct stat st;
  if (stat(path, &st) != 0) {
    printf("stat failed: %s\n", strerror(errno));
    return 1;
  }
  printf("size %ld stat size %lld regular %d\n", size, (long long)st.st_size, S_ISREG(st.st_mode) ? 1 : 0);

  // Paths that try to leave the preopened directory.
  char escape[512];
  snprintf(escape, sizeof escape, "%s/../outside.txt", argv[1]);
  int escaped = check_refused(escape);
  snprintf(escape, sizeof escape, "%s/sub/../../outside.txt", argv[1]);
  escaped |= check_refused(escape);
  escaped |= check_refused("/etc/passwd");
  if (argc > 2) {
    // argv[2]: a symbolic link inside the directory that points outside.
    snprintf(escape, sizeof escape, "%s/%s", argv[1], argv[2]);
    escaped |= check_refused(escape);
  }
  return escaped;
}

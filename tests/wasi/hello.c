// Writes to stdout and stderr through wasi-libc's stdio (fd_write).
#include <stdio.h>

int main(void) {
  printf("Hello from WASI!\n");
  fprintf(stderr, "this goes to stderr\n");
  printf("done\n");
  return 0;
}

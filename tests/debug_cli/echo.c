// Copies its stdin to its stdout: shows where `wasmscope debug` takes the
// guest's input from.
#include <stdio.h>

int main(void) {
  char line[256];
  int lines = 0;
  while (fgets(line, sizeof line, stdin)) {
    printf("echo: %s", line);
    lines++;
  }
  printf("%d lines\n", lines);  // LINE:echo_done
  return 0;
}

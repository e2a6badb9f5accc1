// The module the browser test runs in the page: checks that output, the
// arguments typed into the page and the exit status all make it through.
#include <stdio.h>

int main(int argc, char** argv) {
  printf("Hello from WASI!\n");
  for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
  return argc > 1 ? 3 : 0;
}

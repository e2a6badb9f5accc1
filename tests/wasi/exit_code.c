// Exits through proc_exit with the status given as argv[1] (7 by default),
// after output that must still be flushed.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  int status = argc > 1 ? atoi(argv[1]) : 7;
  printf("exiting with %d\n", status);
  exit(status);
}

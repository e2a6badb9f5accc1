// Integer division by zero: undefined in C, a trap in WebAssembly
// ("integer divide by zero"), just like SIGFPE natively.
#include <stdio.h>

static int average(const int *values, int count) {
  int sum = 0;
  for (int i = 0; i < count; i++) sum += values[i];
  return sum / count;  // backtrace #0: average
}

int main(int argc, char **argv) {
  (void)argv;
  int values[4] = {3, 5, 7, 9};
  int count = argc - 1;  // no arguments: nothing to average
  printf("average %d\n", average(values, count));  // backtrace #1: main
  return 0;
}

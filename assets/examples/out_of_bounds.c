// Reads far past the end of an array, beyond the end of linear memory:
// WebAssembly checks every access, so this traps with
// "out of bounds memory access" instead of reading garbage.
#include <stdio.h>

static int samples[16];

static int sum_every(const int *values, unsigned stride, unsigned count) {
  int sum = 0;
  for (unsigned i = 0; i < count; i++) {
    sum += values[i * stride];  // backtrace #0: sum_every
  }
  return sum;
}

int main(void) {
  for (int i = 0; i < 16; i++) samples[i] = i;
  // Meant to be a stride of 1; 1 << 20 ints is 4 MiB per step.
  int total = sum_every(samples, 1u << 20, 16);  // backtrace #1: main
  printf("total %d\n", total);
  return 0;
}

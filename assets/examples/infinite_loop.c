// A loop whose exit condition can never become true. Run it with a fuel
// limit: `wasmscope run --fuel 1000000 infinite_loop.wasm` stops it and shows
// where it was spinning.
#include <stdio.h>

static unsigned collatz_steps(unsigned n) {
  unsigned steps = 0;
  // Meant `n != 1`: 1 -> 4 -> 2 -> 1 -> ... forever. The fuel runs out on
  // the loop's backward jump, which belongs to this line.
  while (n != 0) {  // backtrace #0: collatz_steps
    n = (n % 2 == 0) ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}

int main(void) {
  printf("%u steps\n", collatz_steps(27));  // backtrace #1: main
  return 0;
}

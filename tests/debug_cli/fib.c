// The program the `wasmscope debug` tests drive. Lines the tests stop at
// carry a "LINE:name" marker; the tests find their numbers by the marker.
#include <stdio.h>

int calls;  // fib() calls so far; the watchpoint tests watch it
int table[8] = {1, 2, 3, 4, 5, 6, 7, 8};
const char greeting[] = "hello, debugger";

int fib(int n) {
  calls++;  // LINE:fib_calls
  if (n < 2) return n;  // LINE:fib_base
  int a = fib(n - 1);  // LINE:fib_first
  int b = fib(n - 2);
  return a + b;  // LINE:fib_sum
}

int scale(int x) {
  int factor = 3;  // LINE:scale_factor
  int result = x * factor;  // LINE:scale_multiply
  return result;  // LINE:scale_return
}

int main(void) {
  // The tests read these addresses from a first, plain run.
  printf("calls=%p table=%p greeting=%p\n", (void*)&calls, (void*)table, (void*)greeting);
  int r = fib(6);  // LINE:main_fib
  int s = scale(r);  // LINE:main_scale
  printf("fib(6) = %d, scaled = %d, calls = %d\n", r, s, calls);  // LINE:main_print
  return 0;
}

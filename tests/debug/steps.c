// A guest for the session tests (tests/unit/session_test.cpp): compiled
// with -g, so breakpoints by line and source-line steps can be checked.
// The tests refer to lines by the markers in the comments.
#include <stdio.h>
#include <unistd.h>

static int total;

__attribute__((noinline)) static int square(int x) {
  int y = x * x;  // LINE_SQUARE_BODY
  return y;
}

__attribute__((noinline)) static int fact(int n) {
  if (n <= 1) return 1;  // LINE_FACT_BASE
  return n * fact(n - 1);  // LINE_FACT_RECURSE
}

int main(void) {
  char buf[8] = {0};
  int a = square(3);  // LINE_MAIN_SQUARE
  int b = fact(5);  // LINE_MAIN_FACT
  total = a + b;  // LINE_MAIN_TOTAL
  ssize_t n = read(0, buf, sizeof buf - 1);  // LINE_MAIN_READ
  printf("%d %d %d %s\n", a, b, total, n > 0 ? buf : "-");  // LINE_MAIN_PRINT
  return total == 129 ? 0 : 1;
}

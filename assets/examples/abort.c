// A failed consistency check calls abort(). wasi-libc's abort() executes
// `unreachable`, so the program traps inside abort with the caller below it.
#include <stdio.h>
#include <stdlib.h>

static void check_balance(int balance) {
  if (balance < 0) {
    fprintf(stderr, "balance is negative: %d\n", balance);
    abort();  // backtrace #1: check_balance
  }
}

int main(void) {
  int balance = 100;
  balance -= 250;
  check_balance(balance);  // backtrace #2: main
  printf("balance %d\n", balance);
  return 0;
}

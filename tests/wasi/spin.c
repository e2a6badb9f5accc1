// Loops forever: only --fuel stops it.
#include <stdio.h>

__attribute__((noinline)) void spin_forever(volatile int* counter) {
  for (;;) (*counter)++;
}

int main(void) {
  volatile int counter = 0;
  printf("spinning\n");
  spin_forever(&counter);
  return 0;
}

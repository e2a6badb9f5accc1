// Copies stdin to stdout in upper case (fd_read on stdin).
#include <ctype.h>
#include <stdio.h>

int main(void) {
  int c;
  long count = 0;
  while ((c = getchar()) != EOF) {
    putchar(toupper(c));
    count++;
  }
  printf("[%ld bytes]\n", count);
  return 0;
}

// Reads stdin line by line and answers each line as soon as it arrives
// (so a test can see the answer before it sends the next line), then
// reports the end of input.
#include <stdio.h>
#include <string.h>

int main(void) {
  char line[256];
  int count = 0;
  while (fgets(line, sizeof line, stdin) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    printf("got '%s'\n", line);
    fflush(stdout);
    count++;
  }
  printf("end after %d lines\n", count);
  return 0;
}

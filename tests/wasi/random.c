// random_get fills a buffer: prints it in hex (two runs must differ).
#include <stdio.h>
#include <unistd.h>

int main(void) {
  unsigned char buf[32] = {0};
  if (getentropy(buf, sizeof buf) != 0) {
    printf("getentropy failed\n");
    return 1;
  }
  for (unsigned i = 0; i < sizeof buf; i++) printf("%02x", buf[i]);
  printf("\n");
  return 0;
}

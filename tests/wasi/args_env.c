// Echoes its arguments and the environment (args_get, environ_get).
#include <stdio.h>

extern char** environ;

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  for (char** e = environ; *e; e++) printf("env %s\n", *e);
  return 0;
}

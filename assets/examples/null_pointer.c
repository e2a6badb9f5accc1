// Writes through a null pointer.
//
// In WebAssembly, address 0 is ordinary linear memory: a plain null write
// would silently succeed and corrupt whatever lives there. Like a native
// build would crash, this one traps: the examples are compiled with
// -fsanitize=null -fsanitize-trap=null, so clang checks each pointer before
// it is used and executes `unreachable` when it is null.
#include <stdio.h>
#include <stdlib.h>

struct point {
  int x;
  int y;
};

static void move_right(struct point *p, int steps) {
  p->x += steps;  // backtrace #0: move_right
}

static struct point *find_point(const char *name) {
  (void)name;
  return NULL;  // "not found", and the caller forgets to check
}

int main(void) {
  struct point *p = find_point("origin");
  move_right(p, 3);  // backtrace #1: main
  printf("moved to %d,%d\n", p->x, p->y);
  return 0;
}

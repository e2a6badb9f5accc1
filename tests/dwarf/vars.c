// Variables of every kind the DWARF printer knows, paused by a trap at the
// MARK line. Built with -O0 (everything in memory, frame-base relative).
// tests/unit/dwarf_test.cpp finds lines by their MARK comments.
struct point { int x; int y; };
struct inner { short v; char tag; };
struct outer { struct point corner; struct inner in; double weight; };
struct node { int value; struct node* next; };
union number { int i; float f; };
enum color { RED, GREEN = 5, BLUE };
typedef struct point point_t;
struct flags { unsigned ready : 1; int level : 4; unsigned mode : 3; };

int g_counter = 7;

__attribute__((noinline)) int inspect(struct point* p, int n) {
  int arr[4] = {1, 2, 3, 4};
  int grid[2][3] = {{1, 2, 3}, {4, 5, 6}};
  enum color c = GREEN;
  point_t local = {3, 4};
  const char* msg = "hello";
  char name[8] = "abc";
  struct outer o = {{-1, 2}, {300, 'z'}, 2.5};
  struct node second = {20, 0};
  struct node first = {10, &second};
  union number num;
  num.i = 0x40490fdb;
  struct flags fl = {1, -3, 5};
  double ratio = 0.25;
  unsigned char byte = 200;
  int total = arr[2] + local.y + p->x + (int)c + msg[0] + name[1] + o.in.v + first.next->value +
              grid[1][2] + fl.level + (int)(ratio * 4) + byte + num.i;
  if (n == 42) __builtin_trap();  // MARK: vars_trap
  return total;
}

__attribute__((export_name("run_vars"))) int run_vars(int n) {
  struct point pt = {10, 20};
  return inspect(&pt, n) + g_counter;  // MARK: vars_call
}

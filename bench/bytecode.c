// A tiny stack-based bytecode interpreter running a loop-heavy program:
// the dispatch pattern (load opcode, indirect branch) of interpreters.
#include <stdio.h>
#include "common.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, LT, JMP, JZ, HALT };

// Locals: 0 = i, 1 = n, 2 = acc.
//   while (i < n) { acc = (acc * 31 + i) % 1000003; i = i + 1; }
static const int program[] = {
  /* 0*/ LOAD, 0, LOAD, 1, LT, JZ, 31,
  /* 7*/ LOAD, 2, PUSH, 31, MUL, LOAD, 0, ADD, PUSH, 1000003, MOD, STORE, 2,
  /*20*/ LOAD, 0, PUSH, 1, ADD, STORE, 0,
  /*27*/ JMP, 0,
  /*29*/ HALT, HALT,
  /*31*/ HALT,
};

static long run(const int* code, long n, long acc) {
  long stack[16];
  long locals[3] = {0, n, acc};
  int sp = 0, pc = 0;
  for (;;) {
    switch (code[pc++]) {
      case PUSH: stack[sp++] = code[pc++]; break;
      case LOAD: stack[sp++] = locals[code[pc++]]; break;
      case STORE: locals[code[pc++]] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
      case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case JMP: pc = code[pc]; break;
      case JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
      case HALT: return locals[2];
    }
  }
}

int main(int argc, char** argv) {
  int reps = bench_reps(argc, argv, 15);
  long acc = 1;
  for (int r = 0; r < reps; r++) acc = run(program, 1000000, acc);
  printf("bytecode 1000000 iterations x%d: acc %ld\n", reps, acc);
  return 0;
}

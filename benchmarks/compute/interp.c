/* interp: a tiny stack-based bytecode interpreter (switch dispatch,
 * 16 registers, 32-bit values) running a built-in program: an LCG loop with
 * data-dependent branches and a small memory array.
 * argv[1] = loop iterations (default 4000000). Checksum: the final registers
 * and memory. */
#include "bench.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, AND, XOR, SHR, SHL, LT, JZ, JMP,
       DUP, DROP, MLOAD, MSTORE, HALT };

typedef struct { uint8_t op; int32_t arg; } insn;

static uint32_t run(const insn *code, uint32_t *reg, uint32_t *mem) {
  uint32_t stack[64];
  int sp = 0, pc = 0;
  uint32_t steps = 0;
  for (;;) {
    insn in = code[pc++];
    steps++;
    switch (in.op) {
      case PUSH: stack[sp++] = (uint32_t)in.arg; break;
      case LOAD: stack[sp++] = reg[in.arg]; break;
      case STORE: reg[in.arg] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
      case SHR: sp--; stack[sp - 1] >>= (stack[sp] & 31); break;
      case SHL: sp--; stack[sp - 1] <<= (stack[sp] & 31); break;
      case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case JZ: if (stack[--sp] == 0) pc = in.arg; break;
      case JMP: pc = in.arg; break;
      case DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case DROP: sp--; break;
      case MLOAD: stack[sp - 1] = mem[stack[sp - 1] & 255]; break;
      case MSTORE: sp -= 2; mem[stack[sp] & 255] = stack[sp + 1]; break;
      case HALT: return steps;
      default: return 0;
    }
  }
}

int main(int argc, char **argv) {
  long iters = bench_size(argc, argv, 4000000);
  /* r0 = i, r1 = N, r2 = lcg state, r3 = acc, r4 = tmp */
  const insn program[] = {
    /* 0 */ {PUSH, 0}, {STORE, 0},
    /* 2 loop: */ {LOAD, 0}, {LOAD, 1}, {LT, 0}, {JZ, 41},
    /* 6 r2 = r2 * 1103515245 + 12345 */
    {LOAD, 2}, {PUSH, 1103515245}, {MUL, 0}, {PUSH, 12345}, {ADD, 0}, {STORE, 2},
    /* 12 r4 = r2 >> 16 */
    {LOAD, 2}, {PUSH, 16}, {SHR, 0}, {STORE, 4},
    /* 16 if (r4 & 1) r3 += r4 else r3 ^= r4 << 3 */
    {LOAD, 4}, {PUSH, 1}, {AND, 0}, {JZ, 27},
    {LOAD, 3}, {LOAD, 4}, {ADD, 0}, {STORE, 3}, {JMP, 33}, {HALT, 0}, {HALT, 0},
    /* 27 */ {LOAD, 3}, {LOAD, 4}, {PUSH, 3}, {SHL, 0}, {XOR, 0}, {STORE, 3},
    /* 33 mem[r4] += r3 ; i++ */
    {LOAD, 4}, {DUP, 0}, {MLOAD, 0}, {LOAD, 3}, {ADD, 0}, {MSTORE, 0},
    /* 39 */ {JMP, 42}, {HALT, 0},
    /* 41 */ {HALT, 0},
    /* 42 */ {LOAD, 0}, {PUSH, 1}, {ADD, 0}, {STORE, 0}, {JMP, 2},
  };
  uint32_t reg[16] = {0}, mem[256] = {0};
  reg[1] = (uint32_t)iters;
  reg[2] = 12345;
  double t0 = bench_now();
  uint32_t steps = run(program, reg, mem);
  double t = bench_now() - t0;
  uint64_t h = BENCH_CHECKSUM_INIT;
  h = bench_mix(h, steps);
  for (int i = 0; i < 16; i++) h = bench_mix(h, reg[i]);
  for (int i = 0; i < 256; i++) h = bench_mix(h, mem[i]);
  bench_report("interp", t, h);
  return 0;
}

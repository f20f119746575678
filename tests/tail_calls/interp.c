/* A bytecode interpreter whose handlers tail-call each other (the
 * "threaded code" style of fast interpreters): every handler ends with a
 * `musttail` return into the next one, which `-mtail-call` turns into
 * return_call_indirect. Without real tail calls it would overflow the stack
 * after a few thousand instructions; it runs 30 million, through handlers
 * of two different signatures. Prints the same natively and under wasmaot. */
#include <stdint.h>
#include <stdio.h>

enum { OP_MULADD, OP_DEC, OP_JNZ, OP_HALT };

struct vm {
  const int32_t *code;
  uint64_t acc, n;
};

typedef uint64_t handler(struct vm *vm, int32_t pc, uint64_t steps);
static handler *const table[4];

#define NEXT(vm, pc, steps) __attribute__((musttail)) return table[(vm)->code[pc]](vm, pc, (steps) + 1)

static uint64_t op_muladd(struct vm *vm, int32_t pc, uint64_t steps) {
  vm->acc = (vm->acc * 31 + vm->n) % 1000000007u;
  NEXT(vm, pc + 1, steps);
}
static uint64_t op_dec(struct vm *vm, int32_t pc, uint64_t steps) {
  vm->n -= 1;
  NEXT(vm, pc + 1, steps);
}
static uint64_t op_jnz(struct vm *vm, int32_t pc, uint64_t steps) {
  NEXT(vm, vm->n != 0 ? vm->code[pc + 1] : pc + 2, steps);
}
static uint64_t op_halt(struct vm *vm, int32_t pc, uint64_t steps) { return steps; }

static handler *const table[4] = {op_muladd, op_dec, op_jnz, op_halt};

/* A second chain with another signature: counts down by tail-calling
 * itself through a function pointer. */
typedef uint32_t countdown_fn(uint32_t n, uint32_t sum, double weight);
static countdown_fn *volatile countdown_ptr;
static uint32_t countdown(uint32_t n, uint32_t sum, double weight) {
  if (n == 0) return sum;
  __attribute__((musttail)) return countdown_ptr(n - 1, sum + (n & 7) * (uint32_t)weight, weight);
}

int main(void) {
  static const int32_t program[] = {OP_MULADD, OP_DEC, OP_JNZ, 0, OP_HALT};
  struct vm vm = {program, 1, 10000000};
  uint64_t steps = table[program[0]](&vm, 0, 1);
  printf("interpreter: %llu instructions, acc = %llu\n", (unsigned long long)steps, (unsigned long long)vm.acc);
  countdown_ptr = countdown;
  printf("countdown: %u\n", countdown_ptr(20000000, 0, 3.0));
  return 0;
}

/*
 * The runtime that clang's setjmp/longjmp lowering calls (`-mllvm
 * -wasm-enable-sjlj`), written for the wasmaot guest SDK because Debian's
 * wasi-libc (2022) predates it.
 *
 * How the lowering uses it. A function that calls setjmp gets an
 * invocation id (the address of a stack slot of that call of the function).
 * Each setjmp in it becomes __wasm_setjmp(env, label, id): the jmp_buf
 * remembers which invocation and which setjmp (label, from 1) it belongs
 * to. longjmp(env, value) becomes __wasm_longjmp(env, value), which throws
 * the `__c_longjmp` tag (index 1 of __builtin_wasm_throw) with a pointer to
 * {env, value}. Every function that calls setjmp catches __c_longjmp around
 * its calls and asks __wasm_setjmp_test(env, its id): the label to resume
 * at, or 0 when the jmp_buf belongs to another invocation, in which case it
 * rethrows and an outer frame gets its turn.
 *
 * No state outside the jmp_buf: nothing to lock under -pthread.
 */
#include <setjmp.h>
#include <stdint.h>

struct longjmp_arg {  /* the payload: LLVM reads env at 0 and the value at 4 */
  void *env;
  int value;
};

struct jmp_state {
  void *invocation;  /* the setjmp's function invocation */
  uint32_t label;    /* which setjmp of that function, from 1 */
  struct longjmp_arg arg;
};

_Static_assert(sizeof(struct jmp_state) <= sizeof(jmp_buf), "jmp_buf too small");
_Static_assert(_Alignof(struct jmp_state) <= _Alignof(jmp_buf), "jmp_buf alignment");

void __wasm_setjmp(void *env, uint32_t label, void *invocation);
uint32_t __wasm_setjmp_test(void *env, void *invocation);
void __wasm_longjmp(void *env, int value);

void __wasm_setjmp(void *env, uint32_t label, void *invocation) {
  struct jmp_state *state = env;
  state->invocation = invocation;
  state->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *invocation) {
  const struct jmp_state *state = env;
  return state->invocation == invocation ? state->label : 0;
}

void __wasm_longjmp(void *env, int value) {
  struct jmp_state *state = env;
  state->arg.env = env;
  state->arg.value = value != 0 ? value : 1; /* longjmp(env, 0) returns 1 from setjmp */
  __builtin_wasm_throw(1, &state->arg);
}

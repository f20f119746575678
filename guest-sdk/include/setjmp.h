/*
 * <setjmp.h> for wasm32-wasi guests (the distribution's wasi-libc has none).
 *
 * setjmp/longjmp are lowered by clang onto WebAssembly exception handling:
 * compile with `-mllvm -wasm-enable-sjlj` (wasmaot-cc and the SDK's CMake
 * toolchain file do) and link libwasmaot_sjlj.a, the small runtime the
 * lowering calls (setjmp/wasm_sjlj.c). A longjmp unwinds the frames between
 * it and its setjmp as a wasm exception; every compiled function between
 * them must have been compiled with the same flag.
 *
 * WASI has no signals: sigsetjmp/siglongjmp are setjmp/longjmp (the signal
 * mask argument is ignored).
 */
#ifndef WASMAOT_SETJMP_H
#define WASMAOT_SETJMP_H

#ifdef __cplusplus
extern "C" {
#endif

/* The runtime keeps its state here (setjmp/wasm_sjlj.c); the rest is
 * reserved, leaving room as other C libraries do. */
typedef struct __wasmaot_jmp_buf_tag {
  void *__reserved_pointers[4];
  unsigned long __reserved_words[4];
} jmp_buf[1];
typedef jmp_buf sigjmp_buf;

int setjmp(jmp_buf __env) __attribute__((__returns_twice__));
void longjmp(jmp_buf __env, int __value) __attribute__((__noreturn__));

#define _setjmp(env) setjmp(env)
#define _longjmp(env, value) longjmp(env, value)
#define sigsetjmp(env, savemask) setjmp(env)
#define siglongjmp(env, value) longjmp(env, value)

#ifdef __cplusplus
}
#endif

#endif

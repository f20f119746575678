/* _start for `wasmaot-cc -pthread` programs (in place of wasi-libc's
 * crt1-command.o).
 *
 * Debian's wasi-libc (2022) has a _start that leaves static constructors
 * and destructors to wasm-ld, which then wraps *every* exported function
 * with calls to them. For a threaded program that is wrong twice over:
 * each new thread's wasi_thread_start would re-run the constructors on the
 * main thread's shadow stack (its stack pointer is not set up yet) and run
 * the destructors — stdio's flush among them — when the thread ends.
 * Calling __wasm_call_ctors here tells wasm-ld not to wrap anything (as
 * newer wasi-libc releases do), so this _start runs them once.
 *
 * It also gives the main thread its TLS block: wasm-ld leaves that to the
 * program in a shared-memory build, and without it the main thread's
 * thread-locals would sit at address 0 with no initial values. */
#include <stdint.h>
#include <stdlib.h>

void __wasm_call_ctors(void);
void __wasm_init_tls(void *);
int __original_main(void);

__attribute__((export_name("_start"))) void _start(void) {
  size_t size = __builtin_wasm_tls_size();
  if (size > 0) {
    size_t align = __builtin_wasm_tls_align();
    if (align < sizeof(void *)) align = sizeof(void *);
    void *block = NULL;
    if (posix_memalign(&block, align, size) != 0) abort();
    __wasm_init_tls(block);
  }
  __wasm_call_ctors();
  /* exit() runs atexit handlers and the destructors (stdio's flush). */
  exit(__original_main());
}

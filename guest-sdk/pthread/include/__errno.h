/* errno for `wasmaot-cc -pthread` programs (replaces wasi-libc's header).
 *
 * Debian's wasi-libc is built without threads: its functions set one plain
 * `errno` word, and code built with -pthread cannot refer to it as a
 * thread-local (wasm-ld refuses a TLS relocation against it). So the
 * program names that same word here, and wasmaot makes it per thread when
 * it compiles the module (pthread/src/errno_tls.c): every thread has its
 * own errno, libc's writes included. Under another wasi-threads runtime it
 * stays one word shared by all threads. guest-sdk/pthread/README.md says
 * what of libc is and is not thread-safe. */
#ifndef __wasilibc___errno_h
#define __wasilibc___errno_h

#ifdef __cplusplus
extern "C" {
#endif

extern int errno;
#define errno errno

#ifdef __cplusplus
}
#endif

#endif

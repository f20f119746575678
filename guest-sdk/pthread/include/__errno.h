/* errno for `wasmaot-cc -pthread` programs (replaces wasi-libc's header).
 *
 * Debian's wasi-libc is built without threads: its functions set one plain,
 * process-wide `errno`, and code built with -pthread cannot refer to it as
 * thread-local (wasm-ld refuses a TLS relocation against it). So errno here
 * is that one variable, shared by every thread: read it right after the
 * call that failed; another thread's failure in between can overwrite it.
 * The SDK's pthread functions return their error numbers, as POSIX says,
 * and never touch errno. guest-sdk/pthread/README.md lists what else of
 * libc is not thread-safe. */
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

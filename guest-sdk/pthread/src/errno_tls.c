/* Thread-local errno under wasmaot.
 *
 * Debian's wasi-libc sets one plain `errno` word for the whole process. A
 * `wasmaot-cc -pthread` program exports that word's address (`errno`), this
 * thread-local's offset and `__tls_base`; when wasmaot compiles such a
 * module it turns every load and store of the errno word at a constant
 * address (all of libc's, and the program's own through <errno.h>) into an
 * access of the calling thread's `__wasmaot_thread_local_errno`. So each
 * thread sees its own errno, as in a threads build of libc.
 * __errno_location() returns this thread's copy too. Under another runtime
 * the exports mean nothing and errno is the one shared word. */
_Thread_local int __wasmaot_thread_local_errno;

int *__errno_location(void) { return &__wasmaot_thread_local_errno; }

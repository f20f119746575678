/* __errno_location for objects built against a newer wasi-libc (WAMR's own
 * socket library uses it); this wasi-libc only has the `errno` variable.
 * In -pthread builds the pthread library defines it (the thread's own errno,
 * pthread/src/errno_tls.c), so this one is left out there. */
#ifndef __wasm_atomics__
#include <errno.h>

int *__errno_location(void)
{
    return &errno;
}
#endif

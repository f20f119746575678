/* __errno_location for objects built against a newer wasi-libc (WAMR's own
 * socket library uses it); this wasi-libc only has the `errno` variable. */
#include <errno.h>

int *__errno_location(void)
{
    return &errno;
}

/*
 * wasmaot guest SDK: <poll.h> = wasi-libc's header plus the event bits it
 * lacks. libsocket_wasi_ext.a replaces wasi-libc's poll() with one that
 *   - ignores entries whose events are 0 (wasi-libc fails with ENOSYS),
 *   - accepts POLLPRI/POLLRDBAND/POLLWRBAND (never reported),
 *   - reports POLLRDHUP (not POLLHUP) when a readable socket's peer has
 *     shut down writing, so a half-closed socket stays writable (Linux),
 *   - does not put an unbounded array on the stack.
 * wasi-libc's values: POLLIN = POLLRDNORM = 0x1, POLLOUT = POLLWRNORM = 0x2,
 * POLLERR = 0x1000, POLLHUP = 0x2000, POLLNVAL = 0x4000.
 */
#include_next <poll.h>

#ifndef __WASMAOT_POLL_H
#define __WASMAOT_POLL_H

#ifdef __wasi__
#ifndef POLLPRI
#define POLLPRI 0x0010
#endif
#ifndef POLLRDBAND
#define POLLRDBAND 0x0020
#endif
#ifndef POLLWRBAND
#define POLLWRBAND 0x0040
#endif
#ifndef POLLRDHUP
#define POLLRDHUP 0x0080
#endif
#endif /* __wasi__ */

#endif /* __WASMAOT_POLL_H */

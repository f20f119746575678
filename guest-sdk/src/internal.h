/* libsocket_wasi_ext internals: address conversion and small helpers. */
#ifndef WASMAOT_GUEST_INTERNAL_H
#define WASMAOT_GUEST_INTERNAL_H

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <wasi_socket_ext.h>

#define WASMAOT_HIDDEN __attribute__((visibility("hidden")))

/* Sets errno from a WASI errno (same numbering in wasi-libc) and returns -1. */
static inline int wasmaot_fail(__wasi_errno_t err)
{
    errno = (int)err;
    return -1;
}

/* The largest sockaddr we produce. */
union wasmaot_sockaddr {
    struct sockaddr sa;
    struct sockaddr_in in4;
    struct sockaddr_in6 in6;
};

/* sockaddr -> __wasi_addr_t. Returns 0 or a WASI errno. */
WASMAOT_HIDDEN __wasi_errno_t wasmaot_sockaddr_to_wasi(const struct sockaddr *sa, socklen_t len,
                                                       __wasi_addr_t *out);

/* __wasi_addr_t -> sockaddr; returns its length (0 for an unknown kind). */
WASMAOT_HIDDEN socklen_t wasmaot_wasi_to_sockaddr(const __wasi_addr_t *in, union wasmaot_sockaddr *out);

/* Stores a sockaddr into a caller's (addr, *addrlen) pair as POSIX says:
 * copies at most *addrlen bytes, then sets *addrlen to the full length. */
WASMAOT_HIDDEN void wasmaot_copy_out_sockaddr(const union wasmaot_sockaddr *sa, socklen_t salen,
                                              struct sockaddr *addr, socklen_t *addrlen);

/* __wasi_addr_t -> caller's (addr, *addrlen). */
WASMAOT_HIDDEN void wasmaot_store_addr(const __wasi_addr_t *wa, struct sockaddr *addr,
                                       socklen_t *addrlen);

/* Non-blocking connect bookkeeping, used to answer SO_ERROR. */
WASMAOT_HIDDEN void wasmaot_pending_connect_set(int fd, const __wasi_addr_t *addr);
WASMAOT_HIDDEN int wasmaot_pending_connect_get(int fd, __wasi_addr_t *addr);
WASMAOT_HIDDEN void wasmaot_pending_connect_clear(int fd);

/* MSG_DONTWAIT support: turn O_NONBLOCK on for one call.
 * Returns 0 and sets *restore when the flag was changed, or a WASI errno. */
WASMAOT_HIDDEN __wasi_errno_t wasmaot_nonblock_begin(int fd, int *restore);
WASMAOT_HIDDEN void wasmaot_nonblock_end(int fd, int restore);

#endif

/* Address conversion between struct sockaddr and the ABI's __wasi_addr_t,
 * plus small per-fd bookkeeping shared by the other objects. */
#include <stdlib.h>

#include "internal.h"

/* in6_addr bytes (network order) <-> eight host-order u16 groups. */
static void groups_from_in6(const struct in6_addr *a, __wasi_addr_ip6_t *g)
{
    const uint8_t *b = a->s6_addr;
    uint16_t v[8];
    for (int i = 0; i < 8; i++)
        v[i] = (uint16_t)((b[2 * i] << 8) | b[2 * i + 1]);
    g->n0 = v[0]; g->n1 = v[1]; g->n2 = v[2]; g->n3 = v[3];
    g->h0 = v[4]; g->h1 = v[5]; g->h2 = v[6]; g->h3 = v[7];
}

static void in6_from_groups(const __wasi_addr_ip6_t *g, struct in6_addr *a)
{
    const uint16_t v[8] = { g->n0, g->n1, g->n2, g->n3, g->h0, g->h1, g->h2, g->h3 };
    for (int i = 0; i < 8; i++) {
        a->s6_addr[2 * i] = (uint8_t)(v[i] >> 8);
        a->s6_addr[2 * i + 1] = (uint8_t)v[i];
    }
}

__wasi_errno_t wasmaot_sockaddr_to_wasi(const struct sockaddr *sa, socklen_t len, __wasi_addr_t *out)
{
    if (sa == NULL)
        return __WASI_ERRNO_FAULT;
    if (len < (socklen_t)sizeof(sa_family_t))
        return __WASI_ERRNO_INVAL;
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        /* sin_zero-less sockaddr_in: family, port, address = 8 bytes used */
        if (len < (socklen_t)(offsetof(struct sockaddr_in, sin_addr) + sizeof(struct in_addr)))
            return __WASI_ERRNO_INVAL;
        const uint8_t *b = (const uint8_t *)&in->sin_addr.s_addr;
        out->kind = IPv4;
        out->addr.ip4.addr.n0 = b[0];
        out->addr.ip4.addr.n1 = b[1];
        out->addr.ip4.addr.n2 = b[2];
        out->addr.ip4.addr.n3 = b[3];
        out->addr.ip4.port = ntohs(in->sin_port);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        if (len < (socklen_t)(offsetof(struct sockaddr_in6, sin6_addr) + sizeof(struct in6_addr)))
            return __WASI_ERRNO_INVAL;
        out->kind = IPv6;
        groups_from_in6(&in6->sin6_addr, &out->addr.ip6.addr);
        out->addr.ip6.port = ntohs(in6->sin6_port);
        return 0;
    }
    return __WASI_ERRNO_AFNOSUPPORT;
}

socklen_t wasmaot_wasi_to_sockaddr(const __wasi_addr_t *in, union wasmaot_sockaddr *out)
{
    memset(out, 0, sizeof *out);
    if (in->kind == IPv4) {
        uint8_t *b = (uint8_t *)&out->in4.sin_addr.s_addr;
        out->in4.sin_family = AF_INET;
        out->in4.sin_port = htons(in->addr.ip4.port);
        b[0] = in->addr.ip4.addr.n0;
        b[1] = in->addr.ip4.addr.n1;
        b[2] = in->addr.ip4.addr.n2;
        b[3] = in->addr.ip4.addr.n3;
        return sizeof(struct sockaddr_in);
    }
    if (in->kind == IPv6) {
        out->in6.sin6_family = AF_INET6;
        out->in6.sin6_port = htons(in->addr.ip6.port);
        in6_from_groups(&in->addr.ip6.addr, &out->in6.sin6_addr);
        return sizeof(struct sockaddr_in6);
    }
    return 0;
}

void wasmaot_copy_out_sockaddr(const union wasmaot_sockaddr *sa, socklen_t salen,
                               struct sockaddr *addr, socklen_t *addrlen)
{
    if (addr == NULL || addrlen == NULL)
        return;
    socklen_t n = *addrlen < salen ? *addrlen : salen;
    memcpy(addr, sa, n);
    *addrlen = salen;
}

void wasmaot_store_addr(const __wasi_addr_t *wa, struct sockaddr *addr, socklen_t *addrlen)
{
    union wasmaot_sockaddr sa;
    socklen_t len = wasmaot_wasi_to_sockaddr(wa, &sa);
    if (len == 0) {
        /* Unknown kind: report an empty address. */
        sa.sa.sa_family = AF_UNSPEC;
        len = sizeof(sa_family_t);
    }
    wasmaot_copy_out_sockaddr(&sa, len, addr, addrlen);
}

/* ---- pending non-blocking connects (for SO_ERROR) -------------------- */

struct pending {
    int fd;
    __wasi_addr_t addr;
};

static struct pending *pending_tab;
static size_t pending_len, pending_cap;

/* Built for -pthread (libsocket_wasi_ext_pthread.a, with atomics), the
 * table is shared by the guest's threads: a spin lock guards it. */
#ifdef __wasm_atomics__
#include <stdatomic.h>
static atomic_flag pending_lock = ATOMIC_FLAG_INIT;
static void pending_acquire(void)
{
    while (atomic_flag_test_and_set_explicit(&pending_lock, memory_order_acquire))
        ;
}
static void pending_release(void) { atomic_flag_clear_explicit(&pending_lock, memory_order_release); }
#else
static void pending_acquire(void) {}
static void pending_release(void) {}
#endif

void wasmaot_pending_connect_set(int fd, const __wasi_addr_t *addr)
{
    pending_acquire();
    for (size_t i = 0; i < pending_len; i++) {
        if (pending_tab[i].fd == fd) {
            pending_tab[i].addr = *addr;
            pending_release();
            return;
        }
    }
    if (pending_len == pending_cap) {
        size_t cap = pending_cap ? pending_cap * 2 : 8;
        struct pending *t = realloc(pending_tab, cap * sizeof *t);
        if (t == NULL) {
            pending_release();
            return; /* SO_ERROR then reports 0 once connected, as before */
        }
        pending_tab = t;
        pending_cap = cap;
    }
    pending_tab[pending_len].fd = fd;
    pending_tab[pending_len].addr = *addr;
    pending_len++;
    pending_release();
}

int wasmaot_pending_connect_get(int fd, __wasi_addr_t *addr)
{
    int found = 0;
    pending_acquire();
    for (size_t i = 0; i < pending_len; i++) {
        if (pending_tab[i].fd == fd) {
            *addr = pending_tab[i].addr;
            found = 1;
            break;
        }
    }
    pending_release();
    return found;
}

void wasmaot_pending_connect_clear(int fd)
{
    pending_acquire();
    for (size_t i = 0; i < pending_len; i++) {
        if (pending_tab[i].fd == fd) {
            pending_tab[i] = pending_tab[--pending_len];
            break;
        }
    }
    pending_release();
}

/* ---- MSG_DONTWAIT ----------------------------------------------------- */

__wasi_errno_t wasmaot_nonblock_begin(int fd, int *restore)
{
    __wasi_fdstat_t st;
    *restore = 0;
    __wasi_errno_t err = __wasi_fd_fdstat_get((__wasi_fd_t)fd, &st);
    if (err != 0)
        return err;
    if (st.fs_flags & __WASI_FDFLAGS_NONBLOCK)
        return 0;
    err = __wasi_fd_fdstat_set_flags((__wasi_fd_t)fd, st.fs_flags | __WASI_FDFLAGS_NONBLOCK);
    if (err != 0)
        return err;
    *restore = 1;
    return 0;
}

void wasmaot_nonblock_end(int fd, int restore)
{
    if (!restore)
        return;
    __wasi_fdstat_t st;
    if (__wasi_fd_fdstat_get((__wasi_fd_t)fd, &st) == 0)
        (void)__wasi_fd_fdstat_set_flags((__wasi_fd_t)fd,
                                         st.fs_flags & ~__WASI_FDFLAGS_NONBLOCK);
}

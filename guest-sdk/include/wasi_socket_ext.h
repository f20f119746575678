/*
 * wasi_socket_ext.h -- wasmaot guest SDK: the WAMR-compatible socket ABI.
 *
 * Source-compatible with WAMR's header of the same name: a program that does
 *
 *     #include <sys/socket.h>  ... (system headers)
 *     #ifdef __wasi__
 *     #include <wasi_socket_ext.h>
 *     #endif
 *
 * builds unchanged with `wasmaot-cc` (or with `-I guest-sdk/include` and
 * libsocket_wasi_ext.a), and the resulting .wasm imports exactly WAMR's
 * socket functions from module "wasi_snapshot_preview1".
 *
 * This header gives:
 *   - the POSIX socket API (through <sys/socket.h>, <netinet/in.h>,
 *     <arpa/inet.h>, <netdb.h>, <poll.h> of this SDK, which extend the
 *     distribution's wasi-libc);
 *   - the ABI types (__wasi_addr_t and friends) with their layout pinned by
 *     static assertions;
 *   - the raw imports `__imported_wasi_snapshot_preview1_sock_*` and the
 *     `__wasi_sock_*` inline wrappers with WAMR's C signatures.
 *
 * WASI preview 1's own sock_accept, sock_recv, sock_send and sock_shutdown are
 * declared by wasi-libc's <wasi/api.h> (same imports, same signatures); this
 * header only declares sock_accept itself when an old wasi-libc lacks it.
 *
 * Our own code; the ABI facts (names, wasm signatures, layouts, enum values)
 * are WAMR's, see guest-sdk/README.md.
 */
#ifndef _WASI_SOCKET_EXT_H_
#define _WASI_SOCKET_EXT_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __wasi__
#include <wasi/api.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------
 * ABI types (wasm32, little-endian). Layout is the ABI: do not change.
 * ------------------------------------------------------------------- */

typedef enum {
    SOCKET_ANY = -1, /* only in __wasi_addr_info_hints_t.type */
    SOCKET_DGRAM = 0,
    SOCKET_STREAM = 1
} __wasi_sock_type_t;

typedef uint16_t __wasi_ip_port_t; /* host byte order */

typedef enum { IPv4 = 0, IPv6 = 1 } __wasi_addr_type_t;

/* The dotted quad in order: 127.0.0.1 is {127, 0, 0, 1}. */
typedef struct __wasi_addr_ip4_t {
    uint8_t n0;
    uint8_t n1;
    uint8_t n2;
    uint8_t n3;
} __wasi_addr_ip4_t;

typedef struct __wasi_addr_ip4_port_t {
    __wasi_addr_ip4_t addr;
    __wasi_ip_port_t port; /* host byte order */
} __wasi_addr_ip4_port_t;

/* Eight 16-bit groups, each a u16 in host byte order:
 * fe80::1 is {n0 = 0xfe80, 0, 0, 0, 0, 0, 0, h3 = 0x0001}. This is NOT the
 * network-order byte string of struct in6_addr. */
typedef struct __wasi_addr_ip6_t {
    uint16_t n0;
    uint16_t n1;
    uint16_t n2;
    uint16_t n3;
    uint16_t h0;
    uint16_t h1;
    uint16_t h2;
    uint16_t h3;
} __wasi_addr_ip6_t;

typedef struct __wasi_addr_ip6_port_t {
    __wasi_addr_ip6_t addr;
    __wasi_ip_port_t port; /* host byte order */
} __wasi_addr_ip6_port_t;

/* An IP address without port (multicast membership calls). */
typedef struct __wasi_addr_ip_t {
    __wasi_addr_type_t kind;
    union {
        __wasi_addr_ip4_t ip4;
        __wasi_addr_ip6_t ip6;
    } addr;
} __wasi_addr_ip_t;

/* A socket address. No flowinfo, no scope id. */
typedef struct __wasi_addr_t {
    __wasi_addr_type_t kind;
    union {
        __wasi_addr_ip4_port_t ip4;
        __wasi_addr_ip6_port_t ip6;
    } addr;
} __wasi_addr_t;

typedef enum { INET4 = 0, INET6 = 1, INET_UNSPEC = 2 } __wasi_address_family_t;

typedef struct __wasi_addr_info_t {
    __wasi_addr_t addr;
    __wasi_sock_type_t type;
} __wasi_addr_info_t;

typedef struct __wasi_addr_info_hints_t {
    __wasi_sock_type_t type;          /* SOCKET_ANY, SOCKET_DGRAM, SOCKET_STREAM */
    __wasi_address_family_t family;   /* INET4, INET6, INET_UNSPEC */
    uint8_t hints_enabled;            /* 0: ignore type and family */
} __wasi_addr_info_hints_t;

#ifdef __cplusplus
#define __WASMAOT_STATIC_ASSERT(c, m) static_assert(c, m)
#define __WASMAOT_ALIGNOF(t) alignof(t)
#else
#define __WASMAOT_STATIC_ASSERT(c, m) _Static_assert(c, m)
#define __WASMAOT_ALIGNOF(t) _Alignof(t)
#endif

#if defined(__wasm32__)
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_sock_type_t) == 4, "sock_type is i32");
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_addr_type_t) == 4, "addr_type is u32");
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_address_family_t) == 4, "family is i32");
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_addr_ip4_t) == 4 && __WASMAOT_ALIGNOF(__wasi_addr_ip4_t) == 1, "addr_ip4 4/1");
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_addr_ip4_port_t) == 6 && __WASMAOT_ALIGNOF(__wasi_addr_ip4_port_t) == 2, "addr_ip4_port 6/2");
__WASMAOT_STATIC_ASSERT(offsetof(__wasi_addr_ip4_port_t, port) == 4, "ip4 port at 4");
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_addr_ip6_t) == 16 && __WASMAOT_ALIGNOF(__wasi_addr_ip6_t) == 2, "addr_ip6 16/2");
__WASMAOT_STATIC_ASSERT(offsetof(__wasi_addr_ip6_t, h3) == 14, "ip6 h3 at 14");
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_addr_ip6_port_t) == 18 && __WASMAOT_ALIGNOF(__wasi_addr_ip6_port_t) == 2, "addr_ip6_port 18/2");
__WASMAOT_STATIC_ASSERT(offsetof(__wasi_addr_ip6_port_t, port) == 16, "ip6 port at 16");
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_addr_ip_t) == 20 && __WASMAOT_ALIGNOF(__wasi_addr_ip_t) == 4, "addr_ip 20/4");
__WASMAOT_STATIC_ASSERT(offsetof(__wasi_addr_ip_t, addr) == 4, "addr_ip union at 4");
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_addr_t) == 24 && __WASMAOT_ALIGNOF(__wasi_addr_t) == 4, "addr 24/4");
__WASMAOT_STATIC_ASSERT(offsetof(__wasi_addr_t, addr) == 4, "addr union at 4");
__WASMAOT_STATIC_ASSERT(offsetof(__wasi_addr_t, addr.ip4.port) == 8, "v4 port at 8");
__WASMAOT_STATIC_ASSERT(offsetof(__wasi_addr_t, addr.ip6.port) == 20, "v6 port at 20");
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_addr_info_t) == 28 && __WASMAOT_ALIGNOF(__wasi_addr_info_t) == 4, "addr_info 28/4");
__WASMAOT_STATIC_ASSERT(offsetof(__wasi_addr_info_t, type) == 24, "addr_info type at 24");
__WASMAOT_STATIC_ASSERT(sizeof(__wasi_addr_info_hints_t) == 12 && __WASMAOT_ALIGNOF(__wasi_addr_info_hints_t) == 4, "hints 12/4");
__WASMAOT_STATIC_ASSERT(offsetof(__wasi_addr_info_hints_t, family) == 4, "hints family at 4");
__WASMAOT_STATIC_ASSERT(offsetof(__wasi_addr_info_hints_t, hints_enabled) == 8, "hints_enabled at 8");
#endif

#ifdef __wasi__

/* ---------------------------------------------------------------------
 * Raw imports. Every parameter is an i32 (pointers are linear-memory
 * offsets) except the i64 timeouts; every call returns a WASI errno.
 * ------------------------------------------------------------------- */

#define __WASMAOT_SOCK_IMPORT(name)                                         \
    __attribute__((import_module("wasi_snapshot_preview1"),                 \
                   import_name(#name)))

/* Old wasi-libc (before wasi-sdk 15) has no sock_accept. */
#ifndef __WASI_RIGHTS_SOCK_ACCEPT
int32_t __imported_wasi_snapshot_preview1_sock_accept(int32_t fd, int32_t flags, int32_t fd_out)
    __WASMAOT_SOCK_IMPORT(sock_accept);
static inline __wasi_errno_t
__wasi_sock_accept(__wasi_fd_t fd, __wasi_fdflags_t flags, __wasi_fd_t *fd_new)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_accept(
        (int32_t)fd, (int32_t)flags, (int32_t)(intptr_t)fd_new);
}
#endif

/* (iii*)i */
int32_t __imported_wasi_snapshot_preview1_sock_open(int32_t poolfd, int32_t af, int32_t socktype, int32_t fd_out)
    __WASMAOT_SOCK_IMPORT(sock_open);
/* (i*)i */
int32_t __imported_wasi_snapshot_preview1_sock_bind(int32_t fd, int32_t addr)
    __WASMAOT_SOCK_IMPORT(sock_bind);
/* (i*)i */
int32_t __imported_wasi_snapshot_preview1_sock_connect(int32_t fd, int32_t addr)
    __WASMAOT_SOCK_IMPORT(sock_connect);
/* (ii)i */
int32_t __imported_wasi_snapshot_preview1_sock_listen(int32_t fd, int32_t backlog)
    __WASMAOT_SOCK_IMPORT(sock_listen);
/* (i*ii**)i: fd, iovs, iovs_len, riflags, src_addr_out, ro_datalen_out */
int32_t __imported_wasi_snapshot_preview1_sock_recv_from(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t riflags, int32_t src_addr, int32_t ro_datalen)
    __WASMAOT_SOCK_IMPORT(sock_recv_from);
/* (i*ii**)i: fd, ciovs, ciovs_len, siflags, dest_addr, so_datalen_out */
int32_t __imported_wasi_snapshot_preview1_sock_send_to(int32_t fd, int32_t ciovs, int32_t ciovs_len, int32_t siflags, int32_t dest_addr, int32_t so_datalen)
    __WASMAOT_SOCK_IMPORT(sock_send_to);
/* (i)i -- WAMR always answers ENOSYS; use close()/fd_close */
int32_t __imported_wasi_snapshot_preview1_sock_close(int32_t fd)
    __WASMAOT_SOCK_IMPORT(sock_close);
/* (i*)i */
int32_t __imported_wasi_snapshot_preview1_sock_addr_local(int32_t fd, int32_t addr_out)
    __WASMAOT_SOCK_IMPORT(sock_addr_local);
/* (i*)i */
int32_t __imported_wasi_snapshot_preview1_sock_addr_remote(int32_t fd, int32_t addr_out)
    __WASMAOT_SOCK_IMPORT(sock_addr_remote);
/* ($$**i*)i: host, service, hints, info_out, info_count, max_info_out */
int32_t __imported_wasi_snapshot_preview1_sock_addr_resolve(int32_t host, int32_t service, int32_t hints, int32_t addr_info, int32_t addr_info_size, int32_t max_info_size)
    __WASMAOT_SOCK_IMPORT(sock_addr_resolve);

/* Options. Getters: (i*)i, setters: (ii)i, except where noted. */
int32_t __imported_wasi_snapshot_preview1_sock_get_recv_buf_size(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_recv_buf_size);
int32_t __imported_wasi_snapshot_preview1_sock_set_recv_buf_size(int32_t fd, int32_t size) __WASMAOT_SOCK_IMPORT(sock_set_recv_buf_size);
int32_t __imported_wasi_snapshot_preview1_sock_get_send_buf_size(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_send_buf_size);
int32_t __imported_wasi_snapshot_preview1_sock_set_send_buf_size(int32_t fd, int32_t size) __WASMAOT_SOCK_IMPORT(sock_set_send_buf_size);
int32_t __imported_wasi_snapshot_preview1_sock_get_recv_timeout(int32_t fd, int32_t out_us) __WASMAOT_SOCK_IMPORT(sock_get_recv_timeout);
/* (iI)i */
int32_t __imported_wasi_snapshot_preview1_sock_set_recv_timeout(int32_t fd, int64_t us) __WASMAOT_SOCK_IMPORT(sock_set_recv_timeout);
int32_t __imported_wasi_snapshot_preview1_sock_get_send_timeout(int32_t fd, int32_t out_us) __WASMAOT_SOCK_IMPORT(sock_get_send_timeout);
/* (iI)i */
int32_t __imported_wasi_snapshot_preview1_sock_set_send_timeout(int32_t fd, int64_t us) __WASMAOT_SOCK_IMPORT(sock_set_send_timeout);
int32_t __imported_wasi_snapshot_preview1_sock_get_reuse_addr(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_reuse_addr);
int32_t __imported_wasi_snapshot_preview1_sock_set_reuse_addr(int32_t fd, int32_t on) __WASMAOT_SOCK_IMPORT(sock_set_reuse_addr);
int32_t __imported_wasi_snapshot_preview1_sock_get_reuse_port(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_reuse_port);
int32_t __imported_wasi_snapshot_preview1_sock_set_reuse_port(int32_t fd, int32_t on) __WASMAOT_SOCK_IMPORT(sock_set_reuse_port);
int32_t __imported_wasi_snapshot_preview1_sock_get_keep_alive(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_keep_alive);
int32_t __imported_wasi_snapshot_preview1_sock_set_keep_alive(int32_t fd, int32_t on) __WASMAOT_SOCK_IMPORT(sock_set_keep_alive);
int32_t __imported_wasi_snapshot_preview1_sock_get_broadcast(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_broadcast);
int32_t __imported_wasi_snapshot_preview1_sock_set_broadcast(int32_t fd, int32_t on) __WASMAOT_SOCK_IMPORT(sock_set_broadcast);
/* (i**)i: fd, bool* on, i32* seconds */
int32_t __imported_wasi_snapshot_preview1_sock_get_linger(int32_t fd, int32_t on_out, int32_t secs_out) __WASMAOT_SOCK_IMPORT(sock_get_linger);
/* (iii)i */
int32_t __imported_wasi_snapshot_preview1_sock_set_linger(int32_t fd, int32_t on, int32_t secs) __WASMAOT_SOCK_IMPORT(sock_set_linger);
int32_t __imported_wasi_snapshot_preview1_sock_get_tcp_no_delay(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_tcp_no_delay);
int32_t __imported_wasi_snapshot_preview1_sock_set_tcp_no_delay(int32_t fd, int32_t on) __WASMAOT_SOCK_IMPORT(sock_set_tcp_no_delay);
int32_t __imported_wasi_snapshot_preview1_sock_get_tcp_quick_ack(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_tcp_quick_ack);
int32_t __imported_wasi_snapshot_preview1_sock_set_tcp_quick_ack(int32_t fd, int32_t on) __WASMAOT_SOCK_IMPORT(sock_set_tcp_quick_ack);
int32_t __imported_wasi_snapshot_preview1_sock_get_tcp_keep_idle(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_tcp_keep_idle);
int32_t __imported_wasi_snapshot_preview1_sock_set_tcp_keep_idle(int32_t fd, int32_t secs) __WASMAOT_SOCK_IMPORT(sock_set_tcp_keep_idle);
int32_t __imported_wasi_snapshot_preview1_sock_get_tcp_keep_intvl(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_tcp_keep_intvl);
int32_t __imported_wasi_snapshot_preview1_sock_set_tcp_keep_intvl(int32_t fd, int32_t secs) __WASMAOT_SOCK_IMPORT(sock_set_tcp_keep_intvl);
int32_t __imported_wasi_snapshot_preview1_sock_get_tcp_fastopen_connect(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_tcp_fastopen_connect);
int32_t __imported_wasi_snapshot_preview1_sock_set_tcp_fastopen_connect(int32_t fd, int32_t on) __WASMAOT_SOCK_IMPORT(sock_set_tcp_fastopen_connect);
/* (ii*)i: fd, ipv6, bool* out */
int32_t __imported_wasi_snapshot_preview1_sock_get_ip_multicast_loop(int32_t fd, int32_t ipv6, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_ip_multicast_loop);
/* (iii)i: fd, ipv6, on */
int32_t __imported_wasi_snapshot_preview1_sock_set_ip_multicast_loop(int32_t fd, int32_t ipv6, int32_t on) __WASMAOT_SOCK_IMPORT(sock_set_ip_multicast_loop);
/* (i*i)i: fd, __wasi_addr_ip_t*, interface */
int32_t __imported_wasi_snapshot_preview1_sock_set_ip_add_membership(int32_t fd, int32_t group, int32_t iface) __WASMAOT_SOCK_IMPORT(sock_set_ip_add_membership);
int32_t __imported_wasi_snapshot_preview1_sock_set_ip_drop_membership(int32_t fd, int32_t group, int32_t iface) __WASMAOT_SOCK_IMPORT(sock_set_ip_drop_membership);
int32_t __imported_wasi_snapshot_preview1_sock_get_ip_ttl(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_ip_ttl);
int32_t __imported_wasi_snapshot_preview1_sock_set_ip_ttl(int32_t fd, int32_t ttl) __WASMAOT_SOCK_IMPORT(sock_set_ip_ttl);
int32_t __imported_wasi_snapshot_preview1_sock_get_ip_multicast_ttl(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_ip_multicast_ttl);
int32_t __imported_wasi_snapshot_preview1_sock_set_ip_multicast_ttl(int32_t fd, int32_t ttl) __WASMAOT_SOCK_IMPORT(sock_set_ip_multicast_ttl);
int32_t __imported_wasi_snapshot_preview1_sock_get_ipv6_only(int32_t fd, int32_t out) __WASMAOT_SOCK_IMPORT(sock_get_ipv6_only);
int32_t __imported_wasi_snapshot_preview1_sock_set_ipv6_only(int32_t fd, int32_t on) __WASMAOT_SOCK_IMPORT(sock_set_ipv6_only);

/* ---------------------------------------------------------------------
 * __wasi_sock_* wrappers, with WAMR's C signatures.
 * ------------------------------------------------------------------- */

#define __WASMAOT_P(p) ((int32_t)(intptr_t)(p))

static inline __wasi_errno_t
__wasi_sock_open(__wasi_fd_t poolfd, __wasi_address_family_t af,
                 __wasi_sock_type_t socktype, __wasi_fd_t *sockfd)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_open(
        (int32_t)poolfd, (int32_t)af, (int32_t)socktype, __WASMAOT_P(sockfd));
}

static inline __wasi_errno_t
__wasi_sock_bind(__wasi_fd_t fd, __wasi_addr_t *addr)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_bind(
        (int32_t)fd, __WASMAOT_P(addr));
}

static inline __wasi_errno_t
__wasi_sock_connect(__wasi_fd_t fd, __wasi_addr_t *addr)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_connect(
        (int32_t)fd, __WASMAOT_P(addr));
}

static inline __wasi_errno_t
__wasi_sock_listen(__wasi_fd_t fd, __wasi_size_t backlog)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_listen(
        (int32_t)fd, (int32_t)backlog);
}

/* WAMR declares the buffers as __wasi_ciovec_t; kept for source compatibility. */
static inline __wasi_errno_t
__wasi_sock_recv_from(__wasi_fd_t fd, __wasi_ciovec_t *ri_data,
                      uint32_t ri_data_len, __wasi_riflags_t ri_flags,
                      __wasi_addr_t *src_addr, uint32_t *ro_data_len)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_recv_from(
        (int32_t)fd, __WASMAOT_P(ri_data), (int32_t)ri_data_len,
        (int32_t)ri_flags, __WASMAOT_P(src_addr), __WASMAOT_P(ro_data_len));
}

static inline __wasi_errno_t
__wasi_sock_send_to(__wasi_fd_t fd, const __wasi_ciovec_t *si_data,
                    uint32_t si_data_len, __wasi_siflags_t si_flags,
                    const __wasi_addr_t *dest_addr, uint32_t *so_data_len)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_send_to(
        (int32_t)fd, __WASMAOT_P(si_data), (int32_t)si_data_len,
        (int32_t)si_flags, __WASMAOT_P(dest_addr), __WASMAOT_P(so_data_len));
}

static inline __wasi_errno_t
__wasi_sock_close(__wasi_fd_t fd)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_close((int32_t)fd);
}

static inline __wasi_errno_t
__wasi_sock_addr_local(__wasi_fd_t fd, __wasi_addr_t *addr)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_addr_local(
        (int32_t)fd, __WASMAOT_P(addr));
}

static inline __wasi_errno_t
__wasi_sock_addr_remote(__wasi_fd_t fd, __wasi_addr_t *addr)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_addr_remote(
        (int32_t)fd, __WASMAOT_P(addr));
}

/* addr_info_size counts entries, not bytes. *max_info_size receives the
 * number of results available; call again with a bigger array if it is
 * larger than addr_info_size. */
static inline __wasi_errno_t
__wasi_sock_addr_resolve(const char *host, const char *service,
                         __wasi_addr_info_hints_t *hints,
                         __wasi_addr_info_t *addr_info,
                         __wasi_size_t addr_info_size,
                         __wasi_size_t *max_info_size)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_addr_resolve(
        __WASMAOT_P(host), __WASMAOT_P(service), __WASMAOT_P(hints),
        __WASMAOT_P(addr_info), (int32_t)addr_info_size,
        __WASMAOT_P(max_info_size));
}

/* Options. Note: on WAMR the buffer-size getters store 8 bytes on 64-bit
 * hosts and the bool/TTL getters store 1 byte; libsocket_wasi_ext copes. */
#define __WASMAOT_GETSET(name, gtype, stype)                                    \
    static inline __wasi_errno_t __wasi_sock_get_##name(__wasi_fd_t fd, gtype *v) \
    {                                                                           \
        return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_get_##name( \
            (int32_t)fd, __WASMAOT_P(v));                                       \
    }                                                                           \
    static inline __wasi_errno_t __wasi_sock_set_##name(__wasi_fd_t fd, stype v) \
    {                                                                           \
        return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_set_##name( \
            (int32_t)fd, (int32_t)v);                                           \
    }

__WASMAOT_GETSET(recv_buf_size, __wasi_size_t, __wasi_size_t)
__WASMAOT_GETSET(send_buf_size, __wasi_size_t, __wasi_size_t)
__WASMAOT_GETSET(reuse_addr, bool, bool)
__WASMAOT_GETSET(reuse_port, bool, bool)
__WASMAOT_GETSET(keep_alive, bool, bool)
__WASMAOT_GETSET(broadcast, bool, bool)
__WASMAOT_GETSET(tcp_no_delay, bool, bool)
__WASMAOT_GETSET(tcp_quick_ack, bool, bool)
__WASMAOT_GETSET(tcp_fastopen_connect, bool, bool)
__WASMAOT_GETSET(tcp_keep_idle, uint32_t, uint32_t)
__WASMAOT_GETSET(tcp_keep_intvl, uint32_t, uint32_t)
__WASMAOT_GETSET(ip_ttl, uint8_t, uint8_t)
__WASMAOT_GETSET(ip_multicast_ttl, uint8_t, uint8_t)
__WASMAOT_GETSET(ipv6_only, bool, bool)
#undef __WASMAOT_GETSET

static inline __wasi_errno_t
__wasi_sock_get_recv_timeout(__wasi_fd_t fd, uint64_t *timeout_us)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_get_recv_timeout(
        (int32_t)fd, __WASMAOT_P(timeout_us));
}

static inline __wasi_errno_t
__wasi_sock_set_recv_timeout(__wasi_fd_t fd, uint64_t timeout_us)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_set_recv_timeout(
        (int32_t)fd, (int64_t)timeout_us);
}

static inline __wasi_errno_t
__wasi_sock_get_send_timeout(__wasi_fd_t fd, uint64_t *timeout_us)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_get_send_timeout(
        (int32_t)fd, __WASMAOT_P(timeout_us));
}

static inline __wasi_errno_t
__wasi_sock_set_send_timeout(__wasi_fd_t fd, uint64_t timeout_us)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_set_send_timeout(
        (int32_t)fd, (int64_t)timeout_us);
}

static inline __wasi_errno_t
__wasi_sock_get_linger(__wasi_fd_t fd, bool *is_enabled, int *linger_s)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_get_linger(
        (int32_t)fd, __WASMAOT_P(is_enabled), __WASMAOT_P(linger_s));
}

static inline __wasi_errno_t
__wasi_sock_set_linger(__wasi_fd_t fd, bool is_enabled, int linger_s)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_set_linger(
        (int32_t)fd, (int32_t)is_enabled, (int32_t)linger_s);
}

static inline __wasi_errno_t
__wasi_sock_get_ip_multicast_loop(__wasi_fd_t fd, bool ipv6, bool *option)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_get_ip_multicast_loop(
        (int32_t)fd, (int32_t)ipv6, __WASMAOT_P(option));
}

static inline __wasi_errno_t
__wasi_sock_set_ip_multicast_loop(__wasi_fd_t fd, bool ipv6, bool option)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_set_ip_multicast_loop(
        (int32_t)fd, (int32_t)ipv6, (int32_t)option);
}

/* imr_interface: IPv4 -> in_addr.s_addr as stored (network order);
 * IPv6 -> interface index. */
static inline __wasi_errno_t
__wasi_sock_set_ip_add_membership(__wasi_fd_t fd, __wasi_addr_ip_t *imr_multiaddr,
                                  uint32_t imr_interface)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_set_ip_add_membership(
        (int32_t)fd, __WASMAOT_P(imr_multiaddr), (int32_t)imr_interface);
}

static inline __wasi_errno_t
__wasi_sock_set_ip_drop_membership(__wasi_fd_t fd, __wasi_addr_ip_t *imr_multiaddr,
                                   uint32_t imr_interface)
{
    return (__wasi_errno_t)__imported_wasi_snapshot_preview1_sock_set_ip_drop_membership(
        (int32_t)fd, __WASMAOT_P(imr_multiaddr), (int32_t)imr_interface);
}

#undef __WASMAOT_P

#endif /* __wasi__ */

#ifdef __cplusplus
}
#endif

#endif /* _WASI_SOCKET_EXT_H_ */

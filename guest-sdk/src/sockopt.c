/* getsockopt / setsockopt over the sock_get_* / sock_set_* imports.
 *
 * Every getter reads into a zeroed 8-byte buffer and takes only the bytes
 * the ABI documents: WAMR stores 1 byte for bools and TTLs and 8 bytes for
 * buffer sizes on 64-bit hosts, so neither an uninitialised int nor a short
 * optval is ever exposed to that. */
#include <sys/time.h>
#include <netinet/tcp.h>

#include "internal.h"

typedef union {
    uint64_t u64;
    uint32_t u32;
    uint8_t u8;
    bool b;
} outbuf;

/* POSIX: truncate silently if *optlen is short, else report the size. */
static int put_opt(void *optval, socklen_t *optlen, const void *val, socklen_t size)
{
    if (optval == NULL || optlen == NULL)
        return wasmaot_fail(__WASI_ERRNO_FAULT);
    socklen_t n = *optlen < size ? *optlen : size;
    memcpy(optval, val, n);
    *optlen = n;
    return 0;
}

static int put_int(void *optval, socklen_t *optlen, int v)
{
    return put_opt(optval, optlen, &v, sizeof v);
}

/* IP_TTL-like options: a 1-byte optval gets the value as an unsigned char. */
static int put_int_or_byte(void *optval, socklen_t *optlen, int v)
{
    if (optlen != NULL && *optlen > 0 && *optlen < (socklen_t)sizeof(int)) {
        unsigned char c = (unsigned char)v;
        return put_opt(optval, optlen, &c, 1);
    }
    return put_int(optval, optlen, v);
}

/* Reads an int option value; byte_ok also accepts a 1-byte optval. */
static __wasi_errno_t get_int(const void *optval, socklen_t optlen, int byte_ok, int *v)
{
    if (optval == NULL)
        return __WASI_ERRNO_FAULT;
    if (optlen >= (socklen_t)sizeof(int)) {
        memcpy(v, optval, sizeof(int));
        return 0;
    }
    if (byte_ok && optlen >= 1) {
        *v = *(const unsigned char *)optval;
        return 0;
    }
    return __WASI_ERRNO_INVAL;
}

static __wasi_errno_t socket_type(int fd, __wasi_filetype_t *ft)
{
    __wasi_fdstat_t st;
    __wasi_errno_t err = __wasi_fd_fdstat_get((__wasi_fd_t)fd, &st);
    if (err != 0)
        return err;
    if (st.fs_filetype != __WASI_FILETYPE_SOCKET_STREAM &&
        st.fs_filetype != __WASI_FILETYPE_SOCKET_DGRAM)
        return __WASI_ERRNO_NOTSOCK;
    *ft = st.fs_filetype;
    return 0;
}

/* SO_ERROR. The ABI has no call for it; the outcome of a non-blocking
 * connect is learnt the portable way: if the socket has a peer it is
 * connected, otherwise a second connect to the same address returns the
 * pending error (or EALREADY while still in progress, EISCONN once done). */
static __wasi_errno_t so_error(int fd, int *out)
{
    __wasi_addr_t target, peer;
    *out = 0;
    if (!wasmaot_pending_connect_get(fd, &target))
        return 0;
    if (__wasi_sock_addr_remote((__wasi_fd_t)fd, &peer) == 0) {
        wasmaot_pending_connect_clear(fd);
        return 0;
    }
    __wasi_errno_t err = __wasi_sock_connect((__wasi_fd_t)fd, &target);
    switch (err) {
    case 0:
    case __WASI_ERRNO_ISCONN:
        wasmaot_pending_connect_clear(fd);
        break;
    case __WASI_ERRNO_ALREADY:
    case __WASI_ERRNO_INPROGRESS:
        break; /* still connecting: no error yet */
    default:
        wasmaot_pending_connect_clear(fd);
        *out = (int)err;
        break;
    }
    return 0;
}

static int getsockopt_socket(int fd, int name, void *optval, socklen_t *optlen)
{
    outbuf o = { 0 };
    __wasi_errno_t err;
    __wasi_fd_t wfd = (__wasi_fd_t)fd;

    switch (name) {
    case SO_TYPE:
    case SO_PROTOCOL: {
        __wasi_filetype_t ft;
        if ((err = socket_type(fd, &ft)) != 0)
            return wasmaot_fail(err);
        int stream = ft == __WASI_FILETYPE_SOCKET_STREAM;
        if (name == SO_TYPE)
            return put_int(optval, optlen, stream ? SOCK_STREAM : SOCK_DGRAM);
        return put_int(optval, optlen, stream ? IPPROTO_TCP : IPPROTO_UDP);
    }
    case SO_DOMAIN: {
        __wasi_addr_t a;
        if ((err = __wasi_sock_addr_local(wfd, &a)) != 0)
            return wasmaot_fail(err);
        return put_int(optval, optlen, a.kind == IPv6 ? AF_INET6 : AF_INET);
    }
    case SO_ERROR: {
        int e;
        if ((err = so_error(fd, &e)) != 0)
            return wasmaot_fail(err);
        return put_int(optval, optlen, e);
    }
    case SO_RCVBUF:
    case SO_SNDBUF:
        err = name == SO_RCVBUF ? __wasi_sock_get_recv_buf_size(wfd, (__wasi_size_t *)&o)
                                : __wasi_sock_get_send_buf_size(wfd, (__wasi_size_t *)&o);
        if (err != 0)
            return wasmaot_fail(err);
        return put_int(optval, optlen, (int)o.u32);
    case SO_KEEPALIVE:
    case SO_REUSEADDR:
    case SO_REUSEPORT:
    case SO_BROADCAST:
        switch (name) {
        case SO_KEEPALIVE: err = __wasi_sock_get_keep_alive(wfd, &o.b); break;
        case SO_REUSEADDR: err = __wasi_sock_get_reuse_addr(wfd, &o.b); break;
        case SO_REUSEPORT: err = __wasi_sock_get_reuse_port(wfd, &o.b); break;
        default: err = __wasi_sock_get_broadcast(wfd, &o.b); break;
        }
        if (err != 0)
            return wasmaot_fail(err);
        return put_int(optval, optlen, o.u8 != 0);
    case SO_LINGER: {
        int secs = 0;
        if ((err = __wasi_sock_get_linger(wfd, &o.b, &secs)) != 0)
            return wasmaot_fail(err);
        struct linger l = { o.u8 != 0, secs };
        return put_opt(optval, optlen, &l, sizeof l);
    }
    case SO_RCVTIMEO:
    case SO_SNDTIMEO: {
        err = name == SO_RCVTIMEO ? __wasi_sock_get_recv_timeout(wfd, &o.u64)
                                  : __wasi_sock_get_send_timeout(wfd, &o.u64);
        if (err != 0)
            return wasmaot_fail(err);
        struct timeval tv;
        tv.tv_sec = (time_t)(o.u64 / 1000000u);
        tv.tv_usec = (suseconds_t)(o.u64 % 1000000u);
        return put_opt(optval, optlen, &tv, sizeof tv);
    }
    default:
        return wasmaot_fail(__WASI_ERRNO_NOPROTOOPT);
    }
}

static int getsockopt_tcp(int fd, int name, void *optval, socklen_t *optlen)
{
    outbuf o = { 0 };
    __wasi_errno_t err;
    __wasi_fd_t wfd = (__wasi_fd_t)fd;
    switch (name) {
    case TCP_NODELAY: err = __wasi_sock_get_tcp_no_delay(wfd, &o.b); break;
    case TCP_QUICKACK: err = __wasi_sock_get_tcp_quick_ack(wfd, &o.b); break;
    case TCP_FASTOPEN_CONNECT: err = __wasi_sock_get_tcp_fastopen_connect(wfd, &o.b); break;
    case TCP_KEEPIDLE:
    case TCP_KEEPINTVL:
        err = name == TCP_KEEPIDLE ? __wasi_sock_get_tcp_keep_idle(wfd, &o.u32)
                                   : __wasi_sock_get_tcp_keep_intvl(wfd, &o.u32);
        if (err != 0)
            return wasmaot_fail(err);
        return put_int(optval, optlen, (int)o.u32);
    default:
        return wasmaot_fail(__WASI_ERRNO_NOPROTOOPT);
    }
    if (err != 0)
        return wasmaot_fail(err);
    return put_int(optval, optlen, o.u8 != 0);
}

static int getsockopt_ip(int fd, int name, void *optval, socklen_t *optlen)
{
    outbuf o = { 0 };
    __wasi_errno_t err;
    __wasi_fd_t wfd = (__wasi_fd_t)fd;
    switch (name) {
    case IP_TTL: err = __wasi_sock_get_ip_ttl(wfd, &o.u8); break;
    case IP_MULTICAST_TTL: err = __wasi_sock_get_ip_multicast_ttl(wfd, &o.u8); break;
    case IP_MULTICAST_LOOP:
        err = __wasi_sock_get_ip_multicast_loop(wfd, false, &o.b);
        if (err != 0)
            return wasmaot_fail(err);
        return put_int_or_byte(optval, optlen, o.u8 != 0);
    default:
        return wasmaot_fail(__WASI_ERRNO_NOPROTOOPT);
    }
    if (err != 0)
        return wasmaot_fail(err);
    return put_int_or_byte(optval, optlen, o.u8);
}

static int getsockopt_ipv6(int fd, int name, void *optval, socklen_t *optlen)
{
    outbuf o = { 0 };
    __wasi_errno_t err;
    __wasi_fd_t wfd = (__wasi_fd_t)fd;
    switch (name) {
    case IPV6_V6ONLY: err = __wasi_sock_get_ipv6_only(wfd, &o.b); break;
    case IPV6_MULTICAST_LOOP: err = __wasi_sock_get_ip_multicast_loop(wfd, true, &o.b); break;
    default:
        return wasmaot_fail(__WASI_ERRNO_NOPROTOOPT);
    }
    if (err != 0)
        return wasmaot_fail(err);
    return put_int(optval, optlen, o.u8 != 0);
}

int getsockopt(int sockfd, int level, int optname, void *__restrict optval,
               socklen_t *__restrict optlen)
{
    if (optval == NULL || optlen == NULL)
        return wasmaot_fail(__WASI_ERRNO_FAULT);
    switch (level) {
    case SOL_SOCKET: return getsockopt_socket(sockfd, optname, optval, optlen);
    case IPPROTO_TCP: return getsockopt_tcp(sockfd, optname, optval, optlen);
    case IPPROTO_IP: return getsockopt_ip(sockfd, optname, optval, optlen);
    case IPPROTO_IPV6: return getsockopt_ipv6(sockfd, optname, optval, optlen);
    default: return wasmaot_fail(__WASI_ERRNO_NOPROTOOPT);
    }
}

/* ---------------------------------------------------------------------- */

static __wasi_errno_t set_timeout(int fd, int name, const void *optval, socklen_t optlen)
{
    struct timeval tv;
    if (optval == NULL)
        return __WASI_ERRNO_FAULT;
    if (optlen < (socklen_t)sizeof tv)
        return __WASI_ERRNO_INVAL;
    memcpy(&tv, optval, sizeof tv);
    if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
        return __WASI_ERRNO_DOM;
    uint64_t us = 0;
    if (tv.tv_sec > 0) {
        if ((uint64_t)tv.tv_sec > UINT64_MAX / 2000000u)
            us = UINT64_MAX / 2; /* effectively forever */
        else
            us = (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
    } else if (tv.tv_sec == 0) {
        us = (uint64_t)tv.tv_usec;
    } /* negative: no timeout, as Linux */
    return name == SO_RCVTIMEO ? __wasi_sock_set_recv_timeout((__wasi_fd_t)fd, us)
                               : __wasi_sock_set_send_timeout((__wasi_fd_t)fd, us);
}

static __wasi_errno_t setsockopt_socket(int fd, int name, const void *optval, socklen_t optlen)
{
    __wasi_fd_t wfd = (__wasi_fd_t)fd;
    __wasi_errno_t err;
    int v;
    switch (name) {
    case SO_RCVTIMEO:
    case SO_SNDTIMEO:
        return set_timeout(fd, name, optval, optlen);
    case SO_LINGER: {
        struct linger l;
        if (optval == NULL)
            return __WASI_ERRNO_FAULT;
        if (optlen < (socklen_t)sizeof l)
            return __WASI_ERRNO_INVAL;
        memcpy(&l, optval, sizeof l);
        return __wasi_sock_set_linger(wfd, l.l_onoff != 0, l.l_linger < 0 ? 0 : l.l_linger);
    }
    case SO_RCVBUF:
    case SO_SNDBUF:
    case SO_KEEPALIVE:
    case SO_REUSEADDR:
    case SO_REUSEPORT:
    case SO_BROADCAST:
        if ((err = get_int(optval, optlen, 0, &v)) != 0)
            return err;
        switch (name) {
        case SO_RCVBUF:
        case SO_SNDBUF:
            if (v < 0)
                return __WASI_ERRNO_INVAL;
            return name == SO_RCVBUF ? __wasi_sock_set_recv_buf_size(wfd, (__wasi_size_t)v)
                                     : __wasi_sock_set_send_buf_size(wfd, (__wasi_size_t)v);
        case SO_KEEPALIVE: return __wasi_sock_set_keep_alive(wfd, v != 0);
        case SO_REUSEADDR: return __wasi_sock_set_reuse_addr(wfd, v != 0);
        case SO_REUSEPORT: return __wasi_sock_set_reuse_port(wfd, v != 0);
        default: return __wasi_sock_set_broadcast(wfd, v != 0);
        }
    default:
        /* includes the read-only SO_TYPE, SO_ERROR, SO_DOMAIN, SO_PROTOCOL */
        return __WASI_ERRNO_NOPROTOOPT;
    }
}

static __wasi_errno_t setsockopt_tcp(int fd, int name, const void *optval, socklen_t optlen)
{
    __wasi_fd_t wfd = (__wasi_fd_t)fd;
    __wasi_errno_t err;
    int v;
    switch (name) {
    case TCP_NODELAY:
    case TCP_QUICKACK:
    case TCP_FASTOPEN_CONNECT:
    case TCP_KEEPIDLE:
    case TCP_KEEPINTVL:
        break;
    default:
        return __WASI_ERRNO_NOPROTOOPT;
    }
    if ((err = get_int(optval, optlen, 0, &v)) != 0)
        return err;
    switch (name) {
    case TCP_NODELAY: return __wasi_sock_set_tcp_no_delay(wfd, v != 0);
    case TCP_QUICKACK: return __wasi_sock_set_tcp_quick_ack(wfd, v != 0);
    case TCP_FASTOPEN_CONNECT: return __wasi_sock_set_tcp_fastopen_connect(wfd, v != 0);
    default:
        if (v < 1)
            return __WASI_ERRNO_INVAL;
        return name == TCP_KEEPIDLE ? __wasi_sock_set_tcp_keep_idle(wfd, (uint32_t)v)
                                    : __wasi_sock_set_tcp_keep_intvl(wfd, (uint32_t)v);
    }
}

static __wasi_errno_t setsockopt_ip(int fd, int name, const void *optval, socklen_t optlen)
{
    __wasi_fd_t wfd = (__wasi_fd_t)fd;
    __wasi_errno_t err;
    int v;
    switch (name) {
    case IP_TTL:
        if ((err = get_int(optval, optlen, 1, &v)) != 0)
            return err;
        if (v == -1)
            v = 64; /* "default", as Linux */
        if (v < 1 || v > 255)
            return __WASI_ERRNO_INVAL;
        return __wasi_sock_set_ip_ttl(wfd, (uint8_t)v);
    case IP_MULTICAST_TTL:
        if ((err = get_int(optval, optlen, 1, &v)) != 0)
            return err;
        if (v == -1)
            v = 1;
        if (v < 0 || v > 255)
            return __WASI_ERRNO_INVAL;
        return __wasi_sock_set_ip_multicast_ttl(wfd, (uint8_t)v);
    case IP_MULTICAST_LOOP:
        if ((err = get_int(optval, optlen, 1, &v)) != 0)
            return err;
        return __wasi_sock_set_ip_multicast_loop(wfd, false, v != 0);
    case IP_ADD_MEMBERSHIP:
    case IP_DROP_MEMBERSHIP: {
        struct ip_mreq mr;
        uint32_t iface;
        if (optval == NULL)
            return __WASI_ERRNO_FAULT;
        if (optlen < (socklen_t)sizeof mr)
            return __WASI_ERRNO_INVAL;
        memcpy(&mr, optval, sizeof mr);
        /* struct ip_mreqn has imr_address at the same offset as
         * imr_interface; its ifindex cannot be expressed in this ABI. */
        iface = mr.imr_interface.s_addr; /* network order, as stored */
        __wasi_addr_ip_t group;
        memset(&group, 0, sizeof group);
        group.kind = IPv4;
        memcpy(&group.addr.ip4, &mr.imr_multiaddr.s_addr, 4);
        return name == IP_ADD_MEMBERSHIP ? __wasi_sock_set_ip_add_membership(wfd, &group, iface)
                                         : __wasi_sock_set_ip_drop_membership(wfd, &group, iface);
    }
    default:
        return __WASI_ERRNO_NOPROTOOPT;
    }
}

static __wasi_errno_t setsockopt_ipv6(int fd, int name, const void *optval, socklen_t optlen)
{
    __wasi_fd_t wfd = (__wasi_fd_t)fd;
    __wasi_errno_t err;
    int v;
    switch (name) {
    case IPV6_V6ONLY:
        if ((err = get_int(optval, optlen, 0, &v)) != 0)
            return err;
        return __wasi_sock_set_ipv6_only(wfd, v != 0);
    case IPV6_MULTICAST_LOOP:
        if ((err = get_int(optval, optlen, 0, &v)) != 0)
            return err;
        if (v != 0 && v != 1)
            return __WASI_ERRNO_INVAL;
        return __wasi_sock_set_ip_multicast_loop(wfd, true, v != 0);
    case IPV6_JOIN_GROUP:
    case IPV6_LEAVE_GROUP: {
        struct ipv6_mreq mr;
        if (optval == NULL)
            return __WASI_ERRNO_FAULT;
        if (optlen < (socklen_t)sizeof mr)
            return __WASI_ERRNO_INVAL;
        memcpy(&mr, optval, sizeof mr);
        /* Reuse the sockaddr conversion for the group bytes. */
        struct sockaddr_in6 sa;
        __wasi_addr_t wa;
        memset(&sa, 0, sizeof sa);
        sa.sin6_family = AF_INET6;
        sa.sin6_addr = mr.ipv6mr_multiaddr;
        if ((err = wasmaot_sockaddr_to_wasi((struct sockaddr *)&sa, sizeof sa, &wa)) != 0)
            return err;
        __wasi_addr_ip_t group;
        memset(&group, 0, sizeof group);
        group.kind = IPv6;
        group.addr.ip6 = wa.addr.ip6.addr;
        return name == IPV6_JOIN_GROUP
                   ? __wasi_sock_set_ip_add_membership(wfd, &group, mr.ipv6mr_interface)
                   : __wasi_sock_set_ip_drop_membership(wfd, &group, mr.ipv6mr_interface);
    }
    default:
        return __WASI_ERRNO_NOPROTOOPT;
    }
}

int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)
{
    __wasi_errno_t err;
    switch (level) {
    case SOL_SOCKET: err = setsockopt_socket(sockfd, optname, optval, optlen); break;
    case IPPROTO_TCP: err = setsockopt_tcp(sockfd, optname, optval, optlen); break;
    case IPPROTO_IP: err = setsockopt_ip(sockfd, optname, optval, optlen); break;
    case IPPROTO_IPV6: err = setsockopt_ipv6(sockfd, optname, optval, optlen); break;
    default: err = __WASI_ERRNO_NOPROTOOPT; break;
    }
    return err ? wasmaot_fail(err) : 0;
}

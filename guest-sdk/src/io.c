/* send, recv, sendto, recvfrom, sendmsg, recvmsg. */
#include "internal.h"

#include <sys/uio.h>

/* struct iovec is the WASI (c)iovec on wasm32: {u32 buf, u32 len}. */
_Static_assert(sizeof(struct iovec) == sizeof(__wasi_iovec_t), "iovec layout");
_Static_assert(offsetof(struct iovec, iov_len) == offsetof(__wasi_iovec_t, buf_len), "iovec layout");

/* Flags accepted by the send family; the ignored ones are hints only. */
#define SEND_IGNORED (MSG_NOSIGNAL | MSG_MORE | MSG_EOR | MSG_DONTROUTE)
#define SEND_OK (SEND_IGNORED | MSG_DONTWAIT)
/* Flags accepted by the receive family. MSG_TRUNC is accepted but cannot
 * return the real datagram length (the ABI has no way to report it). */
#define RECV_OK (MSG_PEEK | MSG_WAITALL | MSG_DONTWAIT | MSG_TRUNC)

static __wasi_riflags_t riflags_of(int flags)
{
    __wasi_riflags_t ri = 0;
    if (flags & MSG_PEEK)
        ri |= __WASI_RIFLAGS_RECV_PEEK;
    if (flags & MSG_WAITALL)
        ri |= __WASI_RIFLAGS_RECV_WAITALL;
    return ri;
}

/* One place for the send calls: dest == NULL means sock_send. */
static ssize_t do_send(int fd, const __wasi_ciovec_t *iov, size_t n, int flags,
                       const __wasi_addr_t *dest)
{
    if (flags & MSG_OOB)
        return wasmaot_fail(__WASI_ERRNO_NOTSUP);
    if (flags & ~SEND_OK)
        return wasmaot_fail(__WASI_ERRNO_NOTSUP);

    int restore = 0;
    __wasi_errno_t err = 0;
    if (flags & MSG_DONTWAIT) {
        err = wasmaot_nonblock_begin(fd, &restore);
        if (err != 0)
            return wasmaot_fail(err);
    }
    __wasi_size_t sent = 0;
    if (dest == NULL) {
        err = __wasi_sock_send((__wasi_fd_t)fd, iov, n, 0, &sent);
    } else {
        uint32_t sent32 = 0;
        err = __wasi_sock_send_to((__wasi_fd_t)fd, iov, (uint32_t)n, 0, dest, &sent32);
        sent = sent32;
    }
    wasmaot_nonblock_end(fd, restore);
    if (err != 0)
        return wasmaot_fail(err);
    return (ssize_t)sent;
}

/* One place for the receive calls: src != NULL means sock_recv_from. */
static ssize_t do_recv(int fd, __wasi_iovec_t *iov, size_t n, int flags,
                       __wasi_addr_t *src, __wasi_roflags_t *roflags)
{
    if (flags & MSG_OOB)
        return wasmaot_fail(__WASI_ERRNO_NOTSUP);
    if (flags & ~RECV_OK)
        return wasmaot_fail(__WASI_ERRNO_NOTSUP);

    int restore = 0;
    __wasi_errno_t err = 0;
    if (flags & MSG_DONTWAIT) {
        err = wasmaot_nonblock_begin(fd, &restore);
        if (err != 0)
            return wasmaot_fail(err);
    }
    __wasi_size_t got = 0;
    __wasi_roflags_t ro = 0;
    if (src == NULL) {
        err = __wasi_sock_recv((__wasi_fd_t)fd, iov, n, riflags_of(flags), &got, &ro);
    } else {
        uint32_t got32 = 0;
        memset(src, 0, sizeof *src);
        err = __wasi_sock_recv_from((__wasi_fd_t)fd, (__wasi_ciovec_t *)iov, (uint32_t)n,
                                    riflags_of(flags), src, &got32);
        got = got32;
    }
    wasmaot_nonblock_end(fd, restore);
    if (err != 0)
        return wasmaot_fail(err);
    if (roflags)
        *roflags = ro;
    return (ssize_t)got;
}

/* WAMR's sock_recv_from reports 0.0.0.0:0 on a connected TCP socket; no
 * datagram can come from there, so ask for the peer instead. */
static void fix_source(int fd, __wasi_addr_t *src)
{
    int unspecified;
    if (src->kind == IPv4) {
        const __wasi_addr_ip4_port_t *a = &src->addr.ip4;
        unspecified = (a->addr.n0 | a->addr.n1 | a->addr.n2 | a->addr.n3 | a->port) == 0;
    } else if (src->kind == IPv6) {
        const __wasi_addr_ip6_port_t *a = &src->addr.ip6;
        unspecified = (a->addr.n0 | a->addr.n1 | a->addr.n2 | a->addr.n3 | a->addr.h0 |
                       a->addr.h1 | a->addr.h2 | a->addr.h3 | a->port) == 0;
    } else {
        unspecified = 1;
    }
    if (unspecified) {
        __wasi_addr_t peer;
        if (__wasi_sock_addr_remote((__wasi_fd_t)fd, &peer) == 0)
            *src = peer;
    }
}

ssize_t send(int sockfd, const void *buf, size_t len, int flags)
{
    __wasi_ciovec_t iov = { (const uint8_t *)buf, len };
    return do_send(sockfd, &iov, 1, flags, NULL);
}

ssize_t recv(int sockfd, void *buf, size_t len, int flags)
{
    __wasi_iovec_t iov = { (uint8_t *)buf, len };
    return do_recv(sockfd, &iov, 1, flags, NULL, NULL);
}

ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
               const struct sockaddr *dest_addr, socklen_t addrlen)
{
    __wasi_ciovec_t iov = { (const uint8_t *)buf, len };
    if (dest_addr == NULL)
        return do_send(sockfd, &iov, 1, flags, NULL);
    __wasi_addr_t wa;
    __wasi_errno_t err = wasmaot_sockaddr_to_wasi(dest_addr, addrlen, &wa);
    if (err != 0)
        return wasmaot_fail(err);
    return do_send(sockfd, &iov, 1, flags, &wa);
}

ssize_t recvfrom(int sockfd, void *__restrict buf, size_t len, int flags,
                 struct sockaddr *__restrict src_addr, socklen_t *__restrict addrlen)
{
    __wasi_iovec_t iov = { (uint8_t *)buf, len };
    if (src_addr == NULL)
        return do_recv(sockfd, &iov, 1, flags, NULL, NULL);
    if (addrlen == NULL)
        return wasmaot_fail(__WASI_ERRNO_FAULT);
    __wasi_addr_t wa;
    ssize_t n = do_recv(sockfd, &iov, 1, flags, &wa, NULL);
    if (n < 0)
        return n;
    fix_source(sockfd, &wa);
    wasmaot_store_addr(&wa, src_addr, addrlen);
    return n;
}

ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags)
{
    if (msg == NULL)
        return wasmaot_fail(__WASI_ERRNO_FAULT);
    if (msg->msg_iovlen < 0)
        return wasmaot_fail(__WASI_ERRNO_INVAL);
    if (msg->msg_control != NULL && msg->msg_controllen > 0)
        return wasmaot_fail(__WASI_ERRNO_NOTSUP); /* no ancillary data */
    const __wasi_ciovec_t *iov = (const __wasi_ciovec_t *)msg->msg_iov;
    if (msg->msg_name == NULL)
        return do_send(sockfd, iov, (size_t)msg->msg_iovlen, flags, NULL);
    __wasi_addr_t wa;
    __wasi_errno_t err = wasmaot_sockaddr_to_wasi(msg->msg_name, msg->msg_namelen, &wa);
    if (err != 0)
        return wasmaot_fail(err);
    return do_send(sockfd, iov, (size_t)msg->msg_iovlen, flags, &wa);
}

ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)
{
    if (msg == NULL)
        return wasmaot_fail(__WASI_ERRNO_FAULT);
    if (msg->msg_iovlen < 0)
        return wasmaot_fail(__WASI_ERRNO_INVAL);
    __wasi_iovec_t *iov = (__wasi_iovec_t *)msg->msg_iov;
    ssize_t n;
    msg->msg_flags = 0;
    if (msg->msg_name == NULL) {
        __wasi_roflags_t ro = 0;
        n = do_recv(sockfd, iov, (size_t)msg->msg_iovlen, flags, NULL, &ro);
        if (n >= 0 && (ro & __WASI_ROFLAGS_RECV_DATA_TRUNCATED))
            msg->msg_flags |= MSG_TRUNC;
    } else {
        __wasi_addr_t wa;
        n = do_recv(sockfd, iov, (size_t)msg->msg_iovlen, flags, &wa, NULL);
        if (n >= 0) {
            fix_source(sockfd, &wa);
            wasmaot_store_addr(&wa, msg->msg_name, &msg->msg_namelen);
        }
    }
    if (n >= 0)
        msg->msg_controllen = 0;
    return n;
}

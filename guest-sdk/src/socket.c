/* socket, bind, connect, listen, accept, accept4, shutdown,
 * getsockname, getpeername. */
#include "internal.h"

int socket(int domain, int type, int protocol)
{
    __wasi_address_family_t af;
    __wasi_sock_type_t st;
    int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
    int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (domain == AF_INET)
        af = INET4;
    else if (domain == AF_INET6)
        af = INET6;
    else
        return wasmaot_fail(__WASI_ERRNO_AFNOSUPPORT);

    if (base == SOCK_STREAM) {
        st = SOCKET_STREAM;
        if (protocol != 0 && protocol != IPPROTO_TCP)
            return wasmaot_fail(__WASI_ERRNO_PROTONOSUPPORT);
    } else if (base == SOCK_DGRAM) {
        st = SOCKET_DGRAM;
        if (protocol != 0 && protocol != IPPROTO_UDP)
            return wasmaot_fail(__WASI_ERRNO_PROTONOSUPPORT);
    } else {
        return wasmaot_fail(__WASI_ERRNO_PROTONOSUPPORT);
    }

    __wasi_fd_t fd;
    __wasi_errno_t err = __wasi_sock_open((__wasi_fd_t)-1, af, st, &fd);
    if (err != 0)
        return wasmaot_fail(err);

    if (flags & SOCK_NONBLOCK) {
        err = __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK);
        if (err != 0) {
            (void)__wasi_fd_close(fd);
            return wasmaot_fail(err);
        }
    }
    /* SOCK_CLOEXEC: nothing to do, WASI has no exec. */
    wasmaot_pending_connect_clear((int)fd);
    return (int)fd;
}

int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)
{
    __wasi_addr_t wa;
    __wasi_errno_t err = wasmaot_sockaddr_to_wasi(addr, addrlen, &wa);
    if (err == 0)
        err = __wasi_sock_bind((__wasi_fd_t)sockfd, &wa);
    return err ? wasmaot_fail(err) : 0;
}

int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen)
{
    __wasi_addr_t wa;
    __wasi_errno_t err = wasmaot_sockaddr_to_wasi(addr, addrlen, &wa);
    if (err != 0)
        return wasmaot_fail(err);
    err = __wasi_sock_connect((__wasi_fd_t)sockfd, &wa);
    if (err == __WASI_ERRNO_INPROGRESS) {
        /* Remembered so that getsockopt(SO_ERROR) can learn the outcome. */
        wasmaot_pending_connect_set(sockfd, &wa);
        return wasmaot_fail(err);
    }
    wasmaot_pending_connect_clear(sockfd);
    return err ? wasmaot_fail(err) : 0;
}

int listen(int sockfd, int backlog)
{
    if (backlog < 0)
        backlog = SOMAXCONN;
    __wasi_errno_t err = __wasi_sock_listen((__wasi_fd_t)sockfd, (__wasi_size_t)backlog);
    return err ? wasmaot_fail(err) : 0;
}

int accept4(int sockfd, struct sockaddr *__restrict addr, socklen_t *__restrict addrlen, int flags)
{
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return wasmaot_fail(__WASI_ERRNO_INVAL);
    if (addr != NULL && addrlen == NULL)
        return wasmaot_fail(__WASI_ERRNO_FAULT);

    __wasi_fd_t nfd;
    __wasi_errno_t err = __wasi_sock_accept((__wasi_fd_t)sockfd, 0, &nfd);
    if (err != 0)
        return wasmaot_fail(err);

    if (flags & SOCK_NONBLOCK) {
        /* Set explicitly: WAMR ignores sock_accept's fdflags. */
        err = __wasi_fd_fdstat_set_flags(nfd, __WASI_FDFLAGS_NONBLOCK);
        if (err != 0) {
            (void)__wasi_fd_close(nfd);
            return wasmaot_fail(err);
        }
    }
    wasmaot_pending_connect_clear((int)nfd);

    if (addr != NULL) {
        __wasi_addr_t wa;
        if (__wasi_sock_addr_remote(nfd, &wa) == 0) {
            wasmaot_store_addr(&wa, addr, addrlen);
        } else {
            /* The peer is already gone; the connection is still valid
             * (reads will report it). No address to give. */
            *addrlen = 0;
        }
    }
    return (int)nfd;
}

int accept(int sockfd, struct sockaddr *__restrict addr, socklen_t *__restrict addrlen)
{
    return accept4(sockfd, addr, addrlen, 0);
}

int shutdown(int sockfd, int how)
{
    __wasi_sdflags_t sd;
    switch (how) {
    case SHUT_RD: sd = __WASI_SDFLAGS_RD; break;
    case SHUT_WR: sd = __WASI_SDFLAGS_WR; break;
    case SHUT_RDWR: sd = __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR; break;
    default: return wasmaot_fail(__WASI_ERRNO_INVAL);
    }
    __wasi_errno_t err = __wasi_sock_shutdown((__wasi_fd_t)sockfd, sd);
    return err ? wasmaot_fail(err) : 0;
}

static int get_name(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int remote)
{
    if (addr == NULL || addrlen == NULL)
        return wasmaot_fail(__WASI_ERRNO_FAULT);
    __wasi_addr_t wa;
    __wasi_errno_t err = remote ? __wasi_sock_addr_remote((__wasi_fd_t)sockfd, &wa)
                                : __wasi_sock_addr_local((__wasi_fd_t)sockfd, &wa);
    if (err != 0)
        return wasmaot_fail(err);
    wasmaot_store_addr(&wa, addr, addrlen);
    return 0;
}

int getsockname(int sockfd, struct sockaddr *__restrict addr, socklen_t *__restrict addrlen)
{
    return get_name(sockfd, addr, addrlen, 0);
}

int getpeername(int sockfd, struct sockaddr *__restrict addr, socklen_t *__restrict addrlen)
{
    return get_name(sockfd, addr, addrlen, 1);
}

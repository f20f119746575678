/*
 * wasmaot guest SDK: <sys/socket.h> = wasi-libc's header plus what it lacks
 * for Berkeley sockets (implemented by libsocket_wasi_ext.a).
 *
 * Constants keep wasi-libc's values where it defines them (AF_INET = 1,
 * AF_INET6 = 2, SOCK_DGRAM = 5, SOCK_STREAM = 6, SOL_SOCKET = 0x7fffffff,
 * MSG_PEEK = 1, MSG_WAITALL = 2, SHUT_RD = 1, SHUT_WR = 2, SHUT_RDWR = 3);
 * the additions use Linux values where those do not collide with them.
 */
#include_next <sys/socket.h>

#ifndef __WASMAOT_SYS_SOCKET_H
#define __WASMAOT_SYS_SOCKET_H

#ifdef __wasi__

#ifdef __cplusplus
extern "C" {
#endif

#ifndef PF_UNSPEC
#define PF_UNSPEC AF_UNSPEC
#endif
#ifndef PF_INET
#define PF_INET AF_INET
#endif
#ifndef PF_INET6
#define PF_INET6 AF_INET6
#endif
#ifndef AF_LOCAL
#define AF_LOCAL AF_UNIX
#endif
#ifndef PF_UNIX
#define PF_UNIX AF_UNIX
#endif
#ifndef PF_LOCAL
#define PF_LOCAL AF_UNIX
#endif

#ifndef SOCK_NONBLOCK
#define SOCK_NONBLOCK (0x00004000)
#endif
#ifndef SOCK_CLOEXEC
#define SOCK_CLOEXEC (0x00002000)
#endif

/* SOL_SOCKET options (Linux numbering; SO_RCVTIMEO/SO_SNDTIMEO as WAMR). */
#ifndef SO_DEBUG
#define SO_DEBUG 1
#endif
#ifndef SO_REUSEADDR
#define SO_REUSEADDR 2
#endif
#ifndef SO_TYPE
#define SO_TYPE 3
#endif
#ifndef SO_ERROR
#define SO_ERROR 4
#endif
#ifndef SO_DONTROUTE
#define SO_DONTROUTE 5
#endif
#ifndef SO_BROADCAST
#define SO_BROADCAST 6
#endif
#ifndef SO_SNDBUF
#define SO_SNDBUF 7
#endif
#ifndef SO_RCVBUF
#define SO_RCVBUF 8
#endif
#ifndef SO_KEEPALIVE
#define SO_KEEPALIVE 9
#endif
#ifndef SO_OOBINLINE
#define SO_OOBINLINE 10
#endif
#ifndef SO_LINGER
#define SO_LINGER 13
#endif
#ifndef SO_REUSEPORT
#define SO_REUSEPORT 15
#endif
#ifndef SO_RCVLOWAT
#define SO_RCVLOWAT 18
#endif
#ifndef SO_SNDLOWAT
#define SO_SNDLOWAT 19
#endif
#ifndef SO_RCVTIMEO
#define SO_RCVTIMEO 20
#endif
#ifndef SO_SNDTIMEO
#define SO_SNDTIMEO 21
#endif
#ifndef SO_BINDTODEVICE
#define SO_BINDTODEVICE 25
#endif
#ifndef SO_ACCEPTCONN
#define SO_ACCEPTCONN 30
#endif
#ifndef SO_PROTOCOL
#define SO_PROTOCOL 38
#endif
#ifndef SO_DOMAIN
#define SO_DOMAIN 39
#endif

#ifndef SOL_IP
#define SOL_IP 0
#endif
#ifndef SOL_TCP
#define SOL_TCP 6
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#ifndef SOL_IPV6
#define SOL_IPV6 41
#endif

#ifndef SOMAXCONN
#define SOMAXCONN 128
#endif

/* wasi-libc defines MSG_TRUNC as an identifier its <wasi/api.h> does not
 * have; give it a usable value (reported in msghdr.msg_flags by recvmsg). */
#if defined(MSG_TRUNC) && !defined(__WASI_RIFLAGS_RECV_DATA_TRUNCATED)
#undef MSG_TRUNC
#endif
#ifndef MSG_TRUNC
#define MSG_TRUNC 0x0020
#endif
#ifndef MSG_DONTROUTE
#define MSG_DONTROUTE 0x0004 /* accepted and ignored */
#endif
#ifndef MSG_CTRUNC
#define MSG_CTRUNC 0x0008
#endif
#ifndef MSG_DONTWAIT
#define MSG_DONTWAIT 0x0040
#endif
#ifndef MSG_EOR
#define MSG_EOR 0x0080 /* accepted and ignored */
#endif
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0x4000 /* accepted; the runtime never raises SIGPIPE */
#endif
#ifndef MSG_MORE
#define MSG_MORE 0x8000 /* accepted and ignored */
#endif
#ifndef MSG_OOB
#define MSG_OOB 0x01000000 /* not supported: EOPNOTSUPP */
#endif

/* Functions wasi-libc does not declare (accept, accept4, send, recv,
 * shutdown, getsockopt are declared by it and replaced by our library). */
int socket(int domain, int type, int protocol);
int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
int listen(int sockfd, int backlog);
int getsockname(int sockfd, struct sockaddr *__restrict addr, socklen_t *__restrict addrlen);
int getpeername(int sockfd, struct sockaddr *__restrict addr, socklen_t *__restrict addrlen);
ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
               const struct sockaddr *dest_addr, socklen_t addrlen);
ssize_t recvfrom(int sockfd, void *__restrict buf, size_t len, int flags,
                 struct sockaddr *__restrict src_addr, socklen_t *__restrict addrlen);
ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags);
int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);

#ifdef __cplusplus
}
#endif

#endif /* __wasi__ */
#endif /* __WASMAOT_SYS_SOCKET_H */

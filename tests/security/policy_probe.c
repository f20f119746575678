/*
 * policy_probe.c -- a guest that tries network operations the policy may
 * deny, for tests/security (the cases tests/sockets does not already cover).
 * Arguments are triples OP ADDR PORT; one line per triple:
 *     OP ADDR PORT -> OK | EACCES | <other errno name> (<number>)
 *   connect4 / connect6      TCP connect (an IPv6 socket may be given an
 *                            IPv4-mapped address, ::ffff:a.b.c.d)
 *   udpconnect4 / udpconnect6  UDP connect
 *   sendto4 / sendto6        one UDP datagram, unconnected socket
 *   bind4 / bind6            TCP bind
 *   resolve NAME -           getaddrinfo
 *   fault - -                raw socket calls with pointers outside linear
 *                            memory: each must be EFAULT (21), not a trap
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#ifdef __wasi__
#include <wasi_socket_ext.h>
#endif

static const char *ename(int e)
{
    switch (e) {
    case 0: return "OK";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EINVAL: return "EINVAL";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case ENETUNREACH: return "ENETUNREACH";
    default: return "OTHER";
    }
}

static socklen_t make(int fam, const char *addr, int port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (fam == AF_INET6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((unsigned short)port);
        if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1) {
            fprintf(stderr, "policy_probe: bad IPv6 address %s\n", addr);
            exit(2);
        }
        return sizeof *s6;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1) {
        fprintf(stderr, "policy_probe: bad IPv4 address %s\n", addr);
        exit(2);
    }
    return sizeof *s4;
}

static int one(const char *op, const char *addr, int port)
{
    int fam = op[strlen(op) - 1] == '6' ? AF_INET6 : AF_INET;
    struct sockaddr_storage ss;
    if (!strcmp(op, "resolve")) {
        struct addrinfo hints = {0}, *res = NULL;
        hints.ai_socktype = SOCK_STREAM;
        int rc = getaddrinfo(addr, NULL, &hints, &res);
        if (rc == 0) {
            freeaddrinfo(res);
            return 0;
        }
        return rc == EAI_SYSTEM ? errno : -rc;
    }
    int dgram = !strncmp(op, "udp", 3) || !strncmp(op, "sendto", 6);
    int fd = socket(fam, dgram ? SOCK_DGRAM : SOCK_STREAM, 0);
    if (fd < 0)
        return errno;
    socklen_t len = make(fam, addr, port, &ss);
    int rc;
    errno = 0;
    if (!strncmp(op, "connect", 7) || !strncmp(op, "udpconnect", 10))
        rc = connect(fd, (struct sockaddr *)&ss, len);
    else if (!strncmp(op, "sendto", 6))
        rc = sendto(fd, "probe", 5, 0, (struct sockaddr *)&ss, len) == 5 ? 0 : -1;
    else if (!strncmp(op, "bind", 4))
        rc = bind(fd, (struct sockaddr *)&ss, len);
    else {
        fprintf(stderr, "policy_probe: unknown op %s\n", op);
        exit(2);
    }
    int e = rc == 0 ? 0 : errno;
    close(fd);
    return e;
}

#ifdef __wasi__
/* Raw calls with pointers outside linear memory (or straddling its end). */
static void faults(void)
{
    const uint32_t far = 0xFFFFFFF0u;
    __wasi_fd_t fd = 0;
    __wasi_errno_t e = __wasi_sock_open(0, INET4, SOCKET_STREAM, &fd);
    if (e != 0) {
        printf("fault sock_open -> %d\n", e);
        return;
    }
    struct { const char *what; int32_t rc; } r[] = {
        {"sock_connect(addr far)", __imported_wasi_snapshot_preview1_sock_connect((int32_t)fd, (int32_t)far)},
        {"sock_bind(addr far)", __imported_wasi_snapshot_preview1_sock_bind((int32_t)fd, (int32_t)far)},
        {"sock_open(out far)", __imported_wasi_snapshot_preview1_sock_open(-1, 0, 1, (int32_t)far)},
        {"sock_addr_local(out far)", __imported_wasi_snapshot_preview1_sock_addr_local((int32_t)fd, (int32_t)far)},
        {"sock_addr_resolve(host far)",
         __imported_wasi_snapshot_preview1_sock_addr_resolve((int32_t)far, 0, 0, 0, 0, 0)},
        {"sock_send_to(iovs far)",
         __imported_wasi_snapshot_preview1_sock_send_to((int32_t)fd, (int32_t)far, 4, 0, (int32_t)far, (int32_t)far)},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        printf("fault %s -> %s (%d)\n", r[i].what, r[i].rc == __WASI_ERRNO_FAULT ? "EFAULT" : "OTHER", r[i].rc);
    close((int)fd);
}
#endif

int main(int argc, char **argv)
{
    for (int i = 1; i + 2 < argc; i += 3) {
        if (!strcmp(argv[i], "fault")) {
#ifdef __wasi__
            faults();
#endif
            continue;
        }
        int e = one(argv[i], argv[i + 1], atoi(argv[i + 2]));
        printf("%s %s %s -> %s (%d)\n", argv[i], argv[i + 1], argv[i + 2], ename(e), e);
    }
    return 0;
}

/*
 * socket_guest.c -- the guest side of the socket tests (tests/sockets/).
 * Built with wasmaot-cc against the guest SDK, compiled to .so and run by
 * run_socket_test.py against native Python peers on loopback. One mode per
 * run: argv[1] names it, the rest are its arguments. FAMILY is 4 or 6.
 * Output is one line per fact, parsed by the driver; errors print as
 * "error <call> <errno-name>" with the errno name, not its text.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#ifdef __wasi__
#include <wasi_socket_ext.h>
#endif

static const char *ename(int e)
{
    switch (e) {
    case 0: return "OK";
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ECONNRESET: return "ECONNRESET";
    case EPIPE: return "EPIPE";
    case EINPROGRESS: return "EINPROGRESS";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case ENOTCONN: return "ENOTCONN";
    case EADDRINUSE: return "EADDRINUSE";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case ETIMEDOUT: return "ETIMEDOUT";
    default: return "OTHER";
    }
}

static int fail(const char *call)
{
    printf("error %s %s %d\n", call, ename(errno), errno);
    fflush(stdout);
    return 1;
}

static int family_of(const char *s) { return strcmp(s, "6") == 0 ? AF_INET6 : AF_INET; }

/* ADDR PORT -> sockaddr (ADDR "lo" = loopback of the family). */
static socklen_t make_addr(int fam, const char *addr, int port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (fam == AF_INET6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        if (strcmp(addr, "lo") == 0)
            s6->sin6_addr = in6addr_loopback;
        else
            inet_pton(AF_INET6, addr, &s6->sin6_addr);
        return sizeof *s6;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, strcmp(addr, "lo") == 0 ? "127.0.0.1" : addr, &s4->sin_addr);
    return sizeof *s4;
}

static int port_of(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return -1;
    return ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                    : ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int connect_to(int fam, int type, const char *addr, int port)
{
    struct sockaddr_storage ss;
    socklen_t len = make_addr(fam, addr, port, &ss);
    int fd = socket(fam, type, 0);
    if (fd < 0)
        return fail("socket"), -1;
    if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
        fail("connect");
        close(fd);
        return -1;
    }
    return fd;
}

/* A TCP socket listening on the family's loopback, port chosen by the
 * kernel; -1 (after printing the error) on failure. */
static int listen_on_loopback(int fam, int backlog)
{
    struct sockaddr_storage ss;
    socklen_t len = make_addr(fam, "lo", 0, &ss);
    int lfd = socket(fam, SOCK_STREAM, 0);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&ss, len) != 0 || listen(lfd, backlog) != 0) {
        fail("listen");
        if (lfd >= 0)
            close(lfd);
        return -1;
    }
    return lfd;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* tcp-client FAMILY PORT: send, half-close, read the reply to EOF. */
static int tcp_client(int fam, int port)
{
    int fd = connect_to(fam, SOCK_STREAM, "lo", port);
    if (fd < 0)
        return 1;
    const char *msg = "hello from wasm";
    if (send(fd, msg, strlen(msg), 0) != (ssize_t)strlen(msg))
        return fail("send");
    if (shutdown(fd, SHUT_WR) != 0)
        return fail("shutdown");
    char buf[256];
    size_t got = 0;
    for (;;) {
        ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (n < 0)
            return fail("recv");
        if (n == 0)
            break;
        got += (size_t)n;
    }
    buf[got] = 0;
    printf("reply %s\n", buf);
    printf("eof\n");
    close(fd);
    return 0;
}

/* tcp-server FAMILY: bind loopback:0, print the port, serve one client:
 * read to EOF, reply upper-cased, close (FIN, not RST). */
static int tcp_server(int fam)
{
    struct sockaddr_storage ss;
    socklen_t len = make_addr(fam, "lo", 0, &ss);
    int lfd = socket(fam, SOCK_STREAM, 0);
    int one = 1;
    if (lfd < 0)
        return fail("socket");
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lfd, (struct sockaddr *)&ss, len) != 0)
        return fail("bind");
    if (listen(lfd, 4) != 0)
        return fail("listen");
    printf("port %d\n", port_of(lfd));
    fflush(stdout);
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    int cfd = accept(lfd, (struct sockaddr *)&peer, &plen);
    if (cfd < 0)
        return fail("accept");
    printf("peer family %s\n", peer.ss_family == AF_INET6 ? "6" : "4");
    char buf[4096];
    size_t got = 0;
    for (;;) {
        ssize_t n = read(cfd, buf + got, sizeof buf - got);
        if (n < 0)
            return fail("read");
        if (n == 0)
            break;
        got += (size_t)n;
    }
    for (size_t i = 0; i < got; i++)
        if (buf[i] >= 'a' && buf[i] <= 'z')
            buf[i] = (char)(buf[i] - 32);
    if (write(cfd, buf, got) != (ssize_t)got)
        return fail("write");
    printf("served %zu\n", got);
    close(cfd);
    close(lfd);
    return 0;
}

/* udp-server FAMILY: bind, print port, answer one datagram (upper-cased). */
static int udp_server(int fam)
{
    struct sockaddr_storage ss, from;
    socklen_t len = make_addr(fam, "lo", 0, &ss), flen = sizeof from;
    int fd = socket(fam, SOCK_DGRAM, 0);
    if (fd < 0)
        return fail("socket");
    if (bind(fd, (struct sockaddr *)&ss, len) != 0)
        return fail("bind");
    printf("port %d\n", port_of(fd));
    fflush(stdout);
    char buf[512];
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
    if (n < 0)
        return fail("recvfrom");
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] >= 'a' && buf[i] <= 'z')
            buf[i] = (char)(buf[i] - 32);
    if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, flen) != n)
        return fail("sendto");
    printf("answered %zd\n", n);
    close(fd);
    return 0;
}

/* udp-client FAMILY PORT [connect]: one datagram, one answer; a truncated
 * receive of a second datagram shows MSG_TRUNC. */
static int udp_client(int fam, int port, int connected)
{
    struct sockaddr_storage to, from;
    socklen_t tlen = make_addr(fam, "lo", port, &to), flen = sizeof from;
    int fd = socket(fam, SOCK_DGRAM, 0);
    if (fd < 0)
        return fail("socket");
    const char *msg = "ping over udp";
    if (connected) {
        if (connect(fd, (struct sockaddr *)&to, tlen) != 0)
            return fail("connect");
        if (send(fd, msg, strlen(msg), 0) < 0)
            return fail("send");
    } else if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&to, tlen) < 0) {
        return fail("sendto");
    }
    char buf[512];
    ssize_t n = recvfrom(fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &flen);
    if (n < 0)
        return fail("recvfrom");
    buf[n] = 0;
    printf("answer %s\n", buf);
    printf("from port %d\n", from.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&from)->sin6_port)
                                                      : ntohs(((struct sockaddr_in *)&from)->sin_port));
    close(fd);
    return 0;
}

/* reset FAMILY PORT: the peer resets the connection; every later call
 * fails with an errno and the process lives on. */
static int reset(int fam, int port)
{
    int fd = connect_to(fam, SOCK_STREAM, "lo", port);
    if (fd < 0)
        return 1;
    char buf[64];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    printf("recv %zd %s\n", n, n < 0 ? ename(errno) : "OK");
    for (int i = 0; i < 50; i++) {
        n = send(fd, "x", 1, 0);
        if (n < 0)
            break;
    }
    printf("send %s\n", n < 0 ? ename(errno) : "OK");
    printf("alive\n");
    close(fd);
    return 0;
}

/* sigpipe FAMILY PORT: the peer closes; writing on must give EPIPE (or
 * ECONNRESET), never kill the process with SIGPIPE. */
static int sigpipe(int fam, int port)
{
    int fd = connect_to(fam, SOCK_STREAM, "lo", port);
    if (fd < 0)
        return 1;
    char buf[8];
    ssize_t n = recv(fd, buf, sizeof buf, 0); /* waits for the peer's FIN */
    printf("eof %zd\n", n);
    int err = 0;
    for (int i = 0; i < 200 && !err; i++) {
        if (write(fd, "data", 4) < 0)
            err = errno;
        usleep(1000);
    }
    printf("write %s\n", err == EPIPE || err == ECONNRESET ? "EPIPE-or-ECONNRESET" : ename(err));
    printf("alive\n");
    close(fd);
    return 0;
}

/* timeout FAMILY PORT: a silent peer; SO_RCVTIMEO 200 ms gives EAGAIN. */
static int timeout(int fam, int port)
{
    int fd = connect_to(fam, SOCK_STREAM, "lo", port);
    if (fd < 0)
        return 1;
    struct timeval tv = {0, 200000};
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0)
        return fail("setsockopt");
    char buf[8];
    long t0 = now_ms();
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    long dt = now_ms() - t0;
    printf("recv %zd %s\n", n, n < 0 ? ename(errno) : "OK");
    printf("waited %s\n", dt >= 150 && dt < 2000 ? "about 200ms" : "wrong");
    close(fd);
    return 0;
}

/* nbconnect FAMILY PORT: O_NONBLOCK connect -> EINPROGRESS, poll for
 * POLLOUT, SO_ERROR says the outcome (0, or ECONNREFUSED for a closed port). */
static int nbconnect(int fam, int port)
{
    struct sockaddr_storage ss;
    socklen_t len = make_addr(fam, "lo", port, &ss);
    int fd = socket(fam, SOCK_STREAM, 0);
    if (fd < 0)
        return fail("socket");
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)
        return fail("fcntl");
    int rc = connect(fd, (struct sockaddr *)&ss, len);
    printf("connect %s\n", rc == 0 ? "OK" : ename(errno));
    struct pollfd p = {fd, POLLOUT, 0};
    int pr = poll(&p, 1, 5000);
    printf("poll %d%s\n", pr, pr == 1 && (p.revents & (POLLOUT | POLLERR | POLLHUP)) ? " ready" : "");
    int soerr = -1;
    socklen_t sl = sizeof soerr;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
        return fail("getsockopt");
    printf("so_error %s\n", ename(soerr));
    char buf[4];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    printf("nonblocking recv %s\n", n < 0 ? ename(errno) : "data");
    close(fd);
    return 0;
}

/* resolve NAME: getaddrinfo, print the families found (sorted, unique). */
static int resolve(const char *name)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(name, "80", &hints, &res);
    if (rc != 0) {
        printf("gai %d errno %s\n", rc, rc == EAI_SYSTEM ? ename(errno) : "-");
        return 0;
    }
    int v4 = 0, v6 = 0, port80 = 1;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET) {
            v4 = 1;
            port80 &= ntohs(((struct sockaddr_in *)ai->ai_addr)->sin_port) == 80;
        } else if (ai->ai_family == AF_INET6) {
            v6 = 1;
        }
    }
    freeaddrinfo(res);
    printf("resolved%s%s port80 %s\n", v4 ? " v4" : "", v6 ? " v6" : "", port80 ? "yes" : "no");
    return 0;
}

/* resolve-connect NAME PORT: getaddrinfo then connect to the first result
 * (for dns: rules). */
static int resolve_connect(const char *name, const char *port)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_INET;
    int rc = getaddrinfo(name, port, &hints, &res);
    if (rc != 0) {
        printf("gai %d errno %s\n", rc, rc == EAI_SYSTEM ? ename(errno) : "-");
        return 0;
    }
    int fd = socket(res->ai_family, SOCK_STREAM, 0);
    rc = connect(fd, res->ai_addr, res->ai_addrlen);
    printf("connect %s\n", rc == 0 ? "OK" : ename(errno));
    freeaddrinfo(res);
    close(fd);
    return 0;
}

/* try-connect FAMILY tcp|udp ADDR PORT: prints "connect OK" or the errno
 * (UDP: connect and sendto both). */
static int try_connect(int fam, const char *proto, const char *addr, int port)
{
    int udp = strcmp(proto, "udp") == 0;
    struct sockaddr_storage ss;
    socklen_t len = make_addr(fam, addr, port, &ss);
    int fd = socket(fam, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    if (fd < 0)
        return fail("socket");
    int rc = connect(fd, (struct sockaddr *)&ss, len);
    printf("connect %s\n", rc == 0 ? "OK" : ename(errno));
    if (udp) {
        int u = socket(fam, SOCK_DGRAM, 0);
        ssize_t n = sendto(u, "x", 1, 0, (struct sockaddr *)&ss, len);
        printf("sendto %s\n", n == 1 ? "OK" : ename(errno));
        close(u);
    }
    close(fd);
    return 0;
}

/* try-bind FAMILY tcp|udp ADDR PORT [listen]: prints "bind OK" or the errno;
 * with "listen-unbound", listens without binding first. */
static int try_bind(int fam, const char *proto, const char *addr, int port, int unbound_listen)
{
    int udp = strcmp(proto, "udp") == 0;
    struct sockaddr_storage ss;
    socklen_t len = make_addr(fam, addr, port, &ss);
    int fd = socket(fam, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    if (fd < 0)
        return fail("socket");
    if (unbound_listen) {
        int rc = listen(fd, 1);
        printf("listen %s\n", rc == 0 ? "OK" : ename(errno));
    } else {
        int rc = bind(fd, (struct sockaddr *)&ss, len);
        printf("bind %s\n", rc == 0 ? "OK" : ename(errno));
    }
    close(fd);
    return 0;
}

/* pair FAMILY: a listener and a client in one guest; poll-driven accept,
 * MSG_PEEK, MSG_WAITALL, getpeername/getsockname, half-close both ways. */
static int pair(int fam)
{
    int lfd = listen_on_loopback(fam, 2);
    if (lfd < 0)
        return 1;
    int c = connect_to(fam, SOCK_STREAM, "lo", port_of(lfd));
    if (c < 0)
        return 1;
    struct pollfd p = {lfd, POLLIN, 0};
    printf("poll listener %d %s\n", poll(&p, 1, 2000), (p.revents & POLLIN) && !(p.revents & POLLHUP) ? "in" : "?");
    int a = accept(lfd, NULL, NULL);
    if (a < 0)
        return fail("accept");
    send(c, "abcdefgh", 8, 0);
    char buf[16] = {0};
    p.fd = a;
    p.events = POLLIN;
    poll(&p, 1, 2000);
    ssize_t n = recv(a, buf, 4, MSG_PEEK);
    printf("peek %zd %.4s\n", n, buf);
    memset(buf, 0, sizeof buf);
    send(c, "ijkl", 4, 0);
    n = recv(a, buf, 12, MSG_WAITALL);
    printf("waitall %zd %s\n", n, buf);
#ifndef POLLRDHUP
#define POLLRDHUP 0
#endif
    shutdown(c, SHUT_WR);
    p.fd = a;
    p.events = POLLIN | POLLRDHUP;
    poll(&p, 1, 2000);
    n = recv(a, buf, sizeof buf, 0);
    /* Linux (and the SDK's poll) report a peer's half-close as POLLRDHUP. */
    printf("after peer SHUT_WR recv %zd hup %s\n", n, (p.revents & (POLLHUP | POLLRDHUP)) ? "yes" : "no");
    n = send(a, "back", 4, 0);
    memset(buf, 0, sizeof buf);
    ssize_t m = recv(c, buf, sizeof buf, 0);
    printf("reply after half-close %zd %zd %s\n", n, m, buf);
    /* 100 one-byte buffers: more than the host's stack batch of iovecs. */
    struct iovec v[100];
    char bytes[100], back[101] = {0};
    for (int i = 0; i < 100; i++) {
        bytes[i] = (char)('A' + i % 26);
        v[i].iov_base = &bytes[i];
        v[i].iov_len = 1;
    }
    n = writev(a, v, 100);
    m = recv(c, back, 100, MSG_WAITALL);
    printf("writev 100 iovecs %zd %zd %s\n", n, m, memcmp(bytes, back, 100) == 0 ? "same" : "differ");
    close(a);
    close(c);
    close(lfd);
    return 0;
}

/* Idle connections polled beside the socket under test (readiness EXTRA):
 * past the runtime's ppoll limit (512 fds) they move poll_oneoff onto its
 * libuv loop with persistent registrations; both ways must answer alike. */
#define MAX_EXTRA 1200
static struct pollfd extra[MAX_EXTRA + 1];
static int n_extra;

/* One poll() on one fd (plus the idle extras): "R" (ready, with the revents
 * asked for), "-" (timed out). */
static const char *poll1(int fd, short events, int ms)
{
    extra[n_extra] = (struct pollfd){fd, events, 0};
    for (int i = 0; i < n_extra; i++)
        extra[i].revents = 0;
    int r = poll(extra, (nfds_t)n_extra + 1, ms);
    struct pollfd p = extra[n_extra];
    if (r < 0)
        return "error";
    if (r == 0)
        return "-";
    if (r != 1 || !p.revents)
        return "idle extra fd ready";
    if (p.revents & (POLLERR | POLLNVAL))
        return "err";
    if (p.revents & POLLHUP)
        return "hup";
    return (p.revents & events) ? "R" : "?";
}

/* EXTRA idle TCP connections (both ends open, nothing sent), polled for
 * POLLIN by poll1. */
static int open_extras(int fam, int count)
{
    int lfd = listen_on_loopback(fam, 64);
    if (lfd < 0)
        return 1;
    for (int i = 0; i + 1 < count; i += 2) {
        int c = connect_to(fam, SOCK_STREAM, "lo", port_of(lfd));
        int a = c < 0 ? -1 : accept(lfd, NULL, NULL);
        if (a < 0)
            return fail("extra accept");
        extra[n_extra++] = (struct pollfd){c, POLLIN, 0};
        extra[n_extra++] = (struct pollfd){a, POLLIN, 0};
    }
    close(lfd);
    return 0;
}

/* readiness FAMILY [EXTRA]: poll() on sockets that the runtime keeps registered
 * between calls (issue 17). The same program built natively prints the same
 * lines (the test compares): interest changes on one fd, a socket left out
 * of some calls while it becomes ready, a blocking recv after poll (must
 * still block until its timeout), a poll timeout beside sockets, fd numbers
 * reused after close, and UDP. */
static int readiness(int fam, int extras)
{
    if (extras > MAX_EXTRA || open_extras(fam, extras) != 0)
        return 1;
    int lfd = listen_on_loopback(fam, 4);
    if (lfd < 0)
        return 1;
    int c = connect_to(fam, SOCK_STREAM, "lo", port_of(lfd));
    if (c < 0)
        return 1;
    printf("listener %s\n", poll1(lfd, POLLIN, 2000));
    int a = accept(lfd, NULL, NULL);
    if (a < 0)
        return fail("accept");
    char buf[64];
    printf("idle read %s\n", poll1(a, POLLIN, 50));
    printf("write %s\n", poll1(a, POLLOUT, 2000));
    send(c, "x", 1, 0);
    printf("read after write interest %s\n", poll1(a, POLLIN, 2000));
    printf("both %s\n", poll1(a, POLLIN | POLLOUT, 2000));
    /* a has data but is left out of the next calls: they see only c. */
    long t0 = now_ms();
    printf("other socket only %s\n", poll1(c, POLLIN, 100));
    printf("other socket waited %s\n", now_ms() - t0 >= 80 ? "yes" : "no");
    printf("other writable %s\n", poll1(c, POLLOUT, 2000));
    printf("left-out socket still readable %s\n", poll1(a, POLLIN, 2000));
    printf("recv %zd\n", recv(a, buf, sizeof buf, 0));
    printf("drained %s\n", poll1(a, POLLIN, 50));
    /* A blocking recv after poll blocks until its timeout, not EAGAIN at once. */
    struct timeval tv = {0, 200000};
    setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    t0 = now_ms();
    ssize_t n = recv(a, buf, sizeof buf, 0);
    long waited = now_ms() - t0;
    printf("blocking recv %zd %s waited %s\n", n, n < 0 ? ename(errno) : "", waited >= 150 ? "yes" : "no");
    send(c, "yz", 2, 0);
    printf("ready again %s\n", poll1(a, POLLIN, 2000));
    printf("blocking recv with data %zd\n", recv(a, buf, sizeof buf, 0));
    /* Close both ends and connect again: the new sockets may get the old
     * numbers (guest and host); nothing of the old ones may show. */
    close(a);
    close(c);
    c = connect_to(fam, SOCK_STREAM, "lo", port_of(lfd));
    if (c < 0)
        return 1;
    a = accept(lfd, NULL, NULL);
    if (a < 0)
        return fail("accept");
    printf("reused idle %s\n", poll1(a, POLLIN, 50));
    send(c, "q", 1, 0);
    printf("reused readable %s\n", poll1(a, POLLIN, 2000));
    printf("recv %zd\n", recv(a, buf, sizeof buf, 0));
    shutdown(c, SHUT_WR);
    printf("peer shut down %s\n", poll1(a, POLLIN, 2000));
    printf("recv at end %zd\n", recv(a, buf, sizeof buf, 0));
    close(a);
    close(c);
    close(lfd);
    /* UDP: readable once a datagram is queued, not before. */
    int u1 = socket(fam, SOCK_DGRAM, 0), u2 = socket(fam, SOCK_DGRAM, 0);
    struct sockaddr_storage ss;
    socklen_t len = make_addr(fam, "lo", 0, &ss);
    if (u1 < 0 || u2 < 0 || bind(u1, (struct sockaddr *)&ss, len) != 0)
        return fail("udp");
    struct sockaddr_storage to;
    socklen_t tolen = make_addr(fam, "lo", port_of(u1), &to);
    printf("udp idle %s\n", poll1(u1, POLLIN, 50));
    printf("udp writable %s\n", poll1(u2, POLLOUT, 2000));
    sendto(u2, "dgram", 5, 0, (struct sockaddr *)&to, tolen);
    printf("udp readable %s\n", poll1(u1, POLLIN, 2000));
    printf("udp recv %zd\n", recv(u1, buf, sizeof buf, 0));
    printf("udp drained %s\n", poll1(u1, POLLIN, 50));
    close(u1);
    close(u2);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {
        fprintf(stderr, "usage: socket_guest MODE ARGS...\n");
        return 2;
    }
    const char *m = argv[1];
    int fam = argc > 2 ? family_of(argv[2]) : AF_INET;
    if (!strcmp(m, "tcp-client") && argc == 4) return tcp_client(fam, atoi(argv[3]));
    if (!strcmp(m, "tcp-server") && argc == 3) return tcp_server(fam);
    if (!strcmp(m, "udp-server") && argc == 3) return udp_server(fam);
    if (!strcmp(m, "udp-client") && argc >= 4) return udp_client(fam, atoi(argv[3]), argc == 5);
    if (!strcmp(m, "reset") && argc == 4) return reset(fam, atoi(argv[3]));
    if (!strcmp(m, "sigpipe") && argc == 4) return sigpipe(fam, atoi(argv[3]));
    if (!strcmp(m, "timeout") && argc == 4) return timeout(fam, atoi(argv[3]));
    if (!strcmp(m, "nbconnect") && argc == 4) return nbconnect(fam, atoi(argv[3]));
    if (!strcmp(m, "pair") && argc == 3) return pair(fam);
    if (!strcmp(m, "readiness") && argc >= 3) return readiness(fam, argc == 4 ? atoi(argv[3]) : 0);
    if (!strcmp(m, "resolve") && argc == 3) return resolve(argv[2]);
    if (!strcmp(m, "resolve-connect") && argc == 4) return resolve_connect(argv[2], argv[3]);
    if (!strcmp(m, "try-connect") && argc == 6) return try_connect(fam, argv[3], argv[4], atoi(argv[5]));
    if (!strcmp(m, "try-bind") && argc >= 6) return try_bind(fam, argv[3], argv[4], atoi(argv[5]), argc == 7);
    fprintf(stderr, "socket_guest: bad mode or arguments\n");
    return 2;
}

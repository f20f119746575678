/*
 * echo_client.c -- load for the poll echo server benchmark (native only).
 *
 * Opens ACTIVE connections to HOST:PORT that each keep one SIZE-byte
 * message in flight (send, wait for the whole echo, send again), plus IDLE
 * connections that stay open and silent (a server with many connections of
 * which few are active). One thread, epoll, non-blocking sockets.
 *
 *   echo_client [--active N] [--idle N] [--size BYTES] [--seconds S | --echoes N]
 *               [--warmup S] HOST PORT
 *
 * --seconds S (default 2): after --warmup seconds (default 0.3), counts the
 * round trips completed in S seconds. --echoes N: stops after N round trips
 * in all (for counting the server's syscalls per echo). Prints one line:
 *   roundtrips=N seconds=S rt_per_s=X active=N idle=N
 * Exit status 0, or 1 on any error (a connection failed or closed early, or
 * an echo differed from what was sent).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
    int fd;
    size_t got;      /* bytes of the current echo received */
    unsigned char seq; /* fills the message, so a wrong echo is seen */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int connect_to(const struct sockaddr_in *addr)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("echo_client: socket");
        return -1;
    }
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) != 0) {
        perror("echo_client: connect");
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int send_message(struct conn *c, size_t size)
{
    unsigned char buf[65536];
    memset(buf, c->seq, size);
    ssize_t n = send(c->fd, buf, size, MSG_NOSIGNAL);
    if (n != (ssize_t)size) { /* a small message on an idle socket is sent whole */
        fprintf(stderr, "echo_client: send: %s\n", n < 0 ? strerror(errno) : "short");
        return -1;
    }
    c->got = 0;
    return 0;
}

int main(int argc, char **argv)
{
    long active = 16, idle = 0, size = 64, echoes = 0;
    double seconds = 2.0, warmup = 0.3;
    const char *host = NULL, *port = NULL;
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--active") && v) active = atol(argv[++i]);
        else if (!strcmp(a, "--idle") && v) idle = atol(argv[++i]);
        else if (!strcmp(a, "--size") && v) size = atol(argv[++i]);
        else if (!strcmp(a, "--seconds") && v) seconds = atof(argv[++i]);
        else if (!strcmp(a, "--warmup") && v) warmup = atof(argv[++i]);
        else if (!strcmp(a, "--echoes") && v) echoes = atol(argv[++i]);
        else if (!host) host = a;
        else if (!port) port = a;
        else {
            fprintf(stderr, "echo_client: unexpected argument %s\n", a);
            return 1;
        }
    }
    if (!host || !port || active < 1 || idle < 0 || size < 1 || size > 65536) {
        fprintf(stderr, "usage: echo_client [--active N] [--idle N] [--size BYTES] "
                        "[--seconds S | --echoes N] [--warmup S] HOST PORT\n");
        return 1;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port))};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "echo_client: not an IPv4 address: %s\n", host);
        return 1;
    }

    int *idle_fds = calloc((size_t)idle + 1, sizeof *idle_fds);
    struct conn *conns = calloc((size_t)active, sizeof *conns);
    struct epoll_event *events = calloc((size_t)active, sizeof *events);
    int ep = epoll_create1(0);
    if (!idle_fds || !conns || !events || ep < 0) {
        fprintf(stderr, "echo_client: out of memory or no epoll\n");
        return 1;
    }
    for (long i = 0; i < idle; ++i)
        if ((idle_fds[i] = connect_to(&addr)) < 0) return 1;
    for (long i = 0; i < active; ++i) {
        if ((conns[i].fd = connect_to(&addr)) < 0) return 1;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
    }
    for (long i = 0; i < active; ++i)
        if (send_message(&conns[i], (size_t)size) != 0) return 1;

    double start = now(), measure_from = echoes ? start : start + warmup;
    double end = echoes ? 0 : measure_from + seconds;
    long counted = 0, total = 0;
    int measuring = echoes != 0;
    unsigned char buf[65536];
    for (;;) {
        int n = epoll_wait(ep, events, (int)active, 1000);
        if (n < 0 && errno != EINTR) {
            perror("echo_client: epoll_wait");
            return 1;
        }
        double t = now();
        if (!echoes && !measuring && t >= measure_from) measuring = 1, counted = 0, measure_from = t;
        if (!echoes && t >= end) break;
        for (int k = 0; k < n; ++k) {
            struct conn *c = events[k].data.ptr;
            ssize_t r = recv(c->fd, buf, (size_t)size - c->got, 0);
            if (r <= 0) {
                fprintf(stderr, "echo_client: recv: %s\n", r < 0 ? strerror(errno) : "server closed");
                return 1;
            }
            for (ssize_t j = 0; j < r; ++j)
                if (buf[j] != c->seq) {
                    fprintf(stderr, "echo_client: wrong byte in the echo\n");
                    return 1;
                }
            c->got += (size_t)r;
            if (c->got < (size_t)size) continue;
            ++total;
            if (measuring) ++counted;
            if (echoes && total >= echoes) goto done;
            c->seq++;
            if (send_message(c, (size_t)size) != 0) return 1;
        }
    }
done:;
    double took = now() - measure_from;
    printf("roundtrips=%ld seconds=%.4f rt_per_s=%.1f active=%ld idle=%ld\n", counted, took,
           (double)counted / took, active, idle);
    for (long i = 0; i < active; ++i) close(conns[i].fd);
    for (long i = 0; i < idle; ++i) close(idle_fds[i]);
    return 0;
}

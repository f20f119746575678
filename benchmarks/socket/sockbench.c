/*
 * sockbench.c -- loopback socket benchmark. The same source is built natively
 * (clang-19 -O2) and as wasm (wasmaot-cc -O2, wasmaot compile -O2 -> .so);
 * benchmarks/socket/run.py pairs the builds and runs them.
 *
 *   sockbench tcp-recv CHUNK          listen on 127.0.0.1:0, print "port N",
 *                                     accept one connection, recvmsg() into two
 *                                     iovecs of CHUNK/2 bytes each until EOF,
 *                                     then send a 1-byte ack
 *   sockbench tcp-send PORT CHUNK MS  connect, sendmsg() CHUNK bytes a call
 *                                     (two iovecs, CHUNK/2 each) for about MS
 *                                     milliseconds, shut down writing, wait
 *                                     for the ack
 *   sockbench pp-server               listen, print "port N", accept, echo one
 *                                     byte at a time (recv, send) until EOF
 *   sockbench pp-client PORT MS       connect, 1-byte send + 1-byte recv round
 *                                     trips for about MS milliseconds
 *   sockbench udp-recv SIZE           bind a UDP socket to 127.0.0.1:0, print
 *                                     "port N", recvfrom() datagrams until a
 *                                     1-byte end marker
 *   sockbench udp-send PORT SIZE MS   sendto() SIZE-byte datagrams for about
 *                                     MS milliseconds, then end markers
 *
 * Every role prints exactly one result line on stdout (after the "port" line
 * of a server), "key=value" pairs separated by spaces, starting with
 * "result". Times are measured by the program itself with CLOCK_MONOTONIC and
 * exclude process start-up: a TCP sender times from just before connect() to
 * the ack, a receiver from the first byte to EOF, the ping-pong client the
 * round trips only. Not a test; exit status 0 on success.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#ifdef __wasi__
#include <wasi_socket_ext.h>
#define BUILD "wasm"
#else
#define BUILD "native"
#endif

#define MAX_CHUNK (1 << 20)

/* Send and receive buffers (two halves each), static so that the wasm build
 * keeps them in linear memory exactly like the native one keeps them in .bss. */
static char sbuf[MAX_CHUNK];
static char rbuf[MAX_CHUNK];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread (user + system): unlike the wall clock, it does
 * not grow while the thread waits for a CPU another process is using. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int die(const char *what)
{
    fprintf(stderr, "sockbench (%s): %s: %s\n", BUILD, what, strerror(errno));
    return 1;
}

static void loopback(struct sockaddr_in *a, int port)
{
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_port = htons((unsigned short)port);
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static long parse_chunk(const char *s)
{
    long v = atol(s);
    if (v < 2 || v > MAX_CHUNK) {
        fprintf(stderr, "sockbench: chunk size must be 2..%d\n", MAX_CHUNK);
        exit(2);
    }
    return v;
}

/* Binds a socket of `type` to 127.0.0.1:0 (listening if TCP) and prints its port. */
static int open_server(int type)
{
    struct sockaddr_in a;
    loopback(&a, 0);
    int s = socket(AF_INET, type, 0);
    if (s < 0)
        return -1;
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(s, (struct sockaddr *)&a, sizeof a) != 0)
        return -1;
    if (type == SOCK_STREAM && listen(s, 1) != 0)
        return -1;
    socklen_t len = sizeof a;
    if (getsockname(s, (struct sockaddr *)&a, &len) != 0)
        return -1;
    printf("port %d\n", ntohs(a.sin_port));
    fflush(stdout);
    return s;
}

static int connect_to(int port)
{
    struct sockaddr_in a;
    loopback(&a, port);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0)
        return -1;
    return s;
}

static void nodelay(int s)
{
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* secs: wall time; cpu: this thread's CPU time over the same interval. */
static void report(const char *mode, const char *role, long size, long long bytes,
                   long long calls, double secs, double cpu)
{
    if (secs <= 0)
        secs = 1e-9;
    printf("result mode=%s role=%s build=%s size=%ld bytes=%lld calls=%lld seconds=%.6f "
           "cpu_seconds=%.6f mb_per_s=%.3f calls_per_s=%.1f ns_per_call=%.2f "
           "cpu_ns_per_call=%.2f\n",
           mode, role, BUILD, size, bytes, calls, secs, cpu, (double)bytes / secs / 1e6,
           (double)calls / secs, calls ? secs * 1e9 / (double)calls : 0.0,
           calls ? cpu * 1e9 / (double)calls : 0.0);
    fflush(stdout);
}

/* ---- TCP streaming ------------------------------------------------------ */

static int tcp_recv(long chunk)
{
    int l = open_server(SOCK_STREAM);
    if (l < 0)
        return die("listen");
    int c = accept(l, NULL, NULL);
    if (c < 0)
        return die("accept");
    struct iovec iov[2] = {
        { rbuf, (size_t)(chunk / 2) },
        { rbuf + chunk / 2, (size_t)(chunk - chunk / 2) },
    };
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    long long total = 0, calls = 0;
    double t0 = 0, c0 = 0;
    for (;;) {
        ssize_t n = recvmsg(c, &msg, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return die("recvmsg");
        }
        if (calls++ == 0) {
            t0 = now();
            c0 = cpu_now();
        }
        if (n == 0)
            break;
        total += n;
    }
    double dt = now() - t0, dc = cpu_now() - c0;
    if (send(c, "k", 1, 0) != 1)
        return die("ack");
    close(c);
    close(l);
    /* The first call only waited for data; it is not counted. */
    report("tcp", "recv", chunk, total, calls - 1, dt, dc);
    return 0;
}

static int tcp_send(int port, long chunk, long ms)
{
    for (long i = 0; i < chunk; ++i)
        sbuf[i] = (char)(i * 31 + 7);
    double t0 = now(), c0 = cpu_now();
    int s = connect_to(port);
    if (s < 0)
        return die("connect");
    struct iovec iov[2] = {
        { sbuf, (size_t)(chunk / 2) },
        { sbuf + chunk / 2, (size_t)(chunk - chunk / 2) },
    };
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    /* Look at the clock about every 64 KiB, so that it costs nothing per call. */
    long check = chunk >= 65536 ? 1 : 65536 / chunk;
    double deadline = t0 + ms / 1000.0;
    long long total = 0, calls = 0;
    for (;;) {
        for (long k = 0; k < check; ++k) {
            ssize_t n = sendmsg(s, &msg, 0);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return die("sendmsg");
            }
            ++calls;
            total += n;
            if (n != chunk) {
                /* A short send (only after an interruption): finish the chunk. */
                long done = n;
                while (done < chunk) {
                    ssize_t m = send(s, sbuf + done, (size_t)(chunk - done), 0);
                    if (m < 0)
                        return die("send");
                    ++calls;
                    done += m;
                    total += m;
                }
            }
        }
        if (now() >= deadline)
            break;
    }
    if (shutdown(s, SHUT_WR) != 0)
        return die("shutdown");
    char ack;
    if (recv(s, &ack, 1, 0) != 1)
        return die("ack");
    double dt = now() - t0, dc = cpu_now() - c0;
    close(s);
    report("tcp", "send", chunk, total, calls, dt, dc);
    return 0;
}

/* ---- 1-byte ping-pong --------------------------------------------------- */

static int pp_server(void)
{
    int l = open_server(SOCK_STREAM);
    if (l < 0)
        return die("listen");
    int c = accept(l, NULL, NULL);
    if (c < 0)
        return die("accept");
    nodelay(c);
    long long trips = 0;
    double t0 = 0, c0 = 0;
    char b;
    for (;;) {
        ssize_t n = recv(c, &b, 1, 0);
        if (n < 0)
            return die("recv");
        if (trips == 0) {
            t0 = now();
            c0 = cpu_now();
        }
        if (n == 0)
            break;
        if (send(c, &b, 1, 0) != 1)
            return die("send");
        ++trips;
    }
    double dt = now() - t0, dc = cpu_now() - c0;
    close(c);
    close(l);
    report("pingpong", "server", 1, trips, trips, dt, dc);
    return 0;
}

static int pp_client(int port, long ms)
{
    int s = connect_to(port);
    if (s < 0)
        return die("connect");
    nodelay(s);
    char b = 'p';
    /* Warm up: a few round trips before the clock starts. */
    for (int i = 0; i < 100; ++i)
        if (send(s, &b, 1, 0) != 1 || recv(s, &b, 1, 0) != 1)
            return die("ping");
    long long trips = 0;
    double t0 = now(), c0 = cpu_now(), deadline = t0 + ms / 1000.0, t1;
    do {
        for (int i = 0; i < 64; ++i) {
            if (send(s, &b, 1, 0) != 1)
                return die("send");
            if (recv(s, &b, 1, 0) != 1)
                return die("recv");
        }
        trips += 64;
        t1 = now();
    } while (t1 < deadline);
    double dc = cpu_now() - c0;
    close(s);
    /* calls = round trips; ns_per_call = ns per round trip */
    report("pingpong", "client", 1, trips, trips, t1 - t0, dc);
    return 0;
}

/* ---- UDP ---------------------------------------------------------------- */

static int udp_recv(long size)
{
    int s = open_server(SOCK_DGRAM);
    if (s < 0)
        return die("bind");
    long long got = 0, bytes = 0;
    double t0 = 0, c0 = 0;
    for (;;) {
        struct sockaddr_in from;
        socklen_t flen = sizeof from;
        ssize_t n = recvfrom(s, rbuf, (size_t)size, 0, (struct sockaddr *)&from, &flen);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return die("recvfrom");
        }
        if (n == 1)
            break; /* end marker */
        if (got++ == 0) {
            t0 = now();
            c0 = cpu_now();
        }
        bytes += n;
    }
    /* Counted from the first datagram: the rate is of got - 1 intervals. */
    double dt = got ? now() - t0 : 0, dc = got ? cpu_now() - c0 : 0;
    close(s);
    report("udp", "recv", size, bytes, got, dt, dc);
    return 0;
}

static int udp_send(int port, long size, long ms)
{
    struct sockaddr_in a;
    loopback(&a, port);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0)
        return die("socket");
    for (long i = 0; i < size; ++i)
        sbuf[i] = (char)(i * 13 + 1);
    long long sent = 0, bytes = 0;
    double t0 = now(), c0 = cpu_now(), deadline = t0 + ms / 1000.0, t1;
    do {
        for (int i = 0; i < 64; ++i) {
            ssize_t n = sendto(s, sbuf, (size_t)size, 0, (struct sockaddr *)&a, sizeof a);
            if (n < 0) {
                if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
                    continue;
                return die("sendto");
            }
            ++sent;
            bytes += n;
        }
        t1 = now();
    } while (t1 < deadline);
    double dc = cpu_now() - c0;
    /* End markers: several, since a datagram may be dropped; the receiver
     * stops at the first, later ones are harmless. */
    struct timespec pause = { 0, 2000000 };
    for (int i = 0; i < 20; ++i) {
        sendto(s, "e", 1, 0, (struct sockaddr *)&a, sizeof a);
        nanosleep(&pause, NULL);
    }
    close(s);
    report("udp", "send", size, bytes, sent, t1 - t0, dc);
    return 0;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    if (!strcmp(m, "tcp-recv") && argc == 3)
        return tcp_recv(parse_chunk(argv[2]));
    if (!strcmp(m, "tcp-send") && argc == 5)
        return tcp_send(atoi(argv[2]), parse_chunk(argv[3]), atol(argv[4]));
    if (!strcmp(m, "pp-server") && argc == 2)
        return pp_server();
    if (!strcmp(m, "pp-client") && argc == 4)
        return pp_client(atoi(argv[2]), atol(argv[3]));
    if (!strcmp(m, "udp-recv") && argc == 3)
        return udp_recv(parse_chunk(argv[2]));
    if (!strcmp(m, "udp-send") && argc == 5)
        return udp_send(atoi(argv[2]), parse_chunk(argv[3]), atol(argv[4]));
    fprintf(stderr,
            "usage: sockbench tcp-recv CHUNK | tcp-send PORT CHUNK MS | pp-server |\n"
            "       pp-client PORT MS | udp-recv SIZE | udp-send PORT SIZE MS\n");
    return 2;
}

/*
 * sockbench.c -- quick loopback TCP throughput with 64 KiB writes, the
 * same source built natively and as wasm (wasmaot-cc) -> .so (wasmaot).
 *   sockbench recv            listen on 127.0.0.1:0, print "port N", read to
 *                             EOF in 64 KiB reads, send a 1-byte ack
 *   sockbench send PORT MIB   connect, write MIB MiB in 64 KiB writes,
 *                             shut down writing, wait for the ack, print
 *                             "MiB/s X" (timed from connect to ack)
 * Not a test; run.sh drives it. The full benchmark suite is elsewhere.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#ifdef __wasi__
#include <wasi_socket_ext.h>
#endif

#define CHUNK (64 * 1024)
static char buf[CHUNK];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int do_recv(void)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 1) != 0) {
        perror("listen");
        return 1;
    }
    socklen_t len = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &len);
    printf("port %d\n", ntohs(a.sin_port));
    fflush(stdout);
    int c = accept(l, NULL, NULL);
    if (c < 0) {
        perror("accept");
        return 1;
    }
    long long total = 0;
    for (;;) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n < 0) {
            perror("read");
            return 1;
        }
        if (n == 0)
            break;
        total += n;
    }
    if (write(c, "k", 1) != 1)
        return 1;
    close(c);
    close(l);
    fprintf(stderr, "received %lld bytes\n", total);
    return 0;
}

static int do_send(int port, long mib)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memset(buf, 'x', sizeof buf);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    double t0 = now();
    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("connect");
        return 1;
    }
    long long total = (long long)mib * 1024 * 1024;
    for (long long sent = 0; sent < total;) {
        ssize_t n = write(s, buf, sizeof buf);
        if (n <= 0) {
            perror("write");
            return 1;
        }
        sent += n;
    }
    shutdown(s, SHUT_WR);
    char ack;
    if (read(s, &ack, 1) != 1) {
        perror("ack");
        return 1;
    }
    double dt = now() - t0;
    printf("MiB/s %.0f\n", mib / dt);
    close(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "recv"))
        return do_recv();
    if (argc == 4 && !strcmp(argv[1], "send"))
        return do_send(atoi(argv[2]), atol(argv[3]));
    fprintf(stderr, "usage: sockbench recv | send PORT MIB\n");
    return 2;
}

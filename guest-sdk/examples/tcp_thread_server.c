/*
 * tcp_thread_server.c -- a TCP echo server with one thread per connection.
 *
 * The main thread accepts; each accepted client gets its own detached
 * pthread that echoes with plain blocking recv()/send() until the client
 * shuts down its side. This is the design most C servers start from, and
 * under wasmaot it needs the threads support: build with -pthread.
 *
 *   tcp_thread_server [-4|-6] [--bind ADDR] [--exit-after N] [-q] PORT
 *
 * PORT 0 picks a free port; "listening on PORT" is printed on stdout. With
 * --exit-after N the server exits (status 0) once N connections have been
 * served and closed, so that tests end cleanly.
 *
 * Build and run under wasmaot (see README.md):
 *   wasmaot-cc -pthread -O2 tcp_thread_server.c -o tcp_thread_server.wasm
 *   wasmaot run --addr-pool=127.0.0.1/32 tcp_thread_server.wasm 7777
 * It is also an ordinary POSIX program: cc -pthread -O2 tcp_thread_server.c
 */
#include <errno.h>
#include <pthread.h>
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

#define BUF_SIZE 65536

static int quiet;
static long served;  /* connections finished, guarded by done_lock */
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_changed = PTHREAD_COND_INITIALIZER;

struct connection {
    int fd;
    char addr[64];
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: tcp_thread_server [-4|-6] [--bind ADDR] [--exit-after N] [-q] PORT\n"
            "Echoes every byte each client sends, one thread per client.\n"
            "  -4, -6            IPv4 (default) or IPv6\n"
            "  --bind ADDR       local address (default: the wildcard)\n"
            "  --exit-after N    exit after N connections were served\n"
            "  -q                do not log connections on stderr\n"
            "PORT 0 picks a free port; \"listening on PORT\" is printed on stdout.\n");
}

static long parse_number(const char *s, const char *what)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0) {
        fprintf(stderr, "tcp_thread_server: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

/* Sends all of buf; 0, or -1 on error. */
static int send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void *serve(void *arg)
{
    struct connection *c = arg;
    char *buf = malloc(BUF_SIZE);
    long total = 0;
    int failed = buf == NULL;
    while (!failed) {
        ssize_t n = recv(c->fd, buf, BUF_SIZE, 0);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            failed = 1;
            break;
        }
        if (send_all(c->fd, buf, (size_t)n) != 0)
            failed = 1;
        total += n;
    }
    if (!quiet)
        fprintf(stderr, "%s: echoed %ld bytes%s\n", c->addr, total, failed ? " (error)" : "");
    close(c->fd);
    free(buf);
    free(c);
    pthread_mutex_lock(&done_lock);
    ++served;
    pthread_cond_signal(&done_changed);
    pthread_mutex_unlock(&done_lock);
    return NULL;
}

int main(int argc, char **argv)
{
    int v6 = 0;
    const char *bind_addr = NULL;
    long exit_after = -1;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; ++i) {
        if (!strcmp(argv[i], "-4")) {
            v6 = 0;
        } else if (!strcmp(argv[i], "-6")) {
            v6 = 1;
        } else if (!strcmp(argv[i], "-q")) {
            quiet = 1;
        } else if (!strcmp(argv[i], "--bind") && i + 1 < argc) {
            bind_addr = argv[++i];
        } else if (!strcmp(argv[i], "--exit-after") && i + 1 < argc) {
            exit_after = parse_number(argv[++i], "--exit-after");
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (i + 1 != argc) {
        usage(stderr);
        return 2;
    }
    long port = parse_number(argv[i], "port");
    if (port > 65535) {
        fprintf(stderr, "tcp_thread_server: bad port: %s\n", argv[i]);
        return 2;
    }

    int lfd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    if (lfd < 0) {
        perror("socket");
        return 1;
    }
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t slen;
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((unsigned short)port);
        a->sin6_addr = in6addr_any;
        if (bind_addr && inet_pton(AF_INET6, bind_addr, &a->sin6_addr) != 1) {
            fprintf(stderr, "tcp_thread_server: bad IPv6 address: %s\n", bind_addr);
            return 2;
        }
        slen = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((unsigned short)port);
        a->sin_addr.s_addr = htonl(INADDR_ANY);
        if (bind_addr && inet_pton(AF_INET, bind_addr, &a->sin_addr) != 1) {
            fprintf(stderr, "tcp_thread_server: bad IPv4 address: %s\n", bind_addr);
            return 2;
        }
        slen = sizeof *a;
    }
    if (bind(lfd, (struct sockaddr *)&ss, slen) < 0) {
        perror("bind");
        return 1;
    }
    if (listen(lfd, 128) < 0) {
        perror("listen");
        return 1;
    }
    slen = sizeof ss;
    if (getsockname(lfd, (struct sockaddr *)&ss, &slen) < 0) {
        perror("getsockname");
        return 1;
    }
    unsigned short bound = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
    printf("listening on %u\n", bound);
    fflush(stdout);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    long accepted = 0;
    while (exit_after < 0 || accepted < exit_after) {
        struct sockaddr_storage peer;
        socklen_t plen = sizeof peer;
        int fd = accept(lfd, (struct sockaddr *)&peer, &plen);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            perror("accept");
            return 1;
        }
        struct connection *c = malloc(sizeof *c);
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->addr[0] = '\0';
        if (peer.ss_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&peer)->sin6_addr, c->addr, sizeof c->addr);
        else
            inet_ntop(AF_INET, &((struct sockaddr_in *)&peer)->sin_addr, c->addr, sizeof c->addr);
        pthread_t thread;
        int rc = pthread_create(&thread, &attr, serve, c);
        if (rc != 0) {
            fprintf(stderr, "tcp_thread_server: pthread_create: %s\n", strerror(rc));
            close(fd);
            free(c);
            continue;
        }
        ++accepted;
    }
    /* Every accepted connection has its thread; wait for them to finish. */
    pthread_mutex_lock(&done_lock);
    while (served < accepted)
        pthread_cond_wait(&done_changed, &done_lock);
    pthread_mutex_unlock(&done_lock);
    close(lfd);
    return 0;
}

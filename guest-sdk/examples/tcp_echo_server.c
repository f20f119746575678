/*
 * tcp_echo_server.c -- a poll()-based TCP echo server for many clients at once.
 *
 * One thread, one poll() loop: the listening socket and every client socket
 * are non-blocking. Each client has its own buffer; whatever it sends is
 * written back to it, a partial write just leaves the rest for the next
 * POLLOUT. A client is closed when it has shut down its side (EOF) and
 * everything it sent has been echoed, or on any error.
 *
 *   tcp_echo_server [-4|-6] [--bind ADDR] [--max-clients N] [--exit-after N] PORT
 *
 * PORT 0 picks a free port. Once listening, the server prints
 * "listening on PORT" (the real port) on stdout. With --exit-after N it exits
 * (status 0) after N connections have been served and closed, so that tests
 * end cleanly. --max-clients N stops accepting while N clients are connected
 * (the rest wait in the listen backlog).
 *
 * Build and run under wasmaot (see README.md):
 *   wasmaot-cc -O2 tcp_echo_server.c -o tcp_echo_server.wasm
 *   wasmaot compile tcp_echo_server.wasm -o tcp_echo_server.so
 *   wasmaot run --addr-pool=127.0.0.1/32 tcp_echo_server.so 7777
 * It is also an ordinary POSIX program: cc -O2 tcp_echo_server.c
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

struct client {
    int fd;
    int eof;          /* the peer has shut down its writing side */
    size_t start;     /* unsent bytes are buf[start, end) */
    size_t end;
    char addr[64];
    char buf[BUF_SIZE];
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: tcp_echo_server [-4|-6] [--bind ADDR] [--max-clients N]\n"
            "                       [--exit-after N] [-q] PORT\n"
            "Echoes every byte each client sends, many clients at once (poll).\n"
            "  -4, -6            IPv4 (default) or IPv6\n"
            "  --bind ADDR       local address (default: the wildcard)\n"
            "  --max-clients N   at most N clients at a time (default 64)\n"
            "  --exit-after N    exit after N connections were served\n"
            "  -q                do not log connections on stderr\n"
            "PORT 0 picks a free port; \"listening on PORT\" is printed on stdout.\n");
}

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0)
        return -1;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static long parse_number(const char *s, const char *what)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0) {
        fprintf(stderr, "tcp_echo_server: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

static void format_addr(const struct sockaddr_storage *ss, char *out, size_t size)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
        port = ntohs(sin->sin_port);
        snprintf(out, size, "%s:%u", host, port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
        port = ntohs(sin6->sin6_port);
        snprintf(out, size, "[%s]:%u", host, port);
    } else {
        snprintf(out, size, "(family %d)", (int)ss->ss_family);
    }
}

/* Opens, binds and listens; returns the socket, prints the port. */
static int open_listener(int family, const char *bind_addr, unsigned port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int one = 1;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((unsigned short)port);
        sin->sin_addr.s_addr = htonl(INADDR_ANY);
        if (bind_addr && inet_pton(AF_INET, bind_addr, &sin->sin_addr) != 1) {
            fprintf(stderr, "tcp_echo_server: not an IPv4 address: %s\n", bind_addr);
            exit(2);
        }
        len = sizeof *sin;
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((unsigned short)port);
        sin6->sin6_addr = in6addr_any;
        if (bind_addr && inet_pton(AF_INET6, bind_addr, &sin6->sin6_addr) != 1) {
            fprintf(stderr, "tcp_echo_server: not an IPv6 address: %s\n", bind_addr);
            exit(2);
        }
        len = sizeof *sin6;
    }

    int fd = socket(family, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("tcp_echo_server: socket");
        exit(1);
    }
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        perror("tcp_echo_server: setsockopt(SO_REUSEADDR)"); /* not fatal */
    if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
        perror("tcp_echo_server: bind");
        exit(1);
    }
    if (listen(fd, 128) != 0) {
        perror("tcp_echo_server: listen");
        exit(1);
    }
    if (set_nonblocking(fd) != 0) {
        perror("tcp_echo_server: fcntl(O_NONBLOCK)");
        exit(1);
    }

    /* Port 0: ask the system which port we got. */
    len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
        perror("tcp_echo_server: getsockname");
        exit(1);
    }
    port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                         : ((struct sockaddr_in6 *)&ss)->sin6_port);
    printf("listening on %u\n", port);
    fflush(stdout);
    return fd;
}

/* Reads what fits into the client's buffer. Returns -1 to close the client. */
static int client_read(struct client *c)
{
    for (;;) {
        if (c->end == BUF_SIZE)
            return 0; /* full: wait until some is written back */
        ssize_t n = recv(c->fd, c->buf + c->end, BUF_SIZE - c->end, 0);
        if (n > 0) {
            c->end += (size_t)n;
            continue;
        }
        if (n == 0) {
            c->eof = 1;
            return 0;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        fprintf(stderr, "tcp_echo_server: recv from %s: %s\n", c->addr, strerror(errno));
        return -1;
    }
}

/* Writes back what is pending; a partial write keeps the rest. */
static int client_write(struct client *c)
{
    while (c->start < c->end) {
        ssize_t n = send(c->fd, c->buf + c->start, c->end - c->start, MSG_NOSIGNAL);
        if (n > 0) {
            c->start += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        fprintf(stderr, "tcp_echo_server: send to %s: %s\n", c->addr,
                n < 0 ? strerror(errno) : "wrote nothing");
        return -1;
    }
    c->start = c->end = 0; /* all echoed: the whole buffer is free again */
    return 0;
}

int main(int argc, char **argv)
{
    int family = AF_INET, quiet = 0;
    const char *bind_addr = NULL, *port_arg = NULL;
    long max_clients = 64, exit_after = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "-4")) {
            family = AF_INET;
        } else if (!strcmp(a, "-6")) {
            family = AF_INET6;
        } else if (!strcmp(a, "-q")) {
            quiet = 1;
        } else if (!strcmp(a, "--bind") && i + 1 < argc) {
            bind_addr = argv[++i];
        } else if (!strcmp(a, "--max-clients") && i + 1 < argc) {
            max_clients = parse_number(argv[++i], "--max-clients");
        } else if (!strcmp(a, "--exit-after") && i + 1 < argc) {
            exit_after = parse_number(argv[++i], "--exit-after");
        } else if (a[0] == '-' && a[1] != '\0') {
            usage(stderr);
            return 2;
        } else if (!port_arg) {
            port_arg = a;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!port_arg || max_clients < 1) {
        usage(stderr);
        return 2;
    }
    long port = parse_number(port_arg, "port");
    if (port > 65535) {
        fprintf(stderr, "tcp_echo_server: bad port: %s\n", port_arg);
        return 2;
    }

    int listener = open_listener(family, bind_addr, (unsigned)port);

    /* pfds[0] is the listener; pfds[i] (i >= 1) belongs to clients[i - 1]. */
    struct pollfd *pfds = calloc((size_t)max_clients + 1, sizeof *pfds);
    struct client **clients = calloc((size_t)max_clients, sizeof *clients);
    if (!pfds || !clients) {
        fprintf(stderr, "tcp_echo_server: out of memory\n");
        return 1;
    }
    long nclients = 0, served = 0;

    for (;;) {
        /* Listen only while there is room; read while the buffer has space and
         * the peer may still send; write while something is pending. */
        pfds[0].fd = listener;
        pfds[0].events = nclients < max_clients ? POLLIN : 0;
        for (long i = 0; i < nclients; i++) {
            struct client *c = clients[i];
            pfds[i + 1].fd = c->fd;
            pfds[i + 1].events = 0;
            pfds[i + 1].revents = 0;
            if (!c->eof && c->end < BUF_SIZE)
                pfds[i + 1].events |= POLLIN;
            if (c->start < c->end)
                pfds[i + 1].events |= POLLOUT;
        }
        pfds[0].revents = 0;

        int ready = poll(pfds, (nfds_t)nclients + 1, -1);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            perror("tcp_echo_server: poll");
            return 1;
        }

        /* Serve existing clients first (the array is compacted as they go). */
        long kept = 0;
        for (long i = 0; i < nclients; i++) {
            struct client *c = clients[i];
            short re = pfds[i + 1].revents;
            int bad = 0;
            if (re & (POLLIN | POLLHUP | POLLERR))
                bad = client_read(c) < 0;
            if (!bad && c->start < c->end)
                bad = client_write(c) < 0; /* try at once, not only on POLLOUT */
            if (!bad && (re & (POLLERR | POLLNVAL)) && c->start < c->end)
                bad = 1;
            if (bad || (c->eof && c->start == c->end)) {
                if (!quiet)
                    fprintf(stderr, "tcp_echo_server: %s %s\n", c->addr,
                            bad ? "dropped" : "done");
                close(c->fd);
                free(c);
                served++;
                continue;
            }
            clients[kept++] = c;
        }
        nclients = kept;
        if (exit_after > 0 && served >= exit_after) {
            if (!quiet)
                fprintf(stderr, "tcp_echo_server: served %ld connections, exiting\n", served);
            break;
        }

        /* Accept every pending connection while there is room. */
        if (pfds[0].revents & POLLIN) {
            while (nclients < max_clients) {
                struct sockaddr_storage peer;
                socklen_t plen = sizeof peer;
                int fd = accept(listener, (struct sockaddr *)&peer, &plen);
                if (fd < 0) {
                    if (errno == EINTR)
                        continue;
                    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
                        perror("tcp_echo_server: accept");
                    break;
                }
                struct client *c = malloc(sizeof *c);
                if (!c || set_nonblocking(fd) != 0) {
                    fprintf(stderr, "tcp_echo_server: cannot take a client: %s\n",
                            c ? strerror(errno) : "out of memory");
                    free(c);
                    close(fd);
                    continue;
                }
                c->fd = fd;
                c->eof = 0;
                c->start = c->end = 0;
                format_addr(&peer, c->addr, sizeof c->addr);
                if (!quiet)
                    fprintf(stderr, "tcp_echo_server: %s connected\n", c->addr);
                clients[nclients++] = c;
            }
        }
    }

    close(listener);
    free(pfds);
    free(clients);
    return 0;
}

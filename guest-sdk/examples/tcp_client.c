/*
 * tcp_client.c -- connect to HOST:PORT, send lines, print what comes back.
 *
 *   tcp_client [-4|-6] [-t SECONDS] HOST PORT [LINE...]
 *
 * HOST is a name or an address, resolved with getaddrinfo(); every address
 * it gives is tried in turn until one connects. The client sends each LINE
 * argument followed by "\n" (or, with no LINE, everything it reads on stdin)
 * while copying whatever the server sends to stdout (one poll() loop, so a
 * large input cannot deadlock against an echo). When all is sent it shuts down
 * its writing side (a half-close: the server sees EOF but can still answer)
 * and goes on printing until the server closes the connection. Against an
 * echo server the output is the input.
 *
 * Exit status: 0 on success, 1 on a network error or timeout, 2 on bad usage
 * or a name that does not resolve.
 *
 * Under wasmaot (see README.md):
 *   wasmaot run --addr-pool=127.0.0.1/32 tcp_client.so 127.0.0.1 7777 hello
 *   wasmaot run --addr-pool=127.0.0.1/32,::1/128 --allow-resolve=localhost \
 *       tcp_client.so localhost 7777 hello
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#ifdef __wasi__
#include <wasi_socket_ext.h>
#endif

static void usage(FILE *out)
{
    fprintf(out,
            "usage: tcp_client [-4|-6] [-t SECONDS] HOST PORT [LINE...]\n"
            "Sends each LINE (or stdin), half-closes, prints the replies until EOF.\n"
            "  -4, -6       only IPv4 / only IPv6 addresses of HOST\n"
            "  -t SECONDS   give up when the peer is silent this long (default 30)\n");
}

static void describe(const struct addrinfo *ai, char *out, size_t size)
{
    char host[INET6_ADDRSTRLEN] = "?";
    if (ai->ai_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, host, sizeof host);
    else if (ai->ai_family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, host, sizeof host);
    snprintf(out, size, ai->ai_family == AF_INET6 ? "[%s]" : "%s", host);
}

/* Tries every address of host:port; returns a connected socket or -1. */
static int connect_to(const char *host, const char *port, int family, int timeout_s)
{
    struct addrinfo hints, *res, *ai;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "tcp_client: %s: %s%s%s\n", host, gai_strerror(rc),
                rc == EAI_SYSTEM ? ": " : "", rc == EAI_SYSTEM ? strerror(errno) : "");
        exit(2);
    }
    int fd = -1;
    for (ai = res; ai; ai = ai->ai_next) {
        char name[INET6_ADDRSTRLEN + 2];
        describe(ai, name, sizeof name);
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            fprintf(stderr, "tcp_client: socket: %s\n", strerror(errno));
            continue;
        }
        /* Bound the blocking connect (SO_SNDTIMEO); the rest uses poll. */
        struct timeval tv = {timeout_s, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            fprintf(stderr, "tcp_client: connected to %s:%s\n", name, port);
            break;
        }
        fprintf(stderr, "tcp_client: connect to %s:%s: %s\n", name, port, strerror(errno));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

int main(int argc, char **argv)
{
    int family = AF_UNSPEC, timeout_s = 30, i;
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "-4")) {
            family = AF_INET;
        } else if (!strcmp(argv[i], "-6")) {
            family = AF_INET6;
        } else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
            timeout_s = atoi(argv[++i]);
            if (timeout_s <= 0) {
                fprintf(stderr, "tcp_client: bad timeout: %s\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (argc - i < 2) {
        usage(stderr);
        return 2;
    }
    const char *host = argv[i], *port = argv[i + 1];
    int first_line = i + 2;

    int fd = connect_to(host, port, family, timeout_s);
    if (fd < 0)
        return 1;

    /* Gather what to send: the LINE arguments, or all of stdin. */
    size_t len = 0, cap = 4096;
    char *out = malloc(cap);
    for (int k = first_line; out && k < argc; k++) {
        size_t l = strlen(argv[k]);
        if (len + l + 1 > cap) {
            while (len + l + 1 > cap)
                cap *= 2;
            out = realloc(out, cap);
            if (!out)
                break;
        }
        memcpy(out + len, argv[k], l);
        out[len + l] = '\n';
        len += l + 1;
    }
    if (out && first_line >= argc) {
        size_t n;
        for (;;) {
            if (len == cap && !(out = realloc(out, cap *= 2)))
                break;
            if ((n = fread(out + len, 1, cap - len, stdin)) == 0)
                break;
            len += n;
        }
    }
    if (!out) {
        fprintf(stderr, "tcp_client: out of memory\n");
        return 1;
    }

    /* Send and receive at the same time (poll), so that a large input cannot
     * deadlock against a server that answers while we are still sending.
     * When everything is sent, half-close: "no more data from us"; the
     * replies can still arrive. Stop when the server closes. */
    size_t sent = 0;
    int shut = 0;
    char buf[16384];
    for (;;) {
        if (sent == len && !shut) {
            if (shutdown(fd, SHUT_WR) != 0) {
                perror("tcp_client: shutdown");
                return 1;
            }
            shut = 1;
        }
        struct pollfd p = {fd, (short)(POLLIN | (shut ? 0 : POLLOUT)), 0};
        int r = poll(&p, 1, timeout_s * 1000);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            perror("tcp_client: poll");
            return 1;
        }
        if (r == 0) {
            fprintf(stderr, "tcp_client: the server was silent for %d s\n", timeout_s);
            return 1;
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0) {
                fwrite(buf, 1, (size_t)n, stdout);
            } else if (n == 0) {
                if (!shut)
                    fprintf(stderr, "tcp_client: the server closed before taking all input\n");
                break;
            } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
                perror("tcp_client: recv");
                return 1;
            }
        }
        if (!shut && (p.revents & POLLOUT)) {
            ssize_t n = send(fd, out + sent, len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0)
                sent += (size_t)n;
            else if (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
                perror("tcp_client: send");
                return 1;
            }
        }
    }
    free(out);
    fflush(stdout);
    close(fd);
    return 0;
}

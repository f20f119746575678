/*
 * udp_echo_client.c -- send datagrams to a UDP echo server and check the echoes.
 *
 *   udp_echo_client [-4|-6] [-t MS] [-r TRIES] HOST PORT MESSAGE...
 *
 * Resolves HOST (getaddrinfo, SOCK_DGRAM), then for each MESSAGE: sendto()
 * it as one datagram, wait up to MS milliseconds (poll) for a reply from that
 * same address (datagrams from anyone else are ignored), and print the reply
 * on stdout, one per line. UDP may lose datagrams: a message without reply is
 * sent again, up to TRIES times in all.
 *
 * Exit status: 0 when every message came back unchanged, 1 when one did not
 * (no reply or a different reply), 2 on bad usage or a name that does not
 * resolve.
 *
 * Under wasmaot (see README.md):
 *   wasmaot run --addr-pool=127.0.0.1/32 udp_echo_client.so 127.0.0.1 7777 hello
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
            "usage: udp_echo_client [-4|-6] [-t MS] [-r TRIES] HOST PORT MESSAGE...\n"
            "Sends each MESSAGE as a datagram and prints the echo.\n"
            "  -4, -6      only IPv4 / only IPv6 addresses of HOST\n"
            "  -t MS       wait this long for each reply (default 1000)\n"
            "  -r TRIES    send a message at most this many times (default 3)\n");
}

/* Same address and port? */
static int same_peer(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return 0;
    if (a->sa_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
    return x->sin6_port == y->sin6_port &&
           memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
}

/* Waits for the reply to one message; returns its length or -1 on timeout. */
static ssize_t await_reply(int fd, const struct sockaddr *server, char *buf, size_t size, int timeout_ms)
{
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            perror("udp_echo_client: poll");
            exit(1);
        }
        if (r == 0)
            return -1;
        struct sockaddr_storage from;
        socklen_t flen = sizeof from;
        ssize_t n = recvfrom(fd, buf, size, 0, (struct sockaddr *)&from, &flen);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            /* e.g. ECONNREFUSED: an ICMP "port unreachable" from the host */
            fprintf(stderr, "udp_echo_client: recvfrom: %s\n", strerror(errno));
            return -1;
        }
        if (same_peer((struct sockaddr *)&from, server))
            return n;
        fprintf(stderr, "udp_echo_client: ignoring a datagram from someone else\n");
    }
}

int main(int argc, char **argv)
{
    int family = AF_UNSPEC, timeout_ms = 1000, tries = 3, i;
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "-4")) {
            family = AF_INET;
        } else if (!strcmp(argv[i], "-6")) {
            family = AF_INET6;
        } else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
            timeout_ms = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "-r") && i + 1 < argc) {
            tries = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (argc - i < 3 || timeout_ms <= 0 || tries <= 0) {
        usage(stderr);
        return 2;
    }
    const char *host = argv[i], *port = argv[i + 1];

    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = SOCK_DGRAM;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "udp_echo_client: %s: %s%s%s\n", host, gai_strerror(rc),
                rc == EAI_SYSTEM ? ": " : "", rc == EAI_SYSTEM ? strerror(errno) : "");
        return 2;
    }
    /* UDP has no handshake to tell which address works: use the first one. */
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd < 0) {
        perror("udp_echo_client: socket");
        return 1;
    }

    static char reply[65536];
    int failures = 0;
    for (int k = i + 2; k < argc; k++) {
        const char *msg = argv[k];
        size_t len = strlen(msg);
        ssize_t n = -1;
        for (int t = 0; t < tries && n < 0; t++) {
            if (sendto(fd, msg, len, 0, res->ai_addr, res->ai_addrlen) != (ssize_t)len) {
                fprintf(stderr, "udp_echo_client: sendto: %s\n", strerror(errno));
                return 1;
            }
            n = await_reply(fd, res->ai_addr, reply, sizeof reply, timeout_ms);
        }
        if (n < 0) {
            fprintf(stderr, "udp_echo_client: no reply to \"%s\" after %d tries\n", msg, tries);
            failures++;
            continue;
        }
        fwrite(reply, 1, (size_t)n, stdout);
        fputc('\n', stdout);
        if ((size_t)n != len || memcmp(reply, msg, len) != 0) {
            fprintf(stderr, "udp_echo_client: the reply differs from \"%s\"\n", msg);
            failures++;
        }
    }
    fflush(stdout);
    freeaddrinfo(res);
    close(fd);
    return failures ? 1 : 0;
}

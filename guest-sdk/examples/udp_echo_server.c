/*
 * udp_echo_server.c -- send every datagram back to whoever sent it.
 *
 *   udp_echo_server [-4|-6] [--bind ADDR] [--exit-after N] PORT
 *
 * Binds a UDP socket (PORT 0 picks a free port; "listening on PORT" is
 * printed on stdout once bound), then loops: recvfrom() a datagram, sendto()
 * the same bytes back to the source address. With --exit-after N it exits
 * (status 0) after echoing N datagrams, so that tests end cleanly.
 *
 * Under wasmaot (see README.md):
 *   wasmaot run --addr-pool=127.0.0.1/32 udp_echo_server.so 7777
 *   wasmaot run --addr-pool=::1/128 udp_echo_server.so -6 --bind ::1 7777
 */
#include <errno.h>
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

static void usage(FILE *out)
{
    fprintf(out,
            "usage: udp_echo_server [-4|-6] [--bind ADDR] [--exit-after N] [-q] PORT\n"
            "Sends every datagram back to its sender.\n"
            "  -4, -6           IPv4 (default) or IPv6\n"
            "  --bind ADDR      local address (default: the wildcard)\n"
            "  --exit-after N   exit after echoing N datagrams\n"
            "  -q               do not log datagrams on stderr\n"
            "PORT 0 picks a free port; \"listening on PORT\" is printed on stdout.\n");
}

static unsigned port_of(const struct sockaddr_storage *ss)
{
    return ntohs(ss->ss_family == AF_INET ? ((const struct sockaddr_in *)ss)->sin_port
                                          : ((const struct sockaddr_in6 *)ss)->sin6_port);
}

int main(int argc, char **argv)
{
    int family = AF_INET, quiet = 0;
    long exit_after = 0;
    const char *bind_addr = NULL, *port_arg = NULL;
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
        } else if (!strcmp(a, "--exit-after") && i + 1 < argc) {
            exit_after = atol(argv[++i]);
        } else if (a[0] != '-' && !port_arg) {
            port_arg = a;
        } else {
            usage(stderr);
            return 2;
        }
    }
    char *end;
    long port = port_arg ? strtol(port_arg, &end, 10) : -1;
    if (!port_arg || *end != '\0' || port < 0 || port > 65535 || exit_after < 0) {
        usage(stderr);
        return 2;
    }

    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((unsigned short)port);
        sin->sin_addr.s_addr = htonl(INADDR_ANY);
        if (bind_addr && inet_pton(AF_INET, bind_addr, &sin->sin_addr) != 1) {
            fprintf(stderr, "udp_echo_server: not an IPv4 address: %s\n", bind_addr);
            return 2;
        }
        len = sizeof *sin;
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((unsigned short)port);
        sin6->sin6_addr = in6addr_any;
        if (bind_addr && inet_pton(AF_INET6, bind_addr, &sin6->sin6_addr) != 1) {
            fprintf(stderr, "udp_echo_server: not an IPv6 address: %s\n", bind_addr);
            return 2;
        }
        len = sizeof *sin6;
    }

    int fd = socket(family, SOCK_DGRAM, 0);
    if (fd < 0) {
        perror("udp_echo_server: socket");
        return 1;
    }
    if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
        perror("udp_echo_server: bind");
        return 1;
    }
    len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
        perror("udp_echo_server: getsockname");
        return 1;
    }
    printf("listening on %u\n", port_of(&ss));
    fflush(stdout);

    static char buf[65536]; /* the largest datagram */
    for (long echoed = 0; exit_after == 0 || echoed < exit_after; echoed++) {
        struct sockaddr_storage from;
        socklen_t flen = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("udp_echo_server: recvfrom");
            return 1;
        }
        if (!quiet) {
            char host[INET6_ADDRSTRLEN] = "?";
            const void *a = from.ss_family == AF_INET
                                ? (const void *)&((struct sockaddr_in *)&from)->sin_addr
                                : (const void *)&((struct sockaddr_in6 *)&from)->sin6_addr;
            inet_ntop(from.ss_family, a, host, sizeof host);
            fprintf(stderr, "udp_echo_server: %zd bytes from %s port %u\n", n, host, port_of(&from));
        }
        if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, flen) != n)
            perror("udp_echo_server: sendto"); /* keep serving the others */
    }
    close(fd);
    return 0;
}

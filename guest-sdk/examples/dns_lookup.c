/*
 * dns_lookup.c -- print every address getaddrinfo() gives for a name.
 *
 *   dns_lookup [-4|-6] [-t stream|dgram] NAME [SERVICE]
 *
 * One line per result: family, socket type, address (and port when a
 * SERVICE was given), e.g.
 *
 *     inet   stream  127.0.0.1
 *     inet6  dgram   ::1 port 53
 *
 * Exit status: 0 when the name resolved, 2 when it did not (the reason from
 * gai_strerror(), and strerror(errno) for EAI_SYSTEM, goes to stderr).
 *
 * Under wasmaot name resolution needs permission (see README.md):
 *   wasmaot run --allow-resolve=localhost dns_lookup.so localhost
 * Without it the lookup fails with EAI_SYSTEM ("Permission denied").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
            "usage: dns_lookup [-4|-6] [-t stream|dgram] NAME [SERVICE]\n"
            "Prints every address of NAME: family, socket type, address.\n"
            "  -4, -6              only IPv4 / only IPv6 results\n"
            "  -t stream|dgram     only this socket type (default: both)\n"
            "Exit status 2 when NAME does not resolve.\n");
}

int main(int argc, char **argv)
{
    int family = AF_UNSPEC, socktype = 0, i;
    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "-4")) {
            family = AF_INET;
        } else if (!strcmp(argv[i], "-6")) {
            family = AF_INET6;
        } else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
            i++;
            if (!strcmp(argv[i], "stream"))
                socktype = SOCK_STREAM;
            else if (!strcmp(argv[i], "dgram"))
                socktype = SOCK_DGRAM;
            else {
                usage(stderr);
                return 1;
            }
        } else {
            usage(stderr);
            return 1;
        }
    }
    if (i >= argc || argc - i > 2) {
        usage(stderr);
        return 1;
    }
    const char *name = argv[i], *service = i + 1 < argc ? argv[i + 1] : NULL;

    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = socktype; /* 0: every type */
    int rc = getaddrinfo(name, service, &hints, &res);
    if (rc != 0) {
        if (rc == EAI_SYSTEM)
            fprintf(stderr, "dns_lookup: %s: %s: %s\n", name, gai_strerror(rc), strerror(errno));
        else
            fprintf(stderr, "dns_lookup: %s: %s\n", name, gai_strerror(rc));
        return 2;
    }

    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        char addr[INET6_ADDRSTRLEN] = "?";
        unsigned port = 0;
        const char *fam = "?";
        if (ai->ai_family == AF_INET) {
            const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;
            inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof addr);
            port = ntohs(sin->sin_port);
            fam = "inet";
        } else if (ai->ai_family == AF_INET6) {
            const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ai->ai_addr;
            inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof addr);
            port = ntohs(sin6->sin6_port);
            fam = "inet6";
        }
        const char *type = ai->ai_socktype == SOCK_STREAM ? "stream"
                           : ai->ai_socktype == SOCK_DGRAM ? "dgram"
                                                           : "other";
#ifdef SOCK_RAW
        if (ai->ai_socktype == SOCK_RAW) /* glibc lists raw sockets too */
            type = "raw";
#endif
        if (service)
            printf("%-6s %-7s %s port %u\n", fam, type, addr, port);
        else
            printf("%-6s %-7s %s\n", fam, type, addr);
    }
    freeaddrinfo(res);
    return 0;
}

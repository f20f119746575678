/* getnameinfo (numeric only), gethostbyname (IPv4, via getaddrinfo),
 * hstrerror, h_errno. */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netdb.h>

#include "internal.h"

int h_errno;

int getnameinfo(const struct sockaddr *__restrict sa, socklen_t salen,
                char *__restrict host, socklen_t hostlen,
                char *__restrict serv, socklen_t servlen, int flags)
{
    const void *addr;
    unsigned port;
    if (sa == NULL)
        return EAI_FAIL;
    if (sa->sa_family == AF_INET && salen >= (socklen_t)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        addr = &in->sin_addr;
        port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6 && salen >= (socklen_t)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        addr = &in6->sin6_addr;
        port = ntohs(in6->sin6_port);
    } else {
        return EAI_FAMILY;
    }
    if (host != NULL && hostlen > 0) {
        if (flags & NI_NAMEREQD)
            return EAI_NONAME; /* no reverse lookups in this ABI */
        if (inet_ntop(sa->sa_family, addr, host, hostlen) == NULL)
            return EAI_OVERFLOW;
    }
    if (serv != NULL && servlen > 0) {
        int n = snprintf(serv, servlen, "%u", port);
        if (n < 0 || (socklen_t)n >= servlen)
            return EAI_OVERFLOW;
    }
    return 0;
}

struct hostent *gethostbyname(const char *name)
{
    enum { MAX_ADDRS = 16 };
    static struct hostent he;
    static struct in_addr addrs[MAX_ADDRS];
    static char *addr_list[MAX_ADDRS + 1];
    static char *aliases[1];
    static char hostname[NI_MAXHOST + 1];

    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(name, NULL, &hints, &res);
    if (rc != 0 || res == NULL) {
        h_errno = rc == EAI_AGAIN ? TRY_AGAIN : rc == EAI_NONAME ? HOST_NOT_FOUND : NO_RECOVERY;
        return NULL;
    }
    int n = 0;
    for (struct addrinfo *ai = res; ai != NULL && n < MAX_ADDRS; ai = ai->ai_next) {
        addrs[n] = ((struct sockaddr_in *)ai->ai_addr)->sin_addr;
        addr_list[n] = (char *)&addrs[n];
        n++;
    }
    addr_list[n] = NULL;
    freeaddrinfo(res);
    strncpy(hostname, name, NI_MAXHOST);
    hostname[NI_MAXHOST] = '\0';
    aliases[0] = NULL;
    he.h_name = hostname;
    he.h_aliases = aliases;
    he.h_addrtype = AF_INET;
    he.h_length = (int)sizeof(struct in_addr);
    he.h_addr_list = addr_list;
    return &he;
}

const char *hstrerror(int err)
{
    switch (err) {
    case HOST_NOT_FOUND: return "Unknown host";
    case TRY_AGAIN: return "Host name lookup failure";
    case NO_RECOVERY: return "Unknown server error";
    case NO_DATA: return "No address associated with name";
    default: return "Unknown error";
    }
}

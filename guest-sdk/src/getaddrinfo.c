/* getaddrinfo, freeaddrinfo, gai_strerror over sock_addr_resolve.
 *
 * Numeric hosts, a NULL node and port numbers are handled here without the
 * runtime; only real names go to sock_addr_resolve (and thus to the
 * runtime's resolve policy). */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netdb.h>

#include "internal.h"

#define KNOWN_FLAGS (AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | \
                     AI_ALL | AI_ADDRCONFIG | AI_NUMERICSERV)

/* One allocation per result, freed by freeaddrinfo. */
struct ai_node {
    struct addrinfo ai;
    union wasmaot_sockaddr sa;
};

struct result {
    struct addrinfo *head, **tail;
};

static const struct {
    const char *name;
    unsigned short port;
} services[] = {
    { "echo", 7 },    { "discard", 9 },  { "daytime", 13 }, { "ftp", 21 },
    { "ssh", 22 },    { "telnet", 23 },  { "smtp", 25 },    { "domain", 53 },
    { "tftp", 69 },   { "http", 80 },    { "www", 80 },     { "pop3", 110 },
    { "ntp", 123 },   { "imap", 143 },   { "snmp", 161 },   { "ldap", 389 },
    { "https", 443 }, { "submission", 587 }, { "imaps", 993 }, { "pop3s", 995 },
    { "mqtt", 1883 }, { "http-alt", 8080 },
};

/* 1: port found; 0: not numeric and not in the table; -1: bad number. */
static int parse_service(const char *s, int numeric_only, unsigned *port)
{
    if (s == NULL || *s == '\0') {
        *port = 0;
        return 1;
    }
    if (*s >= '0' && *s <= '9') {
        unsigned long v = 0;
        for (const char *p = s; *p; p++) {
            if (*p < '0' || *p > '9')
                return -1;
            v = v * 10 + (unsigned)(*p - '0');
            if (v > 65535)
                return -1;
        }
        *port = (unsigned)v;
        return 1;
    }
    if (numeric_only)
        return -1;
    for (size_t i = 0; i < sizeof services / sizeof services[0]; i++) {
        if (strcmp(s, services[i].name) == 0) {
            *port = services[i].port;
            return 1;
        }
    }
    return 0;
}

static int add_result(struct result *r, const __wasi_addr_t *wa, int socktype, int flags)
{
    struct ai_node *n = calloc(1, sizeof *n);
    if (n == NULL)
        return EAI_MEMORY;
    socklen_t len = wasmaot_wasi_to_sockaddr(wa, &n->sa);
    if (len == 0) {
        free(n);
        return 0; /* unknown kind: skip */
    }
    n->ai.ai_flags = flags;
    n->ai.ai_family = n->sa.sa.sa_family;
    n->ai.ai_socktype = socktype;
    n->ai.ai_protocol = socktype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    n->ai.ai_addrlen = len;
    n->ai.ai_addr = &n->sa.sa;
    *r->tail = &n->ai;
    r->tail = &n->ai.ai_next;
    return 0;
}

/* Adds `wa` once per wanted socket type (0 = both). */
static int add_all_types(struct result *r, const __wasi_addr_t *wa, int socktype, int flags)
{
    int rc = 0;
    if (socktype == 0 || socktype == SOCK_STREAM)
        rc = add_result(r, wa, SOCK_STREAM, flags);
    if (rc == 0 && (socktype == 0 || socktype == SOCK_DGRAM))
        rc = add_result(r, wa, SOCK_DGRAM, flags);
    return rc;
}

static void set_port(__wasi_addr_t *wa, unsigned port)
{
    if (wa->kind == IPv4)
        wa->addr.ip4.port = (uint16_t)port;
    else
        wa->addr.ip6.port = (uint16_t)port;
}

static int map_resolve_error(__wasi_errno_t err)
{
    switch (err) {
    case __WASI_ERRNO_NOENT:       /* wasmaot: the name does not exist */
    case __WASI_ERRNO_INVAL:       /* WAMR reports NXDOMAIN as EINVAL */
        return EAI_NONAME;
    case __WASI_ERRNO_AGAIN:
        return EAI_AGAIN;
    case __WASI_ERRNO_NOMEM:
        return EAI_MEMORY;
    case __WASI_ERRNO_AFNOSUPPORT:
        return EAI_FAMILY;
    default:                       /* EACCES (policy) and the rest */
        errno = (int)err;
        return EAI_SYSTEM;
    }
}

/* Asks the runtime; grows the buffer while it reports more results. */
static int resolve(const char *node, const char *service, int family, int socktype,
                   int flags, int have_port, unsigned port, struct result *r)
{
    __wasi_addr_info_hints_t hints;
    memset(&hints, 0, sizeof hints);
    hints.hints_enabled = 1;
    hints.family = family == AF_INET ? INET4 : family == AF_INET6 ? INET6 : INET_UNSPEC;
    hints.type = socktype == SOCK_STREAM ? SOCKET_STREAM
               : socktype == SOCK_DGRAM ? SOCKET_DGRAM : SOCKET_ANY;

    __wasi_size_t cap = 16, max = 0;
    __wasi_addr_info_t *info = NULL;
    for (int tries = 0;; tries++) {
        __wasi_addr_info_t *p = realloc(info, cap * sizeof *info);
        if (p == NULL) {
            free(info);
            return EAI_MEMORY;
        }
        info = p;
        memset(info, 0, cap * sizeof *info);
        __wasi_errno_t err = __wasi_sock_addr_resolve(node, service ? service : "", &hints,
                                                      info, cap, &max);
        if (err != 0) {
            free(info);
            return map_resolve_error(err);
        }
        if (max <= cap || tries == 4)
            break;
        cap = max;
    }

    int rc = 0;
    __wasi_size_t n = max < cap ? max : cap;
    for (__wasi_size_t i = 0; i < n && rc == 0; i++) {
        __wasi_addr_t wa = info[i].addr;
        int st = info[i].type == SOCKET_STREAM ? SOCK_STREAM
               : info[i].type == SOCKET_DGRAM ? SOCK_DGRAM : 0;
        if (st == 0 || (socktype != 0 && st != socktype))
            continue;
        if (wa.kind == IPv4 ? family == AF_INET6 : family == AF_INET)
            continue;
        if (have_port)
            set_port(&wa, port);
        rc = add_result(r, &wa, st, flags);
    }
    free(info);
    return rc;
}

int getaddrinfo(const char *__restrict node, const char *__restrict service,
                const struct addrinfo *__restrict hints, struct addrinfo **__restrict res)
{
    int flags = 0, family = AF_UNSPEC, socktype = 0, protocol = 0;
    if (res == NULL)
        return EAI_FAIL;
    *res = NULL;
    if (hints != NULL) {
        flags = hints->ai_flags;
        family = hints->ai_family;
        socktype = hints->ai_socktype;
        protocol = hints->ai_protocol;
    }
    if (flags & ~KNOWN_FLAGS)
        return EAI_BADFLAGS;
    if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
        return EAI_FAMILY;
    if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM)
        return EAI_SOCKTYPE;
    if (protocol == IPPROTO_TCP) {
        if (socktype == SOCK_DGRAM)
            return EAI_SOCKTYPE;
        socktype = SOCK_STREAM;
    } else if (protocol == IPPROTO_UDP) {
        if (socktype == SOCK_STREAM)
            return EAI_SOCKTYPE;
        socktype = SOCK_DGRAM;
    } else if (protocol != 0) {
        return EAI_SOCKTYPE;
    }
    if (node != NULL && *node == '\0')
        node = NULL;
    if (service != NULL && *service == '\0')
        service = NULL;
    if (node == NULL && service == NULL)
        return EAI_NONAME;
    if ((flags & AI_CANONNAME) && node == NULL)
        return EAI_BADFLAGS;

    unsigned port = 0;
    int ps = parse_service(service, flags & AI_NUMERICSERV, &port);
    if (ps < 0)
        return (flags & AI_NUMERICSERV) ? EAI_NONAME : EAI_SERVICE;
    int have_port = ps == 1;

    struct result r = { NULL, &r.head };
    int rc = 0;
    __wasi_addr_t wa;
    struct in_addr a4;
    struct in6_addr a6;

    if (node == NULL) {
        /* Wildcard (AI_PASSIVE) or loopback; IPv4 first. */
        if (!have_port)
            return EAI_SERVICE;
        int passive = flags & AI_PASSIVE;
        if (family != AF_INET6) {
            memset(&wa, 0, sizeof wa);
            wa.kind = IPv4;
            if (!passive) {
                wa.addr.ip4.addr.n0 = 127;
                wa.addr.ip4.addr.n3 = 1;
            }
            set_port(&wa, port);
            rc = add_all_types(&r, &wa, socktype, flags);
        }
        if (rc == 0 && family != AF_INET) {
            memset(&wa, 0, sizeof wa);
            wa.kind = IPv6;
            if (!passive)
                wa.addr.ip6.addr.h3 = 1;
            set_port(&wa, port);
            rc = add_all_types(&r, &wa, socktype, flags);
        }
    } else if (inet_aton(node, &a4) == 1 && strchr(node, ':') == NULL) {
        if (family == AF_INET6)
            return EAI_ADDRFAMILY;
        struct sockaddr_in sin;
        memset(&sin, 0, sizeof sin);
        sin.sin_family = AF_INET;
        sin.sin_addr = a4;
        sin.sin_port = htons((uint16_t)port);
        wasmaot_sockaddr_to_wasi((struct sockaddr *)&sin, sizeof sin, &wa);
        if (!have_port)
            return EAI_SERVICE;
        rc = add_all_types(&r, &wa, socktype, flags);
    } else if (inet_pton(AF_INET6, node, &a6) == 1) {
        if (family == AF_INET)
            return EAI_ADDRFAMILY;
        struct sockaddr_in6 sin6;
        memset(&sin6, 0, sizeof sin6);
        sin6.sin6_family = AF_INET6;
        sin6.sin6_addr = a6;
        sin6.sin6_port = htons((uint16_t)port);
        wasmaot_sockaddr_to_wasi((struct sockaddr *)&sin6, sizeof sin6, &wa);
        if (!have_port)
            return EAI_SERVICE;
        rc = add_all_types(&r, &wa, socktype, flags);
    } else if (flags & AI_NUMERICHOST) {
        return EAI_NONAME;
    } else {
        /* A real name. An unknown service name is passed on to the runtime,
         * which may know it; otherwise the port is applied here. */
        rc = resolve(node, have_port ? "" : service, family, socktype, flags,
                     have_port, port, &r);
    }

    if (rc == 0 && r.head == NULL)
        rc = EAI_NONAME;
    if (rc == 0 && (flags & AI_CANONNAME)) {
        r.head->ai_canonname = strdup(node);
        if (r.head->ai_canonname == NULL)
            rc = EAI_MEMORY;
    }
    if (rc != 0) {
        freeaddrinfo(r.head);
        return rc;
    }
    *res = r.head;
    return 0;
}

void freeaddrinfo(struct addrinfo *res)
{
    while (res != NULL) {
        struct addrinfo *next = res->ai_next;
        free(res->ai_canonname);
        free(res); /* the struct ai_node begins with the addrinfo */
        res = next;
    }
}

const char *gai_strerror(int errcode)
{
    switch (errcode) {
    case 0: return "Success";
    case EAI_BADFLAGS: return "Invalid flags";
    case EAI_NONAME: return "Name does not resolve";
    case EAI_AGAIN: return "Temporary failure in name resolution";
    case EAI_FAIL: return "Non-recoverable failure in name resolution";
    case EAI_NODATA: return "No address for the name";
    case EAI_FAMILY: return "Unrecognized address family or invalid length";
    case EAI_SOCKTYPE: return "Unrecognized socket type";
    case EAI_SERVICE: return "Unrecognized service";
    case EAI_ADDRFAMILY: return "Address family for name not supported";
    case EAI_MEMORY: return "Out of memory";
    case EAI_SYSTEM: return "System error";
    case EAI_OVERFLOW: return "Overflow";
    default: return "Unknown error";
    }
}

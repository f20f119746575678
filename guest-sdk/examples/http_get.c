/*
 * http_get.c -- a small HTTP/1.1 client: fetch one URL, print the body.
 *
 *   http_get [-v] [-t SECONDS] http://HOST[:PORT][/PATH]
 *
 * Resolves HOST with getaddrinfo() (a name, an IPv4 address or an IPv6
 * address in brackets: http://[::1]:8080/), tries each address until one
 * connects, sends
 *
 *     GET /PATH HTTP/1.1
 *     Host: HOST[:PORT]
 *     User-Agent: wasmaot-http_get/1.0
 *     Accept: * / *            (without the spaces)
 *     Connection: close
 *
 * and reads the response: the status line, the headers, then the body as the
 * headers describe it -- `Transfer-Encoding: chunked` (chunk sizes in hex,
 * extensions and trailers skipped), `Content-Length: N`, or everything until
 * the server closes. Interim 1xx responses are skipped. The body goes to
 * stdout unchanged (binary-safe); with -v the status line and headers go to
 * stderr.
 *
 * Exit status: 0 when the server answered with a status below 400, 3 when it
 * answered with 400 or more (the body is still printed), 1 on a network or
 * protocol error (including a body cut short) or a timeout, 2 on bad usage
 * or a host name that does not resolve.
 *
 * Under wasmaot (see README.md):
 *   wasmaot run --addr-pool=127.0.0.1/32,::1/128 --allow-resolve=localhost \
 *       http_get.so -v http://localhost:8000/index.html
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#ifdef __wasi__
#include <wasi_socket_ext.h>
#endif

#define LINE_MAX_LEN 8192

static int verbose;
static int timeout_s = 30;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: http_get [-v] [-t SECONDS] http://HOST[:PORT][/PATH]\n"
            "Fetches the URL with HTTP/1.1 and prints the body on stdout.\n"
            "  -v           print the status line and headers on stderr\n"
            "  -t SECONDS   give up when the server is silent this long (default 30)\n"
            "Exit status: 0 ok, 3 HTTP status >= 400, 1 network/protocol error,\n"
            "2 usage or name resolution error.\n");
}

/* ---- URL ---------------------------------------------------------------- */

struct url {
    char host[256]; /* without brackets */
    char port[8];
    char path[4096];
    int bracketed;  /* the host was an IPv6 literal in [] */
};

static int parse_url(const char *s, struct url *u)
{
    memset(u, 0, sizeof *u);
    if (strncasecmp(s, "http://", 7) != 0) {
        fprintf(stderr, "http_get: only http:// URLs are supported: %s\n", s);
        return -1;
    }
    s += 7;
    const char *host_end;
    if (*s == '[') { /* [IPv6]:port */
        host_end = strchr(s, ']');
        if (!host_end)
            return -1;
        s++;
        u->bracketed = 1;
    } else {
        host_end = s + strcspn(s, ":/?#");
    }
    size_t hl = (size_t)(host_end - s);
    if (hl == 0 || hl >= sizeof u->host)
        return -1;
    memcpy(u->host, s, hl);
    s = host_end + u->bracketed;

    strcpy(u->port, "80");
    if (*s == ':') {
        s++;
        size_t pl = strspn(s, "0123456789");
        if (pl == 0 || pl >= sizeof u->port || atoi(s) < 1 || atoi(s) > 65535)
            return -1;
        memcpy(u->port, s, pl);
        u->port[pl] = '\0';
        s += pl;
    }
    if (*s != '\0' && *s != '/' && *s != '?')
        return -1;
    /* The path (with any query); the fragment is not sent. */
    size_t len = strcspn(s, "#");
    if (len + 2 > sizeof u->path)
        return -1;
    if (*s != '/')
        u->path[0] = '/';
    strncat(u->path, s, len);
    return 0;
}

/* ---- connecting --------------------------------------------------------- */

static int connect_to(const struct url *u)
{
    struct addrinfo hints, *res, *ai;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(u->host, u->port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "http_get: cannot resolve %s: %s%s%s\n", u->host, gai_strerror(rc),
                rc == EAI_SYSTEM ? ": " : "", rc == EAI_SYSTEM ? strerror(errno) : "");
        exit(2);
    }
    int fd = -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        /* Blocking I/O, each call bounded by the timeout. */
        struct timeval tv = {timeout_s, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        char addr[INET6_ADDRSTRLEN] = "?";
        const void *a = ai->ai_family == AF_INET
                            ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
                            : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
        inet_ntop(ai->ai_family, a, addr, sizeof addr);
        fprintf(stderr, "http_get: connect to %s port %s: %s\n", addr, u->port, strerror(errno));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static int send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ---- buffered reading ----------------------------------------------------- */

struct reader {
    int fd;
    size_t pos, len;
    char buf[16384];
};

static void fail_recv(void)
{
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        fprintf(stderr, "http_get: timed out after %d s\n", timeout_s);
    else
        fprintf(stderr, "http_get: recv: %s\n", strerror(errno));
    exit(1);
}

/* Refills the buffer; returns 0 at EOF. */
static int fill(struct reader *r)
{
    for (;;) {
        ssize_t n = recv(r->fd, r->buf, sizeof r->buf, 0);
        if (n >= 0) {
            r->pos = 0;
            r->len = (size_t)n;
            return n > 0;
        }
        if (errno != EINTR)
            fail_recv();
    }
}

/* Reads one line without its CRLF (or LF). Returns -1 at EOF before any byte. */
static int read_line(struct reader *r, char *line, size_t size)
{
    size_t n = 0;
    for (;;) {
        if (r->pos == r->len && !fill(r)) {
            if (n == 0)
                return -1;
            break; /* last line without newline */
        }
        char c = r->buf[r->pos++];
        if (c == '\n')
            break;
        if (n + 1 >= size) {
            fprintf(stderr, "http_get: line too long in the response\n");
            exit(1);
        }
        line[n++] = c;
    }
    if (n > 0 && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    return 0;
}

/* Copies exactly len bytes of body to stdout (len < 0: until EOF). */
static void copy_body(struct reader *r, long long len)
{
    while (len != 0) {
        if (r->pos == r->len && !fill(r)) {
            if (len > 0) {
                fprintf(stderr, "http_get: the connection closed %lld bytes before the end of the body\n", len);
                exit(1);
            }
            return;
        }
        size_t n = r->len - r->pos;
        if (len > 0 && (long long)n > len)
            n = (size_t)len;
        if (fwrite(r->buf + r->pos, 1, n, stdout) != n) {
            perror("http_get: stdout");
            exit(1);
        }
        r->pos += n;
        if (len > 0)
            len -= (long long)n;
    }
}

/* ---- HTTP ------------------------------------------------------------------ */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Does the comma-separated list end with the token "chunked"? */
static int ends_with_chunked(const char *v)
{
    const char *last = strrchr(v, ',');
    last = last ? last + 1 : v;
    while (*last == ' ' || *last == '\t')
        last++;
    return strncasecmp(last, "chunked", 7) == 0 &&
           (last[7] == '\0' || last[7] == ' ' || last[7] == '\t' || last[7] == ';');
}

static void read_chunked(struct reader *r)
{
    char line[LINE_MAX_LEN];
    for (;;) {
        if (read_line(r, line, sizeof line) != 0) {
            fprintf(stderr, "http_get: the connection closed inside a chunked body\n");
            exit(1);
        }
        char *end;
        errno = 0;
        long long size = strtoll(line, &end, 16); /* "1a3f;ext=1" */
        if (end == line || size < 0 || errno != 0 ||
            (*end != '\0' && *end != ';' && *end != ' ' && *end != '\t')) {
            fprintf(stderr, "http_get: bad chunk size line: \"%s\"\n", line);
            exit(1);
        }
        if (size == 0)
            break;
        copy_body(r, size);
        if (read_line(r, line, sizeof line) != 0 || line[0] != '\0') {
            fprintf(stderr, "http_get: a chunk is not followed by CRLF\n");
            exit(1);
        }
    }
    /* Trailers, up to the empty line. */
    while (read_line(r, line, sizeof line) == 0 && line[0] != '\0')
        if (verbose)
            fprintf(stderr, "(trailer) %s\n", line);
}

int main(int argc, char **argv)
{
    const char *url_arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "-v")) {
            verbose = 1;
        } else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
            timeout_s = atoi(argv[++i]);
            if (timeout_s <= 0) {
                fprintf(stderr, "http_get: bad timeout: %s\n", argv[i]);
                return 2;
            }
        } else if (argv[i][0] != '-' && !url_arg) {
            url_arg = argv[i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!url_arg) {
        usage(stderr);
        return 2;
    }
    struct url u;
    if (parse_url(url_arg, &u) != 0) {
        fprintf(stderr, "http_get: bad URL: %s\n", url_arg);
        return 2;
    }

    int fd = connect_to(&u);
    if (fd < 0)
        return 1;

    /* The request. Host: carries the port unless it is the default. */
    char request[LINE_MAX_LEN];
    int n = snprintf(request, sizeof request,
                     "GET %s HTTP/1.1\r\n"
                     "Host: %s%s%s%s%s\r\n"
                     "User-Agent: wasmaot-http_get/1.0\r\n"
                     "Accept: */*\r\n"
                     "Connection: close\r\n"
                     "\r\n",
                     u.path, u.bracketed ? "[" : "", u.host, u.bracketed ? "]" : "",
                     strcmp(u.port, "80") ? ":" : "", strcmp(u.port, "80") ? u.port : "");
    if (n < 0 || (size_t)n >= sizeof request) {
        fprintf(stderr, "http_get: URL too long\n");
        return 2;
    }
    if (verbose)
        fprintf(stderr, "> GET %s HTTP/1.1 (to %s port %s)\n", u.path, u.host, u.port);
    if (send_all(fd, request, (size_t)n) != 0) {
        fprintf(stderr, "http_get: send: %s\n", strerror(errno));
        return 1;
    }

    static struct reader r;
    r.fd = fd;
    char line[LINE_MAX_LEN];
    int status;
    long long content_length;
    int chunked;
    do { /* 1xx responses are interim: skip them and read the next one */
        if (read_line(&r, line, sizeof line) != 0) {
            fprintf(stderr, "http_get: the server closed without answering\n");
            return 1;
        }
        int major, minor;
        char sp;
        if (sscanf(line, "HTTP/%d.%d %3d%c", &major, &minor, &status, &sp) < 3 ||
            status < 100 || status > 999) {
            fprintf(stderr, "http_get: not an HTTP response: \"%s\"\n", line);
            return 1;
        }
        if (verbose)
            fprintf(stderr, "< %s\n", line);

        content_length = -1;
        chunked = 0;
        for (;;) {
            if (read_line(&r, line, sizeof line) != 0) {
                fprintf(stderr, "http_get: the connection closed inside the headers\n");
                return 1;
            }
            if (line[0] == '\0')
                break;
            if (verbose)
                fprintf(stderr, "< %s\n", line);
            char *colon = strchr(line, ':');
            if (!colon)
                continue; /* tolerate junk, as most clients do */
            *colon = '\0';
            char *name = trim(line), *value = trim(colon + 1);
            if (!strcasecmp(name, "Content-Length")) {
                char *end;
                errno = 0;
                content_length = strtoll(value, &end, 10);
                if (end == value || *end != '\0' || content_length < 0 || errno) {
                    fprintf(stderr, "http_get: bad Content-Length: %s\n", value);
                    return 1;
                }
            } else if (!strcasecmp(name, "Transfer-Encoding")) {
                chunked = ends_with_chunked(value);
            }
        }
    } while (status >= 100 && status < 200);

    /* The body: no body for 204 and 304; chunked wins over Content-Length. */
    if (status == 204 || status == 304)
        ;
    else if (chunked)
        read_chunked(&r);
    else
        copy_body(&r, content_length); /* -1: until the server closes */

    if (fflush(stdout) != 0) {
        perror("http_get: stdout");
        return 1;
    }
    close(fd);
    if (status >= 400) {
        fprintf(stderr, "http_get: the server answered %d\n", status);
        return 3;
    }
    return 0;
}

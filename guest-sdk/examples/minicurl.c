/*
 * minicurl.c -- a small libcurl-easy-compatible HTTP/1.1 client (see minicurl.h).
 *
 * One transfer = resolve the host (getaddrinfo), connect without blocking
 * (O_NONBLOCK + poll + SO_ERROR, so that CURLOPT_TIMEOUT bounds the connect
 * too), send a GET, read the status line and headers, then deliver the body
 * -- chunked, Content-Length or until close -- to the write callback. Every
 * wait is a poll() bounded by what is left of the timeout. With
 * CURLOPT_FOLLOWLOCATION a 301/302/303/307/308 with a Location header starts
 * a new transfer to that URL (relative references resolved against the
 * current one), up to CURLOPT_MAXREDIRS (default 30) times; the bodies of the
 * redirect responses are not delivered, as in libcurl.
 *
 * Our own code. Builds as a wasm32-wasi guest with wasmaot-cc and natively.
 */
#include "minicurl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#ifdef __wasi__
#include <wasi_socket_ext.h>
#endif

#define DEFAULT_MAXREDIRS 30
#define LINE_MAX_LEN 8192

struct minicurl {
    /* options */
    char *url;
    curl_write_callback write_fn; /* NULL: fwrite to write_data (a FILE *) */
    void *write_data;
    long follow;
    long maxredirs;
    long timeout_ms; /* 0: none */
    char *useragent;
    char *errorbuffer;
    /* results */
    long response_code;
    long redirect_count;
    char *effective_url;
};

/* ---- small helpers ----------------------------------------------------- */

static void set_error(struct minicurl *c, const char *fmt, ...)
{
    if (!c->errorbuffer)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errorbuffer, CURL_ERROR_SIZE, fmt, ap);
    va_end(ap);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The poll() timeout that is left before the deadline (0: no deadline). */
static int remaining_ms(long long deadline)
{
    if (deadline == 0)
        return -1;
    long long left = deadline - now_ms();
    if (left <= 0)
        return 0;
    return left > INT_MAX ? INT_MAX : (int)left;
}

/* Waits until fd is ready for `events`. 0 ready, CURLE_OPERATION_TIMEDOUT, or
 * CURLE_RECV_ERROR on a poll failure. */
static CURLcode wait_fd(int fd, short events, long long deadline)
{
    for (;;) {
        int ms = remaining_ms(deadline);
        if (ms == 0)
            return CURLE_OPERATION_TIMEDOUT;
        struct pollfd p = {fd, events, 0};
        int r = poll(&p, 1, ms);
        if (r > 0)
            return CURLE_OK;
        if (r == 0)
            return CURLE_OPERATION_TIMEDOUT;
        if (errno != EINTR)
            return CURLE_RECV_ERROR;
    }
}

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* ---- URLs ------------------------------------------------------------------ */

struct url {
    char host[256];
    char port[8];
    char path[4096];
    int bracketed;
};

static CURLcode parse_url(struct minicurl *c, const char *s, struct url *u)
{
    memset(u, 0, sizeof *u);
    const char *sep = strstr(s, "://");
    if (sep) {
        if ((size_t)(sep - s) != 4 || strncasecmp(s, "http", 4) != 0) {
            set_error(c, "scheme %.*s:// is not supported", (int)(sep - s), s);
            return CURLE_UNSUPPORTED_PROTOCOL;
        }
        s = sep + 3;
    } /* no scheme: http, as libcurl guesses */
    const char *host_end;
    if (*s == '[') {
        host_end = strchr(s, ']');
        if (!host_end)
            goto bad;
        s++;
        u->bracketed = 1;
    } else {
        host_end = s + strcspn(s, ":/?#");
    }
    size_t hl = (size_t)(host_end - s);
    if (hl == 0 || hl >= sizeof u->host)
        goto bad;
    memcpy(u->host, s, hl);
    s = host_end + u->bracketed;
    strcpy(u->port, "80");
    if (*s == ':') {
        s++;
        size_t pl = strspn(s, "0123456789");
        if (pl == 0 || pl >= sizeof u->port || atoi(s) < 1 || atoi(s) > 65535)
            goto bad;
        memcpy(u->port, s, pl);
        u->port[pl] = '\0';
        s += pl;
    }
    if (*s != '\0' && *s != '/' && *s != '?')
        goto bad;
    size_t len = strcspn(s, "#");
    if (len + 2 > sizeof u->path)
        goto bad;
    if (*s != '/')
        u->path[0] = '/';
    strncat(u->path, s, len);
    return CURLE_OK;
bad:
    set_error(c, "malformed URL");
    return CURLE_URL_MALFORMAT;
}

/* Removes "." and ".." segments from the path that starts at p (in place),
 * as RFC 3986 section 5.2.4 describes; the query, if any, is kept as is. */
static void remove_dot_segments(char *p)
{
    size_t end = strcspn(p, "?");
    char saved = p[end];
    p[end] = '\0';
    char *out = p, *in = p;
    while (*in) {
        /* in points at "/segment..." */
        char *seg = in + 1;
        size_t len = strcspn(seg, "/");
        int last = seg[len] == '\0';
        if (len == 1 && seg[0] == '.') {
            in = seg + len;
            if (last)
                *out++ = '/';
        } else if (len == 2 && seg[0] == '.' && seg[1] == '.') {
            while (out > p && *--out != '/')
                ;
            in = seg + len;
            if (last)
                *out++ = '/';
        } else {
            memmove(out, in, len + 1);
            out += len + 1;
            in = seg + len;
        }
    }
    if (out == p)
        *out++ = '/';
    *out = '\0';
    if (saved) { /* put the query back after the shortened path */
        out[0] = saved;
        memmove(out + 1, p + end + 1, strlen(p + end + 1) + 1);
    }
}

/* Resolves a Location value against the URL it came from; malloc'd. */
static char *resolve_location(const struct url *base, const char *loc)
{
    size_t need = strlen(loc) + sizeof base->host + sizeof base->path + 32;
    char *out = malloc(need);
    if (!out)
        return NULL;
    const char *colon = strchr(loc, ':'), *slash = strchr(loc, '/');
    if (colon && (!slash || colon < slash) && strstr(loc, "://")) {
        snprintf(out, need, "%s", loc); /* absolute */
    } else if (loc[0] == '/' && loc[1] == '/') {
        snprintf(out, need, "http:%s", loc); /* network-path reference */
    } else {
        int n = snprintf(out, need, "http://%s%s%s:%s", base->bracketed ? "[" : "", base->host,
                         base->bracketed ? "]" : "", base->port);
        if (loc[0] == '/') {
            snprintf(out + n, need - (size_t)n, "%s", loc);
        } else { /* relative to the directory of the base path */
            size_t dir = strcspn(base->path, "?");
            while (dir > 0 && base->path[dir - 1] != '/')
                dir--;
            snprintf(out + n, need - (size_t)n, "%.*s%s", (int)dir, base->path, loc);
        }
        remove_dot_segments(out + n);
    }
    return out;
}

/* ---- connection ------------------------------------------------------------ */

static CURLcode connect_to(struct minicurl *c, const struct url *u, long long deadline, int *fd_out)
{
    struct addrinfo hints, *res, *ai;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(u->host, u->port, &hints, &res);
    if (rc != 0) {
        set_error(c, "cannot resolve %s: %s", u->host,
                  rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        return CURLE_COULDNT_RESOLVE_HOST;
    }
    CURLcode result = CURLE_COULDNT_CONNECT;
    int err = 0;
    for (ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int flags = fcntl(fd, F_GETFL, 0);
        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
            err = errno;
            close(fd);
            continue;
        }
        /* Non-blocking connect: EINPROGRESS, wait for writability, then
         * SO_ERROR says how it went. */
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            if (errno != EINPROGRESS && errno != EINTR) {
                err = errno;
                close(fd);
                continue;
            }
            CURLcode w = wait_fd(fd, POLLOUT, deadline);
            if (w == CURLE_OPERATION_TIMEDOUT) {
                close(fd);
                set_error(c, "connect timed out (timeout %ld ms)", c->timeout_ms);
                result = CURLE_OPERATION_TIMEDOUT;
                break;
            }
            int soerr = 0;
            socklen_t len = sizeof soerr;
            if (w != CURLE_OK || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
                soerr = errno;
            if (soerr != 0) {
                err = soerr;
                close(fd);
                continue;
            }
        }
        *fd_out = fd;
        result = CURLE_OK;
        break;
    }
    freeaddrinfo(res);
    if (result == CURLE_COULDNT_CONNECT)
        set_error(c, "cannot connect to %s port %s: %s", u->host, u->port,
                  err ? strerror(err) : "no address");
    return result;
}

static CURLcode send_all(struct minicurl *c, int fd, const char *buf, size_t len, long long deadline)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            CURLcode w = wait_fd(fd, POLLOUT, deadline);
            if (w != CURLE_OK) {
                set_error(c, "send timed out");
                return w == CURLE_OPERATION_TIMEDOUT ? w : CURLE_SEND_ERROR;
            }
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        set_error(c, "send: %s", strerror(errno));
        return CURLE_SEND_ERROR;
    }
    return CURLE_OK;
}

/* ---- response reading ------------------------------------------------------ */

struct reader {
    struct minicurl *c;
    int fd;
    long long deadline;
    size_t pos, len;
    char buf[16384];
};

/* Refills the buffer. CURLE_OK with r->len == 0 means EOF. */
static CURLcode fill(struct reader *r)
{
    r->pos = r->len = 0;
    for (;;) {
        ssize_t n = recv(r->fd, r->buf, sizeof r->buf, 0);
        if (n >= 0) {
            r->len = (size_t)n;
            return CURLE_OK;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            CURLcode w = wait_fd(r->fd, POLLIN, r->deadline);
            if (w == CURLE_OPERATION_TIMEDOUT) {
                set_error(r->c, "no data from the server in time (timeout %ld ms)", r->c->timeout_ms);
                return w;
            }
            if (w != CURLE_OK)
                return CURLE_RECV_ERROR;
            continue;
        }
        set_error(r->c, "recv: %s", strerror(errno));
        return CURLE_RECV_ERROR;
    }
}

/* One line without CRLF. *eof is set when the stream ended before any byte. */
static CURLcode read_line(struct reader *r, char *line, size_t size, int *eof)
{
    size_t n = 0;
    *eof = 0;
    for (;;) {
        if (r->pos == r->len) {
            CURLcode rc = fill(r);
            if (rc != CURLE_OK)
                return rc;
            if (r->len == 0) {
                *eof = n == 0;
                break;
            }
        }
        char ch = r->buf[r->pos++];
        if (ch == '\n')
            break;
        if (n + 1 >= size) {
            set_error(r->c, "response line too long");
            return CURLE_WEIRD_SERVER_REPLY;
        }
        line[n++] = ch;
    }
    if (n > 0 && line[n - 1] == '\r')
        n--;
    line[n] = '\0';
    return CURLE_OK;
}

static CURLcode deliver(struct minicurl *c, char *data, size_t n)
{
    size_t taken;
    if (c->write_fn)
        taken = c->write_fn(data, 1, n, c->write_data);
    else
        taken = fwrite(data, 1, n, c->write_data ? (FILE *)c->write_data : stdout);
    if (taken != n) {
        set_error(c, "the write callback took less than it was given");
        return CURLE_WRITE_ERROR;
    }
    return CURLE_OK;
}

/* Passes len body bytes (len < 0: until EOF) to the callback (or drops them). */
static CURLcode read_body(struct reader *r, long long len, int keep)
{
    while (len != 0) {
        if (r->pos == r->len) {
            CURLcode rc = fill(r);
            if (rc != CURLE_OK)
                return rc;
            if (r->len == 0) {
                if (len < 0)
                    return CURLE_OK;
                set_error(r->c, "the connection closed %lld bytes before the end of the body", len);
                return CURLE_PARTIAL_FILE;
            }
        }
        size_t n = r->len - r->pos;
        if (len > 0 && (long long)n > len)
            n = (size_t)len;
        if (keep) {
            CURLcode rc = deliver(r->c, r->buf + r->pos, n);
            if (rc != CURLE_OK)
                return rc;
        }
        r->pos += n;
        if (len > 0)
            len -= (long long)n;
    }
    return CURLE_OK;
}

static CURLcode read_chunked(struct reader *r, int keep)
{
    char line[LINE_MAX_LEN];
    int eof;
    CURLcode rc;
    for (;;) {
        if ((rc = read_line(r, line, sizeof line, &eof)) != CURLE_OK)
            return rc;
        char *end;
        errno = 0;
        long long size = strtoll(line, &end, 16);
        if (eof || end == line || size < 0 || errno ||
            (*end != '\0' && *end != ';' && *end != ' ' && *end != '\t')) {
            if (eof)
                set_error(r->c, "the connection closed inside a chunked body");
            else
                set_error(r->c, "bad chunk size line: \"%s\"", line);
            return eof ? CURLE_PARTIAL_FILE : CURLE_RECV_ERROR;
        }
        if (size == 0)
            break;
        if ((rc = read_body(r, size, keep)) != CURLE_OK)
            return rc;
        if ((rc = read_line(r, line, sizeof line, &eof)) != CURLE_OK)
            return rc;
        if (eof || line[0] != '\0') {
            set_error(r->c, "chunk not followed by CRLF");
            return CURLE_RECV_ERROR;
        }
    }
    do { /* trailers */
        if ((rc = read_line(r, line, sizeof line, &eof)) != CURLE_OK)
            return rc;
    } while (!eof && line[0] != '\0');
    return CURLE_OK;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static int is_redirect(long code)
{
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
}

/* One request/response on a fresh connection. *location receives a malloc'd
 * Location value when the response is a redirect we are going to follow. */
static CURLcode transfer(struct minicurl *c, const struct url *u, long long deadline, char **location)
{
    int fd = -1;
    CURLcode rc = connect_to(c, u, deadline, &fd);
    if (rc != CURLE_OK)
        return rc;

    char request[LINE_MAX_LEN + 512];
    int is_default_port = strcmp(u->port, "80") == 0;
    int n = snprintf(request, sizeof request,
                     "GET %s HTTP/1.1\r\n"
                     "Host: %s%s%s%s%s\r\n"
                     "User-Agent: %s\r\n"
                     "Accept: */*\r\n"
                     "Connection: close\r\n"
                     "\r\n",
                     u->path, u->bracketed ? "[" : "", u->host, u->bracketed ? "]" : "",
                     is_default_port ? "" : ":", is_default_port ? "" : u->port,
                     c->useragent ? c->useragent : "minicurl/1.0");
    if (n < 0 || (size_t)n >= sizeof request) {
        close(fd);
        set_error(c, "URL too long");
        return CURLE_URL_MALFORMAT;
    }
    rc = send_all(c, fd, request, (size_t)n, deadline);

    struct reader *r = rc == CURLE_OK ? malloc(sizeof *r) : NULL;
    if (rc == CURLE_OK && !r)
        rc = CURLE_OUT_OF_MEMORY;
    char line[LINE_MAX_LEN];
    long long content_length = -1;
    int chunked = 0, eof;
    long status = 0;
    if (rc == CURLE_OK) {
        r->c = c;
        r->fd = fd;
        r->deadline = deadline;
        r->pos = r->len = 0;
    }
    while (rc == CURLE_OK) { /* status line + headers; skip 1xx responses */
        if ((rc = read_line(r, line, sizeof line, &eof)) != CURLE_OK)
            break;
        int major, minor, code;
        if (eof) {
            set_error(c, "the server closed without answering");
            rc = CURLE_GOT_NOTHING;
            break;
        }
        if (sscanf(line, "HTTP/%d.%d %3d", &major, &minor, &code) != 3 || code < 100 || code > 999) {
            set_error(c, "not an HTTP status line: %.64s", line);
            rc = CURLE_WEIRD_SERVER_REPLY;
            break;
        }
        status = code;
        content_length = -1;
        chunked = 0;
        free(*location);
        *location = NULL;
        for (;;) {
            if ((rc = read_line(r, line, sizeof line, &eof)) != CURLE_OK)
                break;
            if (eof) {
                set_error(c, "the connection closed inside the headers");
                rc = CURLE_RECV_ERROR;
                break;
            }
            if (line[0] == '\0')
                break;
            char *colon = strchr(line, ':');
            if (!colon)
                continue;
            *colon = '\0';
            char *name = trim(line), *value = trim(colon + 1);
            if (!strcasecmp(name, "Content-Length")) {
                char *end;
                errno = 0;
                content_length = strtoll(value, &end, 10);
                if (end == value || *end || content_length < 0 || errno) {
                    set_error(c, "bad Content-Length: %s", value);
                    rc = CURLE_WEIRD_SERVER_REPLY;
                    break;
                }
            } else if (!strcasecmp(name, "Transfer-Encoding")) {
                const char *last = strrchr(value, ',');
                last = trim((char *)(last ? last + 1 : value));
                chunked = strncasecmp(last, "chunked", 7) == 0;
            } else if (!strcasecmp(name, "Location")) {
                *location = dup_string(value);
            }
        }
        if (rc != CURLE_OK || status >= 200)
            break;
    }
    if (rc == CURLE_OK) {
        c->response_code = status;
        int follow = c->follow && is_redirect(status) && *location;
        if (!follow) {
            free(*location);
            *location = NULL;
        }
        /* A redirect we follow: its body is skipped (the connection is closed
         * anyway). Otherwise the body goes to the write callback. */
        if (follow || status == 204 || status == 304)
            ;
        else if (chunked)
            rc = read_chunked(r, 1);
        else
            rc = read_body(r, content_length, 1);
    }
    free(r);
    close(fd);
    return rc;
}

/* ---- the easy API ------------------------------------------------------------ */

CURLcode curl_global_init(long flags)
{
    (void)flags;
    return CURLE_OK;
}

void curl_global_cleanup(void) {}

CURL *curl_easy_init(void)
{
    struct minicurl *c = calloc(1, sizeof *c);
    if (c)
        c->maxredirs = DEFAULT_MAXREDIRS;
    return c;
}

void curl_easy_cleanup(CURL *curl)
{
    struct minicurl *c = curl;
    if (!c)
        return;
    free(c->url);
    free(c->useragent);
    free(c->effective_url);
    free(c);
}

CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
    struct minicurl *c = curl;
    if (!c)
        return CURLE_BAD_FUNCTION_ARGUMENT;
    CURLcode rc = CURLE_OK;
    va_list ap;
    va_start(ap, option);
    switch (option) {
    case CURLOPT_URL:
    case CURLOPT_USERAGENT: { /* strings are copied, as libcurl does */
        const char *s = va_arg(ap, const char *);
        char *copy = s ? dup_string(s) : NULL;
        if (s && !copy) {
            rc = CURLE_OUT_OF_MEMORY;
            break;
        }
        char **slot = option == CURLOPT_URL ? &c->url : &c->useragent;
        free(*slot);
        *slot = copy;
        break;
    }
    case CURLOPT_WRITEFUNCTION:
        c->write_fn = va_arg(ap, curl_write_callback);
        break;
    case CURLOPT_WRITEDATA:
        c->write_data = va_arg(ap, void *);
        break;
    case CURLOPT_ERRORBUFFER:
        c->errorbuffer = va_arg(ap, char *);
        break;
    case CURLOPT_FOLLOWLOCATION:
        c->follow = va_arg(ap, long) != 0;
        break;
    case CURLOPT_MAXREDIRS: {
        long v = va_arg(ap, long);
        if (v < -1)
            rc = CURLE_BAD_FUNCTION_ARGUMENT;
        else
            c->maxredirs = v;
        break;
    }
    case CURLOPT_TIMEOUT:
    case CURLOPT_TIMEOUT_MS: {
        long v = va_arg(ap, long);
        if (v < 0 || (option == CURLOPT_TIMEOUT && v > LONG_MAX / 1000))
            rc = CURLE_BAD_FUNCTION_ARGUMENT;
        else
            c->timeout_ms = option == CURLOPT_TIMEOUT ? v * 1000 : v;
        break;
    }
    default:
        rc = CURLE_UNKNOWN_OPTION;
        break;
    }
    va_end(ap);
    return rc;
}

CURLcode curl_easy_perform(CURL *curl)
{
    struct minicurl *c = curl;
    if (!c)
        return CURLE_BAD_FUNCTION_ARGUMENT;
    if (c->errorbuffer)
        c->errorbuffer[0] = '\0';
    c->response_code = 0;
    c->redirect_count = 0;
    if (!c->url) {
        set_error(c, "No URL set");
        return CURLE_URL_MALFORMAT;
    }
    long long deadline = c->timeout_ms > 0 ? now_ms() + c->timeout_ms : 0;
    char *url = dup_string(c->url);
    if (!url)
        return CURLE_OUT_OF_MEMORY;

    CURLcode rc;
    for (;;) {
        free(c->effective_url);
        c->effective_url = dup_string(url);
        struct url u;
        char *location = NULL;
        if ((rc = parse_url(c, url, &u)) != CURLE_OK)
            break;
        rc = transfer(c, &u, deadline, &location);
        if (rc != CURLE_OK || !location) {
            free(location);
            break;
        }
        /* Follow the redirect. */
        if (c->maxredirs >= 0 && c->redirect_count >= c->maxredirs) {
            set_error(c, "more than %ld redirects", c->maxredirs);
            free(location);
            rc = CURLE_TOO_MANY_REDIRECTS;
            break;
        }
        char *next = resolve_location(&u, location);
        free(location);
        if (!next) {
            rc = CURLE_OUT_OF_MEMORY;
            break;
        }
        free(url);
        url = next;
        c->redirect_count++;
    }
    free(url);
    return rc;
}

CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
    struct minicurl *c = curl;
    if (!c)
        return CURLE_BAD_FUNCTION_ARGUMENT;
    CURLcode rc = CURLE_OK;
    va_list ap;
    va_start(ap, info);
    switch (info) {
    case CURLINFO_RESPONSE_CODE:
        *va_arg(ap, long *) = c->response_code;
        break;
    case CURLINFO_REDIRECT_COUNT:
        *va_arg(ap, long *) = c->redirect_count;
        break;
    case CURLINFO_EFFECTIVE_URL:
        *va_arg(ap, char **) = c->effective_url ? c->effective_url : c->url;
        break;
    default:
        rc = CURLE_UNKNOWN_OPTION;
        break;
    }
    va_end(ap);
    return rc;
}

const char *curl_easy_strerror(CURLcode code)
{
    switch (code) {
    case CURLE_OK: return "no error";
    case CURLE_UNSUPPORTED_PROTOCOL: return "unsupported protocol (minicurl speaks http:// only)";
    case CURLE_FAILED_INIT: return "initialisation failed";
    case CURLE_URL_MALFORMAT: return "malformed or missing URL";
    case CURLE_COULDNT_RESOLVE_HOST: return "cannot resolve the host name";
    case CURLE_COULDNT_CONNECT: return "cannot connect to the server";
    case CURLE_WEIRD_SERVER_REPLY: return "the server's reply is not HTTP";
    case CURLE_PARTIAL_FILE: return "the body ended early";
    case CURLE_WRITE_ERROR: return "the write callback did not take the data";
    case CURLE_OUT_OF_MEMORY: return "out of memory";
    case CURLE_OPERATION_TIMEDOUT: return "timed out";
    case CURLE_BAD_FUNCTION_ARGUMENT: return "bad argument";
    case CURLE_TOO_MANY_REDIRECTS: return "too many redirects";
    case CURLE_UNKNOWN_OPTION: return "unknown or unsupported option";
    case CURLE_GOT_NOTHING: return "the server closed without answering";
    case CURLE_SEND_ERROR: return "send failed";
    case CURLE_RECV_ERROR: return "receive failed";
    }
    return "unknown error code";
}

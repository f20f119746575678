/*
 * loadclient.c -- a native epoll load client for TCP echo servers (loopback).
 *
 * Opens N connections to HOST:PORT and holds them all at once, then pushes a
 * deterministic byte pattern through each one and checks every echoed byte.
 * Optional fault injection runs alongside the good connections:
 *
 *   --reset K        K extra connections that send --reset-bytes and then
 *                    close with SO_LINGER {1,0} (an RST), mid-transfer, while
 *                    the good connections are busy
 *   --slow K         K extra connections that keep sending but read only
 *                    --slow-rate bytes per second (backpressure); when the
 *                    good connections are done they stop sending, read the
 *                    rest at full speed and check all of it
 *
 *   loadclient --port P [--host A] [--conns N] [--bytes B] [--chunk C]
 *              [--ramp R] [--reset K] [--reset-bytes B] [--slow K]
 *              [--slow-rate BPS] [--slow-secs S] [--timeout S] [--quiet]
 *
 * Every loop is bounded: the whole run stops at --timeout (default 60 s).
 * Prints one summary line per kind of connection and exits 0 only if every
 * good (and slow) connection echoed every byte it sent, unchanged, and the
 * server closed it cleanly after our half-close.
 *
 * Plain C11 + Linux epoll; no dependency beyond libc.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum kind { GOOD, RESETTER, SLOW };
enum state { NOTOPEN, CONNECTING, HELLO, HELD, PUSHING, DRAINING, DONE, FAILED };

struct conn {
    int fd;
    enum kind kind;
    enum state state;
    uint32_t id;
    uint64_t sent, recvd;  /* pattern offsets */
    uint64_t target;       /* bytes to send (good/resetter); slow: grows */
    int wr_shut;
    uint64_t slow_budget;  /* bytes a slow reader may still read this tick */
    uint64_t max_inflight; /* slow: sent - recvd at its largest */
};

static const char *host = "127.0.0.1";
static int port = 0, nconns = 100, nreset = 0, nslow = 0, quiet = 0;
static uint64_t nbytes = 65536, chunk = 16384, reset_bytes = 262144;
static uint64_t slow_rate = 65536;
static double slow_secs = 3.0, timeout_s = 60.0;
static int ramp = 64;
static const uint64_t kHello = 16;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Byte `off` of connection `id`'s stream: cheap, position-dependent. */
static inline uint8_t pattern(uint32_t id, uint64_t off)
{
    uint64_t x = off * 0x9E3779B97F4A7C15ull + (uint64_t)id * 0xC2B2AE3D27D4EB4Full;
    x ^= x >> 29;
    return (uint8_t)(x >> 17);
}

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static int epfd;
static struct conn *conns;
static int total;

static void watch(struct conn *c, uint32_t events, int op)
{
    struct epoll_event ev = {.events = events, .data.ptr = c};
    if (epoll_ctl(epfd, op, c->fd, &ev) != 0)
        die("epoll_ctl");
}

static int open_conn(struct conn *c)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
        fprintf(stderr, "loadclient: bad host %s\n", host);
        exit(2);
    }
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        die("socket");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&sin, sizeof sin) != 0 && errno != EINPROGRESS) {
        perror("loadclient: connect");
        close(c->fd);
        c->fd = -1;
        c->state = FAILED;
        return -1;
    }
    c->state = CONNECTING;
    watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
    return 0;
}

static void fail_conn(struct conn *c, const char *why)
{
    if (!quiet || c->kind != RESETTER)
        fprintf(stderr, "loadclient: conn %u (%s): %s\n", c->id,
                c->kind == GOOD ? "good" : c->kind == SLOW ? "slow" : "reset", why);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->state = FAILED;
}

/* Sends up to `limit` more pattern bytes; returns -1 on error. */
static int do_send(struct conn *c, uint64_t limit)
{
    uint8_t buf[65536];
    while (c->sent < limit) {
        uint64_t n = limit - c->sent;
        if (n > chunk) n = chunk;
        if (n > sizeof buf) n = sizeof buf;
        for (uint64_t i = 0; i < n; i++)
            buf[i] = pattern(c->id, c->sent + i);
        ssize_t w = send(c->fd, buf, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return 0;
            return -1;
        }
        c->sent += (uint64_t)w;
        if ((uint64_t)w < n)
            return 0;
    }
    return 0;
}

static uint64_t mismatches, bytes_verified;

/* Reads what is there (bounded by `budget` when non-zero); checks it.
 * Returns 1 at EOF, -1 on error or a wrong byte, 0 otherwise. */
static int do_recv(struct conn *c, uint64_t budget)
{
    uint8_t buf[65536];
    for (;;) {
        size_t want = sizeof buf;
        if (budget) {
            if (c->slow_budget == 0)
                return 0;
            if (want > c->slow_budget) want = (size_t)c->slow_budget;
        }
        ssize_t r = recv(c->fd, buf, want, 0);
        if (r == 0)
            return 1;
        if (r < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return 0;
            return -1;
        }
        if (c->recvd + (uint64_t)r > c->sent) {
            mismatches++;
            return -1; /* more came back than we sent */
        }
        for (ssize_t i = 0; i < r; i++) {
            if (buf[i] != pattern(c->id, c->recvd + (uint64_t)i)) {
                mismatches++;
                return -1;
            }
        }
        c->recvd += (uint64_t)r;
        bytes_verified += (uint64_t)r;
        if (budget)
            c->slow_budget -= (uint64_t)r;
    }
}

static int count_state(enum kind k, enum state s)
{
    int n = 0;
    for (int i = 0; i < total; i++)
        if (conns[i].kind == k && conns[i].state == s) n++;
    return n;
}

static int goods_done_check(int n)
{
    return n > 0 && count_state(GOOD, DONE) == n;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (!strcmp(a, name) && v && ++i)
        if (OPT("--host")) host = v;
        else if (OPT("--port")) port = atoi(v);
        else if (OPT("--conns")) nconns = atoi(v);
        else if (OPT("--bytes")) nbytes = strtoull(v, NULL, 10);
        else if (OPT("--chunk")) chunk = strtoull(v, NULL, 10);
        else if (OPT("--ramp")) ramp = atoi(v);
        else if (OPT("--reset")) nreset = atoi(v);
        else if (OPT("--reset-bytes")) reset_bytes = strtoull(v, NULL, 10);
        else if (OPT("--slow")) nslow = atoi(v);
        else if (OPT("--slow-rate")) slow_rate = strtoull(v, NULL, 10);
        else if (OPT("--slow-secs")) slow_secs = atof(v);
        else if (OPT("--timeout")) timeout_s = atof(v);
        else if (!strcmp(a, "--quiet")) quiet = 1;
        else {
            fprintf(stderr, "usage: loadclient --port P [--host A] [--conns N] [--bytes B] [--chunk C]\n"
                            "  [--ramp R] [--reset K] [--reset-bytes B] [--slow K] [--slow-rate BPS]\n"
                            "  [--slow-secs S] [--timeout S] [--quiet]\n");
            return 2;
        }
#undef OPT
    }
    if (port <= 0 || nconns < 0 || ramp < 1 || chunk < 1 || chunk > 65536) {
        fprintf(stderr, "loadclient: bad arguments\n");
        return 2;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    total = nconns + nreset + nslow;
    conns = calloc((size_t)total ? (size_t)total : 1, sizeof *conns);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (!conns || epfd < 0)
        die("setup");
    for (int i = 0; i < total; i++) {
        conns[i].fd = -1;
        conns[i].id = (uint32_t)i + 1;
        conns[i].kind = i < nconns ? GOOD : i < nconns + nslow ? SLOW : RESETTER;
        conns[i].state = NOTOPEN;
        conns[i].target = conns[i].kind == RESETTER ? reset_bytes : conns[i].kind == GOOD ? nbytes : UINT64_MAX;
    }

    double t0 = now(), deadline = t0 + timeout_s;
    double t_held = 0, t_push = 0, t_good = 0, slow_stop = 0, next_tick = 0;
    int opened = 0;       /* connections opened so far (in order) */
    int peak_open = 0, resets_sent = 0;
    int phase = 0;        /* 0: opening & hello, 1: pushing, 2: slow drain */
    struct epoll_event evs[256];

    while (now() < deadline) {
        /* Open more while fewer than `ramp` handshakes are in flight. */
        int inflight = count_state(GOOD, CONNECTING) + count_state(GOOD, HELLO) +
                       count_state(SLOW, CONNECTING) + count_state(SLOW, HELLO);
        while (phase == 0 && opened < nconns + nslow && inflight < ramp) {
            open_conn(&conns[opened++]);
            inflight++;
        }
        int open_now = 0; /* (counted after the opens above) */
        for (int i = 0; i < total; i++)
            if (conns[i].fd >= 0) open_now++;
        if (open_now > peak_open) peak_open = open_now;

        if (phase == 0 && opened == nconns + nslow &&
            count_state(GOOD, HELD) + count_state(SLOW, HELD) == nconns + nslow) {
            /* Every connection is open and has been echoed once: the
             * server holds them all at the same time. Start pushing. */
            phase = 1;
            t_held = now();
            for (int i = 0; i < nconns + nslow; i++) {
                conns[i].state = PUSHING;
                watch(&conns[i], EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
            }
            for (int i = nconns + nslow; i < total; i++)
                open_conn(&conns[i]);
            slow_stop = now() + slow_secs;
            next_tick = now();
        }
        if (phase >= 1 && now() >= next_tick) {
            for (int i = 0; i < total; i++)
                if (conns[i].kind == SLOW)
                    conns[i].slow_budget = slow_rate / 10;
            next_tick = now() + 0.1;
        }
        if (goods_done_check(nconns) && !t_good)
            t_good = now();
        if (count_state(GOOD, FAILED) + count_state(SLOW, FAILED) > 0)
            break; /* a good connection failed: no point waiting for the timeout */
        int goods_left = 0;
        for (int i = 0; i < nconns; i++)
            if (conns[i].state != DONE) goods_left++;
        if (phase == 1 && goods_left == 0 && now() >= slow_stop &&
            count_state(RESETTER, CONNECTING) + count_state(RESETTER, PUSHING) == 0) {
            phase = 2;
            t_push = now();
            /* Slow readers stop sending and drain at full speed. */
            for (int i = 0; i < total; i++) {
                struct conn *c = &conns[i];
                if (c->kind == SLOW && c->state == PUSHING) {
                    c->target = c->sent;
                    shutdown(c->fd, SHUT_WR);
                    c->wr_shut = 1;
                    c->state = DRAINING;
                    watch(c, EPOLLIN, EPOLL_CTL_MOD);
                }
            }
        }
        if (phase == 2 && count_state(SLOW, DRAINING) == 0 && count_state(SLOW, PUSHING) == 0)
            break;
        if (phase >= 1 && nslow == 0 && goods_left == 0 &&
            count_state(RESETTER, CONNECTING) + count_state(RESETTER, PUSHING) == 0) {
            t_push = now();
            break;
        }

        int n = epoll_wait(epfd, evs, 256, 50);
        if (n < 0 && errno != EINTR)
            die("epoll_wait");
        for (int e = 0; e < n; e++) {
            struct conn *c = evs[e].data.ptr;
            uint32_t re = evs[e].events;
            if (c->fd < 0)
                continue;
            if (c->state == CONNECTING) {
                int err = 0;
                socklen_t len = sizeof err;
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err) {
                    fail_conn(c, strerror(err));
                    continue;
                }
                if (!(re & EPOLLOUT))
                    continue;
                if (c->kind == RESETTER) {
                    c->state = PUSHING;
                } else {
                    c->state = HELLO;
                    c->target = kHello;
                    watch(c, EPOLLIN, EPOLL_CTL_MOD);
                    if (do_send(c, kHello) < 0 || c->sent < kHello) {
                        fail_conn(c, "hello not sent at once");
                        continue;
                    }
                    continue;
                }
            }
            if (c->state == HELLO) {
                int r = do_recv(c, 0);
                if (r != 0) {
                    fail_conn(c, r > 0 ? "closed by the server before the hello echo" : "hello echo wrong or reset");
                    continue;
                }
                if (c->recvd == kHello) {
                    c->state = HELD;
                    c->target = c->kind == GOOD ? nbytes : UINT64_MAX;
                    watch(c, 0, EPOLL_CTL_MOD);
                }
                continue;
            }
            if (c->kind == RESETTER && c->state == PUSHING) {
                if (do_send(c, c->target) < 0) {
                    fail_conn(c, "send failed before the reset");
                    continue;
                }
                /* Read a little of the echo, then reset mid-transfer. */
                uint8_t junk[4096];
                while (recv(c->fd, junk, sizeof junk, 0) > 0) {
                }
                if (c->sent >= c->target) {
                    struct linger lg = {1, 0};
                    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
                    close(c->fd);
                    c->fd = -1;
                    c->state = DONE;
                    resets_sent++;
                }
                continue;
            }
            if (c->state == PUSHING || c->state == DRAINING) {
                int slow = c->kind == SLOW && c->state == PUSHING;
                if ((re & EPOLLOUT) && !c->wr_shut) {
                    if (do_send(c, c->target) < 0) {
                        fail_conn(c, "send failed");
                        continue;
                    }
                    if (c->kind == GOOD && c->sent >= c->target) {
                        shutdown(c->fd, SHUT_WR);
                        c->wr_shut = 1;
                        c->state = DRAINING;
                        watch(c, EPOLLIN, EPOLL_CTL_MOD);
                    }
                }
                if (re & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                    int r = do_recv(c, slow);
                    if (r < 0) {
                        fail_conn(c, "echo wrong or connection reset");
                        continue;
                    }
                    if (slow && c->sent - c->recvd > c->max_inflight)
                        c->max_inflight = c->sent - c->recvd;
                    if (r > 0) {
                        if (c->wr_shut && c->recvd == c->sent) {
                            close(c->fd);
                            c->fd = -1;
                            c->state = DONE;
                        } else {
                            fail_conn(c, "server closed before echoing everything");
                        }
                    }
                }
                if (slow && c->fd >= 0) {
                    /* Throttled: only ask for input while there is budget. */
                    uint32_t want = EPOLLOUT | (c->slow_budget ? EPOLLIN : 0);
                    watch(c, want, EPOLL_CTL_MOD);
                }
            }
        }
        /* Slow readers whose budget was refilled need EPOLLIN again. */
        for (int i = 0; i < total; i++) {
            struct conn *c = &conns[i];
            if (c->kind == SLOW && c->state == PUSHING && c->fd >= 0 && c->slow_budget)
                watch(c, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
        }
    }

    double t_end = now();
    int good_done = count_state(GOOD, DONE);
    int slow_done = count_state(SLOW, DONE);
    uint64_t slow_sent = 0, slow_inflight = 0;
    for (int i = 0; i < total; i++) {
        if (conns[i].kind == SLOW) {
            slow_sent += conns[i].sent;
            if (conns[i].max_inflight > slow_inflight) slow_inflight = conns[i].max_inflight;
        }
    }
    printf("loadclient: connections held at once: %d of %d (%.2f s to open)\n",
           phase >= 1 ? nconns + nslow : 0, nconns + nslow, (t_held ? t_held : t_end) - t0);
    if (!t_good && good_done == nconns)
        t_good = t_end;
    printf("loadclient: good: %d/%d completed (last at %.2f s), %llu bytes verified in all, %llu mismatches, "
           "%.2f s in all\n",
           good_done, nconns, t_good ? t_good - t0 : -1.0, (unsigned long long)bytes_verified,
           (unsigned long long)mismatches, t_end - t0);
    if (nreset)
        printf("loadclient: resets: %d/%d connections reset mid-transfer (SO_LINGER 0 after %llu bytes)\n",
               resets_sent, nreset, (unsigned long long)reset_bytes);
    if (nslow)
        printf("loadclient: slow: %d/%d completed, %llu bytes sent and verified, largest backlog %llu bytes "
               "(sent but not yet read back)\n",
               slow_done, nslow, (unsigned long long)slow_sent, (unsigned long long)slow_inflight);
    printf("loadclient: peak open sockets %d%s\n", peak_open, now() >= deadline ? ", TIMED OUT" : "");
    (void)t_push;
    int ok = good_done == nconns && slow_done == nslow && resets_sent == nreset && mismatches == 0;
    return ok ? 0 : 1;
}

/* What only WasmEdge's ABI has, checked against what WasmEdge documents
 * (docs/SOCKETS.md, "WasmEdge"): epoll_oneoff's edge-triggered readiness
 * beside poll_oneoff's level-triggered one, sock_getsockopt/setsockopt in
 * WasmEdge's numbering and layouts, sock_getaddrinfo's guest-linked result
 * list, and the `_v2` names with the 128-byte address storage. Imports are
 * declared by hand with WasmEdge's signatures. Prints `ok NAME` or
 * `FAIL NAME: ...` per check; the exit status is the number of failures.
 * Run with --addr-pool=127.0.0.1/32 --allow-resolve=localhost. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wasi/api.h>

#include "wasmedge_abi.h"

WASI_IMPORT("sock_accept") int32_t we_sock_accept_v1(int32_t fd, int32_t *out);
WASI_IMPORT("sock_getlocaladdr")
int32_t we_sock_getlocaladdr_v1(int32_t fd, we_address *addr, uint32_t *type, uint32_t *port);
/* sock_getsockopt with the size passed by value, as dispatchrun/net's Go shim does. */
WASI_IMPORT("sock_getsockopt")
int32_t we_sock_getsockopt_by_value(int32_t fd, int32_t level, int32_t name, void *value, uint32_t size);
WASI_IMPORT("epoll_oneoff")
int32_t we_epoll_oneoff(const __wasi_subscription_t *in, __wasi_event_t *out, uint32_t n, uint32_t *nevents);
WASI_IMPORT("poll_oneoff")
int32_t p1_poll_oneoff(const __wasi_subscription_t *in, __wasi_event_t *out, uint32_t n, uint32_t *nevents);
WASI_IMPORT("fd_fdstat_set_flags") int32_t p1_fd_fdstat_set_flags(int32_t fd, int32_t flags);
WASI_IMPORT("sock_open_v2") int32_t we_sock_open_v2(int32_t af, int32_t socktype, int32_t *fd);
WASI_IMPORT("sock_bind_v2") int32_t we_sock_bind_v2(int32_t fd, const we_address *addr, int32_t port);
WASI_IMPORT("sock_send_to_v2")
int32_t we_sock_send_to_v2(int32_t fd, const struct wasi_iovec *iovs, int32_t n, const we_address *addr,
                           int32_t port, int32_t siflags, uint32_t *sent);
WASI_IMPORT("sock_recv_from_v2")
int32_t we_sock_recv_from_v2(int32_t fd, const struct wasi_iovec *iovs, int32_t n, we_address *addr, int32_t riflags,
                             uint32_t *port, uint32_t *got, uint16_t *roflags);
WASI_IMPORT("sock_getlocaladdr_v2") int32_t we_sock_getlocaladdr_v2(int32_t fd, we_address *addr, uint32_t *port);

enum { INET4 = WE_INET4, DGRAM = WE_DGRAM, STREAM = WE_STREAM };
enum { SO_REUSEADDR_ = 0, SO_TYPE_ = 1, SO_ERROR_ = 2, SO_RCVTIMEO_ = 11, SO_BINDTODEVICE_ = 14 };

static int failures;
static uint8_t loopback_ip[4] = {127, 0, 0, 1};

static void check(const char *name, int ok, const char *fmt, long a, long b) {
  if (ok) {
    printf("ok   %s\n", name);
    return;
  }
  printf("FAIL %s: ", name);
  printf(fmt, a, b);
  printf("\n");
  ++failures;
}
static void check_eq(const char *name, long got, long want) {
  check(name, got == want, "got %ld, want %ld", got, want);
}
/* Each argument evaluated once (some are calls). */
#define CHECK_EQ(name, got, want) check_eq(name, (long)(got), (long)(want))

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A connected TCP pair over the V1 calls: *client and *server (accepted). */
static int tcp_pair(int *client, int *server) {
  we_address lo = {loopback_ip, 4};
  int32_t l = -1, c = -1, s = -1;
  uint32_t type = 0, port = 0;
  uint8_t ip[16];
  we_address out = {ip, 16};
  if (we_sock_open(INET4, STREAM, &l) || we_sock_bind(l, &lo, 0) || we_sock_listen(l, 4) ||
      we_sock_getlocaladdr_v1(l, &out, &type, &port) || we_sock_open(INET4, STREAM, &c) ||
      we_sock_connect(c, &lo, (int32_t)port) || we_sock_accept_v1(l, &s)) {
    return -1;
  }
  p1_fd_close(l);
  *client = c;
  *server = s;
  return 0;
}

/* One poll call over `fd` for `tag` and a 50 ms clock: 1 if the fd's event
 * came (its flags in *flags), 0 on the timeout alone. */
static int fd_ready(int edge, int fd, uint8_t tag, uint16_t *flags) {
  __wasi_subscription_t subs[2];
  memset(subs, 0, sizeof subs);
  subs[0].userdata = 1;
  subs[0].u.tag = tag;
  subs[0].u.u.fd_read.file_descriptor = (uint32_t)fd;
  subs[1].userdata = 2;
  subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[1].u.u.clock.timeout = 50 * 1000 * 1000;
  __wasi_event_t ev[2];
  uint32_t n = 0;
  int err = edge ? we_epoll_oneoff(subs, ev, 2, &n) : p1_poll_oneoff(subs, ev, 2, &n);
  if (err) return -err;
  for (uint32_t i = 0; i < n; ++i) {
    if (ev[i].userdata == 1) {
      if (flags) *flags = ev[i].fd_readwrite.flags;
      return 1;
    }
  }
  return 0;
}

static void readiness(void) {
  int client, server;
  if (tcp_pair(&client, &server)) {
    check("tcp pair for the poll checks", 0, "%ld %ld", 0, 0);
    return;
  }
  size_t n;
  char buf[16];
  CHECK_EQ("epoll: nothing to read, the clock fires", fd_ready(1, server, __WASI_EVENTTYPE_FD_READ, 0), 0);
  p1_send(client, "a", 1, &n);
  CHECK_EQ("epoll: data arrived: readable", fd_ready(1, server, __WASI_EVENTTYPE_FD_READ, 0), 1);
  CHECK_EQ("epoll: data left unread: not reported again", fd_ready(1, server, __WASI_EVENTTYPE_FD_READ, 0), 0);
  CHECK_EQ("poll_oneoff: data left unread: still readable (level)",
           fd_ready(0, server, __WASI_EVENTTYPE_FD_READ, 0), 1);
  p1_send(client, "b", 1, &n);
  CHECK_EQ("epoll: more data: readable again", fd_ready(1, server, __WASI_EVENTTYPE_FD_READ, 0), 1);
  p1_recv(server, buf, sizeof buf, &n);
  CHECK_EQ("both bytes read", n, 2);
  CHECK_EQ("epoll: drained: nothing", fd_ready(1, server, __WASI_EVENTTYPE_FD_READ, 0), 0);
  CHECK_EQ("epoll: writable once", fd_ready(1, client, __WASI_EVENTTYPE_FD_WRITE, 0), 1);
  CHECK_EQ("epoll: still writable, no new edge", fd_ready(1, client, __WASI_EVENTTYPE_FD_WRITE, 0), 0);
  uint16_t flags = 0;
  p1_sock_shutdown(client, 2);
  CHECK_EQ("epoll: peer shut down: readable", fd_ready(1, server, __WASI_EVENTTYPE_FD_READ, &flags), 1);
  CHECK_EQ("epoll: ... with the hang-up flag", flags & __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP, 1);
  p1_fd_close(client);
  p1_fd_close(server);
  /* A new socket that gets the closed one's fd number starts afresh. */
  if (tcp_pair(&client, &server) == 0) {
    p1_send(client, "c", 1, &n);
    CHECK_EQ("epoll: a reused fd number reports its new socket", fd_ready(1, server, __WASI_EVENTTYPE_FD_READ, 0), 1);
    p1_fd_close(client);
    p1_fd_close(server);
  }
}

static void options(void) {
  int32_t tcp = -1, udp = -1, v = 0;
  uint32_t size = 4;
  we_sock_open(INET4, STREAM, &tcp);
  we_sock_open(INET4, DGRAM, &udp);
  CHECK_EQ("SO_TYPE of a stream socket: get", we_sock_getsockopt(tcp, 0, SO_TYPE_, &v, &size), 0);
  CHECK_EQ("SO_TYPE of a stream socket is STREAM (2)", v, STREAM);
  CHECK_EQ("SO_TYPE: the size written back", size, 4);
  v = 0;
  CHECK_EQ("SO_TYPE of a datagram socket, size by value (dispatchrun/net)",
           we_sock_getsockopt_by_value(udp, 0, SO_TYPE_, &v, 4), 0);
  CHECK_EQ("SO_TYPE of a datagram socket is DGRAM (1)", v, DGRAM);
  v = 1;
  CHECK_EQ("SO_REUSEADDR: set", we_sock_setsockopt(tcp, 0, SO_REUSEADDR_, &v, 4), 0);
  v = 0;
  size = 4;
  we_sock_getsockopt(tcp, 0, SO_REUSEADDR_, &v, &size);
  CHECK_EQ("SO_REUSEADDR: reads back 1", v, 1);
  CHECK_EQ("level 1 (not SOL_SOCKET): EINVAL", we_sock_setsockopt(tcp, 1, SO_REUSEADDR_, &v, 4), 28);
  CHECK_EQ("option 99: EINVAL", we_sock_setsockopt(tcp, 0, 99, &v, 4), 28);
  CHECK_EQ("SO_BINDTODEVICE: ENOTSUP", we_sock_setsockopt(tcp, 0, SO_BINDTODEVICE_, "lo", 3), 58);
  size = 2;
  CHECK_EQ("a 2-byte buffer for an int: EINVAL", we_sock_getsockopt(tcp, 0, SO_TYPE_, &v, &size), 28);

  /* SO_ERROR after a refused non-blocking connect is a WASI errno. */
  int32_t closed = -1;
  uint32_t type = 0, port = 0;
  uint8_t ip[16];
  we_address lo = {loopback_ip, 4}, out = {ip, 16};
  we_sock_open(INET4, STREAM, &closed);
  we_sock_bind(closed, &lo, 0);
  we_sock_getlocaladdr_v1(closed, &out, &type, &port);
  p1_fd_close(closed); /* nothing listens on `port` now */
  p1_fd_fdstat_set_flags(tcp, __WASI_FDFLAGS_NONBLOCK);
  int32_t rc = we_sock_connect(tcp, &lo, (int32_t)port);
  /* Linux answers a non-blocking connect with EINPROGRESS even on loopback. */
  CHECK_EQ("non-blocking connect: EINPROGRESS", rc, 26);
  fd_ready(0, tcp, __WASI_EVENTTYPE_FD_WRITE, 0);
  v = -1;
  size = 4;
  we_sock_getsockopt(tcp, 0, SO_ERROR_, &v, &size);
  CHECK_EQ("SO_ERROR: ECONNREFUSED as the WASI errno (14)", v, 14);

  /* SO_RCVTIMEO as a 16-byte timeval; a blocking recv then times out. */
  int client, server;
  if (tcp_pair(&client, &server) == 0) {
    int64_t tv[2] = {0, 200000}, back[2] = {0, 0};
    CHECK_EQ("SO_RCVTIMEO: set 0.2 s", we_sock_setsockopt(server, 0, SO_RCVTIMEO_, tv, sizeof tv), 0);
    size = sizeof back;
    we_sock_getsockopt(server, 0, SO_RCVTIMEO_, back, &size);
    CHECK_EQ("SO_RCVTIMEO: reads back 200000 us", back[0] * 1000000 + back[1], 200000);
    CHECK_EQ("SO_RCVTIMEO: size 16", size, 16);
    char buf[4];
    size_t n = 0;
    double t0 = now_s();
    int32_t err = p1_recv(server, buf, sizeof buf, &n);
    double waited = now_s() - t0;
    CHECK_EQ("recv past SO_RCVTIMEO: EAGAIN", err, 6);
    check("recv waited about the timeout", waited > 0.15 && waited < 5, "waited %ld ms%ld", (long)(waited * 1000), 0);
    p1_fd_close(client);
    p1_fd_close(server);
  }
  p1_fd_close(tcp);
  p1_fd_close(udp);
}

/* A fresh guest-linked result list of 4 nodes (the host overwrites the
 * buffer sizes with what it wrote, so a list is set up before each call). */
static we_addrinfo nodes[4];
static we_sockaddr addrs[4];
static uint8_t data[4][26];
static char canon[4][64];

static we_addrinfo *fresh_list(void) {
  memset(nodes, 0, sizeof nodes);
  memset(canon, 0, sizeof canon);
  for (int i = 0; i < 4; ++i) {
    addrs[i].sa_data = data[i];
    addrs[i].sa_data_len = 26;
    nodes[i].ai_addr = &addrs[i];
    nodes[i].ai_canonname = canon[i];
    nodes[i].ai_canonname_len = sizeof canon[i];
    nodes[i].ai_next = i < 3 ? &nodes[i + 1] : 0;
  }
  return nodes;
}

static void lookup(void) {
  we_addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = INET4;
  hints.ai_socktype = STREAM;
  we_addrinfo *res = fresh_list();
  uint32_t count = 0;
  /* The length counts the NUL, as the Rust crate passes it. */
  int32_t err = we_sock_getaddrinfo("127.0.0.1", 10, "8080", 4, &hints, &res, 4, &count);
  CHECK_EQ("getaddrinfo 127.0.0.1:8080", err, 0);
  CHECK_EQ("one result", count, 1);
  CHECK_EQ("family INET4", nodes[0].ai_family, INET4);
  CHECK_EQ("socktype STREAM", nodes[0].ai_socktype, STREAM);
  CHECK_EQ("addrlen is sockaddr_in's (16)", nodes[0].ai_addrlen, 16);
  CHECK_EQ("sa_family INET4", addrs[0].sa_family, INET4);
  CHECK_EQ("sa_data_len 14", addrs[0].sa_data_len, 14);
  CHECK_EQ("sa_data: the port, big-endian", (data[0][0] << 8) | data[0][1], 8080);
  CHECK_EQ("sa_data: the address", data[0][2] == 127 && data[0][5] == 1, 1);

  hints.ai_flags = 2; /* CANONNAME */
  res = fresh_list();
  err = we_sock_getaddrinfo("localhost", 9, "", 0, &hints, &res, 4, &count);
  CHECK_EQ("getaddrinfo localhost with CANONNAME", err, 0);
  check("at least one result", count >= 1, "got %ld%ld", count, 0);
  CHECK_EQ("the canonical name's length", nodes[0].ai_canonname_len, strlen(canon[0]));
  check("a canonical name", canon[0][0] != 0, "empty%ld%ld", 0, 0);
  CHECK_EQ("localhost resolves to 127.x", data[0][2], 127);

  hints.ai_flags = 0;
  res = fresh_list();
  nodes[0].ai_next = &nodes[0]; /* dispatchrun/net links each node to itself */
  err = we_sock_getaddrinfo("localhost", 9, "", 0, &hints, &res, 4, &count);
  check("a self-linked list is filled in without a hang", err == 0 && count >= 1, "err %ld count %ld", err, count);
  CHECK_EQ("a name outside the policy: EACCES", we_sock_getaddrinfo("forbidden.example", 17, "", 0, &hints, &res, 4, &count), 2);
  CHECK_EQ("no node: EAI_NONAME (84)", we_sock_getaddrinfo("", 0, "80", 2, &hints, &res, 4, &count), 84);
  CHECK_EQ("max_res_len 0: EAI_MEMORY (82)", we_sock_getaddrinfo("localhost", 9, "", 0, &hints, &res, 0, &count), 82);
  hints.ai_family = 9;
  CHECK_EQ("hints family 9: EAI_FAMILY (81)", we_sock_getaddrinfo("localhost", 9, "", 0, &hints, &res, 4, &count), 81);
}

static void storage_v2(void) {
  /* V2's storage: u16 family at 0, the address at 2. */
  uint8_t st[128];
  memset(st, 0, sizeof st);
  st[0] = INET4;
  memcpy(st + 2, loopback_ip, 4);
  we_address a = {st, sizeof st};
  int32_t r = -1, s = -1;
  CHECK_EQ("sock_open_v2", we_sock_open_v2(INET4, DGRAM, &r), 0);
  we_sock_open_v2(INET4, DGRAM, &s);
  CHECK_EQ("sock_bind_v2 with the 128-byte storage", we_sock_bind_v2(r, &a, 0), 0);
  CHECK_EQ("sock_bind_v2 of the sender", we_sock_bind_v2(s, &a, 0), 0);
  uint8_t got[128];
  we_address g = {got, sizeof got};
  uint32_t r_port = 0, s_port = 0;
  CHECK_EQ("sock_getlocaladdr_v2", we_sock_getlocaladdr_v2(r, &g, &r_port), 0);
  CHECK_EQ("... family INET4 at offset 0", got[0] | (got[1] << 8), INET4);
  CHECK_EQ("... the address at offset 2", got[2] == 127 && got[5] == 1, 1);
  we_sock_getlocaladdr_v2(s, &g, &s_port);
  struct wasi_iovec v = {"v2", 2};
  uint32_t n = 0;
  CHECK_EQ("sock_send_to_v2 with the storage", we_sock_send_to_v2(s, &v, 1, &a, (int32_t)r_port, 0, &n), 0);
  char buf[8];
  struct wasi_iovec in = {buf, sizeof buf};
  uint32_t from_port = 0xdead0000u;
  uint16_t roflags = 0;
  memset(got, 0, sizeof got);
  CHECK_EQ("sock_recv_from_v2", we_sock_recv_from_v2(r, &in, 1, &g, 0, &from_port, &n, &roflags), 0);
  CHECK_EQ("... 2 bytes", n, 2);
  CHECK_EQ("... the source port, host order, in the low u16", from_port & 0xffff, s_port);
  CHECK_EQ("... the upper half untouched (WasmEdge writes a u16)", from_port >> 16, 0xdead);
  CHECK_EQ("... the source family", got[0], INET4);
  a.buf_len = 5;
  CHECK_EQ("a 5-byte address: EINVAL", we_sock_bind_v2(s, &a, 0), 28);
  a.buf_len = sizeof st;

  /* A datagram larger than the buffer: the bytes that fit and
   * RECV_DATA_TRUNCATED, through one buffer and through two. */
  for (int parts = 1; parts <= 2; ++parts) {
    struct wasi_iovec ten = {"0123456789", 10};
    we_sock_send_to_v2(s, &ten, 1, &a, (int32_t)r_port, 0, &n);
    char x[2], y[2];
    struct wasi_iovec small[2] = {{x, 2}, {y, 2}};
    uint32_t got_n = 0;
    roflags = 0;
    CHECK_EQ(parts == 1 ? "truncated datagram, one buffer: recv" : "truncated datagram, two buffers: recv",
             p1_sock_recv(r, small, parts, 0, &got_n, &roflags), 0);
    CHECK_EQ("... the bytes that fit", got_n, 2 * parts);
    CHECK_EQ("... RECV_DATA_TRUNCATED", roflags, 1);
  }
  p1_fd_close(r);
  p1_fd_close(s);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  readiness();
  options();
  lookup();
  storage_v2();
  printf("%d failed\n", failures);
  return failures;
}

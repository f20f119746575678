/* The ABI test scenarios: the same program over each socket ABI family
 * (net_abi.h says which adapter is which). Every line it prints is either
 * the same for every family and the native build, or says what the family
 * does not have; run_abi_test.py compares them.
 *
 *   loopback v4|v6            TCP (server, client, accept, shutdown) and UDP
 *                             between the guest's own sockets, addresses,
 *                             SO_REUSEADDR
 *   client IP TCPPORT UDPPORT against the driver's TCP and UDP echo servers
 *   lookup NAME               a name lookup (IPv4, stream)
 *   deny IP PORT NAME         what the policy refuses: a connect, a UDP
 *                             send_to and a lookup
 *   listener FD               accepts one client on a listening socket it
 *                             was given and answers it in upper case
 *   bench ROUNDS              1-byte TCP round trips and 64-byte UDP
 *                             datagrams between its own sockets, timed
 *   serve FD                  echoes one client of a listening socket it was
 *                             given until the client closes (for pingpong)
 *   pingpong IP PORT ROUNDS   1-byte round trips to a `serve`, timed (the
 *                             native build is the client of every family) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net_abi.h"

static int failures;

static void put_addr(const struct na_addr *a) {
  if (!a->v6) {
    printf("%u.%u.%u.%u", a->ip[0], a->ip[1], a->ip[2], a->ip[3]);
    return;
  }
  for (int i = 0; i < 16; i += 2) printf("%s%x", i ? ":" : "", (a->ip[i] << 8) | a->ip[i + 1]);
}

/* Prints "WHAT: ok" or "WHAT: errno N"; returns err. */
static int report(const char *what, int err) {
  if (err) {
    printf("%s: errno %d\n", what, err);
    ++failures;
  } else {
    printf("%s: ok\n", what);
  }
  return err;
}

static int parse_ip(const char *s, struct na_addr *a) {
  memset(a, 0, sizeof *a);
  unsigned b[4];
  if (sscanf(s, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]) == 4) {
    for (int i = 0; i < 4; ++i) a->ip[i] = (uint8_t)b[i];
    return 0;
  }
  if (strcmp(s, "::1") == 0) {
    a->v6 = 1;
    a->ip[15] = 1;
    return 0;
  }
  return -1;
}

static int same_addr(const struct na_addr *x, const struct na_addr *y) {
  return x->v6 == y->v6 && x->port == y->port && memcmp(x->ip, y->ip, x->v6 ? 16 : 4) == 0;
}

/* Receives exactly len bytes (a stream may deliver them in pieces). */
static int recv_all(int fd, char *buf, size_t len, size_t *got) {
  *got = 0;
  while (*got < len) {
    size_t n = 0;
    int err = na_recv(fd, buf + *got, len - *got, &n);
    if (err) return err;
    if (n == 0) break;
    *got += n;
  }
  return 0;
}

static int loopback(int v6) {
  struct na_addr any;
  parse_ip(v6 ? "::1" : "127.0.0.1", &any);
  int server = -1, client = -1, conn = -1;
  if (report("open server", na_open(v6, 1, &server))) return 1;
  int on = 0;
  report("set SO_REUSEADDR", na_set_reuseaddr(server, 1));
  if (!report("get SO_REUSEADDR", na_get_reuseaddr(server, &on))) printf("SO_REUSEADDR is %d\n", on != 0);
  if (report("bind port 0", na_bind(server, &any))) return 1;
  if (report("listen", na_listen(server, 8))) return 1;
  struct na_addr local;
  if (report("local address", na_local_addr(server, &local))) return 1;
  printf("listening on ");
  put_addr(&local);
  printf(", port %s\n", local.port ? "chosen" : "zero");
  if (report("open client", na_open(v6, 1, &client))) return 1;
  if (report("connect", na_connect(client, &local))) return 1;
  if (report("accept", na_accept(server, &conn))) return 1;
  struct na_addr client_local, client_peer, conn_peer, conn_local;
  report("client local address", na_local_addr(client, &client_local));
  report("client peer address", na_peer_addr(client, &client_peer));
  report("accepted peer address", na_peer_addr(conn, &conn_peer));
  report("accepted local address", na_local_addr(conn, &conn_local));
  printf("accepted peer is the client: %s\n", same_addr(&conn_peer, &client_local) ? "yes" : "no");
  printf("client peer is the listener: %s\n", same_addr(&client_peer, &local) ? "yes" : "no");
  printf("accepted local is the listener: %s\n", same_addr(&conn_local, &local) ? "yes" : "no");

  char buf[64];
  size_t n = 0;
  report("send hello", na_send(client, "hello", 5, &n));
  size_t got = 0;
  report("recv", recv_all(conn, buf, 5, &got));
  printf("server got %zu bytes '%.*s'\n", got, (int)got, buf);
  report("send HELLO", na_send(conn, "HELLO", 5, &n));
  report("recv", recv_all(client, buf, 5, &got));
  printf("client got %zu bytes '%.*s'\n", got, (int)got, buf);
  report("shutdown write", na_shutdown_write(client));
  report("recv at end of stream", na_recv(conn, buf, sizeof buf, &got));
  printf("end of stream: %zu bytes\n", got);
  report("close accepted", na_close(conn));
  report("close client", na_close(client));
  report("close listener", na_close(server));

  int a = -1, b = -1;
  if (report("open udp a", na_open(v6, 0, &a)) || report("open udp b", na_open(v6, 0, &b))) return 1;
  report("bind udp a", na_bind(a, &any));
  report("bind udp b", na_bind(b, &any));
  struct na_addr addr_a, addr_b, from;
  report("udp a address", na_local_addr(a, &addr_a));
  report("udp b address", na_local_addr(b, &addr_b));
  report("send_to", na_send_to(b, "ping", 4, &addr_a, &n));
  printf("sent %zu bytes\n", n);
  memset(&from, 0, sizeof from);
  report("recv_from", na_recv_from(a, buf, sizeof buf, &from, &got));
  printf("datagram of %zu bytes '%.*s' from ", got, (int)got, buf);
  put_addr(&from);
  if (na_recv_from_reports_port) {
    printf(", the sender's port: %s\n", from.port == addr_b.port ? "yes" : "no");
  } else {
    printf(", port not in this ABI\n");
  }
  report("close udp a", na_close(a));
  report("close udp b", na_close(b));
  return failures != 0;
}

static int client(const char *ip, int tcp_port, int udp_port) {
  struct na_addr to;
  if (parse_ip(ip, &to)) return 2;
  to.port = (uint16_t)tcp_port;
  int fd = -1;
  if (report("open", na_open(to.v6, 1, &fd)) || report("connect", na_connect(fd, &to))) return 1;
  static char out[20000], in[20000];
  for (size_t i = 0; i < sizeof out; ++i) out[i] = (char)('a' + i % 26);
  size_t n = 0, got = 0;
  report("send 20000 bytes", na_send(fd, out, sizeof out, &n));
  printf("sent %zu\n", n);
  report("recv the echo", recv_all(fd, in, sizeof in, &got));
  printf("echo of %zu bytes %s\n", got, got == sizeof out && memcmp(in, out, got) == 0 ? "matches" : "differs");
  report("close", na_close(fd));

  to.port = (uint16_t)udp_port;
  if (report("open udp", na_open(to.v6, 0, &fd))) return 1;
  report("send_to", na_send_to(fd, "ping", 4, &to, &n));
  struct na_addr from;
  memset(&from, 0, sizeof from);
  report("recv_from", na_recv_from(fd, in, sizeof in, &from, &got));
  printf("reply '%.*s' from ", (int)got, in);
  put_addr(&from);
  if (na_recv_from_reports_port) {
    printf(", the server's port: %s\n", from.port == udp_port ? "yes" : "no");
  } else {
    printf(", port not in this ABI\n");
  }
  report("close udp", na_close(fd));
  return failures != 0;
}

static int lookup(const char *name) {
  struct na_addr found[8];
  int count = 0;
  int err = na_lookup(name, found, 8, &count);
  if (err) {
    printf("lookup %s: errno %d\n", name, err);
    return 1;
  }
  int loopback = 0;
  for (int i = 0; i < count; ++i) loopback |= !found[i].v6 && found[i].ip[0] == 127;
  printf("lookup %s: %s, a loopback address among them: %s\n", name, count > 0 ? "results" : "none",
         loopback ? "yes" : "no");
  return 0;
}

/* Every line names the errno: the policy's answer is EACCES (2). */
static int deny(const char *ip, int port, const char *name) {
  struct na_addr to;
  if (parse_ip(ip, &to)) return 2;
  to.port = (uint16_t)port;
  int fd = -1;
  size_t n = 0;
  if (report("open", na_open(to.v6, 1, &fd))) return 1;
  printf("connect outside the policy: errno %d\n", na_connect(fd, &to));
  na_close(fd);
  if (report("open udp", na_open(to.v6, 0, &fd))) return 1;
  printf("send_to outside the policy: errno %d\n", na_send_to(fd, "x", 1, &to, &n));
  na_close(fd);
  struct na_addr found[2];
  int count = 0;
  printf("lookup outside the policy: errno %d\n", na_lookup(name, found, 2, &count));
  return 0;
}

static int listener(int fd) {
  int conn = -1;
  if (report("accept", na_accept(fd, &conn))) return 1;
  char buf[256];
  size_t got = 0, n = 0;
  report("recv", na_recv(conn, buf, sizeof buf, &got));
  printf("got '%.*s'\n", (int)got, buf);
  for (size_t i = 0; i < got; ++i) {
    if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] = (char)(buf[i] - 32);
  }
  report("send", na_send(conn, buf, got, &n));
  report("shutdown write", na_shutdown_write(conn));
  report("close", na_close(conn));
  return failures != 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Per-call cost: 1-byte TCP round trips (4 calls each) and 64-byte UDP
 * send_to/recv_from pairs between the guest's own loopback sockets. */
static int bench(long rounds) {
  struct na_addr lo;
  parse_ip("127.0.0.1", &lo);
  int server, client, conn, a, b;
  struct na_addr at, addr_a;
  if (na_open(0, 1, &server) || na_bind(server, &lo) || na_listen(server, 1) || na_local_addr(server, &at) ||
      na_open(0, 1, &client) || na_connect(client, &at) || na_accept(server, &conn)) {
    printf("bench: TCP setup failed\n");
    return 1;
  }
  char byte = 'x', buf[64] = {0};
  size_t n;
  double t0 = now_s();
  for (long i = 0; i < rounds; ++i) {
    if (na_send(client, &byte, 1, &n) || na_recv(conn, buf, 1, &n) || na_send(conn, buf, 1, &n) ||
        na_recv(client, buf, 1, &n)) {
      printf("bench: TCP round trip failed\n");
      return 1;
    }
  }
  double tcp = now_s() - t0;
  if (na_open(0, 0, &a) || na_open(0, 0, &b) || na_bind(a, &lo) || na_local_addr(a, &addr_a)) {
    printf("bench: UDP setup failed\n");
    return 1;
  }
  struct na_addr from;
  t0 = now_s();
  for (long i = 0; i < rounds; ++i) {
    if (na_send_to(b, buf, sizeof buf, &addr_a, &n) || na_recv_from(a, buf, sizeof buf, &from, &n)) {
      printf("bench: UDP failed\n");
      return 1;
    }
  }
  double udp = now_s() - t0;
  printf("result abi=%s rounds=%ld tcp_round_trip_ns=%.0f udp_pair_ns=%.0f\n", na_family, rounds, tcp / rounds * 1e9,
         udp / rounds * 1e9);
  return 0;
}

static int serve(int fd) {
  int conn = -1;
  if (na_accept(fd, &conn)) return 1;
  char buf[4096];
  for (;;) {
    size_t got = 0, sent = 0;
    if (na_recv(conn, buf, sizeof buf, &got) || got == 0) break;
    if (na_send(conn, buf, got, &sent)) break;
  }
  na_close(conn);
  return 0;
}

static int pingpong(const char *ip, int port, long rounds) {
  struct na_addr to;
  if (parse_ip(ip, &to)) return 2;
  to.port = (uint16_t)port;
  int fd = -1;
  if (na_open(to.v6, 1, &fd) || na_connect(fd, &to)) {
    printf("pingpong: cannot connect\n");
    return 1;
  }
  char byte = 'x';
  size_t n;
  double t0 = now_s();
  for (long i = 0; i < rounds; ++i) {
    if (na_send(fd, &byte, 1, &n) || na_recv(fd, &byte, 1, &n) || n != 1) {
      printf("pingpong: round trip failed\n");
      return 1;
    }
  }
  double t = now_s() - t0;
  na_close(fd);
  printf("result rounds=%ld round_trip_ns=%.0f\n", rounds, t / rounds * 1e9);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc == 3 && strcmp(argv[1], "loopback") == 0) return loopback(strcmp(argv[2], "v6") == 0);
  if (argc == 5 && strcmp(argv[1], "client") == 0) return client(argv[2], atoi(argv[3]), atoi(argv[4]));
  if (argc == 3 && strcmp(argv[1], "lookup") == 0) return lookup(argv[2]);
  if (argc == 5 && strcmp(argv[1], "deny") == 0) return deny(argv[2], atoi(argv[3]), argv[4]);
  if (argc == 3 && strcmp(argv[1], "listener") == 0) return listener(atoi(argv[2]));
  if (argc == 3 && strcmp(argv[1], "bench") == 0) return bench(atol(argv[2]));
  if (argc == 3 && strcmp(argv[1], "serve") == 0) return serve(atoi(argv[2]));
  if (argc == 5 && strcmp(argv[1], "pingpong") == 0) return pingpong(argv[2], atoi(argv[3]), atol(argv[4]));
  fprintf(stderr, "usage: %s loopback v4|v6 | client IP TCPPORT UDPPORT | lookup NAME | deny IP PORT NAME | "
                  "listener FD | bench ROUNDS | serve FD | pingpong IP PORT ROUNDS\n", argv[0]);
  return 2;
}

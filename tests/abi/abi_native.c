/* net_abi.h over the host's BSD sockets: the native build of the ABI test
 * scenarios, the oracle the wasm builds are compared with. Errors are
 * given as WASI errno numbers for the few the scenarios can meet. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net_abi.h"

const char *const na_family = "native";
const int na_recv_from_reports_port = 1;

static int wasi_errno(int e) {
  switch (e) {
    case EACCES: return 2;
    case EADDRINUSE: return 3;
    case EAGAIN: return 6;
    case EBADF: return 8;
    case ECONNREFUSED: return 14;
    case ECONNRESET: return 15;
    case EINVAL: return 28;
    case ENOTCONN: return 53;
    case EPIPE: return 64;
    default: return 29; /* EIO */
  }
}
#define CHECK(call) ((call) < 0 ? wasi_errno(errno) : 0)

static socklen_t to_sockaddr(const struct na_addr *a, struct sockaddr_storage *ss) {
  memset(ss, 0, sizeof *ss);
  if (!a->v6) {
    struct sockaddr_in *s = (struct sockaddr_in *)ss;
    s->sin_family = AF_INET;
    s->sin_port = htons(a->port);
    memcpy(&s->sin_addr, a->ip, 4);
    return sizeof *s;
  }
  struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;
  s->sin6_family = AF_INET6;
  s->sin6_port = htons(a->port);
  memcpy(&s->sin6_addr, a->ip, 16);
  return sizeof *s;
}

static void from_sockaddr(const struct sockaddr_storage *ss, struct na_addr *a) {
  memset(a, 0, sizeof *a);
  if (ss->ss_family == AF_INET) {
    const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
    memcpy(a->ip, &s->sin_addr, 4);
    a->port = ntohs(s->sin_port);
  } else {
    const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;
    a->v6 = 1;
    memcpy(a->ip, &s->sin6_addr, 16);
    a->port = ntohs(s->sin6_port);
  }
}

int na_open(int v6, int stream, int *fd) {
  *fd = socket(v6 ? AF_INET6 : AF_INET, stream ? SOCK_STREAM : SOCK_DGRAM, 0);
  return *fd < 0 ? wasi_errno(errno) : 0;
}

int na_bind(int fd, const struct na_addr *a) {
  struct sockaddr_storage ss;
  socklen_t len = to_sockaddr(a, &ss);
  return CHECK(bind(fd, (struct sockaddr *)&ss, len));
}

int na_connect(int fd, const struct na_addr *a) {
  struct sockaddr_storage ss;
  socklen_t len = to_sockaddr(a, &ss);
  return CHECK(connect(fd, (struct sockaddr *)&ss, len));
}

int na_listen(int fd, int backlog) { return CHECK(listen(fd, backlog)); }

int na_accept(int fd, int *out) {
  *out = accept(fd, NULL, NULL);
  return *out < 0 ? wasi_errno(errno) : 0;
}

int na_send(int fd, const void *buf, size_t len, size_t *sent) {
  ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
  *sent = n < 0 ? 0 : (size_t)n;
  return CHECK(n);
}

int na_recv(int fd, void *buf, size_t len, size_t *got) {
  ssize_t n = recv(fd, buf, len, 0);
  *got = n < 0 ? 0 : (size_t)n;
  return CHECK(n);
}

int na_send_to(int fd, const void *buf, size_t len, const struct na_addr *to, size_t *sent) {
  struct sockaddr_storage ss;
  socklen_t sl = to_sockaddr(to, &ss);
  ssize_t n = sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl);
  *sent = n < 0 ? 0 : (size_t)n;
  return CHECK(n);
}

int na_recv_from(int fd, void *buf, size_t len, struct na_addr *from, size_t *got) {
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  ssize_t n = recvfrom(fd, buf, len, 0, (struct sockaddr *)&ss, &sl);
  *got = n < 0 ? 0 : (size_t)n;
  if (n >= 0) from_sockaddr(&ss, from);
  return CHECK(n);
}

static int name_of(int fd, struct na_addr *out, int peer) {
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  int rc = peer ? getpeername(fd, (struct sockaddr *)&ss, &sl) : getsockname(fd, (struct sockaddr *)&ss, &sl);
  if (rc == 0) from_sockaddr(&ss, out);
  return CHECK(rc);
}

int na_local_addr(int fd, struct na_addr *out) { return name_of(fd, out, 0); }
int na_peer_addr(int fd, struct na_addr *out) { return name_of(fd, out, 1); }

int na_lookup(const char *host, struct na_addr *out, int max, int *count) {
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, NULL, &hints, &res) != 0) return 44; /* ENOENT */
  *count = 0;
  for (struct addrinfo *ai = res; ai && *count < max; ai = ai->ai_next) {
    from_sockaddr((const struct sockaddr_storage *)ai->ai_addr, &out[(*count)++]);
  }
  freeaddrinfo(res);
  return 0;
}

int na_set_reuseaddr(int fd, int on) { return CHECK(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on)); }

int na_get_reuseaddr(int fd, int *on) {
  socklen_t len = sizeof *on;
  return CHECK(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, on, &len));
}

int na_shutdown_write(int fd) { return CHECK(shutdown(fd, SHUT_WR)); }
int na_close(int fd) { return CHECK(close(fd)); }

/* net_abi.h over WasmEdge's socket extension, imports declared by hand
 * with WasmEdge's signatures: V1 (before 0.12) by default, V2 with
 * -DWASMEDGE_V2 (a 3-argument sock_accept, an 8-argument sock_recv_from
 * with the source port, 3-argument get*addr with the 128-byte address
 * storage). Addresses are __wasi_address_t{u8 *buf, u32 buf_len} holding
 * the raw network-order IP, the port a separate argument. Enums are
 * WasmEdge's: INET4 = 1, INET6 = 2; DGRAM = 1, STREAM = 2. */
#include <string.h>

#include "net_abi.h"
#include "wasmedge_abi.h"

#ifdef WASMEDGE_V2
const char *const na_family = "wasmedge-v2";
const int na_recv_from_reports_port = 1;
#else
const char *const na_family = "wasmedge-v1";
const int na_recv_from_reports_port = 0; /* V1 has nowhere to put it */
#endif

#ifdef WASMEDGE_V2
WASI_IMPORT("sock_accept") int32_t we_sock_accept(int32_t fd, int32_t flags, int32_t *out);
WASI_IMPORT("sock_recv_from")
int32_t we_sock_recv_from(int32_t fd, const struct wasi_iovec *iovs, int32_t n, we_address *addr, int32_t riflags,
                          uint32_t *port, uint32_t *got, uint16_t *roflags);
WASI_IMPORT("sock_getlocaladdr") int32_t we_sock_getlocaladdr(int32_t fd, we_address *addr, uint32_t *port);
WASI_IMPORT("sock_getpeeraddr") int32_t we_sock_getpeeraddr(int32_t fd, we_address *addr, uint32_t *port);
#else
WASI_IMPORT("sock_accept") int32_t we_sock_accept(int32_t fd, int32_t *out);
WASI_IMPORT("sock_recv_from")
int32_t we_sock_recv_from(int32_t fd, const struct wasi_iovec *iovs, int32_t n, we_address *addr, int32_t riflags,
                          uint32_t *got, uint16_t *roflags);
WASI_IMPORT("sock_getlocaladdr")
int32_t we_sock_getlocaladdr(int32_t fd, we_address *addr, uint32_t *addr_type, uint32_t *port);
WASI_IMPORT("sock_getpeeraddr")
int32_t we_sock_getpeeraddr(int32_t fd, we_address *addr, uint32_t *addr_type, uint32_t *port);
#endif

/* A raw-IP address argument for `a` (its bytes live in `a`). */
static we_address raw(const struct na_addr *a) {
  we_address w = {(uint8_t *)a->ip, a->v6 ? 16u : 4u};
  return w;
}

/* Each socket's family, for V1's sock_recv_from, whose address buffer
 * must be sized for it (fds are small numbers in wasmaot). */
static uint8_t socket_is_v6[4096];

int na_open(int v6, int stream, int *fd) {
  int err = we_sock_open(v6 ? WE_INET6 : WE_INET4, stream ? WE_STREAM : WE_DGRAM, fd);
  if (!err && *fd >= 0 && *fd < (int)sizeof socket_is_v6) socket_is_v6[*fd] = (uint8_t)v6;
  return err;
}

int na_bind(int fd, const struct na_addr *a) {
  we_address w = raw(a);
  return we_sock_bind(fd, &w, a->port);
}

int na_connect(int fd, const struct na_addr *a) {
  we_address w = raw(a);
  return we_sock_connect(fd, &w, a->port);
}

int na_listen(int fd, int backlog) { return we_sock_listen(fd, backlog); }

int na_accept(int fd, int *out) {
#ifdef WASMEDGE_V2
  return we_sock_accept(fd, 0, out);
#else
  return we_sock_accept(fd, out);
#endif
}

int na_send(int fd, const void *buf, size_t len, size_t *sent) { return p1_send(fd, buf, len, sent); }
int na_recv(int fd, void *buf, size_t len, size_t *got) { return p1_recv(fd, buf, len, got); }

int na_send_to(int fd, const void *buf, size_t len, const struct na_addr *to, size_t *sent) {
  we_address w = raw(to);
  struct wasi_iovec v = {buf, (uint32_t)len};
  uint32_t n = 0;
  int err = we_sock_send_to(fd, &v, 1, &w, to->port, 0, &n);
  *sent = n;
  return err;
}

#ifdef WASMEDGE_V2
/* The 128-byte storage: u16 family at 0, the address from offset 2. */
static void from_storage(const uint8_t *s, uint32_t port, struct na_addr *a) {
  memset(a, 0, sizeof *a);
  uint16_t family;
  memcpy(&family, s, 2);
  a->v6 = family == WE_INET6;
  memcpy(a->ip, s + 2, a->v6 ? 16 : 4);
  a->port = (uint16_t)port;
}
#endif

int na_recv_from(int fd, void *buf, size_t len, struct na_addr *from, size_t *got) {
  struct wasi_iovec v = {buf, (uint32_t)len};
  uint32_t n = 0;
  uint16_t roflags = 0;
#ifdef WASMEDGE_V2
  uint8_t storage[128];
  we_address w = {storage, sizeof storage};
  uint32_t port = 0;
  int err = we_sock_recv_from(fd, &v, 1, &w, 0, &port, &n, &roflags);
  if (!err) from_storage(storage, port, from);
#else
  /* V1: the raw address only; the socket's family says how long it is. */
  memset(from, 0, sizeof *from);
  from->v6 = fd >= 0 && fd < (int)sizeof socket_is_v6 && socket_is_v6[fd];
  we_address w = {from->ip, from->v6 ? 16u : 4u};
  int err = we_sock_recv_from(fd, &v, 1, &w, 0, &n, &roflags);
#endif
  *got = n;
  return err;
}

static int name_of(int fd, struct na_addr *out, int peer) {
#ifdef WASMEDGE_V2
  uint8_t storage[128];
  we_address w = {storage, sizeof storage};
  uint32_t port = 0;
  int err = peer ? we_sock_getpeeraddr(fd, &w, &port) : we_sock_getlocaladdr(fd, &w, &port);
  if (!err) from_storage(storage, port, out);
  return err;
#else
  memset(out, 0, sizeof *out);
  we_address w = {out->ip, 16};
  uint32_t type = 0, port = 0;
  int err = peer ? we_sock_getpeeraddr(fd, &w, &type, &port) : we_sock_getlocaladdr(fd, &w, &type, &port);
  out->v6 = type == 6;
  out->port = (uint16_t)port;
  return err;
#endif
}

int na_local_addr(int fd, struct na_addr *out) { return name_of(fd, out, 0); }
int na_peer_addr(int fd, struct na_addr *out) { return name_of(fd, out, 1); }

int na_lookup(const char *host, struct na_addr *out, int max, int *count) {
  /* The guest allocates and links the result list; the host fills it in. */
  enum { N = 8 };
  static we_addrinfo nodes[N];
  static we_sockaddr addrs[N];
  static uint8_t data[N][26];
  memset(nodes, 0, sizeof nodes);
  for (int i = 0; i < N; ++i) {
    addrs[i].sa_data = data[i];
    addrs[i].sa_data_len = sizeof data[i];
    nodes[i].ai_addr = &addrs[i];
    nodes[i].ai_next = i + 1 < N ? &nodes[i + 1] : 0;
  }
  we_addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = WE_INET4;
  hints.ai_socktype = WE_STREAM;
  hints.ai_protocol = 1; /* TCP */
  we_addrinfo *res = nodes;
  uint32_t found = 0;
  int err = we_sock_getaddrinfo(host, (uint32_t)strlen(host), "", 0, &hints, &res, N, &found);
  if (err) return err;
  *count = 0;
  for (uint32_t i = 0; i < found && *count < max; ++i) {
    if (nodes[i].ai_family != WE_INET4) continue;
    struct na_addr *a = &out[(*count)++];
    memset(a, 0, sizeof *a);
    a->port = (uint16_t)((data[i][0] << 8) | data[i][1]); /* sa_data: big-endian port, then the address */
    memcpy(a->ip, data[i] + 2, 4);
  }
  return 0;
}

int na_set_reuseaddr(int fd, int on) {
  int32_t v = on;
  return we_sock_setsockopt(fd, WE_SOL_SOCKET, WE_SO_REUSEADDR, &v, sizeof v);
}

int na_get_reuseaddr(int fd, int *on) {
  int32_t v = 0;
  uint32_t size = sizeof v;
  int err = we_sock_getsockopt(fd, WE_SOL_SOCKET, WE_SO_REUSEADDR, &v, &size);
  *on = v;
  return err;
}

int na_shutdown_write(int fd) { return p1_sock_shutdown(fd, 2); }
int na_close(int fd) { return p1_fd_close(fd); }

/* net_abi.h over WAMR's socket extension, imports declared by hand with
 * WAMR's signatures (core/iwasm/libraries/lib-socket/inc/wasi_socket_ext.h).
 * Addresses are __wasi_addr_t: u32 kind (0 = IPv4, 1 = IPv6) and the
 * address with its port inside (24 bytes). */
#include <string.h>

#include "abi_common.h"
#include "net_abi.h"

const char *const na_family = "wamr";
const int na_recv_from_reports_port = 1;

typedef struct {
  uint32_t kind;
  union {
    struct {
      uint8_t n[4];
      uint16_t port;
    } ip4;
    struct {
      uint16_t groups[8];
      uint16_t port;
    } ip6;
  } u;
} wamr_addr; /* 24 bytes */

typedef struct {
  wamr_addr addr;
  uint32_t type; /* 0 = datagram, 1 = stream */
} wamr_addr_info;

typedef struct {
  int32_t type;   /* -1 any, 0 datagram, 1 stream */
  int32_t family; /* 0 IPv4, 1 IPv6, 2 either */
  uint8_t enabled;
} wamr_hints;

WASI_IMPORT("sock_open") int32_t wamr_sock_open(int32_t poolfd, int32_t af, int32_t socktype, int32_t *fd);
WASI_IMPORT("sock_bind") int32_t wamr_sock_bind(int32_t fd, const wamr_addr *addr);
WASI_IMPORT("sock_connect") int32_t wamr_sock_connect(int32_t fd, const wamr_addr *addr);
WASI_IMPORT("sock_listen") int32_t wamr_sock_listen(int32_t fd, int32_t backlog);
WASI_IMPORT("sock_accept") int32_t wamr_sock_accept(int32_t fd, int32_t flags, int32_t *out);
WASI_IMPORT("sock_send_to")
int32_t wamr_sock_send_to(int32_t fd, const struct wasi_iovec *iovs, int32_t n, int32_t siflags,
                          const wamr_addr *to, uint32_t *sent);
WASI_IMPORT("sock_recv_from")
int32_t wamr_sock_recv_from(int32_t fd, const struct wasi_iovec *iovs, int32_t n, int32_t riflags, wamr_addr *from,
                            uint32_t *got);
WASI_IMPORT("sock_addr_local") int32_t wamr_sock_addr_local(int32_t fd, wamr_addr *out);
WASI_IMPORT("sock_addr_remote") int32_t wamr_sock_addr_remote(int32_t fd, wamr_addr *out);
WASI_IMPORT("sock_addr_resolve")
int32_t wamr_sock_addr_resolve(const char *host, const char *service, const wamr_hints *hints, wamr_addr_info *info,
                               uint32_t size, uint32_t *max);
WASI_IMPORT("sock_set_reuse_addr") int32_t wamr_sock_set_reuse_addr(int32_t fd, int32_t on);
WASI_IMPORT("sock_get_reuse_addr") int32_t wamr_sock_get_reuse_addr(int32_t fd, uint8_t *on);
WASI_IMPORT("sock_close") int32_t wamr_sock_close(int32_t fd);

static void to_wamr(const struct na_addr *a, wamr_addr *w) {
  memset(w, 0, sizeof *w);
  if (!a->v6) {
    w->kind = 0;
    memcpy(w->u.ip4.n, a->ip, 4);
    w->u.ip4.port = a->port;
    return;
  }
  w->kind = 1;
  for (int i = 0; i < 8; ++i) w->u.ip6.groups[i] = (uint16_t)((a->ip[2 * i] << 8) | a->ip[2 * i + 1]);
  w->u.ip6.port = a->port;
}

static void from_wamr(const wamr_addr *w, struct na_addr *a) {
  memset(a, 0, sizeof *a);
  if (w->kind == 0) {
    memcpy(a->ip, w->u.ip4.n, 4);
    a->port = w->u.ip4.port;
    return;
  }
  a->v6 = 1;
  for (int i = 0; i < 8; ++i) {
    a->ip[2 * i] = (uint8_t)(w->u.ip6.groups[i] >> 8);
    a->ip[2 * i + 1] = (uint8_t)w->u.ip6.groups[i];
  }
  a->port = w->u.ip6.port;
}

int na_open(int v6, int stream, int *fd) { return wamr_sock_open(-1, v6 ? 1 : 0, stream ? 1 : 0, fd); }

int na_bind(int fd, const struct na_addr *a) {
  wamr_addr w;
  to_wamr(a, &w);
  return wamr_sock_bind(fd, &w);
}

int na_connect(int fd, const struct na_addr *a) {
  wamr_addr w;
  to_wamr(a, &w);
  return wamr_sock_connect(fd, &w);
}

int na_listen(int fd, int backlog) { return wamr_sock_listen(fd, backlog); }
int na_accept(int fd, int *out) { return wamr_sock_accept(fd, 0, out); }
int na_send(int fd, const void *buf, size_t len, size_t *sent) { return p1_send(fd, buf, len, sent); }
int na_recv(int fd, void *buf, size_t len, size_t *got) { return p1_recv(fd, buf, len, got); }

int na_send_to(int fd, const void *buf, size_t len, const struct na_addr *to, size_t *sent) {
  wamr_addr w;
  to_wamr(to, &w);
  struct wasi_iovec v = {buf, (uint32_t)len};
  uint32_t n = 0;
  int err = wamr_sock_send_to(fd, &v, 1, 0, &w, &n);
  *sent = n;
  return err;
}

int na_recv_from(int fd, void *buf, size_t len, struct na_addr *from, size_t *got) {
  wamr_addr w;
  struct wasi_iovec v = {buf, (uint32_t)len};
  uint32_t n = 0;
  int err = wamr_sock_recv_from(fd, &v, 1, 0, &w, &n);
  if (!err) from_wamr(&w, from);
  *got = n;
  return err;
}

int na_local_addr(int fd, struct na_addr *out) {
  wamr_addr w;
  int err = wamr_sock_addr_local(fd, &w);
  if (!err) from_wamr(&w, out);
  return err;
}

int na_peer_addr(int fd, struct na_addr *out) {
  wamr_addr w;
  int err = wamr_sock_addr_remote(fd, &w);
  if (!err) from_wamr(&w, out);
  return err;
}

int na_lookup(const char *host, struct na_addr *out, int max, int *count) {
  wamr_hints hints = {1, 0, 1};
  wamr_addr_info info[16];
  uint32_t total = 0;
  int err = wamr_sock_addr_resolve(host, "", &hints, info, 16, &total);
  if (err) return err;
  *count = 0;
  for (uint32_t i = 0; i < total && i < 16 && *count < max; ++i) from_wamr(&info[i].addr, &out[(*count)++]);
  return 0;
}

int na_set_reuseaddr(int fd, int on) { return wamr_sock_set_reuse_addr(fd, on); }

int na_get_reuseaddr(int fd, int *on) {
  uint8_t v = 0;
  int err = wamr_sock_get_reuse_addr(fd, &v);
  *on = v;
  return err;
}

int na_shutdown_write(int fd) { return p1_sock_shutdown(fd, 2); }
int na_close(int fd) { return wamr_sock_close(fd); }

/* What the wasm adapters share: iovec calls of WASI preview 1 (sock_recv,
 * sock_send, sock_shutdown, sock_accept and fd_close have the same
 * signatures in every family). */
#ifndef ABI_COMMON_H
#define ABI_COMMON_H

#include <stdint.h>

#define WASI_IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))

struct wasi_iovec {
  const void *buf;
  uint32_t len;
};

WASI_IMPORT("sock_recv")
int32_t p1_sock_recv(int32_t fd, const struct wasi_iovec *iovs, int32_t n, int32_t riflags, uint32_t *ro_len,
                     uint16_t *ro_flags);
WASI_IMPORT("sock_send")
int32_t p1_sock_send(int32_t fd, const struct wasi_iovec *iovs, int32_t n, int32_t siflags, uint32_t *so_len);
WASI_IMPORT("sock_shutdown") int32_t p1_sock_shutdown(int32_t fd, int32_t how);
WASI_IMPORT("fd_close") int32_t p1_fd_close(int32_t fd);

static inline int p1_send(int fd, const void *buf, size_t len, size_t *sent) {
  struct wasi_iovec v = {buf, (uint32_t)len};
  uint32_t n = 0;
  int err = p1_sock_send(fd, &v, 1, 0, &n);
  *sent = n;
  return err;
}

static inline int p1_recv(int fd, void *buf, size_t len, size_t *got) {
  struct wasi_iovec v = {buf, (uint32_t)len};
  uint32_t n = 0;
  uint16_t flags = 0;
  int err = p1_sock_recv(fd, &v, 1, 0, &n, &flags);
  *got = n;
  return err;
}

#endif

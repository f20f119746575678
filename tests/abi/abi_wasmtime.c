/* net_abi.h over WASI preview 1 alone, as wasmtime's pre-opened listeners
 * offer it (--tcplisten): sock_accept, sock_recv, sock_send,
 * sock_shutdown and fd_close. Preview 1 has no way to open, bind or
 * connect a socket or to look up a name: those are NA_NOT_IN_ABI. */
#include "abi_common.h"
#include "net_abi.h"

const char *const na_family = "wasmtime";
const int na_recv_from_reports_port = 0;

WASI_IMPORT("sock_accept") int32_t p1_sock_accept(int32_t fd, int32_t flags, int32_t *out);

int na_open(int v6, int stream, int *fd) { return (void)v6, (void)stream, (void)fd, NA_NOT_IN_ABI; }
int na_bind(int fd, const struct na_addr *a) { return (void)fd, (void)a, NA_NOT_IN_ABI; }
int na_connect(int fd, const struct na_addr *a) { return (void)fd, (void)a, NA_NOT_IN_ABI; }
int na_listen(int fd, int backlog) { return (void)fd, (void)backlog, NA_NOT_IN_ABI; }
int na_accept(int fd, int *out) { return p1_sock_accept(fd, 0, out); }
int na_send(int fd, const void *buf, size_t len, size_t *sent) { return p1_send(fd, buf, len, sent); }
int na_recv(int fd, void *buf, size_t len, size_t *got) { return p1_recv(fd, buf, len, got); }
int na_send_to(int fd, const void *buf, size_t len, const struct na_addr *to, size_t *sent) {
  return (void)fd, (void)buf, (void)len, (void)to, (void)sent, NA_NOT_IN_ABI;
}
int na_recv_from(int fd, void *buf, size_t len, struct na_addr *from, size_t *got) {
  return (void)fd, (void)buf, (void)len, (void)from, (void)got, NA_NOT_IN_ABI;
}
int na_local_addr(int fd, struct na_addr *out) { return (void)fd, (void)out, NA_NOT_IN_ABI; }
int na_peer_addr(int fd, struct na_addr *out) { return (void)fd, (void)out, NA_NOT_IN_ABI; }
int na_lookup(const char *host, struct na_addr *out, int max, int *count) {
  return (void)host, (void)out, (void)max, (void)count, NA_NOT_IN_ABI;
}
int na_set_reuseaddr(int fd, int on) { return (void)fd, (void)on, NA_NOT_IN_ABI; }
int na_get_reuseaddr(int fd, int *on) { return (void)fd, (void)on, NA_NOT_IN_ABI; }
int na_shutdown_write(int fd) { return p1_sock_shutdown(fd, 2); }
int na_close(int fd) { return p1_fd_close(fd); }

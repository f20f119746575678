/* The socket operations every ABI family offers, for the ABI test guests
 * (abi_scenarios.c). One adapter per family implements them over exactly
 * that family's imports, declared by hand with their wasm signatures:
 *   abi_wamr.c       WAMR's extension (wasi_socket_ext.h's ABI)
 *   abi_wasmedge.c   WasmEdge V1, or V2 with -DWASMEDGE_V2
 *   abi_wasmtime.c   WASI preview 1 only: accept on a pre-opened listener
 *   abi_native.c     the host's BSD sockets (the native build, the oracle)
 * Every call returns 0 or a WASI errno (the native adapter maps errno to
 * the WASI numbers); an operation a family does not have returns
 * NA_NOT_IN_ABI. */
#ifndef NET_ABI_H
#define NET_ABI_H

#include <stddef.h>
#include <stdint.h>

#define NA_NOT_IN_ABI 52 /* WASI ENOSYS */

struct na_addr {
  int v6;
  uint8_t ip[16]; /* network order: 4 bytes for IPv4, 16 for IPv6 */
  uint16_t port;  /* host order */
};

extern const char *const na_family;
/* WasmEdge V1's sock_recv_from returns the source address without its port. */
extern const int na_recv_from_reports_port;

int na_open(int v6, int stream, int *fd);
int na_bind(int fd, const struct na_addr *a);
int na_connect(int fd, const struct na_addr *a);
int na_listen(int fd, int backlog);
int na_accept(int fd, int *out);
int na_send(int fd, const void *buf, size_t len, size_t *sent);
int na_recv(int fd, void *buf, size_t len, size_t *got);
int na_send_to(int fd, const void *buf, size_t len, const struct na_addr *to, size_t *sent);
int na_recv_from(int fd, void *buf, size_t len, struct na_addr *from, size_t *got);
int na_local_addr(int fd, struct na_addr *out);
int na_peer_addr(int fd, struct na_addr *out);
/* IPv4 stream results of a name lookup, at most `max`. */
int na_lookup(const char *host, struct na_addr *out, int max, int *count);
int na_set_reuseaddr(int fd, int on);
int na_get_reuseaddr(int fd, int *on);
int na_shutdown_write(int fd);
int na_close(int fd);

#endif

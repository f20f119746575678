/* WasmEdge's socket ABI for the test guests (abi_wasmedge.c,
 * wasmedge_extras.c): its structs and the imports whose signature is the
 * same in V1 and V2, declared by hand as WasmEdge's guest crate declares
 * them (docs/SOCKETS.md, "WasmEdge layouts"). The calls that differ between
 * V1 and V2 are declared where they are used. */
#ifndef WASMEDGE_ABI_H
#define WASMEDGE_ABI_H

#include "abi_common.h"

/* __wasi_address_t: the raw address bytes (4, 16 or V2's 128-byte storage). */
typedef struct {
  uint8_t *buf;
  uint32_t buf_len;
} we_address;

/* __wasi_sockaddr_t (12 bytes) and __wasi_addrinfo_t (28 bytes). */
typedef struct {
  uint8_t sa_family;
  uint32_t sa_data_len;
  uint8_t *sa_data;
} we_sockaddr;

typedef struct we_addrinfo {
  uint16_t ai_flags;
  uint8_t ai_family;
  uint8_t ai_socktype;
  uint8_t ai_protocol;
  uint32_t ai_addrlen;
  we_sockaddr *ai_addr;
  char *ai_canonname;
  uint32_t ai_canonname_len;
  struct we_addrinfo *ai_next;
} we_addrinfo;
_Static_assert(sizeof(we_addrinfo) == 28, "WasmEdge's addrinfo is 28 bytes");

enum { WE_INET4 = 1, WE_INET6 = 2, WE_DGRAM = 1, WE_STREAM = 2, WE_SOL_SOCKET = 0, WE_SO_REUSEADDR = 0 };

WASI_IMPORT("sock_open") int32_t we_sock_open(int32_t af, int32_t socktype, int32_t *fd);
WASI_IMPORT("sock_bind") int32_t we_sock_bind(int32_t fd, const we_address *addr, int32_t port);
WASI_IMPORT("sock_connect") int32_t we_sock_connect(int32_t fd, const we_address *addr, int32_t port);
WASI_IMPORT("sock_listen") int32_t we_sock_listen(int32_t fd, int32_t backlog);
WASI_IMPORT("sock_send_to")
int32_t we_sock_send_to(int32_t fd, const struct wasi_iovec *iovs, int32_t n, const we_address *addr, int32_t port,
                        int32_t siflags, uint32_t *sent);
WASI_IMPORT("sock_getsockopt")
int32_t we_sock_getsockopt(int32_t fd, int32_t level, int32_t name, void *value, uint32_t *size);
WASI_IMPORT("sock_setsockopt")
int32_t we_sock_setsockopt(int32_t fd, int32_t level, int32_t name, const void *value, uint32_t size);
WASI_IMPORT("sock_getaddrinfo")
int32_t we_sock_getaddrinfo(const char *node, uint32_t node_len, const char *service, uint32_t service_len,
                            const we_addrinfo *hints, we_addrinfo **res, uint32_t max_res_len, uint32_t *res_len);

#endif

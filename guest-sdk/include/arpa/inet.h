/*
 * wasmaot guest SDK: <arpa/inet.h> = wasi-libc's header (htons, inet_pton,
 * inet_ntop, inet_aton) plus inet_addr and inet_ntoa from libsocket_wasi_ext.
 */
#include_next <arpa/inet.h>

#ifndef __WASMAOT_ARPA_INET_H
#define __WASMAOT_ARPA_INET_H

#ifdef __wasi__

#ifdef __cplusplus
extern "C" {
#endif

in_addr_t inet_addr(const char *cp);
char *inet_ntoa(struct in_addr in);

#ifdef __cplusplus
}
#endif

#endif /* __wasi__ */
#endif /* __WASMAOT_ARPA_INET_H */

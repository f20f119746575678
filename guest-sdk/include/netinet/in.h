/*
 * wasmaot guest SDK: <netinet/in.h> = wasi-libc's header plus what it lacks.
 * IP_* and IPV6_* option numbers come from wasi-libc (Linux values).
 */
#include_next <netinet/in.h>

#ifndef __WASMAOT_NETINET_IN_H
#define __WASMAOT_NETINET_IN_H

#ifdef __wasi__

#ifdef __cplusplus
extern "C" {
#endif

#ifndef IPPROTO_ICMPV6
#define IPPROTO_ICMPV6 58
#endif

/* wasi-libc only declares struct ip_mreq under _GNU_SOURCE/_BSD_SOURCE. */
#if !defined(_GNU_SOURCE) && !defined(_BSD_SOURCE)
struct ip_mreq {
    struct in_addr imr_multiaddr;
    struct in_addr imr_interface;
};
struct ip_mreqn {
    struct in_addr imr_multiaddr;
    struct in_addr imr_address;
    int imr_ifindex;
};
#endif

#ifdef __cplusplus
}
#endif

#endif /* __wasi__ */
#endif /* __WASMAOT_NETINET_IN_H */

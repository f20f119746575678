/*
 * compat_tcp_client.c -- a TCP client written the way WAMR users write them:
 * system headers first, then <wasi_socket_ext.h> under __wasi__ (which is
 * also where such programs get struct addrinfo and getaddrinfo from, since
 * older wasi-sdk had no <netdb.h>). It must build unchanged with wasmaot-cc.
 *
 *   usage: compat_tcp_client HOST PORT [MESSAGE]
 *   connects, sends MESSAGE (default "hello"), prints what comes back.
 *
 * Expected imports of the .wasm built with `wasmaot-cc -O2` (checked by
 * tests/check_imports.sh with wasm-objdump; one line per import, sorted:
 * module.name (params) -> results). Every sock_* import has WAMR's name and
 * wasm signature (check_imports.sh also checks each against WAMR's table);
 * the rest are ordinary WASI preview 1 calls made by wasi-libc.
 *
 * Why these: getaddrinfo -> sock_addr_resolve; socket -> sock_open (+
 * fd_fdstat_set_flags for SOCK_NONBLOCK, fd_close on failure); connect ->
 * sock_connect; send/recv -> sock_send/sock_recv; recvfrom -> sock_recv_from
 * (+ sock_addr_remote for a TCP peer, fd_fdstat_get/set_flags for
 * MSG_DONTWAIT); setsockopt and getsockopt each switch over every option, so
 * one call of each keeps all sock_set_* / sock_get_* imports reachable
 * (sock_addr_local and sock_connect are also used by SO_DOMAIN/SO_ERROR).
 * Not imported, because this client does not use them: sock_accept,
 * sock_bind, sock_listen, sock_send_to, sock_shutdown, sock_close.
 *
 * EXPECTED-IMPORTS-BEGIN
 * wasi_snapshot_preview1.args_get (i32, i32) -> i32
 * wasi_snapshot_preview1.args_sizes_get (i32, i32) -> i32
 * wasi_snapshot_preview1.fd_close (i32) -> i32
 * wasi_snapshot_preview1.fd_fdstat_get (i32, i32) -> i32
 * wasi_snapshot_preview1.fd_fdstat_set_flags (i32, i32) -> i32
 * wasi_snapshot_preview1.fd_seek (i32, i64, i32, i32) -> i32
 * wasi_snapshot_preview1.fd_write (i32, i32, i32, i32) -> i32
 * wasi_snapshot_preview1.proc_exit (i32) -> nil
 * wasi_snapshot_preview1.sock_addr_local (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_addr_remote (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_addr_resolve (i32, i32, i32, i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_connect (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_broadcast (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_ip_multicast_loop (i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_ip_multicast_ttl (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_ip_ttl (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_ipv6_only (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_keep_alive (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_linger (i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_recv_buf_size (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_recv_timeout (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_reuse_addr (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_reuse_port (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_send_buf_size (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_send_timeout (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_tcp_fastopen_connect (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_tcp_keep_idle (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_tcp_keep_intvl (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_tcp_no_delay (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_get_tcp_quick_ack (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_open (i32, i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_recv (i32, i32, i32, i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_recv_from (i32, i32, i32, i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_send (i32, i32, i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_broadcast (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_ip_add_membership (i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_ip_drop_membership (i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_ip_multicast_loop (i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_ip_multicast_ttl (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_ip_ttl (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_ipv6_only (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_keep_alive (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_linger (i32, i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_recv_buf_size (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_recv_timeout (i32, i64) -> i32
 * wasi_snapshot_preview1.sock_set_reuse_addr (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_reuse_port (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_send_buf_size (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_send_timeout (i32, i64) -> i32
 * wasi_snapshot_preview1.sock_set_tcp_fastopen_connect (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_tcp_keep_idle (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_tcp_keep_intvl (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_tcp_no_delay (i32, i32) -> i32
 * wasi_snapshot_preview1.sock_set_tcp_quick_ack (i32, i32) -> i32
 * EXPECTED-IMPORTS-END
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#ifndef __wasi__
#include <netdb.h>
#endif

#ifdef __wasi__
#include <wasi_socket_ext.h>
#endif

int main(int argc, char **argv)
{
    const char *host = argc > 1 ? argv[1] : "localhost";
    const char *port = argc > 2 ? argv[2] : "1234";
    const char *msg = argc > 3 ? argv[3] : "hello";
    struct addrinfo hints, *res = NULL, *ai;
    char buf[1024];
    int fd = -1, rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "getaddrinfo(%s): %s\n", host, gai_strerror(rc));
        return 1;
    }

    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            perror("socket");
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        perror("connect");
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return 1;

    int one = 1;
    struct timeval tv = { 5, 0 };
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0)
        perror("setsockopt(TCP_NODELAY)");
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
        perror("setsockopt(SO_RCVTIMEO)");
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0)
        perror("setsockopt(SO_SNDTIMEO)");
    socklen_t len = sizeof(tv);
    if (getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &len) == 0)
        printf("recv timeout: %lld.%06lld s\n", (long long)tv.tv_sec, (long long)tv.tv_usec);

    if (send(fd, msg, strlen(msg), 0) < 0) {
        perror("send");
        close(fd);
        return 1;
    }

    ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
    if (n < 0) {
        perror("recv");
        close(fd);
        return 1;
    }
    buf[n] = '\0';
    printf("received %zd bytes: %s\n", n, buf);

    struct sockaddr_storage from;
    socklen_t fromlen = sizeof(from);
    n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fromlen);
    if (n >= 0) {
        char name[INET6_ADDRSTRLEN];
        const void *a = from.ss_family == AF_INET
                            ? (const void *)&((struct sockaddr_in *)&from)->sin_addr
                            : (const void *)&((struct sockaddr_in6 *)&from)->sin6_addr;
        printf("recvfrom: %zd more bytes from %s\n", n,
               inet_ntop(from.ss_family, a, name, sizeof(name)) ? name : "?");
    }

    close(fd);
    return 0;
}

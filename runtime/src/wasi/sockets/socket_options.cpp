// The sock_get_*/sock_set_* option calls. Getters write exactly the width
// the ABI documents (bool: 1 byte, TTLs: u8, sizes and seconds: u32,
// timeouts: u64 microseconds), never more (WAMR writes a size_t for buffer
// sizes). Timeouts are kept in the fd entry: the host socket is non-blocking
// and the waits in socket_io.cpp/socket_calls.cpp apply them. IP-level
// options on an IPv6 socket use their IPv6 counterparts (hop limits).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

#include "wasi/sockets/socket_address.h"
#include "wasi/sockets/socket_functions.h"

namespace wasmaot::runtime::wasi {
namespace {

struct Opt {
  int level, name;
};

int32_t getInt(Ctx ctx, uint32_t fd, Opt o, int* value) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  socklen_t len = sizeof(*value);
  *value = 0;
  return getsockopt(e->host, o.level, o.name, value, &len) == 0 ? kSuccess : fromHostErrno(errno);
}

int32_t setInt(Ctx ctx, uint32_t fd, Opt o, int value) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  return setsockopt(e->host, o.level, o.name, &value, sizeof value) == 0 ? kSuccess : fromHostErrno(errno);
}

// Writes the option as a T (exactly sizeof(T) bytes); kBool folds it to 0/1.
template <typename T, bool kBool = false>
int32_t getAs(Ctx ctx, uint32_t fd, uint32_t out, Opt o) {
  if (!inBounds(ctx, out, sizeof(T))) return kFault;
  int v = 0;
  if (int32_t err = getInt(ctx, fd, o, &v)) return err;
  T t = kBool ? static_cast<T>(v != 0) : static_cast<T>(v);
  std::memcpy(at(ctx, out), &t, sizeof(T));
  return kSuccess;
}

bool isV6(Ctx ctx, uint32_t fd) {
  FdRef e = WasiHost::of(ctx)->get(fd);
  return e && e->sock_v6;
}
Opt ttlOpt(Ctx ctx, uint32_t fd) { return isV6(ctx, fd) ? Opt{IPPROTO_IPV6, IPV6_UNICAST_HOPS} : Opt{IPPROTO_IP, IP_TTL}; }
Opt mcastTtlOpt(Ctx ctx, uint32_t fd) {
  return isV6(ctx, fd) ? Opt{IPPROTO_IPV6, IPV6_MULTICAST_HOPS} : Opt{IPPROTO_IP, IP_MULTICAST_TTL};
}

int32_t getTimeout(Ctx ctx, uint32_t fd, uint32_t out, bool recv) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!inBounds(ctx, out, 8)) return kFault;
  store64(ctx, out, recv ? e->recv_timeout_us : e->send_timeout_us);
  return kSuccess;
}

int32_t setTimeout(Ctx ctx, uint32_t fd, uint64_t us, bool recv) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (static_cast<int64_t>(us) < 0) return kInval;
  (recv ? e->recv_timeout_us : e->send_timeout_us) = us;
  return kSuccess;
}

int32_t membership(Ctx ctx, uint32_t fd, uint32_t group, uint32_t iface, bool add) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!inBounds(ctx, group, sockets::kGuestAddrIpSize)) return kFault;
  int family = 0;
  uint8_t addr[16] = {};
  err = sockets::guestIpToHost(std::span<const uint8_t, sockets::kGuestAddrIpSize>(at(ctx, group), 20), &family, addr);
  if (err) return err;
  int rc;
  if (family == AF_INET) {
    ip_mreq m{};
    std::memcpy(&m.imr_multiaddr.s_addr, addr, 4);
    m.imr_interface.s_addr = iface;  // in_addr.s_addr as the guest stored it (network order)
    rc = setsockopt(e->host, IPPROTO_IP, add ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m, sizeof m);
  } else {
    ipv6_mreq m{};
    std::memcpy(m.ipv6mr_multiaddr.s6_addr, addr, 16);
    m.ipv6mr_interface = iface;
    rc = setsockopt(e->host, IPPROTO_IPV6, add ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, &m, sizeof m);
  }
  return rc == 0 ? kSuccess : fromHostErrno(errno);
}

}  // namespace

#define WASMAOT_BOOL_OPTION(fn, level, opt)                                                                 \
  int32_t sock_get_##fn(Ctx ctx, uint32_t fd, uint32_t out) { return getAs<uint8_t, true>(ctx, fd, out, {level, opt}); } \
  int32_t sock_set_##fn(Ctx ctx, uint32_t fd, uint32_t on) { return setInt(ctx, fd, {level, opt}, on != 0); }
WASMAOT_BOOL_OPTION(reuse_addr, SOL_SOCKET, SO_REUSEADDR)
WASMAOT_BOOL_OPTION(reuse_port, SOL_SOCKET, SO_REUSEPORT)
WASMAOT_BOOL_OPTION(keep_alive, SOL_SOCKET, SO_KEEPALIVE)
WASMAOT_BOOL_OPTION(broadcast, SOL_SOCKET, SO_BROADCAST)
WASMAOT_BOOL_OPTION(tcp_no_delay, IPPROTO_TCP, TCP_NODELAY)
WASMAOT_BOOL_OPTION(tcp_quick_ack, IPPROTO_TCP, TCP_QUICKACK)
WASMAOT_BOOL_OPTION(tcp_fastopen_connect, IPPROTO_TCP, TCP_FASTOPEN_CONNECT)
WASMAOT_BOOL_OPTION(ipv6_only, IPPROTO_IPV6, IPV6_V6ONLY)
#undef WASMAOT_BOOL_OPTION

#define WASMAOT_U32_OPTION(fn, level, opt)                                                                   \
  int32_t sock_get_##fn(Ctx ctx, uint32_t fd, uint32_t out) { return getAs<uint32_t>(ctx, fd, out, {level, opt}); } \
  int32_t sock_set_##fn(Ctx ctx, uint32_t fd, uint32_t v) {                                                   \
    if (v > INT32_MAX) return kInval;                                                                         \
    return setInt(ctx, fd, {level, opt}, static_cast<int>(v));                                                \
  }
WASMAOT_U32_OPTION(recv_buf_size, SOL_SOCKET, SO_RCVBUF)
WASMAOT_U32_OPTION(send_buf_size, SOL_SOCKET, SO_SNDBUF)
WASMAOT_U32_OPTION(tcp_keep_idle, IPPROTO_TCP, TCP_KEEPIDLE)
WASMAOT_U32_OPTION(tcp_keep_intvl, IPPROTO_TCP, TCP_KEEPINTVL)
#undef WASMAOT_U32_OPTION

int32_t sock_get_ip_ttl(Ctx ctx, uint32_t fd, uint32_t out) { return getAs<uint8_t>(ctx, fd, out, ttlOpt(ctx, fd)); }
int32_t sock_set_ip_ttl(Ctx ctx, uint32_t fd, uint32_t ttl) {
  if (ttl > 255) return kInval;
  return setInt(ctx, fd, ttlOpt(ctx, fd), static_cast<int>(ttl));
}
int32_t sock_get_ip_multicast_ttl(Ctx ctx, uint32_t fd, uint32_t out) {
  return getAs<uint8_t>(ctx, fd, out, mcastTtlOpt(ctx, fd));
}
int32_t sock_set_ip_multicast_ttl(Ctx ctx, uint32_t fd, uint32_t ttl) {
  if (ttl > 255) return kInval;
  return setInt(ctx, fd, mcastTtlOpt(ctx, fd), static_cast<int>(ttl));
}

int32_t sock_get_recv_timeout(Ctx ctx, uint32_t fd, uint32_t out) { return getTimeout(ctx, fd, out, true); }
int32_t sock_set_recv_timeout(Ctx ctx, uint32_t fd, uint64_t us) { return setTimeout(ctx, fd, us, true); }
int32_t sock_get_send_timeout(Ctx ctx, uint32_t fd, uint32_t out) { return getTimeout(ctx, fd, out, false); }
int32_t sock_set_send_timeout(Ctx ctx, uint32_t fd, uint64_t us) { return setTimeout(ctx, fd, us, false); }

int32_t sock_get_linger(Ctx ctx, uint32_t fd, uint32_t on_out, uint32_t secs_out) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!inBounds(ctx, on_out, 1) || !inBounds(ctx, secs_out, 4)) return kFault;
  linger l{};
  socklen_t len = sizeof l;
  if (getsockopt(e->host, SOL_SOCKET, SO_LINGER, &l, &len) != 0) return fromHostErrno(errno);
  *at(ctx, on_out) = l.l_onoff != 0;
  store32(ctx, secs_out, static_cast<uint32_t>(l.l_linger));
  return kSuccess;
}

int32_t sock_set_linger(Ctx ctx, uint32_t fd, uint32_t on, uint32_t secs) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (static_cast<int32_t>(secs) < 0) return kInval;
  linger l{};
  l.l_onoff = on != 0;
  l.l_linger = static_cast<int>(secs);
  return setsockopt(e->host, SOL_SOCKET, SO_LINGER, &l, sizeof l) == 0 ? kSuccess : fromHostErrno(errno);
}

int32_t sock_get_ip_multicast_loop(Ctx ctx, uint32_t fd, uint32_t ipv6, uint32_t out) {
  Opt o = ipv6 ? Opt{IPPROTO_IPV6, IPV6_MULTICAST_LOOP} : Opt{IPPROTO_IP, IP_MULTICAST_LOOP};
  return getAs<uint8_t, true>(ctx, fd, out, o);
}
int32_t sock_set_ip_multicast_loop(Ctx ctx, uint32_t fd, uint32_t ipv6, uint32_t on) {
  Opt o = ipv6 ? Opt{IPPROTO_IPV6, IPV6_MULTICAST_LOOP} : Opt{IPPROTO_IP, IP_MULTICAST_LOOP};
  return setInt(ctx, fd, o, on != 0);
}

int32_t sock_set_ip_add_membership(Ctx ctx, uint32_t fd, uint32_t group, uint32_t iface) {
  return membership(ctx, fd, group, iface, true);
}
int32_t sock_set_ip_drop_membership(Ctx ctx, uint32_t fd, uint32_t group, uint32_t iface) {
  return membership(ctx, fd, group, iface, false);
}

}  // namespace wasmaot::runtime::wasi

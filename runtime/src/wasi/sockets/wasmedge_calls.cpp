// WasmEdge's socket calls (wasmedge_functions.h): argument and address
// conversion around the ABI-neutral cores in socket_calls.cpp/socket_io.cpp.
// Differences from WasmEdge's own host, all on purpose (docs/SOCKETS.md):
//  - sock_recv_from V2 stores the source port in host order (WasmEdge
//    stores the raw network-order sin_port, its issue #2491);
//  - sock_accept's NONBLOCK flag applies to the accepted socket (WasmEdge
//    sets it on the listener);
//  - fds are small numbers, as everywhere in WASI (WasmEdge's are random);
//  - AF_UNIX is not offered (as WasmEdge without --allow-af-unix: ENOSYS).
#include <cstring>

#include "wasi/sockets/socket_functions.h"
#include "wasi/sockets/wasmedge_address.h"
#include "wasi/sockets/wasmedge_functions.h"

namespace wasmaot::runtime::wasi::wasmedge {
namespace {

using sockets::HostAddr;
using namespace sockets::wasmedge;

// The buffer a __wasi_address_t at `ptr` describes, bounds-checked.
int32_t addressBuffer(Ctx ctx, uint32_t ptr, uint32_t* buf, uint32_t* len) {
  if (!inBounds(ctx, ptr, kAddressStructSize)) return kFault;
  *buf = load32(ctx, ptr);
  *len = load32(ctx, ptr + 4);
  return inBounds(ctx, *buf, *len) ? kSuccess : kFault;
}

int32_t readAddress(Ctx ctx, const FdEntry* e, uint32_t ptr, uint32_t port, HostAddr* out) {
  uint32_t buf = 0, len = 0;
  if (int32_t err = addressBuffer(ctx, ptr, &buf, &len)) return err;
  return toHost(std::span<const uint8_t>(at(ctx, buf), len), port, e->sock_v6, out);
}

// bind or connect (`core`) to the address at `addr` with `port`.
int32_t toAddress(Ctx ctx, uint32_t fd, uint32_t addr, uint32_t port, sockets::AddressCall core) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  HostAddr a;
  if ((err = readAddress(ctx, e, addr, port, &a))) return err;
  return core(ctx, e, a);
}

inline void store16(Ctx ctx, uint32_t ptr, uint16_t v) { std::memcpy(at(ctx, ptr), &v, 2); }

// V1 get*addr: the raw address into a 4- or 16-byte buffer, its version
// (4 or 6, not the family enum: WasmEdge's choice) and the port.
int32_t socketNameV1(Ctx ctx, uint32_t fd, bool peer, uint32_t addr, uint32_t type_out, uint32_t port_out) {
  HostAddr a;
  if (int32_t err = sockets::socketName(ctx, fd, peer, &a)) return err;
  uint32_t buf = 0, len = 0;
  if (int32_t err = addressBuffer(ctx, addr, &buf, &len)) return err;
  if (!inBounds(ctx, type_out, 4) || !inBounds(ctx, port_out, 4)) return kFault;
  if (len != 4 && len != 16) return kInval;
  IpParts ip = partsOf(a.sa(), a.len);
  if (ip.version == 0) return kAfNoSupport;
  uint32_t size = ip.version == 4 ? 4 : 16;
  if (size > len) return kNoMem;  // WasmEdge's answer for an IPv6 address in 4 bytes
  std::memcpy(at(ctx, buf), ip.bytes, size);
  store32(ctx, type_out, ip.version == 4 ? 4 : 6);
  store32(ctx, port_out, ip.port);
  return kSuccess;
}

// V2 get*addr: the 128-byte storage (family + address) and the port.
int32_t socketNameV2(Ctx ctx, uint32_t fd, bool peer, uint32_t addr, uint32_t port_out) {
  HostAddr a;
  if (int32_t err = sockets::socketName(ctx, fd, peer, &a)) return err;
  uint32_t buf = 0, len = 0;
  if (int32_t err = addressBuffer(ctx, addr, &buf, &len)) return err;
  if (!inBounds(ctx, port_out, 4)) return kFault;
  if (len != kStorageSize) return kInval;
  IpParts ip = partsOf(a.sa(), a.len);
  if (ip.version == 0) return kAfNoSupport;
  writeStorage(ip, std::span<uint8_t, kStorageSize>(at(ctx, buf), kStorageSize));
  store32(ctx, port_out, ip.port);
  return kSuccess;
}

// The receive shared by both sock_recv_from forms; `addr_buf`/`addr_len`
// were bounds-checked by the caller.
int32_t receiveFrom(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t riflags, uint32_t ro_datalen,
                    uint32_t ro_flags, IpParts* source) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!inBounds(ctx, ro_datalen, 4) || !inBounds(ctx, ro_flags, 2)) return kFault;
  HostAddr from;
  uint64_t n = 0;
  uint16_t roflags = 0;
  if ((err = sockets::receiveFrom(ctx, e, iovs, iovs_len, riflags, &from, &n, &roflags))) return err;
  *source = partsOf(from.sa(), from.len);
  store32(ctx, ro_datalen, sockets::clamp32(n));
  store16(ctx, ro_flags, roflags);
  return kSuccess;
}

}  // namespace

int32_t sock_open(Ctx ctx, uint32_t af, uint32_t socktype, uint32_t fd_out) {
  if (af == kFamilyUnix) return kNoSys;
  if ((af != kFamilyInet4 && af != kFamilyInet6) || (socktype != kTypeDgram && socktype != kTypeStream)) {
    return kInval;
  }
  return sockets::openSocket(ctx, af == kFamilyInet6, socktype == kTypeStream, fd_out);
}

int32_t sock_bind(Ctx ctx, uint32_t fd, uint32_t addr, uint32_t port) {
  return toAddress(ctx, fd, addr, port, sockets::bindTo);
}

int32_t sock_connect(Ctx ctx, uint32_t fd, uint32_t addr, uint32_t port) {
  return toAddress(ctx, fd, addr, port, sockets::connectTo);
}

int32_t sock_accept_v1(Ctx ctx, uint32_t fd, uint32_t fd_out) { return wasi::sock_accept(ctx, fd, 0, fd_out); }

int32_t sock_recv_from_v1(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t addr, uint32_t riflags,
                          uint32_t ro_datalen, uint32_t ro_flags) {
  uint32_t buf = 0, len = 0;
  if (int32_t err = addressBuffer(ctx, addr, &buf, &len)) return err;
  IpParts ip;
  if (int32_t err = receiveFrom(ctx, fd, iovs, iovs_len, riflags, ro_datalen, ro_flags, &ip)) return err;
  // V1 has room for the address bytes only (no family, no port), as WasmEdge.
  uint32_t size = ip.version == 4 ? 4 : ip.version == 6 ? 16 : 0;
  if (size > 0 && size <= len) std::memcpy(at(ctx, buf), ip.bytes, size);
  return kSuccess;
}

int32_t sock_recv_from_v2(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t addr, uint32_t riflags,
                          uint32_t port_out, uint32_t ro_datalen, uint32_t ro_flags) {
  uint32_t buf = 0, len = 0;
  if (int32_t err = addressBuffer(ctx, addr, &buf, &len)) return err;
  if (!inBounds(ctx, port_out, 2)) return kFault;
  if (len != 4 && len != 16 && len != kStorageSize) return kInval;
  IpParts ip;
  if (int32_t err = receiveFrom(ctx, fd, iovs, iovs_len, riflags, ro_datalen, ro_flags, &ip)) return err;
  if (len == kStorageSize) {
    writeStorage(ip, std::span<uint8_t, kStorageSize>(at(ctx, buf), kStorageSize));
  } else if (uint32_t size = ip.version == 4 ? 4 : ip.version == 6 ? 16 : 0; size > 0 && size <= len) {
    std::memcpy(at(ctx, buf), ip.bytes, size);
  }
  store16(ctx, port_out, ip.port);  // a u16, as WasmEdge writes it, but in host order
  return kSuccess;
}

int32_t sock_send_to(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t addr, uint32_t port,
                     uint32_t siflags, uint32_t so_datalen) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!inBounds(ctx, so_datalen, 4)) return kFault;
  if (siflags != 0) return kInval;
  HostAddr to;
  if ((err = readAddress(ctx, e, addr, port, &to))) return err;
  uint64_t n = 0;
  if ((err = sockets::sendTo(ctx, e, iovs, iovs_len, to, &n))) return err;
  store32(ctx, so_datalen, sockets::clamp32(n));
  return kSuccess;
}

int32_t sock_getlocaladdr_v1(Ctx ctx, uint32_t fd, uint32_t addr, uint32_t type_out, uint32_t port_out) {
  return socketNameV1(ctx, fd, false, addr, type_out, port_out);
}
int32_t sock_getpeeraddr_v1(Ctx ctx, uint32_t fd, uint32_t addr, uint32_t type_out, uint32_t port_out) {
  return socketNameV1(ctx, fd, true, addr, type_out, port_out);
}
int32_t sock_getlocaladdr_v2(Ctx ctx, uint32_t fd, uint32_t addr, uint32_t port_out) {
  return socketNameV2(ctx, fd, false, addr, port_out);
}
int32_t sock_getpeeraddr_v2(Ctx ctx, uint32_t fd, uint32_t addr, uint32_t port_out) {
  return socketNameV2(ctx, fd, true, addr, port_out);
}

}  // namespace wasmaot::runtime::wasi::wasmedge

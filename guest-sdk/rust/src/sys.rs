//! The raw imports: WAMR's socket extension and the WASI preview 1 calls the
//! crate needs, all under `wasi_snapshot_preview1`, and the ABI's address
//! layout (abi/include/wasmaot/abi/host_functions.h has the signatures,
//! guest-sdk/include/wasi_socket_ext.h the C view of the same layout).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// `__wasi_addr_t`: a u32 kind (0 IPv4, 1 IPv6), then at offset 4 either
/// four address bytes and a host-order u16 port, or eight host-order u16
/// groups and the port. 24 bytes, 4-aligned.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct WasiAddr {
    pub kind: u32,
    pub data: [u8; 20],
}

/// `__wasi_addr_info_t`: an address and a socket type (0 datagram, 1 stream).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct WasiAddrInfo {
    pub addr: WasiAddr,
    pub sock_type: i32,
}

/// `__wasi_addr_info_hints_t`.
#[repr(C)]
pub struct WasiAddrInfoHints {
    pub sock_type: i32,
    pub family: i32,
    pub hints_enabled: u8,
}

#[repr(C)]
pub struct Iovec {
    pub buf: *mut u8,
    pub len: usize,
}

#[repr(C)]
pub struct Ciovec {
    pub buf: *const u8,
    pub len: usize,
}

pub const AF_INET4: u32 = 0;
pub const AF_INET6: u32 = 1;
pub const SOCK_DGRAM: u32 = 0;
pub const SOCK_STREAM: u32 = 1;
pub const SHUT_RD: u32 = 1;
pub const SHUT_WR: u32 = 2;
pub const FDFLAGS_NONBLOCK: u32 = 4;
pub const ERRNO_INPROGRESS: i32 = 26;

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    pub fn sock_open(poolfd: u32, af: u32, socktype: u32, fd_out: *mut u32) -> i32;
    pub fn sock_bind(fd: u32, addr: *const WasiAddr) -> i32;
    pub fn sock_connect(fd: u32, addr: *const WasiAddr) -> i32;
    pub fn sock_listen(fd: u32, backlog: u32) -> i32;
    pub fn sock_accept(fd: u32, flags: u32, fd_out: *mut u32) -> i32;
    pub fn sock_recv(fd: u32, iovs: *const Iovec, iovs_len: u32, riflags: u32, ro_datalen: *mut u32,
                     ro_flags: *mut u16) -> i32;
    pub fn sock_send(fd: u32, iovs: *const Ciovec, iovs_len: u32, siflags: u32, so_datalen: *mut u32) -> i32;
    pub fn sock_recv_from(fd: u32, iovs: *const Iovec, iovs_len: u32, riflags: u32, src: *mut WasiAddr,
                          ro_datalen: *mut u32) -> i32;
    pub fn sock_send_to(fd: u32, iovs: *const Ciovec, iovs_len: u32, siflags: u32, dest: *const WasiAddr,
                        so_datalen: *mut u32) -> i32;
    pub fn sock_shutdown(fd: u32, how: u32) -> i32;
    pub fn sock_addr_local(fd: u32, addr: *mut WasiAddr) -> i32;
    pub fn sock_addr_remote(fd: u32, addr: *mut WasiAddr) -> i32;
    pub fn sock_addr_resolve(host: *const u8, service: *const u8, hints: *const WasiAddrInfoHints,
                             info: *mut WasiAddrInfo, info_len: u32, max_len: *mut u32) -> i32;
    pub fn sock_set_tcp_no_delay(fd: u32, on: u32) -> i32;
    pub fn sock_get_tcp_no_delay(fd: u32, on: *mut u8) -> i32;
    pub fn sock_set_reuse_addr(fd: u32, on: u32) -> i32;
    pub fn sock_set_broadcast(fd: u32, on: u32) -> i32;
    pub fn sock_get_broadcast(fd: u32, on: *mut u8) -> i32;
    pub fn sock_set_recv_timeout(fd: u32, us: u64) -> i32;
    pub fn sock_get_recv_timeout(fd: u32, us: *mut u64) -> i32;
    pub fn sock_set_send_timeout(fd: u32, us: u64) -> i32;
    pub fn sock_get_send_timeout(fd: u32, us: *mut u64) -> i32;
    pub fn sock_set_ip_ttl(fd: u32, ttl: u32) -> i32;
    pub fn sock_get_ip_ttl(fd: u32, ttl: *mut u8) -> i32;
    pub fn fd_close(fd: u32) -> i32;
    pub fn fd_fdstat_get(fd: u32, stat: *mut u8) -> i32;
    pub fn fd_fdstat_set_flags(fd: u32, flags: u32) -> i32;
}

/// A WASI errno as an io::Error (wasm32-wasi's std uses WASI errnos as OS errors).
pub fn check(errno: i32) -> io::Result<()> {
    if errno == 0 {
        Ok(())
    } else {
        Err(io::Error::from_raw_os_error(errno))
    }
}

pub fn to_wasi(addr: &SocketAddr) -> WasiAddr {
    let mut out = WasiAddr { kind: 0, data: [0; 20] };
    match addr {
        SocketAddr::V4(a) => {
            out.kind = 0;
            out.data[..4].copy_from_slice(&a.ip().octets());
            out.data[4..6].copy_from_slice(&a.port().to_le_bytes());
        }
        SocketAddr::V6(a) => {
            out.kind = 1;
            for (i, group) in a.ip().segments().iter().enumerate() {
                out.data[2 * i..2 * i + 2].copy_from_slice(&group.to_le_bytes());
            }
            out.data[16..18].copy_from_slice(&a.port().to_le_bytes());
        }
    }
    out
}

pub fn from_wasi(addr: &WasiAddr) -> io::Result<SocketAddr> {
    let u16_at = |i: usize| u16::from_le_bytes([addr.data[i], addr.data[i + 1]]);
    match addr.kind {
        0 => {
            let ip = Ipv4Addr::new(addr.data[0], addr.data[1], addr.data[2], addr.data[3]);
            Ok(SocketAddr::V4(SocketAddrV4::new(ip, u16_at(4))))
        }
        1 => {
            let g: Vec<u16> = (0..8).map(|i| u16_at(2 * i)).collect();
            let ip = Ipv6Addr::new(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
            Ok(SocketAddr::V6(SocketAddrV6::new(ip, u16_at(16), 0, 0)))
        }
        _ => Err(io::Error::new(io::ErrorKind::InvalidData, "unknown address kind from the host")),
    }
}

pub fn family_of(ip: &IpAddr) -> u32 {
    if ip.is_ipv4() { AF_INET4 } else { AF_INET6 }
}

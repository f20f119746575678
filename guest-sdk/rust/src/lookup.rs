//! Name lookup (`sock_addr_resolve`, under the runtime's resolve policy) and
//! a `ToSocketAddrs` like std's: numeric addresses are parsed here, names
//! go to the host.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::vec;

use crate::sys;

/// The addresses a host name resolves to (both families, any order the
/// host gives; duplicates removed). A numeric address is returned as is.
pub fn lookup_host(host: &str) -> io::Result<Vec<IpAddr>> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    let mut name = host.as_bytes().to_vec();
    if name.contains(&0) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "host name contains a NUL byte"));
    }
    name.push(0);
    let service = [0u8];
    let hints = sys::WasiAddrInfoHints { sock_type: sys::SOCK_STREAM as i32, family: 2, hints_enabled: 1 };
    let empty = sys::WasiAddrInfo { addr: sys::WasiAddr { kind: 0, data: [0; 20] }, sock_type: 0 };
    let mut info = vec![empty; 16];
    loop {
        let mut max = 0u32;
        sys::check(unsafe {
            sys::sock_addr_resolve(name.as_ptr(), service.as_ptr(), &hints, info.as_mut_ptr(), info.len() as u32,
                                   &mut max)
        })?;
        if (max as usize) <= info.len() {
            let mut out: Vec<IpAddr> = Vec::new();
            for entry in &info[..max as usize] {
                let ip = sys::from_wasi(&entry.addr)?.ip();
                if !out.contains(&ip) {
                    out.push(ip);
                }
            }
            return Ok(out);
        }
        info = vec![empty; max as usize];
    }
}

/// What `TcpStream::connect`, `TcpListener::bind` and `UdpSocket` take:
/// `"host:port"`, `("host", port)`, `SocketAddr`, `(IpAddr, port)`, slices.
pub trait ToSocketAddrs {
    type Iter: Iterator<Item = SocketAddr>;
    fn to_socket_addrs(&self) -> io::Result<Self::Iter>;
}

impl ToSocketAddrs for SocketAddr {
    type Iter = vec::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> io::Result<Self::Iter> {
        Ok(vec![*self].into_iter())
    }
}

impl ToSocketAddrs for (IpAddr, u16) {
    type Iter = vec::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> io::Result<Self::Iter> {
        Ok(vec![SocketAddr::new(self.0, self.1)].into_iter())
    }
}

impl ToSocketAddrs for (&str, u16) {
    type Iter = vec::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> io::Result<Self::Iter> {
        let ips = lookup_host(self.0)?;
        Ok(ips.into_iter().map(|ip| SocketAddr::new(ip, self.1)).collect::<Vec<_>>().into_iter())
    }
}

impl ToSocketAddrs for str {
    type Iter = vec::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> io::Result<Self::Iter> {
        if let Ok(addr) = self.parse::<SocketAddr>() {
            return Ok(vec![addr].into_iter());
        }
        let (host, port) = self
            .rsplit_once(':')
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "invalid socket address: no port"))?;
        let port: u16 =
            port.parse().map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "invalid port value"))?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        (host, port).to_socket_addrs()
    }
}

impl ToSocketAddrs for String {
    type Iter = vec::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> io::Result<Self::Iter> {
        self.as_str().to_socket_addrs()
    }
}

impl<'a> ToSocketAddrs for &'a [SocketAddr] {
    type Iter = vec::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> io::Result<Self::Iter> {
        Ok(self.to_vec().into_iter())
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {
    type Iter = T::Iter;
    fn to_socket_addrs(&self) -> io::Result<Self::Iter> {
        (**self).to_socket_addrs()
    }
}

/// Tries `f` on each address in turn; the last error if none works.
pub(crate) fn each_addr<A: ToSocketAddrs, T>(addr: A, mut f: impl FnMut(&SocketAddr) -> io::Result<T>) -> io::Result<T> {
    let mut last = None;
    for a in addr.to_socket_addrs()? {
        match f(&a) {
            Ok(v) => return Ok(v),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "could not resolve to any addresses")))
}

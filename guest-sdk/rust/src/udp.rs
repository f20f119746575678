//! UDP with std::net's names and signatures.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use crate::lookup::{each_addr, ToSocketAddrs};
use crate::socket::Socket;
use crate::sys;

pub struct UdpSocket {
    socket: Socket,
}

impl UdpSocket {
    pub fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<UdpSocket> {
        each_addr(addr, |a| {
            let socket = Socket::open(a, sys::SOCK_DGRAM)?;
            socket.bind(a)?;
            Ok(UdpSocket { socket })
        })
    }

    pub fn send_to<A: ToSocketAddrs>(&self, buf: &[u8], addr: A) -> io::Result<usize> {
        let target = addr
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no addresses to send data to"))?;
        let dest = sys::to_wasi(&target);
        let iov = sys::Ciovec { buf: buf.as_ptr(), len: buf.len() };
        let mut n = 0u32;
        sys::check(unsafe { sys::sock_send_to(self.socket.fd(), &iov, 1, 0, &dest, &mut n) })?;
        Ok(n as usize)
    }

    pub fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        let iov = sys::Iovec { buf: buf.as_mut_ptr(), len: buf.len() };
        let mut from = sys::WasiAddr { kind: 0, data: [0; 20] };
        let mut n = 0u32;
        sys::check(unsafe { sys::sock_recv_from(self.socket.fd(), &iov, 1, 0, &mut from, &mut n) })?;
        Ok((n as usize, sys::from_wasi(&from)?))
    }

    /// Fixes the peer: `send` and `recv` then use it.
    pub fn connect<A: ToSocketAddrs>(&self, addr: A) -> io::Result<()> {
        each_addr(addr, |a| self.socket.connect(a))
    }
    pub fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.socket.send(buf)
    }
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.socket.recv(buf)
    }
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.socket.peer_addr()
    }
    pub fn set_broadcast(&self, on: bool) -> io::Result<()> {
        sys::check(unsafe { sys::sock_set_broadcast(self.socket.fd(), on as u32) })
    }
    pub fn broadcast(&self) -> io::Result<bool> {
        let mut on = 0u8;
        sys::check(unsafe { sys::sock_get_broadcast(self.socket.fd(), &mut on) })?;
        Ok(on != 0)
    }
    pub fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        self.socket.set_nonblocking(on)
    }
    pub fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.socket.set_timeout(timeout, true)
    }
    pub fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.socket.set_timeout(timeout, false)
    }
    pub fn read_timeout(&self) -> io::Result<Option<Duration>> {
        self.socket.timeout(true)
    }
    pub fn write_timeout(&self) -> io::Result<Option<Duration>> {
        self.socket.timeout(false)
    }
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.socket.set_ttl(ttl)
    }
    pub fn ttl(&self) -> io::Result<u32> {
        self.socket.ttl()
    }
}

//! TCP with std::net's names and signatures: `TcpStream`, `TcpListener`,
//! `Incoming`, `Shutdown`.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::time::Duration;

use crate::lookup::{each_addr, ToSocketAddrs};
use crate::socket::Socket;
use crate::sys;

pub struct TcpStream {
    socket: Socket,
}

impl TcpStream {
    /// Connects to the first address that accepts (each name resolved by
    /// the host, under its policy).
    pub fn connect<A: ToSocketAddrs>(addr: A) -> io::Result<TcpStream> {
        each_addr(addr, |a| {
            let socket = Socket::open(a, sys::SOCK_STREAM)?;
            socket.connect(a)?;
            Ok(TcpStream { socket })
        })
    }

    /// Connects, giving up after `timeout` (io::ErrorKind::TimedOut).
    pub fn connect_timeout(addr: &SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
        let socket = Socket::open(addr, sys::SOCK_STREAM)?;
        // A blocking connect waits at most the send timeout.
        socket.set_timeout(Some(timeout), false)?;
        match socket.connect(addr) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(sys::ERRNO_INPROGRESS) => {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "connection timed out"))
            }
            Err(e) => return Err(e),
        }
        socket.set_timeout(None, false)?;
        Ok(TcpStream { socket })
    }

    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.socket.peer_addr()
    }
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        let how = match how {
            Shutdown::Read => sys::SHUT_RD,
            Shutdown::Write => sys::SHUT_WR,
            Shutdown::Both => sys::SHUT_RD | sys::SHUT_WR,
        };
        sys::check(unsafe { sys::sock_shutdown(self.socket.fd(), how) })
    }
    pub fn set_nodelay(&self, on: bool) -> io::Result<()> {
        sys::check(unsafe { sys::sock_set_tcp_no_delay(self.socket.fd(), on as u32) })
    }
    pub fn nodelay(&self) -> io::Result<bool> {
        let mut on = 0u8;
        sys::check(unsafe { sys::sock_get_tcp_no_delay(self.socket.fd(), &mut on) })?;
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
    /// The guest file descriptor.
    pub fn as_raw_fd(&self) -> u32 {
        self.socket.fd()
    }
}

impl Read for TcpStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.socket.recv(buf)
    }
}
impl Read for &TcpStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.socket.recv(buf)
    }
}
impl Write for TcpStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.socket.send(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
impl Write for &TcpStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.socket.send(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub struct TcpListener {
    socket: Socket,
}

impl TcpListener {
    /// Binds (SO_REUSEADDR on, as std does on Unix) and listens (backlog 128).
    pub fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<TcpListener> {
        each_addr(addr, |a| {
            let socket = Socket::open(a, sys::SOCK_STREAM)?;
            sys::check(unsafe { sys::sock_set_reuse_addr(socket.fd(), 1) })?;
            socket.bind(a)?;
            sys::check(unsafe { sys::sock_listen(socket.fd(), 128) })?;
            Ok(TcpListener { socket })
        })
    }

    pub fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let mut fd = 0u32;
        sys::check(unsafe { sys::sock_accept(self.socket.fd(), 0, &mut fd) })?;
        let stream = TcpStream { socket: Socket::from_fd(fd) };
        let peer = stream.peer_addr()?;
        Ok((stream, peer))
    }

    pub fn incoming(&self) -> Incoming<'_> {
        Incoming { listener: self }
    }
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }
    pub fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        self.socket.set_nonblocking(on)
    }
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.socket.set_ttl(ttl)
    }
    pub fn ttl(&self) -> io::Result<u32> {
        self.socket.ttl()
    }
}

/// Accepted connections, one `accept` per item, never ending.
pub struct Incoming<'a> {
    listener: &'a TcpListener,
}

impl<'a> Iterator for Incoming<'a> {
    type Item = io::Result<TcpStream>;
    fn next(&mut self) -> Option<io::Result<TcpStream>> {
        Some(self.listener.accept().map(|(stream, _)| stream))
    }
}

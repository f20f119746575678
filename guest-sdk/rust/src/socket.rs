//! An owned socket descriptor: open, close on drop, and the calls TCP and
//! UDP share (bind, addresses, options, blocking mode).

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use crate::sys;

pub(crate) struct Socket {
    fd: u32,
}

impl Socket {
    pub(crate) fn open(addr: &SocketAddr, socktype: u32) -> io::Result<Socket> {
        let mut fd = 0u32;
        // Pool fd 0 is unused by the runtime (WAMR passes its address pool).
        sys::check(unsafe { sys::sock_open(0, sys::family_of(&addr.ip()), socktype, &mut fd) })?;
        Ok(Socket { fd })
    }

    pub(crate) fn from_fd(fd: u32) -> Socket {
        Socket { fd }
    }

    pub(crate) fn fd(&self) -> u32 {
        self.fd
    }

    pub(crate) fn bind(&self, addr: &SocketAddr) -> io::Result<()> {
        let a = sys::to_wasi(addr);
        sys::check(unsafe { sys::sock_bind(self.fd, &a) })
    }

    pub(crate) fn connect(&self, addr: &SocketAddr) -> io::Result<()> {
        let a = sys::to_wasi(addr);
        sys::check(unsafe { sys::sock_connect(self.fd, &a) })
    }

    pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
        let mut a = sys::WasiAddr { kind: 0, data: [0; 20] };
        sys::check(unsafe { sys::sock_addr_local(self.fd, &mut a) })?;
        sys::from_wasi(&a)
    }

    pub(crate) fn peer_addr(&self) -> io::Result<SocketAddr> {
        let mut a = sys::WasiAddr { kind: 0, data: [0; 20] };
        sys::check(unsafe { sys::sock_addr_remote(self.fd, &mut a) })?;
        sys::from_wasi(&a)
    }

    pub(crate) fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        let iov = sys::Iovec { buf: buf.as_mut_ptr(), len: buf.len() };
        let (mut n, mut flags) = (0u32, 0u16);
        sys::check(unsafe { sys::sock_recv(self.fd, &iov, 1, 0, &mut n, &mut flags) })?;
        Ok(n as usize)
    }

    pub(crate) fn send(&self, buf: &[u8]) -> io::Result<usize> {
        let iov = sys::Ciovec { buf: buf.as_ptr(), len: buf.len() };
        let mut n = 0u32;
        sys::check(unsafe { sys::sock_send(self.fd, &iov, 1, 0, &mut n) })?;
        Ok(n as usize)
    }

    pub(crate) fn set_nonblocking(&self, on: bool) -> io::Result<()> {
        // fdstat: u8 filetype, pad, u16 flags at offset 2, then rights.
        let mut stat = [0u8; 24];
        sys::check(unsafe { sys::fd_fdstat_get(self.fd, stat.as_mut_ptr()) })?;
        let mut flags = u16::from_le_bytes([stat[2], stat[3]]) as u32;
        if on {
            flags |= sys::FDFLAGS_NONBLOCK;
        } else {
            flags &= !sys::FDFLAGS_NONBLOCK;
        }
        sys::check(unsafe { sys::fd_fdstat_set_flags(self.fd, flags) })
    }

    pub(crate) fn set_timeout(&self, timeout: Option<Duration>, recv: bool) -> io::Result<()> {
        let us = match timeout {
            // std refuses a zero timeout the same way.
            Some(d) if d.is_zero() => {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, "cannot set a 0 duration timeout"))
            }
            Some(d) => u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1),
            None => 0,
        };
        sys::check(unsafe {
            if recv { sys::sock_set_recv_timeout(self.fd, us) } else { sys::sock_set_send_timeout(self.fd, us) }
        })
    }

    pub(crate) fn timeout(&self, recv: bool) -> io::Result<Option<Duration>> {
        let mut us = 0u64;
        sys::check(unsafe {
            if recv { sys::sock_get_recv_timeout(self.fd, &mut us) } else { sys::sock_get_send_timeout(self.fd, &mut us) }
        })?;
        Ok(if us == 0 { None } else { Some(Duration::from_micros(us)) })
    }

    pub(crate) fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        sys::check(unsafe { sys::sock_set_ip_ttl(self.fd, ttl) })
    }

    pub(crate) fn ttl(&self) -> io::Result<u32> {
        let mut ttl = 0u8;
        sys::check(unsafe { sys::sock_get_ip_ttl(self.fd, &mut ttl) })?;
        Ok(ttl as u32)
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        unsafe {
            sys::fd_close(self.fd);
        }
    }
}

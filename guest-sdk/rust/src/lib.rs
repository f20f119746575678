//! TCP, UDP and name lookup for Rust programs built for wasm32-wasi, over
//! the WAMR socket ABI that wasmaot (and WAMR) serve, with std::net's type
//! names and signatures: porting is a change of `use std::net::{…}` to
//! `use wasmaot_net::{…}`. No dependencies; builds with Debian's rustc 1.63
//! and `libstd-rust-dev-wasm32`, offline. See README.md for the build command.
//!
//! Every network operation goes through the runtime's policy (`--addr-pool`,
//! `--allow-resolve`, the JSON manifest); a denied one is
//! `io::ErrorKind::PermissionDenied`.

mod lookup;
mod socket;
mod sys;
mod tcp;
mod udp;

pub use lookup::{lookup_host, ToSocketAddrs};
pub use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, SocketAddrV4, SocketAddrV6};
pub use tcp::{Incoming, TcpListener, TcpStream};
pub use udp::UdpSocket;

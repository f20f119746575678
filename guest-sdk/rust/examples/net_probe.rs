//! net_probe: the rest of the API for the SDK's end-to-end test
//! (tests/rust_sdk): each line names a check and its result, so the test
//! can compare them with what it knows of its own peers.
//!
//!   net_probe UDP_PEER_PORT TCP_PORT
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use wasmaot_net::{lookup_host, TcpStream, UdpSocket};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let udp_peer: u16 = args[1].parse().expect("UDP port");
    let tcp_port: u16 = args[2].parse().expect("TCP port");
    let localhost = IpAddr::V4(Ipv4Addr::LOCALHOST);

    // UDP: send to the peer (which echoes upper-cased), receive, connect.
    let udp = UdpSocket::bind("127.0.0.1:0").expect("udp bind");
    udp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    println!("udp read_timeout {:?}", udp.read_timeout().unwrap());
    udp.send_to(b"ping", (localhost, udp_peer)).expect("send_to");
    let mut buf = [0u8; 64];
    let (n, from) = udp.recv_from(&mut buf).expect("recv_from");
    println!("udp recv_from {} {}", String::from_utf8_lossy(&buf[..n]), from);
    udp.connect(SocketAddr::new(localhost, udp_peer)).expect("udp connect");
    udp.send(b"again").expect("send");
    let n = udp.recv(&mut buf).expect("recv");
    println!("udp recv {} peer {}", String::from_utf8_lossy(&buf[..n]), udp.peer_addr().unwrap());

    // Lookup, under --allow-resolve=localhost.
    let mut ips = lookup_host("localhost").expect("lookup localhost");
    ips.sort();
    println!("lookup localhost has 127.0.0.1: {}", ips.contains(&localhost));
    match lookup_host("example.invalid") {
        Ok(v) => println!("lookup example.invalid: unexpected {:?}", v),
        Err(e) => println!("lookup example.invalid refused: {:?}", e.kind()),
    }

    // TCP: connect by name, options, a round trip, shutdown.
    let mut s = TcpStream::connect(("localhost", tcp_port)).expect("tcp connect");
    s.set_nodelay(true).unwrap();
    println!("tcp nodelay {}", s.nodelay().unwrap());
    println!("tcp peer {}", s.peer_addr().unwrap());
    s.write_all(b"hello over tcp").unwrap();
    s.shutdown(wasmaot_net::Shutdown::Write).unwrap();
    let mut back = String::new();
    s.read_to_string(&mut back).unwrap();
    println!("tcp echoed {}", back);

    // Non-blocking read with nothing to read: WouldBlock.
    let quiet = TcpStream::connect_timeout(&SocketAddr::new(localhost, tcp_port), Duration::from_secs(5))
        .expect("connect_timeout");
    quiet.set_nonblocking(true).unwrap();
    let mut q = &quiet;
    match q.read(&mut buf) {
        Err(e) if e.kind() == ErrorKind::WouldBlock => println!("tcp nonblocking read: WouldBlock"),
        other => println!("tcp nonblocking read: unexpected {:?}", other.map_err(|e| e.kind())),
    }

    // The policy: 127.0.0.2 is outside --addr-pool.
    match TcpStream::connect(("127.0.0.2", tcp_port)) {
        Ok(_) => println!("denied connect: unexpectedly connected"),
        Err(e) => println!("denied connect: {:?}", e.kind()),
    }
}

//! http_get: fetches http://HOST[:PORT]/PATH over HTTP/1.1 and prints the
//! status line, the body length and the body's first line.
//!
//!   cargo build --offline --target wasm32-wasi --release --example http_get
//!   wasmaot run --addr-pool=127.0.0.1/32 --allow-resolve=localhost \
//!       target/wasm32-wasi/release/examples/http_get.wasm http://localhost:8000/
use std::io::{Read, Write};
use std::process::exit;

use wasmaot_net::TcpStream;

fn main() {
    let url = match std::env::args().nth(1) {
        Some(u) => u,
        None => {
            eprintln!("usage: http_get http://HOST[:PORT]/PATH");
            exit(2);
        }
    };
    let rest = match url.strip_prefix("http://") {
        Some(r) => r,
        None => {
            eprintln!("http_get: only http:// URLs");
            exit(2);
        }
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().unwrap_or_else(|_| {
            eprintln!("http_get: bad port {}", p);
            exit(2)
        })),
        None => (authority, 80),
    };
    let mut stream = TcpStream::connect((host, port)).unwrap_or_else(|e| {
        eprintln!("http_get: connect {}:{}: {}", host, port, e);
        exit(1)
    });
    stream.set_nodelay(true).ok();
    let request = format!("GET {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nUser-Agent: wasmaot-net\r\n\r\n", path, authority);
    stream.write_all(request.as_bytes()).unwrap_or_else(|e| {
        eprintln!("http_get: send: {}", e);
        exit(1)
    });
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap_or_else(|e| {
        eprintln!("http_get: receive: {}", e);
        exit(1)
    });
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| {
        eprintln!("http_get: no end of headers in {} bytes", response.len());
        exit(1)
    });
    let head = String::from_utf8_lossy(&response[..split]);
    let body = &response[split + 4..];
    println!("{}", head.lines().next().unwrap_or(""));
    println!("body: {} bytes", body.len());
    let first = String::from_utf8_lossy(body.split(|&b| b == b'\n').next().unwrap_or(b""));
    println!("first line: {}", first.trim_end());
}

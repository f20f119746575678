//! echo_server: accepts TCP connections one at a time and echoes each until
//! the client shuts down its side.
//!
//!   echo_server [--exit-after N] ADDR:PORT     (port 0 picks a free one)
//!
//! Prints "listening on PORT" once bound.
//!   cargo build --offline --target wasm32-wasi --release --example echo_server
//!   wasmaot run --addr-pool=127.0.0.1/32 \
//!       target/wasm32-wasi/release/examples/echo_server.wasm 127.0.0.1:7777
use std::io::{Read, Write};
use std::process::exit;

use wasmaot_net::{Shutdown, TcpListener};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut exit_after: Option<u64> = None;
    let mut addr = None;
    let mut i = 1;
    while i < args.len() {
        if args[i] == "--exit-after" && i + 1 < args.len() {
            exit_after = args[i + 1].parse().ok();
            i += 2;
        } else {
            addr = Some(args[i].clone());
            i += 1;
        }
    }
    let addr = addr.unwrap_or_else(|| {
        eprintln!("usage: echo_server [--exit-after N] ADDR:PORT");
        exit(2)
    });
    let listener = TcpListener::bind(addr.as_str()).unwrap_or_else(|e| {
        eprintln!("echo_server: bind {}: {}", addr, e);
        exit(1)
    });
    println!("listening on {}", listener.local_addr().map(|a| a.port()).unwrap_or(0));
    let mut served = 0u64;
    for stream in listener.incoming() {
        let mut stream = match stream {
            Ok(s) => s,
            Err(e) => {
                eprintln!("echo_server: accept: {}", e);
                continue;
            }
        };
        let peer = stream.peer_addr().map(|a| a.to_string()).unwrap_or_default();
        let mut buf = vec![0u8; 65536];
        let mut total = 0usize;
        loop {
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if let Err(e) = stream.write_all(&buf[..n]) {
                        eprintln!("echo_server: {}: send: {}", peer, e);
                        break;
                    }
                    total += n;
                }
                Err(e) => {
                    eprintln!("echo_server: {}: receive: {}", peer, e);
                    break;
                }
            }
        }
        stream.shutdown(Shutdown::Both).ok();
        eprintln!("{}: echoed {} bytes", peer, total);
        served += 1;
        if Some(served) == exit_after {
            break;
        }
    }
}

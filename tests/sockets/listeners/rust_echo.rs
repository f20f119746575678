// The Rust side of the pre-opened listener test: std's TcpListener over the
// fd the host opened (wasmaot run --tcplisten, as wasmtime's -S tcplisten),
// built with Debian's rustc for wasm32-wasi. Answers COUNT clients (argv[1],
// default 2) with their message upper-cased.
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::wasi::io::FromRawFd;

fn main() {
    let listener = unsafe { TcpListener::from_raw_fd(3) };
    let count: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2);
    println!("ready");
    for stream in listener.incoming().take(count) {
        let mut stream = stream.expect("accept");
        let mut buf = [0u8; 256];
        let n = stream.read(&mut buf).expect("read");
        let reply: Vec<u8> = buf[..n].iter().map(|b| b.to_ascii_uppercase()).collect();
        stream.write_all(&reply).expect("write");
    }
    println!("served {} clients", count);
}

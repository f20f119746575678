#!/usr/bin/env python3
"""The Rust guest SDK (guest-sdk/rust, crate wasmaot-net) end to end on
loopback (labels `socket`, `rust`): its examples and net_probe are built
with Debian's cargo/rustc 1.63 for wasm32-wasi, offline, compiled with
`wasmaot compile` and run under `wasmaot run` against Python peers:

  http_get     GET from `python3 -m http.server`: status line, body length
               and first line as served
  echo_server  three clients in turn, each checking every byte echoed
  net_probe    UDP send_to/recv_from/connect/send/recv, lookup (allowed and
               refused by policy), TCP connect by name, nodelay, shutdown,
               non-blocking read, connect_timeout, a connect the policy
               denies (PermissionDenied)

Exit status 77 (skipped) when cargo or rustc is not installed."""
import argparse
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests"))
from e2e_helpers import Checks, EchoHandler, echo_round_trips, http_server, start_listening  # noqa: E402

CRATE = os.path.join(REPO, "guest-sdk", "rust")
POLICY = ["--addr-pool=127.0.0.1/32", "--allow-resolve=localhost"]
checks = Checks()
check = checks.check


class UdpUpper(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data.upper(), self.client_address)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cargo", default="/usr/bin/cargo")
    ap.add_argument("--rustc", default="/usr/bin/rustc")
    a = ap.parse_args()
    for tool in (a.cargo, a.rustc):
        if not os.access(tool, os.X_OK):
            print("skip: %s is not installed (Debian packages cargo, rustc, libstd-rust-dev-wasm32)" % tool)
            return 77
    os.makedirs(a.work, exist_ok=True)
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(a.work, "target"), RUSTC=a.rustc,
               CARGO_HOME=os.path.join(a.work, "cargo-home"))
    # A copy of the crate, so that cargo writes nothing (Cargo.lock) into the source tree.
    crate = os.path.join(a.work, "crate")
    shutil.rmtree(crate, ignore_errors=True)
    shutil.copytree(CRATE, crate, ignore=shutil.ignore_patterns("target", "Cargo.lock"))
    build = subprocess.run([a.cargo, "build", "--offline", "--target", "wasm32-wasi", "--release", "--examples"],
                           cwd=crate, env=env, capture_output=True, text=True)
    check("cargo build --offline --target wasm32-wasi --examples", build.returncode == 0, build.stderr[-2000:])
    if build.returncode != 0:
        return 1
    out_dir = os.path.join(a.work, "target", "wasm32-wasi", "release", "examples")
    so = {}
    for name in ("http_get", "echo_server", "net_probe"):
        so[name] = os.path.join(a.work, name + ".so")
        subprocess.run([a.wasmaot, "compile", os.path.join(out_dir, name + ".wasm"), "-o", so[name]], check=True)

    # http_get against python's http.server.
    www = tempfile.mkdtemp(prefix="rust-sdk-www-")
    body = "".join("line %d of the page\n" % i for i in range(300))
    with open(os.path.join(www, "page.txt"), "w") as f:
        f.write(body)
    try:
        with http_server(www) as port:
            r = subprocess.run([a.wasmaot, "run"] + POLICY + [so["http_get"], "http://localhost:%d/page.txt" % port],
                               capture_output=True, text=True, timeout=60)
        want = "HTTP/1.0 200 OK\nbody: %d bytes\nfirst line: line 0 of the page\n" % len(body)
        check("http_get fetches a page by name", r.returncode == 0 and r.stdout == want,
              "status %d out %r err %r" % (r.returncode, r.stdout, r.stderr))
    finally:
        shutil.rmtree(www, ignore_errors=True)

    # echo_server: three clients in turn.
    srv, port, line = start_listening([a.wasmaot, "run"] + POLICY +
                                      [so["echo_server"], "--exit-after", "3", "127.0.0.1:0"])
    try:
        check("echo_server reports its port", port is not None, repr(line))
        if port is not None:
            echo_round_trips(checks, "echo_server", port, [1, 5000, 300000], seed=7)
            status = srv.wait(timeout=30)
            check("echo_server exits after 3 connections", status == 0, "status %s" % status)
    finally:
        if srv.poll() is None:
            srv.kill()

    # net_probe against a UDP upper-caser and a TCP echo server.
    udp = socketserver.UDPServer(("127.0.0.1", 0), UdpUpper)
    tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), EchoHandler)
    tcp.daemon_threads = True
    for server in (udp, tcp):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        udp_port, tcp_port = udp.server_address[1], tcp.server_address[1]
        r = subprocess.run([a.wasmaot, "run"] + POLICY + [so["net_probe"], str(udp_port), str(tcp_port)],
                           capture_output=True, text=True, timeout=60)
        want = [
            "udp read_timeout Some(10s)",
            "udp recv_from PING 127.0.0.1:%d" % udp_port,
            "udp recv AGAIN peer 127.0.0.1:%d" % udp_port,
            "lookup localhost has 127.0.0.1: true",
            "lookup example.invalid refused: PermissionDenied",
            "tcp nodelay true",
            "tcp peer 127.0.0.1:%d" % tcp_port,
            "tcp echoed hello over tcp",
            "tcp nonblocking read: WouldBlock",
            "denied connect: PermissionDenied",
        ]
        got = r.stdout.splitlines()
        for i, line in enumerate(want):
            have = got[i] if i < len(got) else "(missing)"
            check("net_probe: " + line, have == line, "got %r; stderr %r" % (have, r.stderr[-500:]))
        check("net_probe exits 0", r.returncode == 0, "status %d %s" % (r.returncode, r.stderr[-500:]))
    finally:
        udp.shutdown()
        tcp.shutdown()

    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())

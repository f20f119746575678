#!/usr/bin/env python3
"""One guest program over each socket ABI family (label `abi`): the
scenarios in abi_scenarios.c built natively (the oracle) and as wasm against
one family's imports, declared by hand (net_abi.h lists the adapters).

  run_abi_test.py FAMILY --wasmaot BIN --guest GUEST.so --native NATIVE --work DIR
  run_abi_test.py extras --wasmaot BIN --guest wasmedge_extras.so --work DIR
  run_abi_test.py dispatch --wasmaot BIN --wat2wasm WAT2WASM --work DIR

FAMILY is wamr, wasmedge-v1, wasmedge-v2 or wasmtime. For the first three:
  loopback v4/v6  TCP and UDP between the guest's own sockets: every line as
                  the native build prints it (WasmEdge V1's sock_recv_from
                  has no port: that one line says so instead)
  client          a TCP echo of 20,000 bytes and a UDP echo against Python
                  servers, as the native build
  lookup          `localhost` resolves to a loopback address, as natively
  deny            a connect, a UDP send_to and a lookup outside the policy
                  are EACCES (2), each with its --trace-policy line, and the
                  lines are the same for every family
  listener        accept on a --tcplisten listener (preview 1's sock_accept)
wasmtime (preview 1 only): listener, as the native build given the same
listening socket; the calls it does not have answer ENOSYS, and sock_accept
on a non-socket is ENOTSOCK. Its ABI has nothing the policy could refuse:
the operator's --tcplisten is the whole grant.

extras runs wasmedge_extras.c, which checks what only WasmEdge has against
WasmEdge's documented behaviour itself (epoll_oneoff, get/setsockopt,
getaddrinfo, the `_v2` names). dispatch links hand-written modules: one
that mixes WAMR's and WasmEdge's calls (each import chosen by its type) and
ones whose signature no family has, which must fail with one line naming
the signatures tried.
"""
import argparse
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from e2e_helpers import Checks, EchoHandler  # noqa: E402

TIMEOUT = 60
DENY_LINES = [
    "policy: connect tcp 127.0.0.2:9 denied: no rule in network.connect or --addr-pool matches",
    "policy: send_to udp 127.0.0.2:9 denied: no rule in network.connect or --addr-pool matches",
    'policy: resolve "forbidden.example" denied: no rule in network.resolve or --allow-resolve matches',
]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, **kw)


class Runner:
    def __init__(self, args):
        self.args = args
        self.env = dict(os.environ, WASMAOT_CACHE_DIR=os.path.join(args.work, "cache"))

    def wasm(self, *argv, flags=()):
        return run([self.args.wasmaot, "run", *flags, self.args.guest, *argv], env=self.env)

    def native(self, *argv, **kw):
        return run([self.args.native, *argv], **kw)


def expected_for(family, native_out):
    """The native transcript as this family must print it."""
    if family == "wasmedge-v1":
        return native_out.replace(", the sender's port: yes", ", port not in this ABI").replace(
            ", the server's port: yes", ", port not in this ABI")
    return native_out


def compare(c, name, family, native, wasm):
    want = expected_for(family, native.stdout)
    ok = wasm.returncode == native.returncode == 0 and wasm.stdout == want
    detail = "exit %d/%d\n--- native (as expected)\n%s--- wasm\n%s%s" % (
        native.returncode, wasm.returncode, want, wasm.stdout, wasm.stderr)
    c.check(name, ok, detail)


def echo_servers():
    """A TCP and a UDP echo server on 127.0.0.1; returns their ports."""
    tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), EchoHandler)
    tcp.daemon_threads = True
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))

    def serve_udp():
        while True:
            data, peer = udp.recvfrom(65536)
            udp.sendto(data, peer)

    threading.Thread(target=tcp.serve_forever, daemon=True).start()
    threading.Thread(target=serve_udp, daemon=True).start()
    return tcp.server_address[1], udp.getsockname()[1]


def connect_retrying(port):
    """Connects to 127.0.0.1:PORT, retrying while nothing listens there yet
    (the runtime opens --tcplisten listeners as it starts)."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=10)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def talk_to_listener(port, word, result):
    try:
        with connect_retrying(port) as s:
            s.sendall(word.encode())
            data = b""
            while True:
                chunk = s.recv(256)
                if not chunk:
                    break
                data += chunk
            result.append(data.decode())
    except OSError as e:
        result.append("error: %s" % e)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listener_case(c, r, family):
    # Native: a listening socket handed over as an fd, as the host pre-opens one.
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    reply = []
    t = threading.Thread(target=talk_to_listener, args=(lsock.getsockname()[1], "hello", reply))
    t.start()
    native = r.native("listener", str(lsock.fileno()), pass_fds=[lsock.fileno()])
    t.join()
    lsock.close()
    c.check("native listener answered", reply == ["HELLO"], repr(reply))

    # wasm: --tcplisten makes fd 3 (no preopened directories). The port is
    # picked free beforehand; another process taking it meanwhile is retried.
    for _ in range(5):
        port = free_port()
        reply = []
        proc = subprocess.Popen([r.args.wasmaot, "run", "--tcplisten=127.0.0.1:%d" % port, r.args.guest,
                                 "listener", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=r.env)
        t = threading.Thread(target=talk_to_listener, args=(port, "hello", reply))
        t.start()
        out, err = proc.communicate(timeout=TIMEOUT)
        t.join()
        if proc.returncode == 2 and "in use" in err:
            continue
        break
    wasm = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    c.check("wasm listener answered", reply == ["HELLO"], repr(reply) + " " + err)
    compare(c, "listener transcript", family, native, wasm)


MIXED_WAT = """(module
  (import "wasi_snapshot_preview1" "sock_open" (func $wamr_open (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_getaddrinfo"
    (func $getaddrinfo (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept_v1 (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv_from"
    (func $recv_from_v2 (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    ;; WAMR's sock_open(poolfd, af = INET4 (0), type = STREAM (1), *fd): an fd at 0.
    (if (call $wamr_open (i32.const -1) (i32.const 0) (i32.const 1) (i32.const 0))
      (then (call $exit (i32.const 3))))
    ;; WasmEdge V1's sock_accept on it (not listening): EINVAL (28), not a link error.
    (call $exit (call $accept_v1 (i32.load (i32.const 0)) (i32.const 8)))))
"""

BAD_WAT = """(module
  (import "wasi_snapshot_preview1" "%s" (func (param %s) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
"""


def dispatch(args, c):
    env = dict(os.environ, WASMAOT_CACHE_DIR=os.path.join(args.work, "cache"))

    def build(name, text):
        wat = os.path.join(args.work, name + ".wat")
        with open(wat, "w") as f:
            f.write(text)
        wasm = os.path.join(args.work, name + ".wasm")
        subprocess.run([args.wat2wasm, wat, "-o", wasm], check=True)
        return wasm

    p = run([args.wasmaot, "run", build("mixed", MIXED_WAT)], env=env)
    c.check("WAMR's sock_open and WasmEdge's calls in one module link; V1 accept answers EINVAL",
            p.returncode == 28, "exit %d: %s" % (p.returncode, p.stderr))
    cases = [
        ("sock_open", "i32 i32 i32 i32 i32",
         "tried WAMR (i32 i32 i32 i32) -> i32, WasmEdge V1 (i32 i32 i32) -> i32"),
        ("sock_accept", "i32",
         "tried WASI preview 1 (i32 i32 i32) -> i32, WasmEdge V1 (i32 i32) -> i32"),
        ("sock_getlocaladdr", "i32 i32",
         "tried WasmEdge V1 (i32 i32 i32 i32) -> i32, WasmEdge V2 (i32 i32 i32) -> i32"),
    ]
    for name, params, tried in cases:
        p = run([args.wasmaot, "run", build("bad_" + name, BAD_WAT % (name, params))], env=env)
        lines = p.stderr.strip().splitlines()
        c.check("%s(%s): a link error naming the signatures tried" % (name, params),
                p.returncode != 0 and len(lines) == 1 and tried in lines[0] and name in lines[0],
                "exit %d: %r" % (p.returncode, p.stderr))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("family", choices=["wamr", "wasmedge-v1", "wasmedge-v2", "wasmtime", "extras", "dispatch"])
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--guest")
    ap.add_argument("--native")
    ap.add_argument("--wat2wasm")
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    r = Runner(args)
    c = Checks()
    family = args.family

    if family == "dispatch":
        dispatch(args, c)
        return c.finish()
    if family == "extras":
        p = r.wasm(flags=["--addr-pool=127.0.0.1/32", "--allow-resolve=localhost"])
        print(p.stdout, end="")
        c.check("wasmedge_extras: every check passed", p.returncode == 0 and p.stdout.endswith("0 failed\n"),
                "exit %d: %s" % (p.returncode, p.stderr))
        return c.finish()

    if family == "wasmtime":
        for scenario in (["loopback", "v4"], ["lookup", "localhost"]):
            p = r.wasm(*scenario, flags=["--addr-pool=127.0.0.1/32", "--allow-resolve=localhost"])
            c.check("%s: not in preview 1 (ENOSYS)" % scenario[0],
                    "errno 52" in p.stdout and p.returncode != 0, p.stdout + p.stderr)
        p = r.wasm("listener", "1")
        c.check("sock_accept on stdout: ENOTSOCK", "accept: errno 57" in p.stdout, p.stdout + p.stderr)
        listener_case(c, r, family)
        return c.finish()

    pool = ["--addr-pool=127.0.0.1/32,::1/128"]
    for v in ("v4", "v6"):
        compare(c, "loopback %s" % v, family, r.native("loopback", v), r.wasm("loopback", v, flags=pool))

    tcp_port, udp_port = echo_servers()
    argv = ["client", "127.0.0.1", str(tcp_port), str(udp_port)]
    compare(c, "client (TCP and UDP echo)", family, r.native(*argv), r.wasm(*argv, flags=pool))

    compare(c, "lookup localhost", family, r.native("lookup", "localhost"),
            r.wasm("lookup", "localhost", flags=pool + ["--allow-resolve=localhost"]))

    p = r.wasm("deny", "127.0.0.2", "9", "forbidden.example", flags=pool + ["--trace-policy"])
    for what in ("connect", "send_to", "lookup"):
        c.check("%s outside the policy: EACCES" % what, "%s outside the policy: errno 2" % what in p.stdout,
                p.stdout + p.stderr)
    traced = [line for line in p.stderr.splitlines() if line.startswith("policy:")]
    c.check("--trace-policy lines (the same for every ABI)", traced == DENY_LINES, "\n".join(traced))

    listener_case(c, r, family)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())

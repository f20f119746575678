#!/usr/bin/env python3
"""Pre-opened listeners (`wasmaot run --tcplisten`, as wasmtime's -S tcplisten;
labels `socket`): a guest built with the SDK serves clients on fd 3, which the
host opened; IPv4 and IPv6 on loopback, from the flag and from the manifest's
network.tcplisten. A bad address or a port in use is one line and exit 2.

  run_listener_test.py BIN_DIR WORK_DIR [--rust]

--rust runs the same service written in Rust (rust_echo.rs: std's
TcpListener::from_raw_fd(3)), built with Debian's /usr/bin/rustc for
wasm32-wasi; exit 77 (skipped) when that compiler or its wasm32-wasi std is
not installed.
"""
import json
import os
import socket
import subprocess
import sys

BIN, WORK = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
FAILURES = []


def fail(message):
    print("FAIL: " + message)
    FAILURES.append(message)


def serve_and_check(run_args, family, host, label):
    proc = subprocess.Popen([os.path.join(BIN, "wasmaot"), "run"] + run_args + [WASM, "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, WASMAOT_CACHE_DIR=os.path.join(WORK, "cache")))
    first = proc.stdout.readline().strip()
    if not first.startswith("listening on port "):
        proc.kill()
        fail("%s: guest said %r, stderr %r" % (label, first, proc.stderr.read()))
        return
    port = int(first.rsplit(" ", 1)[1])
    for word in ("hello", "wasm"):
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(10)
            s.connect((host, port))
            s.sendall(word.encode())
            reply = s.recv(256).decode()
            if reply != word.upper():
                fail("%s: sent %r, got %r" % (label, word, reply))
    out, err = proc.communicate(timeout=30)
    if proc.returncode != 0 or "served 2 clients" not in out:
        fail("%s: exit %d, %r %r" % (label, proc.returncode, out, err))
    else:
        print("ok: %s served 2 clients on port %d" % (label, port))


def expect_error(run_args, needle, label):
    r = subprocess.run([os.path.join(BIN, "wasmaot"), "run"] + run_args + [WASM], capture_output=True, text=True,
                       env=dict(os.environ, WASMAOT_CACHE_DIR=os.path.join(WORK, "cache")), timeout=60)
    lines = r.stderr.strip().splitlines()
    if r.returncode != 2 or not lines or needle not in lines[0] or (len(lines) > 1 and "Try" not in lines[1]):
        fail("%s: exit %d, stderr %r (expected exit 2 and one line with %r)" % (label, r.returncode, r.stderr, needle))
    else:
        print("ok: %s: %s" % (label, lines[0]))


def rust_main():
    rustc = "/usr/bin/rustc"
    wasm = os.path.join(WORK, "rust_echo.wasm")
    if not os.access(rustc, os.X_OK):
        print("skip: %s is not installed (Debian packages rustc and libstd-rust-dev-wasm32)" % rustc)
        return 77
    r = subprocess.run([rustc, "--target", "wasm32-wasi", "-O", os.path.join(HERE, "rust_echo.rs"), "-o", wasm],
                       capture_output=True, text=True)
    if r.returncode != 0:
        if "can't find crate for `std`" in r.stderr:
            print("skip: no wasm32-wasi std for %s (Debian package libstd-rust-dev-wasm32)" % rustc)
            return 77
        fail("rustc failed: %s" % r.stderr.strip())
        return 1
    # std has no local_addr() for a WASI listener, so the test picks a free
    # port; another process may take it before wasmaot binds it, so a start
    # that fails with "cannot listen" is retried on a fresh port (3 tries).
    for _ in range(3):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        proc = subprocess.Popen([os.path.join(BIN, "wasmaot"), "run", "--tcplisten=127.0.0.1:%d" % port, wasm, "2"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ, WASMAOT_CACHE_DIR=os.path.join(WORK, "cache")))
        first = proc.stdout.readline().strip()  # "ready", or "" when it exited
        if first == "ready":
            break
        err = proc.stderr.read()
        proc.wait()
        if "cannot listen" not in err:
            fail("rust guest did not start: %r" % err)
            return 1
    else:
        fail("rust guest: three free ports in a row were taken before wasmaot bound them")
        return 1
    for word in ("hello", "rust"):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(word.encode())
            reply = s.recv(256).decode()
            if reply != word.upper():
                fail("rust guest: sent %r, got %r" % (word, reply))
    out, err = proc.communicate(timeout=60)
    if proc.returncode != 0 or "served 2 clients" not in out:
        fail("rust guest: exit %d, %r %r" % (proc.returncode, out, err))
    if FAILURES:
        return 1
    print("ok: std::net::TcpListener::from_raw_fd(3) served 2 clients on port %d" % port)
    return 0


os.makedirs(WORK, exist_ok=True)
if "--rust" in sys.argv[3:]:
    sys.exit(rust_main())
WASM = os.path.join(WORK, "preopened_echo.wasm")
subprocess.run([os.path.join(BIN, "wasmaot-cc"), "-O2", os.path.join(HERE, "preopened_echo.c"), "-o", WASM],
               check=True)

serve_and_check(["--tcplisten=127.0.0.1:0"], socket.AF_INET, "127.0.0.1", "--tcplisten 127.0.0.1:0")
serve_and_check(["--tcplisten", "[::1]:0"], socket.AF_INET6, "::1", "--tcplisten [::1]:0")
manifest = os.path.join(WORK, "listen.json")
with open(manifest, "w") as f:
    json.dump({"version": 1, "network": {"tcplisten": ["127.0.0.1:0"]}}, f)
serve_and_check(["--policy", manifest], socket.AF_INET, "127.0.0.1", "manifest network.tcplisten")

expect_error(["--tcplisten=localhost:80"], "--tcplisten 'localhost:80'", "a name instead of an address")
expect_error(["--tcplisten=127.0.0.1:99999"], "bad port", "a port out of range")
with socket.socket() as taken:
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    expect_error(["--tcplisten=127.0.0.1:%d" % port], "cannot listen", "a port in use")
with open(manifest, "w") as f:
    json.dump({"version": 1, "network": {"tcplisten": ["1.2.3"]}}, f)
expect_error(["--policy", manifest], "network.tcplisten[0]", "a bad manifest entry")

if FAILURES:
    print("%d check(s) failed" % len(FAILURES))
    sys.exit(1)
print("all listener checks passed")

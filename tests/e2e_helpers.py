"""Helpers shared by the end-to-end test drivers (tail calls, wasi-threads,
the Rust and AssemblyScript SDKs): named checks with a summary, a static
HTTP server on a port the kernel picks, and echo round trips against a
guest echo server.

Import with `sys.path.insert(0, <repo>/tests)`."""
import contextlib
import os
import random
import re
import socket
import socketserver
import subprocess
import sys
import threading


class Checks:
    """Prints `ok   NAME` or `FAIL NAME: DETAIL` per check; finish() prints
    the summary and returns the exit status."""

    def __init__(self):
        self.failures = []

    def check(self, name, ok, detail=""):
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail), flush=True)
        if not ok:
            self.failures.append(name)
        return ok

    def finish(self):
        if self.failures:
            print("%d failed: %s" % (len(self.failures), ", ".join(self.failures)))
            return 1
        print("all passed")
        return 0


@contextlib.contextmanager
def http_server(directory):
    """`python3 -m http.server` serving DIRECTORY on 127.0.0.1, on a port it
    binds itself (port 0: no race with other processes); yields the port."""
    p = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"], cwd=directory,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = p.stdout.readline()  # "Serving HTTP on 127.0.0.1 port N (...)"
        m = re.search(r"port (\d+)", line)
        if not m:
            raise RuntimeError("http.server did not report its port: %r" % line)
        yield int(m.group(1))
    finally:
        p.kill()
        p.wait()


class EchoHandler(socketserver.BaseRequestHandler):
    """A socketserver handler that echoes a TCP connection until it closes."""

    def handle(self):
        while True:
            data = self.request.recv(65536)
            if not data:
                break
            self.request.sendall(data)


def start_listening(cmd):
    """Starts a server that prints "listening on PORT" first; (process, port
    or None, the line it printed)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    m = re.match(r"listening on (\d+)", line)
    return p, (int(m.group(1)) if m else None), line


def echo_round_trips(checks, name, port, sizes, seed):
    """One client per size, in turn: sends random bytes, shuts down its
    side, and checks that exactly those bytes come back."""
    rnd = random.Random(seed)
    for i, size in enumerate(sizes):
        data = bytes(rnd.randrange(256) for _ in range(size))
        c = socket.create_connection(("127.0.0.1", port), timeout=30)
        got = bytearray()
        reader = threading.Thread(target=lambda: [got.extend(b) for b in iter(lambda: c.recv(65536), b"")])
        reader.start()
        c.sendall(data)
        c.shutdown(socket.SHUT_WR)
        reader.join(60)
        c.close()
        checks.check("%s client %d: %d bytes back" % (name, i, len(data)), bytes(got) == data,
                     "got %d bytes" % len(got))


def generate_module(out_dir, functions, clang, min_mb=0):
    """benchmarks/compile/gen_module.py: a generated C program of FUNCTIONS
    functions built for wasm32-wasi; returns OUT_DIR/gen.wasm (gen.c beside it)."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([sys.executable, os.path.join(repo, "benchmarks", "compile", "gen_module.py"), out_dir,
                    "--functions", str(functions), "--min-mb", str(min_mb), "--clang", clang],
                   check=True, capture_output=True)
    return os.path.join(out_dir, "gen.wasm")

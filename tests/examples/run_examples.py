#!/usr/bin/env python3
"""End-to-end tests of guest-sdk/examples/ against real peers on loopback.

    run_examples.py --mode wasm|native --bin-dir DIR --src DIR --work DIR TEST

TEST is `build` (compile every example: wasmaot-cc + `wasmaot compile` for
mode wasm, the host's cc for mode native) or one of the scenarios in TESTS
below, which use what `build` left in WORK. In mode wasm the examples run as
`wasmaot run --addr-pool=127.0.0.1/32,::1/128 --allow-resolve=localhost
NAME.so ...`; in mode native the same scenarios run the native builds, which
checks the example programs themselves.

Peers are Python (stdlib only): echo clients and servers, `python3 -m
http.server`, and our own HTTP server for chunked bodies, redirects and a
server that never answers. Everything listens on 127.0.0.1 or ::1 with port
0; every wait has a timeout and every child is killed on the way out.
Exit status: 0 pass, 1 fail, 77 skipped (ctest SKIP_RETURN_CODE).
"""
import argparse
import http.server
import os
import random
import re
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from e2e_helpers import EchoHandler  # noqa: E402

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = ["tcp_echo_server", "tcp_client", "http_get", "udp_echo_server",
            "udp_echo_client", "dns_lookup", "curl_fetch", "tcp_thread_server"]
PTHREAD_EXAMPLES = {"tcp_thread_server"}  # built with -pthread
POLICY_FLAGS = ["--addr-pool=127.0.0.1/32,::1/128", "--allow-resolve=localhost"]

args = None
children = []  # every Popen we started, killed at exit


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- processes

def example_cmd(name, argv, policy=None):
    """The command line that runs example NAME with ARGV."""
    if args.mode == "native":
        return [os.path.join(args.work, name)] + argv
    flags = POLICY_FLAGS if policy is None else policy
    return [os.path.join(args.bin_dir, "wasmaot"), "run"] + flags + \
        [os.path.join(args.work, name + ".so")] + argv


def run(cmd, input=None, timeout=60):
    """Runs to completion (bounded); returns (status, stdout bytes, stderr text)."""
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    children.append(p)
    try:
        out, err = p.communicate(input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(p)
        out, err = p.communicate()
        raise Fail("timed out after %ss: %s\nstderr: %s" %
                   (timeout, " ".join(cmd), err.decode(errors="replace")[-2000:]))
    return p.returncode, out, err.decode(errors="replace")


def run_example(name, argv, input=None, timeout=60, policy=None):
    return run(example_cmd(name, argv, policy), input=input, timeout=timeout)


def kill(p):
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


def kill_all():
    for p in children:
        kill(p)


class Server:
    """A server example started in the background: waits for its
    "listening on PORT" line, then wait() bounds its exit."""

    def __init__(self, name, argv, timeout=30):
        self.cmd = example_cmd(name, argv)
        self.p = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, start_new_session=True)
        children.append(self.p)
        self.err = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        line = [None]

        def read_first_line():
            line[0] = self.p.stdout.readline()
        t = threading.Thread(target=read_first_line, daemon=True)
        t.start()
        t.join(timeout)
        m = re.match(rb"listening on (\d+)", line[0] or b"")
        if not m:
            kill(self.p)
            raise Fail("%s did not report its port (got %r)\nstderr: %s" %
                       (name, line[0], self.stderr()))
        self.port = int(m.group(1))

    def _drain_stderr(self):
        for line in self.p.stderr:
            self.err.append(line.decode(errors="replace"))

    def stderr(self):
        time.sleep(0.1)
        return "".join(self.err)[-3000:]

    def wait(self, timeout=30):
        try:
            status = self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill(self.p)
            raise Fail("server did not exit within %ss\nstderr: %s" % (timeout, self.stderr()))
        check(status == 0, "server exit status %d\nstderr: %s" % (status, self.stderr()))

    def stop(self):
        kill(self.p)


# ---------------------------------------------------------------- build

def build():
    os.makedirs(args.work, exist_ok=True)
    src = args.src
    for name in EXAMPLES:
        sources = [os.path.join(src, name + ".c")]
        extra = []
        if name == "curl_fetch":
            sources.append(os.path.join(src, "minicurl.c"))
            extra = ["-I", os.path.join(src, "include")]
        if name in PTHREAD_EXAMPLES:
            extra = ["-pthread"]
        if args.mode == "wasm":
            wasm = os.path.join(args.work, name + ".wasm")
            so = os.path.join(args.work, name + ".so")
            cmds = [[os.path.join(args.bin_dir, "wasmaot-cc"), "-O2", "-Wall", "-Wextra", "-Werror"]
                    + extra + sources + ["-o", wasm],
                    [os.path.join(args.bin_dir, "wasmaot"), "compile", wasm, "-o", so]]
        else:
            cc = os.environ.get("CC") or "cc"
            cmds = [[cc, "-O2", "-Wall", "-Wextra", "-Werror"] + extra + sources +
                    ["-o", os.path.join(args.work, name)]]
        for cmd in cmds:
            status, out, err = run(cmd, timeout=300)
            check(status == 0, "%s failed (%d):\n%s%s" % (" ".join(cmd), status,
                                                        out.decode(errors="replace"), err))
        log("built " + name)
    # The API check of minicurl (tests/examples/minicurl_api.c).
    api = [os.path.join(HERE, "minicurl_api.c"), os.path.join(src, "minicurl.c"),
           "-I", os.path.join(src, "include")]
    if args.mode == "wasm":
        wasm = os.path.join(args.work, "minicurl_api.wasm")
        cmds = [[os.path.join(args.bin_dir, "wasmaot-cc"), "-O2", "-Wall", "-Wextra", "-Werror"] + api + ["-o", wasm],
                [os.path.join(args.bin_dir, "wasmaot"), "compile", wasm, "-o", os.path.join(args.work, "minicurl_api.so")]]
    else:
        cmds = [[os.environ.get("CC") or "cc", "-O2", "-Wall", "-Wextra", "-Werror"] + api +
                ["-o", os.path.join(args.work, "minicurl_api")]]
    for cmd in cmds:
        status, out, err = run(cmd, timeout=300)
        check(status == 0, "%s failed (%d):\n%s" % (" ".join(cmd), status, err))
    log("built minicurl_api")
    if args.mode == "native":
        # curl_fetch against the real libcurl, when it is installed: the same
        # source must build and behave the same.
        cc = os.environ.get("CC") or "cc"
        real = os.path.join(args.work, "curl_fetch_libcurl")
        status, _, err = run([cc, "-O2", "-Wall", "-Wextra", "-Werror",
                              os.path.join(src, "curl_fetch.c"), "-lcurl", "-o", real], timeout=300)
        log("built curl_fetch_libcurl" if status == 0 else
            "note: curl_fetch does not build against libcurl here:\n" + err)


# ---------------------------------------------------------------- peers

def payload(seed, size):
    return random.Random(seed).randbytes(size)


class TCPServer4(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class TCPServer6(TCPServer4):
    address_family = socket.AF_INET6


def start_in_thread(server):
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                     daemon=True).start()
    return server


CHUNKED_BODY = payload(7, 300_000)
HANG_SOCKETS = []


class TestHTTPHandler(http.server.BaseHTTPRequestHandler):
    """Chunked bodies, redirects and misbehaviour, for http_get and curl_fetch."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send_chunked(self, body, seed):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        rnd = random.Random(seed)
        pos = 0
        while pos < len(body):
            n = min(rnd.choice([1, 7, 100, 4096, 16384, 70000]), len(body) - pos)
            ext = b";name=value" if rnd.random() < 0.2 else b""
            self.wfile.write(b"%x%s\r\n" % (n, ext) + body[pos:pos + n] + b"\r\n")
            pos += n
            if rnd.random() < 0.1:
                self.wfile.flush()
                time.sleep(0.01)  # split across TCP segments
        self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")

    def send_simple(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/chunked":
            self.send_chunked(CHUNKED_BODY, 1)
        elif path == "/chunked-empty":
            self.send_chunked(b"", 2)
        elif path == "/redirect":
            self.send_simple(302, b"moved\n", [("Location", "/chunked")])
        elif path == "/dir/redirect-relative":
            self.send_simple(301, b"moved\n", [("Location", "../redirect")])  # -> /redirect
        elif path == "/loop":
            self.send_simple(302, b"", [("Location", "/loop")])
        elif path == "/headers":
            body = ("%s\n%s\n" % (self.requestline, "".join(
                "%s: %s\n" % (k, v) for k, v in self.headers.items()))).encode()
            self.send_simple(200, body)
        elif path == "/continue":  # an interim 100 before the real response
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.send_simple(200, b"after continue\n")
        elif path == "/short":  # Content-Length larger than what is sent
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"only a little")
            self.close_connection = True
        elif path == "/hang":  # take the request, never answer
            HANG_SOCKETS.append(self.request)
            time.sleep(30)
        else:
            self.send_simple(404, b"not found\n")


class HTTPServer4(http.server.ThreadingHTTPServer):
    daemon_threads = True


class HTTPServer6(HTTPServer4):
    address_family = socket.AF_INET6


def test_http_server(v6=False):
    cls = HTTPServer6 if v6 else HTTPServer4
    return start_in_thread(cls(("::1" if v6 else "127.0.0.1", 0), TestHTTPHandler))


def python_http_server(directory):
    """`python3 -m http.server` on 127.0.0.1, port 0; returns (Popen, port)."""
    p = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1",
                          "--directory", directory, "0"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    children.append(p)
    line = [b""]
    t = threading.Thread(target=lambda: line.__setitem__(0, p.stdout.readline()), daemon=True)
    t.start()
    t.join(20)
    m = re.search(rb"port (\d+)", line[0])
    check(m, "python3 -m http.server did not start: %r" % line[0])
    threading.Thread(target=lambda: p.stdout.read(), daemon=True).start()
    return p, int(m.group(1))


# ---------------------------------------------------------------- scenarios

def echo_server(v6, nclients=20, max_clients=None, server="tcp_echo_server"):
    """NCLIENTS concurrent clients, each checks its own echoed bytes."""
    host = "::1" if v6 else "127.0.0.1"
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    limit = ["--max-clients", str(max_clients)] if max_clients else []
    srv = Server(server, (["-6"] if v6 else ["-4"]) + limit +
                 ["--bind", host, "--exit-after", str(nclients), "-q", "0"])
    barrier = threading.Barrier(nclients)
    errors = []

    def client(i):
        try:
            rnd = random.Random(100 + i)
            data = payload(i, rnd.choice([1, 1000, 65536, 200_000, 700_000]))
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.settimeout(30)
            s.connect((host, srv.port))
            barrier.wait(timeout=30)
            got = bytearray()

            def reader():
                while True:
                    b = s.recv(65536)
                    if not b:
                        break
                    got.extend(b)
            t = threading.Thread(target=reader, daemon=True)
            t.start()
            pos = 0
            while pos < len(data):  # uneven writes
                n = rnd.choice([1, 100, 3000, 65536, 150_000])
                s.sendall(data[pos:pos + n])
                pos += n
            s.shutdown(socket.SHUT_WR)
            t.join(60)
            s.close()
            if bytes(got) != data:
                errors.append("client %d: sent %d bytes, got back %d (%s)" %
                              (i, len(data), len(got), "differs" if len(got) == len(data) else "short"))
        except Exception as e:  # noqa: BLE001 - any failure is reported
            errors.append("client %d: %r" % (i, e))

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(nclients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    check(not errors, "\n".join(errors) + "\nserver stderr: " + srv.stderr())
    srv.wait(30)
    log("ok: %s: %d concurrent clients over %s got their bytes back%s" %
        (server, nclients, "IPv6" if v6 else "IPv4", " (at most %d at a time)" % max_clients if max_clients else ""))


def tcp_client():
    for v6 in (False, True):
        cls, host = (TCPServer6, "::1") if v6 else (TCPServer4, "127.0.0.1")
        server = start_in_thread(cls((host, 0), EchoHandler))
        port = str(server.server_address[1])
        # Lines as arguments.
        status, out, err = run_example("tcp_client", [host, port, "hello", "two words", ""], timeout=30)
        check(status == 0 and out == b"hello\ntwo words\n\n", "lines: status %d out %r\n%s" % (status, out, err))
        # A large binary stdin: must come back whole (no deadlock, half-close).
        data = payload(3, 2_000_000)
        status, out, err = run_example("tcp_client", ["-t", "20", host, port], input=data, timeout=60)
        check(status == 0 and out == data, "stdin: status %d, %d of %d bytes\n%s" %
              (status, len(out), len(data), err))
        server.shutdown()
        server.server_close()
        log("ok: tcp_client over %s (lines, 2 MB stdin)" % ("IPv6" if v6 else "IPv4"))
    # By name: localhost resolves (allowed by the policy); the client tries
    # each address until one connects.
    server = start_in_thread(TCPServer4(("127.0.0.1", 0), EchoHandler))
    status, out, err = run_example("tcp_client", ["localhost", str(server.server_address[1]), "by name"],
                                   timeout=30)
    check(status == 0 and out == b"by name\n", "localhost: status %d out %r\n%s" % (status, out, err))
    # Nothing listening: a clean failure.
    port = server.server_address[1]
    server.shutdown()
    server.server_close()
    status, out, err = run_example("tcp_client", ["127.0.0.1", str(port), "x"], timeout=30)
    check(status == 1 and "refused" in err.lower(), "refused: status %d\n%s" % (status, err))
    log("ok: tcp_client by name (localhost) and to a closed port")


def http_get_length():
    www = os.path.join(args.work, "www")
    os.makedirs(www, exist_ok=True)
    body = payload(11, 1_500_000)
    with open(os.path.join(www, "data.bin"), "wb") as f:
        f.write(body)
    with open(os.path.join(www, "empty.txt"), "wb") as f:
        pass
    p, port = python_http_server(www)
    try:
        for host in ("127.0.0.1", "localhost"):
            url = "http://%s:%d/data.bin" % (host, port)
            status, out, err = run_example("http_get", ["-v", url], timeout=60)
            check(status == 0, "status %d\n%s" % (status, err))
            check(out == body, "body: %d bytes instead of %d" % (len(out), len(body)))
            check(re.search(r"^< HTTP/1\.[01] 200", err, re.M), "-v shows no status line:\n" + err)
            check("Content-Length: 1500000" in err, "-v shows no Content-Length:\n" + err)
        status, out, err = run_example("http_get", ["http://127.0.0.1:%d/empty.txt" % port], timeout=30)
        check(status == 0 and out == b"", "empty file: status %d out %r\n%s" % (status, out[:100], err))
        status, out, err = run_example("http_get", ["http://127.0.0.1:%d/missing" % port], timeout=30)
        check(status == 3 and "404" in err, "404: status %d\n%s" % (status, err))
        status, out, err = run_example("http_get", ["https://127.0.0.1:%d/" % port], timeout=30)
        check(status == 2, "https: status %d\n%s" % (status, err))
    finally:
        kill(p)
    log("ok: http_get against python3 -m http.server (Content-Length, by address and by name, 404)")


def http_get_chunked():
    for v6 in (False, True):
        server = test_http_server(v6)
        base = "http://%s:%d" % ("[::1]" if v6 else "127.0.0.1", server.server_address[1])
        status, out, err = run_example("http_get", ["-v", base + "/chunked"], timeout=60)
        check(status == 0 and out == CHUNKED_BODY, "chunked: status %d, %d bytes\n%s" % (status, len(out), err[-2000:]))
        check(re.search(r"^< Transfer-Encoding: chunked", err, re.M), "-v: no Transfer-Encoding\n" + err)
        status, out, err = run_example("http_get", [base + "/chunked-empty"], timeout=30)
        check(status == 0 and out == b"", "empty chunked: status %d out %r\n%s" % (status, out[:80], err))
        status, out, err = run_example("http_get", [base + "/headers"], timeout=30)
        text = out.decode(errors="replace")
        check(status == 0 and "GET /headers HTTP/1.1" in text, "request line: %r" % text)
        hostport = "%s:%d" % ("[::1]" if v6 else "127.0.0.1", server.server_address[1])
        for h in ("Host: " + hostport, "Connection: close", "User-Agent: "):
            check(h in text, "request lacks %r:\n%s" % (h, text))
        status, out, err = run_example("http_get", [base + "/continue"], timeout=30)
        check(status == 0 and out == b"after continue\n", "100 Continue: status %d out %r" % (status, out))
        status, out, err = run_example("http_get", [base + "/short"], timeout=30)
        check(status == 1 and out == b"only a little", "short body: status %d out %r\n%s" % (status, out, err))
        server.shutdown()
        server.server_close()
        log("ok: http_get over %s (chunked with extensions and trailers, headers sent, 100, short body)"
            % ("IPv6" if v6 else "IPv4"))


def curl_fetch_variants():
    yield "curl_fetch", example_cmd
    real = os.path.join(args.work, "curl_fetch_libcurl")
    if args.mode == "native" and os.path.exists(real):
        yield "curl_fetch (real libcurl)", lambda name, argv: [real] + argv


def curl_fetch():
    www = os.path.join(args.work, "www-curl")
    os.makedirs(www, exist_ok=True)
    body = payload(12, 800_000)
    with open(os.path.join(www, "data.bin"), "wb") as f:
        f.write(body)
    p, port = python_http_server(www)
    server = test_http_server()
    base = "http://127.0.0.1:%d" % server.server_address[1]
    try:
        for label, cmd in curl_fetch_variants():
            def fetch(argv, timeout=60):
                return run(cmd("curl_fetch", argv), timeout=timeout)
            status, out, err = fetch(["http://localhost:%d/data.bin" % port])
            check(status == 0 and out == body, "%s Content-Length: status %d, %d bytes\n%s" % (label, status, len(out), err))
            check("response code: 200" in err, "%s: no response code\n%s" % (label, err))
            status, out, err = fetch([base + "/chunked"])
            check(status == 0 and out == CHUNKED_BODY, "%s chunked: status %d, %d bytes\n%s" % (label, status, len(out), err))
            # Redirects: followed with -L (FOLLOWLOCATION), else the 302 itself.
            status, out, err = fetch(["-L", base + "/redirect"])
            check(status == 0 and out == CHUNKED_BODY and "response code: 200" in err,
                  "%s -L: status %d, %d bytes\n%s" % (label, status, len(out), err))
            status, out, err = fetch(["-L", base + "/dir/redirect-relative"])
            check(status == 0 and out == CHUNKED_BODY, "%s relative -L: status %d\n%s" % (label, status, err))
            status, out, err = fetch([base + "/redirect"])
            check(status == 0 and out == b"moved\n" and "response code: 302" in err,
                  "%s no -L: status %d out %r\n%s" % (label, status, out, err))
            status, out, err = fetch(["-L", base + "/loop"])
            check(status == 47, "%s redirect loop: status %d (want 47)\n%s" % (label, status, err))
            status, out, err = fetch(["-f", base + "/missing"])
            check(status == 22 and "response code: 404" in err, "%s -f 404: status %d\n%s" % (label, status, err))
            # CURLOPT_TIMEOUT against a server that takes the request and never answers.
            t0 = time.monotonic()
            status, out, err = fetch(["-t", "2", base + "/hang"], timeout=30)
            took = time.monotonic() - t0
            check(status == 28, "%s timeout: status %d (want 28)\n%s" % (label, status, err))
            check(1.5 <= took < 15, "%s timeout took %.1fs" % (label, took))
            log("ok: %s (Content-Length, chunked, FOLLOWLOCATION, relative redirect, loop, 404, TIMEOUT in %.1fs)"
                % (label, took))
    finally:
        kill(p)
        server.shutdown()
        server.server_close()


def minicurl_api():
    """minicurl's constants are libcurl's; its error paths give libcurl's codes."""
    status, out, err = run_example("minicurl_api", [], timeout=30)
    check(status == 0, "status %d\n%s" % (status, err))
    # The same program against the real <curl/curl.h>, on the host.
    real = os.path.join(args.work, "minicurl_api_libcurl")
    status, _, cerr = run([os.environ.get("CC") or "cc", "-O2", os.path.join(HERE, "minicurl_api.c"),
                           "-lcurl", "-o", real], timeout=120)
    if status != 0:
        log("ok: minicurl API checks (libcurl not installed: values not compared)")
        return 0
    status, real_out, rerr = run([real], timeout=30)
    check(status == 0, "libcurl build: status %d\n%s" % (status, rerr))
    mine, theirs = out.decode().splitlines(), real_out.decode().splitlines()
    diff = [a + " vs libcurl's " + b for a, b in zip(mine, theirs) if a != b]
    check(len(mine) == len(theirs) and not diff, "values differ from libcurl's:\n" + "\n".join(diff))
    log("ok: minicurl API checks; %d names have libcurl's values" % len(mine))


class UDPEcho4(socketserver.ThreadingUDPServer):
    daemon_threads = True


class UDPEcho6(UDPEcho4):
    address_family = socket.AF_INET6


class UDPEchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data, self.client_address)


def udp():
    for v6 in (False, True):
        host = "::1" if v6 else "127.0.0.1"
        fam = socket.AF_INET6 if v6 else socket.AF_INET
        # The example as server, Python as client.
        n = 10
        srv = Server("udp_echo_server", (["-6"] if v6 else ["-4"]) +
                     ["--bind", host, "--exit-after", str(n), "-q", "0"])
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.settimeout(5)
        for i in range(n):
            msg = payload(200 + i, [0, 1, 100, 1400, 8000, 60000][i % 6])
            s.sendto(msg, (host, srv.port))
            got, frm = s.recvfrom(65536)
            check(got == msg, "datagram %d: %d bytes back instead of %d" % (i, len(got), len(msg)))
            check(frm[1] == srv.port, "reply from port %d" % frm[1])
        s.close()
        srv.wait(20)
        # The example as client, Python as server.
        server = start_in_thread((UDPEcho6 if v6 else UDPEcho4)((host, 0), UDPEchoHandler))
        msgs = ["hello", "datagram two", "x" * 1000]
        status, out, err = run_example("udp_echo_client", [host, str(server.server_address[1])] + msgs, timeout=30)
        check(status == 0 and out.decode() == "".join(m + "\n" for m in msgs),
              "client: status %d out %r\n%s" % (status, out[:200], err))
        server.shutdown()
        server.server_close()
        log("ok: UDP echo over %s, server and client roles" % ("IPv6" if v6 else "IPv4"))
    # No server: the client gives up after its retries.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))  # a port that answers nothing
    port = s.getsockname()[1]
    status, out, err = run_example("udp_echo_client", ["-t", "200", "-r", "2", "127.0.0.1", str(port), "lost"], timeout=30)
    s.close()
    check(status == 1 and "no reply" in err, "no server: status %d\n%s" % (status, err))
    log("ok: udp_echo_client reports a missing reply")


def dns_allowed():
    status, out, err = run_example("dns_lookup", ["localhost"], timeout=30)
    text = out.decode(errors="replace")
    check(status == 0, "status %d\n%s" % (status, err))
    check(re.search(r"^inet6?\s+(stream|dgram)\s+(127\.0\.0\.1|::1)$", text, re.M), "no loopback address:\n" + text)
    status, out, err = run_example("dns_lookup", ["-t", "stream", "localhost", "8080"], timeout=30)
    check(status == 0 and re.search(r"stream\s+(127\.0\.0\.1|::1) port 8080", out.decode()), "with service: %r" % out)
    # Numeric hosts need no resolution.
    status, out, err = run_example("dns_lookup", ["-t", "dgram", "::1"], timeout=30)
    check(status == 0 and out.decode().split() == ["inet6", "dgram", "::1"], "numeric ::1: %r %s" % (out, err))
    log("ok: dns_lookup localhost ->\n" + text.rstrip())


def dns_denied():
    if args.mode == "native":
        log("skipped: name-resolution policy exists only under wasmaot")
        return SKIP
    # No --allow-resolve, and a --policy whose network section has no resolve rule.
    policy = os.path.join(args.work, "no-resolve.json")
    with open(policy, "w") as f:
        f.write('{"version": 1, "network": {"connect": ["127.0.0.1"]}}\n')
    for flags in (["--addr-pool=127.0.0.1/32"], ["--policy", policy]):
        status, out, err = run_example("dns_lookup", ["localhost"], policy=flags, timeout=30)
        check(status == 2 and out == b"", "%s: status %d out %r" % (flags, status, out))
        check("dns_lookup: localhost:" in err and "ermission" in err,
              "%s: unclear failure message: %r" % (flags, err))
        log("ok: denied with %s: %s" % (" ".join(flags), err.strip()))
    # A name the policy does not list, while localhost is allowed.
    status, out, err = run_example("dns_lookup", ["example.invalid"], timeout=30)
    check(status == 2 and out == b"", "unlisted name: status %d out %r" % (status, out))
    log("ok: unlisted name refused: " + err.strip())


TESTS = {
    "echo_server_v4": lambda: echo_server(False) or echo_server(False, 8, max_clients=3),
    "echo_server_v6": lambda: echo_server(True),
    # One guest thread per connection (-pthread), 50 clients at once.
    "thread_server_v4": lambda: echo_server(False, 50, server="tcp_thread_server"),
    "thread_server_v6": lambda: echo_server(True, 50, server="tcp_thread_server"),
    "tcp_client": tcp_client,
    "http_get_length": http_get_length,
    "http_get_chunked": http_get_chunked,
    "curl_fetch": curl_fetch,
    "minicurl_api": minicurl_api,
    "udp": udp,
    "dns_allowed": dns_allowed,
    "dns_denied": dns_denied,
}


def have_ipv6_loopback():
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
        s.close()
        return True
    except OSError:
        return False


def main():
    global args
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["wasm", "native"], required=True)
    ap.add_argument("--bin-dir", required=True, help="directory of wasmaot and wasmaot-cc")
    ap.add_argument("--src", required=True, help="guest-sdk/examples")
    ap.add_argument("--work", required=True, help="where the builds live")
    ap.add_argument("test", choices=["build"] + sorted(TESTS))
    args = ap.parse_args()
    if args.test != "build":
        missing = [n for n in EXAMPLES + ["minicurl_api"] if not os.path.exists(
            os.path.join(args.work, n + (".so" if args.mode == "wasm" else "")))]
        if missing:
            print("examples not built in %s (run the build test first): %s" % (args.work, missing))
            return 1
    if args.test.endswith("_v6") and not have_ipv6_loopback():
        print("skipped: no IPv6 loopback")
        return SKIP
    try:
        result = build() if args.test == "build" else TESTS[args.test]()
        return result or 0
    except Fail as e:
        print("FAIL (%s, %s): %s" % (args.test, args.mode, e), flush=True)
        return 1
    finally:
        kill_all()
        for s in HANG_SOCKETS:
            try:
                s.close()
            except OSError:
                pass


if __name__ == "__main__":
    sys.exit(main())

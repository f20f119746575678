#!/usr/bin/env python3
"""Runs one socket or policy test case: the guest (socket_guest.so, built
from socket_guest.c with wasmaot-cc and compiled by wasmaot) under
`wasmaot run` against native Python peers on loopback only (127.0.0.1,
::1). Every peer binds port 0, so parallel runs never collide; every wait is
bounded. Usage:
    run_socket_test.py CASE --wasmaot BIN --guest GUEST.so [--probe PROBE.so]
Exit 0 when the case passes; otherwise the reason on stderr and exit 1.
"""
import argparse
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ARGS = None
TIMEOUT = 30


class Failure(Exception):
    pass


def check(cond, what, out=""):
    if not cond:
        raise Failure(what + ("\n--- output ---\n" + out if out else ""))


def fam(v):
    return socket.AF_INET6 if v == 6 else socket.AF_INET


def lo(v):
    return "::1" if v == 6 else "127.0.0.1"


def pool(v):
    return "--addr-pool=::1/128" if v == 6 else "--addr-pool=127.0.0.1/32"


def run(guest_args, flags=(), timeout=TIMEOUT, so=None):
    cmd = [ARGS.wasmaot, "run", *flags, so or ARGS.guest, *guest_args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def start(guest_args, flags=()):
    cmd = [ARGS.wasmaot, "run", *flags, ARGS.guest, *guest_args]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.startswith("port "):
        p.kill()
        raise Failure("guest server did not report a port: %r %s" % (line, p.stderr.read()))
    return p, int(line.split()[1])


def finish(p):
    try:
        out, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        raise Failure("guest did not finish")
    return p.returncode, out, err


def listener(v, kind=socket.SOCK_STREAM):
    s = socket.socket(fam(v), kind)
    s.bind((lo(v), 0))
    if kind == socket.SOCK_STREAM:
        s.listen(8)
    s.settimeout(TIMEOUT)
    return s, s.getsockname()[1]


def serve(s, handler):
    """Accepts one connection on s in a thread and runs handler(conn)."""
    def body():
        try:
            conn, _ = s.accept()
            conn.settimeout(TIMEOUT)
            handler(conn)
        except OSError:
            pass
    t = threading.Thread(target=body, daemon=True)
    t.start()
    return t


def free_port(v):
    s = socket.socket(fam(v), socket.SOCK_STREAM)
    s.bind((lo(v), 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- socket cases --------------------------------------------------------------

def case_tcp_client(v):
    s, port = listener(v)

    def echo(conn):
        data = b""
        while True:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        conn.sendall(b"echo:" + data)
        conn.close()
    serve(s, echo)
    rc, out, err = run(["tcp-client", str(v), str(port)], [pool(v)])
    check(rc == 0 and "reply echo:hello from wasm" in out and "eof" in out, "tcp client", out + err)


def case_tcp_server(v):
    p, port = start(["tcp-server", str(v)], [pool(v)])
    c = socket.create_connection((lo(v), port), timeout=TIMEOUT)
    c.sendall(b"hello server")
    c.shutdown(socket.SHUT_WR)
    data = b""
    while True:
        chunk = c.recv(4096)  # ECONNRESET here would mean the guest's close sent RST
        if not chunk:
            break
        data += chunk
    c.close()
    rc, out, err = finish(p)
    check(data == b"HELLO SERVER", "reply %r" % data, out + err)
    check(rc == 0 and "served 12" in out and ("peer family %d" % v) in out, "tcp server", out + err)


def case_udp_server(v):
    p, port = start(["udp-server", str(v)], [pool(v)])
    c = socket.socket(fam(v), socket.SOCK_DGRAM)
    c.settimeout(TIMEOUT)
    c.sendto(b"datagram", (lo(v), port))
    data, src = c.recvfrom(512)
    rc, out, err = finish(p)
    check(data == b"DATAGRAM" and src[1] == port, "udp reply %r from %r" % (data, src), out + err)
    check(rc == 0 and "answered 8" in out, "udp server", out + err)


def udp_peer(v):
    s, port = listener(v, socket.SOCK_DGRAM)

    def body():
        try:
            data, src = s.recvfrom(512)
            s.sendto(data.upper(), src)
        except OSError:
            pass
    threading.Thread(target=body, daemon=True).start()
    return port


def case_udp_client(v):
    port = udp_peer(v)
    rc, out, err = run(["udp-client", str(v), str(port)], [pool(v)])
    check(rc == 0 and "answer PING OVER UDP" in out and ("from port %d" % port) in out, "udp client", out + err)


def case_udp_connected(v):
    port = udp_peer(v)
    rc, out, err = run(["udp-client", str(v), str(port), "connect"], [pool(v)])
    check(rc == 0 and "answer PING OVER UDP" in out, "connected udp client", out + err)


def case_pair(v):
    rc, out, err = run(["pair", str(v)], [pool(v)])
    want = ["poll listener 1 in", "peek 4 abcd", "waitall 12 abcdefghijkl",
            "after peer SHUT_WR recv 0 hup yes", "reply after half-close 4 4 back",
            "writev 100 iovecs 100 100 same"]
    for w in want:
        check(w in out, "missing %r" % w, out + err)
    check(rc == 0, "exit %d" % rc, out + err)


def case_readiness(v):
    """poll() readiness: the wasm build must print what the native build of
    the same C prints (poll(2) is the oracle), once with the socket under
    test alone (poll_oneoff's ppoll path) and once beside 600 idle
    connections (its libuv-loop path, sockets registered between calls)."""
    native = os.path.join(tempfile.mkdtemp(prefix="readiness-"), "socket_guest.native")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "socket_guest.c")
    subprocess.run([os.environ.get("CC", "cc"), "-O2", src, "-o", native], check=True)
    manifest = os.path.join(os.path.dirname(native), "fds.json")
    with open(manifest, "w") as f:
        json.dump({"version": 1, "limits": {"open_fds": 2048}}, f)
    for extras in ("0", "600"):
        want = subprocess.run([native, "readiness", str(v), extras], capture_output=True, text=True,
                              timeout=TIMEOUT)
        check(want.returncode == 0, "native build exited %d" % want.returncode, want.stdout + want.stderr)
        rc, out, err = run(["readiness", str(v), extras], [pool(v), "--policy", manifest])
        check(rc == 0, "exit %d (%s idle extras)" % (rc, extras), out + err)
        check(out == want.stdout, "differs from the native build with %s idle extras:\n--- native ---\n%s"
              % (extras, want.stdout), out + err)
        check("blocking recv -1 EAGAIN waited yes" in out, "the native run itself is off", out)


def case_reset(v):
    s, port = listener(v)

    def rst(conn):
        time.sleep(0.2)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()
    serve(s, rst)
    rc, out, err = run(["reset", str(v), str(port)], [pool(v)])
    check("recv -1 ECONNRESET" in out, "recv after reset", out + err)
    check(("send EPIPE" in out or "send ECONNRESET" in out) and "alive" in out and rc == 0, "send after reset",
          out + err)


def case_sigpipe(v):
    s, port = listener(v)
    serve(s, lambda conn: conn.close())
    rc, out, err = run(["sigpipe", str(v), str(port)], [pool(v)])
    check(rc == 0 and "eof 0" in out and "write EPIPE-or-ECONNRESET" in out and "alive" in out,
          "write to a closed peer", out + err)


def case_timeout(v):
    s, port = listener(v)
    serve(s, lambda conn: time.sleep(3))
    rc, out, err = run(["timeout", str(v), str(port)], [pool(v)])
    check(rc == 0 and "recv -1 EAGAIN" in out and "waited about 200ms" in out, "recv timeout", out + err)


def case_nbconnect(v):
    s, port = listener(v)
    serve(s, lambda conn: time.sleep(1))
    rc, out, err = run(["nbconnect", str(v), str(port)], [pool(v)])
    check(rc == 0 and ("connect EINPROGRESS" in out or "connect OK" in out), "nb connect", out + err)
    check("poll 1 ready" in out and "so_error OK" in out and "nonblocking recv EAGAIN" in out, "nb connect", out + err)
    closed = free_port(v)
    rc, out, err = run(["nbconnect", str(v), str(closed)], [pool(v)])
    check(rc == 0 and ("so_error ECONNREFUSED" in out or "connect ECONNREFUSED" in out), "refused", out + err)


def case_resolve():
    rc, out, err = run(["resolve", "localhost"], ["--allow-resolve=localhost"])
    check(rc == 0 and "resolved v4" in out and "port80 yes" in out, "resolve allowed", out + err)
    rc, out, err = run(["resolve", "localhost"], [])
    check(rc == 0 and "errno EACCES" in out, "resolve denied by default", out + err)
    rc, out, err = run(["resolve", "localhost"], ["--allow-resolve=*.example.com"])
    check(rc == 0 and "errno EACCES" in out, "resolve denied by pattern", out + err)
    rc, out, err = run(["resolve", "127.0.0.1"], [])
    check(rc == 0 and "resolved v4" in out, "numeric host needs no rule", out + err)
    rc, out, err = run(["resolve", "does-not-exist.invalid"], ["--allow-resolve=*"])
    check(rc == 0 and out.startswith("gai -2 "), "nonexistent name is EAI_NONAME", out + err)


def case_raw_abi_probe():
    check(ARGS.probe, "--probe not given")
    flags = ["--addr-pool=127.0.0.1/32,::1/128", "--allow-resolve=localhost",
             "--allow-resolve=does-not-exist.invalid"]
    rc, out, err = run([], flags, so=ARGS.probe)
    check("FAIL" not in out and rc == 0, "probe failures", out + err)
    for want in ["tcp4 recv peek data: ok", "tcp6 recv peek data: ok", "tcp4 recv times out with EAGAIN: ok",
                 "tcp4 half-close: reply after SHUT_WR: ok", "tcp6 half-close: reply after SHUT_WR: ok",
                 "tcp4 sock_close: info errno=0", "tcp4 recv_from source = peer: ok",
                 "udp4 recv_from source = sender: ok", "udp6 recv_from source = sender: ok",
                 "resolve nonexistent name: ok", "raw_abi_probe: 0 failure(s)"]:
        check(want in out, "probe line %r" % want, out)
    check("getter wrote" not in out, "an option getter wrote more than its ABI width", out)


# ---- policy cases ----------------------------------------------------------------

def policy_file(tmp, network):
    path = os.path.join(tmp, "policy.json")
    with open(path, "w") as f:
        json.dump({"version": 1, "network": network}, f)
    return path


def connect_result(v, proto, addr, port, flags):
    rc, out, err = run(["try-connect", str(v), proto, addr, str(port)], flags)
    check(rc == 0, "try-connect exit %d" % rc, out + err)
    return out, err


def case_policy_rules():
    s4, p4 = listener(4)
    s6, p6 = listener(6)
    threading.Thread(target=lambda: [s4.accept() for _ in range(100)], daemon=True).start()
    threading.Thread(target=lambda: [s6.accept() for _ in range(100)], daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        def expect(network, v, proto, port, want, extra=(), addr="lo"):
            out, err = connect_result(v, proto, addr, port, ["--policy", policy_file(tmp, network), *extra])
            check(("connect " + want) in out, "connect %s v%d %s with %r" % (proto, v, want, network), out + err)
            return out, err
        # CIDR v4 / v6
        expect({"connect": ["127.0.0.0/8"]}, 4, "tcp", p4, "OK")
        expect({"connect": ["127.0.0.2/32"]}, 4, "tcp", p4, "EACCES")
        expect({"connect": ["[::1]/128"]}, 6, "tcp", p6, "OK")
        expect({"connect": ["[::2]/128"]}, 6, "tcp", p6, "EACCES")
        expect({"connect": ["0.0.0.0/0"]}, 6, "tcp", p6, "EACCES")  # v4 rules never cover v6
        # port ranges
        expect({"connect": ["127.0.0.1:%d-%d" % (p4, p4)]}, 4, "tcp", p4, "OK")
        expect({"connect": ["127.0.0.1:1-1023"]}, 4, "tcp", p4, "EACCES")
        expect({"connect": ["[::1]:%d" % p6]}, 6, "tcp", p6, "OK")
        # direction: a bind rule does not allow connect
        expect({"bind": ["127.0.0.0/8"]}, 4, "tcp", p4, "EACCES")
        # tcp:/udp:
        expect({"connect": ["tcp:127.0.0.1"]}, 4, "tcp", p4, "OK")
        expect({"connect": ["udp:127.0.0.1"]}, 4, "tcp", p4, "EACCES")
        out, _ = expect({"connect": ["udp:127.0.0.1"]}, 4, "udp", p4, "OK")
        check("sendto OK" in out, "udp sendto allowed", out)
        out, _ = expect({"connect": ["tcp:127.0.0.1"]}, 4, "udp", p4, "EACCES")
        check("sendto EACCES" in out, "udp sendto denied", out)
        # no network by default
        expect({}, 4, "tcp", p4, "EACCES")
        # --addr-pool adds to the manifest
        expect({}, 4, "tcp", p4, "OK", ["--addr-pool=127.0.0.0/8"])
        expect({}, 6, "tcp", p6, "EACCES", ["--addr-pool=127.0.0.0/8"])
        # tracing names the rule
        _, err = expect({"connect": ["127.0.0.0/8:1024-65535"]}, 4, "tcp", p4, "OK", ["--trace-policy"])
        want = 'policy: connect tcp 127.0.0.1:%d allowed by network.connect[0] "127.0.0.0/8:1024-65535"' % p4
        check(want in err, "trace line", err)
        _, err = expect({}, 4, "tcp", p4, "EACCES", ["--trace-policy"])
        check("policy: connect tcp 127.0.0.1:%d denied" % p4 in err, "trace denied", err)


def case_policy_bind():
    with tempfile.TemporaryDirectory() as tmp:
        def expect(network, v, proto, addr, port, want, mode=()):
            rc, out, err = run(["try-bind", str(v), proto, addr, str(port), *mode],
                               ["--policy", policy_file(tmp, network)])
            verb = "listen " if mode else "bind "
            check(rc == 0 and (verb + want) in out, "%s%s v%d %s %s:%d with %r" % (verb, want, v, proto, addr, port,
                                                                                 network), out + err)
        expect({"bind": ["127.0.0.1"]}, 4, "tcp", "lo", 0, "OK")
        expect({"bind": ["127.0.0.2"]}, 4, "tcp", "lo", 0, "EACCES")
        expect({"bind": ["[::1]/128"]}, 6, "udp", "lo", 0, "OK")
        expect({"bind": ["[::1]/128"]}, 4, "udp", "lo", 0, "EACCES")
        port = free_port(4)
        expect({"bind": ["tcp:127.0.0.1:%d" % port]}, 4, "tcp", "lo", port, "OK")
        expect({"bind": ["tcp:127.0.0.1:%d" % port]}, 4, "tcp", "lo", 0, "EACCES")  # ephemeral not in range
        expect({"bind": ["udp:127.0.0.1"]}, 4, "tcp", "lo", 0, "EACCES")
        expect({"connect": ["127.0.0.1"]}, 4, "tcp", "lo", 0, "EACCES")  # direction
        # listen on an unbound socket binds the wildcard: a bind decision
        expect({"bind": ["0.0.0.0/0"]}, 4, "tcp", "lo", 0, "OK", ["listen-unbound"])
        expect({"bind": ["127.0.0.1"]}, 4, "tcp", "lo", 0, "EACCES", ["listen-unbound"])


def case_policy_dns():
    s, port = listener(4)
    threading.Thread(target=lambda: [s.accept() for _ in range(20)], daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        def go(network, args):
            rc, out, err = run(args, ["--policy", policy_file(tmp, network), "--trace-policy"])
            check(rc == 0, "exit %d" % rc, out + err)
            return out, err
        out, err = go({"connect": ["dns:localhost"], "resolve": ["localhost"]},
                      ["resolve-connect", "localhost", str(port)])
        check("connect OK" in out, "dns: rule allows the resolved address", out + err)
        check('allowed by network.connect[0] "dns:localhost"' in err, "dns trace", err)
        out, err = go({"connect": ["dns:localhost:1-1023"], "resolve": ["localhost"]},
                      ["resolve-connect", "localhost", str(port)])
        check("connect EACCES" in out, "dns: rule port range", out + err)
        out, err = go({"connect": ["dns:*.example.com"], "resolve": ["localhost"]},
                      ["resolve-connect", "localhost", str(port)])
        check("connect EACCES" in out, "dns: pattern does not match", out + err)
        out, err = go({"connect": ["dns:localhost"]}, ["try-connect", "4", "tcp", "lo", str(port)])
        check("connect EACCES" in out, "dns: rule without a resolution", out + err)
        out, err = go({"connect": ["dns:*"], "resolve": ["*"]}, ["resolve-connect", "127.0.0.1", str(port)])
        check("connect EACCES" in out, "numeric 'resolution' teaches dns: rules nothing", out + err)
        out, err = go({"resolve": ["localhost"]}, ["resolve", "localhost"])
        check("resolved v4" in out and 'resolve "localhost" allowed by network.resolve[0]' in err, "resolve rule",
              out + err)
        out, err = go({"resolve": ["*.localdomain"]}, ["resolve", "localhost"])
        check("errno EACCES" in out, "resolve denied", out + err)


def case_policy_malformed():
    bad = [
        ({"version": 1, "network": {"connect": ["127.0.0.1:80-70"]}}, 'network.connect[0]: bad port range "80-70"'),
        ({"version": 1, "network": {"connect": ["ok.invalid"]}}, "network.connect[0]: bad IPv4 address"),
        ({"version": 1, "network": {"connect": ["127.0.0.1", "::1"]}}, "network.connect[1]: IPv6 address must be in brackets"),
        ({"version": 1, "network": {"bind": ["127.0.0.1/40"]}}, 'network.bind[0]: bad prefix length "40"'),
        ({"version": 1, "network": {"bind": ["dns:localhost"]}}, "network.bind[0]: dns: rules are for connect only"),
        ({"version": 1, "network": {"resolve": ["*bad*"]}}, "network.resolve[0]: bad name pattern"),
        ({"version": 1, "network": {"listen": []}}, "network.listen: unknown key"),
        ({"version": 1, "network": {"connect": "127.0.0.1"}}, "network.connect: expected an array"),
        ({"version": 1, "network": {"connect": [80]}}, "network.connect[0]: expected a string"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for doc, want in bad:
            path = os.path.join(tmp, "bad.json")
            with open(path, "w") as f:
                json.dump(doc, f)
            rc, out, err = run(["try-connect", "4", "tcp", "lo", "1"], ["--policy", path])
            check(rc == 2 and want in err and out == "", "malformed %r: exit %d" % (doc, rc), err)
    for flag, want in [("--addr-pool=127.0.0.1", "--addr-pool '127.0.0.1'"),
                       ("--addr-pool=127.0.0.1:80/32", "--addr-pool"),
                       ("--addr-pool=10.0.0.0/8,", "empty entry"),
                       ("--allow-resolve=a b", "--allow-resolve 'a b'")]:
        rc, out, err = run(["try-connect", "4", "tcp", "lo", "1"], [flag])
        check(rc == 2 and want in err and out == "", "flag %s: exit %d" % (flag, rc), err)


CASES = {
    "tcp_client": case_tcp_client, "tcp_server": case_tcp_server, "udp_server": case_udp_server,
    "udp_client": case_udp_client, "udp_connected": case_udp_connected, "pair": case_pair,
    "readiness": case_readiness, "reset": case_reset, "sigpipe": case_sigpipe, "timeout": case_timeout, "nbconnect": case_nbconnect,
}


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("case")
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--guest", required=True)
    ap.add_argument("--probe")
    ARGS = ap.parse_args()
    name = ARGS.case
    try:
        if name.endswith("_v4") or name.endswith("_v6"):
            CASES[name[:-3]](int(name[-1]))
        else:
            globals()["case_" + name]()
    except Failure as f:
        print("FAIL %s: %s" % (name, f), file=sys.stderr)
        return 1
    except subprocess.TimeoutExpired as t:
        print("FAIL %s: timed out: %s" % (name, t), file=sys.stderr)
        return 1
    print("ok %s" % name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

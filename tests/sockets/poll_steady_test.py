#!/usr/bin/env python3
"""A steady poll() server loop must not re-register its sockets per call.

Runs guest-sdk/examples/tcp_echo_server.c (built with wasmaot-cc, compiled
by wasmaot) under `strace -f -c`, serving 8 active loopback connections,
in two set-ups that take poll_oneoff's two paths:
  direct  the 8 connections alone (a ppoll per call, nothing registered);
  loop    the 8 beside 600 idle ones (past the ppoll limit: the libuv loop,
          sockets registered for the life of the fd, one epoll_wait a call).
Each set-up runs twice, for a few echoes per connection and for ten times
as many; each echo costs the server at least one poll_oneoff. The calls
that change registrations or blocking modes -- epoll_ctl, fcntl, ioctl --
must not grow with the number of poll calls: the long run may make at most
a handful more than the short one (per-call churn would add thousands). It
also checks that each path's wait was really used (ppoll, epoll_wait), that
the loop path registered the sockets, and that every byte was echoed.

  poll_steady_test.py --wasmaot BIN --server tcp_echo_server.so --work DIR
Exit status 0 pass, 1 fail, 77 skipped (no strace).
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from strace_counts import syscall_counts  # noqa: E402

CONNECTIONS = 8
IDLE = 600  # above the runtime's ppoll limit (512 fds)
SHORT, LONG = 20, 200  # echoes per active connection
CHURN_CALLS = ("epoll_ctl", "fcntl", "ioctl")
SLACK = 8  # registration calls the long run may make beyond the short one


def serve(args, echoes_per_connection, idle, name):
    out = os.path.join(args.work, name + ".strace")
    manifest = os.path.join(args.work, "fds.json")
    with open(manifest, "w") as f:
        f.write('{"version": 1, "limits": {"open_fds": 2048}}')
    cmd = ["strace", "-f", "-c", "-o", out, args.wasmaot, "run", "--addr-pool=127.0.0.1/32", "--policy", manifest,
           args.server, "--bind", "127.0.0.1", "--max-clients", str(CONNECTIONS + idle + 8),
           "--exit-after", str(CONNECTIONS + idle), "-q", "0"]
    # LeakSanitizer cannot run under ptrace: in a sanitizer build
    # (tools/sanitize.sh) the traced server runs without it.
    env = dict(os.environ)
    if env.get("ASAN_OPTIONS"):
        env["ASAN_OPTIONS"] += ":detect_leaks=0"
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = server.stdout.readline()
        m = re.match(r"listening on (\d+)", line)
        if not m:
            raise SystemExit("FAIL: server did not start: %r %s" % (line, server.stderr.read()))
        port = int(m.group(1))
        idlers = [socket.create_connection(("127.0.0.1", port), timeout=20) for _ in range(idle)]
        conns = [socket.create_connection(("127.0.0.1", port), timeout=20) for _ in range(CONNECTIONS)]
        for k in range(echoes_per_connection):
            for i, c in enumerate(conns):
                msg = bytes([(k + i) % 251]) * 64
                c.sendall(msg)
                got = b""
                while len(got) < len(msg):
                    chunk = c.recv(len(msg) - len(got))
                    if not chunk:
                        raise SystemExit("FAIL: server closed a connection early")
                    got += chunk
                if got != msg:
                    raise SystemExit("FAIL: wrong echo")
        for c in conns + idlers:
            c.close()
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    if server.returncode != 0:
        raise SystemExit("FAIL: server exited with %d: %s" % (server.returncode, server.stderr.read()))
    return syscall_counts(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    if not shutil.which("strace"):
        print("skip: strace is not installed (tools/setup.sh installs it)")
        return 77
    os.makedirs(args.work, exist_ok=True)
    failed = False
    for path, idle, wait_call in (("direct", 0, "ppoll"), ("loop", IDLE, "epoll_wait")):
        short = serve(args, SHORT, idle, path + "-short")
        long = serve(args, LONG, idle, path + "-long")
        echoes_short, echoes_long = SHORT * CONNECTIONS, LONG * CONNECTIONS
        churn_short = sum(short.get(c, 0) for c in CHURN_CALLS)
        churn_long = sum(long.get(c, 0) for c in CHURN_CALLS)
        for name, calls, echoes in (("short", short, echoes_short), ("long", long, echoes_long)):
            print("%s path, %s run: %d echoes, %d idle; %s" % (path, name, echoes, idle, ", ".join(
                "%s %d" % (c, calls.get(c, 0)) for c in CHURN_CALLS + ("ppoll", "epoll_wait", "recvfrom", "sendto"))))
        if long.get(wait_call, 0) < echoes_long // 2:
            print("FAIL: %s path: %d %s calls for %d echoes: that wait was not used"
                  % (path, long.get(wait_call, 0), wait_call, echoes_long))
            failed = True
        if idle and long.get("epoll_ctl", 0) < idle:
            print("FAIL: loop path: %d epoll_ctl calls for %d sockets: they were never registered"
                  % (long.get("epoll_ctl", 0), idle))
            failed = True
        if churn_long > churn_short + SLACK:
            print("FAIL: %s path: epoll_ctl+fcntl+ioctl grew with the number of poll calls: %d for %d echoes, %d for %d"
                  % (path, churn_short, echoes_short, churn_long, echoes_long))
            failed = True
        else:
            print("ok: %s path: epoll_ctl+fcntl+ioctl %d for %d echoes, %d for %d (no per-call registration)"
                  % (path, churn_short, echoes_short, churn_long, echoes_long))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The AssemblyScript guest SDK (guest-sdk/assemblyscript) end to end on
loopback (labels `socket`, `as-sdk`). The `assemblyscript` compiler comes
from the npm registry at test time (into the work directory; nothing is
committed); the examples are compiled with `asc --runtime stub`, then with
`wasmaot compile`, and run under `wasmaot run` against Python peers:

  http_client  GET from `python3 -m http.server` by name: status line and
               body length as served; a connect the policy denies and a
               name it refuses fail with EACCES (WASI errno 2)
  echo_server  three clients in turn, each checking every byte echoed

Exit status 77 (skipped, with the reason) when npm cannot install the
compiler."""
import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
SDK = os.path.join(REPO, "guest-sdk", "assemblyscript")
POLICY = ["--addr-pool=127.0.0.1/32", "--allow-resolve=localhost"]
failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail), flush=True)
    if not ok:
        failures.append(name)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--npm", default="npm")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    npm_dir = os.path.join(a.work, "npm")
    os.makedirs(npm_dir, exist_ok=True)
    shutil.copy(os.path.join(SDK, "package.json"), npm_dir)
    asc = os.path.join(npm_dir, "node_modules", ".bin", "asc")
    if not os.path.exists(asc):
        try:
            r = subprocess.run([a.npm, "install", "--no-audit", "--no-fund"], cwd=npm_dir, capture_output=True,
                               text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as e:
            print("skip: npm could not install assemblyscript: %s" % e)
            return 77
        if r.returncode != 0 or not os.path.exists(asc):
            print("skip: npm could not install assemblyscript: " + (r.stderr.strip().splitlines() or ["?"])[-1])
            return 77
    version = json.load(open(os.path.join(npm_dir, "node_modules", "assemblyscript", "package.json")))["version"]
    print("assemblyscript %s" % version)

    so = {}
    for name in ("http_client", "echo_server"):
        wasm = os.path.join(a.work, name + ".wasm")
        r = subprocess.run([asc, os.path.join(SDK, "examples", name + ".ts"), "--runtime", "stub", "--use", "abort=",
                            "-O2", "-o", wasm], capture_output=True, text=True, timeout=300)
        check("asc %s.ts" % name, r.returncode == 0, r.stderr[-1500:])
        if r.returncode != 0:
            return 1
        so[name] = os.path.join(a.work, name + ".so")
        subprocess.run([a.wasmaot, "compile", wasm, "-o", so[name]], check=True)

    www = tempfile.mkdtemp(prefix="as-sdk-www-")
    body = "".join("row %d\n" % i for i in range(500))
    with open(os.path.join(www, "data.txt"), "w") as f:
        f.write(body)
    port = free_port()
    httpd = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=www,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        r = subprocess.run([a.wasmaot, "run"] + POLICY + [so["http_client"], "localhost", str(port), "/data.txt"],
                           capture_output=True, text=True, timeout=60)
        check("http_client fetches a page by name",
              r.returncode == 0 and r.stdout == "HTTP/1.0 200 OK\nbody: %d characters\n" % len(body),
              "status %d out %r err %r" % (r.returncode, r.stdout, r.stderr))
        r = subprocess.run([a.wasmaot, "run"] + POLICY + [so["http_client"], "127.0.0.2", str(port), "/"],
                           capture_output=True, text=True, timeout=60)
        check("a connect outside --addr-pool fails with EACCES", r.returncode == 1 and "errno 2" in r.stderr,
              "status %d err %r" % (r.returncode, r.stderr))
        r = subprocess.run([a.wasmaot, "run", "--addr-pool=127.0.0.1/32", so["http_client"], "localhost", str(port),
                            "/"], capture_output=True, text=True, timeout=60)
        check("a name without --allow-resolve fails with EACCES", r.returncode == 1 and "errno 2" in r.stderr,
              "status %d err %r" % (r.returncode, r.stderr))
    finally:
        httpd.kill()
        shutil.rmtree(www, ignore_errors=True)

    srv = subprocess.Popen([a.wasmaot, "run"] + POLICY + [so["echo_server"], "127.0.0.1", "0", "3"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        m = re.match(r"listening on (\d+)", line)
        check("echo_server reports its port", bool(m), repr(line))
        if m:
            rnd = random.Random(11)
            for i in range(3):
                data = bytes(rnd.randrange(256) for _ in range(rnd.choice([1, 7000, 250000])))
                c = socket.create_connection(("127.0.0.1", int(m.group(1))), timeout=30)
                got = bytearray()
                reader = threading.Thread(target=lambda: [got.extend(b) for b in iter(lambda: c.recv(65536), b"")])
                reader.start()
                c.sendall(data)
                c.shutdown(socket.SHUT_WR)
                reader.join(60)
                c.close()
                check("echo_server client %d: %d bytes back" % (i, len(data)), bytes(got) == data,
                      "got %d bytes" % len(got))
            status = srv.wait(timeout=30)
            check("echo_server exits after 3 connections", status == 0, "status %s" % status)
    finally:
        if srv.poll() is None:
            srv.kill()

    if failures:
        print("%d failed: %s" % (len(failures), ", ".join(failures)))
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

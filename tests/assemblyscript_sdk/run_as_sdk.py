#!/usr/bin/env python3
"""The AssemblyScript guest SDK (guest-sdk/assemblyscript) end to end on
loopback (labels `socket`, `assemblyscript`). The `assemblyscript` compiler comes
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
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests"))
from e2e_helpers import Checks, echo_round_trips, http_server, start_listening  # noqa: E402

SDK = os.path.join(REPO, "guest-sdk", "assemblyscript")
POLICY = ["--addr-pool=127.0.0.1/32", "--allow-resolve=localhost"]
checks = Checks()
check = checks.check


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
    try:
        with http_server(www) as port:
            r = subprocess.run([a.wasmaot, "run"] + POLICY + [so["http_client"], "localhost", str(port), "/data.txt"],
                               capture_output=True, text=True, timeout=60)
            check("http_client fetches a page by name",
                  r.returncode == 0 and r.stdout == "HTTP/1.0 200 OK\nbody: %d characters\n" % len(body),
                  "status %d out %r err %r" % (r.returncode, r.stdout, r.stderr))
            r = subprocess.run([a.wasmaot, "run"] + POLICY + [so["http_client"], "127.0.0.2", str(port), "/"],
                               capture_output=True, text=True, timeout=60)
            check("a connect outside --addr-pool fails with EACCES", r.returncode == 1 and "errno 2" in r.stderr,
                  "status %d err %r" % (r.returncode, r.stderr))
            r = subprocess.run([a.wasmaot, "run", "--addr-pool=127.0.0.1/32", so["http_client"], "localhost",
                                str(port), "/"], capture_output=True, text=True, timeout=60)
            check("a name without --allow-resolve fails with EACCES", r.returncode == 1 and "errno 2" in r.stderr,
                  "status %d err %r" % (r.returncode, r.stderr))
    finally:
        shutil.rmtree(www, ignore_errors=True)

    srv, port, line = start_listening([a.wasmaot, "run"] + POLICY + [so["echo_server"], "127.0.0.1", "0", "3"])
    try:
        check("echo_server reports its port", port is not None, repr(line))
        if port is not None:
            echo_round_trips(checks, "echo_server", port, [1, 7000, 250000], seed=11)
            status = srv.wait(timeout=30)
            check("echo_server exits after 3 connections", status == 0, "status %s" % status)
    finally:
        if srv.poll() is None:
            srv.kill()

    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())

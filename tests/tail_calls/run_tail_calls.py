#!/usr/bin/env python3
"""Tail calls end to end (label `tail-call`), each result checked against a
second engine (V8 through node:wasi, --experimental-wasm-return-call) or
the native build of the same C:

  mutual.wat  10^8 return_calls / return_call_indirects between functions
              of three signatures finish (constant stack: without tail
              calls they would need gigabytes) with V8's output; ordinary
              deep recursion still traps "call stack exhausted"; a
              return_call_indirect of the wrong type traps.
  interp.c    a threaded-code interpreter built with -mtail-call (30 million
              musttail dispatches) prints what its native build prints.
"""
import argparse
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from e2e_helpers import Checks  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
NODE_RUNNER = os.path.join(REPO, "tests", "simd", "run_wasi_node.mjs")
checks = Checks()
check = checks.check


def run(cmd, timeout=300):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--wasmaot-cc", required=True)
    ap.add_argument("--native-cc", required=True)
    ap.add_argument("--node", default="node")
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    node = [a.node, "--no-warnings", "--experimental-wasm-return-call", NODE_RUNNER]

    wasm = os.path.join(a.work, "mutual.wasm")
    so = os.path.join(a.work, "mutual.so")
    subprocess.run(["wat2wasm", "--enable-tail-call", os.path.join(HERE, "mutual.wat"), "-o", wasm], check=True)
    subprocess.run([a.wasmaot, "compile", "--target-cpu=x86-64", wasm, "-o", so], check=True)
    for scenario in ("direct", "indirect"):
        want = run(node + [wasm, scenario])
        got = run([a.wasmaot, "run", so, scenario])
        check("%s: 10^8 tail calls in constant stack, as V8" % scenario,
              want[0] == 0 and got[0] == 0 and got[1] == want[1] == "%s 100000000\n" % scenario,
              "V8 %r (%d), wasmaot %r (%d) %s" % (want[1], want[0], got[1], got[0], got[2][-300:]))
    status, out, err = run([a.wasmaot, "run", so, "deep"])
    check("ordinary deep recursion still traps", status == 70 and "call stack exhausted" in err, "%d %r" % (status, err))
    status, out, err = run([a.wasmaot, "run", so, "badtype"])
    v8 = run(node + [wasm, "badtype"])
    check("return_call_indirect to a wrong type traps (V8 fails too)",
          status == 70 and "indirect call type mismatch" in err and v8[0] != 0, "%d %r" % (status, err))

    src = os.path.join(HERE, "interp.c")
    native = os.path.join(a.work, "interp.native")
    iwasm = os.path.join(a.work, "interp.wasm")
    iso = os.path.join(a.work, "interp.so")
    subprocess.run([a.native_cc, "-O2", src, "-o", native], check=True)
    subprocess.run([a.wasmaot_cc, "-O2", "-mtail-call", src, "-o", iwasm], check=True)
    dump = subprocess.run(["wasm-objdump", "-d", iwasm], capture_output=True, text=True, check=True).stdout
    check("interp.wasm uses return_call_indirect", "return_call_indirect" in dump)
    subprocess.run([a.wasmaot, "compile", iwasm, "-o", iso], check=True)
    want = run([native])
    got = run([a.wasmaot, "run", iso])
    v8 = run(node + [iwasm])
    check("interpreter with musttail dispatch prints as natively (and as V8)",
          want[0] == got[0] == 0 and got[1] == want[1] == v8[1], "native %r, wasmaot %r (%d) %s, V8 %r" % (
              want[1], got[1], got[0], got[2][-300:], v8[1]))

    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())

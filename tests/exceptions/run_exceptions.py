#!/usr/bin/env python3
"""Exception handling end to end (label `exceptions`), each result checked
against the native build of the same C or a second engine (V8 through
node:wasi):

  sjlj_recovery.c  setjmp/longjmp error recovery (an evaluator, nested
                   protected calls, a longjmp out of a qsort comparator,
                   longjmp(env, 0), 20,000 round trips) built with wasmaot-cc
                   prints exactly what its native build prints, at -O0 and
                   -O2, and what V8 prints;
  uncaught.wat     an exception nothing catches ends `wasmaot run` like a
                   trap: exit status 70, a message naming the tag, output
                   written before it kept; V8 fails too.
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
    node = [a.node, "--no-warnings", NODE_RUNNER]

    src = os.path.join(HERE, "sjlj_recovery.c")
    native = os.path.join(a.work, "sjlj_recovery.native")
    wasm = os.path.join(a.work, "sjlj_recovery.wasm")
    subprocess.run([a.native_cc, "-O2", "-Wall", "-Werror", src, "-o", native], check=True)
    subprocess.run([a.wasmaot_cc, "-O2", "-Wall", "-Werror", src, "-o", wasm], check=True)
    dump = subprocess.run(["wasm-objdump", "-d", wasm], capture_output=True, text=True, check=True).stdout
    ops = {line.split("|")[-1].split()[0] for line in dump.splitlines() if "|" in line and line.split("|")[-1].split()}
    check("sjlj_recovery.wasm uses exception handling (try, catch, delegate, throw)",
          {"try", "catch", "delegate", "throw"} <= ops, sorted(ops & {"try", "catch", "catch_all", "delegate", "throw"}))
    want = run([native])
    check("native build runs", want[0] == 0 and want[1].count("\n") > 20, "%d %r" % (want[0], want[2][-300:]))
    for level in ("-O2", "-O0"):
        so = os.path.join(a.work, "sjlj_recovery%s.so" % level)
        subprocess.run([a.wasmaot, "compile", level, wasm, "-o", so], check=True)
        got = run([a.wasmaot, "run", so])
        check("setjmp/longjmp recovery prints as natively (wasmaot %s)" % level,
              got[0] == 0 and got[1] == want[1], "wasmaot %r (%d) %s" % (got[1][-400:], got[0], got[2][-300:]))
    v8 = run(node + [wasm])
    check("V8 prints the same", v8[0] == 0 and v8[1] == want[1], "V8 %r (%d) %s" % (v8[1][-400:], v8[0], v8[2][-300:]))

    uwasm = os.path.join(a.work, "uncaught.wasm")
    subprocess.run(["wat2wasm", "--enable-exceptions", os.path.join(HERE, "uncaught.wat"), "-o", uwasm], check=True)
    status, out, err = run([a.wasmaot, "run", uwasm])
    check("an uncaught exception ends the run with status 70, naming the tag",
          status == 70 and 'uncaught exception (tag 0 exported as "oops")' in err and len(err.splitlines()) == 1,
          "%d %r" % (status, err))
    check("output written before the throw is kept", out == "before the throw\n", repr(out))
    v8 = run(node + [uwasm])
    check("V8 ends it with an error too", v8[0] != 0 and v8[1] == out, "%d %r" % (v8[0], v8[1]))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())

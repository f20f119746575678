#!/usr/bin/env python3
"""Multi-memory and memory64 end to end (labels `multi-memory`, `memory64`).

Each module's steps are exports returning an i64, run in export order by a
second engine, wabt's interpreter (`wasm-interp --run-all-exports
--dummy-import-func`), and by `wasmaot run`, whose `_start` runs the same
steps and prints "step HEX" lines; the values must agree. Where V8 has the
feature (memory64, behind --experimental-wasm-memory64), node:wasi runs the
module too. Then each trap scenario (argv[1]) must end the run with status
70 and the trap's message.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from e2e_helpers import Checks  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
NODE_RUNNER = os.path.join(REPO, "tests", "simd", "run_wasi_node.mjs")
checks = Checks()
check = checks.check

# module: (wabt feature flag, V8 flag or None, {scenario: trap message})
MODULES = {
    "multi": ("--enable-multi-memory", None, {
        "oob1": "out of bounds memory access",
        "oob2": "out of bounds memory access",
    }),
}


def run(cmd, timeout=300):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def interpreter_values(wasm, flag):
    """{step: value} from wasm-interp's `step() => i64:N` lines."""
    status, out, err = run(["wasm-interp", flag, "--dummy-import-func", "--run-all-exports", wasm])
    values = {}
    for name, value in re.findall(r"^(\w+)\(\) => i64:(\d+)$", out, re.M):
        values[name] = int(value) & (2**64 - 1)
    return status, values, out + err


def printed_values(out):
    """{step: value} from `step HEX` lines."""
    return {name: int(value, 16) for name, value in re.findall(r"^(\w+) ([0-9a-f]{16})$", out, re.M)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--node", default="node")
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)

    for module, (flag, v8_flag, traps) in MODULES.items():
        wasm = os.path.join(a.work, module + ".wasm")
        so = os.path.join(a.work, module + ".so")
        subprocess.run(["wat2wasm", flag, os.path.join(HERE, module + ".wat"), "-o", wasm], check=True)
        subprocess.run([a.wasmaot, "compile", "--target-cpu=x86-64", wasm, "-o", so], check=True)

        status, want, log = interpreter_values(wasm, flag)
        check("%s: wabt's interpreter ran every step" % module, status == 0 and len(want) >= 4, log[-400:])
        status, out, err = run([a.wasmaot, "run", so])
        got = printed_values(out)
        check("%s: every step as wabt's interpreter" % module, status == 0 and got == want,
              "status %d, wasmaot %r, wasm-interp %r %s" % (status, got, want, err[-300:]))
        if v8_flag:
            v8 = run([a.node, "--no-warnings", v8_flag, NODE_RUNNER, wasm])
            check("%s: every step as V8" % module, v8[0] == 0 and printed_values(v8[1]) == got,
                  "V8 %r (%d) %s" % (v8[1], v8[0], v8[2][-300:]))
        for scenario, message in traps.items():
            status, out, err = run([a.wasmaot, "run", so, scenario])
            check("%s: %s traps '%s'" % (module, scenario, message), status == 70 and message in err,
                  "status %d, %r" % (status, err[-300:]))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())

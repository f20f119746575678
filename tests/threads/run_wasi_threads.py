#!/usr/bin/env python3
"""wasi-threads end to end through `wasmaot run`: thread-spawn, shared
env.memory, exit and trap semantics, --max-threads / limits.threads /
limits.thread_stack, and link errors. The expected results follow from the
scenarios themselves (wasi_threads.wat), not from an earlier run."""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from e2e_helpers import Checks  # noqa: E402

checks = Checks()
check = checks.check


def run(cmd, timeout=60):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return None, "", "timed out"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--wat2wasm", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    wasm = os.path.join(a.work, "wasi_threads.wasm")
    so = os.path.join(a.work, "wasi_threads.so")
    subprocess.run([a.wat2wasm, "--enable-threads", a.source, "-o", wasm], check=True)
    subprocess.run([a.wasmaot, "compile", wasm, "-o", so], check=True)

    def policy(name, body):
        path = os.path.join(a.work, name)
        with open(path, "w") as f:
            json.dump(body, f)
        return path

    rc, out, err = run([a.wasmaot, "run", so, "count"])
    check("8 threads x 100000 atomic increments", rc == 0 and out == "ok 800000 tids distinct\n", f"rc={rc} out={out!r} err={err!r}")

    rc, out, err = run([a.wasmaot, "run", so, "trap"])
    check("a trap in a thread ends the process with 70", rc == 70 and err.startswith("error: trap in thread ")
          and "unreachable" in err and "    at " in err, f"rc={rc} err={err!r}")

    rc, out, err = run([a.wasmaot, "run", so, "exit"])
    check("proc_exit in a thread ends the process with its status", rc == 42 and err == "", f"rc={rc} err={err!r}")

    rc, out, err = run([a.wasmaot, "run", so, "deep"])
    check("unbounded recursion in a thread is caught by the stack limit", rc == 70 and "call stack exhausted" in err,
          f"rc={rc} err={err!r}")
    small = policy("small_stack.json", {"version": 1, "limits": {"thread_stack": 65536}})
    rc, out, err = run([a.wasmaot, "run", "--policy", small, so, "deep"])
    check("... also with limits.thread_stack = 64 KiB", rc == 70 and "call stack exhausted" in err, f"rc={rc} err={err!r}")

    # limit: the main thread counts, so N allowed threads leave N-1 spawns;
    # _start then returns while those threads still wait: status 0.
    rc, out, err = run([a.wasmaot, "run", so, "limit"])
    check("default limit: 64 threads, the main one included", rc == 0 and out == "spawned 63\n", f"rc={rc} out={out!r} err={err!r}")
    rc, out, err = run([a.wasmaot, "run", "--max-threads=3", so, "limit"])
    check("--max-threads=3", rc == 0 and out == "spawned 2\n", f"rc={rc} out={out!r} err={err!r}")
    five = policy("five.json", {"version": 1, "limits": {"threads": 5}})
    rc, out, err = run([a.wasmaot, "run", "--policy", five, so, "limit"])
    check("limits.threads = 5", rc == 0 and out == "spawned 4\n", f"rc={rc} out={out!r} err={err!r}")
    rc, out, err = run([a.wasmaot, "run", "--policy", five, "--max-threads", "2", so, "limit"])
    check("--max-threads overrides limits.threads", rc == 0 and out == "spawned 1\n", f"rc={rc} out={out!r} err={err!r}")

    # Bad input: one line, status 2.
    for flag in ["--max-threads=0", "--max-threads=x", "--max-threads=5000"]:
        rc, out, err = run([a.wasmaot, "run", flag, so, "count"])
        check(f"{flag} refused", rc == 2 and "--max-threads needs a number from 1 to 4096" in err and out == "",
              f"rc={rc} err={err!r}")
    for body, path in [({"threads": 0}, "limits.threads"), ({"thread_stack": 1000}, "limits.thread_stack"),
                       ({"threads": "many"}, "limits.threads")]:
        bad = policy("bad.json", {"version": 1, "limits": body})
        rc, out, err = run([a.wasmaot, "run", "--policy", bad, so, "count"])
        check(f"bad {path} refused", rc == 2 and path in err and len(err.strip().splitlines()) == 1, f"rc={rc} err={err!r}")

    no_start = os.path.join(a.work, "no_start.wasm")
    with open(os.path.join(a.work, "no_start.wat"), "w") as f:
        f.write('(module (import "wasi" "thread-spawn" (func (param i32) (result i32)))\n'
                ' (import "env" "memory" (memory 1 1 shared)) (func (export "_start")))\n')
    subprocess.run([a.wat2wasm, "--enable-threads", os.path.join(a.work, "no_start.wat"), "-o", no_start], check=True)
    rc, out, err = run([a.wasmaot, "run", no_start])
    check("thread-spawn without wasi_thread_start is a link error", rc == 2 and "wasi_thread_start" in err
          and "cannot link" in err, f"rc={rc} err={err!r}")

    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Builds one C program twice -- natively (the host's cc -pthread, glibc)
and with `wasmaot-cc -pthread` (the SDK's pthreads over wasi-threads) --
runs both and requires the same output and exit status. Lines starting with
--sorted-prefix are printed by several threads at once; they are compared
as a sorted multiset (their order is the scheduler's; a torn or lost line
still differs)."""
import argparse
import os
import subprocess
import sys


def normalise(text, prefix):
    lines = text.splitlines()
    if not prefix:
        return lines
    racy = sorted(l for l in lines if l.startswith(prefix))
    rest = [l for l in lines if not l.startswith(prefix)]
    return rest + racy


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--native-cc", required=True)
    ap.add_argument("--wasmaot-cc", required=True)
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--sorted-prefix", default="")
    ap.add_argument("--runs", type=int, default=1, help="run the wasm build this many times")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    stem = os.path.splitext(os.path.basename(a.source))[0]
    native = os.path.join(a.work, stem + ".native")
    wasm = os.path.join(a.work, stem + ".wasm")
    so = os.path.join(a.work, stem + ".so")
    subprocess.run([a.native_cc, "-O2", "-pthread", "-w", a.source, "-o", native], check=True)
    subprocess.run([a.wasmaot_cc, "-pthread", "-O2", "-Wall", "-Werror", a.source, "-o", wasm], check=True)
    subprocess.run([a.wasmaot, "compile", wasm, "-o", so], check=True)

    expected = subprocess.run([native], capture_output=True, text=True, timeout=120)
    want = normalise(expected.stdout, a.sorted_prefix)
    failed = 0
    for run in range(a.runs):
        got = subprocess.run([a.wasmaot, "run", so], capture_output=True, text=True, timeout=120)
        have = normalise(got.stdout, a.sorted_prefix)
        if got.returncode != expected.returncode or have != want:
            failed += 1
            print(f"run {run + 1}: MISMATCH (status {got.returncode}, native {expected.returncode})")
            for i, (w, h) in enumerate(zip(want, have)):
                if w != h:
                    print(f"  first difference at line {i + 1}:\n    native : {w}\n    wasmaot: {h}")
                    break
            else:
                print(f"  native printed {len(want)} lines, wasmaot {len(have)}")
            if got.stderr:
                print("  stderr: " + got.stderr.strip().replace("\n", "\n          "))
    for line in want:
        if not a.sorted_prefix or not line.startswith(a.sorted_prefix):
            print("  " + line)
    print(f"{a.runs - failed}/{a.runs} runs match the native build ({len(want)} lines)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

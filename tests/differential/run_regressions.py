#!/usr/bin/env python3
"""Replays the differential regressions for one target CPU.

Every DIR/NAME.wat is assembled with wat2wasm and run by exec_harness at -O0
and -O2, in both trap-state modes, compiled for --target-cpu:

  --exact-trap-state   must print DIR/NAME.expected exactly: the spec's
                       results and the spec's memory after every trap.
  default mode         must print DIR/NAME.default when there is one, else
                       NAME.expected. A .default line
                           call F -> i32:<=K*W      (or <=W, or <=N)
                       accepts any value 0..K*W, where W is the
                       target's widest vector register in bytes (16 for SSE,
                       32 for AVX2, 64 for AVX-512): how the documented bound
                       on a default build's state after a trap inside a
                       vectorized loop is checked. The trap itself, and
                       everything else, is exact.

When node is there, V8 must print NAME.expected too (the spec's answer comes
from a second engine, not from us). A first line `;; harness-flags: ...` of
a .wat passes flags to both (e.g. --shared-instance).

Exit status: 0 all matched, 1 a mismatch, 77 (ctest: skipped) when this
machine cannot execute code built for the target, with the reason printed.

  run_regressions.py --harness H --work DIR --dir REGRESSIONS --target-cpu CPU
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SKIPPED = 77

# Widest vector register, in bytes, of the CPU names the tests use; another
# name gets the widest x86 has (64), an upper bound.
VECTOR_BYTES = {"x86-64": 16, "portable": 16, "x86-64-v2": 16, "x86-64-v3": 32, "x86-64-v4": 64}


def vector_bytes(target):
    if target != "native":
        return VECTOR_BYTES.get(target, 64)
    flags = set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    return 64 if "avx512f" in flags else 32 if "avx" in flags else 16


BOUND = re.compile(r"^(call \S+ -> i32:)<=(?:(\d+)\*)?(W|\d+)$")  # <=N, <=W or <=K*W


def line_matches(expected, actual, width):
    """(matched, note) for one expected line against one actual line."""
    m = BOUND.match(expected)
    if not m:
        return expected == actual, ""
    limit = int(m.group(2) or 1) * (width if m.group(3) == "W" else int(m.group(3)))
    if not actual.startswith(m.group(1)):
        return False, ""
    try:
        value = int(actual[len(m.group(1)):])
    except ValueError:
        return False, ""
    return 0 <= value <= limit, f"{actual.split()[1]}={value} (bound {limit})"


def compare(expected_lines, actual_lines, width):
    if len(expected_lines) != len(actual_lines):
        return False, []
    notes = []
    for e, a in zip(expected_lines, actual_lines):
        ok, note = line_matches(e, a, width)
        if not ok:
            return False, []
        if note:
            notes.append(note)
    return True, notes


def read_lines(path):
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--target-cpu", default="native")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    width = vector_bytes(args.target_cpu)
    node = shutil.which("node")
    print(f"target {args.target_cpu}: vector registers of {width} bytes (W)")
    failed = 0
    for wat in sorted(f for f in os.listdir(args.dir) if f.endswith(".wat")):
        name = wat[:-4]
        with open(os.path.join(args.dir, wat)) as f:
            first = f.readline()
        flags = first[len(";; harness-flags:"):].split() if first.startswith(";; harness-flags:") else []
        wasm = os.path.join(args.work, name + ".wasm")
        subprocess.run(["wat2wasm", "--enable-threads", os.path.join(args.dir, wat), "-o", wasm], check=True)
        spec = read_lines(os.path.join(args.dir, name + ".expected"))
        default_path = os.path.join(args.dir, name + ".default")
        default = read_lines(default_path) if os.path.exists(default_path) else spec
        if node:
            v8 = subprocess.run([node, os.path.join(HERE, "reference.mjs"), *flags, wasm],
                                capture_output=True, text=True).stdout.splitlines()
            v8 = [l for l in v8 if l and not l.startswith("module ")]
            if v8 != spec:
                print(f"FAIL: {name}: V8 disagrees with {name}.expected: {v8}")
                failed += 1
        for opt in ("0", "2"):
            for mode, expected in (("default", default), ("exact", spec)):
                cmd = [args.harness, "-O", opt, "--work", args.work, "--target-cpu", args.target_cpu, *flags]
                if mode == "exact" and "--exact-trap-state" not in cmd:
                    cmd.append("--exact-trap-state")
                run = subprocess.run([*cmd, wasm], capture_output=True, text=True)
                if run.returncode == SKIPPED:
                    print(run.stdout.strip().splitlines()[-1])
                    return SKIPPED
                actual = [l for l in run.stdout.splitlines() if l and not l.startswith("module ")]
                ok, notes = compare(expected, actual, width)
                label = f"{name} at -O{opt}, {mode} mode, --target-cpu={args.target_cpu}"
                if ok:
                    print(f"ok: {label}" + (f": {', '.join(notes)}" if notes else ""))
                else:
                    failed += 1
                    print(f"FAIL: {label}")
                    print("  expected: " + " | ".join(expected))
                    print("  actual:   " + " | ".join(actual))
                    if run.stderr.strip():
                        print("  stderr:   " + run.stderr.strip().splitlines()[-1])
    print(f"differential regressions ({args.target_cpu}): {'all matched' if not failed else f'{failed} failed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

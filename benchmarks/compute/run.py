#!/usr/bin/env python3
"""Compute benchmark: native clang -O2 vs wasm32-wasi -> `wasmaot compile -O2` -> .so.

For every kernel <name>.c in this directory (see KERNELS):
  1. build it natively        clang-19 -O2 <name>.c -lm
     and as wasm              clang-19 --target=wasm32-wasi -O2 -c, then link
                              (two steps, so the link does not run wasm-opt)
     and compile the wasm     wasmaot compile <name>.wasm -o <name>.so -O2 -j J
  2. run both once and require identical checksums,
  3. run native and wasm interleaved (A B A B ...) --runs times (default 5),
     pinned with `taskset -c 1` when available, and take the median of the
     in-program compute time each reports (start-up and compile are excluded).

Prints a table `kernel native_s wasm_s ratio`, the geometric mean of the ratios
(DESIGN.md target: <= 1.10), and writes JSON to --out (default
<work>/latest.json; <work> defaults to <dir of wasmaot>/../bench/compute).

  --smoke    every kernel once at a tiny size; only checks checksums (for CI).
  Exit status: 0 ok, 1 build/compile failure or checksum mismatch.

Usage: benchmarks/compute/run.sh [--wasmaot PATH] [--runs N] [--smoke]
                                 [--kernels a,b] [--work DIR] [--out FILE] [-j J]
                                 [--compile-flag=--exact-trap-state]
"""
import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))

# name -> tiny size for --smoke (argv[1]); the full size is each kernel's default.
KERNELS = {
    "gemm": 48,
    "lu": 48,
    "stencil2d": 48,
    "nbody": 64,
    "fft": 2,
    "sha256": 2,
    "crc32": 4,
    "quicksort": 5000,
    "editdist": 200,
    "mandelbrot": 64,
    "hashmap": 20000,
    "interp": 10000,
}

LINE = re.compile(r"kernel=(\S+) seconds=([0-9.eE+-]+) checksum=([0-9a-f]+)")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def build(name, work, clang, wasmaot, jobs, compile_flags=()):
    src = os.path.join(HERE, name + ".c")
    native = os.path.join(work, name + ".native")
    obj = os.path.join(work, name + ".wasm.o")
    wasm = os.path.join(work, name + ".wasm")
    so = os.path.join(work, name + ".so")
    sh([clang, "-O2", src, "-o", native, "-lm"])
    sh([clang, "--target=wasm32-wasi", "-O2", "-c", src, "-o", obj])
    sh([clang, "--target=wasm32-wasi", obj, "-o", wasm])
    t0 = time.monotonic()
    sh([wasmaot, "compile", wasm, "-o", so, "-O2", "-j", str(jobs)] + list(compile_flags))
    return native, so, time.monotonic() - t0


def run_one(cmd, pin):
    out = sh(pin + cmd).stdout
    m = LINE.search(out)
    if not m:
        raise RuntimeError("no result line from %s: %r" % (" ".join(cmd), out))
    return float(m.group(2)), m.group(3)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wasmaot", default=os.environ.get(
        "WASMAOT", os.path.join(REPO, "build", "bin", "wasmaot")))
    ap.add_argument("--clang", default=os.environ.get("CLANG", "clang-19"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("-j", "--jobs", type=int, default=2, help="wasmaot compile -j")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--kernels", default=",".join(KERNELS))
    ap.add_argument("--work", default=None)
    ap.add_argument("--out", default=None)
    ap.add_argument("--no-pin", action="store_true")
    ap.add_argument("--compile-flag", action="append", default=[],
                    help="extra flag for wasmaot compile (repeatable), e.g. --compile-flag=--exact-trap-state")
    a = ap.parse_args()

    wasmaot = os.path.abspath(a.wasmaot)
    work = a.work or os.path.join(os.path.dirname(os.path.dirname(wasmaot)), "bench", "compute")
    os.makedirs(work, exist_ok=True)
    out = a.out or os.path.join(work, "smoke.json" if a.smoke else "latest.json")
    names = [k for k in a.kernels.split(",") if k]
    for k in names:
        if k not in KERNELS:
            sys.exit("unknown kernel %s (have: %s)" % (k, ", ".join(KERNELS)))
    pin = []
    if not a.no_pin and shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        pin = ["taskset", "-c", "1"]

    try:
        load = os.getloadavg()
    except OSError:
        load = None
    print("wasmaot: %s   pin: %s   runs: %d   load avg: %s" % (
        wasmaot, " ".join(pin) or "none", 1 if a.smoke else a.runs,
        " ".join("%.2f" % x for x in load) if load else "?"))

    results, failed = [], False
    if not a.smoke:
        print("\n%-11s %9s %9s %7s" % ("kernel", "native_s", "wasm_s", "ratio"))
    for name in names:
        try:
            native, so, compile_s = build(name, work, a.clang, wasmaot, a.jobs, a.compile_flag)
        except subprocess.CalledProcessError as e:
            print("%-11s BUILD FAILED: %s\n%s" % (name, " ".join(e.cmd), e.stderr))
            failed = True
            continue
        size = [str(KERNELS[name])] if a.smoke else []
        ncmd, wcmd = [native] + size, [wasmaot, "run", so] + size
        try:
            tn, cn = run_one(ncmd, pin)
            tw, cw = run_one(wcmd, pin)
        except (subprocess.CalledProcessError, RuntimeError) as e:
            print("%-11s RUN FAILED: %s" % (name, getattr(e, "stderr", "") or e))
            failed = True
            continue
        if cn != cw:
            print("%-11s CHECKSUM MISMATCH native=%s wasm=%s" % (name, cn, cw))
            failed = True
            results.append({"kernel": name, "checksum_native": cn, "checksum_wasm": cw,
                            "ok": False})
            continue
        rec = {"kernel": name, "checksum": cn, "ok": True, "compile_s": round(compile_s, 4)}
        if a.smoke:
            print("%-11s ok  checksum=%s" % (name, cn))
        else:
            ns, ws = [], []
            for _ in range(a.runs):          # interleaved A B A B ...
                ns.append(run_one(ncmd, pin)[0])
                ws.append(run_one(wcmd, pin)[0])
            rec.update(native_s=statistics.median(ns), wasm_s=statistics.median(ws),
                       native_runs=ns, wasm_runs=ws)
            rec["ratio"] = rec["wasm_s"] / rec["native_s"]
            print("%-11s %9.4f %9.4f %7.3f" % (name, rec["native_s"], rec["wasm_s"],
                                               rec["ratio"]), flush=True)
        results.append(rec)

    summary = {"smoke": a.smoke, "runs": a.runs, "wasmaot": wasmaot, "pin": " ".join(pin),
               "loadavg_start": load, "host": platform.node(), "machine": platform.machine(),
               "kernels": results}
    ratios = [r["ratio"] for r in results if "ratio" in r]
    if ratios:
        geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        summary["geomean_ratio"] = geo
        print("%-11s %9s %9s %7.3f   (target <= 1.10)" % ("geomean", "", "", geo))
    try:
        summary["loadavg_end"] = os.getloadavg()
    except OSError:
        pass
    with open(out, "w") as f:
        json.dump(summary, f, indent=2)
    print("results: %s" % out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

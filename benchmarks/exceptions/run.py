#!/usr/bin/env python3
"""What exception handling costs (benchmarks/exceptions/eh_bench.c), built
natively with clang -O2 and for wasm32-wasi with wasmaot-cc -O2 (setjmp and
longjmp lowered onto wasm exception handling), the wasm run by wasmaot:

  longjmp    a setjmp/longjmp round trip through three frames
  protected  a call-heavy loop in a function that has called setjmp (in wasm
             each call sits in a try) and never longjmps
  plain      the same loop without setjmp

Wall clock: medians over --rounds rounds, native and wasm adjacent in each
round; a ratio is the median of the rounds' wasm/native. Exactly, when
valgrind is installed: user-space instructions per iteration under
callgrind (the difference between two run lengths, so start-up cancels
out; the wasm compiled for x86-64, which valgrind executes).

Usage: benchmarks/exceptions/run.py --build DIR --work DIR --out FILE [--rounds N] [--smoke] [--clang CC]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MODES = {"longjmp": 200000, "protected": 50000000, "plain": 50000000}
CALLGRIND_ITERS = {"longjmp": (2000, 4000), "protected": (100000, 200000), "plain": (100000, 200000)}


def timed(cmd, mode, n):
    out = subprocess.run(cmd + [mode, str(n)], capture_output=True, text=True, check=True, timeout=600).stdout
    name, ns, checksum = out.split()
    return float(ns), checksum


def instructions(cmd, mode):
    counts = []
    for n in CALLGRIND_ITERS[mode]:
        p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd + [mode, str(n)],
                           capture_output=True, text=True, timeout=900)
        refs = [line for line in p.stderr.splitlines() if "I   refs:" in line]
        if p.returncode != 0 or not refs:
            raise RuntimeError("callgrind %s: exit %d: %s" % (mode, p.returncode, p.stderr[-500:]))
        counts.append(int(refs[-1].split(":")[1].replace(",", "")))
    low, high = CALLGRIND_ITERS[mode]
    return (counts[1] - counts[0]) / (high - low)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--clang", default="clang-19")
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    bin_ = os.path.join(a.build, "bin")
    src = os.path.join(HERE, "eh_bench.c")
    native = os.path.join(a.work, "eh_bench.native")
    wasm = os.path.join(a.work, "eh_bench.wasm")
    so = os.path.join(a.work, "eh_bench.so")
    subprocess.run([a.clang, "-O2", src, "-o", native], check=True)
    subprocess.run([os.path.join(bin_, "wasmaot-cc"), "-O2", src, "-o", wasm], check=True)
    subprocess.run([os.path.join(bin_, "wasmaot"), "compile", "-O2", wasm, "-o", so], check=True)
    engines = {"native": [native], "wasm": [os.path.join(bin_, "wasmaot"), "run", so]}

    rounds = 1 if a.smoke else a.rounds
    samples = {m: {"native": [], "wasm": [], "ratio": []} for m in MODES}
    for r in range(rounds):
        for mode, n in MODES.items():
            n = max(1, n // 100) if a.smoke else n
            ns = {}
            for engine, cmd in engines.items():
                ns[engine], checksum = timed(cmd, mode, n)
                ns.setdefault("checksums", []).append(checksum)
            if ns["checksums"][0] != ns["checksums"][1]:
                raise SystemExit("eh_bench %s: native and wasm disagree: %s" % (mode, ns["checksums"]))
            samples[mode]["native"].append(ns["native"])
            samples[mode]["wasm"].append(ns["wasm"])
            samples[mode]["ratio"].append(ns["wasm"] / ns["native"])
    res = {"rounds": rounds, "iterations": MODES, "modes": {}}
    for mode, s in samples.items():
        res["modes"][mode] = {"native_ns": statistics.median(s["native"]), "wasm_ns": statistics.median(s["wasm"]),
                              "ratio": statistics.median(s["ratio"])}
        print("%-10s native %9.2f ns  wasm %9.2f ns  (%.2fx)" % (
            mode, res["modes"][mode]["native_ns"], res["modes"][mode]["wasm_ns"], res["modes"][mode]["ratio"]),
            flush=True)

    if shutil.which("valgrind") and not a.smoke:
        so64 = os.path.join(a.work, "eh_bench.x86-64.so")
        subprocess.run([os.path.join(bin_, "wasmaot"), "compile", "-O2", "--target-cpu=x86-64", wasm, "-o", so64],
                       check=True)
        counted = {"native": [native], "wasm": [os.path.join(bin_, "wasmaot"), "run", so64]}
        res["instructions"] = {m: {e: instructions(cmd, m) for e, cmd in counted.items()} for m in MODES}
        for mode, row in res["instructions"].items():
            print("%-10s instructions per iteration: native %.1f, wasm %.1f" % (mode, row["native"], row["wasm"]),
                  flush=True)
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

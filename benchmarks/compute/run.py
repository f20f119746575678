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

  --simd     also build each kernel as wasm with clang-19 -O3 -msimd128 (clang
             auto-vectorizes into wasm SIMD) and natively with -O2
             -march=native -ffp-contract=off (no fused multiply-add, which
             wasm does not have either, so the checksums agree), and report wasm-SIMD/native-march ratios beside
             the scalar ones (issue 11 target: geomean <= 1.05, none above
             1.25), with the number of SIMD instructions clang put in each
             module (0: clang vectorized nothing there).

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
    # Larger programs (issue 12's "real code"): a compressor and a storage engine.
    "lz77": 64,
    "minidb": 20000,
}

LINE = re.compile(r"kernel=(\S+) seconds=([0-9.eE+-]+) checksum=([0-9a-f]+)")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


SIMD_OP = re.compile(r"\b(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\.")


def build_variant(name, work, clang, wasmaot, jobs, compile_flags, suffix, native_flags, wasm_flags):
    """One native build and one wasm build compiled by wasmaot, of kernel `name`.
    Returns (native executable, .so, wasm, seconds wasmaot compile took)."""
    src = os.path.join(HERE, name + ".c")
    native = os.path.join(work, name + ".native" + suffix)
    obj = os.path.join(work, name + suffix + ".wasm.o")
    wasm = os.path.join(work, name + suffix + ".wasm")
    so = os.path.join(work, name + suffix + ".so")
    sh([clang] + native_flags + [src, "-o", native, "-lm"])
    sh([clang, "--target=wasm32-wasi"] + wasm_flags + ["-c", src, "-o", obj])
    sh([clang, "--target=wasm32-wasi", obj, "-o", wasm])  # linking without -O: no wasm-opt
    t0 = time.monotonic()
    sh([wasmaot, "compile", wasm, "-o", so, "-O2", "-j", str(jobs)] + list(compile_flags))
    return native, so, wasm, time.monotonic() - t0


def build(name, work, clang, wasmaot, jobs, compile_flags=()):
    native, so, _, seconds = build_variant(name, work, clang, wasmaot, jobs, compile_flags, "", ["-O2"], ["-O2"])
    return native, so, seconds


def build_simd(name, work, clang, wasmaot, jobs, compile_flags=()):
    """The -O3 -msimd128 wasm build, compiled, and the -march=native native build.
    -ffp-contract=off: with FMA, clang would fuse a*b+c into one rounding and
    compute different numbers; wasm never fuses (outside relaxed SIMD)."""
    native, so, wasm, _ = build_variant(name, work, clang, wasmaot, jobs, compile_flags, ".simd",
                                        ["-O2", "-march=native", "-ffp-contract=off"], ["-O3", "-msimd128"])
    simd_ops = len(SIMD_OP.findall(sh(["wasm-objdump", "-d", wasm]).stdout))
    return native, so, simd_ops


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
    ap.add_argument("--simd", action="store_true", help="also the -O3 -msimd128 builds (see above)")
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
        mcmd = scmd = None
        if a.simd:
            try:
                native_march, simd_so, simd_ops = build_simd(name, work, a.clang, wasmaot, a.jobs, a.compile_flag)
                mcmd, scmd = [native_march] + size, [wasmaot, "run", simd_so] + size
                cm, cs = run_one(mcmd, pin)[1], run_one(scmd, pin)[1]
            except (subprocess.CalledProcessError, RuntimeError) as e:
                print("%-11s SIMD BUILD/RUN FAILED: %s" % (name, getattr(e, "stderr", "") or e))
                failed = True
                continue
            if cs != cn or cm != cn:
                print("%-11s SIMD CHECKSUM MISMATCH native=%s native-march=%s wasm-simd=%s" % (name, cn, cm, cs))
                failed = True
                continue
            rec["simd_ops"] = simd_ops
        if a.smoke:
            print("%-11s ok  checksum=%s%s" % (name, cn, "  (simd ok, %d SIMD instructions)" % rec["simd_ops"]
                                                 if a.simd else ""))
        else:
            ns, ws, ms, ss = [], [], [], []
            for _ in range(a.runs):          # interleaved A B A B ...
                ns.append(run_one(ncmd, pin)[0])
                ws.append(run_one(wcmd, pin)[0])
                if a.simd:
                    ms.append(run_one(mcmd, pin)[0])
                    ss.append(run_one(scmd, pin)[0])
            rec.update(native_s=statistics.median(ns), wasm_s=statistics.median(ws),
                       native_runs=ns, wasm_runs=ws)
            rec["ratio"] = rec["wasm_s"] / rec["native_s"]
            extra = ""
            if a.simd:
                rec.update(native_march_s=statistics.median(ms), wasm_simd_s=statistics.median(ss),
                           native_march_runs=ms, wasm_simd_runs=ss)
                rec["simd_ratio"] = rec["wasm_simd_s"] / rec["native_march_s"]
                extra = "   simd: native-march %9.4f wasm-simd %9.4f ratio %7.3f  (%d SIMD ops)" % (
                    rec["native_march_s"], rec["wasm_simd_s"], rec["simd_ratio"], rec["simd_ops"])
            print("%-11s %9.4f %9.4f %7.3f%s" % (name, rec["native_s"], rec["wasm_s"],
                                                 rec["ratio"], extra), flush=True)
        results.append(rec)

    summary = {"smoke": a.smoke, "runs": a.runs, "wasmaot": wasmaot, "pin": " ".join(pin),
               "loadavg_start": load, "host": platform.node(), "machine": platform.machine(),
               "kernels": results}
    ratios = [r["ratio"] for r in results if "ratio" in r]
    if ratios:
        geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        summary["geomean_ratio"] = geo
        print("%-11s %9s %9s %7.3f   (target <= 1.10)" % ("geomean", "", "", geo))
    simd_ratios = [r["simd_ratio"] for r in results if "simd_ratio" in r]
    if simd_ratios:
        summary["simd_geomean_ratio"] = math.exp(sum(math.log(r) for r in simd_ratios) / len(simd_ratios))
        print("%-11s simd geomean %7.3f   (target <= 1.05, none above 1.25)" % ("", summary["simd_geomean_ratio"]))
    summary["simd"] = a.simd
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

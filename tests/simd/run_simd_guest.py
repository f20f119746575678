#!/usr/bin/env python3
"""SIMD guest test (label `simd`): builds a C program with clang-19
--target=wasm32-wasi -O3 -msimd128, checks that the module really uses SIMD
instructions (wasm-objdump), runs it under wasmaot for each --target-cpu
given, and compares stdout with V8 (node:wasi, run_wasi_node.mjs) and, with
--native, with the native -O2 build of the same C.

  run_simd_guest.py --bin BIN_DIR --src FILE.c --work DIR [--native]
                    [--target-cpu CPU]... [--clang clang-19] [--cc cc]

A target CPU this machine cannot execute is reported and skipped (the loader
refuses the .so); if every one is, the test exits 77 (ctest: skipped).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SIMD_OP = re.compile(r"\b(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\.")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--native", action="store_true")
    ap.add_argument("--target-cpu", action="append", default=[])
    ap.add_argument("--clang", default="clang-19")
    ap.add_argument("--cc", default="cc")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    name = os.path.splitext(os.path.basename(a.src))[0]
    wasm = os.path.join(a.work, name + ".wasm")
    obj = os.path.join(a.work, name + ".o")
    subprocess.run([a.clang, "--target=wasm32-wasi", "-O3", "-msimd128", "-c", a.src, "-o", obj], check=True)
    subprocess.run([a.clang, "--target=wasm32-wasi", obj, "-o", wasm], check=True)

    code = run(["wasm-objdump", "-d", wasm]).stdout
    simd_ops = len(SIMD_OP.findall(code))
    if simd_ops == 0:
        print("FAIL: %s has no SIMD instructions: nothing was vectorized" % wasm)
        return 1
    print("%s: %d SIMD instructions" % (os.path.basename(wasm), simd_ops))

    references = {}
    node = shutil.which("node")
    if node:
        r = run([node, "--no-warnings", os.path.join(HERE, "run_wasi_node.mjs"), wasm])
        if r.returncode != 0:
            print("FAIL: V8 exited with %d: %s" % (r.returncode, r.stderr.strip()))
            return 1
        references["V8"] = r.stdout
    else:
        print("note: node not found: no V8 comparison")
    if a.native:
        exe = os.path.join(a.work, name + ".native")
        subprocess.run([a.cc, "-O2", a.src, "-o", exe, "-lm"], check=True)
        references["native -O2"] = run([exe]).stdout
    if not references:
        print("FAIL: nothing to compare with (no node, no --native)")
        return 1

    failures = ran = 0
    for cpu in a.target_cpu or ["native"]:
        so = os.path.join(a.work, "%s-%s.so" % (name, cpu))
        c = run([os.path.join(a.bin, "wasmaot"), "compile", "--target-cpu=" + cpu, wasm, "-o", so])
        if c.returncode != 0:
            print("FAIL: compile for %s: %s" % (cpu, c.stderr.strip()))
            failures += 1
            continue
        r = run([os.path.join(a.bin, "wasmaot"), "run", so])
        if r.returncode == 2 and "that this CPU lacks" in r.stderr:
            print("skip: --target-cpu=%s: %s" % (cpu, r.stderr.strip()))
            continue
        ran += 1
        for who, expected in references.items():
            if r.returncode != 0 or r.stdout != expected:
                failures += 1
                print("FAIL: --target-cpu=%s: output differs from %s (exit %d)" % (cpu, who, r.returncode))
                for want, got in zip(expected.splitlines(), r.stdout.splitlines()):
                    if want != got:
                        print("  %s: %s\n  wasmaot: %s" % (who, want, got))
                print(r.stderr.strip())
            else:
                print("ok: --target-cpu=%s matches %s (%d lines)" % (cpu, who, len(expected.splitlines())))
    if failures:
        return 1
    if ran == 0:
        print("skip: no target CPU could run here")
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())

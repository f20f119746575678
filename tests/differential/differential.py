#!/usr/bin/env python3
"""Differential test: random valid modules run by wasmaot and by V8.

Modules come from binaryen's `wasm-opt -ttf` (translate-to-fuzz) over
pseudo-random bytes from a seeded generator, so a (count, seed) pair always
gives the same modules. Each module is compiled and run by
exec_harness (wasmaot) and by reference.mjs (Node's V8); both print, for every
exported function called with zero arguments, its results or its trap
category, and every fuzzing-support log call. Any difference is a mismatch.

  differential.py --harness PATH [--count N] [--seed S] [--work DIR]
                  [--opt LEVEL] [--no-reference] [--shared-instance] [--keep] [--simd]

--simd adds SIMD to the generated modules (and binaryen's --denan: NaN bit
patterns, which the spec lets engines choose, become 0); an export whose
signature has a v128 cannot be called from JS, so both sides print
`v128-signature` for it and the SIMD code is compared through what it logs,
stores and returns as scalars.

--no-reference only runs wasmaot (the whole-compiler fuzz run: it must
never crash, and every module must compile). Exit status 0 when there is no
mismatch, no crash and every module compiled; 1 otherwise.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# The proposals wasmaot implements (WebAssembly 2.0; SIMD with --simd), except
# reference types: binaryen 108 emits typed function references (`(ref func)`)
# with them, which neither wasmaot nor V8 (without flags) accepts.
FEATURES = [
    "--enable-sign-ext", "--enable-mutable-globals", "--enable-nontrapping-float-to-int",
    "--enable-bulk-memory", "--enable-multivalue",
]
BATCH = 25


def generate(work, count, seed, features):
    paths = []
    for i in range(count):
        rng = random.Random(f"{seed}:{i}")
        raw = bytes(rng.getrandbits(8) for _ in range(rng.randint(256, 8192)))
        raw_path = os.path.join(work, f"m{seed}_{i}.bin")
        wasm_path = os.path.join(work, f"m{seed}_{i}.wasm")
        with open(raw_path, "wb") as f:
            f.write(raw)
        subprocess.run(["wasm-opt", "-ttf", raw_path, "-o", wasm_path] + features, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.remove(raw_path)
        paths.append(wasm_path)
    return paths


def split_by_module(text):
    out, name = {}, None
    for line in text.splitlines():
        if line.startswith("module "):
            name = line[len("module "):]
            out[name] = []
        elif name is not None:
            out[name].append(line)
    return out


def run_harness(harness, paths, opt, work, extra):
    """Runs wasmaot over the modules in batches; a crashing batch is rerun one
    module at a time so the crash names its module."""
    results, crashes, failures = {}, [], []
    for start in range(0, len(paths), BATCH):
        batch = paths[start:start + BATCH]
        p = subprocess.run([harness, "-O", str(opt), "--work", work] + extra + batch, capture_output=True, text=True)
        if p.returncode in (0, 1):
            results.update(split_by_module(p.stdout))
            if p.returncode == 1:
                failures.append(p.stderr.strip())
            continue
        for path in batch:
            q = subprocess.run([harness, "-O", str(opt), "--work", work] + extra + [path], capture_output=True, text=True)
            if q.returncode not in (0, 1):
                crashes.append((path, q.returncode, q.stderr[-3000:]))
            else:
                results.update(split_by_module(q.stdout))
                if q.returncode == 1:
                    failures.append(q.stderr.strip())
    return results, crashes, failures


def first_difference(a, b):
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else None
        y = b[i] if i < len(b) else None
        if x != y:
            return x, y
    return None, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--opt", type=int, default=2)
    ap.add_argument("--work")
    ap.add_argument("--no-reference", action="store_true")
    ap.add_argument("--shared-instance", action="store_true",
                    help="call all exports on one instance (default: a fresh instance per call)")
    ap.add_argument("--keep", action="store_true", help="keep the modules (in --work)")
    ap.add_argument("--simd", action="store_true", help="modules use SIMD too (wasm-opt --enable-simd)")
    ap.add_argument("--exact-trap-state", action="store_true",
                    help="compile with --exact-trap-state (memory after a trap exact in vectorizable loops too)")
    args = ap.parse_args()

    work = args.work or tempfile.mkdtemp(prefix="wasmaot-diff-")
    os.makedirs(work, exist_ok=True)
    # With SIMD, NaN payloads reach memory and integers through
    # reinterpretation, and the spec lets them differ between engines (any
    # arithmetic NaN): binaryen's --denan turns every NaN into 0 at run time,
    # so only differences the spec forbids remain. The spec suite checks
    # NaN results lane by lane.
    features = FEATURES + (["--enable-simd", "--denan"] if args.simd else [])
    paths = generate(work, args.count, args.seed, features)
    extra = ["--shared-instance"] if args.shared_instance else []
    harness_extra = extra + (["--exact-trap-state"] if args.exact_trap_state else [])
    ours, crashes, failures = run_harness(args.harness, paths, args.opt, work, harness_extra)

    mismatches = 0
    calls = sum(1 for lines in ours.values() for l in lines if l.startswith("call "))
    traps = sum(1 for lines in ours.values() for l in lines if " trap:" in l)
    if not args.no_reference:
        p = subprocess.run(["node", os.path.join(HERE, "reference.mjs")] + extra + paths, capture_output=True, text=True)
        if p.returncode != 0:
            print(p.stderr)
            return 1
        ref = split_by_module(p.stdout)
        for path in paths:
            name = os.path.basename(path)
            a, b = ours.get(name), ref.get(name)
            if a is None:
                continue  # crashed or failed: reported below
            if a != b:
                mismatches += 1
                kept = os.path.join(work, "mismatch-" + name)
                shutil.copy(path, kept)
                print(f"MISMATCH {name} (kept as {kept}); wasmaot vs V8:")
                for i in range(max(len(a), len(b or []))):
                    x = a[i] if i < len(a) else "<none>"
                    y = b[i] if b and i < len(b) else "<none>"
                    if x != y:
                        print(f"  line {i}: wasmaot: {x}\n          v8:      {y}")
                        break

    for path, status, err in crashes:
        kept = os.path.join(work, "crash-" + os.path.basename(path))
        shutil.copy(path, kept)
        print(f"CRASH {os.path.basename(path)} (exit {status}; kept as {kept}):\n{err}")
    for f in failures:
        print(f"FAILED: {f}")
    what = "fuzz_compile" if args.no_reference else "differential"
    print(f"{what}: {len(paths)} modules (seed {args.seed}, -O{args.opt}), {calls} export calls, {traps} traps, "
          f"{mismatches} mismatches, {len(crashes)} crashes, {len(failures)} compile/link failures")
    ok = mismatches == 0 and not crashes and not failures
    if ok and not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

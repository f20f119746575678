#!/usr/bin/env python3
"""The quick start of `wasmaot run` on a cache miss (label `startup`).

  test_quick_start.py BIN_DIR WORK_DIR [--clang CLANG]

A module with at least 128 KiB of code (benchmarks/compile/gen_module.py,
150 functions) run against an empty cache:
- the first run starts from a -O0 build, prints what the native build of
  the same C prints, and leaves an -O2 build running in the background
  (WASMAOT_CACHE_TRACE says which entry a run used);
- a run while that build is under way uses the -O0 entry again and starts
  no second build;
- once the background build is done, the -O2 entry is in the cache, its
  pending copy of the module is gone, and the next run uses it;
- --wait-for-optimized compiles at -O2 and then runs (no -O0 entry, nothing
  in the background); -O0 asked for is compiled at -O0; a small module is
  compiled at the level asked for.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests"))
from e2e_helpers import Checks, generate_module  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir")
    ap.add_argument("work")
    ap.add_argument("--clang", default="clang-19")
    a = ap.parse_args()
    wasmaot = os.path.join(a.bin_dir, "wasmaot")
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    gen_dir = os.path.join(a.work, "gen")
    wasm = generate_module(gen_dir, 150, a.clang, 0.13)
    native = os.path.join(a.work, "gen.native")
    subprocess.run([a.clang, "-O1", os.path.join(gen_dir, "gen.c"), "-o", native], check=True)
    want = subprocess.run([native], capture_output=True, text=True, check=True).stdout
    c = Checks()

    def run(cache, *flags):
        env = dict(os.environ, WASMAOT_CACHE_DIR=cache, WASMAOT_CACHE_TRACE="1")
        t0 = time.monotonic()
        r = subprocess.run([wasmaot, "run", *flags, wasm], capture_output=True, text=True, env=env, timeout=300)
        return r, time.monotonic() - t0

    def entries(cache, pattern):
        return glob.glob(os.path.join(cache, pattern))

    cache = os.path.join(a.work, "cache")
    r, seconds = run(cache)
    c.check("first run prints what the native build prints", r.returncode == 0 and r.stdout == want,
            "exit %d, %r vs %r; %s" % (r.returncode, r.stdout, want, r.stderr))
    c.check("first run starts from a -O0 build and starts the -O2 one in the background",
            re.search(r"cache: quick start from \S+-O0-\S+\.so; the -O2 build started in the background", r.stderr)
            is not None, r.stderr)
    print("     first run took %.2f s" % seconds)

    r, _ = run(cache)
    pending = entries(cache, "*-O2-*.so.pending.wasm")
    c.check("a run meanwhile prints the same", r.returncode == 0 and r.stdout == want, r.stderr)
    c.check("... and uses the -O0 entry, or the -O2 one if it is done already",
            "still under way" in r.stderr or re.search(r"cache: hit \S+-O2-", r.stderr) is not None, r.stderr)
    c.check("... with no second build", "started in the background" not in r.stderr, r.stderr)

    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and entries(cache, "*-O2-*.so.pending.wasm"):
        time.sleep(0.5)
    c.check("the background build finishes: its pending copy is gone",
            not entries(cache, "*-O2-*.so.pending.wasm"), str(pending))
    c.check("... and the -O2 entry is in the cache", len(entries(cache, "*-O2-*.so")) == 1,
            str(os.listdir(cache)))
    r, _ = run(cache)
    c.check("the next run uses the -O2 entry",
            r.returncode == 0 and r.stdout == want and re.search(r"cache: hit \S+-O2-", r.stderr) is not None,
            r.stderr)

    cache2 = os.path.join(a.work, "cache-wait")
    r, _ = run(cache2, "--wait-for-optimized")
    c.check("--wait-for-optimized compiles at -O2 and runs",
            r.returncode == 0 and r.stdout == want and re.search(r"cache: compiled \S+-O2-", r.stderr) is not None,
            r.stderr)
    c.check("... leaving no -O0 entry and nothing pending",
            not entries(cache2, "*-O0-*") and not entries(cache2, "*.pending.wasm"), str(os.listdir(cache2)))

    cache3 = os.path.join(a.work, "cache-o0")
    r, _ = run(cache3, "-O0")
    c.check("-O0 asked for: compiled at -O0, nothing in the background",
            re.search(r"cache: compiled \S+-O0-", r.stderr) is not None and not entries(cache3, "*.pending.wasm"),
            r.stderr)

    small = os.path.join(a.work, "small.wat")
    with open(small, "w") as f:
        f.write('(module (memory (export "memory") 1) (func (export "_start")))\n')
    small_wasm = os.path.join(a.work, "small.wasm")
    subprocess.run(["wat2wasm", small, "-o", small_wasm], check=True)
    env = dict(os.environ, WASMAOT_CACHE_DIR=os.path.join(a.work, "cache-small"), WASMAOT_CACHE_TRACE="1")
    r = subprocess.run([wasmaot, "run", small_wasm], capture_output=True, text=True, env=env, timeout=120)
    c.check("a small module is compiled at the level asked for",
            r.returncode == 0 and re.search(r"cache: compiled \S+-O2-", r.stderr) is not None, r.stderr)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())

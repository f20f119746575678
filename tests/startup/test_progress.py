#!/usr/bin/env python3
"""The progress line of a long compile (label `startup`).

  test_progress.py BIN_DIR WORK_DIR [--clang CLANG]

A generated module of 400 functions compiled with one thread takes a few
seconds. Under a pseudo-terminal (script(1)) `wasmaot compile` draws
"wasmaot: compiling .../gen.wasm: N% (444 functions: ...)" lines whose
counts never go down and reach every function, and erases its line at the end; with
stderr not a terminal it prints nothing. Either way the .so is made.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests"))
from e2e_helpers import Checks, generate_module  # noqa: E402

LINE = re.compile(r"wasmaot: compiling \S*gen\.wasm: (\d+)% \((\d+) functions: (\d+) optimised, (\d+) in machine code\)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin_dir")
    ap.add_argument("work")
    ap.add_argument("--clang", default="clang-19")
    a = ap.parse_args()
    wasmaot = os.path.join(a.bin_dir, "wasmaot")
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    if not shutil.which("script"):
        print("skip: script(1) (util-linux) is not installed")
        return 77
    gen_dir = os.path.join(a.work, "gen")
    wasm = generate_module(gen_dir, 400, a.clang, 0)
    c = Checks()

    so = os.path.join(a.work, "tty.so")
    cmd = "%s compile -O2 -j 1 %s -o %s" % (wasmaot, wasm, so)
    r = subprocess.run(["script", "-q", "-e", "-c", cmd, "/dev/null"], capture_output=True, timeout=600)
    text = r.stdout.decode(errors="replace")
    frames = [f for f in re.split(r"[\r\n]", text.replace("\x1b[K", "")) if f.strip()]
    counts = [tuple(int(x) for x in m.groups()) for m in map(LINE.search, frames) if m]
    c.check("compile under a terminal succeeds", r.returncode == 0 and os.path.exists(so), text[-500:])
    c.check("progress lines are drawn", len(counts) >= 2, text[-500:])
    # 400 generated functions and the C library's.
    c.check("... counting the module's functions", len({n for _, n, _, _ in counts}) == 1 and counts[0][1] >= 400,
            str(counts[:3]))
    c.check("... and never going back",
            all(b[0] >= x[0] and b[2] >= x[2] and b[3] >= x[3] for x, b in zip(counts, counts[1:])), str(counts))
    # (The link step takes less than a redraw: its line may or may not show.)
    c.check("every function is shown optimised before the end", any(o == n for _, n, o, _ in counts), str(counts[-3:]))
    c.check("the line is erased at the end", text.rstrip("\r\n").endswith("\r\x1b[K"), repr(text[-40:]))

    so2 = os.path.join(a.work, "pipe.so")
    r = subprocess.run([wasmaot, "compile", "-O2", "-j", "1", wasm, "-o", so2], capture_output=True, timeout=600)
    c.check("without a terminal nothing is printed", r.returncode == 0 and r.stderr == b"" and r.stdout == b"",
            repr(r.stderr[-200:]))
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())

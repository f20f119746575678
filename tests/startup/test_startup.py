#!/usr/bin/env python3
"""Start-up checks of `wasmaot run` and `wasmaot-run` (label `startup`).

  test_startup.py BIN_DIR WORK_DIR

- Running a .so, or a .wasm whose cache entry exists, maps neither LLVM nor
  the compiler library nor libcrypto: read from /proc/PID/maps of the running
  process (the guest waits on stdin until the test has looked). A cache miss
  does map the compiler, which shows the check can fail.
- A cache hit still works when the compiler library cannot be found.
- The cache index never serves a stale hash: a file rewritten with the same
  size and its old mtime put back runs its new content, whether rewritten at
  once or after the index recorded it.
- Concurrent first runs of one module all succeed and leave one entry.
"""
import os
import subprocess
import sys
import time

BIN, WORK = sys.argv[1], sys.argv[2]
WASMAOT = os.path.join(BIN, "wasmaot")
LAUNCHER = os.path.join(BIN, "wasmaot-run")
CACHE = os.path.join(WORK, "cache")
FAILURES = []

# What must not be mapped when nothing is compiled or hashed.
HEAVY = ("libLLVM", "libwasmaot-compiler", "libcrypto")


def fail(message):
    print("FAIL: " + message)
    FAILURES.append(message)


def env(**extra):
    e = dict(os.environ, WASMAOT_CACHE_DIR=CACHE)
    e.update(extra)
    return e


def run_and_map(cmd, extra_env=None):
    """Runs cmd; once its guest waits on stdin, reads the process's maps.
    Returns (mapped file names, stdout, exit status, stderr)."""
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env(**(extra_env or {})))
    libraries = set()
    deadline = time.monotonic() + 120  # a cache miss compiles first
    while time.monotonic() < deadline and p.poll() is None:
        if guest_waiting(p.pid):
            try:
                with open("/proc/%d/maps" % p.pid) as f:
                    maps = f.read()
            except OSError:
                break
            libraries = {os.path.basename(fields[-1]) for fields in map(str.split, maps.splitlines())
                         if len(fields) >= 6 and fields[-1].startswith("/")}
            break
        time.sleep(0.005)
    out, err = p.communicate(b"x", timeout=120)
    return libraries, out.decode(), p.returncode, err.decode()


def guest_waiting(pid):
    """True while the process sleeps in a read of stdin (the guest's fd_read)."""
    try:
        with open("/proc/%d/syscall" % pid) as f:
            fields = f.read().split()
    except OSError:
        return False
    # read(2) is syscall 0 on x86-64, readv(2) 19; the first argument is the fd.
    return len(fields) > 1 and fields[0] in ("0", "19") and int(fields[1], 16) == 0


def heavy_in(libraries):
    return sorted(name for name in libraries if name.startswith(HEAVY))


def make_modules():
    wat = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wait_stdin.wat")
    wasm_a = os.path.join(WORK, "print_a.wasm")
    subprocess.run(["wat2wasm", wat, "-o", wasm_a], check=True)
    with open(wasm_a, "rb") as f:
        bytes_a = f.read()
    assert bytes_a.count(b"A\n") == 1
    return bytes_a, bytes_a.replace(b"A\n", b"B\n")


def write(path, data, mtime=None):
    with open(path, "wb") as f:
        f.write(data)
    if mtime is not None:
        os.utime(path, ns=(mtime, mtime))


def main():
    os.makedirs(WORK, exist_ok=True)
    subprocess.run(["rm", "-rf", CACHE], check=True)
    bytes_a, bytes_b = make_modules()
    wasm = os.path.join(WORK, "module.wasm")
    so = os.path.join(WORK, "module.so")
    write(wasm, bytes_a)
    subprocess.run([WASMAOT, "compile", wasm, "-o", so], check=True)

    # 1. A .so: no LLVM, no compiler library, no libcrypto, in either command.
    for cmd in ([WASMAOT, "run", so], [LAUNCHER, so]):
        libs, out, status, err = run_and_map(cmd)
        if status != 0 or out != "A\n":
            fail("%s: exit %d, output %r, %s" % (" ".join(cmd), status, out, err))
        if not libs:
            fail("%s: could not read the running process's maps" % " ".join(cmd))
        if heavy_in(libs):
            fail("%s maps %s" % (" ".join(cmd), ", ".join(heavy_in(libs))))

    # 2. A cache miss loads the compiler (the check above can fail).
    libs, out, status, err = run_and_map([WASMAOT, "run", wasm])
    if status != 0 or out != "A\n":
        fail("first run of module.wasm: exit %d, output %r, %s" % (status, out, err))
    if not any(name.startswith("libLLVM") for name in libs):
        fail("a cache miss did not map libLLVM (maps: %s): the maps check sees nothing" % sorted(libs))

    # 3. A cache hit once the index has recorded the file: nothing heavy, not
    #    even libcrypto (the file is not hashed). The index records a file
    #    only once its ctime is 2 s old.
    time.sleep(2.2)
    subprocess.run([WASMAOT, "run", wasm], input=b"x", env=env(), check=True, capture_output=True)
    if not os.listdir(os.path.join(CACHE, "index")):
        fail("no index record after a run of a settled file")
    libs, out, status, err = run_and_map([WASMAOT, "run", wasm])
    if status != 0 or out != "A\n":
        fail("cached module.wasm: exit %d, output %r, %s" % (status, out, err))
    if heavy_in(libs):
        fail("wasmaot run on a cache hit maps %s" % ", ".join(heavy_in(libs)))

    # 4. A cache hit needs no compiler at all.
    r = subprocess.run([WASMAOT, "run", wasm], input=b"x", capture_output=True,
                       env=env(WASMAOT_COMPILER_LIBRARY="/nonexistent/libwasmaot-compiler.so"))
    if r.returncode != 0 or r.stdout != b"A\n":
        fail("cache hit without the compiler library: exit %d, %r" % (r.returncode, r.stderr))
    other = os.path.join(WORK, "other.wasm")
    write(other, bytes_a + b"\x00\x05\x04name")  # a custom section: new content, uncached
    r = subprocess.run([WASMAOT, "run", other], input=b"x", capture_output=True,
                       env=env(WASMAOT_COMPILER_LIBRARY="/nonexistent/libwasmaot-compiler.so"))
    lines = r.stderr.decode().strip().splitlines()
    if r.returncode == 0 or len(lines) != 1 or "cannot load the compiler" not in lines[0]:
        fail("cache miss without the compiler library: exit %d, %r" % (r.returncode, r.stderr))

    # 5. Same size, old mtime put back, after the index recorded the file:
    #    the ctime differs, so the new content runs.
    mtime = os.stat(wasm).st_mtime_ns
    write(wasm, bytes_b, mtime)
    r = subprocess.run([WASMAOT, "run", wasm], input=b"x", capture_output=True, env=env())
    if r.stdout != b"B\n":
        fail("rewritten module (same size and mtime) ran stale code: %r %r" % (r.stdout, r.stderr))
    # ... and at once, twice within one clock tick of the file system.
    write(wasm, bytes_a, mtime)
    r1 = subprocess.run([WASMAOT, "run", wasm], input=b"x", capture_output=True, env=env())
    write(wasm, bytes_b, mtime)
    r2 = subprocess.run([WASMAOT, "run", wasm], input=b"x", capture_output=True, env=env())
    if (r1.stdout, r2.stdout) != (b"A\n", b"B\n"):
        fail("quick rewrites ran %r then %r, expected A then B" % (r1.stdout, r2.stdout))

    # 6. Concurrent first runs: all succeed, one entry.
    fresh = os.path.join(WORK, "fresh.wasm")
    write(fresh, bytes_b + b"\x00\x06\x05fresh")
    before = {n for n in os.listdir(CACHE) if n.endswith(".so")}
    procs = [subprocess.Popen([WASMAOT, "run", "-O0", fresh], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
             for _ in range(6)]
    for p in procs:
        out, err = p.communicate(b"x", timeout=300)
        if p.returncode != 0 or out != b"B\n":
            fail("concurrent first run: exit %d, %r %r" % (p.returncode, out, err))
    added = {n for n in os.listdir(CACHE) if n.endswith(".so")} - before
    if len(added) != 1:
        fail("concurrent first runs left %d new entries, expected 1" % len(added))
    leftovers = [n for n in os.listdir(CACHE) if ".tmp-" in n]
    if leftovers:
        fail("temporary files left behind: %s" % leftovers)

    if FAILURES:
        print("%d check(s) failed" % len(FAILURES))
        return 1
    print("all start-up checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Socket ABI families side by side: the per-call cost of the same program
(tests/abi/abi_scenarios.c) over WAMR's, WasmEdge V1's, WasmEdge V2's and
wasmtime's preview-1 imports, each against its native build.

Two experiments, each run once per family in every round, the families
taking turns (the first rotates), median over the rounds:

  bench      inside one program: 1-byte TCP round trips between its own
             loopback sockets (4 calls: send, recv, send, recv) and 64-byte
             UDP send_to + recv_from pairs (the calls that differ most
             between the ABIs). Native and the three families that can open
             sockets (preview 1 cannot).
  listener   the program serves a listening socket it was given (native:
             passed as an fd; wasm: `--tcplisten`, accepted with preview 1's
             sock_accept) and echoes a native client's 1-byte round trips.
             Every family, wasmtime's included.

Wall-clock figures on a small VM move by 10-20 % from run to run, far more
than the ABIs differ, so the per-call cost is also counted exactly when
valgrind is installed: user-space instructions (guest, runtime, libc; not
the kernel) per `bench` iteration (4 TCP calls and 2 UDP calls) under
callgrind, from the difference between runs of 2,000 and 4,000 iterations
(start-up cancels out), for each family and natively. The wasm modules are
compiled for x86-64 (baseline) for this, which valgrind can execute.

The listener's client runs on CPU 0 and its server on CPU 1 (taskset) when
there are two CPUs. Uses the binaries the build makes for tests/abi (abi_native, abi_*.so).
Each ratio is the median over the rounds of the family's time over the
native time of the same round. Prints a table and writes JSON to --out. Exit status 0 ok, 1 on a failure.

Usage: benchmarks/abi/run.py [--build DIR] [--out FILE] [--rounds N] [--iters N] [--smoke]
"""
import argparse
import json
import os
import socket
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
FAMILIES = ["wamr", "wasmedge_v1", "wasmedge_v2", "wasmtime"]
TIMEOUT = 120


def parse_result(text):
    for line in text.splitlines():
        if line.startswith("result "):
            out = {}
            for kv in line.split()[1:]:
                k, _, v = kv.partition("=")
                try:
                    out[k] = float(v)
                except ValueError:
                    out[k] = v
            return out
    raise RuntimeError("no result line in %r" % text)


def pinned(cmd, cpu):
    """cmd on one CPU (the client on 0, the server on 1, as the socket
    benchmark does) when there are two and taskset exists."""
    if (os.cpu_count() or 1) >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", str(cpu)] + cmd
    return cmd


class Bench:
    def __init__(self, build, work):
        self.dir = os.path.join(build, "tests", "abi")
        self.wasmaot = os.path.join(build, "bin", "wasmaot")
        self.native = os.path.join(self.dir, "abi_native")
        self.env = dict(os.environ, WASMAOT_CACHE_DIR=os.path.join(work, "cache"))

    def guest(self, family):
        return os.path.join(self.dir, "abi_%s.so" % family)

    def bench(self, family, iters):
        if family == "native":
            cmd = [self.native, "bench", str(iters)]
        else:
            cmd = [self.wasmaot, "run", "--addr-pool=127.0.0.1/32", self.guest(family), "bench", str(iters)]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=self.env)
        if p.returncode != 0:
            raise RuntimeError("%s bench: exit %d: %s%s" % (family, p.returncode, p.stdout, p.stderr))
        return parse_result(p.stdout)

    def listener(self, family, iters):
        """The family's program serves; the native build is the client."""
        if family == "native":
            lsock = socket.socket()
            lsock.bind(("127.0.0.1", 0))
            lsock.listen(1)
            port = lsock.getsockname()[1]
            server = subprocess.Popen(pinned([self.native, "serve", str(lsock.fileno())], 1),
                                      pass_fds=[lsock.fileno()],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            lsock.close()
        else:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            server = subprocess.Popen(pinned([self.wasmaot, "run", "--tcplisten=127.0.0.1:%d" % port,
                                              self.guest(family), "serve", "3"], 1), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env=self.env)
        return self.client(server, port, family, iters)

    def client(self, server, port, family, iters):
        deadline = time.monotonic() + 10
        while True:
            p = subprocess.run(pinned([self.native, "pingpong", "127.0.0.1", str(port), str(iters)], 0),
                               capture_output=True, text=True, timeout=TIMEOUT)
            if p.returncode == 0 or time.monotonic() > deadline or server.poll() is not None:
                break
            time.sleep(0.02)  # refused: the runtime has not opened the listener yet
        server.wait(timeout=TIMEOUT)
        if p.returncode != 0:
            raise RuntimeError("%s listener: client exit %d: %s" % (family, p.returncode, p.stdout))
        return parse_result(p.stdout)


def instructions_per_iteration(b, family, work):
    """User-space instructions per `bench` iteration under callgrind."""
    if family == "native":
        cmd = [b.native]
    else:
        so = os.path.join(work, "abi_%s.x86-64.so" % family)
        subprocess.run([b.wasmaot, "compile", "--target-cpu=x86-64", "-j", "1",
                        os.path.join(b.dir, "abi_%s.wasm" % family), "-o", so], check=True, capture_output=True)
        cmd = [b.wasmaot, "run", "--addr-pool=127.0.0.1/32", so]
    counts = []
    for n in (2000, 4000):
        p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd + ["bench", str(n)],
                           capture_output=True, text=True, timeout=600, env=b.env)
        m = [line for line in p.stderr.splitlines() if "I   refs:" in line]
        if p.returncode != 0 or not m:
            raise RuntimeError("callgrind %s: exit %d: %s" % (family, p.returncode, p.stderr[-500:]))
        counts.append(int(m[-1].split(":")[1].replace(",", "")))
    return (counts[1] - counts[0]) / 2000


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--out", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--iters", type=int, default=50000)
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if a.smoke:
        a.rounds, a.iters = 1, 200
    work = a.work or os.path.join(a.build, "bench", "abi")
    os.makedirs(work, exist_ok=True)
    b = Bench(a.build, work)
    for f in FAMILIES:
        if not os.path.exists(b.guest(f)):
            print("benchmarks/abi: %s is not built (tests/abi)" % b.guest(f), file=sys.stderr)
            return 1

    bench_rows = ["native"] + [f for f in FAMILIES if f != "wasmtime"]
    listener_rows = ["native"] + FAMILIES
    samples = {("bench", f): [] for f in bench_rows}
    samples.update({("listener", f): [] for f in listener_rows})
    for r in range(a.rounds):
        order = listener_rows[r % len(listener_rows):] + listener_rows[:r % len(listener_rows)]
        for f in order:
            if f in bench_rows:
                samples[("bench", f)].append(b.bench(f, a.iters))
            samples[("listener", f)].append(b.listener(f, a.iters))

    def med(kind, f, key):
        return statistics.median(s[key] for s in samples[(kind, f)])

    def paired(kind, f, key):
        """Median over the rounds of (this family / native in the same
        round): each round's runs are adjacent in time, so drift in the
        machine's load cancels out."""
        return statistics.median(x[key] / n[key] for x, n in zip(samples[(kind, f)], samples[(kind, "native")]))

    result = {"rounds": a.rounds, "iters": a.iters, "families": {}}
    for f in listener_rows:
        row = {}
        for kind, key in (("bench", "tcp_round_trip_ns"), ("bench", "udp_pair_ns"),
                          ("listener", "round_trip_ns")):
            if (kind, f) not in samples:
                continue
            name = "listener_round_trip_ns" if kind == "listener" else key
            row[name] = med(kind, f, key)
            row[name.replace("_ns", "_ratio")] = paired(kind, f, key)
        result["families"][f] = row

    print("%-12s %22s %22s %26s" % ("family", "TCP round trip (4 calls)", "UDP send_to+recv_from",
                                    "listener echo round trip"))
    for f, row in result["families"].items():
        def cell(key):
            if key + "_ns" not in row:
                return "-"
            return "%.0f ns (%.2fx)" % (row[key + "_ns"], row[key + "_ratio"])
        print("%-12s %22s %22s %26s" % (f, cell("tcp_round_trip"), cell("udp_pair"), cell("listener_round_trip")))
    if shutil.which("valgrind") and not a.smoke:
        instr = {f: instructions_per_iteration(b, f, work) for f in bench_rows}
        result["instructions_per_iteration"] = instr
        print("user-space instructions per iteration (4 TCP + 2 UDP calls): " +
              ", ".join("%s %.0f" % (f, v) for f, v in instr.items()))
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(result, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())

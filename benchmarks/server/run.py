#!/usr/bin/env python3
"""Poll-loop echo server benchmark: guest-sdk/examples/tcp_echo_server.c built
natively (clang-19 -O2) and as wasm (wasmaot-cc -O2, wasmaot compile -O2),
served the same load by echo_client.c (native), side by side in one run.

For each connection count (default 1, 16, 256, 1000), the server pinned to
CPU 1 and the client to CPU 0 (taskset, when there are two CPUs), every
connection keeps one 64-byte echo in flight; round trips per second over
--seconds, native and wasm interleaved --rounds times, medians and the
wasm/native ratio (the median of the rounds' ratios). Then the scale case: --idle (default 10000) silent
connections beside 16 active ones. Then the thread-per-connection server
(guest-sdk/examples/tcp_thread_server.c, built with -pthread: one guest
thread per client over wasi-threads) at --threaded-conns (default 16, 64)
with 64-byte and 16 KiB messages. Then syscalls per echo: the server under
`strace -f -c` for --strace-echoes round trips over 16 connections (strace
slows both servers alike; only the counts are used), total and per call.

  benchmarks/server/run.py [--build DIR] [--work DIR] [--out FILE.json]
                           [--conns 1,16,256,1000] [--idle 10000] [--rounds 5]
                           [--seconds 1.5] [--strace-echoes 20000] [--threaded-conns 16,64] [--smoke]

--smoke: one round of 0.3 s at 1 and 16 connections, 200 idle, 2000 echoes
under strace (checks that everything works). Prints a table and writes JSON.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tools"))
from strace_counts import syscall_counts  # noqa: E402
SERVER_SRC = os.path.join(REPO, "guest-sdk", "examples", "tcp_echo_server.c")
THREAD_SERVER_SRC = os.path.join(REPO, "guest-sdk", "examples", "tcp_thread_server.c")
CLIENT_LINE = re.compile(r"roundtrips=(\d+) seconds=([0-9.]+) rt_per_s=([0-9.]+)")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def build(build_dir, work, clang):
    os.makedirs(work, exist_ok=True)
    native = os.path.join(work, "tcp_echo_server.native")
    wasm = os.path.join(work, "tcp_echo_server.wasm")
    so = os.path.join(work, "tcp_echo_server.so")
    client = os.path.join(work, "echo_client")
    sh([clang, "-O2", SERVER_SRC, "-o", native])
    sh([clang, "-O2", os.path.join(HERE, "echo_client.c"), "-o", client])
    sh([os.path.join(build_dir, "bin", "wasmaot-cc"), "-O2", SERVER_SRC, "-o", wasm])
    sh([os.path.join(build_dir, "bin", "wasmaot"), "compile", "-O2", wasm, "-o", so])
    # The thread-per-connection server, both ways.
    sh([clang, "-O2", "-pthread", THREAD_SERVER_SRC, "-o", os.path.join(work, "tcp_thread_server.native")])
    twasm = os.path.join(work, "tcp_thread_server.wasm")
    sh([os.path.join(build_dir, "bin", "wasmaot-cc"), "-pthread", "-O2", THREAD_SERVER_SRC, "-o", twasm])
    sh([os.path.join(build_dir, "bin", "wasmaot"), "compile", "-O2", twasm, "-o", os.path.join(work, "tcp_thread_server.so")])
    return native, so, client


class Bench:
    def __init__(self, a, native, so, client, work):
        self.a, self.native, self.so, self.client, self.work = a, native, so, client, work
        self.pin = shutil.which("taskset") and (os.cpu_count() or 1) > 1 and not a.no_pin
        self.wasmaot = os.path.join(a.build, "bin", "wasmaot")
        # The guest needs more than the default 1,024 fds for the scale case,
        # and more than the default 64 threads for the threaded server.
        self.policy = os.path.join(work, "policy.json")
        with open(self.policy, "w") as f:
            json.dump({"version": 1, "limits": {"open_fds": 20000, "threads": 1024}}, f)

    def pinned(self, cpu, cmd):
        return (["taskset", "-c", str(cpu)] if self.pin else []) + cmd

    def server_cmd(self, kind, max_clients, exit_after):
        """kind: native / wasm (the poll server) or native-thread / wasm-thread."""
        threaded = kind.endswith("-thread")
        args = ["--bind", "127.0.0.1", "-q"] + ([] if threaded else ["--max-clients", str(max_clients)])
        args += ["--exit-after", str(exit_after)] if exit_after else []
        if kind == "native":
            return [self.native] + args + ["0"]
        if kind == "native-thread":
            return [os.path.join(self.work, "tcp_thread_server.native")] + args + ["0"]
        so = os.path.join(self.work, "tcp_thread_server.so") if threaded else self.so
        return [self.wasmaot, "run", "--addr-pool=127.0.0.1/32", "--policy", self.policy, so] + args + ["0"]

    def start_server(self, kind, max_clients, prefix=(), exit_after=0):
        proc = subprocess.Popen(list(prefix) + self.pinned(1, self.server_cmd(kind, max_clients, exit_after)),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = proc.stdout.readline()
        m = re.match(r"listening on (\d+)", line)
        if not m:
            proc.kill()
            raise RuntimeError("%s server did not start: %r %s" % (kind, line, proc.stderr.read()))
        return proc, m.group(1)

    def stop_server(self, proc):
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def client_run(self, port, active, idle=0, seconds=None, echoes=None, size=64):
        cmd = [self.client, "--active", str(active), "--idle", str(idle), "--size", str(size)]
        cmd += ["--echoes", str(echoes)] if echoes else ["--seconds", str(seconds)]
        out = sh(self.pinned(0, cmd + ["127.0.0.1", port]), timeout=600).stdout
        m = CLIENT_LINE.search(out)
        if not m:
            raise RuntimeError("no result from echo_client: %r" % out)
        return float(m.group(3))

    def throughput(self, kind, active, idle=0, size=64):
        proc, port = self.start_server(kind, active + idle + 8)
        try:
            return self.client_run(port, active, idle, seconds=self.a.seconds, size=size)
        finally:
            self.stop_server(proc)

    def syscalls(self, kind, active, echoes):
        out = os.path.join(self.work, "strace-%s.txt" % kind)
        # The server exits by itself once the client's connections are closed,
        # so strace -c ends with it and writes its table.
        proc, port = self.start_server(kind, active + 8, prefix=["strace", "-f", "-c", "-o", out],
                                       exit_after=active)
        try:
            self.client_run(port, active, echoes=echoes)
            proc.wait(timeout=60)
        finally:
            self.stop_server(proc)
        return syscall_counts(out)


def measure(a, bench):
    rows = []
    cases = [(c, 0) for c in a.conns] + ([(16, a.idle)] if a.idle else [])
    for active, idle in cases:
        native, wasm = [], []
        for _ in range(a.rounds):  # interleaved: native, wasm, native, wasm ...
            native.append(bench.throughput("native", active, idle))
            wasm.append(bench.throughput("wasm", active, idle))
        row = {"active": active, "idle": idle, "native_rt_s": statistics.median(native),
               "wasm_rt_s": statistics.median(wasm), "native_runs": native, "wasm_runs": wasm}
        # The ratio: the median of each round's wasm/native (the two runs of a
        # round are adjacent in time, so a drift of the machine's speed, which
        # is large on a shared VM, cancels); the ratio of the medians beside it.
        row["ratio"] = statistics.median(w / n for w, n in zip(wasm, native))
        row["ratio_of_medians"] = row["wasm_rt_s"] / row["native_rt_s"]
        rows.append(row)
        print("%6d %6d %12.0f %12.0f %7.3f %9.3f" % (active, idle, row["native_rt_s"], row["wasm_rt_s"],
                                                   row["ratio"], row["ratio_of_medians"]), flush=True)
    return rows


def measure_threaded(a, bench):
    """The thread-per-connection server: one guest thread per client."""
    rows = []
    for active in a.threaded_conns:
        for size in (64, 16384):
            native, wasm = [], []
            for _ in range(a.rounds):
                native.append(bench.throughput("native-thread", active, size=size))
                wasm.append(bench.throughput("wasm-thread", active, size=size))
            row = {"active": active, "message_bytes": size, "native_rt_s": statistics.median(native),
                   "wasm_rt_s": statistics.median(wasm), "native_runs": native, "wasm_runs": wasm,
                   "ratio": statistics.median(w / n for w, n in zip(wasm, native))}
            row["native_mb_s"] = row["native_rt_s"] * size * 2 / 1e6
            row["wasm_mb_s"] = row["wasm_rt_s"] * size * 2 / 1e6
            rows.append(row)
            print("%6d %7d %12.0f %12.0f %7.3f" % (active, size, row["native_rt_s"], row["wasm_rt_s"], row["ratio"]),
                  flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--out", default=None)
    ap.add_argument("--clang", default=os.environ.get("CLANG", "clang-19"))
    ap.add_argument("--conns", default="1,16,256,1000")
    ap.add_argument("--idle", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--strace-echoes", type=int, default=20000)
    ap.add_argument("--threaded-conns", default="16,64")
    ap.add_argument("--no-pin", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if a.smoke:
        a.conns, a.idle, a.rounds, a.seconds, a.strace_echoes = "1,16", 200, 1, 0.3, 2000
        a.threaded_conns = "16"
    a.conns = [int(c) for c in a.conns.split(",") if c]
    a.threaded_conns = [int(c) for c in a.threaded_conns.split(",") if c]
    a.build = os.path.abspath(a.build)
    work = a.work or os.path.join(a.build, "bench", "server")
    native, so, client = build(a.build, work, a.clang)
    bench = Bench(a, native, so, client, work)

    print("%6s %6s %12s %12s %7s %9s" % ("active", "idle", "native_rt/s", "wasm_rt/s", "ratio", "of_medians"))
    rows = measure(a, bench)
    print("\nthread-per-connection server (one guest thread per client):")
    print("%6s %7s %12s %12s %7s" % ("active", "bytes", "native_rt/s", "wasm_rt/s", "ratio"))
    threaded = measure_threaded(a, bench)
    result = {"rows": rows, "threaded_rows": threaded, "rounds": a.rounds, "seconds": a.seconds,
              "message_bytes": 64, "pinned": bool(bench.pin)}
    if shutil.which("strace"):
        sys_rows = {}
        for kind in ("native", "wasm"):
            calls = bench.syscalls(kind, 16, a.strace_echoes)
            total = sum(calls.values())
            sys_rows[kind] = {"total": total, "per_echo": total / a.strace_echoes, "calls": calls}
        result["syscalls"] = {"echoes": a.strace_echoes, "active": 16, **sys_rows}
        print("\nsyscalls per echo (16 connections, %d echoes, strace -c):" % a.strace_echoes)
        for kind in ("native", "wasm"):
            r = sys_rows[kind]
            names = sorted(r["calls"], key=lambda n: -r["calls"][n])[:6]
            top = ", ".join("%s %.2f" % (n, r["calls"][n] / a.strace_echoes) for n in names)
            print("  %-6s %.2f  (%s)" % (kind, r["per_echo"], top))
    else:
        print("\n(strace not found: syscalls per echo not measured)")
    out = a.out or os.path.join(work, "server.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print("results: %s" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

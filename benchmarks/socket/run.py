#!/usr/bin/env python3
"""Socket benchmark: the same C program (sockbench.c) natively and as wasm -> .so.

Builds sockbench.c natively (clang-19 -O2) and as wasm (wasmaot-cc -O2, then
`wasmaot compile -O2`), then runs, in every round, every experiment in each
pairing sender -> receiver (native->native, wasm->native, native->wasm,
wasm->wasm) one after the other, so the pairings take turns (A B C D A B C D
...; the pairing that goes first rotates from round to round) and drift in the
machine's load hits them alike:

  tcp       streaming over loopback TCP, sendmsg()/recvmsg() with two iovecs
            a call, at every chunk size (64 B .. 1 MiB), for --ms each
  pingpong  1-byte send + 1-byte recv round trips (TCP_NODELAY) for --ms
  udp       sendto()/recvfrom() of 64 B and 1400 B datagrams for --ms

The sender (client) runs on CPU 0 and the receiver (server) on CPU 1
(`taskset`) when the machine has two CPUs or more. The wasm side runs as
`wasmaot run --addr-pool=127.0.0.1/32 sockbench.so ...`. Each program times
itself (start-up excluded) and prints one `result key=value ...` line; the
median over the rounds is reported; each wasm pairing's ratio to
native->native is the ratio of the medians ("ratio") and, as a check on drift,
also the median of the per-round ratios ("ratio_paired": each round's runs are
adjacent in time).

Writes JSON to --out and prints a table. Exit status 0 ok, 1 on any failure.

  --smoke   one round, short transfers, only checks that everything works.

Usage: benchmarks/socket/run.py [--build DIR] [--work DIR] [--out FILE]
                                [--rounds N] [--ms MS] [--smoke] [--no-pin]
"""
import argparse
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))

TCP_SIZES = [64, 1024, 16384, 262144, 1048576]
UDP_SIZES = [64, 1400]
# (name, sender build, receiver build)
PAIRINGS = [("native->native", "native", "native"),
            ("wasm->native", "wasm", "native"),
            ("native->wasm", "native", "wasm"),
            ("wasm->wasm", "wasm", "wasm")]
SMALL = [64, 1024]  # chunk sizes for the extra cost per call
TIMEOUT = 60


def sh(cmd):
    return subprocess.run(cmd, check=True, text=True, capture_output=True)


def parse_result(text):
    for line in text.splitlines():
        if line.startswith("result "):
            rec = {}
            for kv in line.split()[1:]:
                k, _, v = kv.partition("=")
                try:
                    rec[k] = int(v)
                except ValueError:
                    try:
                        rec[k] = float(v)
                    except ValueError:
                        rec[k] = v
            return rec
    raise RuntimeError("no result line in %r" % text)


def build(build_dir, work, clang):
    src = os.path.join(HERE, "sockbench.c")
    native = os.path.join(work, "sockbench.native")
    wasm = os.path.join(work, "sockbench.wasm")
    so = os.path.join(work, "sockbench.so")
    sh([clang, "-O2", src, "-o", native])
    sh([os.path.join(build_dir, "bin", "wasmaot-cc"), "-O2", src, "-o", wasm])
    sh([os.path.join(build_dir, "bin", "wasmaot"), "compile", "-O2", wasm, "-o", so])
    return native, so


class Runner:
    def __init__(self, native, so, wasmaot, pin):
        self.cmd = {"native": [native],
                    "wasm": [wasmaot, "run", "--addr-pool=127.0.0.1/32", so]}
        self.pin = pin

    def _pinned(self, cpu, cmd):
        return (["taskset", "-c", str(cpu)] if self.pin else []) + cmd

    def pair(self, server_build, server_args, client_build, client_args):
        """Starts the server, reads its port, runs the client with the port
        inserted first; returns (client result, server result)."""
        server = subprocess.Popen(self._pinned(1, self.cmd[server_build] + server_args),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            ready, _, _ = select.select([server.stdout], [], [], TIMEOUT)
            line = server.stdout.readline() if ready else ""
            if not line.startswith("port "):
                raise RuntimeError("server %s %s did not start: %r %s" % (
                    server_build, " ".join(server_args), line, server.stderr.read()
                    if server.poll() is not None else ""))
            port = line.split()[1]
            client = subprocess.run(
                self._pinned(0, self.cmd[client_build] + [client_args[0], port] + client_args[1:]),
                text=True, capture_output=True, timeout=TIMEOUT)
            if client.returncode != 0:
                raise RuntimeError("client %s %s failed (%d): %s" % (
                    client_build, " ".join(client_args), client.returncode, client.stderr.strip()))
            out, err = server.communicate(timeout=TIMEOUT)
            if server.returncode != 0:
                raise RuntimeError("server %s %s failed (%d): %s" % (
                    server_build, " ".join(server_args), server.returncode, err.strip()))
            return parse_result(client.stdout), parse_result(out)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()


def experiments(ms, sizes, udp_sizes):
    """(kind, size, server args, client args) in the order of one round."""
    out = []
    for size in sizes:
        out.append(("tcp", size, ["tcp-recv", str(size)], ["tcp-send", str(size), str(ms)]))
    out.append(("pingpong", 1, ["pp-server"], ["pp-client", str(ms)]))
    for size in udp_sizes:
        out.append(("udp", size, ["udp-recv", str(size)], ["udp-send", str(size), str(ms)]))
    return out


def med(xs):
    return statistics.median(xs) if xs else None


def summarize(kind, size, runs):
    """runs: {pairing: [(client, server), ...]} for one experiment."""
    out = {"kind": kind, "size": size, "pairings": {}}
    base = runs.get("native->native", [])
    for name, sb, rb in PAIRINGS:
        rs = runs.get(name, [])
        if not rs:
            continue
        snd = [c for c, _ in rs]
        rcv = [s for _, s in rs]
        rec = {"sender": sb, "receiver": rb, "rounds": len(rs)}
        if kind == "tcp":
            rec.update(
                mb_per_s=med([c["mb_per_s"] for c in snd]),
                send_calls_per_s=med([c["calls_per_s"] for c in snd]),
                send_ns_per_call=med([c["ns_per_call"] for c in snd]),
                send_cpu_ns_per_call=med([c["cpu_ns_per_call"] for c in snd]),
                recv_calls_per_s=med([s["calls_per_s"] for s in rcv]),
                recv_ns_per_call=med([s["ns_per_call"] for s in rcv]),
                recv_cpu_ns_per_call=med([s["cpu_ns_per_call"] for s in rcv]),
                mb_per_s_runs=[c["mb_per_s"] for c in snd],
                send_ns_per_call_runs=[c["ns_per_call"] for c in snd],
                send_cpu_ns_per_call_runs=[c["cpu_ns_per_call"] for c in snd],
                recv_ns_per_call_runs=[s["ns_per_call"] for s in rcv],
                recv_cpu_ns_per_call_runs=[s["cpu_ns_per_call"] for s in rcv])
            key = "mb_per_s"
        elif kind == "pingpong":
            rec.update(
                round_trips_per_s=med([c["calls_per_s"] for c in snd]),
                ns_per_round_trip=med([c["ns_per_call"] for c in snd]),
                client_cpu_ns_per_round_trip=med([c["cpu_ns_per_call"] for c in snd]),
                server_cpu_ns_per_round_trip=med([s["cpu_ns_per_call"] for s in rcv]),
                round_trips_per_s_runs=[c["calls_per_s"] for c in snd],
                ns_per_round_trip_runs=[c["ns_per_call"] for c in snd],
                client_cpu_ns_per_round_trip_runs=[c["cpu_ns_per_call"] for c in snd],
                server_cpu_ns_per_round_trip_runs=[s["cpu_ns_per_call"] for s in rcv])
            key = "round_trips_per_s"
        else:
            rec.update(
                sent_per_s=med([c["calls_per_s"] for c in snd]),
                send_ns_per_call=med([c["ns_per_call"] for c in snd]),
                send_cpu_ns_per_call=med([c["cpu_ns_per_call"] for c in snd]),
                received_per_s=med([s["calls_per_s"] for s in rcv]),
                recv_cpu_ns_per_call=med([s["cpu_ns_per_call"] for s in rcv]),
                delivered=med([s["calls"] / c["calls"] for c, s in rs if c["calls"]]),
                sent_per_s_runs=[c["calls_per_s"] for c in snd])
            key = "sent_per_s"
        if name != "native->native" and base:
            # Paired ratio: each round's run against the same round's native run.
            ratios = [c[kk] / b[kk] for (c, _), (b, _) in zip(rs, base)
                      for kk in ["calls_per_s" if kind != "tcp" else "mb_per_s"] if b[kk]]
            rec["ratio"] = rec[key] / out["pairings"]["native->native"][key]
            rec["ratio_paired"] = med(ratios)
        out["pairings"][name] = rec
    return out


def paired_diff(rec, base, key, div=1.0):
    """Median over the rounds of (rec's value - the same round's native value) / div."""
    a, b = rec.get(key + "_runs", []), base.get(key + "_runs", [])
    d = [(x - y) / div for x, y in zip(a, b)]
    return med(d)


def extra_costs(results):
    """Extra ns per send/recv call of the wasm side against native->native,
    at the small chunk sizes and from the ping-pong: the median over the
    rounds of the difference between runs of the same round, with the wall
    clock and with the calling thread's CPU time."""
    rows = []
    for r in results:
        p = r["pairings"]
        nn = p.get("native->native")
        if not nn:
            continue
        if r["kind"] == "tcp" and r["size"] in SMALL:
            for name, side in (("wasm->native", "send"), ("native->wasm", "recv"),
                               ("wasm->wasm", "send"), ("wasm->wasm", "recv")):
                if name in p:
                    rows.append({
                        "what": "tcp %d B %s call (%s)" % (r["size"], side, name),
                        "size": r["size"], "pairing": name, "call": side,
                        "wall_ns": paired_diff(p[name], nn, side + "_ns_per_call"),
                        "cpu_ns": paired_diff(p[name], nn, side + "_cpu_ns_per_call")})
        if r["kind"] == "pingpong":
            # A round trip is one send + one recv on each side.
            for name, calls, sides in (("wasm->native", 2, ["client"]),
                                       ("native->wasm", 2, ["server"]),
                                       ("wasm->wasm", 4, ["client", "server"])):
                if name not in p:
                    continue
                cpu = sum(paired_diff(p[name], nn, side + "_cpu_ns_per_round_trip", calls)
                          for side in sides)
                rows.append({
                    "what": "ping-pong call (%s)" % name, "size": 1, "pairing": name,
                    "call": "send+recv",
                    "wall_ns": paired_diff(p[name], nn, "ns_per_round_trip", calls),
                    "cpu_ns": cpu})
    return rows


def fmt(x, nd=1):
    return "-" if x is None else ("%.*f" % (nd, x))


def print_table(summary):
    print("\n%-9s %8s %-15s %10s %12s %12s %7s" % (
        "kind", "size", "pairing", "MB/s", "calls/s", "ns/call", "ratio"))
    for r in summary["results"]:
        for name, rec in r["pairings"].items():
            if r["kind"] == "tcp":
                vals = (rec["mb_per_s"], rec["send_calls_per_s"], rec["send_ns_per_call"])
            elif r["kind"] == "pingpong":
                vals = (None, rec["round_trips_per_s"], rec["ns_per_round_trip"])
            else:
                vals = (rec["sent_per_s"] * r["size"] / 1e6, rec["sent_per_s"],
                        rec["send_ns_per_call"])
            print("%-9s %8d %-15s %10s %12s %12s %7s" % (
                r["kind"], r["size"], name, fmt(vals[0]), fmt(vals[1], 0), fmt(vals[2], 0),
                fmt(rec.get("ratio"), 3)))
    if summary["extra_cost_per_call"]:
        print("\nextra cost per call, wasm - native (ns; target < 20):")
        for e in summary["extra_cost_per_call"]:
            print("  %-40s wall %8.0f   cpu %8.0f" % (e["what"], e["wall_ns"], e["cpu_ns"]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--clang", default=os.environ.get("CLANG", "clang-19"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--out", default=None)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--ms", type=int, default=200, help="transfer time of each run")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--no-pin", action="store_true")
    ap.add_argument("--quiet", action="store_true", help="no table")
    a = ap.parse_args(argv)

    build_dir = os.path.abspath(a.build)
    wasmaot = os.path.join(build_dir, "bin", "wasmaot")
    work = a.work or os.path.join(build_dir, "bench", "socket")
    os.makedirs(work, exist_ok=True)
    rounds, ms = (1, 20) if a.smoke else (a.rounds, a.ms)
    pin = not a.no_pin and shutil.which("taskset") is not None and (os.cpu_count() or 1) > 1

    try:
        native, so = build(build_dir, work, a.clang)
    except subprocess.CalledProcessError as e:
        print("socket: BUILD FAILED: %s\n%s" % (" ".join(e.cmd), e.stderr), file=sys.stderr)
        return 1
    runner = Runner(native, so, wasmaot, pin)
    exps = experiments(ms, TCP_SIZES, UDP_SIZES)
    runs = {(k, s): {} for k, s, _, _ in exps}
    load0 = os.getloadavg()
    t_start = time.monotonic()
    failed = False
    for rnd in range(rounds):
        # The pairings take turns, and the one that goes first rotates from
        # round to round (A B C D, B C D A, ...), so none always runs first.
        order = PAIRINGS[rnd % len(PAIRINGS):] + PAIRINGS[:rnd % len(PAIRINGS)]
        for kind, size, sargs, cargs in exps:
            for name, sb, rb in order:
                try:
                    c, s = runner.pair(rb, sargs, sb, cargs)
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    print("socket: %s %d %s: FAILED: %s" % (kind, size, name, e), file=sys.stderr)
                    failed = True
                    continue
                runs[(kind, size)].setdefault(name, []).append((c, s))
        if not a.quiet:
            print("socket: round %d/%d done (%.0f s)" % (rnd + 1, rounds,
                                                         time.monotonic() - t_start), flush=True)
    results = [summarize(k, s, runs[(k, s)]) for k, s, _, _ in exps]
    summary = {
        "smoke": a.smoke, "rounds": rounds, "ms_per_run": ms, "pinned": pin,
        "wasm_command": " ".join(runner.cmd["wasm"]),
        "loadavg_start": load0, "loadavg_end": os.getloadavg(),
        "seconds": time.monotonic() - t_start,
        "results": results,
        "extra_cost_per_call": extra_costs(results),
    }
    out = a.out or os.path.join(work, "smoke.json" if a.smoke else "latest.json")
    with open(out, "w") as f:
        json.dump(summary, f, indent=1)
    if not a.quiet:
        print_table(summary)
        print("results: %s" % out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""What --exact-trap-state costs on the compute kernels, per target CPU.

For each target (default: x86-64, x86-64-v2, x86-64-v3, x86-64-v4, native;
a target this machine cannot execute is reported as skipped) runs run.py
twice -- the default build and the --exact-trap-state build, both against the
same native clang -O2 -- and prints, per kernel, wasm/native in each mode and
exact/default, plus the geometric means. This is the measurement behind the
choice of the default trap-state mode (docs/HARDENING.md).

  benchmarks/compute/trap_state_cost.py [--runs 3] [--targets a,b] [--kernels a,b] [--work DIR]
"""
import argparse
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def measure(target, exact, args, work):
    out = os.path.join(work, f"{target}-{'exact' if exact else 'default'}.json")
    cmd = [sys.executable, os.path.join(HERE, "run.py"), "--runs", str(args.runs), "--out", out,
           "--work", os.path.join(work, target + ("-exact" if exact else "")),
           f"--compile-flag=--target-cpu={target}"]
    if exact:
        cmd.append("--compile-flag=--exact-trap-state")
    if args.kernels:
        cmd += ["--kernels", args.kernels]
    if args.wasmaot:
        cmd += ["--wasmaot", args.wasmaot]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        if "that this CPU lacks" in run.stdout + run.stderr:
            return None
        sys.exit(f"run.py failed for {target}:\n{run.stdout}\n{run.stderr}")
    with open(out) as f:
        return {k["kernel"]: k["ratio"] for k in json.load(f)["kernels"] if "ratio" in k}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--targets", default="x86-64,x86-64-v2,x86-64-v3,x86-64-v4,native")
    ap.add_argument("--kernels", default="")
    ap.add_argument("--wasmaot", default="")
    ap.add_argument("--work", default=os.path.join(HERE, "..", "..", "build", "bench", "trap_state"))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    summary = {}
    for target in args.targets.split(","):
        default = measure(target, False, args, args.work)
        if default is None:
            print(f"\n{target}: skipped (this CPU cannot execute code built for it)")
            continue
        exact = measure(target, True, args, args.work)
        print(f"\n{target}\n{'kernel':<11} {'default':>8} {'exact':>8} {'exact/default':>14}")
        costs = []
        for kernel, d in default.items():
            e = exact.get(kernel)
            if e is None:
                continue
            costs.append(e / d)
            print(f"{kernel:<11} {d:8.3f} {e:8.3f} {e / d:14.3f}")
        g_d, g_e = geomean(list(default.values())), geomean(list(exact.values()))
        print(f"{'geomean':<11} {g_d:8.3f} {g_e:8.3f} {geomean(costs):14.3f}   (wasm/native; exact/default)")
        summary[target] = {"default": default, "exact": exact, "geomean_default": g_d,
                           "geomean_exact": g_e, "geomean_cost": geomean(costs), "worst_cost": max(costs)}
    with open(os.path.join(args.work, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(f"\nresults: {os.path.join(args.work, 'summary.json')}")


if __name__ == "__main__":
    main()

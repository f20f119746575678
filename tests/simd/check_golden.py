#!/usr/bin/env python3
"""Golden codegen test (labels `simd`, `threads`, `tail-call`, `exceptions`,
`multi-memory`, `memory64`):
SIMD lowerings by default; atomics (tests/threads), tail calls
(tests/tail_calls), exception handling (tests/exceptions) and memory accesses
(tests/memories) with --wat/--expect.

  check_golden.py --wasmaot BIN --work DIR [--wat FILE.wat --expect FILE.expect]

Compiles the .wat (default golden_ops.wat) with `wasmaot compile -O2
--target-cpu=CPU` for each CPU the .expect file names, disassembles the .so with llvm-objdump-19 and
checks every export's code: the listed mnemonics must appear and the
instruction count must stay within the bound. A jump to the start of another
function (a tail call) shows as the mnemonic `jmp-function`. An optional
fifth column bounds the instructions up to and including the first `ret`
(the path taken when nothing goes wrong, laid out first; cold paths such as
landing pads follow it). Prints one line per check and exits 1 if any fails.
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def exports_in_order(wat):
    # Every function of the .wat is exported, in order: export i is func i.
    return re.findall(r'\(func (?:\$\S+ )?\(export "([^"]+)"\)', open(wat).read())


def disassemble(so, objdump):
    text = subprocess.run([objdump, "-d", "--no-show-raw-insn", so], check=True,
                          capture_output=True, text=True).stdout
    functions, current = {}, None
    for line in text.splitlines():
        m = re.match(r"^[0-9a-f]+ <(\S+)>:$", line)
        if m:
            current = m.group(1)
            functions[current] = []
            continue
        m = re.match(r"^\s+[0-9a-f]+:\s+(\S+)(.*)$", line)
        if m and current:
            mnemonic = m.group(1)
            if mnemonic == "jmp" and re.search(r"<[^>+]+>$", m.group(2).strip()):
                mnemonic = "jmp-function"  # to another function's first instruction
            # llvm-objdump prints a lock prefix as its own line: "lock", "xaddq" -> "lock-xaddq".
            if functions[current] and functions[current][-1] == "lock":
                functions[current][-1] = "lock-" + mnemonic
                continue
            if mnemonic in ("int3", "nop", "nopw", "nopl", "data16"):
                continue  # padding between functions
            functions[current].append(mnemonic)
    return functions


def plain(mnemonic):
    # vpshufb -> pshufb, vminps -> minps; q/l suffixes of the AT&T forms stay.
    return mnemonic[1:] if mnemonic.startswith("v") and mnemonic != "vzeroupper" else mnemonic


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmaot", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--objdump", default="llvm-objdump-19")
    ap.add_argument("--wat", default=os.path.join(HERE, "golden_ops.wat"))
    ap.add_argument("--expect", default=os.path.join(HERE, "golden_ops.expect"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    wat = a.wat
    stem = os.path.splitext(os.path.basename(wat))[0]
    wasm = os.path.join(a.work, stem + ".wasm")
    subprocess.run(["wat2wasm", "--enable-threads", "--enable-tail-call", "--enable-exceptions",
                    "--enable-multi-memory", "--enable-memory64", wat, "-o", wasm],
                   check=True)
    names = exports_in_order(wat)
    expectations = []
    for line in open(a.expect):
        line = line.split("#", 1)[0].strip()
        if line:
            fields = line.split()
            name, cpus, needed, bound = fields[:4]
            hot_bound = int(fields[4]) if len(fields) > 4 else None
            expectations.append((name, cpus.split(","), needed.split(","), int(bound), hot_bound))
    failures = 0
    code = {}
    for cpu in sorted({c for e in expectations for c in e[1]}):
        so = os.path.join(a.work, "%s-%s.so" % (stem, cpu))
        subprocess.run([a.wasmaot, "compile", "-O2", "--target-cpu=" + cpu, wasm, "-o", so], check=True)
        code[cpu] = disassemble(so, a.objdump)
    for name, cpus, needed, bound, hot_bound in expectations:
        symbol = "wasm_func_%d" % names.index(name)
        for cpu in cpus:
            insns = code[cpu].get(symbol)
            if insns is None:
                print("FAIL %s (%s): no %s in the disassembly" % (name, cpu, symbol))
                failures += 1
                continue
            have = {plain(m) for m in insns}
            missing = [m for m in needed if m not in have]
            hot = next((i + 1 for i, m in enumerate(insns) if m.startswith("ret")), len(insns))
            ok = not missing and len(insns) <= bound and (hot_bound is None or hot <= hot_bound)
            failures += not ok
            print("%s %s (%s): %d instructions (bound %d)%s%s" % (
                "ok  " if ok else "FAIL", name, cpu, len(insns), bound,
                "" if hot_bound is None else ", %d up to the first ret (bound %d)" % (hot, hot_bound),
                "; missing " + ", ".join(missing) if missing else ""))
            if not ok:
                print("     code: " + " ".join(insns))
    print("%d golden check(s) failed" % failures if failures else "all golden checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Security tests (tests/security): one case per run.

  run_security_test.py CASE --bin-dir BUILD/bin --src tests/security --work DIR
                       [--oob-embed BIN] [--forge-info BIN] [--cxx C++] [--cc CC]
                       [--abi-include DIR] [--generated DIR]

CASE:
  oob        every load/store width at offsets around 4 GiB and the end of
             memory, through the embedding API (oob_embed) and through
             `wasmaot run` / `wasmaot-run` (exit 70, the trap named)
  forged_so  truncated, foreign-architecture, non-ELF and forged .so files:
             each refused by `wasmaot run` and `wasmaot-run` with exactly one
             `error:` line and exit 2 -- never a crash
  policy     connect / bind / send_to / resolve outside the policy (IPv4,
             IPv6, IPv4-mapped IPv6, UDP connect) -> EACCES, and nothing
             reaches the listeners; socket calls with pointers outside linear
             memory -> EFAULT, not a trap

Everything is on loopback, every wait bounded. Prints what it checked;
exit 0 on success, 1 with the reason on stderr.
"""
import argparse
import os
import shutil
import socket
import struct
import subprocess
import sys

ARGS = None
TIMEOUT = 60


class Failure(Exception):
    pass


def check(cond, what, out=""):
    if not cond:
        raise Failure(what + ("\n--- output ---\n" + out if out else ""))


def tool(name):
    return os.path.join(ARGS.bin_dir, name)


def sh(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=kw.pop("timeout", TIMEOUT), **kw)
    return p.returncode, p.stdout, p.stderr


def must(cmd):
    rc, out, err = sh(cmd)
    check(rc == 0, "command failed: %s" % " ".join(cmd), out + err)
    return out


def compile_wat(name):
    wat = os.path.join(ARGS.src, name + ".wat") if not os.path.isabs(name) else name + ".wat"
    base = os.path.join(ARGS.work, os.path.basename(name))
    must(["wat2wasm", wat, "-o", base + ".wasm"])
    must([tool("wasmaot"), "compile", base + ".wasm", "-o", base + ".so", "-j", "1"])
    return base + ".so"


# ---- oob ---------------------------------------------------------------------

def case_oob():
    wat = os.path.join(ARGS.work, "oob")
    print(must([sys.executable, os.path.join(ARGS.src, "gen_oob_wat.py"), wat + ".wat"]).strip())
    so = compile_wat(wat)
    rc, out, err = sh([ARGS.oob_embed, so], timeout=120)
    sys.stdout.write(out)
    check(rc == 0, "oob_embed failed (rc %d)" % rc, out + err)
    start = compile_wat("oob_start")
    for runner in ("wasmaot", "wasmaot-run"):
        cmd = [tool(runner)] + (["run"] if runner == "wasmaot" else []) + [start]
        rc, out, err = sh(cmd)
        check(rc == 70 and "error: trap: out of bounds memory access" in err,
              "%s: store at 0xFFFFFFFF+0xFFFFFFFF: expected exit 70 and the trap, got %d" % (runner, rc), err)
        print("oob: %s oob_start.so (i64.store 0xFFFFFFFF offset=0xFFFFFFFF) -> exit 70, %s"
              % (runner, err.splitlines()[0]))


# ---- forged_so ---------------------------------------------------------------

def refused(path, want, label):
    """Both launchers must refuse `path` with one error line containing `want`, exit 2."""
    for runner in ("wasmaot", "wasmaot-run"):
        cmd = [tool(runner)] + (["run"] if runner == "wasmaot" else []) + [path]
        rc, out, err = sh(cmd)
        lines = err.splitlines()
        check(rc == 2, "%s %s: expected exit 2, got %d%s" % (runner, label, rc,
                                                              " (killed by signal %d)" % -rc if rc < 0 else ""),
              out + err)
        check(len(lines) == 1 and lines[0].startswith("error: ") and want in lines[0],
              "%s %s: expected one line with %r" % (runner, label, want), err)
    print("forged_so: %-44s -> exit 2: %s" % (label, lines[0]))


def elf_load_end(path):
    """End (file offset) of the last PT_LOAD segment of a 64-bit ELF."""
    with open(path, "rb") as f:
        data = f.read()
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    end = 0
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            end = max(end, p_offset + p_filesz)
    return end


def case_forged_so():
    start = compile_wat("oob_start")
    rc, _, err = sh([tool("wasmaot"), "run", start])
    check(rc == 70, "the genuine module should run (and trap): %d" % rc, err)
    # A genuine compiled module of some size (207 functions) to mangle.
    wat = os.path.join(ARGS.work, "oob")
    must([sys.executable, os.path.join(ARGS.src, "gen_oob_wat.py"), wat + ".wat"])
    real = compile_wat(wat)
    with open(real, "rb") as f:
        blob = f.read()
    w = ARGS.work

    def write(name, data):
        p = os.path.join(w, name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    # Truncated copies, cut inside what the dynamic loader maps.
    load_end = elf_load_end(real)
    for n in (0, 3, 64, 200, 4096, len(blob) // 2, load_end - 1):
        if n >= load_end:
            continue
        p = write("trunc_%d.so" % n, blob[:n])
        want = {0: "", 3: ""}.get(n, "not a wasmaot module")
        refused(p, want, "truncated to %d of %d bytes" % (n, len(blob)))
    # Another architecture (e_machine = AArch64 / RISC-V), a 32-bit class, big-endian.
    for label, off, val in (("e_machine patched to AArch64 (183)", 18, b"\xb7\x00"),
                            ("e_machine patched to RISC-V (243)", 18, b"\xf3\x00"),
                            ("EI_CLASS patched to ELFCLASS32", 4, b"\x01"),
                            ("EI_DATA patched to big-endian", 5, b"\x02")):
        p = write("foreign_%d_%s.so" % (off, val.hex()), blob[:off] + val + blob[off + len(val):])
        refused(p, "another architecture", label)
    # Not ELF at all; an ELF executable, not a shared object.
    refused(write("text.so", b"#!/bin/sh\necho hello\n" * 20), "neither a WebAssembly module", "a text file named .so")
    src = write("plain.c", b"int plain_function(int x) { return x * 2; }\nint main(void) { return 0; }\n")
    exe = os.path.join(w, "exe.so")
    if sh([ARGS.cc, "-O1", "-no-pie", src, "-o", exe])[0] == 0:
        refused(exe, "not a shared object", "an ET_EXEC executable (cc -no-pie)")
    lib = os.path.join(w, "plain.so")
    must([ARGS.cc, "-shared", "-fPIC", "-O1", src, "-o", lib])
    refused(lib, "no wasmaot_module_descriptor_v1 symbol", "cc -shared library, no descriptor")

    # Forged descriptors (forged_descriptor.cpp), with this build's id.
    header = os.path.join(w, "forged_info.h")
    must([ARGS.forge_info, header])
    expect = {
        0: ("no wasmaot_module_descriptor_v1 symbol", "c++ -shared, no descriptor"),
        1: ("bad descriptor magic", "descriptor: bad magic"),
        2: ("ABI version 99", "descriptor: ABI version 99"),
        3: ("different wasmaot build", "descriptor: another build id"),
        4: ("points outside the file", "descriptor: module_info_size 2^40"),
        5: ("points outside the file", "descriptor: module_info = 0x1000"),
        6: ("corrupt module info", "descriptor: garbage module info"),
        7: ("points outside the file", "descriptor: target_cpu = 0x10"),
        8: ("code tables point outside", "descriptor: function_code -> data"),
        9: ("code tables point outside", "descriptor: entry trampoline = 0x1000"),
        10: ("", "descriptor symbol is a 4-byte int"),
    }
    for v, (want, label) in expect.items():
        so = os.path.join(w, "forged_%d.so" % v)
        must([ARGS.cxx, "-std=c++20", "-shared", "-fPIC", "-O1", "-DVARIANT=%d" % v, "-I", w,
              "-I", ARGS.abi_include, "-I", ARGS.generated, os.path.join(ARGS.src, "forged_descriptor.cpp"),
              "-o", so])
        refused(so, want, label)
    # `wasmaot inspect` opens .so files itself (to describe other builds'):
    # truncated, foreign and forged ones (bad magic, wild descriptor
    # pointers, garbage module info) must get one line and exit 2 there too,
    # never a crash.
    forged = ["forged_%d.so" % v for v in (1, 4, 5, 6, 7)]
    for name in ["trunc_4096.so", "trunc_%d.so" % (len(blob) // 2), "foreign_18_b700.so", "foreign_4_01.so"] + forged:
        rc, out, err = sh([tool("wasmaot"), "inspect", os.path.join(w, name)])
        lines = err.splitlines()
        check(rc == 2 and len(lines) == 1 and lines[0].startswith("error: "),
              "wasmaot inspect %s: expected one error line and exit 2, got %d" % (name, rc), out + err)
        print("forged_so: wasmaot inspect %-22s -> exit 2: %s" % (name, lines[0].split(": ", 2)[-1]))
    # A 4-byte symbol followed by whatever the object holds next reads as a
    # descriptor of some other ABI version: inspect describes that much and
    # must not crash (exit 0, or 2 with one line).
    rc, out, err = sh([tool("wasmaot"), "inspect", os.path.join(w, "forged_10.so")])
    check(rc == 0 or (rc == 2 and len(err.splitlines()) == 1),
          "wasmaot inspect forged_10.so: exit %d" % rc, out + err)
    print("forged_so: wasmaot inspect forged_10.so           -> exit %d, no crash" % rc)


# ---- policy ------------------------------------------------------------------

def case_policy():
    probe_wasm = os.path.join(ARGS.work, "policy_probe.wasm")
    probe = os.path.join(ARGS.work, "policy_probe.so")
    must([tool("wasmaot-cc"), "-O2", "-Wall", "-Wextra", os.path.join(ARGS.src, "policy_probe.c"), "-o", probe_wasm])
    must([tool("wasmaot"), "compile", probe_wasm, "-o", probe, "-j", "1"])

    t4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t4.bind(("127.0.0.1", 0))
    t4.listen(16)
    t6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    t6.bind(("::1", 0))
    t6.listen(16)
    u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u4.bind(("127.0.0.1", 0))
    u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u6.bind(("::1", 0))
    for s in (t4, t6, u4, u6):
        s.setblocking(False)
    p4, p6, q4, q6 = (s.getsockname()[1] for s in (t4, t6, u4, u6))

    def nothing_arrived(what):
        for s in (t4, t6):
            try:
                c, peer = s.accept()
                c.close()
                raise Failure("%s: a denied connect reached the listener (from %s)" % (what, peer))
            except BlockingIOError:
                pass
        for s in (u4, u6):
            try:
                data, peer = s.recvfrom(100)
                raise Failure("%s: a denied datagram arrived (%r from %s)" % (what, data, peer))
            except BlockingIOError:
                pass

    denied = [("connect4", "127.0.0.1", p4), ("connect6", "::ffff:127.0.0.1", p4), ("connect6", "::1", p6),
              ("udpconnect4", "127.0.0.1", q4), ("udpconnect6", "::1", q6),
              ("udpconnect6", "::ffff:127.0.0.1", q4),
              ("sendto4", "127.0.0.1", q4), ("sendto6", "::1", q6), ("sendto6", "::ffff:127.0.0.1", q4),
              ("bind4", "127.0.0.1", 0), ("bind6", "::1", 0), ("bind6", "::ffff:127.0.0.1", 0),
              ("resolve", "localhost", "-")]
    argv = [str(x) for t in denied for x in t] + ["fault", "-", "-"]
    # A policy that grants something else (127.0.0.2, [::2], *.example.com),
    # and no policy at all.
    for flags in (["--addr-pool=127.0.0.2/32,::2/128", "--allow-resolve=*.example.com"], []):
        rc, out, err = sh([tool("wasmaot"), "run", *flags, probe, *argv])
        check(rc == 0, "policy_probe exit %d" % rc, out + err)
        lines = out.splitlines()
        for op, addr, port in denied:
            line = "%s %s %s -> " % (op, addr, port)
            got = [l for l in lines if l.startswith(line)]
            check(got and got[0].endswith("EACCES (2)"), "expected EACCES for %s" % line, out + err)
        faults = [l for l in lines if l.startswith("fault ")]
        check(len(faults) == 6 and all(l.endswith("EFAULT (21)") for l in faults), "expected 6 EFAULTs", out)
        nothing_arrived("flags %s" % flags)
        print("policy: %d operations denied with EACCES (%s), nothing reached the 4 listeners; "
              "%d raw calls with wild pointers -> EFAULT" % (len(denied), " ".join(flags) or "no policy",
                                                             len(faults)))
    # Control: the same probe, allowed, does reach the listener (so the
    # "nothing arrived" check can see an arrival).
    rc, out, err = sh([tool("wasmaot"), "run", "--addr-pool=127.0.0.1/32", probe,
                       "connect6", "::ffff:127.0.0.1", str(p4)])
    check("-> OK (0)" in out, "allowed IPv4-mapped connect should succeed", out + err)
    t4.settimeout(5)
    c, _ = t4.accept()
    c.close()
    print("policy: control: connect6 ::ffff:127.0.0.1 allowed by --addr-pool=127.0.0.1/32 -> OK, listener saw it")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("case")
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--oob-embed")
    ap.add_argument("--forge-info")
    ap.add_argument("--cxx", default="c++")
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--abi-include")
    ap.add_argument("--generated")
    ARGS = ap.parse_args()
    shutil.rmtree(ARGS.work, ignore_errors=True)
    os.makedirs(ARGS.work)
    try:
        {"oob": case_oob, "forged_so": case_forged_so, "policy": case_policy}[ARGS.case]()
    except Failure as e:
        print("FAIL (%s): %s" % (ARGS.case, e), file=sys.stderr)
        return 1
    except subprocess.TimeoutExpired as e:
        print("FAIL (%s): timed out: %s" % (ARGS.case, e.cmd), file=sys.stderr)
        return 1
    print("ok: %s" % ARGS.case)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes oob.wat: one exported function per (memory access, offset
immediate), for every load and store width of WebAssembly 1.0/2.0 (i32/i64/
f32/f64, and the 8/16/32-bit partial forms), with offset immediates from 0 up
to 0xFFFFFFFF. Export names carry what oob_embed needs to predict the result:
    load|store:OP:SIZE:OFFSET
Loads take (i32 addr) and return their type; stores take (i32 addr, value).
Memory: 1 page, max 2 (`grow` adds one, so the boundary can move).
Usage: gen_oob_wat.py OUT.wat"""
import sys

LOADS = [("i32.load", "i32", 4), ("i64.load", "i64", 8), ("f32.load", "f32", 4), ("f64.load", "f64", 8),
         ("i32.load8_s", "i32", 1), ("i32.load8_u", "i32", 1), ("i32.load16_s", "i32", 2),
         ("i32.load16_u", "i32", 2), ("i64.load8_s", "i64", 1), ("i64.load8_u", "i64", 1),
         ("i64.load16_s", "i64", 2), ("i64.load16_u", "i64", 2), ("i64.load32_s", "i64", 4),
         ("i64.load32_u", "i64", 4)]
STORES = [("i32.store", "i32", 4), ("i64.store", "i64", 8), ("f32.store", "f32", 4), ("f64.store", "f64", 8),
          ("i32.store8", "i32", 1), ("i32.store16", "i32", 2), ("i64.store8", "i64", 1),
          ("i64.store16", "i64", 2), ("i64.store32", "i64", 4)]
OFFSETS = [0, 1, 7, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF8, 0xFFFFFFFF]


def main():
    out = ["(module", '  (memory (export "mem") 1 2)',
           '  (func (export "grow") (result i32) (memory.grow (i32.const 1)))']
    for op, t, size in LOADS:
        for off in OFFSETS:
            out.append('  (func (export "load:%s:%d:%d") (param i32) (result %s) (%s offset=%d (local.get 0)))'
                       % (op, size, off, t, op, off))
    for op, t, size in STORES:
        for off in OFFSETS:
            out.append('  (func (export "store:%s:%d:%d") (param i32) (param %s) (%s offset=%d (local.get 0) (local.get 1)))'
                       % (op, size, off, t, op, off))
    out.append(")")
    with open(sys.argv[1], "w") as f:
        f.write("\n".join(out) + "\n")
    print("gen_oob_wat: %d functions" % ((len(LOADS) + len(STORES)) * len(OFFSETS)))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Compiles guest-sdk/examples/hello.c to wasm32-wasi with clang-19, compiles
# the .wasm ahead of time with `wasmaot compile`, and runs the .so (run
# tools/setup.sh first).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$repo/build}
out=$build_dir/example
mkdir -p "$out"

set -x
clang-19 --target=wasm32-wasi -O2 "$repo/guest-sdk/examples/hello.c" -o "$out/hello.wasm"
"$build_dir/bin/wasmaot" compile "$out/hello.wasm" -o "$out/hello.so"
"$build_dir/bin/wasmaot" run "$out/hello.so" Ada Grace
# The same through the runtime-only launcher:
"$build_dir/bin/wasmaot-run" "$out/hello.so"

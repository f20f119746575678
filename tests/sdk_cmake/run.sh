#!/usr/bin/env bash
# Builds tests/sdk_cmake/wamr_style (a WAMR-style CMake guest project that
# includes guest-sdk/cmake/lib_socket_wasi.cmake) two ways, and runs the
# result under `wasmaot run` on loopback:
#   toolchain  with wasmaot's toolchain file guest-sdk/cmake/wasm32-wasi.cmake
#   bare       with only clang-19 --target=wasm32-wasi (no wasmaot toolchain)
#
#   run.sh BIN_DIR WORK_DIR
set -euo pipefail
bin=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
sdk=$(cd "$here/../../guest-sdk" && pwd)
clang=${CLANG:-clang-19}
rm -rf "$work"
mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

configure_toolchain=(-DCMAKE_TOOLCHAIN_FILE="$sdk/cmake/wasm32-wasi.cmake")
configure_bare=(-DCMAKE_SYSTEM_NAME=Generic -DCMAKE_C_COMPILER="$clang"
                -DCMAKE_C_COMPILER_TARGET=wasm32-wasi -DCMAKE_TRY_COMPILE_TARGET_TYPE=STATIC_LIBRARY)
for how in toolchain bare; do
  declare -n flags="configure_$how"
  build="$work/$how"
  if ! cmake -S "$here/wamr_style" -B "$build" -G Ninja -DWASMAOT_GUEST_SDK="$sdk" "${flags[@]}" \
       > "$work/$how.configure.log" 2>&1; then
    fail "$how: configure failed:"; tail -n 20 "$work/$how.configure.log"; continue
  fi
  if ! cmake --build "$build" > "$work/$how.build.log" 2>&1; then
    fail "$how: build failed:"; tail -n 20 "$work/$how.build.log"; continue
  fi
  # The toolchain file names executables *.wasm; a Generic system does not.
  wasm="$build/loopback_ping.wasm"
  [[ -f $wasm ]] || wasm="$build/loopback_ping"
  [[ -f $wasm ]] || { fail "$how: no loopback_ping(.wasm) was built"; continue; }
  out=$(WASMAOT_CACHE_DIR="$work/cache" "$bin/wasmaot" run --addr-pool=127.0.0.1/32 "$wasm" 2>&1) || true
  if [[ $out != "ping over 127.0.0.1" ]]; then
    fail "$how: wasmaot run printed '$out', expected 'ping over 127.0.0.1'"
  else
    echo "$how: built and ran: $out"
  fi
done
# Without the policy the same program is refused its bind: the socket calls
# really go through wasmaot's socket imports.
out=$(WASMAOT_CACHE_DIR="$work/cache" "$bin/wasmaot" run "$work/bare/loopback_ping" 2>&1) && \
  fail "ran without network permission: '$out'"
[[ $failures -eq 0 ]] || { echo "$failures check(s) failed"; exit 1; }
echo "WAMR-style CMake project builds with lib_socket_wasi.cmake"

#!/usr/bin/env bash
# Installs the Debian 12 packages wasmaot needs (when some are missing),
# then configures and builds everything in ./build (Release, Ninja).
# Idempotent: a second run installs nothing and rebuilds only what changed.
#   tools/setup.sh            (as root, or with sudo available)
# BUILD_DIR overrides the build directory.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$repo/build}

packages=(
  cmake ninja-build g++ pkg-config
  llvm-19-dev liblld-19-dev clang-19 lld-19
  libuv1-dev nlohmann-json3-dev doctest-dev
  wabt binaryen wasi-libc libclang-rt-19-dev-wasm32
  # fuzzing (libFuzzer runtime) and the differential reference (V8)
  libclang-rt-19-dev nodejs
  # syscall counts of the poll-loop test and the server benchmark
  strace
  # the compile cache's SHA-256 (OpenSSL's libcrypto, loaded on first use)
  libssl-dev
  # Rust guests for wasm32-wasi (the pre-opened listener test, the Rust SDK)
  rustc cargo libstd-rust-dev-wasm32
  # what LLVM's CMake package configuration asks for
  libzstd-dev zlib1g-dev libedit-dev libxml2-dev libcurl4-openssl-dev libffi-dev libncurses-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# npm, for the AssemblyScript SDK's compiler (fetched at test time): Debian
# packages it apart from nodejs; a nodejs from elsewhere (NodeSource) has
# it built in and conflicts with Debian's package, so only when absent.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo=sudo; fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages are installed"
fi

cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$build_dir" -j"$(nproc)"
echo "setup: built into $build_dir (tools: $build_dir/bin/wasmaot, $build_dir/bin/wasmaot-run)"

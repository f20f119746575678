#!/usr/bin/env bash
# Configures and builds the libFuzzer targets with clang-19 into DIR
# (default: build-fuzz/ at the top of the tree).
#   tests/fuzz/build.sh [DIR]
# Needs clang-19 and Debian's libclang-rt-19-dev (the libFuzzer and
# sanitizer runtimes).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${1:-$here/../../build-fuzz}
if ! command -v clang++-19 >/dev/null; then
  echo "build.sh: clang++-19 not found (apt-get install clang-19 libclang-rt-19-dev)" >&2
  exit 1
fi
if [[ ! -f $dir/build.ninja ]]; then
  cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$dir" -j"${JOBS:-1}"

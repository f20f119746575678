#!/usr/bin/env bash
# Builds (if needed) and runs every test: unit tests, the spec suite, the
# guest programs. Extra arguments go to ctest, e.g. `tools/test.sh -L guest`.
# After ctest it lists every skipped test with the reason the test printed
# (a target CPU this machine cannot execute, no spec testsuite), and ends
# with one line `tests: N passed, N failed, N skipped`.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$repo/build}

if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build_dir" -j"$(nproc)"
cd "$build_dir"
junit=$build_dir/Testing/junit.xml
rm -f "$junit"
status=0
ctest --output-on-failure -j"$(nproc)" --output-junit "$junit" "$@" || status=$?
if [[ -f $junit ]]; then
  python3 "$repo/tools/test_summary.py" "$junit"
fi
exit $status

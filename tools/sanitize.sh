#!/usr/bin/env bash
# ASan + UBSan build of compiler, runtime and tests in build-asan/, then runs
# the unit, guest and socket tests there (extra arguments go to ctest, e.g.
# `tools/sanitize.sh -L unit` or `-R unit_runtime`). Run before every release;
# it takes too long for CI next to the normal build.
#
#   tools/sanitize.sh                 # configure + build + ctest -L 'unit|guest|socket'
#   JOBS=1 tools/sanitize.sh          # parallelism of build and ctest (default: nproc)
#   BUILD_DIR=/tmp/asan tools/sanitize.sh
#   NO_TESTS=1 tools/sanitize.sh      # build only
#
# Runtime options (exported below; override them from the environment):
#   ASAN_OPTIONS
#     allow_user_segv_handler=1
#                  out-of-bounds wasm accesses fault in the guard region on
#                  purpose; the runtime installs its SIGSEGV/SIGBUS/SIGFPE
#                  handler over ASan's, turns faults of compiled wasm code
#                  into traps and passes every other fault on to the previous
#                  handler (ASan's), so host bugs still get ASan's report.
#                  (handle_segv=0 is not needed; with it a host fault would
#                  crash without a report.)
#     detect_stack_use_after_return=0
#                  a fake stack would confuse the stack-limit check of
#                  compiled code (it compares frame addresses with the
#                  thread's stack bounds).
#     detect_leaks=1  LeakSanitizer, at the exit of every test process.
#   UBSAN_OPTIONS   print_stacktrace=1:halt_on_error=1 (any UB report fails the test)
#   A memory reservation is 8 GiB of PROT_NONE address space: ASan copes
#   with that (no option needed). Compiled wasm code is not instrumented.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$repo/build-asan}
jobs=${JOBS:-$(nproc)}

export ASAN_OPTIONS=${ASAN_OPTIONS:-allow_user_segv_handler=1:detect_leaks=1:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined"
fi
cmake --build "$build_dir" -j"$jobs"
[[ -n ${NO_TESTS:-} ]] && exit 0
cd "$build_dir"
if [[ $# -eq 0 ]]; then
  set -- -L 'unit|guest|socket'
fi
ctest --output-on-failure -j"$jobs" "$@"

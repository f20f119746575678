#!/usr/bin/env bash
# Longer differential runs by hand: N random modules from SEED, wasmaot vs V8.
#   tests/differential/run.sh [N [SEED]]      (default 1000 modules, seed 1)
# Environment: BUILD_DIR (default build/; its bin/wasmaot_exec_harness is
# used), OPT (wasmaot's -O level, default 2), WORK (keep the modules there),
# SHARED=1, EXACT=1 (see differential.py --help).
# Mismatching and crashing modules are kept and named in the output.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=${BUILD_DIR:-$here/../../build}
harness=${HARNESS:-$build_dir/bin/wasmaot_exec_harness}
[[ -x $harness ]] || { echo "run.sh: $harness not built (cmake --build $build_dir --target wasmaot_exec_harness)" >&2; exit 1; }
args=(--harness "$harness" --count "${1:-1000}" --seed "${2:-1}" --opt "${OPT:-2}")
[[ -n ${WORK:-} ]] && args+=(--work "$WORK")
[[ -n ${SHARED:-} ]] && args+=(--shared-instance)   # one instance for all calls of a module
[[ -n ${EXACT:-} ]] && args+=(--exact-trap-state)   # compile with --exact-trap-state
exec python3 "$here/differential.py" "${args[@]}"

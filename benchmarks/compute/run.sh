#!/usr/bin/env bash
# Compute benchmark driver: native clang-19 -O2 vs wasm32-wasi compiled by
# `wasmaot compile -O2`, interleaved runs, median times, wasm/native ratios and
# their geometric mean; JSON to --out. The logic lives in run.py (see its
# docstring for all flags).
#   benchmarks/compute/run.sh [--wasmaot build/bin/wasmaot] [--runs 5] [--smoke]
exec python3 "$(dirname "$0")/run.py" "$@"

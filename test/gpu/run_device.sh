#!/usr/bin/env bash
# On the GPU machine, from the repository root: builds the runtime standalone
# and checks every bundle of test/gpu/make_bundles.py against float64
# references.
#
#   bash test/gpu/run_device.sh BUNDLE_DIR
set -euo pipefail
CASES=${1:?usage: run_device.sh BUNDLE_DIR}
OUT=${OUT:-/tmp/gpu-check-out}
mkdir -p "$OUT"
GEN=()
command -v ninja > /dev/null && GEN=(-G Ninja)
JSON_INC=${LOOM_JSON_INCLUDE_DIR:-third_party_peers/json_include}
cmake -S lib/Runtime -B /tmp/rt ${GEN[@]+"${GEN[@]}"} -DCMAKE_BUILD_TYPE=Release \
  -DLOOM_JSON_INCLUDE_DIR="$PWD/$JSON_INC" > "$OUT/runtime-build.log" 2>&1
cmake --build /tmp/rt --target LoomRuntime -j 16 >> "$OUT/runtime-build.log" 2>&1
export LOOM_RUNTIME_LIB=/tmp/rt/lib/libLoomRuntime.so
export PYTHONPATH="$PWD/python:$PWD/test/gpu${PYTHONPATH:+:$PYTHONPATH}"
python3 test/gpu/check_gpu.py --cases "$CASES" --json "$OUT/gpu-check.json"

#!/usr/bin/env bash
# Builds the tools (loom-opt, loom-run, loomc, loom-launch) with
# AddressSanitizer and UBSan (clang) into build-asan/ and runs lit over them.
#
#   scripts/sanitize.sh [LIT PATH...]     default: the whole suite
#
# Only Loom's code is instrumented; the prebuilt LLVM/MLIR libraries and
# JIT-compiled kernels are not. Leak checking is off: loom-run hands result
# buffers to the process on purpose.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${LOOM_ASAN_BUILD_DIR:-build-asan}
if [[ ! -f "$build/build.ninja" ]]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -G Ninja -S . -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLOOM_ENABLE_SANITIZERS=ON "${launcher[@]}" >/dev/null
fi
ninja -C "$build" loom-launch loom-opt loom-run loomc >/dev/null

paths=("$@")
[[ ${#paths[@]} -eq 0 ]] && paths=("$build/test")
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
/usr/lib/llvm-22/bin/lit -sv --xunit-xml-output="$build/test-results.xml" "${paths[@]}"

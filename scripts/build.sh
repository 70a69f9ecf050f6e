#!/usr/bin/env bash
# Configures (once) and builds Loom into build/: tools in build/bin.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${LOOM_BUILD_DIR:-build}
if [[ ! -f "$build_dir/build.ninja" ]]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -G Ninja -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
fi
ninja -C "$build_dir" all mlir-doc

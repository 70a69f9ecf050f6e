#!/usr/bin/env bash
# Installs what a Debian 12 machine lacks to build and test Loom.
# Idempotent: quiet and quick when everything is already there.
set -euo pipefail

packages=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools  # LLVM/MLIR 22, lit, FileCheck
  cmake ninja-build ccache g++                            # build
  nlohmann-json3-dev                                      # the runtime's manifest parser
  python3 python3-numpy                                   # test references
  clang-22 libclang-rt-22-dev                             # fuzzers, sanitizers
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

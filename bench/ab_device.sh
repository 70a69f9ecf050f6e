#!/usr/bin/env bash
# On the GPU machine, from the repository root: one A/B measurement in one
# device call. Builds Loom's runtime, times every case on every bundle
# directory in the same process (bench/kernel_times.py), and with --check
# checks a packed test/gpu/make_bundles.py directory against float64
# references (test/gpu/run_device.sh).
#
#   bash bench/ab_device.sh [--check ARCHIVE.tar.xz] DIR... -- FORM:SHAPE...
#
# Each DIR holds <form>/ bundles as bench/make_bundles.sh writes them into
# bench/bundles/ (e.g. two builds' `loomc bench/kernels/<form>.mlir
# --emit=bundle -o DIR/<form>`), carried with the call; the
# archive is `tar -cJf A.tar.xz -C PARENT NAME` of a make_bundles.py --out
# directory (the whole suite, 76 MB of bundles, packs into about 6 MB). Set
# LOOM_SERIAL_LAUNCHES=1 for per-kernel times (kernel_times.py's docstring),
# and AB_CASE_TIMEOUT / AB_CHECK_TIMEOUT (seconds, default 150 / 420) for
# each case's and the check's limits.
set -uo pipefail
archive=""
if [[ ${1:-} == --check ]]; then
  archive=${2:?--check needs an archive}
  shift 2
fi
dirs=()
while [[ $# -gt 0 && $1 != -- ]]; do dirs+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
[[ ${#dirs[@]} -gt 0 && $# -gt 0 ]] ||
  { echo "usage: ab_device.sh [--check ARCHIVE] DIR... -- FORM:SHAPE..." >&2; exit 2; }
export OUT=${OUT:-/tmp/ab-out}
mkdir -p "$OUT"
export PYTHONPATH="$PWD/python:$PWD/third_party_peers${PYTHONPATH:+:$PYTHONPATH}"
export FLA_DISABLE_BACKEND_DISPATCH=1
source test/gpu/runtime_env.sh || exit 1
nvidia-smi --query-gpu=name --format=csv,noheader
bundles=()
for d in "${dirs[@]}"; do bundles+=(--bundles "$d"); done
# Each case writes its own log in $OUT under its own time limit, so that a
# variant that hangs costs one case, not the call and every line before it.
status=0
for case in "$@"; do
  log="$OUT/ab-${case//[:\/]/-}.txt"
  timeout "${AB_CASE_TIMEOUT:-150}" python3 bench/kernel_times.py \
    "${case%%:*}" "${case##*:}" "${bundles[@]}" > "$log" 2>&1
  rc=$?
  grep -v -e Warning -e _warn_once "$log"
  [[ $rc -eq 0 ]] || { echo "$case: exit $rc (124: past ${AB_CASE_TIMEOUT:-150} s)"; status=1; }
done
if [[ -n $archive ]]; then
  name=$(tar -tJf "$archive" | head -1 | cut -d/ -f1)
  tar -xJf "$archive" -C /tmp || exit 1
  timeout "${AB_CHECK_TIMEOUT:-420}" bash test/gpu/run_device.sh "/tmp/$name" \
    > "$OUT/ab-check.txt" 2>&1 || status=1
  tail -4 "$OUT/ab-check.txt"
fi
exit $status

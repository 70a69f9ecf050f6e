#!/usr/bin/env bash
# On the GPU machine, from the repository root: runs compute-sanitizer's
# memcheck, racecheck and synccheck over Loom's kernels. (Not initcheck:
# with kernels filtered, what uninstrumented PyTorch kernels write looks
# uninitialized to it.)
#
#   bash test/gpu/sanitize_device.sh BUNDLE_DIR LENGTHS GROUP...
#
# GROUP is SUBSTRING=PREFIXES: the cases whose names start with one of the
# comma-separated PREFIXES run at the comma-separated LENGTHS, and only
# kernels whose names contain SUBSTRING are instrumented (the op's name:
# linear_attention, ssd, selective_scan, causal_conv1d), so the float64
# references' PyTorch launches run at full speed.
set -uo pipefail
CASES=${1:?usage: sanitize_device.sh BUNDLE_DIR LENGTHS GROUP...}
LENGTHS=${2:?usage: sanitize_device.sh BUNDLE_DIR LENGTHS GROUP...}
shift 2
OUT=${OUT:-/tmp/gpu-sanitize-out}
mkdir -p "$OUT"
SAN=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
[ -x "$SAN" ] || { echo "error: compute-sanitizer not found"; exit 1; }
source test/gpu/runtime_env.sh
status=0
for group in "$@"; do
  substring=${group%%=*}
  prefixes=${group#*=}
  for tool in memcheck racecheck synccheck; do
    log="$OUT/$substring-$tool.log"
    "$SAN" --tool "$tool" --kernel-name "kns=$substring" --error-exitcode 3 \
      python3 test/gpu/check_gpu.py --cases "$CASES" --only "$prefixes" \
      --lengths "$LENGTHS" > "$log" 2>&1
    rc=$?
    summary=$(grep -E "ERROR SUMMARY|RACECHECK SUMMARY" "$log" | tail -1)
    echo "$substring $tool: exit $rc; ${summary:-no summary}; $(grep -E 'passed, [0-9]+ failed' "$log" | tail -1)"
    [ $rc -eq 0 ] || status=1
  done
done
exit $status

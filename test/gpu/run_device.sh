#!/usr/bin/env bash
# On the GPU machine, from the repository root: builds the runtime standalone
# and checks every bundle of test/gpu/make_bundles.py against float64
# references.
#
#   bash test/gpu/run_device.sh BUNDLE_DIR
#
# CHECK_ARGS adds check_gpu.py flags (e.g. "--seed N --dump DIR").
set -euo pipefail
CASES=${1:?usage: run_device.sh BUNDLE_DIR}
OUT=${OUT:-/tmp/gpu-check-out}
mkdir -p "$OUT"
source test/gpu/runtime_env.sh
status=0
python3 test/gpu/check_gpu.py --cases "$CASES" --json "$OUT/gpu-check.json" \
  ${CHECK_ARGS:-} || status=1
# Bad cu_seqlens must stop at the device-side check (in its own process: the
# assert leaves the CUDA context unusable).
bad=$(python3 -c "import json,sys; print(next((c['name'] for c in json.load(open(sys.argv[1])) if c.get('cu') and c['op'] == 'linear_attention'), ''))" "$CASES/cases.json")
if [[ -n "$bad" ]]; then
  python3 test/gpu/check_gpu.py --cases "$CASES" --bad-offsets "$bad" || status=1
fi
exit $status

#!/usr/bin/env bash
# The one command for the GPU machine (run from the repository root, with
# third_party_peers and bench/bundles carried):
#
#   bash bench/run_device.sh [--quick] [other bench.py flags]
#
# Builds Loom's runtime (lib/Runtime, standalone: no MLIR), runs bench/bench.py
# with the results in $OUT (results.json, results.md, results.log, results.png)
# and prints the table last. See bench/README.md.
set -uo pipefail

OUT=${OUT:-/tmp/bench-out}
mkdir -p "$OUT"
ROOT=$(pwd)
export FLA_DISABLE_BACKEND_DISPATCH=1
export PYTHONPATH="$ROOT/python:$ROOT/third_party_peers${PYTHONPATH:+:$PYTHONPATH}"
PY=${PYTHON:-python3}

echo "== $(date -u +%FT%TZ) $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null)"
for d in third_party_peers/fla third_party_peers/mamba_ssm third_party_peers/json_include/nlohmann; do
  [ -d "$d" ] || echo "warning: $d is missing (carry third_party_peers; see bench/PEERS.md)"
done
[ -d bench/bundles ] || echo "warning: bench/bundles is missing: the peers run alone"

# 1. Loom's runtime, standalone (needs CMake and a C++17 compiler only);
# test/gpu/runtime_env.sh builds it and says why when it cannot.
if source test/gpu/runtime_env.sh; then
  echo "== runtime built: $LOOM_RUNTIME_LIB"
else
  echo "warning: the Loom runtime did not build (log: $OUT/runtime-build.log); the peers run alone"
fi

# Triton's autotuning results (fla's and mamba's kernels tune on their first
# call per shape): restored from bench/triton_autotune/<card> when carried,
# and saved as $OUT/triton_autotune.tgz (extract it there for the next run on
# the same kind of card; never mix cards).
export TRITON_CACHE_DIR=/tmp/triton-cache
mkdir -p "$TRITON_CACHE_DIR"
CARD=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1 | tr 'A-Z' 'a-z' | tr -cs 'a-z0-9' '-' | sed 's/^-*//; s/-*$//')
if [ -n "$CARD" ] && [ -d "bench/triton_autotune/$CARD" ]; then
  cp -r "bench/triton_autotune/$CARD/." "$TRITON_CACHE_DIR/"
  echo "== restored $(find "$TRITON_CACHE_DIR" -name '*.autotune.json' | wc -l) Triton autotuning results for $CARD"
fi

# 2. The benchmark (bench.py stops starting new cases after --budget-s, 420 s
#    by default, so that the call ends inside the 10-minute limit).
$PY - <<'EOF'
import torch, triton
print(f"== torch {torch.__version__} (CUDA {torch.version.cuda}), triton {triton.__version__}, "
      f"{torch.cuda.get_device_name()}")
EOF
$PY bench/bench.py --out "$OUT/results.json" "$@" 2> "$OUT/bench.stderr"
rc=$?
if [ $rc -ne 0 ]; then
  echo "bench.py exited with $rc; last lines of its stderr:"
  tail -40 "$OUT/bench.stderr"
fi

# 3. The plot (matplotlib is in the image; a failure here is not fatal).
if [ -f "$OUT/results.json" ]; then
  $PY bench/plot.py "$OUT/results.json" > /dev/null 2>> "$OUT/bench.stderr" ||
    echo "note: plot.py failed (see $OUT/bench.stderr); run it here on the JSON"
fi
(cd "$TRITON_CACHE_DIR" && find . -name '*.autotune.json' | tar -czf "$OUT/triton_autotune.tgz" -T -) 2> /dev/null ||
  echo "note: could not save the Triton autotuning results"
exit $rc

#!/usr/bin/env bash
# The main job: takes a model file (default: the bundled Qwen3-Next-style
# block) through the furthest pipeline Loom has and reports each step.
set -euo pipefail
cd "$(dirname "$0")/.."

model=${1:-kernels/qwen3_next_block.mlir}
tokens=${LOOM_TOKENS:-256}
bin=${LOOM_BUILD_DIR:-build}/bin
opt=$bin/loom-opt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "loom: $model"

"$opt" "$model" -o "$work/printed.mlir"
"$opt" "$work/printed.mlir" -o "$work/reprinted.mlir"
cmp -s "$work/printed.mlir" "$work/reprinted.mlir"
echo "  parse + verify: ok; print -> parse -> print is byte-identical"

"$opt" "$model" --print-op-stats -o /dev/null 2>"$work/stats.txt"
echo "  loom ops:"
grep -E '^ *loom\.' "$work/stats.txt" | sed -E 's/^ *(loom\.[a-z0-9_]+) *, *([0-9]+)/    \1 x\2/'

pipeline="builtin.module(loom-to-cpu{chunk-size=64})"
"$opt" "$model" --pass-pipeline="$pipeline" -o "$work/lowered.mlir"
echo "  $pipeline: $(grep -c . "$work/lowered.mlir") lines of LLVM-dialect IR," \
     "$(grep -cE '(^|= )loom\.[a-z0-9_]+ ' "$work/lowered.mlir" || true) loom ops left"
echo "  running @main on the CPU (T = $tokens, random inputs):"
/usr/bin/python3 scripts/random_inputs.py "$model" "$work/in" --dynamic "$tokens" >/dev/null
inputs=()
for f in $(ls "$work/in" | sort -V); do inputs+=("--input=$work/in/$f"); done
summarize() {
/usr/bin/python3 - "$1" <<'PY'
import glob, os, sys
import numpy as np
for path in sorted(glob.glob(os.path.join(sys.argv[1], "out*.npy"))):
    a = np.load(path)
    if a.dtype == np.uint16:  # bf16 bits
        a = (a.astype(np.uint32) << 16).view(np.float32)
    finite = np.isfinite(a).all()
    print(f"      {os.path.basename(path)}: shape {a.shape}, mean |x| {np.abs(a).mean():.4g}, "
          f"{'all finite' if finite else 'NON-FINITE VALUES'}")
PY
}
for mode in reference full; do
  flags=(--target=cpu)
  [[ $mode == reference ]] && flags+=(--reference)
  start=$(date +%s%N)
  "$bin/loom-run" "$model" "${flags[@]}" "${inputs[@]}" --output-dir="$work/$mode"
  end=$(date +%s%N)
  echo "    $mode pipeline: compiled and ran in $(( (end - start) / 1000000 )) ms"
  summarize "$work/$mode"
done
/usr/bin/python3 - "$work" <<'PY'
import sys
import numpy as np
def load(path):
    a = np.load(path)
    return (a.astype(np.uint32) << 16).view(np.float32) if a.dtype == np.uint16 else a
ref, got = load(f"{sys.argv[1]}/reference/out0.npy"), load(f"{sys.argv[1]}/full/out0.npy")
print(f"  full (fused + chunked) vs reference block output: relative error {np.linalg.norm(got - ref) / np.linalg.norm(ref):.2e}")
PY

#!/usr/bin/env bash
# The main job: takes a model file (default: the bundled Qwen3-Next-style
# block) through the furthest pipeline Loom has and reports each step.
set -euo pipefail
cd "$(dirname "$0")/.."

model=${1:-kernels/qwen3_next_block.mlir}
opt=${LOOM_BUILD_DIR:-build}/bin/loom-opt
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

pipeline="builtin.module(canonicalize,cse)"
"$opt" "$model" --pass-pipeline="$pipeline" --verify-each -o "$work/lowered.mlir"
echo "  pipeline: $pipeline (verified after each pass)"
echo "  output: $(grep -c . "$work/lowered.mlir") lines of IR, $(grep -c 'loom\.' "$work/lowered.mlir") loom ops remain"

#!/usr/bin/env bash
# Compiles bench/kernels/<form>.mlir into bench/bundles/<form>/ (on this
# machine, which has MLIR; the GPU machine has none). A form the GPU lowering
# does not handle yet is reported and skipped: bench.py then runs its peer
# alone.
#
#   bash bench/make_bundles.sh [build-dir] [extra loomc flags, e.g. --value-tile=32]
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
shift || true
LOOMC="$BUILD/bin/loomc"
[ -x "$LOOMC" ] || { echo "error: $LOOMC not found (build Loom first)"; exit 1; }
mkdir -p bench/bundles
ok=0; skipped=0
for f in bench/kernels/*.mlir; do
  form=$(basename "$f" .mlir)
  rm -rf "bench/bundles/$form"
  if log=$("$LOOMC" "$f" --target=sm_90a --emit=bundle -o "bench/bundles/$form" "$@" 2>&1); then
    echo "ok       $form -> bench/bundles/$form"
    ok=$((ok + 1))
  else
    rm -rf "bench/bundles/$form"
    echo "skipped  $form: $(printf '%s\n' "$log" | grep -m1 'error:' || printf '%s\n' "$log" | head -1)"
    skipped=$((skipped + 1))
  fi
done
# The commit they come from, for the results (bench.py's loom_commit).
git rev-parse HEAD > bench/bundles/COMMIT 2>/dev/null || rm -f bench/bundles/COMMIT
echo "$ok bundle(s) in bench/bundles, $skipped form(s) skipped"

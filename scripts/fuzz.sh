#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan + UBSan) into build-fuzz/ and
# runs each for a while on a corpus seeded from the test suite.
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]     HARNESS: ir pipeline npy manifest
#
# A crash leaves its input in build-fuzz/crashes/<harness>/; fix it and keep
# the input as a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
harnesses=("${@:-ir pipeline npy manifest}")
harnesses=(${harnesses[*]})
build=${LOOM_FUZZ_BUILD_DIR:-build-fuzz}

if [[ ! -f "$build/build.ninja" ]]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -G Ninja -S . -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLOOM_ENABLE_FUZZERS=ON "${launcher[@]}" >/dev/null
fi
ninja -C "$build" $(printf 'loom-fuzz-%s ' "${harnesses[@]}") >/dev/null

seed_corpus() {
  local harness=$1 dir=$2
  mkdir -p "$dir"
  case $harness in
    ir|pipeline)
      # One seed per split of every .mlir test and model.
      find test kernels -name '*.mlir' -not -path '*/Output/*' | while read -r file; do
        awk -v prefix="$dir/$(echo "$file" | tr '/' '_')" '
          /^\/\/ -----/ { n++; next }
          { print > (prefix "." n ".mlir") }' "$file"
      done ;;
    npy)
      /usr/bin/python3 test/tools/loom-run/Inputs/make_npy.py "$dir" ;;
    manifest)
      # The runtime tests' bundle and their malformed manifests.
      cp test/Runtime/Inputs/bundle/manifest.json "$dir/bundle.json"
      cp test/Runtime/Inputs/bad/*.json "$dir" ;;
  esac
}

# LOOM_FUZZ_SEED fixes libFuzzer's seed (CI uses one); 0 means random.
seed=${LOOM_FUZZ_SEED:-0}
report=$build/fuzz-results.xml
cases=()
status=0
for harness in "${harnesses[@]}"; do
  corpus=$build/corpus/$harness crashes=$build/crashes/$harness
  [[ -d $corpus ]] || seed_corpus "$harness" "$corpus"
  mkdir -p "$crashes"
  # A harness may come with a dictionary of its format's words.
  dict=()
  [[ -f tools/loom-fuzz/$harness.dict ]] && dict=(-dict="tools/loom-fuzz/$harness.dict")
  echo "fuzz: $harness for ${seconds}s ($(ls "$corpus" | wc -l) corpus files)"
  if ! ASAN_OPTIONS=detect_leaks=0 "$build/bin/loom-fuzz-$harness" "$corpus" "${dict[@]}" \
      -max_total_time="$seconds" -max_len=16384 -timeout=30 -rss_limit_mb=4096 -seed="$seed" \
      -artifact_prefix="$crashes/" -print_final_stats=1 >"$build/fuzz-$harness.log" 2>&1; then
    echo "fuzz: $harness FAILED; see $build/fuzz-$harness.log and $crashes/"
    grep -E 'ERROR|#[0-9]+ ' "$build/fuzz-$harness.log" | head -30
    cases+=("<testcase classname=\"fuzz\" name=\"$harness\"><failure message=\"crash\"/></testcase>")
    status=1
  else
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/fuzz-$harness.log" | sed 's/^/  /'
    cases+=("<testcase classname=\"fuzz\" name=\"$harness\"/>")
  fi
done
printf '<testsuites><testsuite name="fuzz">%s</testsuite></testsuites>\n' "${cases[*]}" >"$report"
exit $status

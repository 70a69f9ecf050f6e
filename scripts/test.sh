#!/usr/bin/env bash
# The whole test suite: lit over build/ (writes build/test-results.xml),
# then a CI-sized subset of it under ASan + UBSan (build-asan/) and a
# 60-second libFuzzer smoke run of each harness (build-fuzz/). With --quick,
# only the lit suite.
set -uo pipefail
cd "$(dirname "$0")/.."

build_dir=${LOOM_BUILD_DIR:-build}
/usr/lib/llvm-22/bin/lit -sv --xunit-xml-output="$build_dir/test-results.xml" \
  "$build_dir/test"
status=$?
[[ ${1:-} == --quick ]] && exit $status

echo "== sanitizers (ASan + UBSan) on a subset of the suite"
asan=build-asan/test
scripts/sanitize.sh $asan/Dialect $asan/Conversion $asan/Pipelines $asan/kernels \
  $asan/tools $asan/numeric/fused.test $asan/numeric/chunked-16.test \
  $asan/Runtime/list.test $asan/Runtime/manifest-errors.test \
  $asan/Runtime/launch-errors.test || status=1

echo "== fuzz smoke (60 s per harness)"
scripts/fuzz.sh 60 ir pipeline npy manifest || status=1
exit $status

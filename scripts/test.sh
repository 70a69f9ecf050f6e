#!/usr/bin/env bash
# Runs the whole test suite (lit) against build/; writes JUnit XML to
# build/test-results.xml for .ci/run to count.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${LOOM_BUILD_DIR:-build}
/usr/lib/llvm-22/bin/lit -sv --xunit-xml-output="$build_dir/test-results.xml" \
  "$build_dir/test"

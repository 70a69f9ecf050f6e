# Sourced by the GPU machine's scripts (from the repository root, with $OUT
# set): builds Loom's runtime standalone into /tmp/rt and points the Python
# package and the checks at it.
GEN=()
command -v ninja > /dev/null && GEN=(-G Ninja)
JSON_INC=${LOOM_JSON_INCLUDE_DIR:-third_party_peers/json_include}
if ! { cmake -S lib/Runtime -B /tmp/rt ${GEN[@]+"${GEN[@]}"} -DCMAKE_BUILD_TYPE=Release \
         -DLOOM_JSON_INCLUDE_DIR="$PWD/$JSON_INC" > "$OUT/runtime-build.log" 2>&1 &&
       cmake --build /tmp/rt --target LoomRuntime -j 16 >> "$OUT/runtime-build.log" 2>&1; }; then
  # Sourced under set -e, a silent failure would end the caller with no word.
  echo "error: Loom's runtime did not build (carry $JSON_INC: bench/PEERS.md); the log's end:" >&2
  tail -8 "$OUT/runtime-build.log" >&2
  return 1
fi
export LOOM_RUNTIME_LIB=/tmp/rt/lib/libLoomRuntime.so
export PYTHONPATH="$PWD/python:$PWD/test/gpu${PYTHONPATH:+:$PYTHONPATH}"

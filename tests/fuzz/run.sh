#!/bin/bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cpp) with clang++, ASan and UBSan, and runs each for
# SECONDS on its seed corpus (tests/fuzz/corpus/NAME/, read only: new inputs go to a scratch copy).
#   tests/fuzz/run.sh SECONDS [NAME...]        e.g. tests/fuzz/run.sh 20; tests/fuzz/run.sh 600 canonical_json
#   SECONDS 0 only builds. Objects are compiled once for all targets by fuzz.mk (make -j FUZZ_JOBS).
# Env: CXX (default clang++), FUZZ_BUILD (default /tmp/suiji-fuzz-$USER), FUZZ_JOBS (default nproc).
# A crash leaves its input in FUZZ_BUILD/NAME/crash-*: add it to the corpus and a regression test.
# Exit 0 when no target crashed (or failed to build).
# A target's extra sources are named in its "// fuzz-sources:" line (paths from the repository root),
# the libraries it links in its "// fuzz-libs:" line (e.g. -lyaml-cpp -lcrypto), and a larger input cap
# than 4096 bytes in its "// fuzz-max-len:" line. A "// fuzz-thrift: IDL" line generates the IDL's C++
# stubs with the thrift compiler into FUZZ_BUILD/gen/thriftgen/ (included as "thriftgen/..."; regenerated
# when the IDL changes) and compiles them in.
set -euo pipefail
secs=${1:?usage: run.sh SECONDS [NAME...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cxx=${CXX:-clang++}
build=${FUZZ_BUILD:-/tmp/suiji-fuzz-${USER:-me}}
jobs=${FUZZ_JOBS:-$(nproc)}
command -v "$cxx" >/dev/null || { echo "run.sh: $cxx not found (the fuzz targets need clang)"; exit 1; }
names=("$@")
if [ ${#names[@]} = 0 ]; then
  for f in "$here"/*_fuzz.cpp; do n=$(basename "$f"); names+=("${n%_fuzz.cpp}"); done
fi
status=0
for name in "${names[@]}"; do
  src="$here/${name}_fuzz.cpp"
  [ -f "$src" ] || { echo "run.sh: no $src"; exit 1; }
  srcs=("tests/fuzz/${name}_fuzz.cpp")
  for s in $(sed -n 's|^// fuzz-sources: ||p' "$src"); do srcs+=("$s"); done
  libs=$(sed -n 's|^// fuzz-libs: ||p' "$src")
  maxlen=$(sed -n 's|^// fuzz-max-len: ||p' "$src")
  idl=$(sed -n 's|^// fuzz-thrift: ||p' "$src")
  gen_srcs=()
  if [ -n "$idl" ]; then
    gen="$build/gen/thriftgen"
    if [ ! -f "$gen/.stamp" ] || [ "$root/$idl" -nt "$gen/.stamp" ]; then
      command -v thrift >/dev/null || { echo "$name: the thrift compiler is not installed"; status=1; continue; }
      rm -rf "$gen" && mkdir -p "$gen"
      thrift --gen cpp:no_skeleton,moveable_types -out "$gen" "$root/$idl" || { echo "$name: thrift FAILED"; status=1; continue; }
      touch "$gen/.stamp"
    fi
    for g in "$gen"/*.cpp; do gen_srcs+=("gen/thriftgen/$(basename "$g")"); done
  fi
  out="$build/$name"
  mkdir -p "$out/corpus"
  make -s -f "$here/fuzz.mk" -j"$jobs" ROOT="$root" BUILD="$build" CXX="$cxx" NAME="$name" \
    SRCS="${srcs[*]}" GEN_SRCS="${gen_srcs[*]}" LIBS="$libs" || { echo "$name: BUILD FAILED"; status=1; continue; }
  [ "$secs" = 0 ] && { echo "$name: built"; continue; }
  [ -d "$here/corpus/$name" ] && cp -n "$here/corpus/$name"/* "$out/corpus/" 2>/dev/null || true
  echo "fuzzing $name for ${secs}s ..."
  if (cd "$out" && ./fuzzer -max_total_time="$secs" -max_len="${maxlen:-4096}" -print_final_stats=1 corpus) >"$out/log" 2>&1; then
    echo "$name: $(grep -E '^(Done|#[0-9]+.*DONE)' "$out/log" | tail -1) $(grep -E 'stat::number_of_executed_units' "$out/log")"
  else
    status=1
    echo "$name: CRASH (see $out/log; input in $out/crash-*)"
    tail -30 "$out/log"
  fi
done
exit $status

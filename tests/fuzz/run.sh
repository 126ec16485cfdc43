#!/usr/bin/env bash
# run.sh: build the fuzz targets with clang-14 + libFuzzer + ASan/UBSan in
# their own build dir and fuzz them (the long runs; CI only replays corpora).
#
#   bash tests/fuzz/run.sh [TARGET] [libFuzzer flags...]   fuzz TARGET (default: each in turn)
#   bash tests/fuzz/run.sh --merge [TARGET]                 minimise corpus/<TARGET> (-merge=1)
#
# Flags default to -max_total_time=60; e.g. -runs=10000000 or
# -max_total_time=3600. New inputs go to $build/corpus/<target> (the checked-in
# corpus/<target> is only read); crashes to $build/artifacts/<target>/. Fold
# what was found into the checked-in corpus with --merge. TARGETs: the
# fuzz_<TARGET>.cc files here. Environment: KT_FUZZ_BUILD_DIR (default
# <repo>/build-fuzz).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${KT_FUZZ_BUILD_DIR:-$root/build-fuzz}

merge=0
if [ "${1:-}" = "--merge" ]; then merge=1; shift; fi
all_targets=$(cd "$here" && ls fuzz_*.cc | sed 's/^fuzz_//; s/\.cc$//')
targets=$all_targets
if (($#)) && [[ "$1" != -* ]]; then
  if ! grep -qx "$1" <<<"$all_targets"; then
    echo "run.sh: unknown target \"$1\"; one of:" $all_targets >&2
    exit 2
  fi
  targets=$1
  shift
fi
flags=("$@")
((${#flags[@]})) || flags=(-max_total_time=60)

# clang-14 and its sanitizer/libFuzzer runtimes, besides the project's own
# dependencies; installed only when missing.
bash "$root/tests/install-deps.sh"
missing=()
for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "run.sh: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
fi
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DKT_FUZZ=ON -DKT_BUILD_TESTS=OFF -DKT_WERROR=ON \
  "-DCMAKE_CXX_FLAGS=$sanitize" "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >/dev/null
build_targets=()
for t in $targets; do build_targets+=(--target "fuzz_$t"); done
cmake --build "$build" -j"$(nproc)" "${build_targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
for t in $targets; do
  corpus=$here/corpus/$t
  mkdir -p "$corpus" "$build/corpus/$t" "$build/artifacts/$t"
  dict=()
  [ -f "$here/fuzz_$t.dict" ] && dict=(-dict="$here/fuzz_$t.dict")
  if ((merge)); then
    # Minimise: the inputs of corpus/<t> and $build/corpus/<t> that add
    # coverage, written to a fresh dir that then replaces corpus/<t>.
    fresh=$(mktemp -d "$build/merge-$t.XXXXXX")
    "$build/tests/fuzz/fuzz_$t" -merge=1 "${dict[@]}" "$fresh" "$corpus" "$build/corpus/$t"
    rm -rf "$corpus"
    mv "$fresh" "$corpus"
    chmod 755 "$corpus"
    echo "run.sh: corpus/$t now $(ls "$corpus" | wc -l) files, $(du -sh "$corpus" | cut -f1)"
  else
    echo "run.sh: fuzzing $t ${flags[*]}" >&2
    "$build/tests/fuzz/fuzz_$t" -timeout=25 -print_final_stats=1 "${dict[@]}" \
      -artifact_prefix="$build/artifacts/$t/" "${flags[@]}" "$build/corpus/$t" "$corpus"
  fi
done

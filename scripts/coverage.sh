#!/bin/sh
# SPDX-License-Identifier: MIT
# Line coverage of core/ from the unit tests, the seed and regression
# corpus, and any extra corpus directories given (e.g. out/corpus/fuzz_all).
# Usage: scripts/coverage.sh [CORPUS_DIR...]   (report: build/host-cov/coverage.txt)
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
cmake --preset host-cov >/dev/null
cmake --build --preset host-cov
dir=build/host-cov
rm -rf "$dir/profiles"
mkdir -p "$dir/profiles"
export LLVM_PROFILE_FILE="$PWD/$dir/profiles/%p-%m.profraw"
ctest --preset host-cov >/dev/null
cli=$dir/tools/smmufuzz
for extra in "$@"; do
	[ -d "$extra" ] || { echo "coverage.sh: no such directory: $extra" >&2; exit 2; }
	# Raw fuzzer corpora, replayed in-process with their target's op subset.
	"$cli" replay --raw --no-fork "$extra" >/dev/null || true
done
llvm-profdata merge -sparse "$dir"/profiles/*.profraw -o "$dir/coverage.profdata"
objs=""
for t in "$dir"/tests/test_*; do
	[ -x "$t" ] && objs="$objs -object $t"
done
llvm-cov report "$cli" $objs -instr-profile="$dir/coverage.profdata" \
	"$PWD/core/src" > "$dir/coverage.txt"
llvm-cov show "$cli" $objs -instr-profile="$dir/coverage.profdata" \
	-show-line-counts-or-regions "$PWD/core/src" > "$dir/coverage-lines.txt"
cat "$dir/coverage.txt"
echo "coverage.sh: per-line detail in $dir/coverage-lines.txt"

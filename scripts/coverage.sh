#!/bin/sh
# SPDX-License-Identifier: MIT
# Line coverage of core/ from the unit tests, the seed and regression
# corpus, and any extra corpus directories given (e.g. out/corpus/fuzz_all).
# --corpus-only leaves the unit tests out: what the fuzzers' inputs reach.
# Usage: scripts/coverage.sh [--corpus-only] [CORPUS_DIR...]
#        (report: build/host-cov/coverage.txt)
#        scripts/coverage.sh --doc CAMPAIGN
#        (docs/coverage.md, generated from that campaign's corpus by
#        `smmufuzz report --coverage-doc`: figures per file and every
#        uncovered line and branch with its reason)
set -eu
unit=1
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--doc" ]; then
	[ $# -eq 2 ] || { echo "coverage.sh: --doc CAMPAIGN" >&2; exit 2; }
	[ -f "$2/campaign.conf" ] || { echo "coverage.sh: $2 is not a campaign directory" >&2; exit 2; }
	sh scripts/setup.sh
	for preset in host-fuzz host-cov; do
		cmake --preset "$preset" >/dev/null
		cmake --build --preset "$preset" >/dev/null
	done
	exec build/host-fuzz/tools/smmufuzz report --coverage-doc docs/coverage.md "$2"
fi
if [ "${1:-}" = "--corpus-only" ]; then
	unit=0
	shift
fi
sh scripts/setup.sh
cmake --preset host-cov >/dev/null
cmake --build --preset host-cov
dir=build/host-cov
rm -rf "$dir/profiles"
mkdir -p "$dir/profiles"
export LLVM_PROFILE_FILE="$PWD/$dir/profiles/%p-%m.profraw"
cli=$dir/tools/smmufuzz
if [ "$unit" = 1 ]; then
	ctest --preset host-cov >/dev/null
fi
# In-process (--no-fork): a sandboxed child leaves without writing its profile.
for d in "$dir"/corpus/seeds/* "$dir"/corpus/regress/*; do
	"$cli" replay --no-fork "$d" >/dev/null || true
done
for extra in "$@"; do
	[ -d "$extra" ] || { echo "coverage.sh: no such directory: $extra" >&2; exit 2; }
	# Raw fuzzer corpora, replayed in-process with their target's op subset.
	"$cli" replay --raw --no-fork "$extra" >/dev/null || true
done
llvm-profdata merge -sparse "$dir"/profiles/*.profraw -o "$dir/coverage.profdata"
objs=""
if [ "$unit" = 1 ]; then
	for t in "$dir"/tests/test_*; do
		[ -x "$t" ] && objs="$objs -object $t"
	done
fi
llvm-cov report "$cli" $objs -instr-profile="$dir/coverage.profdata" \
	"$PWD/core/src" > "$dir/coverage.txt"
llvm-cov show "$cli" $objs -instr-profile="$dir/coverage.profdata" \
	-show-line-counts-or-regions "$PWD/core/src" > "$dir/coverage-lines.txt"
cat "$dir/coverage.txt"
echo "coverage.sh: per-line detail in $dir/coverage-lines.txt"

#!/bin/sh
# SPDX-License-Identifier: MIT
# Instructions one execution of a target costs, counted by callgrind inside
# harness_run_ops: repeatable whatever else the machine does (wall-clock
# exec/s on a shared 2-core machine moves by 15 %). Two bench runs (1 s and
# 3 s) are counted and their difference divided by the difference in
# executions, so the boots of the worlds cancel out.
#
#   sh scripts/bench-icount.sh SMMUFUZZ TARGET [SEED_DIR]
#
# SMMUFUZZ: a smmufuzz CLI built with -gdwarf-4 (valgrind 3.19 cannot read
# clang-14's default DWARF 5), e.g.
#   cmake -S . -B build/icount -G Ninja -DCMAKE_C_COMPILER=clang \
#     -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="-gdwarf-4 -flto=thin" \
#     -DCMAKE_EXE_LINKER_FLAGS="-fuse-ld=lld -flto=thin" \
#     -DCMAKE_AR=llvm-ar -DCMAKE_RANLIB=llvm-ranlib
#   cmake --build build/icount --target smmufuzz corpus
set -eu
bin=${1:?usage: bench-icount.sh SMMUFUZZ TARGET [SEED_DIR]}
target=${2:?usage: bench-icount.sh SMMUFUZZ TARGET [SEED_DIR]}
dir=${3:-}
command -v valgrind >/dev/null || { echo "bench-icount: valgrind is not installed" >&2; exit 2; }
[ -x "$bin" ] || { echo "bench-icount: $bin is not an executable" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" --toggle-collect=harness_run_ops \
		--compress-strings=no --compress-pos=no "$bin" bench --target "$target" \
		--seconds "$1" $dir >/dev/null 2>"$tmp/err" ||
		{ echo "bench-icount: the bench failed: $(tail -1 "$tmp/err")" >&2; exit 2; }
	ir=$(awk '/^summary:/ { print $2 }' "$tmp/cg")
	calls=$(awk '/^fn=/ { inb = ($0 ~ /cmd_bench/) } /^cfn=/ { c = ($0 ~ /harness_run_ops/) }
		/^calls=/ { if (inb && c) { split($1, a, "="); s += a[2] } } END { print s + 0 }' "$tmp/cg")
	echo "$ir $calls"
}
set -- $(run 1) $(run 3)
[ "$4" -gt "$2" ] || { echo "bench-icount: no more executions in 3 s than in 1 s" >&2; exit 2; }
echo "$target $(( ($3 - $1) / ($4 - $2) )) instructions/exec ($(( $4 - $2 )) executions counted)"

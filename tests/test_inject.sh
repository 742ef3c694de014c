#!/bin/sh
# SPDX-License-Identifier: MIT
# Injected bugs stay out of the product and each one is real:
#  1. the core objects of this build (the product's configuration) are
#     compiled without SMMUFUZZ_INJECT, the cache asks for none, and the
#     core library holds no trace of a hook (no "INJECT" in any string);
#  2. every id of core/src/inject.h has an injection point, its files
#     compile (warnings as errors, freestanding) and each object differs
#     from the clean one: the bug is in the code, and only when asked;
#  3. an id the header does not number fails the compile with its message.
#   test_inject.sh SOURCE_DIR BUILD_DIR CC CLANG_RESOURCE_DIR FDT_HEADERS
set -eu
src=$1
build=$2
cc=$3
res=$4
fdt=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
flags="-std=c11 -O1 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
 -Wvla -ffreestanding -nostdinc -isystem $res/include -isystem $src/core/plat/el2/include
 -isystem $fdt -I $src/core/include -I $src/core/src -c"

# 1. This build's core
if grep '"command"' "$build/compile_commands.json" |
   grep -E 'CMakeFiles/smmu_core(_fz)?\.dir/' | grep -q SMMUFUZZ_INJECT; then
	echo "FAIL the core of $build is compiled with an injected bug"
	fail=1
fi
# ... and nothing of an injection point left in its code or strings
if grep -a -q 'INJECT' "$build/core/libsmmu_core.a"; then
	echo "FAIL $build/core/libsmmu_core.a holds the text INJECT (a hook in a string?)"
	fail=1
fi
if ! grep -q '^SMMUFUZZ_INJECT:STRING=$' "$build/CMakeCache.txt"; then
	echo "FAIL $build is configured with SMMUFUZZ_INJECT set"
	fail=1
fi

# 2. Every id
ids=$(sed -n 's/^#define INJ_\([A-Z0-9]*\)	.*/\1/p' "$src/core/src/inject.h" | grep -v '^COUNT$')
[ -n "$ids" ] || { echo "FAIL no ids in core/src/inject.h"; exit 1; }
for f in $(grep -l 'INJECT(' "$src"/core/src/*.c); do
	b=$(basename "$f" .c)
	$cc $flags "$f" -o "$tmp/$b.clean.o"
done
n=0
for id in $ids; do
	files=$(grep -lF "INJECT($id)" "$src"/core/src/*.c || true)
	if [ -z "$files" ]; then
		echo "FAIL $id: no injection point in core/src"
		fail=1
		continue
	fi
	for f in $files; do
		b=$(basename "$f" .c)
		if ! $cc $flags -DSMMUFUZZ_INJECT=INJ_$id "$f" -o "$tmp/$b.$id.o" 2>"$tmp/err"; then
			echo "FAIL $id: $b.c does not compile with it:"
			head -5 "$tmp/err"
			fail=1
		elif cmp -s "$tmp/$b.clean.o" "$tmp/$b.$id.o"; then
			echo "FAIL $id: $b.c compiles to the clean object (the bug is not there)"
			fail=1
		fi
	done
	n=$((n + 1))
done

# 3. An unknown id
if $cc $flags -DSMMUFUZZ_INJECT=INJ_NOPE "$src/core/src/cmd.c" -o "$tmp/nope.o" 2>"$tmp/err"; then
	echo "FAIL an unknown id compiled"
	fail=1
elif ! grep -q "names no bug" "$tmp/err"; then
	echo "FAIL an unknown id failed without saying why:"
	head -3 "$tmp/err"
	fail=1
fi
[ $fail -eq 0 ] && echo "test_inject: $n injected variants build and differ from the clean core; the product core has none"
exit $fail

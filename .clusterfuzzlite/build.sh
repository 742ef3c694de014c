#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds every smmufuzz fuzz target as OSS-Fuzz and ClusterFuzzLite build
# projects: with their $CC, $CXX, $CFLAGS, $CXXFLAGS and $LIB_FUZZING_ENGINE
# (libFuzzer, or AFL++'s driver when $FUZZING_ENGINE is afl), for
# $SANITIZER, into $OUT:
#
#   fuzz_<t>                   the target
#   fuzz_<t>_seed_corpus.zip   corpus/seeds/fuzz_<t>/*.txt, assembled
#   fuzz_<t>.dict              fuzzers/fuzz_<t>.dict
#   fuzz_<t>.options           fuzzers/fuzz_<t>.options
#
# No CMake: the image's may be older than ours, and the sources are compiled
# here directly with the flags given (every .c of core/src, core/plat/host
# and fuzzers/common; the harness's own target file per target). The seed
# assembler (`smmufuzz asm`) is built once, uninstrumented, with the host
# compiler ($SMMUFUZZ_HOST_CC, default clang), into $WORK.
# scripts/test.sh runs this on the machine itself with the variables set as
# OSS-Fuzz sets them, for both engines and both sanitizers
# (tests/test_cflite.sh), and runs each target on its seed corpus.
set -eu

: "${CC:?CC must be set (OSS-Fuzz sets it)}"
: "${CXX:?CXX must be set}"
: "${OUT:?OUT must be set}"
: "${LIB_FUZZING_ENGINE:?LIB_FUZZING_ENGINE must be set}"
CFLAGS=${CFLAGS:-}
CXXFLAGS=${CXXFLAGS:-}
SANITIZER=${SANITIZER:-address}
FUZZING_ENGINE=${FUZZING_ENGINE:-libfuzzer}

# The source tree: the working directory in the image ($SRC/smmufuzz),
# else this script's parent.
if [ -d core/src ] && [ -d fuzzers/common ]; then
	top=$(pwd)
elif [ -n "${SRC:-}" ] && [ -d "$SRC/smmufuzz/core/src" ]; then
	top=$SRC/smmufuzz
else
	top=$(cd "$(dirname "$0")/.." && pwd)
fi
work=${WORK:-${TMPDIR:-/tmp}}/smmufuzz-cflite
obj=$work/$FUZZING_ENGINE-$SANITIZER
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$OUT" "$obj"

# libfdt's three headers, alone, for the core's freestanding include path
# (the host's /usr/include must stay out of the core).
fdt_h=""
for d in /usr/include /usr/local/include; do
	[ -f "$d/libfdt.h" ] && fdt_h=$d && break
done
[ -n "$fdt_h" ] || { echo "build.sh: libfdt.h not found (install libfdt-dev)" >&2; exit 1; }
mkdir -p "$work/fdt-include"
cp "$fdt_h/libfdt.h" "$fdt_h/fdt.h" "$fdt_h/libfdt_env.h" "$work/fdt-include/"

# compile CC FLAGS OBJDIR FILE... : one object per file, $jobs at a time.
compile() {
	cc=$1 flags=$2 dir=$3
	shift 3
	mkdir -p "$dir"
	pids=""
	n=0
	for src in "$@"; do
		o=$dir/$(echo "$src" | sed "s|^$top/||; s|/|_|g; s|\.c\$|.o|")
		# shellcheck disable=SC2086
		$cc $flags -c "$src" -o "$o" &
		pids="$pids $!"
		n=$((n + 1))
		if [ "$n" -ge "$jobs" ]; then
			for p in $pids; do wait "$p"; done
			pids=""
			n=0
		fi
	done
	for p in $pids; do wait "$p"; done
}

common_srcs() {
	for f in "$top"/fuzzers/common/*.c; do
		case $f in */lf_mutator.c) ;; *) echo "$f" ;; esac
	done
}

resource=$($CC -print-resource-dir)
core_inc="-ffreestanding -nostdinc -isystem $resource/include -isystem $top/core/plat/el2/include -isystem $work/fdt-include -I$top/core/include"
host_inc="-I$top/core/include -I$top/core/plat/host -I$top/fuzzers/common"
std="-std=c11 -Wall -Wextra"

# 1. The seed assembler, plain (once per $WORK).
tool=$work/tool/smmufuzz
if [ ! -x "$tool" ]; then
	hcc=${SMMUFUZZ_HOST_CC:-clang}
	hflags="$std -O1 -g0"
	hresource=$($hcc -print-resource-dir)
	hcore="-ffreestanding -nostdinc -isystem $hresource/include -isystem $top/core/plat/el2/include -isystem $work/fdt-include -I$top/core/include"
	# shellcheck disable=SC2046
	compile "$hcc" "$hflags $hcore" "$work/tool/core" "$top"/core/src/*.c
	# shellcheck disable=SC2046
	compile "$hcc" "$hflags $host_inc" "$work/tool/host" "$top"/core/plat/host/*.c $(common_srcs)
	compile "$hcc" "$hflags $host_inc -I$top/tools -I$top/core/src -D_GNU_SOURCE -DSMMUFUZZ_BUILD_DIR=\"$work/tool\" -DSMMUFUZZ_SOURCE_DIR=\"$top\"" \
		"$work/tool/cli" "$top"/tools/*.c
	# shellcheck disable=SC2046
	$hcc -o "$tool.tmp" "$work"/tool/cli/*.o "$work"/tool/host/*.o "$work"/tool/core/*.o -lfdt -ldl -lm
	mv "$tool.tmp" "$tool"
fi

# 2. The libraries with the flags given. Only the core gets coverage
# feedback worth having; it is also the only part the ignore list applies to.
ignore=""
case "$CFLAGS" in
*fsanitize=fuzzer*) ignore="-fsanitize-coverage-ignorelist=$top/fuzzers/coverage-ignore.txt" ;;
esac
if [ "$FUZZING_ENGINE" = afl ]; then
	export AFL_LLVM_DENYLIST="$top/fuzzers/coverage-ignore.txt" AFL_QUIET=1
fi
compile "$CC" "$CFLAGS $std $core_inc $ignore" "$obj/core" "$top"/core/src/*.c
# shellcheck disable=SC2046
compile "$CC" "$CFLAGS $std $host_inc" "$obj/host" "$top"/core/plat/host/*.c $(common_srcs)

# 3. One binary per target, and what goes beside it.
for src in "$top"/fuzzers/fuzz_*.c; do
	t=$(basename "$src" .c)
	glue=""
	wrap=""
	if [ "$FUZZING_ENGINE" = afl ]; then
		# AFL++'s own mutator library is a campaign matter; here the
		# target boots an input's world before its coverage counts
		# (100 % stability) and counts nothing unless asked.
		compile "$CC" "$CFLAGS $std $host_inc -DSMMUFUZZ_ENGINE_AFL" "$obj/$t" "$src"
		# The glue reads AFL++'s coverage map: compiled by clang itself,
		# as in cmake/afl.cmake (afl-clang-fast would rename the map).
		compile "${SMMUFUZZ_HOST_CC:-clang}" "$CFLAGS $std $host_inc -D_GNU_SOURCE" "$obj/afl-glue" \
			"$top/fuzzers/afl_stable.c" "$top/fuzzers/exec_counter.c"
		glue="$obj/afl-glue/fuzzers_afl_stable.o $obj/afl-glue/fuzzers_exec_counter.o"
		wrap="-Wl,--wrap=LLVMFuzzerTestOneInput"
	else
		# libFuzzer: the structure-aware mutator's hooks (harness.h).
		compile "$CC" "$CFLAGS $std $host_inc" "$obj/$t" "$src" "$top/fuzzers/common/lf_mutator.c"
	fi
	# shellcheck disable=SC2086
	$CXX $CXXFLAGS -o "$OUT/$t" "$obj/$t"/*.o $glue "$obj"/host/*.o "$obj"/core/*.o \
		$LIB_FUZZING_ENGINE $wrap -lfdt -ldl -lm
	cp "$top/fuzzers/$t.options" "$OUT/$t.options"
	[ -f "$top/fuzzers/$t.dict" ] && cp "$top/fuzzers/$t.dict" "$OUT/$t.dict"
	seeds=$work/seeds/$t
	rm -rf "$seeds"
	mkdir -p "$seeds"
	for txt in "$top/corpus/seeds/$t"/*.txt; do
		[ -f "$txt" ] || continue
		"$tool" asm "$txt" -o "$seeds/$(basename "$txt" .txt).smfz" >/dev/null
	done
	rm -f "$OUT/${t}_seed_corpus.zip"
	(cd "$seeds" && zip -q -X "$OUT/${t}_seed_corpus.zip" ./*.smfz)
	echo "build.sh: $OUT/$t ($FUZZING_ENGINE, $SANITIZER): $(ls "$seeds" | wc -l) seeds"
done

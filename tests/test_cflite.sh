#!/bin/sh
# SPDX-License-Identifier: MIT
# .clusterfuzzlite/build.sh as OSS-Fuzz runs it: the variables set as its
# base-builder image sets them, for libFuzzer and for AFL++ (its driver as
# $LIB_FUZZING_ENGINE), each under ASan and UBSan. Every target must come
# out with its seed corpus zip (one entry per seed), dictionary and options,
# and run over its seed corpus without a crash.
# Usage: test_cflite.sh SOURCE_DIR WORK_DIR
set -eu
src=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
fail() { echo "test_cflite: $*" >&2; exit 1; }
command -v zip >/dev/null || fail "zip is not installed (sh scripts/setup.sh)"
command -v unzip >/dev/null || fail "unzip is not installed (sh scripts/setup.sh)"

common="-O1 -fno-omit-frame-pointer -gline-tables-only"
asan="-fsanitize=address -fsanitize-address-use-after-scope"
ub_checks="array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr"
ubsan="-fsanitize=$ub_checks,unsigned-integer-overflow -fno-sanitize-recover=$ub_checks"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=silence_unsigned_overflow=1:halt_on_error=1:print_stacktrace=1

targets=$(cd "$src/fuzzers" && ls fuzz_*.c | sed 's/\.c$//')
afl=0
command -v afl-clang-fast >/dev/null && [ -f /usr/lib/afl/libAFLDriver.a ] && afl=1
[ "$afl" = 1 ] || [ -z "${SMMUFUZZ_REQUIRE_AFL:-}" ] || fail "AFL++ is not installed"

run_config() {
	engine=$1 sanitizer=$2
	out=$work/out-$engine-$sanitizer
	case $sanitizer in
	address) flags="$common $asan" ;;
	undefined) flags="$common $ubsan" ;;
	esac
	if [ "$engine" = libfuzzer ]; then
		cc=clang cxx=clang++ lib=-fsanitize=fuzzer
		flags="$flags -fsanitize=fuzzer-no-link"
	else
		cc=afl-clang-fast cxx=afl-clang-fast++ lib=/usr/lib/afl/libAFLDriver.a
	fi
	(cd "$src" && env CC=$cc CXX=$cxx CFLAGS="$flags" CXXFLAGS="$flags" \
		LIB_FUZZING_ENGINE="$lib" FUZZING_ENGINE="$engine" SANITIZER="$sanitizer" \
		OUT="$out" WORK="$work/work" SRC="$work" sh .clusterfuzzlite/build.sh) \
		>"$work/build-$engine-$sanitizer.log" 2>&1 ||
		{ tail -20 "$work/build-$engine-$sanitizer.log" >&2; fail "build.sh failed ($engine, $sanitizer)"; }
	for t in $targets; do
		[ -x "$out/$t" ] || fail "$engine/$sanitizer: no $out/$t"
		cmp -s "$out/$t.options" "$src/fuzzers/$t.options" || fail "$engine/$sanitizer: $t.options"
		cmp -s "$out/$t.dict" "$src/fuzzers/$t.dict" || fail "$engine/$sanitizer: $t.dict"
		seeds=$(ls "$src/corpus/seeds/$t"/*.txt | wc -l)
		entries=$(unzip -Z1 "$out/${t}_seed_corpus.zip" | wc -l)
		[ "$seeds" -gt 0 ] && [ "$entries" -eq "$seeds" ] ||
			fail "$engine/$sanitizer: ${t}_seed_corpus.zip has $entries entries, $seeds seeds"
		dir=$work/seeds-$engine-$sanitizer/$t
		mkdir -p "$dir"
		unzip -q -o "$out/${t}_seed_corpus.zip" -d "$dir"
		log=$work/run-$engine-$sanitizer-$t.log
		if [ "$engine" = libfuzzer ]; then
			"$out/$t" -runs=0 "$dir" >"$log" 2>&1 || { tail -20 "$log" >&2; fail "$engine/$sanitizer: $t crashed on its seeds"; }
			grep -q "DONE" "$log" || fail "$engine/$sanitizer: $t did not go through its seeds"
		else
			"$out/$t" "$dir"/* >"$log" 2>&1 || { tail -20 "$log" >&2; fail "$engine/$sanitizer: $t crashed on its seeds"; }
			ran=$(grep -c "^Execution successful" "$log" || true)
			[ "$ran" -eq "$seeds" ] || fail "$engine/$sanitizer: $t ran $ran of $seeds seeds"
		fi
	done
	echo "test_cflite: $engine/$sanitizer: $(echo $targets | wc -w) targets built and run on their seeds"
}

run_config libfuzzer address
run_config libfuzzer undefined
if [ "$afl" = 1 ]; then
	run_config afl address
	run_config afl undefined
else
	echo "test_cflite: AFL++ not installed: its builds skipped"
fi

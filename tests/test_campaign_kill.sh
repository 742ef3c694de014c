#!/bin/sh
# SPDX-License-Identifier: MIT
# A campaign killed with SIGKILL at a random moment leaves no engine process
# behind, and resuming it loses nothing it had written: corpus entries,
# crash files, recorded signatures.
#
#   test_campaign_kill.sh SMMUFUZZ BUILD_DIR SOURCE_DIR
#
# Both engines when the AFL++ build (SOURCE_DIR/build/afl) is there, else
# libFuzzer alone (SMMUFUZZ_REQUIRE_AFL=1 makes that a failure: CI).
set -eu
cli=$1 build=$2 src=$3
work=$build/test-campaign-kill
camp=$work/campaign
rm -rf "$work"
mkdir -p "$work/lf" "$work/afl"

fail() {
	echo "test_campaign_kill: FAIL: $*" >&2
	for f in "$work"/run*.log; do
		[ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
	done
	exit 1
}

# Copies of the targets under $work: a process running one of them, or
# naming the campaign, is ours (other campaigns may run on this machine).
# From /proc, not ps: a fresh Debian has no procps.
survivors() {
	for p in /proc/[0-9]*; do
		args=$(tr '\000' ' ' <"$p/cmdline" 2>/dev/null) || continue
		case "$args" in
		*test_campaign_kill*) ;;
		*"$work"*) echo "${p#/proc/} $args" ;;
		esac
	done
}

wait_none() {
	i=0
	while [ -n "$(survivors)" ]; do
		i=$((i + 1))
		[ $i -le 50 ] || fail "engine processes outlived the campaign: $(survivors)"
		sleep 0.1
	done
}

wait_for() {	# wait_for SECONDS TEST-ARGS...
	limit=$(( $1 * 10 )); shift
	i=0
	until test "$@"; do
		i=$((i + 1))
		[ $i -le "$limit" ] || fail "timed out waiting for: test $*"
		sleep 0.1
	done
}

for t in fuzz_mmio fuzz_ste; do
	cp "$build/fuzzers/$t" "$work/lf/"
done
engine=libfuzzer
aflb=$src/build/afl/fuzzers
if [ -x "$aflb/fuzz_mmio" ] && [ -x "$aflb/fuzz_ste" ] && command -v afl-fuzz >/dev/null; then
	engine=both
	cp "$aflb/fuzz_mmio" "$aflb/fuzz_ste" "$work/afl/"
	[ -f "$aflb/libsmmufuzz_afl_mutator.so" ] && cp "$aflb/libsmmufuzz_afl_mutator.so" "$work/afl/"
elif [ "${SMMUFUZZ_REQUIRE_AFL:-0}" = 1 ]; then
	fail "no AFL++ build in $aflb (cmake --preset afl && cmake --build --preset afl)"
else
	echo "test_campaign_kill: no AFL++ build in $aflb: libFuzzer only"
fi
seed=$(ls "$build/corpus/seeds/fuzz_mmio/"*.smfz | head -1)

# 1. A campaign, with crash files planted where the engines write theirs;
# killed at a random moment once the AFL++ one has been recorded.
"$cli" fuzz --engine "$engine" --jobs 2 --time 120 --out "$camp" --bin "$work/lf" \
	--afl-bin "$work/afl" --cmplog-bin none fuzz_mmio fuzz_ste >"$work/run1.log" 2>&1 &
pid=$!
wait_for 20 -d "$camp/work/fuzz_mmio-libfuzzer0"
# libFuzzer's artifact: collected only when that worker exits, or on resume.
cp "$seed" "$camp/work/fuzz_mmio-libfuzzer0/crash-planted-by-test"
if [ $engine = both ]; then
	wait_for 30 -d "$camp/afl/fuzz_mmio/main/crashes"
	printf 'planted by the test %s\n' "$$" >"$camp/afl/fuzz_mmio/main/crashes/id:000999,sig:06,planted"
	wait_for 30 -s "$camp/crashes.tsv"
fi
sleep "$(awk -v s="$$" 'BEGIN { srand(s); printf "%.1f", rand() * 3 }')"
kill -0 "$pid" 2>/dev/null || fail "the campaign ended before the kill"
kill -9 "$pid"
wait "$pid" 2>/dev/null || true

# 2. Nothing survives it.
wait_none

# 3. What is on disk now ...
(cd "$camp" && find corpus crashes -type f | sort | xargs cksum | sort) >"$work/before"
grep -v '^#' "$camp/findings.tsv" | cut -f1 | sort >"$work/sigs-before" || true
[ -s "$work/before" ] || fail "the campaign had written nothing"

# 4. ... survives a resume.
rc=0
"$cli" fuzz --resume "$camp" --time 4 >"$work/run2.log" 2>&1 || rc=$?
[ $rc -le 1 ] || fail "resume exited with $rc"
wait_none
(cd "$camp" && find corpus crashes -type f | sort | xargs cksum | sort) >"$work/after"
lost=$(comm -23 "$work/before" "$work/after")
[ -z "$lost" ] || fail "files lost or changed by the resume: $lost"
grep -v '^#' "$camp/findings.tsv" | cut -f1 | sort >"$work/sigs-after"
lost=$(comm -23 "$work/sigs-before" "$work/sigs-after")
[ -z "$lost" ] || fail "signatures lost by the resume: $lost"
grep -q '^sessions = 2$' "$camp/campaign.conf" || fail "campaign.conf does not count 2 sessions"
# The artifact the killed session never collected is in the campaign now,
# and has a signature.
[ -f "$camp/crashes/fuzz_mmio/crash-planted-by-test" ] || fail "libFuzzer's leftover artifact was not collected"
grep -q 'crashes/fuzz_mmio/crash-planted-by-test' "$camp/crashes.tsv" ||
	fail "the collected artifact was not replayed"
if [ $engine = both ]; then
	grep -q 'afl' "$camp/crashes.tsv" || fail "the AFL++ crash file was not recorded"
fi
n=$(wc -l <"$work/after")
echo "test_campaign_kill: ok ($engine; $n files kept through SIGKILL and resume)"
rm -rf "$work"

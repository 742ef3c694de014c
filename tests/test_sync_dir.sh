#!/bin/sh
# SPDX-License-Identifier: MIT
# Many machines with AFL++ (smmufuzz fuzz --sync-dir DIR --role main|secondary):
# two campaigns, as two "machines" (two processes, --machine m1 and m2), over
# one shared sync directory. They must exchange corpus both ways: the
# secondary imports the main's queue while both run, and the main, resumed,
# imports what the secondary found (afl-fuzz's main syncs every 30 s and at
# every start, AFL_IMPORT_FIRST). A second main on the same directory is
# refused, and --role without --sync-dir too.
#
#   test_sync_dir.sh SMMUFUZZ BUILD_DIR SOURCE_DIR
set -eu
cli=$1 build=$2 src=$3
work=$(cd "$build" && pwd)/test-sync-dir
sync=$work/sync
rm -rf "$work"
mkdir -p "$work/afl" "$work/lf"

fail() {
	echo "test_sync_dir: FAIL: $*" >&2
	for f in "$work"/*.log; do
		[ -f "$f" ] && { echo "--- $f" >&2; tail -15 "$f" >&2; }
	done
	exit 1
}

aflb=$src/build/afl/fuzzers
if ! [ -x "$aflb/fuzz_mmio" ] || ! command -v afl-fuzz >/dev/null; then
	[ "${SMMUFUZZ_REQUIRE_AFL:-0}" = 1 ] && fail "no AFL++ build in $aflb"
	echo "test_sync_dir: no AFL++ build in $aflb: skipped"
	exit 77
fi
cp "$aflb/fuzz_mmio" "$work/afl/"
[ -f "$aflb/libsmmufuzz_afl_mutator.so" ] && cp "$aflb/libsmmufuzz_afl_mutator.so" "$work/afl/"
cp "$build/fuzzers/fuzz_mmio" "$work/lf/"
# The report at each campaign's end: no coverage replay here (quick).
export SMMUFUZZ_COV_BUILD=/nonexistent

run() {	# run LOG ARGS...
	log=$1
	shift
	rc=0
	"$cli" fuzz --engine afl --jobs 1 --bin "$work/lf" --afl-bin "$work/afl" \
		--cmplog-bin none "$@" >"$work/$log" 2>&1 || rc=$?
	[ $rc -le 1 ] || fail "smmufuzz fuzz $* exited with $rc"
}

# 1. Two machines at once.
run m1.log --time 30 --sync-dir "$sync" --role main --machine m1 --out "$work/m1" fuzz_mmio &
pid=$!
sleep 2
run m2.log --time 28 --sync-dir "$sync" --role secondary --machine m2 --out "$work/m2" fuzz_mmio
wait $pid || fail "the main campaign failed"
[ -d "$sync/fuzz_mmio/main/queue" ] || fail "no main instance in the sync directory"
[ -d "$sync/fuzz_mmio/m2-s0/queue" ] || fail "no m2-s0 instance in the sync directory"
got=$(ls "$sync/fuzz_mmio/m2-s0/queue" | grep -c ',sync:main,' || true)
[ "$got" -gt 0 ] || fail "the secondary imported nothing from the main"
own=$(ls "$sync/fuzz_mmio/m2-s0/queue" | grep -v ',sync:' | grep -vc ',orig:' || true)
grep -q '^role = secondary$' "$work/m2/campaign.conf" || fail "m2's campaign.conf lost its role"
grep -q "^sync_dir = $sync\$" "$work/m2/campaign.conf" || fail "m2's campaign.conf lost its sync_dir"
# What the secondary imported is in its campaign's corpus (and report).
n=$(ls "$work/m2/corpus/fuzz_mmio" | wc -l)
[ "$n" -ge "$got" ] || fail "m2's corpus has $n files, fewer than the $got it imported"

# 2. The main, resumed, imports what the secondary found.
if [ "$own" -gt 0 ]; then
	run m1-resume.log --resume "$work/m1" --time 8
	back=$(ls "$sync/fuzz_mmio/main/queue" | grep -c ',sync:m2-s0,' || true)
	[ "$back" -gt 0 ] || fail "the main imported none of the secondary's $own finds"
else
	fail "the secondary found nothing of its own in 28 s (cannot check the way back)"
fi

# 3. One main per sync directory; --role needs --sync-dir.
rc=0
"$cli" fuzz --engine afl --time 5 --afl-bin "$work/afl" --bin "$work/lf" --sync-dir "$sync" \
	--role main --machine m3 --out "$work/m3" fuzz_mmio >"$work/m3.log" 2>&1 || rc=$?
[ $rc = 2 ] && grep -q "already has a main machine, 'm1'" "$work/m3.log" ||
	fail "a second main was not refused (exit $rc)"
rc=0
"$cli" fuzz --role secondary --time 5 fuzz_mmio >"$work/norole.log" 2>&1 || rc=$?
[ $rc = 2 ] && grep -q "go with --sync-dir" "$work/norole.log" || fail "--role without --sync-dir accepted"
echo "test_sync_dir: ok (m2 imported $got of the main's entries; the main imported $back of m2's)"
rm -rf "$work"

#!/bin/sh
# SPDX-License-Identifier: MIT
# The tools read an op stream in either form: the text the corpus keeps
# (comments, then a "smfz" header line) gives the same verdict and trace
# as its assembled binary; a bad text line, a truncated binary and a
# missing file each give one line and exit status 2.
# Usage: test_cli_input.sh SOURCE_DIR HOST_BUILD_DIR
set -eu
src=$1
cli="$2/tools/smmufuzz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {	# check NAME EXPECTED-SUBSTRING OUTPUT
	case "$3" in
	*"$2"*) echo "ok   $1" ;;
	*) echo "FAIL $1: expected '$2' in: $3"; fail=1 ;;
	esac
}

for f in "$src"/corpus/regress/fuzz_boot/0021-*.txt "$src"/corpus/regress/fuzz_mmio/0024-*.txt; do
	"$cli" asm "$f" -o "$tmp/bin.smfz"
	text=$("$cli" replay "$f" 2>/dev/null | sed 's/^[^:]*: //' || true)
	bin=$("$cli" replay "$tmp/bin.smfz" 2>/dev/null | sed 's/^[^:]*: //' || true)
	check "text form of $(basename "$f") replays as its binary ($bin)" "$bin" "$text"
	case "$text" in ""|*unreadable*) echo "FAIL $(basename "$f"): no verdict"; fail=1 ;; esac
done

printf '# a comment\nsmfz 2 profile=dual\nbogus op\n' >"$tmp/bad.txt"
rc=0; out=$("$cli" replay "$tmp/bad.txt" 2>&1) || rc=$?
check "bad text line named" "bad.txt: bad op-stream text: line 3: unknown op 'bogus'" "$out"
check "bad text exits 2" "rc=2" "rc=$rc"

"$cli" asm "$src/corpus/regress/fuzz_boot/0021-release-of-an-smmu-that-does-not-disable.txt" -o "$tmp/whole.smfz"
head -c 12 "$tmp/whole.smfz" >"$tmp/cut.smfz"
rc=0; out=$("$cli" replay "$tmp/cut.smfz" 2>&1) || rc=$?
check "truncated binary named" "cut.smfz: corrupt op stream" "$out"
check "truncated binary exits 2" "rc=2" "rc=$rc"

rc=0; out=$("$cli" replay "$tmp/absent.txt" 2>&1) || rc=$?
check "missing file named" "absent.txt: No such file" "$out"
check "missing file exits 2" "rc=2" "rc=$rc"
exit $fail

#!/bin/sh
# SPDX-License-Identifier: MIT
# bugbench end to end on one bug the seeds' neighbourhood exposes at once
# (R3: the take-over keeps firmware's MSI set-up): built, fuzzed for at
# most 60 s, and it must be exposed with its expected signature; a bad bug
# id is one line of error.
set -eu
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if "$cli" bugbench NOPE 2>"$tmp/err"; then
	echo "FAIL bugbench accepted an unknown bug"
	exit 1
fi
[ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL the refusal is not one line"; cat "$tmp/err"; exit 1; }
"$cli" bugbench --time 60 --trials 1 --engine libfuzzer --jobs 2 --no-control \
	--out "$tmp/out" R3 >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
row=$(grep '^R3	1	libfuzzer	on	60	' "$tmp/out/results.tsv" || true)
case "$row" in
*"	miss	"*|"")
	echo "FAIL R3 not exposed in 60 s:"
	cat "$tmp/log"
	exit 1 ;;
esac
for f in results.md index.html; do
	[ -s "$tmp/out/$f" ] || { echo "FAIL no $f"; exit 1; }
done
grep -q '<svg' "$tmp/out/index.html" || { echo "FAIL index.html has no survival plot"; exit 1; }
echo "test_bugbench: $row"

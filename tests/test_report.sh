#!/bin/sh
# SPDX-License-Identifier: MIT
# The campaign report (smmufuzz report, docs/user-guide.md): a short real
# campaign plus one planted finding; report.html must hold every section
# (summary, targets, plots, source coverage with the llvm-cov HTML link,
# findings with host and QEMU verdicts and the repro's text, rejections by
# site), render in headless Chromium with every section present, and bad
# input must give one line and change nothing.
#
#   test_report.sh SMMUFUZZ BUILD_DIR SOURCE_DIR
#
# Coverage needs the host-cov build (SOURCE_DIR/build/host-cov), rendering
# needs chromium: without them those checks are skipped and said so, unless
# SMMUFUZZ_REQUIRE_REPORT_TOOLS=1 (CI) makes that a failure.
set -eu
cli=$1 build=$2 src=$3
work=$(cd "$build" && pwd)/test-report
camp=$work/camp
rm -rf "$work"
mkdir -p "$work"
require=${SMMUFUZZ_REQUIRE_REPORT_TOOLS:-0}

fail() {
	echo "test_report: FAIL: $*" >&2
	for f in "$work"/*.log; do
		[ -f "$f" ] && { echo "--- $f" >&2; tail -15 "$f" >&2; }
	done
	exit 1
}
skip() {
	[ "$require" = 1 ] && fail "$* (SMMUFUZZ_REQUIRE_REPORT_TOOLS=1)"
	echo "test_report: $*: skipped"
}

covb=$src/build/host-cov
if [ -x "$covb/tools/smmufuzz" ]; then
	export SMMUFUZZ_COV_BUILD=$covb
	cov=1
else
	export SMMUFUZZ_COV_BUILD=/nonexistent
	cov=0
	skip "no host-cov build in $covb (coverage checks)"
fi

# 1. A short campaign; its end writes the report.
rc=0
"$cli" fuzz --engine libfuzzer --jobs 1 --time 6 --out "$camp" --bin "$build/fuzzers" \
	fuzz_mmio >"$work/fuzz.log" 2>&1 || rc=$?
[ $rc -le 1 ] || fail "the campaign exited with $rc"
[ -s "$camp/report.html" ] || fail "the campaign wrote no report.html"
[ -s "$camp/report.md" ] || fail "the campaign wrote no report.md"

# 2. A finding planted the way the campaign records one (a seed stands in
# for its minimised repro), then the report again.
sig="oracle:planted-by-test_report"
slug=oracle_planted-by-test_report-test
seed=$(ls "$build/corpus/seeds/fuzz_mmio/"*.smfz | head -1)
seedtxt=$src/corpus/seeds/fuzz_mmio/$(basename "$seed" .smfz).txt
mkdir -p "$camp/findings" "$camp/crashes/fuzz_mmio"
# A crash file the campaign did not replay yet: a resume with no time left
# replays it and writes summary.md again (its findings tables carry the
# host and QEMU verdict columns).
cp "$seed" "$camp/crashes/fuzz_mmio/crash-planted"
rc=0
"$cli" fuzz --resume "$camp" --time 0 >"$work/resume.log" 2>&1 || rc=$?
[ $rc -le 1 ] || fail "the resume exited with $rc"
grep -q "host verdict | QEMU verdict" "$camp/summary.md" || fail "summary.md has no QEMU verdict column"
cp "$seed" "$camp/findings/$slug.smfz"
cp "$seedtxt" "$camp/findings/$slug.txt"
printf '%s\toracle\tfuzz_mmio\tlibfuzzer\t3.0\t1\tcrashes/fuzz_mmio/crash-planted\tfindings/%s.smfz\n' \
	"$sig" "$slug" >>"$camp/findings.tsv"
printf '3.0\tfuzz_mmio\tlibfuzzer\t%s\tcrashes/fuzz_mmio/crash-planted\n' "$sig" >>"$camp/crashes.tsv"
"$cli" report "$camp" >"$work/report.log" 2>&1 || fail "smmufuzz report failed"

html=$camp/report.html
for id in summary units plots coverage findings rejections; do
	grep -q "<section id=\"$id\">" "$html" || fail "report.html has no section '$id'"
done
svgs=$(grep -o '<svg ' "$html" | wc -l)
[ "$svgs" -ge 4 ] || fail "report.html has $svgs charts, expected at least 4"
[ -s "$camp/report/fuzz_mmio-coverage.svg" ] || fail "no chart file for report.md"
grep -q "report/fuzz_mmio-coverage.svg" "$camp/report.md" || fail "report.md does not show the chart"
grep -q "$sig" "$html" || fail "the planted finding is not in report.html"
# The host verdict in short (the same signature again), in full on hover.
grep -q "<code title=\"finding:$sig\">reproduces</code>" "$html" ||
	fail "no host verdict for the planted finding"
# Its QEMU verdict: whatever the EL2 build says, or why there is none.
qemu=$(grep -A3 "finding:$sig" "$html" | grep -o '<td><code title="[^"]*">[^<]*</code></td><td><a' |
	head -1)
case "$qemu" in
*"ok trace="*|*"rejected:"*|*"finding:"*|*"host-only: "*|*"qemu unavailable"*) ;;
*) fail "no QEMU verdict beside the host verdict: '$qemu'" ;;
esac
first=$(grep -v '^#' "$seedtxt" | grep -v '^$' | head -1 | cut -c1-20)
grep -qF "$first" "$html" || fail "the repro's text is not inline in report.html"
if [ $cov = 1 ]; then
	grep -q 'href="coverage/html/index.html"' "$html" || fail "no link to llvm-cov's HTML"
	[ -s "$camp/coverage/html/index.html" ] || fail "no llvm-cov HTML"
	grep -q '<td>mmio.c</td>' "$html" || fail "no per-file coverage row"
	grep -q 'branch cover' "$html" || fail "no branch coverage"
	grep -q '<td><code>[a-z0-9_]*\.[a-z0-9_.]*</code></td>' "$html" || fail "no rejection site counted"
	[ -s "$camp/coverage/uncovered.md" ] || fail "no coverage/uncovered.md"
fi

# 3. Rendered by Chromium: every section there, the charts drawn.
browser=""
for b in chromium chromium-browser; do
	command -v $b >/dev/null && browser=$b && break
done
if [ -n "$browser" ]; then
	flags="--headless --no-sandbox --disable-gpu --disable-background-networking \
--disable-component-update --disable-sync --no-first-run --user-data-dir=$work/chromium"
	# shellcheck disable=SC2086
	timeout 120 $browser $flags --dump-dom "file://$html" >"$work/dom.html" 2>"$work/chromium.log" ||
		fail "chromium could not render report.html"
	for id in summary units plots coverage findings rejections; do
		grep -q "<section id=\"$id\">" "$work/dom.html" || fail "section '$id' missing in the rendered page"
	done
	n=$(grep -o '<svg ' "$work/dom.html" | wc -l)
	[ "$n" = "$svgs" ] || fail "the rendered page has $n charts, the file $svgs"
	# shellcheck disable=SC2086
	timeout 120 $browser $flags --screenshot="$work/report.png" --window-size=1366,900 \
		"file://$html" >>"$work/chromium.log" 2>&1 || fail "chromium took no screenshot"
	size=$(wc -c <"$work/report.png")
	[ "$size" -gt 20000 ] || fail "the screenshot is $size bytes: a blank page?"
	[ "$(head -c 4 "$work/report.png" | tail -c 3)" = PNG ] || fail "the screenshot is not a PNG"
else
	skip "chromium not installed (sh scripts/setup.sh --chromium)"
fi

# 4. Bad input: one line, exit 2, nothing changed.
rc=0
"$cli" report "$work/no-such-campaign" >"$work/bad1.log" 2>&1 || rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$work/bad1.log")" = 1 ] && grep -q "no such campaign directory" "$work/bad1.log" ||
	fail "a missing campaign directory: exit $rc, '$(cat "$work/bad1.log")'"
mkdir -p "$work/not-a-campaign"
rc=0
"$cli" report "$work/not-a-campaign" >"$work/bad2.log" 2>&1 || rc=$?
[ $rc = 2 ] && grep -q "not a campaign directory" "$work/bad2.log" || fail "a directory without campaign.conf accepted"
sum_series=$(cksum <"$camp/series.tsv")
sum_html=$(cksum <"$html")
awk 'NR == 3 { print "12.5\t1\tfuzz_mmio\tlibfuzzer\trunning\tnot-a-number" } { print }' \
	"$camp/series.tsv" >"$work/series.tsv"
cp "$camp/series.tsv" "$work/series.good"
cp "$work/series.tsv" "$camp/series.tsv"
rc=0
"$cli" report --no-coverage --no-qemu "$camp" >"$work/bad3.log" 2>&1 || rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$work/bad3.log")" = 1 ] && grep -q "series.tsv:3: corrupt row" "$work/bad3.log" ||
	fail "a corrupt series.tsv: exit $rc, '$(cat "$work/bad3.log")'"
[ "$(cksum <"$html")" = "$sum_html" ] || fail "a refused report overwrote report.html"
cmp -s "$camp/series.tsv" "$work/series.tsv" || fail "the report changed series.tsv"
# A last line cut by a kill is skipped, not refused.
cp "$work/series.good" "$camp/series.tsv"
printf '99.0\t1\tfuzz_mm' >>"$camp/series.tsv"
"$cli" report --no-coverage --no-qemu "$camp" >"$work/cut.log" 2>&1 || fail "a cut last line was refused"
grep -q "line cut by a kill" "$html" || fail "the cut last line is not mentioned"
[ "$(cksum <"$work/series.good")" = "$sum_series" ] || fail "series.tsv changed"
echo "test_report: ok ($svgs charts, coverage $cov, browser ${browser:-none})"
[ -n "${SMMUFUZZ_KEEP_TEST:-}" ] || rm -rf "$work"

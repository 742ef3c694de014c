#!/bin/sh
# SPDX-License-Identifier: MIT
# libFuzzer's speed on a grown corpus, as docs/performance.md reports it:
# per target, two libFuzzer processes at once (2 jobs), each on its own
# copy of CAMPAIGN/corpus/<target>, with the target's dictionary, for
# SECONDS; prints executions per CPU-second (user + system time of both:
# meaningful on a busy machine) and the worlds each process booted.
#
#   sh scripts/bench-libfuzzer.sh CAMPAIGN [SECONDS] [on|off] [TARGET...]
#                                 (defaults: 30, on, every target)
set -eu
usage="usage: bench-libfuzzer.sh CAMPAIGN [SECONDS] [on|off] [TARGET...]"
camp=${1:?$usage}
secs=${2:-30}
mutator=${3:-on}
[ $# -gt 3 ] && shift 3 || set --
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$here/build/host-fuzz/fuzzers
[ -d "$camp/corpus" ] || { echo "bench-libfuzzer: $camp is not a campaign (no corpus/)" >&2; exit 2; }
case $secs in ''|*[!0-9]*) echo "bench-libfuzzer: SECONDS must be a number: $secs" >&2; exit 2 ;; esac
case $mutator in on|off) ;; *) echo "bench-libfuzzer: mutator must be on or off: $mutator" >&2; exit 2 ;; esac
[ -x "$bin/fuzz_mmio" ] || { echo "bench-libfuzzer: build the host-fuzz preset first" >&2; exit 2; }
[ $# -gt 0 ] || set -- fuzz_mmio fuzz_cmdq fuzz_ste fuzz_owner fuzz_all fuzz_boot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

for t in "$@"; do
	[ -x "$bin/$t" ] || { echo "bench-libfuzzer: no target $t in $bin" >&2; exit 2; }
	for j in 1 2; do
		mkdir -p "$tmp/$t.$j"
		cp "$camp/corpus/$t"/* "$tmp/$t.$j/" 2>/dev/null || true
		(cd "$tmp" && SMMUFUZZ_STATS=1 SMMUFUZZ_MUTATOR=$mutator \
			/usr/bin/time -f "%U %S" -o "$tmp/$t.$j.time" "$bin/$t" \
			-max_total_time="$secs" -max_len=1024 -rss_limit_mb=4096 -print_final_stats=1 -seed=$j \
			-dict="$here/fuzzers/$t.dict" "$tmp/$t.$j" >"$tmp/$t.$j.log" 2>&1) &
	done
	wait
	awk -v t="$t" -v m="$mutator" -v n="$(ls "$camp/corpus/$t" | wc -l)" '
		FILENAME ~ /\.time$/ { cpu += $1 + $2; next }
		/number_of_executed_units/ { ex += $2 }
		/worlds booted/ { boots += $2 }
		END { printf "%s mutator=%s corpus=%d executions=%d cpu_s=%.1f exec_per_cpu_s=%.0f worlds_booted=%d\n",
			t, m, n, ex, cpu, (cpu > 0 ? ex / cpu : 0), boots }' \
		"$tmp/$t.1.log" "$tmp/$t.2.log" "$tmp/$t.1.time" "$tmp/$t.2.time"
done

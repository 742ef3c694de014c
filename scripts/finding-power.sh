#!/bin/sh
# SPDX-License-Identifier: MIT
# Finding power of one bug, the issue-7 way: now a thin wrapper over
# `smmufuzz bugbench` (docs/bugs.md), which builds the core with the bug
# injected (R1..R7, M1..M3, F1, B1..B18), runs the default campaign from
# the seeds with libFuzzer and stops at the first finding of the expected
# kind.
#
#   sh scripts/finding-power.sh BUG [SECONDS] [JOBS] [MUTATOR]
#                                     (defaults: 600, 2, on; MUTATOR on|off)
#
# Leaves the bugbench directory under /tmp/smmufuzz-fp-<bug>-<mutator>/.
set -eu
bug=${1:?usage: finding-power.sh BUG [seconds] [jobs] [on|off]}
secs=${2:-600}
jobs=${3:-2}
mutator=${4:-on}
here=$(cd "$(dirname "$0")/.." && pwd)
cli=$here/build/host-asan/tools/smmufuzz
[ -x "$cli" ] || cli=$here/build/host-fuzz/tools/smmufuzz
[ -x "$cli" ] || { echo "finding-power: build smmufuzz first (cmake --build --preset host-asan)" >&2; exit 2; }
out=/tmp/smmufuzz-fp-$bug-$mutator
rm -rf "$out"
exec "$cli" bugbench --time "$secs" --trials 1 --engine libfuzzer --mutator "$mutator" \
	--jobs "$jobs" --no-control --out "$out" "$bug"

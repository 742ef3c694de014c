#!/bin/sh
# SPDX-License-Identifier: MIT
# Finding power: revert one fix of the review (R1..R7), or make one of the
# mutations the oracles must catch (M1..M3), in a scratch copy of
# the tree, build the fuzzers, run the default campaign from the seeds and
# report how long until a finding of the class the bug should produce.
#
#   sh scripts/finding-power.sh R1 [SECONDS] [JOBS] [MUTATOR]
#                                     (defaults: 600, 2, on; MUTATOR on|off)
#
# The campaign is `smmufuzz fuzz --engine libfuzzer` (its crashes given
# signatures as they come, in crashes.tsv) and stops at the first crash of
# the expected class. Prints "R1 found <signature> after <s> s" or "R1 not
# found in <s> s" and leaves the campaign under /tmp/smmufuzz-fp-<bug>-<mutator>/.
# The reverted builds never touch this checkout. Only the CLI, the corpus
# and the fuzzers are built (a mutant test of tests/mutants/ would not
# apply over its revert).
set -eu
bug=${1:?usage: finding-power.sh R1..R7|M1..M3 [seconds] [jobs] [on|off]}
secs=${2:-600}
jobs=${3:-2}
mutator=${4:-on}
here=$(cd "$(dirname "$0")/.." && pwd)
work=/tmp/smmufuzz-fp-$bug-$mutator
src=$work/src

rm -rf "$work"
mkdir -p "$work"
git -C "$here" archive --format=tar HEAD | (mkdir -p "$src" && tar -x -C "$src")

# Each revert restores the pre-review behaviour and says what it expects.
revert() {
	file=$src/core/src/$1
	shift
	for expr in "$@"; do
		before=$(cksum < "$file")
		sed -i "$expr" "$file"
		if [ "$before" = "$(cksum < "$file")" ]; then
			echo "finding-power: revert of $bug no longer applies to $file ($expr)" >&2
			exit 2
		fi
	done
}
case $bug in
R1)	# the SID bounded by the hardware's SIDSIZE, not the shadow's coverage
	revert cmd.c 's/>> dev->hw.st_sid_bits != 0/>> dev->hw.sid_bits != 0/'
	expect='bug:.*strtab.c'
	;;
R2)	# ATC_INV forwarded, and a failed hypervisor SYNC is a BUG_ON
	revert cmd.c 's/return refuse(site, "cmd.atc_inv");/return CMD_FORWARD;/'
	revert hwq.c 's/BUG_ON(res.cerror == CERROR_ILL);/BUG_ON(res.failed);/'
	expect='bug:.*hwq.c'
	;;
R3)	# the take-over keeps the IRQ/MSI set-up it finds
	revert probe.c 's/ret = irq_quiesce(dev);/ret = ((void)irq_quiesce, SMMU_OK);/'
	expect='isolation:'
	;;
R4)	# a live block split in place
	revert iopt.c 's/if (hyp->iopt.ready) {/if (0) {/'
	expect='isolation:s2-break-before-make'
	;;
R5)	# pending GERRORs not acknowledged; a failed hypervisor SYNC is a BUG_ON
	revert probe.c 's/ret = gerror_ack(dev);/ret = ((void)gerror_ack, SMMU_OK);/'
	revert hwq.c 's/BUG_ON(res.cerror == CERROR_ILL);/BUG_ON(res.failed);/'
	expect='bug:.*hwq.c'
	;;
R6)	# CR0 = 0 before GBPA = abort
	revert probe.c 's/ret = gbpa_abort(dev);/ret = GBPA_FIRST;/' \
		's/ret = hw_write_cr0(dev, 0);/ret = gbpa_abort(dev);/' \
		's/ret = GBPA_FIRST;/ret = hw_write_cr0(dev, 0);/'
	expect='isolation:bypass-window'
	;;
R7)	# every CFGI_ALL of a doorbell re-reads the whole table
	revert cmdq.c 's/table_read |= is_cfgi_all(cmd);/table_read = false;/'
	expect='hang:trap-budget'
	;;
M1)	# event-queue pages released before CR0ACK acknowledges the disable
	revert queues.c '/^bool queue_disable/,/^}/s/^	if (bit == CR0_CMDQEN)$/	if (1)/'
	expect='isolation:'
	;;
M2)	# the stage-2 table walks non-cacheable
	revert iopt.c 's/FIELD_PREP(STE2_S2IR0, 1U) | FIELD_PREP(STE2_S2OR0, 1U)/FIELD_PREP(STE2_S2IR0, 0U) | FIELD_PREP(STE2_S2OR0, 0U)/'
	expect='isolation:ste-field-s2[io]r0'
	;;
M3)	# the host's EATS copied into the shadow STE
	revert ste.c 's/^	if (FIELD_GET(STE1_EATS, host\[1\]) != 0)$/	if (0)/' \
		's/^#define STE1_KEPT	(STE1_S1DSS/#define STE1_KEPT	(STE1_EATS | STE1_S1DSS/'
	expect='isolation:ste-field-eats'
	;;
*)	echo "finding-power: unknown bug '$bug' (R1..R7, M1..M3)" >&2
	exit 2
	;;
esac

if ! { cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_C_COMPILER=clang \
	-DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="-g -flto=thin" \
	-DCMAKE_EXE_LINKER_FLAGS="-fuse-ld=lld -flto=thin" -DCMAKE_AR=llvm-ar \
	-DCMAKE_RANLIB=llvm-ranlib &&
	cmake --build "$work/build" --target smmufuzz corpus \
		$(cd "$src/fuzzers" && ls fuzz_*.c | sed 's/\.c$//'); } >"$work/build.log" 2>&1; then
	echo "finding-power: the $bug build failed; see $work/build.log" >&2
	tail -5 "$work/build.log" >&2
	exit 2
fi
# The campaign's own replay gives each crash its signature as it comes
# (crashes.tsv: seconds since the start, target, engine, signature, file).
"$work/build/tools/smmufuzz" fuzz --engine libfuzzer --mutator "$mutator" \
	--time "$secs" --jobs "$jobs" --bin "$work/build/fuzzers" \
	--replay "$work/build/tools/smmufuzz" --out "$work/campaign" \
	>"$work/campaign.log" 2>&1 &
pid=$!
first=""
waited=0
while kill -0 "$pid" 2>/dev/null; do
	sleep 2
	waited=$((waited + 2))
	first=$(awk -F '\t' -v want="$expect" '$1 !~ /^#/ && $4 ~ ("^" want) {
		print $2, $4, "after", int($1), "s"; exit }' \
		"$work/campaign/crashes.tsv" 2>/dev/null || true)
	if [ -n "$first" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		break
	fi
	# The campaign ends itself; this is a safety net.
	[ "$waited" -le $((secs + 300)) ] || kill -TERM "$pid" 2>/dev/null || true
done
wait "$pid" 2>/dev/null || true
if [ -n "$first" ]; then
	echo "$bug found: $first"
else
	echo "$bug not found in $secs s (expected finding:$expect); see $work/campaign.log"
fi

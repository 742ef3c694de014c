#!/bin/sh
# SPDX-License-Identifier: MIT
# The differential between the host build and the EL2 build under QEMU
# (docs/qemu-harness.md):
#   1. every seed and regression repro replays on both builds; verdict
#      class, signature and trace hash agree, or the input is host-only for
#      a documented reason, or it is a known divergence with its cause in
#      tests/qemu-divergences.txt (an entry that stops diverging fails too);
#   2. broken cores (tests/mutants: F1 removes one filter rule): the host
#      build's finding on the mutant's repro is the EL2 build's, verdict and
#      trace hash alike.
# Skipped (exit 77) without QEMU or without the EL2 image.
# Usage: test_qemu.sh SOURCE_DIR HOST_BUILD_DIR
set -eu
src=$1
build=$2
cli="$build/tools/smmufuzz"
img="$src/build/qemu/qemu-harness"
known="$src/tests/qemu-divergences.txt"
doc="$src/docs/qemu-harness.md"

if ! command -v qemu-system-aarch64 >/dev/null 2>&1 || [ ! -f "$img/smmufuzz-hyp.elf" ]; then
	echo "test_qemu: skipped: needs QEMU and the EL2 image (sh scripts/setup.sh --qemu;" \
	     "cmake --preset qemu && cmake --build --preset qemu)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# ---- 1. The corpus on both builds ------------------------------------------
"$cli" qemu-replay --compare --jobs 2 --image "$img" "$build"/corpus/seeds/*/ \
	"$build"/corpus/regress/*/ >"$tmp/out" 2>"$tmp/err" || true
cat "$tmp/err"
[ -s "$tmp/out" ] || { echo "test_qemu: qemu-replay printed nothing"; exit 1; }
# A key per input: its path below the corpus, without .smfz.
sed -e "s|^$build/corpus/||" -e 's|//|/|' -e 's|\.smfz:|:|' "$tmp/out" >"$tmp/keyed"
while IFS= read -r line; do
	key=${line%%:*}
	case "$line" in
	*" DIFFERS")
		if grep -q "^$key	" "$known"; then
			echo "known divergence: $line"
		else
			echo "FAIL divergence: $line"
			fail=1
		fi ;;
	*": error:"*)
		echo "FAIL error: $line"
		fail=1 ;;
	*": host-only: "*)
		why=${line#*: host-only: }
		# The reason's words up to its first number or parenthesis are
		# documented.
		stem=$(printf '%s' "$why" | sed -e 's/ *0x[0-9a-f]*.*//' -e 's/ *(.*//' -e 's/ [0-9].*//')
		if ! grep -qF -- "$stem" "$doc"; then
			echo "FAIL undocumented host-only reason: $line"
			fail=1
		fi ;;
	esac
done <"$tmp/keyed"
# Every known divergence still diverges (else: fixed, remove the entry).
grep -v '^#' "$known" | cut -f1 | while IFS= read -r key; do
	[ -n "$key" ] || continue
	if ! grep -q "^$key: .* DIFFERS\$" "$tmp/keyed"; then
		echo "FAIL $key is listed in tests/qemu-divergences.txt but no longer diverges"
		echo fail >"$tmp/stale"
	fi
done
[ -f "$tmp/stale" ] && fail=1
agree=$(grep -c -v -e ' DIFFERS$' -e ': host-only: ' -e ': error:' "$tmp/keyed" || true)
echo "test_qemu: $agree input(s) agree on both builds"
[ "$agree" -gt 0 ] || fail=1

# ---- 2. Broken cores give the same finding on both builds ------------------
for m in F1:fuzz_cmdq M2:fuzz_ste M3:fuzz_ste; do
	name=${m%%:*}
	target=${m#*:}
	host=$("$build/tests/mutants/test_mutant_$name" | sed -n 's/^verdict: //p')
	"$cli" asm "$src/tests/mutants/$name.txt" -o "$tmp/$name.smfz" >/dev/null
	el2=$("$cli" qemu-replay --target "$target" --image "$img/mutant-$name" "$tmp/$name.smfz" \
		2>/dev/null | sed "s|^$tmp/$name.smfz: ||")
	case "$host" in
	finding:*) ;;
	*) echo "FAIL mutant $name: the host build found nothing ($host)"; fail=1 ;;
	esac
	if [ "$host" = "$el2" ]; then
		echo "mutant $name: both builds: $host"
	else
		echo "FAIL mutant $name: host '$host', EL2 '$el2'"
		fail=1
	fi
done
exit $fail

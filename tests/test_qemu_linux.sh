#!/bin/sh
# SPDX-License-Identifier: MIT
# The real client (docs/qemu-harness.md, "A real client"): Debian's arm64
# 6.1 kernel boots once as the host under the EL2 build and
#   1. its virtio-rng behind the SMMU gives random bytes, both devices get
#      IOMMU groups, no SMMU event, no rejection, verdict ok, power-off;
#   2. its fresh recording replays on the host build and under QEMU with
#      the verdict of the committed seed (corpus/seeds/fuzz_all/linux-61.txt),
#      both builds agreeing on the trace; from the same kernel package the
#      driver wrote the committed seed's STEs, L1 descriptors and CDs, in
#      its order;
#   3. bad input gets one line: a missing kernel, a file that is no kernel,
#      a QEMU older than 8.1, a corrupt recording.
# Skipped (exit 77) without QEMU or without the EL2 image.
# Usage: test_qemu_linux.sh SOURCE_DIR HOST_BUILD_DIR
set -eu
src=$1
build=$2
cli="$build/tools/smmufuzz"
img="$src/build/qemu/qemu-harness"
seed="$src/corpus/seeds/fuzz_all/linux-61.txt"

if ! command -v qemu-system-aarch64 >/dev/null 2>&1 || [ ! -f "$img/smmufuzz-hyp.elf" ]; then
	echo "test_qemu_linux: skipped: needs QEMU and the EL2 image (sh scripts/setup.sh --qemu;" \
	     "cmake --preset qemu && cmake --build --preset qemu)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "test_qemu_linux: FAIL: $*"; fail=1; }

# One line and exit status 2 for what is not a kernel or not a QEMU.
one_line_error() {
	want=$1
	shift
	rc=0
	"$@" >"$tmp/eout" 2>"$tmp/eerr" || rc=$?
	[ "$rc" -eq 2 ] || bad "'$*' exited $rc, not 2"
	[ "$(wc -l <"$tmp/eerr")" -eq 1 ] || bad "'$*' did not say one line: $(cat "$tmp/eerr")"
	grep -q "$want" "$tmp/eerr" || bad "'$*' said '$(cat "$tmp/eerr")', not '$want'"
}
one_line_error "no such kernel" "$cli" qemu-linux --kernel "$tmp/none.deb" --image "$img"
echo "not a kernel" >"$tmp/junk"
cp "$tmp/junk" "$tmp/junk.deb"
one_line_error "is not a Debian package" "$cli" qemu-linux --kernel "$tmp/junk.deb" --image "$img"
one_line_error "neither a .deb nor an arm64 Image" "$cli" qemu-linux --kernel "$tmp/junk" --image "$img"
printf '#!/bin/sh\necho "QEMU emulator version 7.2.0 (Debian)"\n' >"$tmp/old-qemu"
chmod +x "$tmp/old-qemu"
one_line_error "older than 8.1" env SMMUFUZZ_QEMU="$tmp/old-qemu" "$cli" qemu-linux --image "$img"

# ---- 1. The boot ---------------------------------------------------------------
start=$(date +%s)
rc=0
"$cli" qemu-linux --kernel 6.1 --timeout 60 --image "$img" --record "$tmp/fresh.txt" \
	>"$tmp/boot" 2>&1 || rc=$?
cat "$tmp/boot"
[ "$rc" -eq 0 ] || bad "qemu-linux exited $rc"
grep -Eq '^  rng: +virtio_rng\.[0-9] gave [0-9a-f]{32}  \(DMA through the SMMU' "$tmp/boot" ||
	bad "no random bytes through the SMMU"
grep -q '^  group:  0000:00:01.0 -> iommu group [0-9]' "$tmp/boot" || bad "00:01.0 has no group"
grep -q '^  group:  0000:00:02.0 -> iommu group [0-9]' "$tmp/boot" || bad "00:02.0 has no group"
grep -q 'arm-smmu-v3 9050000.smmuv3: allocated 65536 entries for cmdq' "$tmp/boot" ||
	bad "the driver did not probe our SMMU"
grep -q 'SMMU events 0, GERROR 0x0' "$tmp/boot" || bad "the SMMU reported events or errors"
grep -q '^verdict: ok (0 rejections)$' "$tmp/boot" || bad "the verdict is not ok without rejections"
! grep -q 'had no place in the op-stream layout' "$tmp/boot" || bad "the recording misses host reads"
grep -Eq '^  replay: host and EL2 builds, as a fuzz_all seed: ok trace=[0-9a-f]{16}$' "$tmp/boot" ||
	bad "qemu-linux did not show the recording replaying alike on both builds"
echo "test_qemu_linux: boot, power-off and checks in $(($(date +%s) - start)) s"

# ---- 2. The recording against the committed seed -----------------------------------
if [ -s "$tmp/fresh.txt" ]; then
	"$cli" asm "$tmp/fresh.txt" -o "$tmp/fresh.smfz"
	"$cli" asm "$seed" -o "$tmp/seed.smfz"
	for f in fresh seed; do
		"$cli" replay --target fuzz_all "$tmp/$f.smfz" >"$tmp/$f.host" 2>/dev/null || true
		"$cli" qemu-replay --target fuzz_all --compare --image "$img" "$tmp/$f.smfz" \
			>"$tmp/$f.qemu" 2>/dev/null || bad "$f recording: the builds differ: $(cat "$tmp/$f.qemu")"
	done
	vf=$(sed -n 's/^[^:]*: \([a-z]*\).*/\1/p' "$tmp/fresh.host")
	vs=$(sed -n 's/^[^:]*: \([a-z]*\).*/\1/p' "$tmp/seed.host")
	[ -n "$vf" ] && [ "$vf" = "$vs" ] || bad "fresh recording: '$vf', committed seed: '$vs'"
	[ "$vf" = ok ] || bad "the recording's verdict is '$vf'"
	# The same kernel package configures the same: its STEs, L1 descriptors
	# and CDs, in the same order (how many virtio-rng requests, so TLB
	# invalidations, a read takes can vary with QEMU's timing).
	kernel=$(sed -n 's/.*what \(linux-image-[^ ]* [^ ]*\)'"'"'s arm-smmu-v3.*/\1/p' "$seed")
	if grep -q "what $kernel's" "$tmp/fresh.txt"; then
		grep -E '^(ste|l1|cd) ' "$seed" >"$tmp/seed.cfg"
		grep -E '^(ste|l1|cd) ' "$tmp/fresh.txt" >"$tmp/fresh.cfg"
		[ -s "$tmp/seed.cfg" ] && cmp -s "$tmp/seed.cfg" "$tmp/fresh.cfg" ||
			bad "same kernel ($kernel), other STEs, L1 descriptors or CDs than the committed seed"
		cmp -s "$tmp/fresh.smfz" "$tmp/seed.smfz" ||
			echo "test_qemu_linux: note: the recording differs from the seed in its TLB invalidations"
	else
		echo "test_qemu_linux: the seed is from $kernel, apt's kernel is newer: verdicts only"
	fi
	# A corrupt recording is one line, not a replay.
	head -c 100 "$tmp/fresh.smfz" >"$tmp/cut.smfz"
	rc=0
	"$cli" replay --target fuzz_all "$tmp/cut.smfz" >/dev/null 2>"$tmp/cuterr" || rc=$?
	[ "$rc" -eq 2 ] && grep -q truncated "$tmp/cuterr" || bad "a cut recording: rc $rc, '$(cat "$tmp/cuterr")'"
else
	bad "no recording written"
fi
[ "$fail" -eq 0 ] && echo "test_qemu_linux: ok"
exit "$fail"

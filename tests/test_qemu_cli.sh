#!/bin/sh
# SPDX-License-Identifier: MIT
# qemu-replay's own behaviour, without a real QEMU: one clear line when
# QEMU is missing or too old or the image is absent, a hang killed at the
# timeout and reported as the host build reports one, host-only reasons.
# Usage: test_qemu_cli.sh HOST_BUILD_DIR
set -eu
cli="$1/tools/smmufuzz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {	# check NAME EXPECTED-SUBSTRING OUTPUT
	case "$3" in
	*"$2"*) echo "ok   $1" ;;
	*) echo "FAIL $1: expected '$2' in: $3"; fail=1 ;;
	esac
}

printf 'smfz 1 profile=qemu-virt\nread CR0\n' >"$tmp/one.txt"
"$cli" asm "$tmp/one.txt" -o "$tmp/one.smfz"
printf 'smfz 1 profile=dual\nread CR0\n' >"$tmp/dual.txt"
"$cli" asm "$tmp/dual.txt" -o "$tmp/dual.smfz"
mkdir "$tmp/img"
: >"$tmp/img/smmufuzz-hyp.elf"
: >"$tmp/img/smmufuzz-agent.elf"
printf '#!/bin/sh\necho "QEMU emulator version 7.2.0"\n' >"$tmp/old"
printf '#!/bin/sh\n[ "$1" = --version ] && { echo "QEMU emulator version 10.0.2"; exit 0; }\nexec sleep 60\n' >"$tmp/stuck"
chmod +x "$tmp/old" "$tmp/stuck"

out=$(SMMUFUZZ_QEMU="$tmp/none" "$cli" qemu-replay --image "$tmp/img" "$tmp/one.smfz" 2>&1 || true)
check "missing QEMU" "not found (install QEMU 10: sh scripts/setup.sh --qemu)" "$out"
out=$(SMMUFUZZ_QEMU="$tmp/old" "$cli" qemu-replay --image "$tmp/img" "$tmp/one.smfz" 2>&1 || true)
check "old QEMU" "is QEMU 7.2, older than 8.1" "$out"
out=$(SMMUFUZZ_QEMU="$tmp/stuck" "$cli" qemu-replay --image "$tmp" "$tmp/one.smfz" 2>&1 || true)
check "no image" "no hypervisor image in $tmp" "$out"
out=$(SMMUFUZZ_QEMU="$tmp/stuck" "$cli" qemu-replay --timeout 1 --image "$tmp/img" \
	"$tmp/one.smfz" "$tmp/dual.smfz" 2>/dev/null || true)
check "hang" "one.smfz: finding:hang:timeout-1s trace=cbf29ce484222325" "$out"
check "host-only" "dual.smfz: host-only: profile dual" "$out"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] || { echo "FAIL: two lines expected: $out"; fail=1; }
exit $fail

#!/bin/sh
# SPDX-License-Identifier: MIT
# Partially link the EL2 core archive and list what it still needs from
# outside: only plat_* (the platform interface), fdt_* (libfdt) and our own
# mem* may remain. Usage: check-el2-symbols.sh libsmmu_core.a out.o
set -eu
archive=$1
out=$2
[ -f "$archive" ] || { echo "check-el2-symbols: no such archive: $archive" >&2; exit 2; }
ld.lld -r --whole-archive "$archive" -o "$out"
undef=$(llvm-nm -u "$out" | awk '{ print $NF }' | sort -u)
bad=$(printf '%s\n' "$undef" | grep -Ev '^(plat_[a-z0-9_]+|fdt_[a-z0-9_]+|memcpy|memset|memmove|memcmp)$' || true)
if [ -n "$bad" ]; then
	echo "check-el2-symbols: the EL2 core references forbidden symbols:" >&2
	printf '  %s\n' $bad >&2
	exit 1
fi
echo "check-el2-symbols: ok ($(printf '%s\n' "$undef" | grep -c .) external symbols: plat_*, fdt_*, mem*)"

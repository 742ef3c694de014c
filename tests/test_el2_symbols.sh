#!/bin/sh
# SPDX-License-Identifier: MIT
# The EL2 symbol check itself must refuse a libc reference and accept the
# allowed set, or the el2 preset's "ok" would mean nothing.
set -eu
top=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cflags="--target=aarch64-none-elf -ffreestanding -fno-builtin -c"
printf 'int plat_x(void);\nvoid *memcpy(void *, const void *, unsigned long);\nint ok(void) { return plat_x(); }\n' > "$tmp/good.c"
printf 'int printf(const char *, ...);\nint bad(void) { return printf("x"); }\n' > "$tmp/bad.c"
clang $cflags "$tmp/good.c" -o "$tmp/good.o"
clang $cflags "$tmp/bad.c" -o "$tmp/bad.o"
llvm-ar rcs "$tmp/good.a" "$tmp/good.o"
llvm-ar rcs "$tmp/bad.a" "$tmp/good.o" "$tmp/bad.o"
sh "$top/scripts/check-el2-symbols.sh" "$tmp/good.a" "$tmp/good.r.o"
if sh "$top/scripts/check-el2-symbols.sh" "$tmp/bad.a" "$tmp/bad.r.o" 2>"$tmp/err"; then
	echo "test_el2_symbols: a printf reference was accepted" >&2
	exit 1
fi
grep -q printf "$tmp/err" || { echo "test_el2_symbols: the refusal does not name printf" >&2; exit 1; }
echo "test_el2_symbols: printf refused, plat_* accepted"

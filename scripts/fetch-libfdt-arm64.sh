#!/bin/sh
# SPDX-License-Identifier: MIT
# Unpack Debian's arm64 libfdt (libfdt.a and its headers) into DEST for the
# EL2 image: downloaded with apt, never installed, never vendored
# (toolchain.md §5). Needs the arm64 architecture known to apt, which
# `scripts/setup.sh --qemu` arranges. Usage: fetch-libfdt-arm64.sh DEST
set -eu
dest=${1:?usage: fetch-libfdt-arm64.sh DEST}
lib="$dest/usr/lib/aarch64-linux-gnu/libfdt.a"
[ -f "$lib" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
if ! (cd "$tmp" && apt-get download -q libfdt-dev:arm64 >/dev/null 2>&1); then
	echo "fetch-libfdt-arm64: cannot download libfdt-dev:arm64 (run 'sh scripts/setup.sh --qemu' first: it adds the arm64 architecture to apt; with stale package lists, 'apt-get update')" >&2
	exit 1
fi
mkdir -p "$dest"
dpkg -x "$tmp"/libfdt-dev_*_arm64.deb "$dest"
[ -f "$lib" ] || { echo "fetch-libfdt-arm64: the package holds no $lib" >&2; exit 1; }
echo "fetch-libfdt-arm64: $(basename "$tmp"/libfdt-dev_*_arm64.deb) unpacked into $dest"

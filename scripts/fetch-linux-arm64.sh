#!/bin/sh
# SPDX-License-Identifier: MIT
# The guest of `smmufuzz qemu-linux`: Debian's arm64 kernel and busybox-static,
# downloaded with apt (never installed: only the arm64 architecture and apt's
# lists are added, by scripts/setup.sh --qemu), unpacked into DEST/<name>/:
#
#   Image            the kernel (arm64 Image, uncompressed)
#   root/            busybox and the virtio PCI and virtio-rng modules (smmufuzz
#                    packs them with qemu-harness/linux/init.sh into the initramfs)
#   kernel.txt       the package the kernel came from
#
#   fetch-linux-arm64.sh DEST 6.1|6.12      newest linux-image-6.1.0-N-arm64 /
#                                           linux-image-6.12.*+deb12-arm64 apt knows
#   fetch-linux-arm64.sh DEST FILE.deb      a linux-image package already here
#
# Prints the directory it filled on the last line. The mirror is whatever
# this machine's apt sources name (6.12 needs bookworm-backports, which
# setup.sh --qemu adds from those sources).
set -eu

die() { echo "fetch-linux-arm64: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: fetch-linux-arm64.sh DEST 6.1|6.12|FILE.deb"
dest=$1
want=$2
command -v dpkg-deb >/dev/null || die "dpkg-deb not found (a Debian machine is needed)"
dpkg --print-foreign-architectures | grep -qx arm64 ||
	die "apt does not know arm64 (run 'sh scripts/setup.sh --qemu' first)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

# The newest package whose name matches: apt's own lists, one look-up.
newest() {
	apt-cache search --names-only "$1" | cut -d' ' -f1 | sort -V | tail -n 1
}

download() {
	(cd "$tmp" && apt-get download -q "$1" >/dev/null 2>&1) ||
		die "cannot download $1 (stale package lists? try 'apt-get update')"
}

# A kernel unpacked before is used as it is (the package name carries its ABI).
cached() {
	if [ -f "$dest/$1/Image" ] && [ -f "$dest/$1/root/bin/busybox" ]; then
		echo "$dest/$1"
		exit 0
	fi
}

case "$want" in
6.1)
	pkg=$(newest '^linux-image-6\.1\.0-[0-9]+-arm64$')
	[ -n "$pkg" ] || die "apt knows no linux-image-6.1.0-*-arm64 (apt-get update?)"
	cached "$pkg"
	download "$pkg:arm64"
	deb=$(ls "$tmp"/linux-image-*.deb)
	;;
6.12)
	pkg=$(newest '^linux-image-6\.12\..*\+deb12-arm64$')
	[ -n "$pkg" ] || die "apt knows no linux-image-6.12.*+deb12-arm64 (bookworm-backports: sh scripts/setup.sh --qemu, then apt-get update)"
	cached "$pkg"
	download "$pkg:arm64"
	deb=$(ls "$tmp"/linux-image-*.deb)
	;;
*.deb)
	[ -f "$want" ] || die "no such package: $want"
	deb=$want
	;;
*)
	die "unknown kernel '$want' (6.1, 6.12 or a linux-image .deb)"
	;;
esac

name=$(dpkg-deb -f "$deb" Package 2>/dev/null) || die "$deb is not a Debian package"
version=$(dpkg-deb -f "$deb" Version)
arch=$(dpkg-deb -f "$deb" Architecture)
case "$name" in linux-image-*) ;; *) die "$deb holds $name, not a linux-image package" ;; esac
[ "$arch" = arm64 ] || die "$deb is for $arch, not arm64"
out="$dest/$name"
if [ -f "$out/Image" ] && [ -f "$out/root/bin/busybox" ] &&
   grep -qx "$name $version" "$out/kernel.txt" 2>/dev/null; then
	echo "$out"
	exit 0
fi

dpkg-deb -x "$deb" "$tmp/k" || die "cannot unpack $deb"
image=$(ls "$tmp"/k/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$image" ] || die "$deb has no /boot/vmlinuz-*"
kver=${image##*/vmlinuz-}
mods="$tmp/k/lib/modules/$kver/kernel/drivers"

download busybox-static:arm64
dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$tmp/bb" || die "cannot unpack busybox-static"

# The initramfs: busybox, the modules that bind the virtio-rng PCI devices
# (the kernel has the SMMU driver built in, not virtio-pci), /init.
root="$tmp/root"
mkdir -p "$root/bin" "$root/mods"
cp "$tmp/bb/bin/busybox" "$root/bin/busybox"
for m in virtio/virtio_pci_modern_dev virtio/virtio_pci_legacy_dev virtio/virtio_pci \
	 char/hw_random/virtio-rng; do
	f="$mods/$m.ko"
	if [ -f "$f.xz" ]; then
		command -v xz >/dev/null || die "xz not found (apt-get install xz-utils)"
		xz -dc "$f.xz" > "$root/mods/${m##*/}.ko"
	elif [ -f "$f" ]; then
		cp "$f" "$root/mods/${m##*/}.ko"
	fi
done
# 6.12.118 and later build virtio-pci in; the others need the modules.
builtin="$tmp/k/lib/modules/$kver/modules.builtin"
[ -f "$root/mods/virtio_pci.ko" ] || grep -q '/virtio_pci\.ko$' "$builtin" 2>/dev/null ||
	die "$deb has virtio_pci neither as a module nor built in"
[ -f "$root/mods/virtio-rng.ko" ] || grep -q '/virtio-rng\.ko$' "$builtin" 2>/dev/null ||
	die "$deb has virtio-rng neither as a module nor built in"
mkdir -p "$out"
rm -rf "$out/root"
mv "$root" "$out/root"
cp "$image" "$out/Image"
echo "$name $version" > "$out/kernel.txt"
echo "$out"

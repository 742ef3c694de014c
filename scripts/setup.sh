#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages smmufuzz needs. Idempotent: packages already
# present are not fetched again, and apt is only consulted when one is missing.
#
#   scripts/setup.sh            build, fuzz and test dependencies
#   scripts/setup.sh --qemu     also QEMU 10 from bookworm-backports, and the
#                               arm64 architecture for apt (the EL2 image's
#                               libfdt.a comes from libfdt-dev:arm64)
#   scripts/setup.sh --chromium also Chromium, which the report test renders
#                               report.html with (headless)
set -eu

want_qemu=0
want_chromium=0
for arg in "$@"; do
	case "$arg" in
	--qemu) want_qemu=1 ;;
	--chromium) want_chromium=1 ;;
	-h|--help) sed -n '3,12p' "$0"; exit 0 ;;
	*) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
	esac
done

pkgs="clang lld llvm libclang-rt-14-dev afl++ cmake ninja-build libfdt-dev device-tree-compiler zip unzip"
# Headless Chromium renders the campaign report in the tests (test_report.sh).
[ "$want_chromium" -eq 1 ] && pkgs="$pkgs chromium"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing() {
	out=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || out="$out $p"
	done
	echo "$out"
}

# The mirror URI and codename are read from this machine's own apt sources
# (one-line or deb822 format), so no archive host is written down here.
add_backports() {
	ls /etc/apt/sources.list.d/*backports* >/dev/null 2>&1 && return 0
	grep -rqs -- "-backports" /etc/apt/sources.list /etc/apt/sources.list.d/ && return 0
	# The entry for this release's own codename (not security, not a
	# third-party repository) names the Debian mirror to use.
	codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
	line=$(
		{ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		  awk '$1 == "deb" { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
				   print $i, $(i + 1) }'
		  for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] || continue
			awk 'BEGIN{RS=""} { u=""; s="";
				n=split($0, l, "\n");
				for (i=1;i<=n;i++) { if (l[i] ~ /^URIs:/) { split(l[i], a, " "); u=a[2] }
				                     if (l[i] ~ /^Suites:/) { split(l[i], b, " "); s=b[2] } }
				if (u != "" && s != "") print u, s }' "$f"
		  done
		} | awk -v want="$codename" '$2 == want && $1 !~ /security/ { print; exit }')
	[ -n "$line" ] || { echo "setup.sh: cannot derive a Debian mirror from the apt sources" >&2; exit 1; }
	uri=${line% *}; suite=${line#* }
	echo "deb $uri $suite-backports main" | as_root tee /etc/apt/sources.list.d/smmufuzz-backports.list >/dev/null
	echo "setup.sh: added $suite-backports"
	suite_bp="$suite-backports"
}

todo=$(missing $pkgs)
if [ -n "$todo" ]; then
	echo "setup.sh: installing$todo"
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $todo
fi

if [ "$want_qemu" -eq 1 ] && ! qemu-system-aarch64 --version 2>/dev/null | grep -q "version 1[0-9]"; then
	suite_bp=""
	add_backports
	[ -n "$suite_bp" ] || suite_bp="$(. /etc/os-release && echo "$VERSION_CODENAME")-backports"
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -t "$suite_bp" qemu-system-arm
fi

# The EL2 image links Debian's arm64 libfdt.a, downloaded (never installed)
# at build time by scripts/fetch-libfdt-arm64.sh: apt must know arm64.
if [ "$want_qemu" -eq 1 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
	as_root dpkg --add-architecture arm64
	as_root apt-get update -q
	echo "setup.sh: added the arm64 architecture to apt"
fi
exit 0

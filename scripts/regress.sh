#!/bin/sh
# SPDX-License-Identifier: MIT
# Replay the built seed corpus and regression repros, one replay per target
# directory (so each runs with its target's op subset). Any finding or
# unreadable file fails, and so does finding nothing at all to replay.
# Usage: regress.sh SMMUFUZZ DIR...
set -eu
cli=$1
shift
status=0
found=0
for dir in "$@"; do
	[ -d "$dir" ] || continue
	for sub in "$dir"/*/; do
		[ -d "$sub" ] || continue
		[ -n "$(ls -A "$sub")" ] || continue
		found=$((found + 1))
		"$cli" replay "$sub" || status=1
	done
done
if [ "$found" -eq 0 ]; then
	echo "regress.sh: nothing to replay in $*" >&2
	exit 1
fi
exit $status

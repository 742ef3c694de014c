#!/bin/sh
# SPDX-License-Identifier: MIT
# Replay the built seed corpus and the committed regression repros; any
# finding (or unreadable file) fails. Usage: regress.sh SMMUFUZZ DIR...
set -eu
cli=$1
shift
status=0
for dir in "$@"; do
	[ -d "$dir" ] || continue
	for sub in "$dir"/*/; do
		[ -d "$sub" ] || continue
		if [ -n "$(ls -A "$sub")" ]; then
			"$cli" replay "$sub" || status=1
		fi
	done
done
exit $status

#!/bin/sh
# SPDX-License-Identifier: MIT
# Every rejection site in the core is documented: cmd.* in docs/commands.md,
# the rest in docs/threat-model.md. A site is any "word.word" string literal
# in core/src (file names aside).
set -eu
top=$1
status=0
sites=$(grep -rhoE '"[a-z0-9_]+\.[a-z0-9_]+"' "$top"/core/src/*.c |
	tr -d '"' | grep -vE '\.(c|h)$' | sort -u)
for s in $sites; do
	case "$s" in
	cmd.*) doc="$top/docs/commands.md" ;;
	*) doc="$top/docs/threat-model.md" ;;
	esac
	if ! grep -q "\`$s\`" "$doc"; then
		echo "undocumented rejection site: $s (add it to $doc)" >&2
		status=1
	fi
done
count=$(printf '%s\n' $sites | grep -c .)
[ "$count" -ge 40 ] || { echo "test_docs: found only $count sites: the extraction is broken" >&2; exit 1; }
[ "$status" -eq 0 ] && echo "test_docs: $count rejection sites, all documented"
exit $status

#!/bin/bash
# --help: the synopsis, one line per option (the verb's own and the
# common ones), and the man page to read; a usage error: the synopsis
# alone, on stderr, 64.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

longopts() {	# the long options a source file declares, common ones included
	{
		sed -n '/longopts\[\] = {/,/^};/p' "$1" | grep -o '{ "[a-z-]*",'
		grep -q TH_CLI_LONGOPTS "$1" && grep -o '{ "[a-z-]*",' "$top_srcdir/common/cli.h"
		grep -q TH_TL_LONGOPTS "$1" && grep -o '{ "[a-z-]*",' "$top_srcdir/common/timeline.h"
	} | sed 's/{ "\(.*\)",/\1/' | sort -u
}

verbs=0
for src in "$top_srcdir"/cmd/th-*.c; do
	v=$(basename "$src" .c)
	verbs=$((verbs + 1))
	run "$v" --help
	is "$status:$err" "0:" "$v --help: 0, nothing on stderr"
	like "$(head -1 "$T/out")" "usage: $v *" "  starts with the synopsis"
	is "$(tail -1 "$T/out")" "see $v(1) and th(7)" "  ends with the man page to read"
	[ -f "$top_srcdir/man/$v.1" ]
	ok $? "  which exists: man/$v.1"
	missing=
	for o in $(longopts "$src"); do
		grep -q -- "^  \(-[a-zA-Z], \)\?      *--$o\b\|^  -[a-zA-Z], --$o\b\|^      --$o\b" "$T/out" ||
			missing="$missing --$o"
	done
	is "$missing" "" "  one line for each of its options, the common ones too"
	long=$(awk 'length > 80' "$T/out")
	is "$long" "" "  no line longer than 80 columns"
	run "$v" --no-such-option
	is "$status:$out" "64:" "$v --no-such-option: 64, nothing on stdout"
	like "$err" "*usage: $v *" "  the synopsis on stderr"
	unlike "$err" "*common options*" "  and only the synopsis"
done
ok "$([ "$verbs" -ge 13 ] && echo 0 || echo 1)" "$verbs verbs have --help"

done_testing

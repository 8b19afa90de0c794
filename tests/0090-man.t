#!/bin/bash
# Every man page is clean mdoc (mandoc -Tlint) and every verb has one.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
: "${MANDOC:=$(command -v mandoc)}"
[ -n "$MANDOC" ] || skip_all "mandoc not installed (scripts/deps installs it)"

for m in "$top_srcdir"/man/*.[17]; do
	lint=$("$MANDOC" -Tlint -W warning "$m" 2>&1)
	is "$lint" "" "mandoc -Tlint: $(basename "$m")"
done
for c in "$top_srcdir"/cmd/th-*.c; do
	v=$(basename "$c" .c)
	ok "$([ -f "$top_srcdir/man/$v.1" ] && echo 0 || echo 1)" "$v has a man page"
done
done_testing

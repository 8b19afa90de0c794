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
# every long option a verb's --help names is in its man page; the common
# ones (the part of --help after "common options:") in th(7)'s list, which
# every page names
sed -n '/^Every verb takes these common options/,/^\.El/p' "$top_srcdir/man/th.7" >"$T/common"
for c in "$top_srcdir"/cmd/th-*.c; do
	v=$(basename "$c" .c)
	# th-deck alone is built only where ncursesw is (configure says so)
	[ "$v" = th-deck ] && [ ! -x "$top_builddir/$v" ] && continue
	missing=
	for o in $("$top_builddir/$v" --help | sed '/^common options:/,$d' |
	    grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q "^\.\(Op \|It \)\?.*Fl Fl ${o#--}\b" "$top_srcdir/man/$v.1" ||
			grep -q "Fl Fl ${o#--}" "$top_srcdir/man/$v.1" || missing="$missing $o"
	done
	for o in $("$top_builddir/$v" --help | sed -n '/^common options:/,$p' |
	    grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q "^\.It .*Fl Fl ${o#--}\b" "$T/common" || missing="$missing $o"
	done
	grep -q "^\.Xr th 7" "$top_srcdir/man/$v.1" || missing="$missing (no th(7) in SEE ALSO)"
	is "$missing" "" "$v: every option of --help is in $v.1"
done
done_testing

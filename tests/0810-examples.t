#!/bin/bash
# The EXAMPLES the man pages mark runnable (a '.\" runnable' line before
# the block) run against the sandbox: the docs cannot drift from what th
# does. Each block is one script: its "$ " lines, continuations joined.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
export PATH="$top_builddir:$PATH"
th-post "an announcement to take back" >/dev/null	# for th-delete --last

n=0
for m in "$top_srcdir"/man/th.7 "$top_srcdir"/man/th-*.1; do
	awk -v dir="$T" -v page="$(basename "$m")" '
	/^\.\\" runnable/ { armed = 1; next }
	armed && /^\.Bd -literal/ { inblock = 1; armed = 0; nb++; file = sprintf("%s/ex-%s-%d", dir, page, nb); next }
	inblock && /^\.Ed/ { inblock = 0; close(file); next }
	inblock {
		line = $0
		gsub(/\\e/, "\\", line)		# mdoc: \e is a backslash
		gsub(/\\&/, "", line)
		if (cont) { print line > file; cont = (line ~ /(\\|\||&&)$/); next }
		if (line ~ /^\$ /) {
			sub(/^\$ /, "", line)
			print line > file
			cont = (line ~ /(\\|\||&&)$/)
		}
	}' "$m"
done
for f in "$T"/ex-*; do
	[ -e "$f" ] || continue
	name=${f##*/ex-}
	timeout 60 bash -e "$f" >"$T/ex.out" 2>"$T/ex.err" </dev/null
	st=$?
	is "$st" 0 "man ${name%-*}, example ${name##*-}: $(head -1 "$f" | cut -c1-70)"
	[ "$st" -eq 0 ] || sed 's/^/# /' "$T/ex.err" | head -5
	n=$((n + 1))
done
ok "$([ "$n" -ge 10 ] && echo 0 || echo 1)" "$n runnable examples were found and run"
done_testing

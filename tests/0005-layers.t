#!/bin/sh
# libth stands in layers (common/README): a file of common/ includes the
# headers of its own layer and below, never one above, and no two files
# of one layer include each other. Each broken rule is named: the file,
# the line, the include, and the two layers.
srcdir=${top_srcdir:-$(dirname "$0")/..}

# check DIR: the rules over DIR/README and DIR/*.[ch], as lines
# "ok<TAB>what" or "not ok<TAB>what", each failure followed by
# "#<TAB>why" lines. A module is a name: a.c and a.h together.
check() {
	awk '
	function layerof(name,    i, j, n, p) {
		n = 0
		for (i = 1; i <= nlayers; i++)
			for (j = 1; j <= npat[i]; j++) {
				p = pat[i, j]
				gsub(/\./, "\\.", p)
				gsub(/\*/, ".*", p)
				if (name ~ ("^" p "$") && !n)
					n = i
			}
		return n
	}
	function result(good, what, why) {
		printf "%s\t%s\n", good ? "ok" : "not ok", what
		if (!good)
			printf "%s", why
	}
	BEGIN {
		for (i = 1; i < ARGC; i++) {
			f = ARGV[i]
			sub(/.*\//, "", f)
			if (f == "README")
				continue
			m = f
			sub(/\.[ch]$/, "", m)
			files[++nfiles] = f
			modof[f] = m
			ismod[m] = 1
			if (f ~ /\.c$/)
				hasc[m] = 1
		}
	}
	FNR == 1 {
		file = FILENAME
		sub(/.*\//, "", file)
	}
	file == "README" && /^\t[a-z*][-a-z0-9*. ]*: / {
		nlayers++
		names = $0
		sub(/:.*/, "", names)
		sub(/^\t/, "", names)
		lname[nlayers] = "layer " nlayers " (" names ")"
		sub(/ [^(]*\)$/, " ...)", lname[nlayers])
		npat[nlayers] = split(names, p, " ")
		for (k = 1; k <= npat[nlayers]; k++)
			pat[nlayers, k] = p[k]
		next
	}
	file == "README" { next }
	/^#[ \t]*include[ \t]*"[^"]*\.h"/ {
		h = $0
		sub(/^[^"]*"/, "", h)
		sub(/".*/, "", h)
		ninc++
		incfile[ninc] = file
		incline[ninc] = FNR
		inchdr[ninc] = h
	}
	END {
		result(nlayers >= 3, "README lists the layers (" nlayers ")",
		    "#\tno \"<TAB>names: what\" lines in README\n")
		for (m in ismod)
			modlay[m] = layerof(m)
		why = ""
		for (i = 1; i <= nfiles; i++) {
			f = files[i]
			if ((lay[f] = modlay[modof[f]]) == 0)
				why = why "#\t" f " is in no layer: add its name to README\n"
		}
		result(why == "", "every file is in a layer", why)

		# includes that run up a layer, by file
		for (i = 1; i <= ninc; i++) {
			f = incfile[i]
			m = inchdr[i]
			sub(/\.h$/, "", m)
			if (!ismod[m] || m == modof[f])
				continue	# a system or generated header; its own
			lm = modlay[m]
			if (lay[f] && lm > lay[f])
				up[f] = up[f] "#\t" f ":" incline[i] ": includes \"" \
				    inchdr[i] "\", of " lname[lm] ", above its own " \
				    lname[lay[f]] "\n"
			if (lm && lm == lay[f]) {
				edge[modof[f], m] = 1
				where[modof[f], m] = f ":" incline[i] " includes \"" \
				    inchdr[i] "\""
			}
		}
		for (i = 1; i <= nfiles; i++)
			if (lay[files[i]])
				result(up[files[i]] == "", files[i] \
				    ": includes nothing from a layer above", up[files[i]])

		# within a layer: any two modules that reach each other. A
		# header of no .c (ap-private.h) holds no code to call: who
		# includes it includes what it includes, and it is no end
		# of a circle itself
		do {
			more = 0
			for (a in ismod)
				for (h in ismod)
					if (edge[a, h] && !hasc[h])
						for (b in ismod)
							if (edge[h, b] && !edge[a, b] && a != b) {
								edge[a, b] = more = 1
								where[a, b] = where[a, h] \
								    ", which includes \"" b ".h\""
							}
		} while (more)
		for (a in ismod)
			for (b in ismod)
				reach[a, b] = edge[a, b] && hasc[b]
		for (k in ismod)
			for (a in ismod)
				if (reach[a, k])
					for (b in ismod)
						if (reach[k, b])
							reach[a, b] = 1
		for (l = 1; l <= nlayers; l++) {
			why = ""
			for (a in ismod)
				for (b in ismod)
					if (a != b && modlay[a] == l &&
					    reach[a, b] && reach[b, a])
						why = why "#\t" where[a, b] ", and " b \
						    (edge[b, a] ? " includes " : \
						    " leads back to ") a "\n"
			result(why == "", lname[l] ": no two files include each other",
			    why)
		}
	}' "$1"/README "$1"/*.[ch]
}

# number the results as TAP
tap() {
	awk -F '\t' -v n="$1" '
	$1 == "ok" || $1 == "not ok" { print $1 " " ++n " - " $2; next }
	{ print "# " $2 }'
}

n=0
# the rules themselves, on a tree made to break them: a file that
# includes a header from above, two files of a layer that include each
# other; and a private header that includes its module's own, no circle
T=$(mktemp -d "${TMPDIR:-/tmp}/th-layers.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
printf 'The layers:\n\n\tlow lo-*: the bottom\n\tmid mid-*: the middle\n\thigh: the top\n' \
	>"$T/README"
printf '#include <stdio.h>\n#include "high.h"\n#include "lo-b.h"\n' >"$T/lo-a.c"
printf '#include "lo-a.h"\n' >"$T/lo-b.c"
printf '#include "mid.h"\n' >"$T/low.c"
printf '#include "mid-private.h"\n' >"$T/mid.c"
printf '#include "mid.h"\n' >"$T/mid-private.h"
printf '#include "high.h"\n' >"$T/stray.c"
for h in lo-a lo-b low mid high; do : >"$T/$h.h"; done
bad=$(check "$T")

res=$(check "$srcdir/common")
echo "1..$(($(printf '%s\n' "$res" | grep -c '^[no]') + 6))"
expect() {	# expect PATTERN WHAT
	n=$((n + 1))
	case "$bad" in
	*"$1"*) echo "ok $n - the test itself: $2" ;;
	*) echo "not ok $n - the test itself: $2"
	   printf '%s\n' "$bad" | sed 's/^/# /' ;;
	esac
}
expect "lo-a.c:2: includes \"high.h\", of layer 3 (high), above its own layer 1 (low ...)" \
	"names the file, line and header that run up a layer"
expect "low.c:1: includes \"mid.h\", of layer 2 (mid ...), above its own layer 1 (low ...)" \
	"one layer up is up too"
expect "lo-a.c:3 includes \"lo-b.h\", and lo-b includes lo-a" \
	"names two files of a layer that include each other"
expect "stray.c is in no layer" "a file in no layer fails"
expect "ok	layer 2 (mid ...): no two" \
	"a header of no .c that includes its module's own is no circle"

printf '%s\n' "$res" | tap "$n"
n=$((n + $(printf '%s\n' "$res" | grep -c '^[no]')))

# http may include config.h by its layer, but it is told its settings
# (th_http_configure()): it reads neither th_cfg nor th_opts
g=$(awk '/th_cfg|th_opts/ { print "# http.c:" FNR ":" $0 }' "$srcdir/common/http.c")
n=$((n + 1))
if [ -z "$g" ]; then
	echo "ok $n - http.c reads no global: th_cfg and th_opts are not in it"
else
	echo "not ok $n - http.c reads no global: th_cfg and th_opts are not in it"
	printf '%s\n' "$g"
fi

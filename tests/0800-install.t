#!/bin/bash
# make install puts binaries, man pages and completions where man and the
# shells look for them, under DESTDIR.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
command -v make >/dev/null || skip_all "make is needed"
D="$T/dest"
make -s -C "$top_builddir" install DESTDIR="$D" prefix=/usr/local >"$T/install.log" 2>&1
is "$?" 0 "make install DESTDIR=... succeeds"
verbs="th-api th-approve th-atom th-auth th-delete th-embed th-follow th-hide th-hook th-list th-post th-repost th-search th-show th-stats th-timeline th-whois"
[ -x "$top_builddir/th-deck" ] && verbs="$verbs th-deck"	# built with ncursesw only
missing=
for v in $verbs; do
	[ -x "$D/usr/local/bin/$v" ] || missing="$missing bin/$v"
	[ -f "$D/usr/local/share/man/man1/$v.1" ] || missing="$missing man1/$v.1"
	[ -f "$D/usr/local/share/bash-completion/completions/$v" ] || missing="$missing bash/$v"
done
[ -f "$D/usr/local/share/man/man7/th.7" ] || missing="$missing man7/th.7"
[ -f "$D/usr/local/share/zsh/site-functions/_th" ] || missing="$missing zsh/_th"
is "$missing" "" "binaries, man pages (1 and 7), bash and zsh completions for every verb"
if command -v man >/dev/null; then
	MANPATH="$D/usr/local/share/man" man -w th-post >"$T/manw" 2>&1
	is "$(cat "$T/manw")" "$D/usr/local/share/man/man1/th-post.1" "man finds th-post(1) under the prefix"
else
	skip "man is not installed" 1
fi
# bash completion, as bash-completion would load it
out=$(bash -c '
	export PATH="'"$D"'/usr/local/bin:$PATH" XDG_DATA_HOME="'"$XDG_DATA_HOME"'"
	mkdir -p "$XDG_DATA_HOME/th/lists" && : >"$XDG_DATA_HOME/th/lists/watch"
	. "'"$D"'/usr/local/share/bash-completion/completions/th-list"
	COMP_WORDS=(th-list a); COMP_CWORD=1; _th; echo "${COMPREPLY[*]}"
	COMP_WORDS=(th-list add w); COMP_CWORD=2; _th; echo "${COMPREPLY[*]}"
	COMP_WORDS=(th-post --spo); COMP_CWORD=1; _th; echo "${COMPREPLY[*]}"
	COMP_WORDS=(th-timeline list:); COMP_CWORD=1; _th; echo "${COMPREPLY[*]}"')
is "$out" "$(printf 'add\nwatch\n--spoiler\nlist:watch')" \
	"bash completes sub-commands, list names, options (from --help) and list: sources"
make -s -C "$top_builddir" uninstall DESTDIR="$D" prefix=/usr/local >>"$T/install.log" 2>&1
is "$(find "$D" -type f | wc -l | tr -d ' ')" 0 "make uninstall removes every file again"
done_testing

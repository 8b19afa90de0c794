#!/usr/bin/env bash
# th-deck: columns of live timelines in a real terminal (tmux), driven
# by keys, its screens compared with golden text.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

command -v tmux >/dev/null || skip_all "tmux is needed (scripts/deps installs it)"
[ -x "$top_builddir/th-deck" ] || skip_all "th-deck was not built (no ncursesw: libncurses-dev)"
sandbox_start

# a tmux server of our own, its socket in $T
TMUX_SOCK="$T/tmux"
tm() { tmux -S "$TMUX_SOCK" -f /dev/null "$@"; }
tmux_cleanup() { tm kill-server 2>/dev/null; cleanup; }
trap tmux_cleanup EXIT

# norm: each time of day and relative age made TIME (they depend on
# when the test runs), trailing blanks dropped
norm() {
	sed -E 's/((Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?[0-9]{2}:[0-9]{2}( \((now|[0-9]+[mhd] ago)\))?/TIME/g; s/ +$//'
}
# screen: the pane as text
screen() {
	tm capture-pane -p -t deck | norm
}
# col N [FILE]: column N of a 100-column screen: $COLW cells each (32
# for three columns, 49 for two), a bar between them; cut by cells (a wide character is two) before
# the times are made TIME
col() {
	local f=${2:-}
	[ -n "$f" ] || { tm capture-pane -p -t deck >"$T/raw"; f="$T/raw"; }
	"$PYTHON3" -c '
import sys, unicodedata
w = int(sys.argv[3])
lo = (int(sys.argv[1]) - 1) * (w + 1)
for line in open(sys.argv[2], encoding="utf-8"):
    x, out = 0, ""
    for ch in line.rstrip("\n"):
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if lo <= x and x + cw <= lo + w:
            out += ch
        x += cw
    print(out)' "$1" "$f" "$COLW" | norm
}

# waitfor PATTERN: poll the screen until a line matches (grep -E), at
# most 10 s; 0 when it showed
waitfor() {
	local i
	for i in $(seq 200); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.05
	done
	return 1
}

# waitcol N PATTERN [LINES]: the same, in column N only (its lines
# LINES, a sed range, when given)
waitcol() {
	local i
	for i in $(seq 200); do
		col "$1" | sed -n "${3:-1,\$}p" | grep -qE -- "$2" && return 0
		sleep 0.05
	done
	return 1
}

# deck ARGS...: th-deck in a 100x30 terminal, our environment, its
# exit status written to $T/deck.status when it ends
deck() {
	local envs="" v
	for v in HOME XDG_CONFIG_HOME XDG_DATA_HOME XDG_STATE_HOME XDG_CACHE_HOME \
	    TH_API_BASE TH_ACCESS_TOKEN TH_BACKOFF_MS TH_TIMEOUT TH_CONNECT_TIMEOUT TZ \
	    BROWSER EDITOR; do
		envs="$envs $v=$(printf %q "${!v}")"
	done
	rm -f "$T/deck.status"
	# the token reaches th-deck through a file, never a command line
	mkdir -p "$T/tmp"
	printf 'export%s LANG=C.UTF-8 TERM=screen TMPDIR=%q\n' "$envs" "$T/tmp" >"$T/deck.env"
	canary_ok "$T/deck.env"
	printf '%q ' ${TH_TEST_WRAPPER:-} "$top_builddir/th-deck" "$@" >"$T/deck.cmd"
	tm new-session -d -s deck -x 100 -y 30 \
		"bash -c '. $T/deck.env; . $T/deck.cmd 2>$T/deck.err; echo \$? >$T/deck.status; echo deck-ended; exec sleep 600'"
}

sb POST /_control/seed '{"user": "alice", "posts": 3, "text": "alice says"}' >/dev/null
sb POST /_control/seed '{"user": "me", "posts": 2, "text": "my post"}' >/dev/null

# --- not a terminal, bad sources: before any screen ----------------------
run th-deck @alice </dev/null
is "$status" 64 "without a terminal: exit 64"
is "$err" "th-deck: a deck needs a terminal (th-timeline reads the same sources as NDJSON)" "and says why"
run th-deck @alice '#bad.tag'
is "$status" 65 "a bad source: exit 65, before anything is drawn"
run th-deck nosuchdeck
is "$status" 64 "a deck that does not exist: exit 64"
like "$err" "th-deck: deck nosuchdeck: */decks/nosuchdeck: No such file or directory" "naming the file it looked for"

# --- a deck file: two columns, a failing third --------------------------
mkdir -p "$XDG_CONFIG_HOME/th/decks"
printf '# my deck\n@alice\n\nme\n@nobody_here\n' >"$XDG_CONFIG_HOME/th/decks/work"
COLW=32
BROWSER="$T/browser" EDITOR="$T/editor"
deck --interval 1 work
waitfor 'alice says 2' && waitfor 'my post 1' && waitfor 'nobody_here: skipped' ; ok $? "the columns of the deck file show their posts"
tm capture-pane -p -t deck >"$T/s1"
is "$(col 1 "$T/s1" | sed -n 1,13p)" "$(cat "$top_srcdir/tests/data/deck-col1.golden")" "the first column: newest on top, selected, by th-show's rules"
is "$(col 2 "$T/s1" | sed -n 1,9p)" "$(cat "$top_srcdir/tests/data/deck-col2.golden")" "the second column beside it"
is "$(col 3 "$T/s1" | sed -n 1,5p)" "$(cat "$top_srcdir/tests/data/deck-col3.golden")" "the failing column says why in words"

# a new post arrives at the top of its column, the others unchanged
sb POST /_control/seed '{"user": "me", "posts": 1, "text": "fresh post"}' >/dev/null
waitfor 'fresh post 0' ; ok $? "a new post arrives while th-deck runs"
tm capture-pane -p -t deck >"$T/s2"
is "$(col 2 "$T/s2" | sed -n 1,9p)" "$(cat "$top_srcdir/tests/data/deck-col2-new.golden")" "at the top of its column, the older ones under it"
is "$(col 1 "$T/s2" | sed -n 1,13p)" "$(col 1 "$T/s1" | sed -n 1,13p)" "the other column did not move"

# keys: l moves to the next column, j down a post
tm send-keys -t deck l
waitcol 2 '^>me \(31\)' && waitcol 1 '^ @alice \(3\)' ; ok $? "l: the second column has the focus"
tm send-keys -t deck j
waitcol 2 '^>@th_tester' 6 ; ok $? "j: a post further down is selected"
is "$(col 2 | sed -n 1,9p)" "$(cat "$top_srcdir/tests/data/deck-col2-j.golden")" "the second post of the column, marked"
tm send-keys -t deck k
waitcol 2 '^>@th_tester' 2 ; ok $? "k: back up"
is "$(col 2 | sed -n 2,3p)" ">@th_tester · TIME
   fresh post 0" "to the newest post"
tm send-keys -t deck Left
waitcol 1 '^>@alice \(3\)' ; ok $? "left: the first column again"
tm send-keys -t deck Right
waitcol 2 '^>me \(31\)' ; ok $? "right: the second"

# o: the selected post's permalink to $BROWSER, as one argument
printf '#!/bin/sh\nprintf "%%s|%%s\\n" "$#" "$1" >>%q\n' "$T/opened" >"$T/browser"
chmod +x "$T/browser"
url=$("$top_builddir/th-timeline" --json -n 1 me | jq -r .permalink)
tm send-keys -t deck o
for i in $(seq 200); do [ -s "$T/opened" ] && break; sleep 0.05; done
is "$(cat "$T/opened" 2>/dev/null)" "1|$url" "o: \$BROWSER gets the selected post's permalink"
waitfor "^th-deck: opened https://www.threads.com/@th_tester/post/[A-Za-z0-9_-]+ with $T/browser" ; ok $? "and the status line says so"

# R: a reply written in $EDITOR, posted once under a key
printf '#!/bin/sh\nprintf "a reply from the deck\\n" >"$1"\n' >"$T/editor"
chmod +x "$T/editor"
fresh=$("$top_builddir/th-timeline" --json -n 1 me | jq -r .id)
clearlog
tm send-keys -t deck R
waitfor '^th-deck: replied: [0-9]+$' ; ok $? "R: the reply is sent, its id on the status line"
is "$(sblog 'select(.path == "/v1.0/me/threads" and .method == "POST") | .form | {text, reply_to_id}')" \
	"{\"text\":\"a reply from the deck\",\"reply_to_id\":\"$fresh\"}" "the editor's text, to the selected post"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 1 "published once"
rid=$(screen | sed -n 's/^th-deck: replied: //p')
tm send-keys -t deck R
waitfor "^th-deck: already replied, not again: $rid\$" ; ok $? "R again with the same text: th-post's key finds the reply"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 1 "and nothing is published twice"
is "$(ls "$T"/tmp 2>/dev/null | grep '^th-deck')" "" "no file of the reply is left"
tm send-keys -t deck '?'
waitfor 'th-deck keys' ; ok $? "?: the help shows"
like "$(screen)" "*q           quit*" "naming the keys"
tm send-keys -t deck x
waitfor 'column 2 of 3' && ! screen | grep -q 'th-deck keys' ; ok $? "any key closes the help"

# resizing redraws at the new size: 80x24
tm resize-window -t deck -x 80 -y 24
waitfor '^th-deck: column 2 of 3' ; ok $?  "after a resize the status line is redrawn"
# the screen once it holds still (a redraw may be under way)
screen >"$T/s3"
for i in $(seq 100); do
	screen >"$T/s3b"
	cmp -s "$T/s3" "$T/s3b" && grep -q '^th-deck: column' "$T/s3" && break
	mv "$T/s3b" "$T/s3"
	sleep 0.05
done
is "$(wc -l <"$T/s3" | tr -d ' ')" 24 "on 24 lines"
is "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/s3")" 80 "no wider than 80 columns"
is "$(grep -c '^th-deck: column' "$T/s3")" 1 "one status line, at the bottom"
is "$(tail -1 "$T/s3")" "th-deck: column 2 of 3  ? help  q quit" "the status line"

# q: th-deck ends, exit 0, the terminal back as it was
tm send-keys -t deck q
waitfor 'deck-ended' ; ok $? "q quits"
is "$(cat "$T/deck.status")" 0 "with exit 0"
is "$(screen | grep -c '@bob')" 0 "and the deck's screen is gone: the terminal is restored"
is "$(cat "$T/deck.err")" "" "nothing on stderr"
tm kill-session -t deck
sleep 0.2
left=0
for p in $(pgrep -x th-timeline); do
	grep -qzx "HOME=$HOME" /proc/$p/environ 2>/dev/null && left=$((left + 1))
done
is "$left" 0 "no reader is left running"
# --- a reader that stops: its exit in words; --max; r --------------------
fault '{"path": "keyword_search", "status": 400, "error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}}'
COLW=49
deck --max 2 --interval 1 me '#ramen'
waitcol 2 'exit 77' ; ok $? "a reader that ends says so"
is "$(col 2 | sed -n 1,5p)" " #ramen (0)
! exit 77, not authorised: #ramen: the token is
not valid: set another TH_ACCESS_TOKEN, or unset
it to use a stored account (API: Invalid OAuth
access token, code 190)" "with its exit status in words, then th-timeline's message"
is "$(col 1 | sed -n 1p)" ">me (2)" "--max 2: the other column keeps two posts"
clearlog
tm send-keys -t deck r
for i in $(seq 200); do
	[ "$(sblog 'select(.path == "/v1.0/me/threads") | .method' | head -1)" = '"GET"' ] && break
	sleep 0.05
done
is "$(sblog 'select(.path == "/v1.0/me/threads") | .method' | head -1)" '"GET"' "r: the focused column is read again at once"
is "$(col 1 | sed -n 1p)" ">me (2)" "keeping what it had"
tm send-keys -t deck q
waitfor 'deck-ended' ; ok $? "q quits"
is "$(cat "$T/deck.status")" 0 "with exit 0"

done_testing

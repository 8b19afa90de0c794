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

# codes: a post's shortcode made CODE
codes() {
	sed -E 's#/post/[A-Za-z0-9_-]+#/post/CODE#'
}
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

# waitgone PATTERN: poll the screen until no line matches, at most 10 s;
# 0 when it went
waitgone() {
	local i
	for i in $(seq 200); do
		screen | grep -qE -- "$1" || return 0
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

# deck ARGS...: th-deck in a 100x30 terminal ($DECK_X wide when set), our environment, its
# exit status written to $T/deck.status when it ends
deck() {
	local envs="" v
	for v in HOME XDG_CONFIG_HOME XDG_DATA_HOME XDG_STATE_HOME XDG_CACHE_HOME \
	    TH_API_BASE TH_ACCESS_TOKEN TH_BACKOFF_MS TH_TIMEOUT TH_CONNECT_TIMEOUT TZ \
	    BROWSER EDITOR NO_COLOR; do
		envs="$envs $v=$(printf %q "${!v-}")"
	done
	rm -f "$T/deck.status"
	# the token reaches th-deck through a file, never a command line
	mkdir -p "$T/tmp"
	printf 'export%s LANG=C.UTF-8 TERM=screen TMPDIR=%q\n' "$envs" "$T/tmp" >"$T/deck.env"
	canary_ok "$T/deck.env"
	printf '%q ' ${TH_TEST_WRAPPER:-} "$top_builddir/th-deck" "$@" >"$T/deck.cmd"
	tm new-session -d -s deck -x "${DECK_X:-100}" -y 30 \
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
# the status line said "column 2 of 3" under the help already: wait
# for the help to go, then for the screen under it
waitgone 'th-deck keys' && waitfor '^th-deck: column 2 of 3 ' ; ok $? "any key closes the help"

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


# --- d: delete one of your posts, after a y ------------------------------
sb POST /_control/faults/clear >/dev/null
tm kill-session -t deck 2>/dev/null
COLW=49
clearlog
# an interval no quota stretches: no notice above the posts
deck --interval 100 me @alice
waitcol 1 '^>me \(3[0-9]\)' && waitcol 2 'alice says 0' ; ok $? "a deck of me and @alice"
# d knows our posts once th-whois has said who we are
for i in $(seq 200); do
	[ -n "$(sblog 'select(.path == "/v1.0/me" and .method == "GET")')" ] && break
	sleep 0.05
done
sleep 0.3
newest=$("$top_builddir/th-timeline" --json -n 1 me | jq -r .id)
ntext=$("$top_builddir/th-timeline" --json -n 1 me | jq -r .text)
n0=$(col 1 | sed -n '1s/^>me (\([0-9]*\))$/\1/p')
clearlog
tm send-keys -t deck l
waitcol 2 '^>@alice' ; ok $? "l: the column of @alice"
tm send-keys -t deck d
waitfor "^th-deck: not your post \(@alice's\): nothing to delete\$" ; ok $? "d on a post not ours: said on the status line"
tm send-keys -t deck h
waitcol 1 '^>me' ; ok $? "h: back to our posts"
tm send-keys -t deck d
waitfor "^th-deck: delete @th_tester's post $newest\\? y/n\$" ; ok $? "d on our post: asks first, naming it"
tm send-keys -t deck n
waitfor '^th-deck: not deleted$' ; ok $? "n: not deleted"
tm send-keys -t deck d
waitfor "y/n\$" && tm send-keys -t deck Escape
waitfor '^th-deck: not deleted$' ; ok $? "ESC: not deleted either"
is "$(sblog 'select(.method != "GET") | .path')" "" "and nothing was sent for them"
tm send-keys -t deck d
waitfor "y/n\$" && tm send-keys -t deck y
waitfor "^th-deck: deleted $newest\$" ; ok $? "y: deleted, the status line says so"
is "$(sblog 'select(.method != "GET") | [.method, .path]')" "[\"DELETE\",\"/v1.0/$newest\"]" "one DELETE of that post, once"
waitcol 1 "^>me \($((n0 - 1))\)\$" ; ok $? "the post leaves the column"
unlike "$(col 1)" "*$ntext*" "its text with it"

# --- Enter: a post's conversation in place; H hides a reply in it ---------
# the second post of the column now, a reply to it from alice
second=$("$top_builddir/th-timeline" --json -n 2 me | jq -r .id | sed -n 2p)
rid=$(sb POST /_control/reply "{\"to\": \"$second\", \"user\": \"alice\", \"text\": \"alice answers\", \"ago\": 5}" | jq -r .id)
tm send-keys -t deck j
waitcol 1 '^>@th_tester' 6 ; ok $? "j: the second post"
tm send-keys -t deck Enter
waitcol 1 'alice answers' ; ok $? "Enter: the post's conversation, its reply under it"
is "$(col 1 | sed -n 1,9p | codes)" "$(cat "$top_srcdir/tests/data/deck-conv.golden")" "the post on top, the reply under it, oldest first"
tm send-keys -t deck j
waitcol 1 '^>@alice' ; ok $? "j: the reply"
clearlog
tm send-keys -t deck H
waitfor "^th-deck: hidden: $rid \\(H again unhides it\\)\$" ; ok $? "H: the reply is hidden"
is "$(sblog 'select(.method == "POST") | [.path, .form.hide // .query.hide]')" "[\"/v1.0/$rid/manage_reply\",\"true\"]" "one manage_reply, hide=true"
clearlog
tm send-keys -t deck H
waitfor "^th-deck: unhidden: $rid\$" ; ok $? "H again: unhidden"
is "$(sblog 'select(.method == "POST") | [.path, .form.hide // .query.hide]')" "[\"/v1.0/$rid/manage_reply\",\"false\"]" "one manage_reply, hide=false"
clearlog
tm send-keys -t deck k H
waitfor '^th-deck: not a reply: only replies to your posts can be hidden$' ; ok $? "H on a post that is no reply: said, "
is "$(sblog 'select(.method == "POST")')" "" "and nothing sent"
tm send-keys -t deck Escape
waitcol 1 "^>me \($((n0 - 1))\)\$" ; ok $? "ESC: the column again"
is "$(col 1 | sed -n 1,9p | codes)" "$(cat "$top_srcdir/tests/data/deck-conv-back.golden")" "the selection where it was"

# --- t: repost; a failure is th-repost's message --------------------------
fault '{"path": "/repost$", "times": 1, "status": 400, "error": {"message": "Invalid parameter", "type": "OAuthException", "code": 100}}'
clearlog
tm send-keys -t deck t
waitfor '^th-deck: repost failed' ; ok $? "t: a repost the API refuses"
is "$(screen | tail -1)" "th-deck: repost failed (exit 1, the API refused it): th-repost: $second: refused (API: Inv" \
	"th-repost's message and its exit in words on the status line (cut at the screen's edge)"
tm send-keys -t deck t
waitfor "^th-deck: reposted $second: [0-9]+\$" ; ok $? "t again: reposted, the repost's id said"
is "$(sblog 'select(.method == "POST") | .path')" "\"/v1.0/$second/repost\"
\"/v1.0/$second/repost\"" "one POST a press"

# --- a, x, w: columns added, removed, written ------------------------------
tm send-keys -t deck a
waitfor '^th-deck: add a column \(a source, ESC: none\): _$' ; ok $? "a: the status line asks for a source"
tm send-keys -t deck '#bad.tag' Enter
waitfor '^th-deck: no column: ' ; ok $? "a bad source: no column"
is "$(screen | tail -1)" "th-deck: no column: '#bad.tag': a topic tag has 1 to 50 characters and no '.' or '&'" "says why"
tm send-keys -t deck k
waitfor '^th-deck: column 1 of 2  \? help  q quit$' ; ok $? "and no column was added"
tm send-keys -t deck a '@bob' Enter
waitfor '^th-deck: added @bob$' ; ok $? "a good one: added"
waitfor '\|>@bob \(0\)' ; ok $? "at the right, with the focus"
tm send-keys -t deck x
waitfor '^th-deck: removed @bob$' && tm send-keys -t deck k
waitfor '^th-deck: column 2 of 2  \? help  q quit  w write the deck$' ; ok $? "x: the column is gone; the status line says the deck can be written"
tm send-keys -t deck a '@bob' Enter
waitfor '^th-deck: added @bob$' ; ok $? "added again"
tm send-keys -t deck w
waitfor '^th-deck: write the deck as \(a name, ESC: not\): _$' ; ok $? "w, opened from sources: asks for a name"
tm send-keys -t deck 'mi' BSpace 'ine' Enter
waitfor "^th-deck: wrote 3 columns to $XDG_CONFIG_HOME/th/decks/mine\$" ; ok $? "and writes the deck file"
is "$(cat "$XDG_CONFIG_HOME/th/decks/mine")" "me
@alice
@bob" "one column a line, in order"
tm send-keys -t deck x
waitfor '^th-deck: removed @bob$' && tm send-keys -t deck w
waitfor "^th-deck: wrote 2 columns to $XDG_CONFIG_HOME/th/decks/mine\$" ; ok $? "w again: the same file, no question"
is "$(cat "$XDG_CONFIG_HOME/th/decks/mine")" "me
@alice" "without the column removed"
is "$(ls "$XDG_CONFIG_HOME/th/decks")" "mine
work" "and no temporary file left"
tm send-keys -t deck x
waitfor '^th-deck: removed @alice$' && tm send-keys -t deck x
waitfor '^th-deck: the last column stays \(q quits\)$' ; ok $? "x on the last column: it stays"

# --- pages: space, b, G, g ------------------------------------------------
# a column of posts four lines each: seven to a page of 28 lines
sb POST /_control/seed '{"user": "carol", "posts": 12, "text": "carol says"}' >/dev/null
tm send-keys -t deck a '@carol' Enter
waitcol 2 'carol says 6' ; ok $? "a column of twelve posts"
sel() {	# sel: the text of column 2's selected post
	col 2 | awk '/^>@carol ·/ { getline; print; exit }'
}
is "$(sel)" "   carol says 0" "the newest selected"
tm send-keys -t deck Space
waitcol 2 '^>@carol' 2 && waitcol 2 'carol says 7' 3 ; ok $? "space: the first post not shown whole at the top, selected"
is "$(col 2 | sed -n 2,3p)" ">@carol · TIME
   carol says 7" "the eighth (the fourth has a line more)"
tm send-keys -t deck b
waitcol 2 'carol says 0' 3 ; ok $? "b: a page back"
is "$(sel)" "   carol says 0" "the newest selected again"
tm send-keys -t deck NPage
waitcol 2 'carol says 7' 3 ; ok $? "PgDn: as space"
tm send-keys -t deck PPage
waitcol 2 'carol says 0' 3 ; ok $? "PgUp: as b"
tm send-keys -t deck G
waitcol 2 '^>@carol' 26 ; ok $? "G: the oldest post"
is "$(sel)" "   carol says 11" "selected, at the bottom"
is "$(col 2 | sed -n 26,27p)" ">@carol · TIME
   carol says 11" "the view scrolled to show it"
tm send-keys -t deck g
waitcol 2 'carol says 0' 3 ; ok $? "g: the newest again"
is "$(sel)" "   carol says 0" "selected"
tm send-keys -t deck q
waitfor 'deck-ended' ; ok $? "q quits"
is "$(cat "$T/deck.status")" 0 "with exit 0"
is "$(cat "$T/deck.err")" "" "nothing on stderr"


# --- 300 columns, NO_COLOR, a slow network ---------------------------------
tm kill-session -t deck 2>/dev/null
DECK_X=300 NO_COLOR=1 deck --interval 100 me @alice @carol
waitfor 'carol says 0' && waitfor 'alice says 0' && waitfor 'my post 0' ; ok $? "at 300 columns: the three columns"
is "$(screen | sed -n 1p)" ">me (30)$(printf '%91s')| @alice (3)$(printf '%88s')| @carol (12)" "each 99 cells wide, a bar between"
is "$(tm capture-pane -e -p -t deck | grep -c $'\e')" 0 "NO_COLOR: not one escape sequence on the screen"
tm send-keys -t deck q
waitfor 'deck-ended' ; ok $? "q quits"
tm kill-session -t deck
DECK_X=300 deck --interval 100 me @alice @carol
waitfor 'carol says 0' ; ok $? "and without NO_COLOR"
like "$(tm capture-pane -e -p -t deck)" "*"$'\e'"[1m*" "bold names, reverse video"
tm send-keys -t deck q
waitfor 'deck-ended' ; ok $? "q quits"
tm kill-session -t deck

# every answer held until the test lets it go: the keys move on while
# the columns read. (Answers 3 s late were not enough in the ASan build
# under load: the answers came before h had.)
sb POST /_control/hold '{"path": "^/v1\\.0/"}' >/dev/null
deck --interval 100 me @alice
waitcol 1 'reading\.\.\.' && waitcol 2 'reading\.\.\.' ; ok $? "both columns reading"
tm send-keys -t deck l
waitcol 2 '^>@alice \(0\)' ; ok $? "l moves the focus while they read"
is "$(col 1 | sed -n 1,2p)" " me (0)
 reading..." "the other column still reading"
tm send-keys -t deck h
waitcol 1 '^>me \(0\)' ; ok $? "h back, still before any answer"
sb POST /_control/release >/dev/null
waitcol 1 'my post 0' ; ok $? "then the posts come"
tm send-keys -t deck q
waitfor 'deck-ended' ; ok $? "q quits"
is "$(cat "$T/deck.status")" 0 "with exit 0"

done_testing

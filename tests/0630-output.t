#!/bin/bash
# What every verb prints goes through one writer (common/out.c): a --jq
# filter that fails makes the run's status 1 once the other records are
# out, and a terminal is sent nothing that drives it, while a pipe gets
# the bytes as they are.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start

# answer PATH-REGEX BODY: the next request whose path matches gets BODY
answer() {
	sb POST /_control/fault "$(jq -cn --arg p "$1" --arg b "$2" \
		'{path: $p, times: 1, status: 200, body: $b}')" >/dev/null
}

# --- --jq: a filter that fails on any record makes the status 1 ----------------
for i in 1 2 3; do "$top_builddir/th-post" "jq post $i" >/dev/null; done
boom() { echo "if .text == \"jq post $1\" then error(\"boom\") else .text end"; }
run th-timeline -n 3 me --jq "$(boom 2)"
is "$status" 1 "a filter that fails on the middle record: 1"
is "$(echo "$out" | sort | tr '\n' ' ')" "jq post 1 jq post 3 " "  the other records print"
is "$err" "th-timeline: --jq: boom" "  and the failure is reported once"
for k in 1 3; do
	run th-timeline -n 3 me --jq "$(boom $k)"
	is "$status:$(echo "$out" | wc -l | tr -d ' ')" "1:2" "failing on post $k of 3: 1, after the other two"
done
run th-timeline -n 3 me --jq .text.x
is "$status" 1 "a plain path that cannot be applied (.text.x): 1"
is "$(echo "$err" | grep -c 'Cannot index string with "x"')" 3 "  reported for each record"
run th-stats --quota --jq 'if .quota == "replies" then error("boom") else .quota end'
is "$status:$(echo "$out" | tr '\n' ' ')" "1:posts deletes location_searches " \
	"th-stats --quota: the records after the failing one still print, then 1"
n=$("$top_builddir/th-api" --paginate --jq .id me/threads limit=2 | wc -l)
run th-api --paginate --jq "$(boom 2)" me/threads fields=id,text limit=2
is "$status:$(echo "$out" | wc -l | tr -d ' ')" "1:$((n - 1))" \
	"th-api --paginate: 1, every other post printed"
run th-whois me --jq 'error("boom")'
is "$status" 1 "th-whois: 1 when the filter fails on its only record"
run th-whois me 'not a user!' --jq 'error("boom")'
is "$status" 65 "a filter failure does not hide a worse status (65 bad input)"
run th-whois me --jq .username
is "$status:$out" "0:th_tester" "a filter that works: 0"
"$top_builddir/th-stats" --quota --jq 'if .quota == "posts" then error("boom") else .quota end' \
	>/dev/full 2>"$T/err"
is "$?" 74 "a write error wins over a filter failure (74)"

# --- what a terminal is sent -------------------------------------------------------
# The text of a hostile post: a title change, a screen clear, colours, a
# bell, a bidi override, an 8-bit CSI (U+009B), a tab and a newline.
printf '{"id":"1","text":"t \\u001b]0;owned\\u0007 c \\u001b[2J red \\u001b[31mX\\u001b[0m rtl \\u202egnp.exe csi \\u009b31m tab\\tend\\nline2"}' >"$T/evil.json"
jq -j .text "$T/evil.json" >"$T/raw"
printf '\n' >>"$T/raw"
answer '^/v1.0/me$' "$(cat "$T/evil.json")"
run th-api --jq .text me
cmp -s "$T/out" "$T/raw"
ok $? "a raw string to a pipe: the bytes as they are, escapes included"
answer '^/v1.0/me$' "$(cat "$T/evil.json")"
run th-api me
is "$(jq -c . "$T/out" | cat -v)" "$(jq -c . "$T/evil.json" | cat -v)" "JSON to a pipe: the same record"
grep -q "$(printf '\342\200\256')" "$T/out"
ok $? "  with U+202E as it is"

# (the checks look for bytes with grep: a failing one must not print
# them on the terminal of whoever runs the test)
if command -v script >/dev/null; then
	# script(1) gives the verb a pseudo-terminal; its \r\n is undone
	onatty() {
		script -qec "${TH_TEST_WRAPPER:-} $*" /dev/null | tr -d '\r'
	}
	hasnot() {	# hasnot FILE PRINTF-BYTES DESCRIPTION
		! grep -q "$(printf "$2")" "$1"
		ok $? "$3"
	}
	printf 't ^[]0;owned^G c ^[[2J red ^[[31mX^[[0m rtl <U+202E>gnp.exe csi <U+009B>31m tab\tend\nline2\n' >"$T/visible"
	for f in .text '"\(.text)"'; do
		answer '^/v1.0/me$' "$(cat "$T/evil.json")"
		onatty "'$top_builddir/th-api' --jq '$f' me" >"$T/tty"
		hasnot "$T/tty" '\033' "--jq $f to a terminal: no ESC reaches it"
		hasnot "$T/tty" '\007' "  nor a bell"
		hasnot "$T/tty" '\342\200\256' "  nor a bidi override"
		hasnot "$T/tty" '\302\233' "  nor an 8-bit CSI"
		cmp -s "$T/tty" "$T/visible"
		ok $? "  they are shown as th-show shows them; tab and newline kept"
	done
	answer '^/v1.0/me$' "$(cat "$T/evil.json")"
	onatty "'$top_builddir/th-api' me" >"$T/tty"
	hasnot "$T/tty" '\342\200\256' "JSON to a terminal: no bidi override"
	hasnot "$T/tty" '\302\233' "  nor an 8-bit CSI"
	grep -qF 'rtl \u202egnp.exe csi \u009b31m' "$T/tty"
	ok $? "  they are \\u escapes"
	is "$(jq -c . "$T/tty" | cat -v)" "$(jq -c . "$T/evil.json" | cat -v)" "  of the same JSON value"
	onatty "'$top_builddir/th-timeline' -n 1 me --jq .text" >"$T/tty"
	is "$(cat "$T/tty")" "jq post 3" "plain text to a terminal is unchanged"
else
	skip "script(1) is needed for a pseudo-terminal" 15
fi

done_testing

#!/bin/bash
# --jq a page at a time: th-timeline hands its records to the filter up to
# 100 in one libjq run, and what it prints, says and exits with is what a
# run a record at a time gives, and what jq(1) gives over the same records:
# for every --jq filter in the README and the man pages and for the filters
# where a page could differ (errors on some records, none or several
# results, error(null), halt, input).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
TL="$top_builddir/th-timeline"

# 150 posts: pages of 100 and 50; images and videos among them
sb POST /_control/seed '{"user": "me", "posts": 100}' >/dev/null
"$TL" -n 150 me >"$T/recs"
is "$(wc -l <"$T/recs" | tr -d ' ')" 150 "150 records to filter"
like "$(jq -r .media_type "$T/recs" | sort -u | tr '\n' ' ')" "*IMAGE*VIDEO*" \
	"  images and videos among them"

# --- how it runs: said with -v ----------------------------------------------
second=$(sed -n 120p "$T/recs" | jq -r .id)
f="if .id == \"$second\" then error(\"boom\") else .text | length end"
run th-timeline -v -n 150 me --jq "$f"
is "$status" 1 "a filter failing on record 120: 1"
is "$(grep -c -- '--jq: up to 100 records in one run' "$T/err")" 1 \
	"  -v: the records are filtered up to 100 in one run"
is "$(grep -- '--jq: [a-z]' "$T/err" | grep -v 'up to 100')" \
	"th-timeline: --jq: the page's run ended early: 50 records run again one at a time
th-timeline: --jq: boom" "  the second page alone is run again a record at a time, and the error said once"
is "$out" "$(jq -c "$f" "$T/recs" 2>/dev/null)" "  every other record prints, in order, as jq prints them"
"$TL" -v -n 150 me --jq "$f" >"$T/both" 2>&1
like "$(grep -- '--jq: a record' "$T/both")" \
	"*--jq: a record at a time: standard error is standard output" \
	"2>&1: a record at a time, so that a message stays between its records"
is "$(grep -v '^[<>]' "$T/both" | grep -v -- '--jq: a record at a time' | grep -n boom)" \
	"120:th-timeline: --jq: boom" "  the error comes after record 119, before record 121"
run th-timeline -v -n 3 me --jq '[., input] | length'
is "$(grep -- '--jq: a record' "$T/err")" \
	"th-timeline: --jq: a record at a time: the filter reads its input, prints or halts" \
	"input: a record at a time (a page is one input)"
for f in 'stderr | .id' 'if .text == "" then halt_error else .id end'; do
	"$TL" -v -n 3 me --jq "$f" 2>&1 >/dev/null | grep -- '--jq: a record' >"$T/why"
	is "$(cat "$T/why")" \
		"th-timeline: --jq: a record at a time: the filter reads its input, prints or halts" \
		"  and so is $f"
done
run th-whois -v me --jq .username
is "$(grep -c -- '--jq:' "$T/err")" 0 "a verb that does not mark its pages prints a record as it comes"

# --- every filter: th == th a record at a time == jq ---------------------------
python3 "$top_srcdir/tests/jq-examples.py" --tricky "$top_srcdir" man/th.7 \
	$(cd "$top_srcdir" && ls man/th-*.1) >"$T/filters"
n=0 bad=0
# jq's messages as th words them
jqmsg() { sed -e 's/^jq: error (at [^)]*) (not a string): /th-timeline: --jq: error: /' \
	-e 's/^jq: error (at [^)]*): /th-timeline: --jq: /'; }
while read -r line; do
	filter=$(jq -r .filter <<<"$line")
	where=$(jq -r .where <<<"$line")
	n=$((n + 1))
	# libjq 1.6 leaks the value a break leaves behind (jq -c 'first(.[]?)'
	# itself loses a block a record under valgrind; fixed after 1.6): for
	# these filters alone, the sanitizer build and valgrind are told so
	# by name (tests/data/libjq-break-leak.*: a leak of a parsed value)
	wrap=${TH_TEST_WRAPPER:-}
	case $filter in
	first\(*) lsan="suppressions=$top_srcdir/tests/data/libjq-break-leak.lsan:print_suppressions=0"
		asan="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0"
		case $wrap in
		valgrind*) wrap="$wrap --suppressions=$top_srcdir/tests/data/libjq-break-leak.supp" ;;
		esac ;;
	*)	lsan=${LSAN_OPTIONS:-} asan=${ASAN_OPTIONS:-} ;;
	esac
	TH_TEST_WRAPPER=$wrap LSAN_OPTIONS=$lsan ASAN_OPTIONS=$asan \
	    run th-timeline -n 150 me --jq "$filter" </dev/null
	# the same, a record at a time: stderr is stdout. Not under
	# $TH_TEST_WRAPPER: this is the reference the page run is compared
	# with, and a record at a time is what a page whose run fails falls
	# back to, which the page runs above already take under valgrind
	# (the sanitizer build runs both); valgrind's start-up is most of
	# the valgrind pass, and this file alone ran 184 of them
	LSAN_OPTIONS=$lsan ASAN_OPTIONS=$asan \
	    "$TL" -n 150 me --jq "$filter" >"$T/both" 2>&1 </dev/null
	st1=$?
	grep -v '^th-timeline: ' "$T/both" >"$T/both.out"
	grep '^th-timeline: ' "$T/both" >"$T/both.err"
	if ! cmp -s "$T/out" "$T/both.out" || ! cmp -s "$T/err" "$T/both.err" ||
	    [ "$status" != "$st1" ]; then
		ok 1 "$where: --jq '$filter': a page prints, says and exits as a record at a time"
		diff "$T/out" "$T/both.out" | head -5 | sed 's/^/# /'
		diff "$T/err" "$T/both.err" | head -5 | sed 's/^/# /'
		echo "#   status $status, a record at a time $st1"
		bad=$((bad + 1))
		continue
	fi
	[ "$(jq -r .jq <<<"$line")" = false ] && continue
	jq -rc "$filter" "$T/recs" >"$T/jq.out" 2>"$T/jq.err" </dev/null
	jst=$?
	jqmsg <"$T/jq.err" >"$T/jq.err2"
	# jq 1.6 exits with the last record's status: th's is 1 after any
	want=0
	[ -s "$T/jq.err" ] && want=1
	if ! cmp -s "$T/out" "$T/jq.out" || ! cmp -s "$T/err" "$T/jq.err2" ||
	    [ "$status" != "$want" ]; then
		ok 1 "$where: --jq '$filter': th prints and says what jq does"
		diff "$T/out" "$T/jq.out" | head -5 | sed 's/^/# /'
		diff "$T/err" "$T/jq.err2" | head -5 | sed 's/^/# /'
		echo "#   status $status, jq's $jst"
		bad=$((bad + 1))
	fi
done <"$T/filters"
is "$bad" 0 "$n filters: th's output, messages and status are a record at a time's, and jq's"
ok "$([ "$n" -ge 80 ] && echo 0 || echo 1)" "  the examples and the tricky filters were all found ($n)"

# --- writing: a full disk, the cursors, follow mode ---------------------------------
"$TL" -n 150 me --jq '.text | length' >/dev/full 2>"$T/full.err"
is "$?:$(cat "$T/full.err")" "74:th-timeline: cannot write output: No space left on device" \
	"a page that cannot be written: 74, said once"
"$TL" --new ref me --jq '.text | length' >"$T/ref" 2>/dev/null
"$TL" --new mine me --jq '.text | length' >/dev/full 2>/dev/null
run th-timeline --new mine me --jq '.text | length'
is "$status:$out" "0:$(cat "$T/ref")" \
	"  and the cursor did not move past what was not written"
ok "$([ -s "$T/ref" ] && echo 0 || echo 1)" "  (there was something to write)"

# a pipe reader of a follow run sees the first pass while th sleeps
mkfifo "$T/fifo"
"$TL" -f --interval 3600 -n 3 me --jq '.text | length' >"$T/fifo" 2>"$T/f.err" &
fpid=$!
got=$(timeout 20 head -3 "$T/fifo")
is "$got" "$(head -3 "$T/recs" | tac | jq -c '.text | length')" \
	"-f: the first pass reaches the pipe before the sleep, oldest first"
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null
# the same without --jq: lines wait in stdio's buffer within a pass, and
# the pass's end flushes them
rm -f "$T/fifo"
mkfifo "$T/fifo"
"$TL" -f --interval 3600 -n 3 me >"$T/fifo" 2>"$T/f.err" &
fpid=$!
got=$(timeout 20 head -3 "$T/fifo")
is "$got" "$(head -3 "$T/recs" | tac)" "  and without --jq: the NDJSON of the first pass"
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null

done_testing

#!/bin/bash
# th-timeline and th-search: merged, concurrent, cron-ready timelines.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
TL="$top_builddir/th-timeline"

# all SOURCE...: every post of the sources, read one by one with th-api
all() {
	for s in "$@"; do
		case $s in
		me) "$top_builddir/th-api" --paginate me/threads fields=id,timestamp limit=100 ;;
		@*) "$top_builddir/th-api" --paginate profile_posts username="${s#@}" fields=id,timestamp limit=100 ;;
		\#*) "$top_builddir/th-api" --paginate keyword_search q="${s#\#}" search_mode=TAG \
			search_type=RECENT fields=id,timestamp limit=100 ;;
		esac
	done
}

# --- merge order and dedupe ------------------------------------------------------
run th-timeline -n 400 me @meta @ramen.tokyo '#ramen'
is "$status" 0 "four sources merged"
want=$(all me @meta @ramen.tokyo '#ramen' | jq -s -c 'unique_by(.id) |
	sort_by([.timestamp, (.id|length), .id]) | reverse | .[:400] | map(.id)')
is "$(echo "$out" | jq -s -c 'map(.id)')" "$want" \
	"newest first, each post once: exactly the union of the four, in order"
is "$(echo "$out" | jq -s '[.[] | .timestamp] | . == (sort | reverse)')" true "timestamps never go up"
shared=$(echo "$out" | jq -c 'select(.username == "meta" and .topic_tag == "ramen") | .th_sources' | sort -u)
is "$shared" '["@meta","#ramen"]' "a post two sources share is one record naming both in th_sources"
is "$(echo "$out" | jq -r '.th_sources[]' | sort -u | tr '\n' ' ')" "#ramen @meta @ramen.tokyo me " \
	"every record names its source"
is "$(echo "$out" | jq -c 'keys' | head -1 | jq -c 'map(select(. == "id" or . == "timestamp" or . == "text" or . == "permalink")) | length')" 4 \
	"records carry the default fields"

run th-timeline -n 5 --reverse me
is "$(echo "$out" | jq -s -c 'map(.id)')" "$(all me | jq -s -c 'sort_by(.timestamp) | reverse | .[:5] | reverse | map(.id)')" \
	"--reverse: the newest five, oldest first"
run th-timeline -n 3 --fields text me
is "$(echo "$out" | head -1 | jq -c 'keys')" '["id","text","th_sources","timestamp"]' \
	"--fields: those fields, with id and timestamp always"

# --- windows -----------------------------------------------------------------------
now=$(date +%s)
clearlog
run th-timeline --since 2d --until 1d @meta '#ramen'
lo=$((now - 2*86400 - 5)) hi=$((now - 86400 + 5))
is "$(echo "$out" | jq --argjson lo $lo --argjson hi $hi -s \
	'map(.timestamp | strptime("%Y-%m-%dT%H:%M:%S+0000") | mktime) | all(. >= $lo and . <= $hi)')" true \
	"--since 2d --until 1d: only posts in the window"
ok "$([ -n "$out" ] && echo 0 || echo 1)" "  and there are some"
is "$(sblogr '[.query.since != null, .query.until != null] | @tsv' | sort -u)" "$(printf 'true\ttrue')" \
	"  the window is passed to the API as since/until"
# a post's replies and conversation take no since/until (not documented):
# the window is applied by th alone
ROOT=$("$top_builddir/th-api" --paginate --jq 'select(.has_replies) | .id' profile_posts \
	username=meta fields=id,has_replies limit=100 | while read -r id; do
	n=$("$top_builddir/th-timeline" -n 10 -c "$id" | wc -l)
	[ "$n" -ge 3 ] && { echo "$id"; break; }
done)
run th-timeline -c "$ROOT"
mid=$(echo "$out" | jq -s 'map(.timestamp | strptime("%Y-%m-%dT%H:%M:%S+0000") | mktime) | sort | .[1]')
want=$(echo "$out" | jq -c --argjson m "$mid" 'select((.timestamp | strptime("%Y-%m-%dT%H:%M:%S+0000") | mktime) >= $m) | .id' | tr '\n' ' ')
clearlog
run th-timeline --since "$mid" -c "$ROOT"
is "$(echo "$out" | jq -c .id | tr '\n' ' ')" "$want" \
	"--since on a conversation: only the replies in the window ($(echo "$want" | wc -w) of them)"
is "$(sblog 'select(.path | test("conversation")) | [.query.since, .query.until]' | sort -u)" '[null,null]' \
	"  and no since/until is sent where the API does not document them"
run th-timeline --since 2026-13-45 me
is "$status" 64 "a bad --since is a usage error"

# --- a window before Threads began (2023-07-05, 1688540400) ------------------------------
# the API refuses an earlier since, with an error that reads like "no such
# user": th asks from that day instead; an earlier until can only be empty
fedi_start
fb POST /_control/account '{"host":"mastodon.example","user":"old","posts":[
	{"content":"<p>from 2021</p>","published":"2021-03-01T12:00:00Z"},
	{"content":"<p>from 2024</p>","published":"2024-03-01T12:00:00Z"}]}' >/dev/null
clearlog
run th-timeline -n 500 --since 2020-01-01 @meta '#ramen' me
is "$status" 0 "--since 2020-01-01: exit 0"
ok "$([ -n "$out" ] && echo 0 || echo 1)" "  with posts"
is "$err" "" "  quietly"
is "$(sblogr '.query.since' | sort -u)" 1688540400 \
	"  every request asks from 1688540400, none from earlier"
run th-timeline -v -n 5 --since 2020-01-01 @meta
like "$err" "*--since is before 2023-07-05*Threads is asked from then (since=1688540400)*" "  -v says so"
clearlog
run th-search -n 5 --since 1577836800 release notes
is "$status" 0 "th-search --since 2020: exit 0"
is "$(sblogr '.query.since' | sort -u)" 1688540400 "  asks from 1688540400"
run th-timeline -n 500 --since 2020-01-01 @meta @old@mastodon.example
like "$out" "*from 2021*" "a fediverse source keeps the window: its 2021 post is read"
clearlog
run th-timeline --until 2022-01-01 @meta me
is "$status" 0 "--until before 2023-07-05: exit 0"
is "$out" "" "  nothing"
like "$err" "*--until is before 2023-07-05*there is nothing to read*" "  saying why"
is "$(sblog | wc -l | tr -d ' ')" 0 "  and not one request was sent"
run th-timeline --until 2022-01-01 @meta @old@mastodon.example
is "$(echo "$out" | jq -r .text)" "from 2021" "--until 2022 with a fediverse source: its post before then"
like "$err" "*only the fediverse sources are read*" "  saying the Threads ones are not"
is "$(sblog | wc -l | tr -d ' ')" 0 "  and Threads was not asked"
clearlog
run th-search --until 2022-01-01 release notes
is "$status$out$(sblog | wc -l | tr -d ' ')" 00 "th-search --until 2022: nothing, exit 0, no request"

# --- one bad source among five ---------------------------------------------------------
run th-timeline -n 500 me @meta @nosuch_user '#ramen' mentions
is "$status" 1 "one bad source among five: exit 1"
like "$err" "*@nosuch_user: skipped: no such user*" "  a warning names it"
is "$(echo "$out" | jq -r '.th_sources[]' | sort -u | tr '\n' ' ')" "#ramen @meta me mentions " \
	"  the four others still stream"

fault '{"path": "keyword_search", "times": 20, "status": 400, "error": {"message": "Application does not have permission for this action", "type": "OAuthException", "code": 10, "error_subcode": 4279067}}'
run th-timeline -n 5 me '#ramen'
is "$status" 1 "an access-tier error on a source: exit 1"
like "$err" "*#ramen: skipped*threads_keyword_search needs advanced access*App Review*" \
	"  in words: which permission, and App Review"
sb POST /_control/faults/clear >/dev/null
fault '{"path": "profile_posts", "times": 50, "status": 400, "error": {"message": "Application request limit reached", "type": "OAuthException", "code": 4}}'
run th-timeline -n 5 @meta me
is "$status" 75 "a rate limit that outlasts the retries: 75"
sb POST /_control/faults/clear >/dev/null
TH_ACCESS_TOKEN=not-a-token run th-timeline -n 5 me @meta
is "$status" 77 "a bad token stops everything: 77"

# --- the home timeline: what th-follow wrote ---------------------------------------------
run th-timeline
is "$status" 0 "no follows: exit 0"
like "$err" "*you follow nothing yet*" "  saying so on stderr"
"$top_builddir/th-follow" @seoul.eats '#space' >/dev/null
clearlog
run th-timeline -n 30
is "$(echo "$out" | jq -r '.th_sources[]' | sort -u | tr '\n' ' ')" "#space @seoul.eats " \
	"th-timeline with no source reads the follows"
is "$(sblogr 'select(.method == "GET") | .query | (.username // .q)' | sort -u | tr '\n' ' ')" "seoul.eats space " \
	"  and asks the API for exactly those"

# --- concurrency: a 50-source list ---------------------------------------------------------
for i in $(seq 50); do
	sb POST /_control/seed "{\"user\": \"src$i\", \"posts\": $([ $i -le 3 ] && echo 250 || echo 3), \"followers\": 5000}" >/dev/null
	echo "@src$i"
done | "$top_builddir/th-list" add fifty >/dev/null
sb POST /_control/latency '{"ms": 300}' >/dev/null
clearlog
run th-timeline -n 2000 list:fifty
sb POST /_control/latency '{"ms": 0}' >/dev/null
is "$status" 0 "a 50-source list"
is "$(echo "$out" | wc -l | tr -d ' ')" $((3*250 + 47*3)) "  every post of the fifty, once"
# each answer takes 300 ms: requests that arrive within 250 ms of the
# first were in flight together, and no more than -P of them can be
inwindow() {
	sb GET /_control/log | jq -s --argjson w 0.25 'map(.time) | sort | . as $t | map(select(. - $t[0] < $w)) | length'
}
n=$(inwindow)
ok "$([ "$n" -ge 4 ] && [ "$n" -le 8 ] && echo 0 || echo 1)" \
	"  requests overlap in time: $n in flight at once (4 to 8: eight HTTP/1.1 connections)"
is "$(sblogr '[.path, (.query | to_entries | sort | map("\(.key)=\(.value)") | join("&"))] | join("?")' | sort | uniq -d | wc -l | tr -d ' ')" 0 \
	"  no page was requested twice"
is "$(sblogr 'select(.query.username == "src1") | .query.after // "first"' | wc -l | tr -d ' ')" 3 \
	"  a 250-post source took its three pages"
clearlog
run th-timeline -n 5 list:fifty
is "$(sblog | wc -l | tr -d ' ')" 50 "-n 5 over fifty sources: the fifty first pages and nothing more"
sb POST /_control/latency '{"ms": 300}' >/dev/null
clearlog
run th-timeline -P 2 -n 5 @src4 @src5 @src6 @src7 @src8
sb POST /_control/latency '{"ms": 0}' >/dev/null
n=$(inwindow)
ok "$([ "$n" -ge 1 ] && [ "$n" -le 2 ] && echo 0 || echo 1)" "-P 2: at most two at once ($n)"

# --- --new: each post once across runs; a failed run does not move the cursor ---------------
run th-timeline --new mine me
is "$status" 0 "--new, first run: the last day of posts"
n1=$(echo "$out" | wc -l)
ok "$([ "$n1" -gt 0 ] && echo 0 || echo 1)" "  ($n1 posts)"
is "$(echo "$out" | jq -s '[.[] | .timestamp] | . == sort')" true "  oldest first"
seen="$out"
run th-timeline --new mine me
is "$out" "" "run 2 with nothing new: nothing"
for i in 1 2; do "$top_builddir/th-post" "new post A$i" >/dev/null; done
run th-timeline --new mine me
is "$(echo "$out" | jq -r .text | tr '\n' ' ')" "new post A1 new post A2 " "run 3: exactly the two new posts, oldest first"
seen="$seen
$out"
for i in 1 2 3; do "$top_builddir/th-post" "new post B$i" >/dev/null; done
"$TL" --new mine me >/dev/full 2>/dev/null
is "$?" 74 "a run that cannot write its output fails (74)"
sb POST /_control/latency '{"ms": 3000}' >/dev/null
exec 3>&2 2>/dev/null	# not bash's "Killed" notice
"$TL" --new mine me >"$T/killed" &
pid=$!
sleep 1
kill -9 $pid
wait $pid
exec 2>&3 3>&-
sb POST /_control/latency '{"ms": 0}' >/dev/null
run th-timeline --new mine me
is "$(echo "$out" | jq -r .text | tr '\n' ' ')" "new post B1 new post B2 new post B3 " \
	"after a failed and a killed run, the next one still has all three"
seen="$seen
$out"
is "$(echo "$seen" | jq -r .id | sort | uniq -d | wc -l | tr -d ' ')" 0 "no post came out twice across the runs"
"$top_builddir/th-post" "new post C1" >/dev/null
run th-timeline --new mine me @meta
like "$out" "*new post C1*" "a source added to a --new run: the others go on from their cursors"
is "$(echo "$out" | jq --argjson lo $(( $(date +%s) - 86400 - 5 )) -s \
	'map(select(.th_sources == ["@meta"]) | .timestamp | strptime("%Y-%m-%dT%H:%M:%S+0000") | mktime >= $lo) | all')" true \
	"  and the new one starts at the last day"

# --- overlapping --new runs: the cursor is held for the whole run ------------------------------
# startslow MS VERB ARGS...: run VERB in the background, each answer
# slowed by MS ms; returns once it is reading (it holds the state then)
startslow() {
	sb POST /_control/latency "{\"ms\": $1}" >/dev/null
	clearlog
	"$top_builddir/$2" "${@:3}" >"$T/slow.out" 2>"$T/slow.err" &
	slow=$!
	for i in $(seq 100); do [ "$(sblog | wc -l)" -gt 0 ] && break; sleep 0.05; done
}
startslow 1500 th-timeline --new cron me
start=$(date +%s)
run th-timeline --new cron me
wait $slow
is "$?" 0 "a --new run while another holds the state: the first ends well"
is "$status" 0 "  the second waits for it (exit 0)"
ok "$([ $(($(date +%s) - start)) -ge 1 ] && echo 0 || echo 1)" "  (it waited)"
n=$(wc -l <"$T/slow.out" | tr -d ' ')
ok "$([ "$n" -gt 0 ] && echo 0 || echo 1)" "  the first printed the posts ($n)"
is "$out" "" "  the second, nothing already printed"
is "$(cat "$T/slow.out" "$T/out" | jq -r .id | sort | uniq -d | wc -l | tr -d ' ')" 0 \
	"  no post came out twice"
"$top_builddir/th-post" "posted during a held run" >/dev/null
startslow 7000 th-timeline --new cron me
run th-timeline --new cron me
is "$status" 75 "a run that overlaps one holding the state longer than 5 s: 75"
like "$err" "*timeline/cron: another run is reading it (waited 5 s): try again later*" "  saying so"
is "$out" "" "  printing nothing"
wait $slow
sb POST /_control/latency '{"ms": 0}' >/dev/null
is "$(jq -r .text "$T/slow.out")" "posted during a held run" "  the holder printed the new post, once"
run th-timeline --new cron me
is "$out" "" "  and the next run finds nothing new"
is "$(ls -A "$XDG_STATE_HOME/th/timeline" | grep cron | LC_ALL=C sort | tr '\n' ' ')" ".cron.lock cron " \
	"the lock is a hidden file beside the state"
startslow 1500 th-search --new cronsearch --tag coffee
run th-search --new cronsearch --tag coffee
wait $slow
sb POST /_control/latency '{"ms": 0}' >/dev/null
is "$status" 0 "th-search --new holds its state the same way: the second run waits"
ok "$([ -s "$T/slow.out" ] && echo 0 || echo 1)" "  the first printed the posts"
is "$out" "" "  the second, nothing already printed"

# --- -r, -c -----------------------------------------------------------------------------------
root=$("$top_builddir/th-post" --jq .id "a root post")
r1=$("$top_builddir/th-post" --jq .id -r "$root" "first reply")
"$top_builddir/th-post" --jq .id -r "$root" "second reply" >/dev/null
"$top_builddir/th-post" --jq .id -r "$r1" "a nested reply" >/dev/null
run th-timeline -r "$root"
is "$(echo "$out" | jq -r .text | tr '\n' ' ')" "second reply first reply " "-r ID: the post's replies"
is "$(echo "$out" | jq -r '.th_sources[0]' | sort -u)" "replies:$root" "  labelled replies:ID"
run th-timeline -c "$root"
is "$(echo "$out" | jq -r .text | sort | tr '\n' ' ')" "a nested reply first reply second reply " \
	"-c ID: the whole conversation"

# --- follow mode -------------------------------------------------------------------------------
"$TL" -f --interval 1 me >"$T/follow" 2>"$T/follow.err" &
pid=$!
for i in $(seq 50); do [ -s "$T/follow" ] && break; sleep 0.1; done
is "$(wc -l <"$T/follow" | tr -d ' ')" 10 "-f prints the latest ten first"
"$top_builddir/th-post" "posted while following" >/dev/null
for i in $(seq 60); do grep -q 'posted while following' "$T/follow" && break; sleep 0.1; done
like "$(tail -1 "$T/follow")" "*posted while following*" "-f picks up a post created while it polls"
kill -TERM $pid
wait $pid
is "$?" 0 "and stops cleanly on SIGTERM (exit 0)"
is "$(cat "$T/follow.err")" "" "  quietly"
# the reader leaves after all ten lines sit in the pipe: no write will fail
timeout 30 "$TL" -f --interval 5 me 2>"$T/pipe.err" | { sleep 1; head -1 >/dev/null; }
is "${PIPESTATUS[0]}" 0 "-f into a reader that goes away, with nothing new to write: a clean end (exit 0)"
is "$(cat "$T/pipe.err")" "" "  with nothing on stderr"
"$TL" -f --interval 60 @a1 @a2 @a3 @a4 @a5 @a6 @a7 @a8 @a9 @a10 @a11 @a12 >/dev/null 2>"$T/stretch" &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
like "$(cat "$T/stretch")" "*polling every 1152 s instead of 60 s*daily quotas*" \
	"twelve profiles polled: the interval is stretched to fit the quota, and th says so"

# --- th-search --------------------------------------------------------------------------------
clearlog
run th-search --recent --author meta --media text -n 5 release notes
is "$status" 0 "th-search"
is "$(sblog '.query | [.q, .search_mode, .search_type, .author_username, .media_type]')" \
	'["release notes","KEYWORD","RECENT","meta","TEXT"]' "  the query and its options, as the API spells them"
run th-search --tag '#ramen' -n 3 --recent
is "$(sblog '.query | [.q, .search_mode]' | tail -1)" '["ramen","TAG"]' "--tag searches the topic tag"
is "$(echo "$out" | jq -c .th_sources | sort -u)" '["#ramen"]' "  same records as th-timeline"
run th-search --new tagwatch --tag coffee
n=$(echo "$out" | wc -l)
run th-search --new tagwatch --tag coffee
is "$out" "" "th-search --new: nothing new the second time"
run th-search --media gif x
is "$status" 64 "--media takes TEXT, IMAGE or VIDEO"

# --- secrets ----------------------------------------------------------------------------------
run th-timeline -v -n 150 me @meta
unlike "$out$err" "*$CANARY*" "-v over many pages: no trace of the token (paging.next carries it)"
for f in "$XDG_STATE_HOME"/th/timeline/*; do
	unlike "$(cat "$f")" "*$CANARY*" "state file $(basename "$f") holds no token"
done

done_testing

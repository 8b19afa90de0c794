#!/bin/bash
# --paginate streams every item of every page, paged with cursors; paging
# that goes in a circle ends, in th-api and in th-timeline.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start

sb POST /_control/seed '{"user": "bulk.news", "posts": 1000, "followers": 9000}' >/dev/null
clearlog
run th-api --paginate profile_posts username=bulk.news fields=id,timestamp limit=100
is "$status" 0 "--paginate over 1,000 posts succeeds"
is "$(wc -l <"$T/out" | tr -d ' ')" 1000 "and emits 1,000 lines"
is "$(jq -r .id "$T/out" | sort -u | wc -l | tr -d ' ')" 1000 "with no duplicate id"
is "$(jq -r '.id | type' "$T/out" | sort -u)" string "every id is a string"
is "$(jq -r .timestamp "$T/out" | sort -r | cmp - <(jq -r .timestamp "$T/out") >/dev/null && echo sorted)" \
	sorted "in the API's order, newest first"
is "$(sblog .path | sort | uniq -c | awk '{print $1}')" 10 "in exactly 10 requests"
is "$(sblog '.query.after // "first"' | sort -u | wc -l | tr -d ' ')" 10 "each page fetched once"
is "$(sblog 'select(.token_in_url)' | wc -l | tr -d ' ')" 0 \
	"paging.next (which carries the token) is never followed"

run th-api --paginate --jq .id me/threads limit=25
is "$(wc -l <"$T/out" | tr -d ' ')" 60 "--paginate with --jq pages through the own posts (60)"

run th-api --paginate me fields=id,username
is "$(echo "$out" | jq -r .username)" th_tester "--paginate on an object prints the object once"

run th-api --paginate me/threads limit=500
is "$status" 1 "an invalid limit is the API's refusal (1)"
like "$err" "*limit*" "the message is the API's"

run th-api -X POST --paginate me/threads
is "$status" 64 "--paginate with POST is a usage error"

# --- paging that goes in a circle ends (issue 17) ------------------------------
# page CURSOR IDS...: a page of those posts, an hour apart, and when CURSOR
# is not empty a next page after it; served by one fault each, in order
now=$(date +%s)
page() {
	local c=$1 i d=
	shift
	for i; do
		d="$d{\"id\":\"$i\",\"timestamp\":\"$(date -u -d "@$((now - i * 3600))" +%Y-%m-%dT%H:%M:%S+0000)\"},"
	done
	jq -cn --arg c "$c" --argjson d "[${d%,}]" '{data: $d} + if $c == "" then {} else
		{paging: {cursors: {before: "x", after: $c}, next: ("https://graph.threads.net/v1.0/me/threads?after=" + $c)}} end'
}
serve() {	# serve PAGE...: the next requests for me/threads, one page each
	local p
	for p; do
		fault "{\"path\": \"^/v1.0/me/threads$\", \"times\": 1, \"status\": 200, \"body\": $(printf '%s' "$p" | jq -R .)}"
	done
}
# cursors A, B, then A again (and the circle served on and on after it)
sb POST /_control/faults/clear >/dev/null
pa=$(page A 1 2) pb=$(page B 3 4) pc=$(page A 5 6)
serve "$pa" "$pb" "$pc" "$pb" "$pc" "$pb" "$pc" "$pb" "$pc" "$pb" "$pc" "$pb" "$pc"
clearlog
run th-api --paginate me/threads
is "$status" 0 "cursors A, B, A: --paginate ends"
is "$(echo "$out" | jq -r .id | tr '\n' ' ')" "1 2 3 4 5 6 " "  with every post of the three pages, once"
is "$(sblogr '.path + " " + (.query.after // "-")' | tr '\n' '|')" "/v1.0/me/threads -|/v1.0/me/threads A|/v1.0/me/threads B|" \
	"  in three requests: the cursor A is not followed a second time"
is "$err" "th-api: me/threads: paging stopped: the next cursor was given before (the pages go in a circle)" \
	"  and a warning says why"
sb POST /_control/faults/clear >/dev/null
serve "$pa" "$pb" "$pc" "$pb" "$pc" "$pb" "$pc" "$pb" "$pc" "$pb" "$pc" "$pb" "$pc"
clearlog
run th-timeline me
is "$status:$(echo "$out" | jq -r .id | tr '\n' ' ')" "0:1 2 3 4 5 6 " "th-timeline me over cursors A, B, A: every post once, then the end"
is "$(sblog | wc -l | tr -d ' ')" 3 "  in three requests"
is "$err" "th-timeline: me: paging stopped: the next cursor was given before (the pages go in a circle)" \
	"  said in a warning"
# fresh cursors, the same page every time
sb POST /_control/faults/clear >/dev/null
serve "$(page C1 1 2)" "$(page C2 1 2)" "$(page C3 1 2)" "$(page C4 1 2)" "$(page C5 1 2)" "$(page C6 1 2)" "$(page C7 1 2)" "$(page C8 1 2)"
clearlog
run th-api --paginate me/threads
is "$status:$(echo "$out" | jq -r .id | tr '\n' ' ')" "0:1 2 " "fresh cursors over the same page: --paginate prints it once"
is "$(sblog | wc -l | tr -d ' ')" 4 "  and ends after three pages that bring nothing new"
is "$err" "th-api: me/threads: paging stopped: 3 pages in a row repeat pages before" "  said in a warning"
sb POST /_control/faults/clear >/dev/null
serve "$(page C1 1 2)" "$(page C2 1 2)" "$(page C3 1 2)" "$(page C4 1 2)" "$(page C5 1 2)" "$(page C6 1 2)" "$(page C7 1 2)" "$(page C8 1 2)"
clearlog
run th-timeline me
is "$status:$(echo "$out" | jq -r .id | tr '\n' ' ')" "0:1 2 " "th-timeline me over the same page again and again: each post once"
is "$(sblog | wc -l | tr -d ' ')" 4 "  four requests, then the end"
is "$err" "th-timeline: me: paging stopped: 3 pages in a row repeat pages before" "  said in a warning"
sb POST /_control/faults/clear >/dev/null

# a page that fails half-way: the items already printed stay printed
fault '{"path": "^/v1.0/profile_posts$", "status": 500, "times": 100, "error": {"message": "boom", "code": 1}}'
sb POST /_control/faults/clear >/dev/null
fault '{"path": "^/v1.0/me/threads$", "status": 400, "error": {"message": "Invalid cursor", "type": "THApiException", "code": 100}, "times": 1}'
run th-api --paginate me/threads limit=10
is "$status" 1 "an error on the first page exits 1"
is "$out" "" "with nothing printed"

done_testing

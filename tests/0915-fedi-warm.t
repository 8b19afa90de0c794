#!/bin/bash
# A list of fediverse accounts read again within the day (issue 21): the
# day's cache ($XDG_STATE_HOME/th/fedi) keeps each account's outbox and
# the outbox's first page, so a warm account costs one request, and the
# requests to different servers go out together, each server a host of
# its own with its own connections. A first page that stopped working
# sends the account down the cold path once, and the file learns the
# new answer.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
fedi_start
export TH_API_BASE=http://127.0.0.1:1 TH_ACCESS_TOKEN=$CANARY	# never asked
now=$(date +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
cache=$XDG_STATE_HOME/th/fedi
reqs() {	# the requests fb logged, one a line: host path?query
	fb GET /_control/log | jq -r '.[] | .host + .path +
		(if (.query | length) > 0 then "?" + (.query | to_entries |
		map(.key + "=" + .value) | join("&")) else "" end)'
}

# 30 accounts on 10 servers, 3 posts each
srcs=
for i in $(seq 30); do
	posts=
	for j in 1 2 3; do
		posts="$posts{\"content\":\"<p>u$i post $j</p>\",\"published\":\"$(iso $((now - j * 3600 - i * 60)))\"},"
	done
	fb POST /_control/account "{\"host\":\"s$((i % 10)).example\",\"user\":\"u$i\",\"posts\":[${posts%,}]}" >/dev/null
	srcs="$srcs @u$i@s$((i % 10)).example"
done

# --- cold: looked up, and the first page kept ------------------------------------
run th-timeline -n 90 $srcs
is "$status:$(echo "$out" | wc -l | tr -d ' ')" "0:90" "cold: 30 accounts, every post"
is "$(reqs | wc -l | tr -d ' ')" 120 "  four requests an account: WebFinger, actor, outbox, its first page"
is "$(jq -c 'select(.source == "@u7@s7.example") | [.username, .via, .url, .first]' "$cache")" \
	'["u7@s7.example","activitypub","https://s7.example/users/u7/outbox","https://s7.example/users/u7/outbox?page=true"]' \
	"  the cache keeps the outbox's first page beside the outbox"
is "$(jq -r .first "$cache" | grep -c '^https://s[0-9].example/users/u[0-9]*/outbox?page=true$')" 30 \
	"  for every account"
cp "$cache" "$T/cold"

# --- warm: one request an account, all at once -------------------------------------
fb POST /_control/log/clear >/dev/null
fb POST /_control/gate '{"n": 30, "timeout": 20}' >/dev/null
run th-timeline -n 90 $srcs
is "$status:$(echo "$out" | wc -l | tr -d ' ')" "0:90" "warm: every post again"
is "$(reqs | sort)" "$(for i in $(seq 30); do echo "s$((i % 10)).example/users/u$i/outbox?page=true"; done | sort)" \
	"  exactly one request an account: its first page, straight away"
is "$(fb GET /_control/gate | jq -c .)" '{"opened":true,"most":30}' \
	"  the 30 requests were in flight together (8 connections for all the servers could not hold them)"
is "$(fb GET /_control/log | jq -r 'group_by(.conn) | map(map(.host) | unique | length) | max')" 1 \
	"  a connection carries one server's requests alone"
is "$(fb GET /_control/log | jq -r 'group_by(.host) | map(map(.conn) | unique | length) | max')" 3 \
	"  each server got its own connections, one a request in flight (3 accounts a server)"
cmp -s "$cache" "$T/cold"
is "$?" 0 "  the cache file is left as it was (nothing new learnt)"

run th-timeline -v -n 3 @u7@s7.example
like "$err" "*@u7@s7.example: read through ActivityPub, outbox https://s7.example/users/u7/outbox (looked up * min ago), from its first page https://s7.example/users/u7/outbox?page=true*" \
	"-v says where a warm account is read from"

# --- a kept first page that stopped working: the cold path, once ----------------------
fb POST /_control/fault '{"host":"s7.example","path":"/users/u7/outbox","status":404,"body":"{\"error\":\"Record not found\"}","times":1}' >/dev/null
fb POST /_control/log/clear >/dev/null
run th-timeline -n 3 @u7@s7.example
is "$status:$(echo "$out" | wc -l | tr -d ' ')" "0:3" "a kept first page that answers 404: the posts all the same"
is "$(reqs)" "$(printf '%s\n' 's7.example/users/u7/outbox?page=true' \
	's7.example/.well-known/webfinger?resource=acct:u7@s7.example' 's7.example/users/u7' \
	's7.example/users/u7/outbox' 's7.example/users/u7/outbox?page=true')" \
	"  the kept page, then WebFinger, the actor, the outbox and its first page, once each"
fb POST /_control/log/clear >/dev/null
run th-timeline -n 3 @u7@s7.example
is "$(reqs)" "s7.example/users/u7/outbox?page=true" "  and the next run is one request again"

# a first page that answers, but with no page in it (here the outbox
# itself): not taken for an empty account
jq -c 'if .source == "@u8@s8.example" then .first = "https://s8.example/users/u8/outbox?old=1" else . end' \
	"$cache" >"$T/c" && cp "$T/c" "$cache"
fb POST /_control/log/clear >/dev/null
run th-timeline -n 3 @u8@s8.example
is "$status:$(echo "$out" | wc -l | tr -d ' ')" "0:3" "a kept first page that is no page: the posts all the same"
is "$(reqs | tr '\n' ' ')" "s8.example/users/u8/outbox?old=1 s8.example/.well-known/webfinger?resource=acct:u8@s8.example s8.example/users/u8 s8.example/users/u8/outbox s8.example/users/u8/outbox?page=true " \
	"  looked up again, once"
is "$(jq -r 'select(.source == "@u8@s8.example") | .first' "$cache")" \
	"https://s8.example/users/u8/outbox?page=true" "  and the file holds the new first page"
is "$(jq -c 'select(.source != "@u8@s8.example" and .source != "@u7@s7.example")' "$cache" | sort)" \
	"$(jq -c 'select(.source != "@u8@s8.example" and .source != "@u7@s7.example")' "$T/cold" | sort)" \
	"  the other accounts' lines are kept as they were"

# --- a line from before the first page was kept: the outbox, then the page ------------
jq -c 'if .source == "@u9@s9.example" then del(.first) else . end' "$cache" >"$T/c" && cp "$T/c" "$cache"
fb POST /_control/log/clear >/dev/null
run th-timeline -n 3 @u9@s9.example
is "$(reqs | tr '\n' ' ')" "s9.example/users/u9/outbox s9.example/users/u9/outbox?page=true " \
	"a line without a first page: the outbox and its page"
is "$(jq -r 'select(.source == "@u9@s9.example") | .first' "$cache")" \
	"https://s9.example/users/u9/outbox?page=true" "  and the first page is kept from then on"

# --- a first page that names a cursor is not kept ---------------------------------------
fb POST /_control/server '{"host":"pinned.example","first":"max_id"}' >/dev/null
fb POST /_control/account "{\"host\":\"pinned.example\",\"user\":\"pat\",\"posts\":[{\"content\":\"<p>pat</p>\",\"published\":\"$(iso $((now - 60)))\"}]}" >/dev/null
run th-timeline -n 1 @pat@pinned.example
is "$status:$(echo "$out" | jq -r .text)" "0:pat" "an outbox whose first page names a place in time (?max_id=)"
is "$(jq -c 'select(.source == "@pat@pinned.example") | [.url, .first]' "$cache")" \
	'["https://pinned.example/users/pat/outbox",null]' \
	"  keeps its outbox alone: a kept cursor would hide the posts after it for a day"
fb POST /_control/log/clear >/dev/null
run th-timeline -n 1 @pat@pinned.example
is "$(reqs | sed 's/max_id=[0-9]*/max_id=N/' | tr '\n' ' ')" "pinned.example/users/pat/outbox pinned.example/users/pat/outbox?max_id=N&page=true " \
	"  so the next run reads the outbox, then the page it names now"

done_testing

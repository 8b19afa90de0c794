#!/bin/bash
# The request-shape table: every request th sends, in the form the live API
# takes. Each verb is driven against the sandbox; every request in the log
# must fit a row of tests/data/request-shapes.json, and every row must be
# used. A request that matches no row (a new one, or one that changed) fails.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
TABLE="$top_srcdir/tests/data/request-shapes.json"
SHAPES="$top_srcdir/tests/sandbox/shapes.py"
ACC="$XDG_CONFIG_HOME/th/accounts"
LEDGER="$XDG_STATE_HOME/th/ledger"
ALL="$T/all.ndjson"	# the logs of every group, for the coverage check
GROUP="$T/group.ndjson"
canary_ok "$ALL" "$GROUP"	# the log holds what th sent: tokens included
: >"$ALL"

# drive PROG ARGS...: run a verb of the group; its failure is remembered.
drive() {
	run "$@"
	[ "$status" -eq 0 ] || failed="$failed $1:$status"
}
failed=

# shapes WHAT: the group's verbs all succeeded, and every request since the
# last call fits a row of the table (there was one at least); the
# offenders, by parameter name, below.
shapes() {
	local n rc
	is "$failed" "" "$1: every verb exits 0"
	failed=
	sb GET /_control/log >"$GROUP"
	clearlog
	cat "$GROUP" >>"$ALL"
	n=$(grep -c . "$GROUP")
	"$PYTHON3" "$SHAPES" "$TABLE" <"$GROUP" >"$T/shapes.out" 2>&1
	rc=$?
	[ "$n" -gt 0 ] || { rc=1; echo "no request at all" >>"$T/shapes.out"; }
	ok "$rc" "$1: all $n requests fit a row of the table"
	[ "$rc" -eq 0 ] || sed 's/^/#   /' "$T/shapes.out" | head -20
}

# --- the checker refuses what it must -----------------------------------------
MARK=THQVJshapesselftest$RANDOM
cat >"$T/bad.ndjson" <<EOF
{"seq":1,"method":"POST","path":"/access_token","query":{},"form":{"grant_type":"th_exchange_token","client_secret":"$MARK"},"bearer":true,"token_in_url":false,"token_in_form":false,"ctype":"application/x-www-form-urlencoded"}
{"seq":2,"method":"GET","path":"/refresh_access_token","query":{"grant_type":"th_refresh_token"},"form":{},"bearer":true,"token_in_url":false,"token_in_form":false,"ctype":""}
{"seq":3,"method":"GET","path":"/v1.0/me","query":{"fields":"id","colour":"$MARK"},"form":{},"bearer":true,"token_in_url":false,"token_in_form":false,"ctype":""}
EOF
out=$("$PYTHON3" "$SHAPES" "$TABLE" <"$T/bad.ndjson")
is "$?" 1 "shapes.py: a log with requests that fit no row exits 1"
like "$(echo "$out" | grep '#1 ')" '*"long-lived exchange"*method POST*client_secret*' \
	"  the long-lived exchange as a POST with client_secret in the body is refused"
like "$(echo "$out" | grep '#2 ')" '*"refresh"*Authorization header*no access_token in the query*' \
	"  a refresh with the token only in a Bearer header is refused"
like "$(echo "$out" | grep '#3 ')" '*"me"*not allow*colour*' \
	"  GET /v1.0/me with a parameter no source documents is refused"
unlike "$out" "*$MARK*" "  the diagnostics name parameters, never their values"
printf '%s\n' '{"seq":1,"method":"GET","path":"/access_token","query":{"grant_type":"th_exchange_token","client_secret":"s","access_token":"t"},"form":{},"bearer":false,"token_in_url":true,"token_in_form":false,"ctype":""}' \
	'{"seq":2,"method":"GET","path":"/_control/anything","query":{"x":"y"},"form":{},"bearer":false,"token_in_url":false,"token_in_form":false,"ctype":""}' |
	"$PYTHON3" "$SHAPES" "$TABLE" >"$T/good.out"
is "$?:$(cat "$T/good.out")" "0:" "  and it accepts the live form of the same request (control calls are skipped)"

# --- th-api ---------------------------------------------------------------------
drive th-api me fields=id,username
drive th-api --paginate --jq .id me/threads fields=id,timestamp limit=25
is "$(echo "$out" | wc -l | tr -d ' ')" 60 "th-api --paginate: the 60 posts, three pages"
shapes "th-api me, th-api --paginate me/threads"

# --- th-auth: the token endpoints -------------------------------------------------
unset TH_ACCESS_TOKEN
FRESH=THQVJfresh$RANDOM$RANDOM AGED=THQVJaged$RANDOM$RANDOM
sb POST /_control/token "{\"token\": \"$FRESH\"}" >/dev/null
sb POST /_control/token "{\"token\": \"$AGED\", \"age\": $((50*86400))}" >/dev/null
drive th-auth login --with-token -a fresh <<<"$FRESH"
drive th-auth login --with-token -a aged <<<"$AGED"
shapes "th-auth login --with-token (/me, debug_token)"
drive th-auth status -a fresh
shapes "th-auth status (/me, debug_token)"

oauth_login AQBshapes login -a oauth
[ "$status" -eq 0 ] || failed="$failed th-auth:$status"
shapes "th-auth login (code exchange, long-lived exchange)"

now=$(date +%s)
jq -c --argjson i $((now - 50*86400)) --argjson e $((now + 10*86400)) \
	'.issued_at = $i | .expires_at = $e' "$ACC/aged" >"$T/acc" && cat "$T/acc" >"$ACC/aged"
drive th-auth refresh -a aged
shapes "th-auth refresh"
export TH_ACCESS_TOKEN=$CANARY

# --- th-post ------------------------------------------------------------------------
drive th-post "a text post"
ROOT=$(echo "$out" | jq -r .id)
drive th-post -i https://img.example/a.png --alt "a cat" --spoiler "an image"
drive th-post -i https://img.example/1.png --video https://vid.example/2.mp4 "a carousel"
drive th-post --poll "yes|no" --tag shapes "a poll"
drive th-post -r "$ROOT" --reply-control mentioned_only --countries us,jp \
	--link https://th.example/r --location 7654321 "a reply"
REPLY=$(echo "$out" | jq -r .id)
printf 'the long read\n' >"$T/att"
drive th-post --quote "$ROOT" --attachment "$T/att" "a quote"
shapes "th-post (text, image, carousel, poll, reply, quote)"

para() { printf 'Paragraph %s. %s\n\n' "$1" "$(printf 'word%.0s ' $(seq 85))"; }
{ para 1; para 2; } >"$T/long"
drive th-post --thread --number -k chain -F "$T/long"
is "$(echo "$out" | wc -l | tr -d ' ')" 2 "th-post --thread -k: two parts"
rm -f "$LEDGER"
drive th-post --thread --number -k chain -F "$T/long"
is "$(echo "$out" | jq -c .duplicate | tr '\n' ' ')" "true true " \
	"  again on a fresh runner: both found among the posts and replies"
drive th-post --batch <<'EOF'
{"text": "batch one", "tag": "th"}
{"text": "batch two", "image_urls": ["https://img.example/b1.png", "https://img.example/b2.png"]}
EOF
shapes "th-post --thread, --key (the lookup), --batch"

# --- th-timeline, th-search -----------------------------------------------------------
"$top_builddir/th-list" add watch @ramen.tokyo '#space' >/dev/null
drive th-timeline -n 150 me @meta '#ramen' mentions list:watch
TARGET=$(echo "$out" | jq -r 'select(.username == "meta") | .id' | head -1)
drive th-timeline -r "$ROOT" -c "$ROOT"
drive th-timeline --since 30d --until 1h -r "$ROOT" -c "$ROOT"
drive th-timeline --new shapes --since 2d me @meta '#ramen' mentions
PENDING=$(sb POST /_control/reply "{\"to\": \"$ROOT\", \"approval\": \"pending\"}" | jq -r .id)
drive th-timeline replies ghosts "pending:$ROOT"
drive th-timeline --new shapes2 --since 2d replies ghosts "pending:$ROOT"
shapes "th-timeline (me, @user, #tag, mentions, list:, -r, -c, --since)"
drive th-search --recent --author meta --media text -n 5 release notes
drive th-search --tag ramen --since 7d -n 3
drive th-search --place "Meta HQ"
drive th-search --place 37.48,-122.15
drive th-post --location "Meta HQ" "tagged at a place found by name"
shapes "th-search (keyword, tag, --place), th-post --location NAME"

# --- th-whois, th-stats, th-repost, th-hide, th-delete -----------------------------------
drive th-whois me @meta
shapes "th-whois me @meta"
drive th-stats "$ROOT"
drive th-stats --since 3d me
drive th-stats --quota
drive th-stats --demographics age
shapes "th-stats (post insights, account insights, --quota, --demographics)"
drive th-embed "$("$top_builddir/th-timeline" -n 1 me --jq .permalink)"
drive th-search --history
shapes "th-embed, th-search --history"
drive th-repost "$TARGET"
shapes "th-repost"
drive th-hide "$REPLY"
drive th-hide -u "$REPLY"
shapes "th-hide, th-hide -u"
drive th-approve -i "$PENDING"
drive th-approve "$PENDING"
shapes "th-approve -i, th-approve"
drive th-delete "$REPLY"
drive th-delete --last 1
shapes "th-delete"

# --- th-list --check, th-follow --check -------------------------------------------------
"$top_builddir/th-list" add chk @meta @orbit_daily '#space' >/dev/null
"$top_builddir/th-follow" @seoul.eats >/dev/null
drive th-list show --check chk
drive th-follow --check
shapes "th-list --check, th-follow --check"

# --- every row of the table was used --------------------------------------------------------
"$PYTHON3" "$SHAPES" --coverage "$TABLE" <"$ALL" >"$T/cov.out"
is "$(grep '^unexercised:' "$T/cov.out")" "" "every row of the table was exercised by some verb"

done_testing

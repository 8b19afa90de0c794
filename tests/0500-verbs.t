#!/bin/bash
# th-whois, th-delete, th-repost, th-hide, th-stats, th-show.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
LEDGER="$XDG_STATE_HOME/th/ledger"

# --- th-stats --quota first: the sandbox has seen exactly three posts ------------
for i in 1 2 3; do "$top_builddir/th-post" "quota post $i" >/dev/null; done
clearlog
run th-stats --quota
is "$status" 0 "th-stats --quota"
is "$(echo "$out" | jq -c 'select(.quota == "posts") | [.used, .total, .left, (.frees_at | type)]')" \
	'[3,250,247,"string"]' "  after 3 posts: 3 used of 250, 247 left, and when it frees up"
is "$(echo "$out" | jq -r .quota | tr '\n' ' ')" "posts replies deletes location_searches " "  posts, replies, deletes and location searches"
is "$(sblogr 'select(.path == "/v1.0/me/threads_publishing_limit") | .query.fields')" \
	"quota_usage,config,reply_quota_usage,reply_config,delete_quota_usage,delete_config,location_search_quota_usage,location_search_config" \
	"  from threads_publishing_limit"

# --- th-whois ----------------------------------------------------------------------
clearlog
run th-whois me @meta
is "$status" 0 "th-whois me @meta"
is "$(sblogr '[.path, (.query.fields // .query.username)] | join(" ")' | tr '\n' ';')" \
	"/v1.0/me id,username,name,threads_profile_picture_url,threads_biography,is_verified;/v1.0/profile_lookup meta;" \
	"  /me for me, profile_lookup for @meta"
is "$(echo "$out" | jq -c '[.username, .biography != null, .follower_count != null]')" \
	"$(printf '["th_tester",true,false]\n["meta",true,true]')" \
	"  one record each; .biography works for both (aliased on /me)"
is "$(echo "$out" | head -1 | jq -c '[.threads_biography == .biography]')" '[true]' "  the API's own field is kept"
run th-whois @nosuch_user_x
is "$status" 1 "th-whois of an unknown user: 1"
like "$err" "*@nosuch_user_x*not a public profile*" "  saying so"
run th-whois @th_tester
is "$(echo "$out" | jq -r .username):$status" "th_tester:0" \
	"th-whois of the token's own account, which profile lookup does not find: /me answers"
run th-whois <<'EOF'
{"id": "1", "username": "meta", "text": "a post"}
{"id": "2", "username": "meta", "text": "another"}
EOF
is "$(echo "$out" | wc -l | tr -d ' ')" 1 "th-whois on posts: each author once"

# --- th-repost ------------------------------------------------------------------------
target=$("$top_builddir/th-timeline" -n 1 @meta --jq .id)
clearlog
run th-repost "$target"
is "$status" 0 "th-repost"
is "$(sblogr 'select(.method == "POST") | .path')" "/v1.0/$target/repost" "  POST /{id}/repost"
is "$(echo "$out" | jq -c '[.media_type, .reposted_post.id]')" "[\"REPOST_FACADE\",\"$target\"]" \
	"  prints the repost record"
run th-repost 1234567
is "$status" 1 "th-repost of a post that does not exist: 1"

# --- th-hide ---------------------------------------------------------------------------
root=$("$top_builddir/th-post" --jq .id "hide test root")
reply=$("$top_builddir/th-post" --jq .id -r "$root" "a reply to hide")
clearlog
run th-hide "$reply"
is "$status" 0 "th-hide"
is "$(sblog 'select(.method == "POST") | [.path, .form.hide]')" "[\"/v1.0/$reply/manage_reply\",\"true\"]" \
	"  POST manage_reply hide=true"
is "$out" "{\"id\":\"$reply\",\"hidden\":true}" "  reports it hidden"
is "$("$top_builddir/th-api" --jq .hide_status "$reply" fields=hide_status)" HIDDEN "  and it is"
run th-hide -u "$reply"
is "$out" "{\"id\":\"$reply\",\"hidden\":false}" "th-hide -u unhides"
run th-hide "$root"
is "$status" 1 "hiding a post that is not a reply: 1"

# --- th-stats ------------------------------------------------------------------------------
clearlog
run th-stats "$target"
is "$status" 0 "th-stats ID"
is "$(sblogr '[.path, .query.metric] | join(" ")')" "/v1.0/$target/insights views,likes,replies,reposts,quotes,shares" \
	"  one insights request with the six metrics"
is "$(echo "$out" | jq -c 'keys')" '["id","likes","quotes","replies","reposts","shares","views"]' \
	"  one flat record"
run th-stats --since 3d me
is "$status" 0 "th-stats me: account insights"
is "$(echo "$out" | jq -c 'select(.date) | keys' | sort -u)" '["date","views"]' "  views as one record per day"
ok "$([ "$(echo "$out" | jq -c 'select(.date)' | wc -l)" -ge 3 ] && echo 0 || echo 1)" "  three days or more"
is "$(echo "$out" | tail -1 | jq -c '[has("likes"), has("followers_count"), has("since")]')" '[true,true,true]' \
	"  then the totals"
run th-stats 999999
is "$status" 1 "th-stats of a post that does not exist: 1"

# --- th-stats and th-whois read any answer without aborting ------------------------------------
# The API leaves a field out rather than send null, and a broken answer may
# hold anything anywhere: the record says null, nothing aborts.
answer() {	# answer PATH-REGEX BODY: the next request on PATH gets BODY
	sb POST /_control/fault "$(jq -cn --arg p "$1" --arg b "$2" \
		'{path: $p, times: 1, status: 200, body: $b}')" >/dev/null
}
answer publishing_limit '{"data":[{"quota_usage":3,"config":{"quota_total":250,"quota_duration":86400},"reply_quota_usage":0,"reply_config":{"quota_total":1000,"quota_duration":86400},"delete_quota_usage":0}]}'
run th-stats --quota
is "$status" 0 "th-stats --quota, the answer without delete_config: 0"
is "$(echo "$out" | jq -c '[.quota, .used, .total, .left]' | tr '\n' ' ')" \
	'["posts",3,250,247] ["replies",0,1000,1000] ["deletes",null,null,null] ["location_searches",null,null,null] ' \
	"  the deletes quota is null, the others are read"
is "$(echo "$out" | jq -c 'select(.quota != "posts") | .frees_at' | tr '\n' ' ')" "null null null " \
	"  and when it frees up is not known"
answer publishing_limit '{"data":[{"quota_usage":"3","config":250,"reply_quota_usage":null,"reply_config":{"quota_total":"1000"},"delete_quota_usage":[],"delete_config":{}}]}'
run th-stats --quota
is "$status:$(echo "$out" | jq -c '[.used, .total, .left, .frees_at]' | sort -u)" "0:[null,null,null,null]" \
	"every member of another kind: null, 0"
for body in '{}' '{"data":{"quota_usage":1}}' '{"data":[]}' '{"data":[7]}'; do
	answer publishing_limit "$body"
	run th-stats --quota
	is "$status:$err" "69:th-stats: publishing limits: the publishing limit has no data" \
		"a publishing limit answer $body: 69, saying so"
done
answer "^/v1.0/$target/insights\$" '{"data":[{"name":"views","values":[]},{"name":"likes","total_value":{"value":"7"}},"junk",{"name":"replies","values":[{"value":4}]},{"name":"id","total_value":{"value":5}}]}'
run th-stats "$target"
is "$status:$out" "0:{\"id\":\"$target\",\"views\":null,\"likes\":null,\"replies\":4,\"reposts\":null,\"quotes\":null,\"shares\":null}" \
	"post insights of every kind: what is not a number is null; a metric named id does not replace the id"
answer "^/v1.0/$target/insights\$" '{"data":{"name":"views"}}'
run th-stats "$target"
is "$status:$(echo "$out" | jq -c '[.[]] | unique')" "0:[null,\"$target\"]" "  data that is not a list: every metric null"
answer threads_insights '{"data":[{"name":"views","values":[{"value":5,"end_time":"2026-11-21T08:00:00+0000"},7,{"end_time":"x"}]},{"name":"clicks","link_total_values":[1,{"value":2},{"value":"3"}]},{"name":"likes","total_value":{}},{"name":"since","total_value":{"value":1}}]}'
run th-stats me
is "$status:$(echo "$out" | tr '\n' ' ')" '0:{"date":"2026-11-20","views":5} {"date":null,"views":null} {"date":null,"views":null} {"likes":null,"replies":null,"reposts":null,"quotes":null,"clicks":2,"followers_count":null} ' \
	"account insights of every kind: a day that cannot be read is null, clicks sum the numbers"
answer threads_insights '{"data":"none"}'
run th-stats me
is "$status:$out" '0:{"views":null,"likes":null,"replies":null,"reposts":null,"quotes":null,"clicks":null,"followers_count":null}' \
	"  data that is not a list: every total null"
answer '^/v1.0/me$' '{"id":"1","username":"th_tester","threads_biography":"long name","biography":"its own"}'
run th-whois me
is "$status:$(echo "$out" | jq -c '[.biography, .threads_biography]')" '0:["its own","long name"]' \
	"th-whois me: a short name the API sends itself is never replaced"

# --- th-delete -------------------------------------------------------------------------------
"$top_builddir/th-timeline" -n 3 me >"$T/three"
clearlog
run th-delete <"$T/three"
is "$status" 0 "th-timeline -n 3 me | th-delete"
is "$(sblogr 'select(.method == "DELETE") | .path' | tr '\n' ' ')" \
	"$(jq -r '"/v1.0/" + .id' "$T/three" | tr '\n' ' ')" "  deletes exactly those three"
is "$(echo "$out" | jq -c '[.id, .success]' | tr '\n' ' ')" "$(jq -c '[.id, true]' "$T/three" | tr '\n' ' ')" \
	"  and reports them"
is "$(jq -r 'select(.event == "deleted") | .id' "$LEDGER" | tr '\n' ' ')" "$(jq -r .id "$T/three" | tr '\n' ' ')" \
	"  every deletion is in the ledger"
run th-delete "$(jq -r .id "$T/three" | head -1)"
is "$status" 1 "deleting it again: 1 (not found)"

for i in 1 2 3; do "$top_builddir/th-post" --jq .id "undo me $i"; done >"$T/mine"
clearlog
run th-delete --last 2
is "$(echo "$out" | jq -r .id | tr '\n' ' ')" "$(tac "$T/mine" | head -2 | tr '\n' ' ')" \
	"th-delete --last 2: the two newest th published"
run th-delete --last 2
first=$(head -1 "$T/mine")
is "$(echo "$out" | jq -r .id | head -1)" "$first" "a second --last 2 goes on to the next ones, not the same again"
clearlog
run th-delete -n --last 1
is "$(echo "$out" | jq -c .dry_run)" true "-n: what would go"
is "$(sblog 'select(.method == "DELETE")' | wc -l | tr -d ' ')" 0 "  and nothing is deleted"
sb POST /_control/config '{"quota_deletes": 1}' >/dev/null
clearlog
x=$("$top_builddir/th-post" --jq .id "one more")
run th-delete "$x"
is "$status" 75 "the delete quota spent: 75"
like "$err" "*delete quota is spent*frees up at*" "  saying when it frees up"
is "$(sblog 'select(.method == "DELETE")' | wc -l | tr -d ' ')" 0 "  before sending anything"
sb POST /_control/config '{"quota_deletes": 100}' >/dev/null
run th-delete abc
is "$status" 65 "a bad id: 65"

# --- every verb: expired token 77, rate limit 75 -------------------------------------------------
OLD=expired-$RANDOM$RANDOM
sb POST /_control/token "{\"token\": \"$OLD\", \"age\": $((61*86400))}" >/dev/null
for v in "th-whois me" "th-repost $target" "th-hide $reply" "th-stats $target" "th-delete $x" "th-stats --quota"; do
	# shellcheck disable=SC2086
	TH_ACCESS_TOKEN=$OLD run $v
	is "$status" 77 "$v with an expired token: 77"
done
fault '{"path": ".", "times": 100, "status": 400, "error": {"message": "Application request limit reached", "type": "OAuthException", "code": 4}}'
for v in "th-whois @meta" "th-repost $target" "th-hide $reply" "th-stats $target" "th-delete $x" "th-stats --quota"; do
	# shellcheck disable=SC2086
	run $v
	is "$status" 75 "$v rate limited: 75"
done
sb POST /_control/faults/clear >/dev/null

# --- th-show ----------------------------------------------------------------------------------------
printf '{"id":"1","username":"evil","timestamp":"2026-11-20T09:00:00+0000","text":"red \\u001b[31mALERT\\u001b[0m bell\\u0007 title \\u001b]0;owned\\u0007 rtl \\u202egnp.exe"}\n' >"$T/evil"
run th-show <"$T/evil"
is "$status" 0 "th-show renders a post with escape sequences"
unlike "$out" "*$(printf '\033')*" "  no ESC reaches the terminal"
unlike "$out" "*$(printf '\007')*" "  nor a bell"
unlike "$out" "*$(printf '\342\200\256')*" "  nor a bidi override"
ok "$(echo "$out" | grep -qF 'red ^[[31mALERT^[[0m bell^G title ^[]0;owned^G rtl <U+202E>gnp.exe' && echo 0 || echo 1)" \
	"  they are shown as visible text"
for i in 1 2; do COLUMNS=60 "$top_builddir/th-show" <"$top_srcdir/tests/data/show5.ndjson" >"$T/show.$i"; done
cmp -s "$T/show.1" "$top_srcdir/tests/data/show5.golden"
ok $? "a five-post timeline renders as the golden file at 60 columns (reply under its parent, CJK and emoji widths)"
cmp -s "$T/show.1" "$T/show.2"
ok $? "  and identically on a second run"
LC_ALL=C awk '!/[\200-\377]/ { if (length($0) > 60) bad = 1 } END { exit bad }' "$T/show.1"
ok $? "  no ASCII line wider than 60 columns"
# -w given wins over $COLUMNS, 80 too (80 was once taken for "not given")
for w in 80 40; do
	COLUMNS=60 "$top_builddir/th-show" -w $w <"$top_srcdir/tests/data/show5.ndjson" >"$T/show.w"
	COLUMNS=$w "$top_builddir/th-show" <"$top_srcdir/tests/data/show5.ndjson" >"$T/show.c"
	cmp -s "$T/show.w" "$T/show.c" && ! cmp -s "$T/show.w" "$T/show.1"
	ok $? "  -w $w with COLUMNS=60: drawn at $w columns, not 60"
done
run th-show <<'EOF'
{"date": "2026-11-20", "views": 1}
{"date": "2026-11-21", "views": 8}
{"date": "2026-11-22", "views": 4}
EOF
is "$out" "views 2026-11-20..2026-11-22 ▁█▄ min 1 max 8 total 13" "th-stats time series: one sparkline"
NO_COLOR=1 script -qec "'$top_builddir/th-show' <'$T/evil'" /dev/null >"$T/tty"
unlike "$(cat "$T/tty")" "*$(printf '\033')[1m*" "NO_COLOR: no colour even on a terminal"
script -qec "'$top_builddir/th-show' <'$T/evil'" /dev/null >"$T/tty"
like "$(cat "$T/tty")" "*$(printf '\033')[1m@evil*" "on a terminal, colour"
run th-show <<<'not json'
is "$status" 65 "a malformed line: 65"

done_testing

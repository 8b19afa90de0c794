#!/bin/bash
# Moderating replies and reading your own: the sources pending:ID, replies
# and ghosts, th-approve, th-delete on replies.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
TL="$top_builddir/th-timeline"
API="$top_builddir/th-api"
shapes_start


# pending ROOT AGO TEXT [STATUS]: a reply held for approval on ROOT; its id
pending() {
	sb POST /_control/reply "{\"to\": \"$1\", \"ago\": $2, \"text\": \"$3\", \"approval\": \"${4:-pending}\"}" |
		jq -r .id
}

# all SOURCE...: the ids of every post of the sources, read one by one
# with th-api, sorted
all() {
	for s in "$@"; do
		case $s in
		me) "$API" --paginate me/threads fields=id,timestamp limit=100 ;;
		replies) "$API" --paginate me/replies fields=id,timestamp limit=100 ;;
		ghosts) "$API" --paginate me/ghost_posts fields=id,timestamp limit=100 ;;
		pending:*) "$API" --paginate "${s#pending:}/pending_replies" \
			approval_status=pending fields=id,timestamp limit=100 ;;
		esac
	done | jq -s -c 'map(.id) | unique'
}

# ids: the ids of the records on stdin, sorted as all() gives them
ids() { jq -s -c 'map(.id) | sort'; }
# newestfirst: the records on stdin never go up in time
newestfirst() { jq -s '[.[] | .timestamp] | . == (sort | reverse)'; }

root=$("$top_builddir/th-post" --jq .id "approvals root")
rootlink=$("$API" --jq .permalink "$root" fields=permalink)
p1=$(pending "$root" 300 "first, kind")
p2=$(pending "$root" 200 "second, spam spam")
p3=$(pending "$root" 100 "third, kind")
ig=$(pending "$root" 250 "ignored before" ignored)
keep

# --- the grammar ---------------------------------------------------------------------------
run th-timeline pending:abc
is "$status" 65 "pending:abc: 65"
is "$err" "th-timeline: 'pending:abc': pending: takes a post's id or permalink" \
	"  saying what pending: takes"
is "$(sblog | wc -l | tr -d ' ')" 0 "  and not one request was sent"
run th-timeline pending
is "$err" "th-timeline: 'pending': a bare word is not a source: @pending or #pending?" \
	"pending without a post is a bare word"
run th-list add mod "pending:$root" "pending:${rootlink/www.threads.com/threads.net}?x=1" replies ghosts
is "$status" 0 "th-list add: the new sources go into a list"
is "$(cat "$XDG_DATA_HOME/th/lists/mod")" "pending:$root
pending:https://www.threads.com/@th_tester/post/${rootlink##*/}
replies
ghosts" "  in their canonical form (a permalink spelled once)"
run th-whois replies
is "$(sblog 'select(.path == "/v1.0/profile_lookup") | .query.username')" '"replies"' \
	"th-whois replies: still the user @replies (a username, where only a user is meant)"
keep

# --- pending:ID ------------------------------------------------------------------------------
run th-timeline "pending:$root"
is "$status" 0 "pending:ID"
is "$(echo "$out" | jq -r .id | tr '\n' ' ')" "$p3 $p2 $p1 " \
	"  the replies awaiting approval, newest first; not the ignored one"
is "$(echo "$out" | jq -c '[.reply_approval_status, .th_sources]' | sort -u)" \
	"[\"pending\",[\"pending:$root\"]]" "  each with its reply_approval_status, from pending:ID"
is "$(sblog '[.method, .path, .query.approval_status, .query.reverse, .query.limit,
	(.query.fields | split(",") | index("reply_approval_status") != null),
	has("since") or (.query | has("since") or has("until"))]')" \
	"[\"GET\",\"/v1.0/$root/pending_replies\",\"pending\",\"true\",\"100\",true,false]" \
	"  one GET pending_replies: approval_status=pending, reverse=true, the field asked, no since/until"
keep
run th-timeline "pending:$rootlink"
is "$(echo "$out" | jq -r '.th_sources[0]' | sort -u)" "pending:$root" \
	"pending:PERMALINK: the post's id found, the source named by it"
is "$(sblog 'select(.path | endswith("pending_replies")) | .path')" "\"/v1.0/$root/pending_replies\"" \
	"  and its pending replies read"
keep
sb POST /_control/fault "{\"path\": \"/v1.0/$root/pending_replies\", \"status\": 400, \"error\": {\"message\": \"You can only see pending replies to your own posts\", \"type\": \"OAuthException\", \"code\": 10}}" >/dev/null
run th-timeline "pending:$root"
is "$status" 1 "pending:ID refused (not your post): 1"
like "$err" "th-timeline: pending:$root: skipped: *You can only see pending replies to your own posts, code 10)" \
	"  naming the source, with the API's reason"
keep

# --- --new: a moderation cron job --------------------------------------------------------------
run th-timeline --new mod --jq .id "pending:$root"
is "$out" "$p1
$p2
$p3" "--new: a first run prints what waits, oldest first"
run th-timeline --new mod "pending:$root"
is "$out" "" "  a second run prints nothing"
p4=$(pending "$root" 5 "fourth, kind")
run th-timeline --new mod --jq .id "pending:$root"
is "$out" "$p4" "  a third prints only the reply that came since"
keep

# --- th-approve ---------------------------------------------------------------------------------
p5=$(pending "$root" 4 "fifth, spam")
p6=$(pending "$root" 3 "sixth, kind")
"$TL" --new mod "pending:$root" | grep -v spam >"$T/mod"
run th-approve <"$T/mod"
is "$status" 0 "th-timeline --new mod pending:ID | grep -v spam | th-approve"
is "$out" "{\"id\":\"$p6\",\"approved\":true}" "  approves what the filter let through"
is "$(sblog 'select(.method == "POST") | [.path, .form.approve]')" \
	"[\"/v1.0/$p6/manage_pending_reply\",\"true\"]" "  POST manage_pending_reply approve=true"
is "$("$TL" --jq .id -r "$root" | sort | tr '\n' ' ')" "$p6 " \
	"  and the reply is out: among the post's replies"
keep
run th-approve -i "$p2" "$p5"
is "$status" 0 "th-approve -i: ignore"
is "$out" "{\"id\":\"$p2\",\"approved\":false}
{\"id\":\"$p5\",\"approved\":false}" "  reports them not approved"
is "$(sblogr 'select(.method == "POST") | .form.approve' | tr '\n' ' ')" "false false " \
	"  POST manage_pending_reply approve=false"
is "$("$API" --paginate --jq .id "$root/pending_replies" approval_status=ignored | sort | tr '\n' ' ')" \
	"$(printf '%s\n' "$ig" "$p2" "$p5" | sort | tr '\n' ' ')" "  they are ignored now"
run th-approve <<<"{\"id\":\"$ig\",\"text\":\"ignored before\"}"
is "$out" "{\"id\":\"$ig\",\"approved\":true}" "an ignored reply approved later, from a record on stdin"
keep
run th-approve "$p6"
is "$status" 1 "th-approve of a reply already out: 1"
is "$err" "th-approve: $p6: refused (API: The reply is not pending approval, code 100)" \
	"  with the API's reason"
run th-approve 12x
is "$status" 65 "th-approve 12x: 65"
is "$err" "th-approve: '12x': not a reply id or permalink" "  not a reply"
run th-approve <<<'{"text":"no id"}'
is "$status" 65 "a record without id: 65"
is "$(sblog 'select(.method == "POST")' | wc -l | tr -d ' ')" 1 \
	"  nothing was sent for either (the one POST is the approved reply's)"
keep

# --- replies: your own -------------------------------------------------------------------------
other=$("$API" --jq '.data[0].id' profile_posts username=meta fields=id limit=1)
r1=$("$top_builddir/th-post" --jq .id -r "$other" "my reply one")
r2=$("$top_builddir/th-post" --jq .id -r "$root" "my reply two")
keep
run th-timeline replies
is "$status" 0 "replies"
is "$(echo "$out" | ids)" "$(all replies)" "  exactly your replies"
is "$(echo "$out" | newestfirst)" true "  newest first"
like "$out" "*\"text\":\"my reply two\"*" "  the reply th-post just made is there"
is "$(echo "$out" | jq -c '.th_sources' | sort -u)" '["replies"]' "  from the source replies"
is "$(sblog '[.method, .path]' | sort -u)" '["GET","/v1.0/me/replies"]' "  GET me/replies"

# --- ghosts --------------------------------------------------------------------------------------
g1=$(sb POST /_control/ghost '{"text": "a ghost of today", "ago": 7200}' | jq -r .id)
g2=$(sb POST /_control/ghost '{"text": "a ghost of yesterday", "ago": 108000}' | jq -r .id)
keep
run th-timeline ghosts
is "$status" 0 "ghosts"
is "$(echo "$out" | jq -c '[.id, .ghost_post_status, .th_sources]' | tr '\n' ' ')" \
	"[\"$g1\",\"ACTIVE\",[\"ghosts\"]] [\"$g2\",\"ARCHIVED\",[\"ghosts\"]] " \
	"  your ghost posts, newest first, live or archived"
exp=$(echo "$out" | jq -r 'select(.id == "'"$g1"'") | .ghost_post_expiration_timestamp')
is "$(( $(date -u -d "$(echo "$exp" | sed 's/+0000$/Z/')" +%s) - $(date -u -d "$(echo "$out" |
	jq -r 'select(.id == "'"$g1"'") | .timestamp' | sed 's/+0000$/Z/')" +%s) ))" 86400 \
	"  with the expiry in the record: a day after it was posted"
is "$(sblog '[.method, .path, (.query.fields | test("ghost_post_status,ghost_post_expiration_timestamp$"))]')" \
	'["GET","/v1.0/me/ghost_posts",true]' "  GET me/ghost_posts, the ghost fields asked beside the default set"
keep
run th-timeline --fields id,text ghosts
is "$(sblog '.query.fields')" '"timestamp,id,text"' "  with --fields, the fields asked as given"
keep

# --- the merge, and --new cursors over all of them ----------------------------------------------
run th-timeline -n 400 me replies ghosts "pending:$root"
is "$status" 0 "me, replies, ghosts and pending:ID merged"
is "$(echo "$out" | ids)" "$(all me replies ghosts "pending:$root")" \
	"  each post once: exactly the union of the four"
is "$(echo "$out" | newestfirst)" true "  in time order, newest first"
is "$(echo "$out" | jq -r '.th_sources[]' | sort -u | tr '\n' ' ')" \
	"ghosts me pending:$root replies " "  every record names its source"
keep
run th-timeline --new all me replies ghosts "pending:$root"
is "$status" 0 "--new over the four"
is "$(jq -r '.sources | keys | join(" ")' "$XDG_STATE_HOME/th/timeline/all")" \
	"ghosts me pending:$root replies" "  a cursor for each"
n1=$("$top_builddir/th-post" --jq .id "a new post")
n2=$("$top_builddir/th-post" --jq .id -r "$other" "a new reply")
n3=$(sb POST /_control/ghost '{"text": "a new ghost", "ago": 2}' | jq -r .id)
n4=$(pending "$root" 1 "a new pending reply")
run th-timeline --new all --jq .id me replies ghosts "pending:$root"
is "$(echo "$out" | sort | tr '\n' ' ')" "$(printf '%s\n' "$n1" "$n2" "$n3" "$n4" | sort | tr '\n' ' ')" \
	"  the next run prints the four new ones, and only them"
is "$(echo "$out" | while read -r id; do "$API" --jq .timestamp "$id" fields=timestamp; done |
	sort -c 2>&1 && echo sorted)" sorted "  oldest first"
run th-timeline --new all me replies ghosts "pending:$root"
is "$out" "" "  and the one after prints nothing"
keep

# --- follow mode ---------------------------------------------------------------------------------
"$TL" -f --interval 1 --jq .id "pending:$root" >"$T/follow" 2>"$T/follow.err" &
pid=$!
for i in $(seq 50); do [ -s "$T/follow" ] && break; sleep 0.1; done
p7=$(pending "$root" 0 "while following")
for i in $(seq 60); do grep -q "$p7" "$T/follow" && break; sleep 0.1; done
is "$(tail -1 "$T/follow")" "$p7" "-f pending:ID picks up a reply that waits for approval"
kill -TERM $pid
wait $pid
is "$?" 0 "  and stops cleanly on SIGTERM"
keep

# --- th-delete on replies --------------------------------------------------------------------------
run th-delete "$r1"
is "$status" 0 "th-delete REPLY-ID"
is "$(sblog 'select(.method == "DELETE") | .path')" "\"/v1.0/$r1\"" "  DELETE the reply"
is "$(all replies | jq -c "index(\"$r1\")")" null "  and it is gone from your replies"
keep
"$TL" --jq '{id}' -n 1 replies >"$T/last"
run th-delete <"$T/last"
is "$out" "{\"success\":true,\"deleted_id\":\"$n2\",\"id\":\"$n2\"}" \
	"th-timeline -n 1 replies | th-delete: your newest reply deleted"
keep
r3=$("$top_builddir/th-post" --jq .id -r "$other" "a reply to take back")
clearlog
run th-delete --last 1
is "$status" 0 "th-delete --last 1 after th-post -r"
is "$(sblog 'select(.method == "DELETE") | .path')" "\"/v1.0/$r3\"" \
	"  deletes that reply: th-post records replies in the ledger as it does posts"
keep
r4=$("$top_builddir/th-post" --jq .permalink -r "$other" "a reply named by its permalink")
r4id=$("$TL" --jq .id -n 1 replies)
clearlog
run th-delete -n "$r4"
is "$status:$(echo "$out" | jq -r .id)" "0:$r4id" \
	"th-delete -n PERMALINK of your reply: found among your replies when not among your posts"
is "$(sblogr 'select(.method == "GET") | .path' | grep -c 'me/replies')" 1 "  by reading me/replies"
keep

# --- every request fits the request-shape table ---------------------------------------------------
shapes_check
"$PYTHON3" "$top_srcdir/tests/sandbox/shapes.py" --coverage "$top_srcdir/tests/data/request-shapes.json" \
	<"$ALL" >"$T/cov.out"
for row in "media pending replies" "manage pending reply" "me/ghost_posts" "me/replies"; do
	unlike "$(grep '^unexercised:' "$T/cov.out")" "*\"$row\"*" "  the row \"$row\" is used"
done

done_testing

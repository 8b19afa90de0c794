#!/bin/bash
# th-post: the two-step publish, the ledger, exactly-once under faults.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
LEDGER="$XDG_STATE_HOME/th/ledger"

writes() {
	sblog 'select(.method == "POST") | .path' | wc -l | tr -d ' '
}

# --- the plain flow ----------------------------------------------------------
clearlog
run th-post "hello from th-post"
is "$status" 0 "a text post is published"
is "$(echo "$out" | jq -r '[.text, .media_type, (.id|type), (.permalink|test("^https://"))] | @tsv')" \
	"$(printf 'hello from th-post\tTEXT_POST\tstring\ttrue')" \
	"and printed as read back: text, media_type, id as a string, permalink"
is "$(sblogr '[.method, .path] | join(" ")' | tr '\n' ';')" \
	"GET /v1.0/me;GET /v1.0/me/threads_publishing_limit;POST /v1.0/me/threads;GET /v1.0/$(sblogr 'select(.path=="/v1.0/me/threads_publish") | .form.creation_id');POST /v1.0/me/threads_publish;GET /v1.0/$(echo "$out" | jq -r .id);" \
	"who am I (for the ledger), quota, container, its status, publish, read back: in that order"
is "$(sblog 'select(.path == "/v1.0/me/threads") | .form' )" \
	'{"text":"hello from th-post","media_type":"TEXT"}' "the container: TEXT, never auto_publish_text"
pc=$(sblog 'select(.path == "/v1.0/me/threads_publish") | .conn')
prev=$(sblog '.conn' | sed -n 4p)
ok "$([ -n "$pc" ] && [ "$pc" != "$prev" ] && echo 0 || echo 1)" \
	"the publish goes out on a fresh connection ($prev then $pc)"
cid=$(sblogr 'select(.path=="/v1.0/me/threads_publish") | .form.creation_id')
is "$(jq -c 'select(.container == "'"$cid"'") | .event' "$LEDGER" | tr '\n' ' ')" \
	'"container" "published" ' "the ledger has the container before it has the post"
is "$(stat -c %a "$LEDGER")" 600 "the ledger is 0600"

# --- text sources --------------------------------------------------------
run th-post <<<"from stdin, trailing newline dropped"
is "$(echo "$out" | jq -r .text)" "from stdin, trailing newline dropped" "text from stdin"
printf 'from a file\n\n' >"$T/msg"
run th-post -F "$T/msg"
is "$(echo "$out" | jq -r .text)" "from a file" "text from -F FILE"
run th-post - <<<"dash means stdin"
is "$(echo "$out" | jq -r .text)" "dash means stdin" "an operand - reads stdin"

# --- validation: each rule, refused with 65 and no request at all ----------
refuse() {	# refuse DESC PATTERN ARGS... (stdin: /dev/null unless given)
	local desc=$1 pat=$2
	shift 2
	clearlog
	run th-post "$@" </dev/null
	is "$status" 65 "refused: $desc (65)"
	like "$err" "*$pat*" "  the message names the rule"
	is "$(sblog | wc -l | tr -d ' ')" 0 "  and not one request was sent"
}
accept() {	# accept DESC ARGS...
	local desc=$1
	shift
	run th-post "$@" </dev/null
	is "$status" 0 "accepted: $desc"
}
a500=$(printf 'a%.0s' $(seq 500))
e125=$(printf '😀%.0s' $(seq 125))
refuse "invalid UTF-8" "not valid UTF-8" "$(printf 'bad \xc3\x28 byte')"
refuse "a control character" "control character" "$(printf 'esc \x1b[31m red')"
printf 'nul\0inside' >"$T/nul"
refuse "a NUL byte" "NUL" -F "$T/nul"
refuse "501 characters" "limit is 500" "${a500}b"
accept "500 characters" "$a500"
refuse "126 emoji (504 bytes)" "emoji count as their UTF-8 bytes" "${e125}😀"
accept "125 emoji (500 bytes)" "$e125"
L5="https://a.example/1 https://b.example/2 https://c.example/3 https://d.example/4 https://e.example/5"
refuse "6 distinct links" "at most 5" "$L5 https://f.example/6"
refuse "5 links and a different --link" "at most 5" --link https://f.example/6 "$L5"
accept "5 links, one of them again as --link" --link https://a.example/1 "$L5"
refuse "a topic tag with a dot" "topic tag" --tag "a.b" "tagged"
refuse "a topic tag with an ampersand" "topic tag" --tag "rock&roll" "tagged"
refuse "a topic tag of 51 characters" "1 to 50" --tag "$(printf 't%.0s' $(seq 51))" "tagged"
accept "a topic tag (#, 50 characters)" --tag "#$(printf 't%.0s' $(seq 50))" "tagged"
refuse "alt text of 1001 characters" "limit is 1000" -i https://img.example/a.png \
	--alt "$(printf 'x%.0s' $(seq 1001))"
accept "alt text of 1000 characters" -i https://img.example/a.png --alt "$(printf 'x%.0s' $(seq 1000))"
refuse "a poll with one option" "2 to 4" --poll "only" "vote"
refuse "a poll with five options" "2 to 4" --poll "a|b|c|d|e" "vote"
refuse "a poll option of 26 characters" "1 to 25" --poll "yes|$(printf 'n%.0s' $(seq 26))" "vote"
refuse "an empty poll option" "1 to 25" --poll "yes||no" "vote"
accept "a poll of 4 options, 25 characters" --poll "a|b|c|$(printf 'n%.0s' $(seq 25))" "vote"
args=
for i in $(seq 21); do args="$args -i https://img.example/$i.png"; done
# shellcheck disable=SC2086
refuse "a carousel of 21 items" "2 to 20" $args "too many"
printf 'z%.0s' $(seq 10001) >"$T/att"
refuse "a text attachment of 10001 characters" "limit is 10000" --attachment "$T/att" "long read"
head -c 10000 "$T/att" >"$T/att2"
accept "a text attachment of 10000 characters" --attachment "$T/att2" "long read"
refuse "an unknown reply control" "reply control" --reply-control friends "hi"
refuse "a reply target that is not an id" "not a Threads post id" -r "abc" "hi"
refuse "bad country codes" "two-letter" --countries "USA" "hi"
refuse "an empty text" "nothing to post" ""

clearlog
run th-post --poll "a|b" -i https://img.example/a.png "poll with media" </dev/null
is "$status" 64 "options that do not go together are a usage error (64)"
is "$(sblog | wc -l | tr -d ' ')" 0 "  before any request"

# --- every kind of parameter reaches the container --------------------------
ROOT=$(echo "$out" | jq -r .id)
ROOT=$("$top_builddir/th-api" --jq '.data[0].id' me/threads limit=1)
clearlog
run th-post -r "$ROOT" --reply-control mentioned_only --countries us,jp \
	--tag rust --link https://th.example/r --location 7654321 "all the options"
is "$status" 0 "a reply with tag, link, reply control and countries"
is "$(sblog 'select(.path == "/v1.0/me/threads") | .form' | jq -cS .)" \
	"$(jq -cnS --arg r "$ROOT" '{text:"all the options", media_type:"TEXT", reply_to_id:$r,
		reply_control:"mentioned_only", allowlisted_country_codes:"US,JP",
		topic_tag:"rust", link_attachment:"https://th.example/r", location_id:"7654321"}')" \
	"  every parameter is in the container request, as the API spells it"
is "$(echo "$out" | jq -r '.replied_to.id')" "$ROOT" "  and the post is a reply to the target"
clearlog
run th-post --quote "$ROOT" --poll "yes | no" "quote and poll"
is "$(sblog 'select(.path == "/v1.0/me/threads") | [.form.quote_post_id, .form.poll_attachment]' )" \
	"[\"$ROOT\",\"{\\\"option_a\\\":\\\"yes\\\",\\\"option_b\\\":\\\"no\\\"}\"]" \
	"a quote and a poll (options trimmed, sent as a JSON string)"

# --- media: single, carousel, errors, local files ---------------------------
sb POST /_control/config '{"processing_delay": 0.3}' >/dev/null
clearlog
run th-post -i https://img.example/one.png --alt "a cat" --spoiler "one image"
is "$status" 0 "an image post waits for processing and publishes"
is "$(sblog 'select(.path == "/v1.0/me/threads") | .form' | jq -cS .)" \
	'{"alt_text":"a cat","image_url":"https://img.example/one.png","is_spoiler_media":"true","media_type":"IMAGE","text":"one image"}' \
	"  IMAGE container with image_url, alt_text and the spoiler flag"
ok "$([ "$(sblog 'select(.method == "GET" and (.path|test("^/v1.0/[0-9]+$"))) | .path' | wc -l)" -ge 2 ] && echo 0 || echo 1)" \
	"  its status was polled until FINISHED"
is "$err" "" "  quietly: stderr is not a terminal"
script -qec "'$top_builddir/th-post' -i https://img.example/tty.png 'on a terminal'" /dev/null >"$T/tty" 2>&1
like "$(cat "$T/tty")" "*waiting for Threads to process the post*" "  on a terminal, progress on stderr"

clearlog
run th-post -i https://img.example/1.png --alt "first" --video https://vid.example/2.mp4 \
	-i https://img.example/3.png "three in a carousel"
is "$status" 0 "a carousel of three is published"
is "$(echo "$out" | jq -r .media_type)" CAROUSEL_ALBUM "  as a CAROUSEL_ALBUM"
is "$(sblogr 'select(.path == "/v1.0/me/threads") | [.form.media_type, .form.is_carousel_item // "-"] | join(":")' | tr '\n' ' ')" \
	"IMAGE:true VIDEO:true IMAGE:true CAROUSEL:- " "  three children marked is_carousel_item, then the carousel"
kids=$(sblogr 'select(.path == "/v1.0/me/threads" and .form.media_type == "CAROUSEL") | .form.children')
is "$(echo "$kids" | tr ',' '\n' | wc -l | tr -d ' ')" 3 "  the carousel names its three children"
# every child and the carousel read FINISHED before the publish
seq_pub=$(sblog 'select(.path == "/v1.0/me/threads_publish") | .seq')
allfin=0
for c in $(echo "$kids" | tr ',' ' ') $(sblogr 'select(.path=="/v1.0/me/threads_publish") | .form.creation_id'); do
	s=$(sblog "select(.path == \"/v1.0/$c\" and .seq < $seq_pub) | .seq" | tail -1)
	[ -n "$s" ] || allfin=1
done
is "$allfin" 0 "  every child and the carousel were checked before publishing"

clearlog
run th-post -i "https://img.example/x.png?sandbox_error=FAILED_DOWNLOADING_VIDEO" "broken"
is "$status" 1 "a container in ERROR: exit 1"
like "$err" "*could not download*FAILED_DOWNLOADING_VIDEO*" "  with the API's error_message in words"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 0 "  and no publish"
sb POST /_control/config '{"processing_delay": 0}' >/dev/null

printf 'PNG' >"$T/shot.png"
clearlog
run th-post -i "$T/shot.png" "local file"
is "$status" 78 "a local file without an uploader: 78"
like "$err" "*TH_UPLOAD_CMD*" "  naming the setting"
is "$(sblog | wc -l | tr -d ' ')" 0 "  before any request"
cat >"$T/up" <<'EOF'
#!/bin/sh
echo "$1" >>"${0%/*}/uploaded"
echo "https://cdn.example/$(basename "$1")"
EOF
chmod +x "$T/up"
TH_UPLOAD_CMD="$T/up" run th-post -i "$T/shot.png" "local file"
is "$status" 0 "with TH_UPLOAD_CMD the file is uploaded first"
is "$(cat "$T/uploaded")" "$T/shot.png" "  the uploader got the path"
is "$(sblogr 'select(.path == "/v1.0/me/threads") | .form.image_url' | tail -1)" \
	"https://cdn.example/shot.png" "  and the container the URL it printed"

# the uploader is contained: stdin, environment, descriptors, deadline
cat >"$T/nosy" <<'EOF'
#!/bin/sh
d=${0%/*}
cat >>"$d/nosy.stdin"			# an uploader that reads stdin
env >>"$d/nosy.env"
# its descriptors, seen from a program it execs (the shell keeps copies
# of its own while it redirects)
exec python3 -c '
import os, sys
me = "/proc/%d/fd" % os.getpid()
fds = []
for f in os.listdir(me):
    try:
        os.readlink(me + "/" + f)
        fds.append(int(f))
    except OSError:
        pass            # the descriptor of the listing, closed already
open(sys.argv[2] + "/nosy.fds", "a").write(" ".join(map(str, sorted(fds))) + "\n")
print("https://cdn.example/" + os.path.basename(sys.argv[1]))' "$1" "$d"
EOF
chmod +x "$T/nosy"
for i in 1 2 3; do printf 'PNG%s' $i >"$T/b$i.png"; done
printf '{"text": "contained %s", "image_url": "%s"}\n' 1 "$T/b1.png" 2 "$T/b2.png" 3 "$T/b3.png" >"$T/nosy.batch"
canary_ok "$T/nosy.env"	# checked just below, then removed
TH_UPLOAD_CMD="$T/nosy" TH_CLIENT_SECRET=$APPSECRET run th-post --batch <"$T/nosy.batch"
is "$status" 0 "an uploader that reads stdin does not eat a --batch: all three records post"
is "$(echo "$out" | jq -r .text | tr '\n' ' ')" "contained 1 contained 2 contained 3 " "  in order"
is "$(wc -c <"$T/nosy.stdin" | tr -d ' ')" 0 "  its stdin is /dev/null"
is "$(grep -c -e "$CANARY" -e "$APPSECRET" -e '^TH_ACCESS_TOKEN=' -e '^TH_CLIENT_SECRET=' "$T/nosy.env")" 0 \
	"  its environment holds no token and no app secret"
rm -f "$T/nosy.env"
is "$(sort -u "$T/nosy.fds")" "0 1 2" "  and no descriptor of th's (the API connection, libcurl's) but 0, 1, 2"
cat >"$T/slow" <<'EOF'
#!/bin/sh
sleep 60 &
echo "$$ $!" >"${0%/*}/slow.pids"
wait
echo https://cdn.example/late.png
EOF
chmod +x "$T/slow"
start=$(date +%s)
TH_TIMEOUT=2 TH_UPLOAD_CMD="$T/slow" run th-post -i "$T/shot.png" "too slow"
is "$status" 69 "an uploader that hangs is killed at the request deadline: 69"
like "$err" "*uploader did not finish within 2 s*killed*" "  saying so"
ok "$([ $(( $(date +%s) - start )) -lt 15 ] && echo 0 || echo 1)" "  well before its 60 s"
alive=
for p in $(cat "$T/slow.pids"); do	# a zombie nobody reaps is gone too
	[ -r "/proc/$p/stat" ] && [ "$(awk '{print $3}' "/proc/$p/stat")" != Z ] && alive="$alive $p"
done
is "$alive" "" "  and it is gone, with its children"

# --- dry run -----------------------------------------------------------------
clearlog
run th-post -n --tag news "dry run only"
is "$status" 0 "-n succeeds"
is "$(echo "$out" | jq -c 'select(.method) | [.method, .path, .params.text // .params.creation_id]' | tr '\n' ' ')" \
	'["POST","/v1.0/me/threads","dry run only"] ["POST","/v1.0/me/threads_publish","<container of part 1>"] ' \
	"  prints the requests it would send"
is "$(writes)" 0 "  and sends no write"
is "$(sblog .path)" '"/v1.0/me/threads_publishing_limit"' "  but checks the quota"

# --- exactly once: faults on the publish --------------------------------------
clearlog
fault '{"path": "threads_publish$", "drop": "after"}'
run th-post "dropped after the sandbox published"
is "$status" 0 "connection dropped after publishing: exit 0"
is "$(echo "$out" | jq -r .text)" "dropped after the sandbox published" "  and the post is printed"
is "$(posts "dropped after the sandbox published")" 1 "  exactly one post exists"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 1 \
	"  the publish was not sent again (the container said PUBLISHED)"

clearlog
fault '{"path": "threads_publish$", "drop": "before"}'
run th-post "dropped before the sandbox saw it"
is "$status" 0 "connection dropped before publishing: exit 0"
is "$(posts "dropped before the sandbox saw it")" 1 "  exactly one post after reconciliation"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 2 \
	"  published again because the container said FINISHED"

clearlog
fault '{"path": "threads_publish$", "status": 400, "error": {"message": "The requested resource does not exist", "type": "OAuthException", "code": 24, "error_subcode": 4279009}}'
run th-post "not ready the first time"
is "$status" 0 "publish answered 24/4279009: th-post waits and succeeds"
is "$(posts "not ready the first time")" 1 "  with one post"

clearlog
fault '{"path": "threads_publish$", "status": 503, "body": "<html>upstream</html>", "content_type": "text/html"}'
run th-post "a 503 on the publish"
is "$status" 0 "a 5xx on the publish is settled by the container too"
is "$(posts "a 503 on the publish")" 1 "  one post"

# the publish went through but was answered HTTP 500, code 10 (threads-go #30)
clearlog
fault '{"path": "threads_publish$", "act": true, "status": 500, "error": {"message": "Application does not have permission for this action", "type": "OAuthException", "code": 10}}'
run th-post "published, answered 500 code 10"
is "$status" 0 "a publish that lands but answers 5xx code 10: exit 0"
is "$(echo "$out" | jq -r .text)" "published, answered 500 code 10" "  the post is printed"
is "$(posts "published, answered 500 code 10")" 1 "  exactly one post"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 1 \
	"  exactly one publish request: the container's status (PUBLISHED) settled it"
# the same answer when nothing was published: the error stands
clearlog
fault '{"path": "threads_publish$", "status": 500, "error": {"message": "Application does not have permission for this action", "type": "OAuthException", "code": 10}}'
run th-post "refused with code 10"
is "$status" 77 "a publish refused with code 10, the container still FINISHED: 77"
like "$err" "*cannot publish: the app or the token lacks*(API: Application does not have permission*" "  th's words, then the API's"
is "$(sblogr 'select(.path != "/v1.0/me" and .method == "GET") | .query.fields' | tail -1)" \
	"id,status,error_message" "  after asking the container"
is "$(posts "refused with code 10")" 0 "  nothing was posted"

# 24/4279009 after FINISHED for 15 s (postiz #2047: a median of 7 s)
sb POST /_control/config '{"publish_not_ready": 15}' >/dev/null
clearlog
run th-post "not publishable for 15 s"
is "$status" 0 "a container not publishable for 15 s after FINISHED: exit 0"
is "$(posts "not publishable for 15 s")" 1 "  exactly one post"
is "$(sblog 'select(.path == "/v1.0/me/threads" and .method == "POST")' | wc -l | tr -d ' ')" 1 \
	"  from the one container"
n=$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')
ok "$([ "$n" -ge 3 ] && [ "$n" -le 12 ] && echo 0 || echo 1)" "  published again with backoff ($n publish requests)"
is "$err" "" "  quietly: stderr is not a terminal"
sb POST /_control/config '{"publish_not_ready": 2}' >/dev/null
script -qec "'$top_builddir/th-post' 'not ready, on a terminal'" /dev/null >"$T/tty" 2>&1
like "$(cat "$T/tty")" "*Threads is not ready to publish container * yet (24/4279009): * s*" \
	"  on a terminal, progress on stderr"
sb POST /_control/config '{"publish_not_ready": 0}' >/dev/null

# 24/4279009 that never clears (LongevityWorldCup #815): one new container
sb POST /_control/config '{"publish_stuck": 1}' >/dev/null
clearlog
run th-post -k stuck1 --wait-timeout 2 "stuck once"
is "$status" 0 "a container stuck in 24/4279009: a new container, then success"
like "$err" "*FINISHED but Threads still answers 'media not found' (24/4279009) after 2 s: making a new one*" \
	"  saying so"
is "$(posts "stuck once")" 1 "  exactly one post"
is "$(sblog 'select(.path == "/v1.0/me/threads" and .method == "POST")' | wc -l | tr -d ' ')" 2 \
	"  two containers"
is "$(jq -r 'select(.key == "stuck1") | .event' "$LEDGER" | tr '\n' ' ')" "container container published " \
	"  both in the ledger, before the post"
sb POST /_control/config '{"publish_stuck": 2}' >/dev/null
clearlog
run th-post -k stuck2 --wait-timeout 2 "stuck twice"
is "$status" 75 "two containers stuck: 75"
like "$err" "*'media not found' (24/4279009) for 2 s to each of two FINISHED containers*nothing was posted*same --key*" \
	"  with a message that says what happened"
is "$(posts "stuck twice")" 0 "  and nothing was posted"
is "$(sblog 'select(.path == "/v1.0/me/threads" and .method == "POST")' | wc -l | tr -d ' ')" 2 \
	"  after two containers, not more"
run th-post -k stuck2 --wait-timeout 2 "stuck twice"
is "$status" 0 "run again with the same key: published"
is "$(posts "stuck twice")" 1 "  once"

# the quota check asks the reply fields only for replies, and never blocks
clearlog
run th-post "a plain post asks no reply quota"
is "$(sblogr 'select(.path == "/v1.0/me/threads_publishing_limit") | .query.fields')" "quota_usage,config" \
	"a plain post asks only quota_usage,config (the reply fields need threads_manage_replies)"
NOREPLY=THQVJnoreply$RANDOM$RANDOM
sb POST /_control/token "{\"token\": \"$NOREPLY\", \"scopes\": [\"threads_basic\", \"threads_content_publish\", \"threads_read_replies\"]}" >/dev/null
TH_ACCESS_TOKEN=$NOREPLY run th-post "posted without threads_manage_replies"
is "$status" 0 "a token without threads_manage_replies posts"
is "$err" "" "  without a warning"
root=$(echo "$out" | jq -r .id)
clearlog
fault '{"path": "threads_publishing_limit$", "status": 500, "error": {"message": "Application does not have permission for this action", "type": "OAuthException", "code": 10}}'
run th-post -r "$root" "a reply whose quota check is refused"
is "$status" 0 "a reply whose quota check is refused (code 10) goes out"
like "$err" "*warning: cannot check the publishing quota*permission*" "  with a warning"
is "$(sblogr 'select(.path == "/v1.0/me/threads_publishing_limit") | .query.fields')" \
	"quota_usage,config,reply_quota_usage,reply_config" "  a reply asks the reply fields"

clearlog
fault '{"path": "^/v1.0/me/threads$", "method": "POST", "drop": "after"}'
run th-post "the container answer was lost"
is "$status" 0 "a lost container answer: a new container (the orphan is never published)"
is "$(posts "the container answer was lost")" 1 "  one post"

# --- --key --------------------------------------------------------------------
clearlog
run th-post -k v1.2.3 "th 1.2.3 released: https://th.example/1.2.3"
is "$status" 0 "--key: first run publishes"
first=$(echo "$out" | jq -r .id)
clearlog
run th-post -k v1.2.3 "th 1.2.3 released: https://th.example/1.2.3"
is "$status" 0 "--key again: exit 0"
is "$(echo "$out" | jq -c '[.id == "'"$first"'", .duplicate]')" '[true,true]' \
	"  prints the earlier post with \"duplicate\": true"
is "$(writes)" 0 "  and sends no write request"
rm -rf "$XDG_STATE_HOME"
clearlog
run th-post -k v1.2.3 "th 1.2.3 released: https://th.example/1.2.3"
is "$(echo "$out" | jq -c '[.id == "'"$first"'", .duplicate]')" '[true,true]' \
	"--key on a fresh runner (no ledger): the post is found among recent posts"
is "$(writes)" 0 "  no write request"
is "$(posts "th 1.2.3 released: https://th.example/1.2.3")" 1 "  still one post"
run th-post -k v1.2.3 --window 1s "th 1.2.3 released: https://th.example/1.2.3"
is "$(echo "$out" | jq -r .duplicate)" true "the ledger now knows the key: --window does not matter"

# two runs with the same key at the same time take turns
pids=
for i in 1 2 3; do
	"$top_builddir/th-post" -k race "three runs, one post" >"$T/race.$i" 2>&1 &
	pids="$pids $!"
done
wait $pids
is "$(posts "three runs, one post")" 1 "three concurrent runs with one key: one post"
is "$(cat "$T"/race.* | jq -r '.duplicate // false' | sort | tr '\n' ' ')" "false true true " \
	"  one published it, two printed it as a duplicate"

# an unfinished container under the key is resumed, not created again
sb POST /_control/config '{"processing_delay": 30}' >/dev/null
clearlog
run th-post -k slow --wait-timeout 1 -i https://img.example/slow.png "slow media"
is "$status" 75 "--wait-timeout passes: 75"
like "$err" "*IN_PROGRESS*same --key*" "  saying how to resume"
sb POST /_control/clock '{"advance": 40}' >/dev/null
clearlog
run th-post -k slow --wait-timeout 1 -i https://img.example/slow.png "slow media"
is "$status" 0 "the same key later: the container is resumed"
is "$(sblog 'select(.path == "/v1.0/me/threads")' | wc -l | tr -d ' ')" 0 "  no new container"
sb POST /_control/config '{"processing_delay": 0}' >/dev/null

# a key whose post was deleted since: said so, exit 0, nothing sent;
# --republish publishes it again
run th-post -k rel-2 "release 2 is out"
del=$(echo "$out" | jq -r .id)
run th-delete --last 1
is "$(echo "$out" | jq -r .id)" "$del" "th-delete --last 1 takes the post back"
clearlog
run th-post -k rel-2 "release 2 is out"
is "$status" 0 "the same key after the post was deleted: exit 0"
is "$(echo "$out" | jq -c '[.id == "'"$del"'", .duplicate, .deleted]')" '[true,true,true]' \
	"  the post, with \"deleted\": true"
like "$err" "*key rel-2: post $del was deleted; nothing is sent (--republish publishes it again)*" \
	"  saying so"
is "$(writes)" 0 "  and no write request"
is "$(posts "release 2 is out")" 0 "  the post stays deleted"
run th-post -k rel-2 --republish "release 2 is out"
is "$status" 0 "--republish: published again"
again=$(echo "$out" | jq -r .id)
is "$(echo "$out" | jq -c '[.id != "'"$del"'", .duplicate, .deleted]')" '[true,null,null]' "  as a new post"
like "$err" "*post $del was deleted: publishing it again*" "  saying so"
is "$(posts "release 2 is out")" 1 "  one post"
run th-post -k rel-2 "release 2 is out"
is "$(echo "$out" | jq -c '[.id == "'"$again"'", .duplicate, .deleted]')" '[true,true,null]' \
	"  and the key now names the new post"

# a fresh runner (no ledger) looks at the account's posts again just
# before publishing: a parallel run that published meanwhile is found
sb POST /_control/config '{"processing_delay": 3}' >/dev/null
clearlog
XDG_STATE_HOME=$T/runner1 "$top_builddir/th-post" -k par -i https://img.example/p.png \
	"two runners, one announcement" >"$T/par1" 2>"$T/par1.err" &
pid=$!
sleep 1
XDG_STATE_HOME=$T/runner2 run th-post -k par "two runners, one announcement"
wait $pid
is "$?" 0 "a fresh runner whose twin published while its container was processed: exit 0"
is "$(jq -c '[.id == "'"$(echo "$out" | jq -r .id)"'", .duplicate]' "$T/par1")" '[true,true]' \
	"  it prints the twin's post as a duplicate"
is "$(posts "two runners, one announcement")" 1 "  one post"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 1 "  one publish request"
sb POST /_control/config '{"processing_delay": 0}' >/dev/null

# --- threads ----------------------------------------------------------------
para() { printf 'Paragraph %s. %s\n\n' "$1" "$(printf 'word%.0s ' $(seq 85))"; }
{ for i in 1 2 3 4 5; do para $i; done; } >"$T/long"
clearlog
fault '{"path": "^/v1.0/me/threads$", "method": "POST", "skip": 2, "status": 400, "error": {"message": "Invalid parameter", "type": "THApiException", "code": 100}}'
run th-post --thread --number -k chain -F "$T/long"
is "$status" 1 "a 5-part thread failing at part 3: exit 1"
is "$(echo "$out" | wc -l | tr -d ' ')" 2 "  two parts were published and printed"
run th-post --thread --number -k chain -F "$T/long"
is "$status" 0 "the same key again: the chain resumes at part 3"
is "$(echo "$out" | jq -c '.duplicate // false' | tr '\n' ' ')" "true true false false false " \
	"  one line per part, the first two marked duplicate"
ids=($(echo "$out" | jq -r .id))
chain=0
for i in 1 2 3 4; do
	r=$(echo "$out" | sed -n "$((i + 1))p" | jq -r .replied_to.id)
	[ "$r" = "${ids[$((i - 1))]}" ] || chain=1
done
is "$chain" 0 "  each part replies to the one before"
is "$(echo "$out" | jq -r '.text | capture("(?<n>[0-9]/[0-9])$").n' | tr '\n' ' ')" "1/5 2/5 3/5 4/5 5/5 " \
	"  numbered k/n"
is "$(echo "$out" | jq '.text | length <= 500' | sort -u)" true "  every part within 500"
total=0
for i in 1 2 3 4 5; do
	total=$((total + $(posts "$(echo "$out" | sed -n "${i}p" | jq -r .text)" \
		"$([ $i -eq 1 ] && echo threads || echo replies)")))
done
is "$total" 5 "  exactly 5 posts exist"

clearlog
run th-post --thread --number "short enough for one post"
is "$(echo "$out" | jq -r .text)" "short enough for one post" "a thread of one part is not numbered 1/1"

# --- batch -------------------------------------------------------------------
clearlog
run th-post --batch <<EOF
{"text": "batch one", "tag": "th"}
{"text": "$a500 too long"}
not json
{"text": "batch four", "image_urls": ["https://img.example/b1.png", "https://img.example/b2.png"]}
EOF
is "$status" 1 "--batch with bad records: exit 1"
is "$(echo "$out" | jq -c '[.text // .line, .media_type // .status]' | tr '\n' ' ')" \
	'["batch one","TEXT_POST"] [2,65] [3,65] ["batch four","CAROUSEL_ALBUM"] ' \
	"  one result line per record, bad ones with their line number"
like "$err" "*line 2: *limit is 500*" "  the message names the line and the rule"
is "$(posts "batch one")$(posts "batch four")" 11 "  the good records went out"

# --- output, usage, secrets ---------------------------------------------------
"$top_builddir/th-post" "to a full disk" >/dev/full 2>"$T/full.err"
is "$?" 74 "standard output that cannot be written: 74"
run th-post </dev/null
is "$status" 65 "no text, no media (empty stdin): 65"
run th-post -v --key secret-check "verbose run"
unlike "$out$err" "*$CANARY*" "-v: no trace of the token"
like "$err" "*Bearer \[REDACTED\]*" "  the header is shown redacted"
unlike "$(cat "$LEDGER")" "*$CANARY*" "the ledger holds no token"

# --- quota ------------------------------------------------------------------
sb POST /_control/config '{"quota_posts": 3}' >/dev/null
clearlog
run th-post "over the quota"
is "$status" 75 "quota spent: exit 75"
like "$err" "*quota spent*frees up at 20*UTC*" "  saying when it frees up"
is "$(writes)" 0 "  and no container was created"
run th-post -k v1.2.3 "th 1.2.3 released: https://th.example/1.2.3"
is "$status" 0 "a key already published is still a success with the quota spent"

done_testing

#!/bin/bash
# th-post and what Threads added in 2025-2026 (threads-api.md §12): ghost
# posts, reply approvals, GIPHY GIFs, spoilers in the text, the post
# intent. Each rule is checked before any request; each feature's exact
# container request, the record printed, and the sandbox as strict as the
# API; every request fits the request-shape table.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
shapes_start
form() {	# the container request's form, keys sorted
	sblog 'select(.path == "/v1.0/me/threads") | .form' | jq -cS .
}
refuse() {	# refuse STATUS DESC PATTERN ARGS...: nothing sent
	local st=$1 desc=$2 pat=$3
	shift 3
	keep
	run th-post "$@" </dev/null
	is "$status" "$st" "refused: $desc ($st)"
	like "$err" "*$pat*" "  the message names the rule"
	is "$(sblog | wc -l | tr -d ' ')" 0 "  and not one request was sent"
}
accept() {	# accept DESC ARGS...
	local desc=$1
	shift
	keep
	run th-post "$@" </dev/null
	is "$status" 0 "accepted: $desc"
	[ "$status" -eq 0 ] || printf '# %s\n' "$err"
}
ROOT=$("$top_builddir/th-api" --jq '.data[0].id' me/threads limit=1)

# --- ghost posts ---------------------------------------------------------------
keep
run th-post --ghost "gone tomorrow"
is "$status" 0 "a ghost post is published"
is "$(form)" '{"is_ghost_post":"true","media_type":"TEXT","text":"gone tomorrow"}' \
	"  its container: TEXT with is_ghost_post=true"
is "$(echo "$out" | jq -r '[.text, .ghost_post_status, (.ghost_post_expiration_timestamp | test("^20[0-9-]+T"))] | @tsv')" \
	"$(printf 'gone tomorrow\tACTIVE\ttrue')" "  printed with its status and when it expires"
like "$(sblogr 'select(.method == "GET" and (.path | test("^/v1.0/[0-9]+$"))) | .query.fields' | tail -1)" \
	"*,ghost_post_status,ghost_post_expiration_timestamp" "  the read-back asks for the ghost fields"
refuse 64 "a ghost post with media" "ghost post is text" --ghost -i https://img.example/g.png "g"
refuse 64 "a ghost reply" "cannot be a reply" --ghost -r "$ROOT" "g"
refuse 64 "a ghost --thread" "--thread" --ghost --thread "g"
refuse 64 "a ghost quote" "--quote" --ghost --quote "$ROOT" "g"
refuse 64 "a ghost poll" "--poll" --ghost --poll "a|b" "g"
refuse 64 "a ghost GIF" "--gif" --ghost --gif 3o85xEFRBYvAnamJnG "g"
refuse 64 "a ghost link" "--link" --ghost --link https://l.example/ "g"
printf 'long\n' >"$T/att"
refuse 64 "a ghost text attachment" "--attachment" --ghost --attachment "$T/att" "g"
refuse 64 "a ghost topic tag" "--tag" --ghost --tag ghosts "g"
refuse 64 "a ghost location" "--location" --ghost --location 7654321 "g"
refuse 64 "ghost countries" "--countries" --ghost --countries US "g"
refuse 64 "ghost reply control" "--reply-control" --ghost --reply-control everyone "g"
refuse 64 "ghost reply approvals" "--reply-approvals" --ghost --reply-approvals "g"
accept "a ghost post with text spoilers" --ghost --text-spoilers "the end: ||they win||"
is "$(form)" '{"is_ghost_post":"true","media_type":"TEXT","text":"the end: they win","text_entities":"[{\"entity_type\":\"SPOILER\",\"offset\":9,\"length\":8}]"}' \
	"  its container carries the spoiler"
keep
run th-post --batch <<'EOF'
{"text": "ghost from a batch", "ghost": true}
{"text": "a ghost may not reply", "ghost": true, "reply_to": "17890000000000001"}
EOF
is "$status" 1 "--batch: the key ghost (one record good, one refused: 1)"
is "$(echo "$out" | jq -c '[.ghost_post_status // .status]' | tr '\n' ' ')" '["ACTIVE"] [64] ' \
	"  the ghost post, then the refused record's line"
is "$(sblog 'select(.path == "/v1.0/me/threads") | .form.is_ghost_post' | tr '\n' ' ')" '"true" ' \
	"  one container, a ghost"
keep
code=$(curl -s -o "$T/sbout" -w '%{http_code}' -H "Authorization: Bearer $(cat "$T/.canary" | head -1)" \
	--data-urlencode media_type=TEXT --data-urlencode text=x --data-urlencode is_ghost_post=true \
	--data-urlencode topic_tag=t "$SB/v1.0/me/threads")
is "$code:$(jq -r .error.message "$T/sbout")" \
	"400:The only feature supported with ghost posts is text spoilers, not topic_tag" \
	"the sandbox refuses a ghost post with a topic tag, as the API's docs say"
clearlog

# --- reply approvals -------------------------------------------------------------
accept "reply approvals on an image post" --reply-approvals -i https://img.example/r.png "moderated"
is "$(form)" '{"enable_reply_approvals":"true","image_url":"https://img.example/r.png","media_type":"IMAGE","text":"moderated"}' \
	"  its container: enable_reply_approvals=true"
para() { printf 'Paragraph %s. %s\n\n' "$1" "$(printf 'word%.0s ' $(seq 85))"; }
{ para 1; para 2; } >"$T/long"
accept "reply approvals on a thread" --reply-approvals --thread -F "$T/long"
is "$(sblog 'select(.path == "/v1.0/me/threads") | .form.enable_reply_approvals' | tr '\n' ' ')" \
	'"true" "true" ' "  on every part: each holds its own replies"
keep
run th-post --batch <<<'{"text": "approvals from a batch", "reply_approvals": true}'
is "$status:$(form)" '0:{"enable_reply_approvals":"true","media_type":"TEXT","text":"approvals from a batch"}' \
	"--batch: the key reply_approvals"

# --- GIFs ---------------------------------------------------------------------------
accept "a GIPHY id" --gif 3o85xEFRBYvAnamJnG "a gif"
is "$(form)" '{"gif_attachment":"{\"gif_id\":\"3o85xEFRBYvAnamJnG\",\"provider\":\"GIPHY\"}","media_type":"TEXT","text":"a gif"}' \
	"  sent as gif_attachment, a JSON string naming GIPHY"
is "$(echo "$out" | jq -r .gif_url)" "https://media2.giphy.com/media/3o85xEFRBYvAnamJnG/200.gif" \
	"  printed with its gif_url"
for u in https://giphy.com/gifs/cat-funny-3o85xEFRBYvAnamJnG \
	https://media.giphy.com/media/3o85xEFRBYvAnamJnG/giphy.gif giphy:3o85xEFRBYvAnamJnG; do
	accept "a GIPHY page or media URL: $u" --gif "$u" "a gif"
	is "$(sblog 'select(.path == "/v1.0/me/threads") | .form.gif_attachment | fromjson | .gif_id')" \
		'"3o85xEFRBYvAnamJnG"' "  the id taken from it"
done
refuse 65 "a Tenor id (digits)" "Threads retired Tenor GIFs on 2026-03-31" --gif 16185153483944881729 "t"
refuse 65 "a tenor: id" "retired Tenor" --gif tenor:abc "t"
refuse 65 "a Tenor URL" "retired Tenor" --gif https://tenor.com/view/cat-gif-16185153483944881729 "t"
refuse 65 "a GIF id that is not GIPHY's" "not a GIPHY id" --gif "a-b!c" "t"
refuse 65 "a URL of another site" "not a GIPHY id" --gif https://gifs.example/x "t"
refuse 64 "a GIF with an image" "text post" --gif 3o85xEFRBYvAnamJnG -i https://img.example/a.png "t"
keep
run th-post --batch <<<'{"text": "gif from a batch", "gif": "https://giphy.com/gifs/xT9IgG50Fb7Mi0prBC"}'
is "$status:$(sblog 'select(.path == "/v1.0/me/threads") | .form.gif_attachment')" \
	'0:"{\"gif_id\":\"xT9IgG50Fb7Mi0prBC\",\"provider\":\"GIPHY\"}"' "--batch: the key gif"
keep
code=$(curl -s -o "$T/sbout" -w '%{http_code}' -H "Authorization: Bearer $(head -1 "$T/.canary")" \
	--data-urlencode media_type=TEXT --data-urlencode text=x \
	--data-urlencode 'gif_attachment={"gif_id":"16185153483944881729","provider":"TENOR"}' "$SB/v1.0/me/threads")
like "$code:$(jq -r .error.message "$T/sbout")" "400:*must be GIPHY*" "the sandbox refuses a TENOR GIF"
clearlog

# --- spoilers in the text -------------------------------------------------------------
accept "spoilers in the text, offsets in UTF-16 units" --text-spoilers \
	'😀 The butler ||did it|| in the ||🏠 hall|| \|\| ok'
is "$(sblog 'select(.path == "/v1.0/me/threads") | .form | [.text, (.text_entities | fromjson)]' | jq -c .)" \
	'["😀 The butler did it in the 🏠 hall || ok",[{"entity_type":"SPOILER","offset":14,"length":6},{"entity_type":"SPOILER","offset":28,"length":7}]]' \
	"  the marks out of the text, \\| a bar, each emoji 2 units"
is "$(echo "$out" | jq -c '[.text, .text_entities.data[].offset]')" '["😀 The butler did it in the 🏠 hall || ok",14,28]' \
	"  printed with its text_entities"
accept "no marks without --text-spoilers" "a || b || c"
is "$(form)" '{"media_type":"TEXT","text":"a || b || c"}' "  the bars are text"
ten=$(for i in $(seq 10); do printf '||s%d|| ' "$i"; done)
accept "10 spoilers" --text-spoilers "$ten"
refuse 65 "11 spoilers" "at most 10" --text-spoilers "$ten ||s11||"
refuse 65 "a mark left open" "not closed" --text-spoilers "the ||end"
refuse 65 "an empty spoiler" "empty" --text-spoilers "the |||| end"
refuse 64 "spoilers in a --thread" "not a --thread" --text-spoilers --thread "a ||b||"
accept "spoilers on an image post" --text-spoilers -i https://img.example/s.png "the ||twist||"
is "$(sblog 'select(.path == "/v1.0/me/threads") | .form.text_entities')" \
	'"[{\"entity_type\":\"SPOILER\",\"offset\":4,\"length\":5}]"' "  on the IMAGE container"
keep
run th-post --batch <<<'{"text": "batch ||spoiler||", "text_spoilers": true}'
is "$status:$(sblog 'select(.path == "/v1.0/me/threads") | .form.text')" '0:"batch spoiler"' \
	"--batch: the key text_spoilers"
keep
code=$(curl -s -o "$T/sbout" -w '%{http_code}' -H "Authorization: Bearer $(head -1 "$T/.canary")" \
	--data-urlencode media_type=TEXT --data-urlencode text=😀ab \
	--data-urlencode 'text_entities=[{"entity_type":"SPOILER","offset":2,"length":3}]' "$SB/v1.0/me/threads")
like "$code:$(jq -r .error.message "$T/sbout")" "400:InputOutOfBounds*" \
	"the sandbox refuses a spoiler past the text (counted in UTF-16 units)"
clearlog

# --- the post intent: no token, no request --------------------------------------------
keep
(unset TH_ACCESS_TOKEN; run th-post --intent --link https://th.example/a --tag rust \
	--reply-control followers_only -r https://www.threads.com/@meta/post/Cx1AbC \
	--quote https://www.threads.net/@orbit_daily/post/DQ2z "café & ümlauts?"
	echo "$status" >"$T/ist"; echo "$out" >"$T/iout"; echo "$err" >"$T/ierr")
is "$(cat "$T/ist")" 0 "th-post --intent without a token"
is "$(cat "$T/iout")" '{"text":"café & ümlauts?","url":"https://www.threads.com/intent/post?text=caf%C3%A9%20%26%20%C3%BCmlauts%3F&url=https%3A%2F%2Fth.example%2Fa&tag=rust&reply_control=followers_only&reply_post_shortcode=Cx1AbC&quote_post_shortcode=DQ2z"}' \
	"  prints the text and its intent URL, percent-encoded, permalinks as shortcodes"
is "$(sblog | wc -l | tr -d ' ')" 0 "  and sends nothing"
refuse 65 "an intent replying to an id" "by its permalink" --intent -r "$ROOT" "hi"
refuse 65 "an intent with parent_post_author_only" "intent page takes" --intent \
	--reply-control parent_post_author_only "hi"
refuse 64 "an intent with a poll" "--intent takes" --intent --poll "a|b" "hi"
refuse 64 "an intent with an image" "not media" --intent -i https://img.example/a.png "hi"
refuse 65 "an intent of 501 characters" "limit is 500" --intent "$(printf 'a%.0s' $(seq 501))"
keep
run th-post --intent --batch <<'EOF'
{"text": "one"}
{"text": "two", "link": "https://th.example/2"}
EOF
is "$status:$(echo "$out" | jq -r .url | tr '\n' ' ')" \
	"0:https://www.threads.com/intent/post?text=one https://www.threads.com/intent/post?text=two&url=https%3A%2F%2Fth.example%2F2 " \
	"--intent --batch: one URL per record"
is "$(sblog | wc -l | tr -d ' ')" 0 "  and nothing sent"

# --- the key knows the new options --------------------------------------------------------
accept "a key for a GIF post" -k gifkey --gif 3o85xEFRBYvAnamJnG "keyed"
keep
run th-post -k gifkey --gif xT9IgG50Fb7Mi0prBC "keyed"
is "$status" 65 "the key again with another GIF: 65"
like "$err" "*key 'gifkey' already made post * with another GIF:*" "  naming what differs"
run th-post -k gifkey --gif 3o85xEFRBYvAnamJnG --reply-approvals "keyed"
like "$status:$err" "65:*with another reply approval setting:*" "  and so for reply approvals"
is "$(sblog 'select(.method == "POST")' | wc -l | tr -d ' ')" 0 "  and nothing was written"

# --- every request fits the table ------------------------------------------------------------
shapes_check
done_testing

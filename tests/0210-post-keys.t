#!/bin/bash
# th-post --key: a dry run looks the key up as the real run does, and a
# key is for one post (issue 19).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
LEDGER="$XDG_STATE_HOME/th/ledger"

writes() {	# requests that are not reads
	sblog 'select(.method != "GET") | .path' | wc -l | tr -d ' '
}
fresh() {	# a fresh CI runner: no ledger
	rm -rf "$XDG_STATE_HOME"
}
para() { printf 'Paragraph %s. %s\n\n' "$1" "$(printf 'word%.0s ' $(seq 85))"; }
{ for i in 1 2 3; do para $i; done; } >"$T/long"

# --- a dry run does the real run's look-ups ----------------------------------
run th-post -k rel-1 "th 1.0 is out"
is "$status" 0 "a release announced under a key"
id=$(echo "$out" | jq -r .id)
fresh
clearlog
run th-post -n -k rel-1 "th 1.0 is out"
dst=$status dout=$out derr=$err
is "$dst" 0 "-n on a fresh runner whose post is out there: exit 0"
is "$(echo "$dout" | jq -c '[.id, .duplicate, .dry_run, .text]')" "[\"$id\",true,null,\"th 1.0 is out\"]" \
	"  the post is found and printed as a duplicate, not as requests"
is "$(sblogr '[.method, .path] | join(" ")' | tr '\n' ';')" \
	"GET /v1.0/me;GET /v1.0/me/threads;GET /v1.0/$id;" \
	"  by reads only: who am I, the account's posts, the post read back"
ok "$([ ! -e "$LEDGER" ] && echo 0 || echo 1)" "  and the ledger is not written"
clearlog
run th-post -k rel-1 "th 1.0 is out"
is "$status" "$dst" "the real run on a fresh runner: the same exit status"
is "$out" "$dout" "  the same output"
is "$err" "$derr" "  the same messages"
is "$(writes)" 0 "  and no write either"
clearlog
run th-post -n -k rel-1 "th 1.0 is out"
is "$status $out" "0 $dout" "-n when the ledger knows the key: the duplicate as the real run prints it"
is "$(writes)" 0 "  no write"

# a thread: every part found, or the parts found and the requests for the rest
run th-post --thread -k chain -F "$T/long"
real=$out
fresh
clearlog
run th-post -n --thread -k chain -F "$T/long"
is "$status" 0 "-n --thread on a fresh runner: exit 0"
is "$(echo "$out" | jq -c '[.id, .duplicate]' | tr '\n' ' ')" \
	"$(echo "$real" | jq -c '[.id, true]' | tr '\n' ' ')" "  each part found and printed as a duplicate"
is "$(sblogr .method | sort -u)" GET "  with reads only"
dout=$out
run th-post --thread -k chain -F "$T/long"
is "$status $out" "0 $dout" "  as the real run prints them"

sb POST /_control/faults/clear >/dev/null
fault '{"path": "^/v1.0/me/threads$", "method": "POST", "skip": 1, "status": 400, "error": {"message": "Invalid parameter", "type": "THApiException", "code": 100}}'
sed 's/^Paragraph/Section/' "$T/long" >"$T/long2"
run th-post --thread -k cut -F "$T/long2"
is "$status" 1 "a thread stopped after part 1"
p1=$(echo "$out" | jq -r .id)
sb POST /_control/faults/clear >/dev/null
fresh
clearlog
run th-post -n --thread -k cut -F "$T/long2"
is "$status" 0 "-n on a fresh runner: exit 0"
is "$(echo "$out" | jq -c 'if .dry_run then [.path, .params.reply_to_id // .params.creation_id] else [.id, .duplicate] end' | tr '\n' ' ')" \
	"[\"$p1\",true] [\"/v1.0/me/threads\",\"$p1\"] [\"/v1.0/me/threads_publish\",\"<container of part 2>\"] [\"/v1.0/me/threads\",\"<post of part 2>\"] [\"/v1.0/me/threads_publish\",\"<container of part 3>\"] " \
	"  part 1 found (a duplicate), the requests of parts 2 and 3, part 2 replying to part 1"
is "$(sblogr '.path' | sed "s/$p1/P1/" | tr '\n' ' ')" \
	"/v1.0/me /v1.0/me/threads /v1.0/P1 /v1.0/me/replies /v1.0/me/threads_publishing_limit " \
	"  by the real run's reads: part 1 found (and read back), part 2 not, the quota"
run th-post --thread -k cut -F "$T/long2"
p2=$(echo "$out" | sed -n 2p | jq -r .id)
is "$(echo "$out" | jq -c '[.duplicate, .replied_to.id // null]' | sed "s/$p1/P1/; s/$p2/P2/" | tr '\n' ' ')" \
	'[true,null] [null,"P1"] [null,"P2"] ' "  and the real run then does what -n said"

# --batch: each record looked up
run th-post -k b1 "batch keyed one"
b1=$(echo "$out" | jq -r .id)
fresh
clearlog
run th-post -n --batch <<'EOF'
{"text": "batch keyed one", "key": "b1"}
{"text": "batch keyed two", "key": "b2"}
EOF
is "$status" 0 "-n --batch on a fresh runner: exit 0"
is "$(echo "$out" | jq -c '[.id // .path, .duplicate // .params.text]' | tr '\n' ' ')" \
	"[\"$b1\",true] [\"/v1.0/me/threads\",\"batch keyed two\"] [\"/v1.0/me/threads_publish\",null] " \
	"  the record published before is a duplicate, the other one's requests follow"
is "$(sblogr .method | sort -u)" GET "  with reads only"

# --- a key is for one post -----------------------------------------------------
run th-post -k v1.2 "th 1.2 is out"
id=$(echo "$out" | jq -r .id)
link=$(echo "$out" | jq -r .permalink)
clearlog
run th-post -k v1.2 "th 1.2 is out, with notes"
is "$status" 65 "the same key with another text: 65"
is "$err" "th-post: key 'v1.2' already made post $id ($link) with another text: reuse a key only for the same post" \
	"  naming the key, the post it made and what differs"
is "$out" "" "  nothing printed"
is "$(writes)" 0 "  and nothing sent"
run th-post -n -k v1.2 "th 1.2 is out, with notes"
is "$status $err" "65 th-post: key 'v1.2' already made post $id ($link) with another text: reuse a key only for the same post" \
	"  -n says the same"
run th-post -k v1.2 "th 1.2 is out"
is "$(echo "$out" | jq -c '[.id, .duplicate]')" "[\"$id\",true]" "the same key with the same post: still a duplicate"

run th-post -k opts --tag rust "tagged release"
id=$(echo "$out" | jq -r .id)
link=$(echo "$out" | jq -r .permalink)
clearlog
run th-post -k opts --tag go --link https://th.example/x "tagged release"
is "$status" 65 "the same text with another tag and a link: 65"
is "$err" "th-post: key 'opts' already made post $id ($link) with another topic tag and another link attachment: reuse a key only for the same post" \
	"  naming each thing that differs"
is "$(writes)" 0 "  and nothing sent"
run th-post -k opts --tag '#rust' "tagged release"
is "$(echo "$out" | jq -c '[.id, .duplicate]')" "[\"$id\",true]" "  the tag as sent (no '#') is what counts"
run th-post -k opts -r "$id" --tag rust "tagged release"
like "$err" "*with another reply target:*" "a reply target that differs is named"
run th-post -k opts --tag rust --reply-control mentioned_only "tagged release"
like "$err" "*with another reply control:*" "so is a reply control"

# a container not published yet is the key's too
sb POST /_control/config '{"processing_delay": 30}' >/dev/null
run th-post -k slow --wait-timeout 1 -i https://img.example/slow.png "slow media"
is "$status" 75 "a key whose container is still processed: 75"
cid=$(jq -r 'select(.key == "slow" and .event == "container") | .container' "$LEDGER")
clearlog
run th-post -k slow --wait-timeout 1 -i https://img.example/other.png "slow media"
is "$status $err" "65 th-post: key 'slow' already made container $cid (not published yet) with other media: reuse a key only for the same post" \
	"the same key with other media before the first is published: 65, naming the container"
is "$(writes)" 0 "  nothing sent"
sb POST /_control/config '{"processing_delay": 0}' >/dev/null

# a ledger written before digests: accepted as before
run th-post -k old "before digests"
id=$(echo "$out" | jq -r .id)
jq -c 'del(.digest)' "$LEDGER" >"$T/ledger" && cat "$T/ledger" >"$LEDGER"
run th-post -k old "another text, under an old record"
is "$status" 0 "a key whose records have no digest (an earlier th): not compared, exit 0"
is "$(echo "$out" | jq -c '[.id, .duplicate]')" "[\"$id\",true]" "  the post it made, as a duplicate"

# a fresh runner compares what the API shows of the post found
run th-post -k t1 --tag rust "same words, other tag"
id=$(echo "$out" | jq -r .id)
link=$(echo "$out" | jq -r .permalink)
fresh
clearlog
run th-post -k t1 --tag go "same words, other tag"
is "$status" 65 "a fresh runner: the post found by its text has another tag: 65"
is "$err" "th-post: key 't1' already made post $id ($link), found by its text among your recent posts, with another topic tag: reuse a key only for the same post" \
	"  saying how it was found and what differs"
is "$(writes)" 0 "  nothing sent"
ok "$([ ! -e "$LEDGER" ] && echo 0 || echo 1)" "  nothing recorded"
run th-post -k t1 -n -i https://img.example/t.png --tag rust "same words, other tag"
is "$status $err" "65 th-post: key 't1' already made post $id ($link), found by its text among your recent posts, with other media: reuse a key only for the same post" \
	"  -n too, and media of another kind"

# a thread is compared part by part
sed 's/^Paragraph 3\./Paragraph three./' "$T/long" >"$T/long3"
run th-post --thread -k thr -F "$T/long"
ids=($(echo "$out" | jq -r .id))
links=($(echo "$out" | jq -r .permalink))
clearlog
run th-post --thread -k thr -F "$T/long3"
is "$status $err" "65 th-post: key 'thr' already made post ${ids[2]} (${links[2]}) as part 3 with another text: reuse a key only for the same post" \
	"a thread whose part 3 differs: 65, naming part 3's post"
is "$(writes)" 0 "  nothing sent"
{ para 1; para 2; } >"$T/long12"
run th-post --thread -k thr -F "$T/long12"
is "$status $err" "65 th-post: key 'thr' already made a thread of at least 3 parts, starting with post ${ids[0]} (${links[0]}); this one has 2: reuse a key only for the same post" \
	"a thread of fewer parts: 65"

# --batch: the record is the one refused
run th-post --batch <<'EOF'
{"text": "th 1.2 is out", "key": "v1.2"}
{"text": "th 1.2 is out, again", "key": "v1.2"}
EOF
is "$status" 1 "--batch: a record reusing a key for another text fails"
is "$(echo "$out" | sed -n 2p | jq -c '[.line, .status, (.error | test("^key .v1.2. already made post [0-9]+ .* with another text: "))]')" \
	'[2,65,true]' "  its result line says why, with 65"

done_testing

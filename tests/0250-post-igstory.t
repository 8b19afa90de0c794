#!/bin/bash
# Share to Instagram Stories (threads-api.md §12.9): th-post
# --instagram-story light|dark sends crossreshare_to_ig (or its dark
# twin) on the first container, never on a reply or a ghost post, and
# prints the outcome as crossreshare_to_ig_status; a FAILED share warns
# and exits 0 (the post is out). Every request fits the shape table.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
shapes_start
forms() {	# the container requests' forms, keys sorted, one per line
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

# --- light: crossreshare_to_ig on the container, the status printed ------------------------
keep
run th-post --instagram-story light "to the story"
is "$status" 0 "--instagram-story light: published"
is "$(forms)" '{"crossreshare_to_ig":"true","media_type":"TEXT","text":"to the story"}' \
	"  the container carries crossreshare_to_ig=true, nothing else new"
is "$(echo "$out" | jq -r '[.text, .crossreshare_to_ig_status] | join(" ")')" \
	"to the story SUCCESS" "  the post is printed with crossreshare_to_ig_status"
is "$err" "" "  and nothing on stderr"
is "$(sblogr 'select(.path == "/v1.0/me/threads_publish") | .form | keys | join(",")')" \
	creation_id "  the publish request is as always"

# --- dark: the dark-mode parameter instead --------------------------------------------------
keep
run th-post --instagram-story dark -i https://cdn.example/a.jpg "dark story"
is "$status" 0 "--instagram-story dark with an image: published"
is "$(forms | jq -c '[.crossreshare_to_ig, .crossreshare_to_ig_dark_mode, .media_type]')" \
	'[null,"true","IMAGE"]' "  crossreshare_to_ig_dark_mode=true alone, on an image post"

# --- a thread: the first part only -----------------------------------------------------------
keep
long=$(printf 'word %.0s' $(seq 150))
run th-post --thread --instagram-story light "$long"
is "$status" 0 "--thread --instagram-story: published"
is "$(forms | jq -r '.crossreshare_to_ig // "-"' | tr '\n' ' ')" "true - " \
	"  only the first of the two containers is shared"
is "$(echo "$out" | jq -r '.crossreshare_to_ig_status // "-"' | tr '\n' ' ')" "SUCCESS - " \
	"  and only the first record has the status"

# --- no Instagram account linked: FAILED, a warning, exit 0 ---------------------------------
sb POST /_control/config '{"ig_linked": false}' >/dev/null
keep
run th-post --instagram-story light "no ig here"
is "$status" 0 "a share that FAILED: the post is out, exit 0"
is "$(echo "$out" | jq -r .crossreshare_to_ig_status)" FAILED "  the record says FAILED"
like "$err" "*is published; sharing it to Instagram Stories answered FAILED*" \
	"  and a warning says so"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 1 \
	"  published once"
sb POST /_control/config '{"ig_linked": true}' >/dev/null

# --- the scope: without threads_share_to_instagram the container is refused ----------------
sb POST /_control/token '{"token": "noig", "scopes": ["threads_basic", "threads_content_publish"]}' >/dev/null
keep
TH_ACCESS_TOKEN=noig run th-post --instagram-story light "no scope"
is "$status" 77 "without threads_share_to_instagram: 77"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 0 \
	"  and nothing was published"
keep
TH_ACCESS_TOKEN=noig run th-post "no scope, no story"
is "$status" 0 "  the same token posts without --instagram-story"

# --- rules checked before any request -----------------------------------------------------------
refuse 64 "a mode other than light or dark" "--instagram-story 'blue': light or dark" \
	--instagram-story blue "x"
refuse 64 "on a reply" "not a reply (--reply-to)" --instagram-story light -r 1 "x"
refuse 64 "on a ghost post" "not with --instagram-story" --ghost --instagram-story dark "x"
refuse 64 "with --intent" "not --instagram-story" --intent --instagram-story light "x"
run th-post --instagram-story light -r 1 "x"
is "$status" 64 "  (passing: the same without -r is accepted, above)"

# --- --batch and --dry-run -------------------------------------------------------------------------
keep
run th-post --batch <<'EOF'
{"text": "batch story", "instagram_story": "dark"}
{"text": "batch plain"}
{"text": "batch bad", "instagram_story": "sepia"}
EOF
is "$status" 1 "--batch: a run with a refused record exits 1"
is "$(echo "$out" | jq -c 'if .error then [.line, .status] else [.text, .crossreshare_to_ig_status] end' | tr '\n' ' ')" \
	'["batch story","SUCCESS"] ["batch plain",null] [3,64] ' \
	"  instagram_story in a record is that post's; the others are untouched"
keep
run th-post -n --instagram-story dark "dry"
is "$status" 0 "--dry-run"
is "$(echo "$out" | jq -r 'select(.path == "/v1.0/me/threads") | .params.crossreshare_to_ig_dark_mode')" \
	true "  shows crossreshare_to_ig_dark_mode in the container's params"
is "$(sblog 'select(.method == "POST")' | wc -l | tr -d ' ')" 0 "  and sends no write"

# --- a key: another share setting is another request --------------------------------------------
keep
run th-post -k igkey --instagram-story light "keyed story"
is "$status" 0 "a key with --instagram-story"
run th-post -k igkey --instagram-story dark "keyed story"
like "$status:$err" "65:*with another Instagram Stories share*" \
	"  the key again with dark: 65, naming it"
run th-post -k igkey --instagram-story light "keyed story"
is "$status:$(echo "$out" | jq -c .duplicate)" "0:true" \
	"  the key again as it was: the same post, a duplicate"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 1 \
	"  published once in all"

# --- the sandbox is as strict as the docs ----------------------------------------------------------
keep
post() {	# a container request straight to the sandbox
	curl -sS -H "Authorization: Bearer $TH_ACCESS_TOKEN" --data-urlencode media_type=TEXT \
		--data-urlencode text=x "$@" "$SB/v1.0/me/threads"
}
is "$(post -d crossreshare_to_ig=true -d crossreshare_to_ig_dark_mode=true | jq -r .error.code)" 100 \
	"sandbox: both share parameters at once are refused"
is "$(post -d crossreshare_to_ig=yes | jq -r .error.code)" 100 \
	"sandbox: a share parameter that is not a boolean is refused"
is "$(post -d crossreshare_to_ig=true -d is_ghost_post=true | jq -r .error.code)" 100 \
	"sandbox: a ghost post that is shared is refused"
clearlog

# --- every request fits the table ------------------------------------------------------------------
shapes_check
done_testing

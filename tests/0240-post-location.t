#!/bin/bash
# Location tagging (threads-api.md §12.4): th-post --location takes an id,
# a place's name or LAT,LON, a name or coordinates resolved by location
# search to one clear match (else 65 and the candidates on stdout);
# th-search --place searches places on their own; th-auth asks for
# threads_location_tagging; th-stats --quota shows the search quota.
# Text attachments whole (§12.6): the long text with its link and its
# styling ranges. Each rule is checked before any request; every request
# fits the request-shape table.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
shapes_start
form() {	# the container request's form, keys sorted
	sblog 'select(.path == "/v1.0/me/threads") | .form' | jq -cS .
}
searches() {	# the location searches' queries, keys sorted
	sblog 'select(.path == "/v1.0/location_search") | .query' | jq -cS .
}
refuse() {	# refuse STATUS DESC PATTERN PROG ARGS...: nothing sent
	local st=$1 desc=$2 pat=$3
	shift 3
	keep
	run "$@" </dev/null
	is "$status" "$st" "refused: $desc ($st)"
	like "$err" "*$pat*" "  the message names the rule"
	is "$(sblog | wc -l | tr -d ' ')" 0 "  and not one request was sent"
}
F=id,name,address,city,country,latitude,longitude,postal_code

# --- th-post --location: an id, as before ------------------------------------------
keep
run th-post --location 7640348500 "at an id"
is "$status" 0 "--location with an id is published"
is "$(form)" '{"location_id":"7640348500","media_type":"TEXT","text":"at an id"}' \
	"  its container carries location_id as given"
is "$(searches)" "" "  and no location search is made"

# --- a name: one clear match ----------------------------------------------------------
keep
run th-post --location "Meta HQ" "at a name"
is "$status" 0 "--location with a place's name is published"
is "$(searches)" "{\"fields\":\"$F\",\"q\":\"Meta HQ\"}" \
	"  the name is searched: q and every place field"
is "$(form)" '{"location_id":"7640348500","media_type":"TEXT","text":"at a name"}' \
	"  the container carries the id of the one place found"
is "$(sblogr '.path' | head -1)" /v1.0/location_search "  the search is the first request"
is "$(echo "$out" | jq -r '[.text, .location_id] | @tsv')" "$(printf 'at a name\t7640348500')" \
	"  the post is printed as read back, with its location_id"

keep
run th-post --location "ichiran shibuya" "case"
is "$status:$(form | jq -r .location_id)" 0:106078429431815 \
	"a name matches whatever its case (the id is a string: it was a number in the answer)"

# --- coordinates -------------------------------------------------------------------------
keep
run th-post --location "35.66, 139.70" "at coordinates"
is "$status" 0 "--location with LAT,LON is published"
is "$(searches)" "{\"fields\":\"$F\",\"latitude\":\"35.66\",\"longitude\":\"139.70\"}" \
	"  searched by latitude and longitude, as typed"
is "$(form | jq -r .location_id)" 106078429431815 "  and tagged with the one place there"

# --- more than one match: 65, the candidates on stdout ------------------------------------
keep
run th-post --location Springfield "which one"
is "$status" 65 "a name two places share: 65"
like "$err" "*location 'Springfield': 2 places match; give one's id*" "  the message says so"
is "$(echo "$out" | jq -r '[.id, .name, .postal_code] | @tsv' | tr '\n' ' ')" \
	"$(printf '110843418940484\tSpringfield\t62701 104089162959280\tSpringfield\t01103 ')" \
	"  the candidates are printed, one NDJSON record each, ids as strings"
is "$(sblog 'select(.method == "POST")' | wc -l | tr -d ' ')" 0 "  and nothing was posted"

keep
run th-post --location "Spring" "partial"
is "$status" 65 "a name only part of two places' names: 65 too"
keep
run th-post --location "Nowhere At All" "lost"
is "$status" 65 "a name no place has: 65"
like "$err" "*location 'Nowhere At All': no place found*" "  the message says so"
is "$(echo "$out")" "" "  nothing on stdout"
is "$(sblog 'select(.method == "POST")' | wc -l | tr -d ' ')" 0 "  and nothing was posted"

keep
run th-post -n --location "Meta HQ" "dry"
is "$status:$(echo "$out" | jq -r 'select(.dry_run and .params.location_id) | .params.location_id')" 0:7640348500 \
	"a dry run makes the search (a read) and shows the id it would send"
is "$(sblog 'select(.method == "POST")' | wc -l | tr -d ' ')" 0 "  and sends nothing"

# --- the rules, before any request -------------------------------------------------------
refuse 65 "a latitude past 90" "latitude -90 to 90" th-post --location "91,10" "x"
refuse 65 "a longitude past 180" "longitude -180 to 180" th-post --location "10,-180.5" "x"
refuse 65 "a place name with a control character" "control character" \
	th-post --location "$(printf 'Meta\001HQ')" "x"
refuse 65 "a blank place name" "an id, a place's name" th-post --location "   " "x"
refuse 65 "a place name of 201 bytes" "1 to 200 bytes" th-post --location "$(printf 'a%.0s' $(seq 201))" "x"
keep
run th-post --location "-90,180" "the corner of the map"
is "$status" 65 "coordinates at the very limits are valid (the search finds nothing there: 65)"
like "$err" "*no place found*" "  it was searched"
keep
run th-post --location "1e5,2" "not coordinates"
like "$status:$(searches)" "65:*\"q\":\"1e5,2\"*" "what is not LAT,LON in decimals is a name"

# --- --batch and the key ----------------------------------------------------------------------
keep
run th-post --batch <<'EOF'
{"text": "batch at a name", "location": "Meta HQ"}
{"text": "batch at two", "location": "Springfield"}
EOF
is "$status" 1 "--batch: a record whose place is not clear fails, the batch goes on"
is "$(form | jq -r .location_id)" 7640348500 "  the record with a clear name is tagged with its id"
is "$(echo "$out" | jq -c 'select(.line) | [.line, .status]')" '[2,65]' "  the other's error line"

keep
run th-post -k placekey --location "Meta HQ" "keyed place"
is "$status" 0 "a key with a place's name"
keep
run th-post -k placekey --location 7640348500 "keyed place"
is "$status:$(echo "$out" | jq -r .duplicate)" 0:true \
	"the same key with the place's id: the same post (the key records the id)"
keep
run th-post -k placekey --location "35.66,139.70" "keyed place"
is "$status" 65 "the same key at another place: 65"
like "$err" "*with another location*" "  naming what differs"
is "$(sblog 'select(.method == "POST")' | wc -l | tr -d ' ')" 0 "  and nothing was written"

# --- the sandbox is as strict as the API ------------------------------------------------------
sb POST /_control/token '{"token": "noplace", "scopes": ["threads_basic", "threads_content_publish"]}' >/dev/null
keep
TH_ACCESS_TOKEN=noplace run th-post --location "Meta HQ" "no scope"
is "$status" 77 "without threads_location_tagging the search is refused: 77"
like "$err" "*cannot search places:*" "  the message says what failed"
is "$(sblog 'select(.method == "POST")' | wc -l | tr -d ' ')" 0 "  and nothing was posted"
TH_ACCESS_TOKEN=noplace run th-post --location 7640348500 "no scope"
is "$status" 77 "  and so is a location id on a post"
sb POST /_control/token '{"token": "oldscopes", "scopes": ["threads_basic", "threads_content_publish", "threads_manage_replies", "threads_read_replies", "threads_delete", "threads_manage_insights"]}' >/dev/null
clearlog
TH_ACCESS_TOKEN=oldscopes run th-stats --quota
is "$status" 0 "th-stats --quota with a token from before location tagging: 0"
is "$(echo "$out" | jq -c 'select(.quota == "location_searches") | [.used, .total]')" '[null,null]' \
	"  the location-search quota unknown (null)"
is "$(echo "$out" | jq -c 'select(.quota == "posts") | .total')" 250 "  the others read"
is "$(sblogr 'select(.path == "/v1.0/me/threads_publishing_limit") | .query.fields' | tail -1)" \
	"quota_usage,config,reply_quota_usage,reply_config,delete_quota_usage,delete_config" \
	"  asked again without the location fields"
keep
api() {	# api PATH: a GET straight to the sandbox, with the token
	curl -sS -H "Authorization: Bearer $TH_ACCESS_TOKEN" "$SB$1"
}
is "$(api '/v1.0/location_search?latitude=1' | jq -r .error.code)" 100 \
	"sandbox: latitude without longitude is refused"
is "$(api '/v1.0/location_search' | jq -r .error.code)" 100 "sandbox: no q and no coordinates is refused"
is "$(api '/v1.0/location_search?q=Meta+HQ' | jq -c .)" '{"data":[{"id":7640348500}]}' \
	"sandbox: without fields, the id alone, a number as the API sends it"
clearlog

# --- th-search --place ------------------------------------------------------------------------
keep
run th-search --place Springfield
is "$status" 0 "th-search --place NAME"
is "$(searches)" "{\"fields\":\"$F\",\"q\":\"Springfield\"}" "  one location search, every field"
is "$(echo "$out" | jq -c '[.id, .name, .city, .country, .latitude, .longitude, .postal_code]' | head -1)" \
	'["110843418940484","Springfield","Springfield","USA",39.7817,-89.6501,"62701"]' \
	"  each place printed as the API gives it, the id as a string"
is "$(echo "$out" | wc -l | tr -d ' ')" 2 "  every place found"
keep
run th-search --place 37.48,-122.15
is "$status:$(echo "$out" | jq -r .name)" "0:Meta HQ" "th-search --place LAT,LON"
is "$(searches)" "{\"fields\":\"$F\",\"latitude\":\"37.48\",\"longitude\":\"-122.15\"}" \
	"  searched by latitude and longitude"
keep
run th-search --place " 37.48 , -122.15 "
is "$status:$(searches | jq -c '[.latitude, .longitude]')" '0:["37.48","-122.15"]' \
	"  blanks around the numbers are not sent"
keep
run th-search --place Nowhere
is "$status:$out" "0:" "th-search --place with no place found: 0 and nothing printed"
refuse 65 "--place off the globe" "latitude -90 to 90" th-search --place 100,0
refuse 64 "--place with an id" "not an id" th-search --place 7640348500
refuse 64 "--place with a search option" "no search options" th-search --place --recent Springfield
refuse 64 "--place without a query" "takes a query" th-search --place

# --- th-auth asks for the scope; th-stats --quota shows the search quota -----------------------
oauth_login AQBplace login -a placeacct
like "$(cat "$T/oout")" "*scope=threads_basic*threads_location_tagging*" \
	"th-auth login's default scopes include threads_location_tagging"
keep
"$top_builddir/th-search" --place "Meta HQ" >/dev/null
run th-stats --quota
is "$status" 0 "th-stats --quota"
is "$(echo "$out" | jq -c 'select(.quota == "location_searches") | [.used, .total, .left, .frees_at]')" \
	'[19,500,481,null]' "  the location searches: used, total, left (the sandbox answered 19 in this file)"
is "$(sblogr 'select(.path == "/v1.0/me/threads_publishing_limit") | .query.fields')" \
	"quota_usage,config,reply_quota_usage,reply_config,delete_quota_usage,delete_config,location_search_quota_usage,location_search_config" \
	"  asked for with the others"

# --- text attachments: the link and the styling ranges ---------------------------------------
ta() {	# the container's text_attachment, keys sorted
	sblog 'select(.path == "/v1.0/me/threads") | .form.text_attachment' | jq -r . | jq -cS .
}
printf 'Release notes\nfor 1.4\n' >"$T/notes"
keep
run th-post --attachment "$T/notes" --attachment-link https://th.example/1.4 \
	--attachment-style 0+7=bold,italic --attachment-style 8+5=highlight "th 1.4"
is "$status" 0 "an attachment with a link and two styling ranges is published"
is "$(ta)" '{"link_attachment_url":"https://th.example/1.4","plaintext":"Release notes\nfor 1.4","text_with_styling_info":[{"length":7,"offset":0,"styling_info":["bold","italic"]},{"length":5,"offset":8,"styling_info":["highlight"]}]}' \
	"  text_attachment: plaintext, link_attachment_url, the ranges in order"
is "$(echo "$out" | jq -c '.text_attachment | [.link_attachment_url, (.text_with_styling_info | length)]')" \
	'["https://th.example/1.4",2]' "  printed as read back, with its text_attachment"
keep
printf 'from stdin' | run th-post --attachment - --attachment-style '5+5=underline,strikethrough' "stdin"
is "$status:$(ta | jq -c .text_with_styling_info)" \
	'0:[{"length":5,"offset":5,"styling_info":["underline","strikethrough"]}]' \
	"an attachment from stdin, styled to its very end"
printf '\360\237\230\200 ab' >"$T/emoji"
keep
run th-post --attachment "$T/emoji" --attachment-style 3+2=bold "emoji"
is "$status:$(ta | jq -c '.text_with_styling_info[0] | [.offset, .length]')" '0:[3,2]' \
	"an astral emoji counts 2 units: 'ab' is at 3 (of 5)"
refuse 65 "a range past the end (astral emoji 2 units)" "past the end of the attachment (5 UTF-16 units)" \
	th-post --attachment "$T/emoji" --attachment-style 4+2=bold "emoji"
keep
run th-post --attachment "$T/notes" --attachment-style 0+7=bold --attachment-style 7+1=italic "adjacent"
is "$status" 0 "adjacent ranges are accepted"
refuse 65 "overlapping ranges" "attachment styles 0+7 and 6+2 overlap" \
	th-post --attachment "$T/notes" --attachment-style 0+7=bold --attachment-style 6+2=italic "x"
refuse 65 "a range of length 0" "OFFSET+LENGTH=STYLE" th-post --attachment "$T/notes" --attachment-style 0+0=bold "x"
refuse 65 "a range that is not OFF+LEN" "OFFSET+LENGTH=STYLE" th-post --attachment "$T/notes" --attachment-style 0-7=bold "x"
refuse 65 "a range without a style" "OFFSET+LENGTH=STYLE" th-post --attachment "$T/notes" --attachment-style 0+7= "x"
refuse 65 "an unknown style" "attachment style 'blink'" th-post --attachment "$T/notes" --attachment-style 0+7=blink "x"
refuse 65 "a style twice in a range" "each once" th-post --attachment "$T/notes" --attachment-style 0+7=bold,bold "x"
refuse 65 "an attachment link that is not a URL" "an http(s) URL" \
	th-post --attachment "$T/notes" --attachment-link th.example/1.4 "x"
refuse 64 "an attachment link without an attachment" "go with --attachment" \
	th-post --attachment-link https://th.example/ "x"
refuse 64 "a style without an attachment" "go with --attachment" th-post --attachment-style 0+1=bold "x"
refuse 64 "an attachment link and --link" "no attachment link" \
	th-post --attachment "$T/notes" --attachment-link https://th.example/a --link https://th.example/b "x"
FIVE="https://a.example/ https://b.example/ https://c.example/ https://d.example/ https://e.example/"
refuse 65 "five links in the text and another as the attachment's" "6 distinct links" \
	th-post --attachment "$T/notes" --attachment-link https://f.example/ "$FIVE"
keep
run th-post --attachment "$T/notes" --attachment-link https://e.example/ "$FIVE"
is "$status" 0 "five links in the text, one of them again as the attachment's: accepted"

keep
run th-post --batch <<'EOF'
{"text": "batch", "attachment": "long text", "attachment_link": "https://th.example/b", "attachment_style": ["0+4=bold", "5+4=italic"]}
{"text": "batch bad", "attachment": "long text", "attachment_style": "0+4=bold;2+4=italic"}
EOF
is "$status" 1 "--batch: attachment_link and attachment_style (a list, or ranges joined by ;)"
is "$(ta | jq -c '[.link_attachment_url, [.text_with_styling_info[].offset]]')" '["https://th.example/b",[0,5]]' \
	"  the good record's attachment"
is "$(echo "$out" | jq -c 'select(.line) | [.line, .status]')" '[2,65]' "  the overlapping one's error line"

keep
run th-post -k attkey --attachment "$T/notes" --attachment-style 0+7=bold "keyed attachment"
is "$status" 0 "a key for a styled attachment"
keep
run th-post -k attkey --attachment "$T/notes" --attachment-style 0+7=italic "keyed attachment"
like "$status:$err" "65:*with other attachment styles*" "  the key again with other styles: 65, naming them"
run th-post -k attkey --attachment "$T/notes" --attachment-style 0+7=bold \
	--attachment-link https://th.example/k "keyed attachment"
like "$status:$err" "65:*with another attachment link*" "  and with a link added"
is "$(sblog 'select(.method == "POST")' | wc -l | tr -d ' ')" 0 "  and nothing was written"

keep
post() {	# a container request straight to the sandbox
	curl -sS -H "Authorization: Bearer $TH_ACCESS_TOKEN" --data-urlencode media_type=TEXT \
		--data-urlencode text=x "$@" "$SB/v1.0/me/threads"
}
is "$(post --data-urlencode 'text_attachment={"plaintext":"abcdef","text_with_styling_info":[{"offset":0,"length":3,"styling_info":["bold"]},{"offset":2,"length":2,"styling_info":["italic"]}]}' | jq -r .error.code)" 100 \
	"sandbox: overlapping styling ranges are refused"
is "$(post --data-urlencode 'text_attachment={"plaintext":"abc","link_attachment_url":"https://a.example/"}' --data-urlencode link_attachment=https://b.example/ | jq -r .error.code)" 100 \
	"sandbox: an attachment link beside link_attachment is refused"
is "$(post --data-urlencode 'text_attachment={"plaintext":"abc","text_with_styling_info":[{"offset":1,"length":3,"styling_info":["bold"]}]}' | jq -r .error.code)" 100 \
	"sandbox: a range past the plaintext is refused"
clearlog

# --- every request fits the table ------------------------------------------------------------
shapes_check
done_testing

#!/bin/bash
# Fediverse sources: @user@host and actor URLs, read as ActivityPub (or
# through Mastodon's API when the actor wants signed fetches), merged with
# Threads sources in one stream of th's post records. A server speaks for
# its own posts and accounts alone, and cannot make a run go on for ever.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
fedi_start
FIX=${TH_FIXTURES:-$top_srcdir/../shared/fixtures}
now=$(date +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
nocache() { rm -f "$XDG_STATE_HOME/th/fedi"; }	# accounts looked up afresh

# alice: 25 posts, one every two hours (two outbox pages of 20), with a
# boost and an image among them
posts='['
for i in $(seq 0 24); do
	t=$(iso $((now - i * 7200 - 1800)))
	case $i in
	3) posts="$posts{\"announce\":\"https://other.example/users/bob/statuses/9\",\"published\":\"$t\"}," ;;
	5) posts="$posts{\"content\":\"<p>a cat</p>\",\"published\":\"$t\",\"attachments\":[{\"url\":\"https://files.mastodon.example/cat.jpg\",\"name\":\"a grey cat\"}]}," ;;
	*) posts="$posts{\"content\":\"<p>alice post $i</p>\",\"published\":\"$t\",\"tags\":[\"ramen\"]}," ;;
	esac
done
posts="${posts%,}]"
fb POST /_control/account "{\"host\":\"mastodon.example\",\"user\":\"Alice\",\"posts\":$posts}" >/dev/null
fb POST /_control/account "{\"host\":\"social.example\",\"user\":\"bob\",\"posts\":[
	{\"content\":\"<p>bob says <b>hi</b> &amp; <a href=\\\"https://example.org/x\\\">reads this</a></p><p>\\u05e9\\u05dc\\u05d5\\u05dd \\ud83c\\udf5c<br>line two</p>\",\"published\":\"$(iso $((now - 600)))\"},
	{\"content\":\"<p>bob older</p>\",\"published\":\"$(iso $((now - 90000)))\"}]}" >/dev/null

# --- the acceptance: one list, Threads and fediverse, one merged stream ---------
run th-list add mix @meta '#ramen' @alice@mastodon.example @bob@social.example
is "$status" 0 "a list holds Threads and fediverse sources side by side"
is "$(cat "$XDG_DATA_HOME/th/lists/mix")" "$(printf '@meta\n#ramen\n@alice@mastodon.example\n@bob@social.example')" \
	"  stored as written, one per line"

run th-timeline -n 500 --since 2d list:mix
is "$status" 0 "th-timeline list:mix: exit 0"
is "$err" "" "  quietly"
threads=$("$top_builddir/th-timeline" -n 500 --since 2d @meta '#ramen' | jq -c '{id, timestamp}')
fedi=$("$top_builddir/th-timeline" -n 500 --since 2d @alice@mastodon.example @bob@social.example | jq -c '{id, timestamp}')
is "$(echo "$fedi" | wc -l | tr -d ' ')" 26 "  the fediverse alone: alice's 25 posts across two pages, and bob's one in the window"
want=$(printf '%s\n%s\n' "$threads" "$fedi" | jq -s -c 'sort_by(.timestamp) | reverse | map(.id)')
is "$(echo "$out" | jq -s -c 'map(.id)')" "$want" \
	"  exactly the union of the Threads and the fediverse sources, newest first"
is "$(echo "$out" | jq -s '[.[].timestamp] | . == (sort | reverse)')" true "  timestamps never go up"
is "$(echo "$out" | jq -r '.th_sources[]' | sort -u | tr '\n' ' ')" "#ramen @alice@mastodon.example @bob@social.example @meta " \
	"  every source is in the stream, named in th_sources"
is "$(echo "$out" | jq -r '.timestamp' | grep -cv '^[0-9-]*T[0-9:]*+0000$')" 0 \
	"  one timestamp format for all: 2026-11-26T08:00:00+0000"
echo "$out" | jq -r '.text' >/dev/null
is "$?" 0 "  the same jq '.text' runs over every record"
is "$(echo "$out" | jq -r 'select(.media_type != "REPOST_FACADE") | .text | type' | sort -u)" "string" \
	"  and every post but a boost has a text string, as on Threads"
is "$(echo "$out" | jq -c 'select(.th_sources == ["@alice@mastodon.example"]) | select(.text == "alice post 0") |
	[.username, (.id | test("^https://mastodon.example/users/Alice/statuses/[0-9]+$")),
	 (.permalink | test("^https://mastodon.example/@Alice/[0-9]+$")), .media_type, .topic_tag, .is_reply]')" \
	'["Alice@mastodon.example",true,true,"TEXT_POST","ramen",false]' \
	"  a fediverse record: id the Note's URL, user@host, permalink, media_type, topic_tag"
is "$(echo "$out" | jq -r 'select(.username == "bob@social.example") | .text' | head -4)" \
	"$(printf 'bob says hi & reads this <https://example.org/x>\n\n\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x8d\x9c\nline two')" \
	"  HTML content as text: tags, entities, a link, paragraphs, <br>, RTL and emoji"
is "$(echo "$out" | jq -c 'select(.media_type == "IMAGE" and .username == "Alice@mastodon.example") | [.text, .media_url, .media_urls, .alt_text]')" \
	'["a cat","https://files.mastodon.example/cat.jpg",["https://files.mastodon.example/cat.jpg"],"a grey cat"]' \
	"  an attachment: media_url, media_urls, alt_text"
is "$(echo "$out" | jq -c 'select(.media_type == "REPOST_FACADE") | [.permalink, .reposted_post.id, has("text")]')" \
	'["https://other.example/users/bob/statuses/9","https://other.example/users/bob/statuses/9",false]' \
	"  a boost (Announce) is a REPOST_FACADE of the boosted URL, with no text, as on Threads"
like "$(echo "$out" | jq -r 'select(.media_type == "REPOST_FACADE") | .id')" "https://mastodon.example/users/Alice/statuses/*/activity" \
	"  its id is the Announce's"
is "$(echo "$out" | jq -r 'select(.th_sources == ["#ramen"] or .th_sources == ["@meta"]) | .id' | grep -cv '^[0-9]*$')" 0 \
	"  Threads records are unchanged: numeric ids"

# --- thirty accounts on ten servers at once ---------------------------------------------
many=
for i in $(seq 1 30); do
	h="s$((i % 10)).example"
	fb POST /_control/account "{\"host\":\"$h\",\"user\":\"u$i\",\"posts\":[
		{\"content\":\"<p>u$i a</p>\",\"published\":\"$(iso $((now - i * 60)))\"},
		{\"content\":\"<p>u$i b</p>\",\"published\":\"$(iso $((now - 7200 - i * 60)))\"}]}" >/dev/null
	many="$many @u$i@$h"
done
# shellcheck disable=SC2086
run th-timeline -n 100 -P 8 $many
is "$status" 0 "thirty fediverse accounts on ten servers, eight requests at a time"
is "$(echo "$out" | jq -r .text | tr '\n' ' ')" \
	"$(for i in $(seq 1 30); do printf 'u%s a ' "$i"; done; for i in $(seq 1 30); do printf 'u%s b ' "$i"; done)" \
	"  every post once, in time order"


nocache
fb POST /_control/log/clear >/dev/null
run th-timeline -n 25 @alice@mastodon.example
is "$status" 0 "one fediverse account, 25 posts"
is "$(fb GET /_control/log | jq -r '.[] | [.host, .path, (.query | to_entries | map("\(.key)=\(.value)") | join("&"))] | @tsv' |
	sed 's/max_id=[0-9]*/max_id=N/')" "$(printf '%s\n' \
	"mastodon.example	/.well-known/webfinger	resource=acct:alice@mastodon.example" \
	"mastodon.example	/users/Alice	" \
	"mastodon.example	/users/Alice/outbox	" \
	"mastodon.example	/users/Alice/outbox	page=true" \
	"mastodon.example	/users/Alice/outbox	max_id=N&page=true")" \
	"WebFinger, the actor, the outbox, its first page, the next page by max_id: nothing more"
is "$(fb GET /_control/log | jq -r '.[].accept' | sed 's/;.*//' | uniq | tr '\n' '|')" \
	"application/jrd+json, application/json|application/activity+json, application/ld+json|" \
	"  Accept: JRD for WebFinger, ActivityStreams for the rest"
is "$(fb GET /_control/log | jq -r '[.[].authorization] | any')" false "  no Authorization header ever goes to a fediverse server"
is "$(fb GET /_control/log | jq -r '.[].user_agent' | sort -u)" "th/$(sed -n 's/^AC_INIT(\[th\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")" "  th's User-Agent"
is "$(echo "$out" | wc -l | tr -d ' ')" 25 "  all 25 posts"
run th-timeline -n 3 @alice@mastodon.example
is "$(echo "$out" | jq -r .text | tr '\n' '|')" "alice post 0|alice post 1|alice post 2|" "-n 3: the newest three"
run th-timeline -n 3 --fields text @alice@mastodon.example @meta
is "$(echo "$out" | jq -c 'keys' | sort -u)" '["id","text","th_sources","timestamp"]' \
	"--fields: fediverse records too keep only those, with id and timestamp"
run th-timeline -n 6 --fields 'media_type,reposted_post{id,permalink}' @alice@mastodon.example
is "$(echo "$out" | jq -c 'select(.media_type == "REPOST_FACADE") | keys')" '["id","media_type","reposted_post","th_sources","timestamp"]' \
	"  a nested selection keeps its field"

# --- what an account resolved to is kept for a day ------------------------------------------
is "$(stat -c %a "$XDG_STATE_HOME/th/fedi")" 600 "the accounts looked up are kept in \$XDG_STATE_HOME/th/fedi, mode 0600"
is "$(jq -c 'select(.source == "@alice@mastodon.example") | [.username, .via, .url, (.at | type)]' "$XDG_STATE_HOME/th/fedi")" \
	'["Alice@mastodon.example","activitypub","https://mastodon.example/users/Alice/outbox","number"]' \
	"  one NDJSON line per account: its name, the way it is read, the URL"
fb POST /_control/log/clear >/dev/null
run th-timeline -v -n 3 @alice@mastodon.example
is "$(fb GET /_control/log | jq -r '.[] | .path + "?" + (.query | keys | join(","))' | tr '\n' ' ')" \
	"/users/Alice/outbox?page " "  the next run reads the outbox's first page alone"
like "$err" "*@alice@mastodon.example: read through ActivityPub, outbox https://mastodon.example/users/Alice/outbox (looked up 0 min ago)*" \
	"  and -v says so"
fb POST /_control/fault '{"host":"mastodon.example","path":"/users/Alice/outbox","status":410,"body":"{\"error\":\"Gone\"}","times":1}' >/dev/null
fb POST /_control/log/clear >/dev/null
run th-timeline -n 3 @alice@mastodon.example
is "$status:$(echo "$out" | wc -l | tr -d ' ')" "0:3" "a kept outbox that is gone (410): the account is looked up again"
is "$(fb GET /_control/log | jq -r '.[].path' | tr '\n' ' ')" \
	"/users/Alice/outbox /.well-known/webfinger /users/Alice /users/Alice/outbox /users/Alice/outbox " \
	"  the gone outbox, WebFinger, the actor, the outbox, its page"
jq -c 'if .source == "@alice@mastodon.example" then .url = "https://mastodon.example/users/Alice/moved" | del(.first) else . end' \
	"$XDG_STATE_HOME/th/fedi" >"$T/moved" && cp "$T/moved" "$XDG_STATE_HOME/th/fedi"
run th-timeline -n 3 @alice@mastodon.example
is "$status:$(echo "$out" | wc -l | tr -d ' ')" "0:3" "a kept outbox that now answers 404: looked up again"
is "$(jq -r 'select(.source == "@alice@mastodon.example") | .url' "$XDG_STATE_HOME/th/fedi")" \
	"https://mastodon.example/users/Alice/outbox" "  and the new answer replaces the old one in the file"
fb POST /_control/log/clear >/dev/null
run th-timeline -n 3 @alice@mastodon.example
is "$(fb GET /_control/log | jq -r '.[0].path')" "/users/Alice/outbox" "  which the next run uses"
jq -c 'if .source == "@alice@mastodon.example" then .at -= 90000 else . end' "$XDG_STATE_HOME/th/fedi" >"$T/old" &&
	cp "$T/old" "$XDG_STATE_HOME/th/fedi"
fb POST /_control/log/clear >/dev/null
run th-timeline -n 3 @alice@mastodon.example
is "$(fb GET /_control/log | jq -r '.[0].path')" "/.well-known/webfinger" "an entry older than a day is looked up again"
printf 'torn{\n\n{"source":"@x@y.example","via":"ftp","url":"https://y.example/o","username":"x","at":1}\n' >>"$XDG_STATE_HOME/th/fedi"
run th-timeline -n 1 @alice@mastodon.example
is "$status" 0 "a torn or strange line in the file is skipped"
run th-timeline -n 1 https://mastodon.example/users/Alice
is "$(jq -r .source "$XDG_STATE_HOME/th/fedi" 2>&1 | sort | tr '\n' ' ')" "@alice@mastodon.example https://mastodon.example/users/Alice " \
	"  and dropped at the next write, which keeps the others"

# --- actor URLs --------------------------------------------------------------------
nocache
fb POST /_control/log/clear >/dev/null
run th-timeline -n 2 https://mastodon.example/users/Alice
is "$status" 0 "an actor URL is a source"
is "$(fb GET /_control/log | jq -r '.[0].path')" "/users/Alice" "  read from the actor on, no WebFinger"
is "$(echo "$out" | jq -r '[.username, .th_sources[0]] | @tsv' | head -1)" \
	"$(printf 'Alice@mastodon.example\thttps://mastodon.example/users/Alice')" \
	"  username from preferredUsername@host; labelled by the URL"
run th-follow https://mastodon.example/users/Alice @bob@Social.Example
is "$status" 0 "th-follow takes fediverse sources"
is "$(cat "$XDG_DATA_HOME/th/lists/following")" "$(printf 'https://mastodon.example/users/Alice\n@bob@social.example')" \
	"  an actor URL as written, @user@host in lower case"
run th-timeline -n 1
is "$(echo "$out" | jq -r '.username')" "bob@social.example" "the home timeline reads them"
fb POST /_control/log/clear >/dev/null
for bad in 'http://mastodon.example/users/Alice' 'https://mastodon.example' 'https://x/y' \
	'https://mastodon.example/users/a b' '@a@b' '@a@-x.example' '@a b@host.example'; do
	run th-timeline "$bad"
	is "$status" 65 "not a source: '$bad' (65, nothing read)"
done
is "$(fb GET /_control/log | jq length)" 0 "  and none of them sent a request"

# --- signed fetch only: a plain warning, the others go on, exit 1 -------------------------
fb POST /_control/server '{"host":"locked.example","signed_fetch":true,"rest":false}' >/dev/null
fb POST /_control/account "{\"host\":\"locked.example\",\"user\":\"carol\",\"posts\":[{\"content\":\"<p>locked</p>\",\"published\":\"$(iso $((now - 60)))\"}]}" >/dev/null
fb POST /_control/server '{"host":"threads.net","kind":"threads"}' >/dev/null
fb POST /_control/account '{"host":"threads.net","user":"mosseri"}' >/dev/null
run th-timeline -n 500 --since 2d @meta @carol@locked.example @alice@mastodon.example @mosseri@threads.net
is "$status" 1 "a signed-fetch-only server among four sources: exit 1"
like "$err" "*@carol@locked.example: skipped: locked.example refuses anonymous reads of the actor (HTTP 401: Request not signed): it wants signed fetches*" \
	"  Mastodon with authorized fetch: said plainly, naming the source"
like "$err" "*@mosseri@threads.net: skipped: threads.net refuses anonymous reads of the actor (HTTP 404: Not found)*" \
	"  a Threads actor (404 to unsigned reads): said plainly too"
like "$err" "*@mosseri@threads.net: skipped: *(a Threads account is read through the API: @user)*" \
	"  with the way that works: the account as @user"
is "$(echo "$err" | wc -l | tr -d ' ')" 2 "  one line each"
is "$(echo "$out" | jq -r '.th_sources[]' | sort -u | tr '\n' ' ')" "@alice@mastodon.example @meta " \
	"  the others stream all the same"
is "$(echo "$out" | jq -s -c 'map(.id)')" "$("$top_builddir/th-timeline" -n 500 --since 2d @meta @alice@mastodon.example | jq -s -c 'map(.id)')" \
	"  every one of their posts"

# --- Mastodon's API as the fallback, said with -v --------------------------------------------
fb POST /_control/server '{"host":"locked.example","signed_fetch":true,"rest":true}' >/dev/null
fb POST /_control/account "{\"host\":\"locked.example\",\"user\":\"carol\",\"posts\":[{\"content\":\"<p>via <i>REST</i></p>\",\"published\":\"$(iso $((now - 60)))\",\"tags\":[\"news\"]},{\"announce\":\"https://o.example/s/1\",\"published\":\"$(iso $((now - 120)))\"}]}" >/dev/null
fb POST /_control/log/clear >/dev/null
run th-timeline -v -n 5 @carol@locked.example
is "$status" 0 "authorized fetch with a public Mastodon API: read through the API"
like "$err" "*@carol@locked.example: locked.example refuses anonymous reads of the actor*; trying its Mastodon API*" \
	"  -v says why it left ActivityPub"
like "$err" "*@carol@locked.example: read through the Mastodon API, https://locked.example/api/v1/accounts/*/statuses*" \
	"  -v says which path was taken"
is "$(fb GET /_control/log | jq -r '.[] | .path' | sed 's/[0-9][0-9]*/N/g' | tr '\n' ' ')" \
	"/.well-known/webfinger /users/carol /api/vN/accounts/lookup /api/vN/accounts/N/statuses /api/vN/accounts/N/statuses " \
	"  WebFinger, the refused actor, lookup, statuses until an empty page"
is "$(echo "$out" | jq -c 'select(.media_type == "TEXT_POST") | [.username, .text, .topic_tag, (.id | test("^https://locked.example/users/carol/statuses/[0-9]+$"))]')" \
	'["carol@locked.example","via REST","news",true]' \
	"  the same record as through ActivityPub: the status's URI as id"
is "$(echo "$out" | jq -c 'select(.media_type == "REPOST_FACADE") | [.reposted_post.id, (.id | endswith("/activity"))]')" \
	'["https://o.example/s/1",true]' "  a reblog is a REPOST_FACADE"
run th-timeline -v -n 5 @alice@mastodon.example
like "$err" "*@alice@mastodon.example: read through ActivityPub, outbox https://mastodon.example/users/Alice/outbox*" \
	"-v on an open server: read through ActivityPub"

# --- other failures, each for its source alone -----------------------------------------
run th-timeline -n 5 @nobody@mastodon.example @bob@social.example
is "$status" 1 "an unknown fediverse account: exit 1"
like "$err" "*@nobody@mastodon.example: skipped: no such account on mastodon.example (WebFinger: HTTP 404)*" "  said so"
like "$out" "*bob says hi*" "  the other source still reads"
nocache
fb POST /_control/fault '{"host":"mastodon.example","path":"/.well-known/webfinger","status":200,"body":"<html>parked domain</html>","ctype":"text/html","times":1}' >/dev/null
run th-timeline -n 5 @alice@mastodon.example
like "$err" "*@alice@mastodon.example: skipped: mastodon.example's WebFinger did not answer with JSON (HTTP 200)*" \
	"a host that is no fediverse server (an HTML page for WebFinger)"
nocache
fb POST /_control/fault '{"host":"mastodon.example","path":"/users/Alice","status":200,"body":"<html>hi</html>","ctype":"text/html","times":1}' >/dev/null
run th-timeline -n 5 https://mastodon.example/users/Alice
like "$err" "*skipped: the actor https://mastodon.example/users/Alice is not an ActivityPub document (HTTP 200)*" \
	"an HTML page where the actor should be"
loop='{"type":"OrderedCollectionPage","id":"https://mastodon.example/users/Alice/outbox?page=true","next":"https://mastodon.example/users/Alice/outbox?page=true","orderedItems":[]}'
fb POST /_control/fault "{\"host\":\"mastodon.example\",\"path\":\"/users/Alice/outbox\",\"status\":200,\"body\":$(printf '%s' "$loop" | jq -R .),\"ctype\":\"application/activity+json\",\"times\":50}" >/dev/null
fb POST /_control/log/clear >/dev/null
timeout 20 "$top_builddir/th-timeline" -n 5 @alice@mastodon.example >/dev/null 2>&1
is "$?" 0 "an outbox whose next page is itself: no loop"
is "$(fb GET /_control/log | jq '[.[] | select(.path == "/users/Alice/outbox")] | length')" 2 \
	"  the collection and its page, once each"
fb POST /_control/fault/clear >/dev/null
note() { printf '{"type":"Create","object":{"type":"Note","id":"https://mastodon.example/n/%s","content":"<p>%s</p>","published":"%s"}}' "$1" "$1" "$2"; }
col='{"type":"OrderedCollection","id":"https://mastodon.example/users/Alice/outbox","first":"https://mastodon.example/p/a"}'
pa="{\"type\":\"OrderedCollectionPage\",\"next\":\"https://mastodon.example/p/b\",\"orderedItems\":[$(note a1 2026-11-20T10:00:00Z),$(note a2 2026-11-20T09:00:00Z)]}"
pb="{\"type\":\"OrderedCollectionPage\",\"next\":\"https://mastodon.example/p/a\",\"orderedItems\":[$(note b1 2026-11-20T08:00:00Z),$(note b2 2026-11-20T07:00:00Z)]}"
for f in "/users/Alice/outbox $col" "/p/a $pa" "/p/b $pb"; do
	fb POST /_control/fault "{\"host\":\"mastodon.example\",\"path\":\"${f%% *}\",\"status\":200,\"body\":$(printf '%s' "${f#* }" | jq -R .),\"ctype\":\"application/activity+json\",\"times\":100}" >/dev/null
done
fb POST /_control/log/clear >/dev/null
timeout 20 "$top_builddir/th-timeline" -n 100 @alice@mastodon.example >"$T/circle" 2>"$T/circle.err"
is "$?" 0 "outbox pages that run in a circle (a, b, a): an end all the same"
is "$(jq -r .text "$T/circle" | tr '\n' ' ')" "a1 a2 b1 b2 " "  each post once"
is "$(fb GET /_control/log | jq '[.[] | select(.path | startswith("/p/"))] | length')" 2 \
	"  the two pages, once each: a page read before is never read again"
is "$(cat "$T/circle.err")" "th-timeline: @alice@mastodon.example: paging stopped: the next page https://mastodon.example/p/a was read before (the pages go in a circle)" \
	"  and a warning says why the source ended"
fb POST /_control/fault/clear >/dev/null
col='{"type":"OrderedCollection","id":"https://mastodon.example/users/Alice/outbox","first":"https://mastodon.example/q/1"}'
fb POST /_control/fault "{\"host\":\"mastodon.example\",\"path\":\"/users/Alice/outbox\",\"status\":200,\"body\":$(printf '%s' "$col" | jq -R .),\"ctype\":\"application/activity+json\",\"times\":100}" >/dev/null
for i in 1 2 3 4 5 6; do
	pq="{\"type\":\"OrderedCollectionPage\",\"next\":\"https://mastodon.example/q/$((i + 1))\",\"orderedItems\":[$(note a1 2026-11-20T10:00:00Z),$(note a2 2026-11-20T09:00:00Z)]}"
	fb POST /_control/fault "{\"host\":\"mastodon.example\",\"path\":\"/q/$i\",\"status\":200,\"body\":$(printf '%s' "$pq" | jq -R .),\"ctype\":\"application/activity+json\",\"times\":100}" >/dev/null
done
fb POST /_control/log/clear >/dev/null
timeout 20 "$top_builddir/th-timeline" -n 100 @alice@mastodon.example >"$T/circle" 2>"$T/circle.err"
is "$?:$(jq -r .text "$T/circle" | tr '\n' ' ')" "0:a1 a2 " "fresh page URLs over the same posts: each post once"
is "$(fb GET /_control/log | jq -r '[.[] | select(.path | startswith("/q/")) | .path] | join(" ")')" "/q/1 /q/2 /q/3 /q/4" \
	"  the first page, then three that bring nothing new: the end"
is "$(cat "$T/circle.err")" "th-timeline: @alice@mastodon.example: paging stopped: 3 pages in a row brought nothing new" \
	"  said in a warning"
fb POST /_control/fault/clear >/dev/null
TH_FEDI_CONNECT=10.0.0.1:80 run th-timeline @alice@mastodon.example
is "$status" 78 "TH_FEDI_CONNECT off loopback is refused (it turns https into http)"

# --- a server speaks for its own posts alone (issue 17) -------------------------------------
# evil.example serves Notes with the id and time of a real @meta post and
# of a real post of alice@mastodon.example, and WebFinger names its
# account acct:mosseri
nocache
metapost=$("$top_builddir/th-timeline" -n 1 @meta)
mid=$(echo "$metapost" | jq -r .id)
mts=$(echo "$metapost" | jq -r .timestamp)
alicepost=$("$top_builddir/th-timeline" -n 1 @alice@mastodon.example)
aid=$(echo "$alicepost" | jq -r .id)
ats=$(echo "$alicepost" | jq -r .timestamp)
fb POST /_control/account '{"host":"evil.example","user":"alice","posts":[]}' >/dev/null
evilnote() { printf '{"type":"Create","object":{"type":"Note","id":"%s","content":"<p>%s</p>"%s}}' "$1" "$2" "$3"; }
evil="{\"type\":\"OrderedCollection\",\"id\":\"https://evil.example/users/alice/outbox\",\"orderedItems\":[
	$(evilnote "$mid" "fake meta" ",\"published\":\"$mts\""),
	$(evilnote "$aid" "fake alice" ",\"published\":\"$ats\""),
	$(evilnote "https://evil.example@mastodon.example/x" "fake host" ",\"published\":\"$(iso $((now - 40)))\""),
	$(evilnote "https://evil.example/users/alice/statuses/1" "evil's own" ",\"published\":\"$(iso $((now - 30)))\""),
	$(evilnote "https://evil.example/users/alice/statuses/2" "edited" ",\"updated\":\"$(iso $((now - 20)))\""),
	$(evilnote "https://evil.example/users/alice/statuses/3" "undated" "")]}"
evil=$(printf '%s' "$evil" | tr -d '\n\t')
wf='{"subject":"acct:mosseri","links":[{"rel":"self","type":"application/activity+json","href":"https://evil.example/users/alice"}]}'
fb POST /_control/fault "{\"host\":\"evil.example\",\"path\":\"/.well-known/webfinger\",\"status\":200,\"body\":$(printf '%s' "$wf" | jq -R .),\"ctype\":\"application/jrd+json\",\"times\":1}" >/dev/null
fb POST /_control/fault "{\"host\":\"evil.example\",\"path\":\"/users/alice/outbox\",\"status\":200,\"body\":$(printf '%s' "$evil" | jq -R .),\"ctype\":\"application/activity+json\",\"times\":1}" >/dev/null
run th-timeline -n 500 --since 2d @meta @alice@mastodon.example @alice@evil.example
is "$status" 0 "a fediverse server that names its Notes with other posts' ids: the stream goes on"
is "$(echo "$out" | jq -c --arg id "$mid" 'select(.id == $id) | .th_sources')" '["@meta"]' \
	"  the @meta post with its id is still there, from @meta alone"
is "$(echo "$out" | jq -r --arg id "$mid" 'select(.id == $id) | .text')" "$(echo "$metapost" | jq -r .text)" \
	"  with its own text"
is "$(echo "$out" | jq -c --arg id "$aid" 'select(.id == $id) | [.th_sources, .text]')" \
	"$(echo "$alicepost" | jq -c '[.th_sources, .text]')" "  and alice's post on mastodon.example too"
is "$(echo "$out" | grep -c 'fake')" 0 "  no record of evil.example's with another server's id, or none on it (user@host)"
is "$(echo "$out" | jq -c 'select(.th_sources == ["@alice@evil.example"]) | [.username, .text, .timestamp]' | tr '\n' ' ')" \
	"[\"alice@evil.example\",\"edited\",\"$(date -u -d "@$((now - 20))" +%Y-%m-%dT%H:%M:%S+0000)\"] [\"alice@evil.example\",\"evil's own\",\"$(date -u -d "@$((now - 30))" +%Y-%m-%dT%H:%M:%S+0000)\"] " \
	"  its own posts, one dated by updated alone; the user named as asked, not as acct:mosseri"
is "$err" "th-timeline: @alice@evil.example: skipped 4 posts: 3 whose id or account is not on evil.example, 1 with no date" \
	"  what was skipped, and why, in a warning"
nocache
wf='{"subject":"acct:mosseri@threads.net","links":[{"rel":"self","type":"application/activity+json","href":"https://evil.example/users/alice"}]}'
fb POST /_control/fault "{\"host\":\"evil.example\",\"path\":\"/.well-known/webfinger\",\"status\":200,\"body\":$(printf '%s' "$wf" | jq -R .),\"ctype\":\"application/jrd+json\",\"times\":1}" >/dev/null
fb POST /_control/fault "{\"host\":\"evil.example\",\"path\":\"/users/alice/outbox\",\"status\":200,\"body\":$(printf '%s' "$evil" | jq -R .),\"ctype\":\"application/activity+json\",\"times\":1}" >/dev/null
run th-timeline -n 1 @alice@evil.example
is "$(echo "$out" | jq -r .username)" "alice@evil.example" "WebFinger's subject acct:mosseri@threads.net from evil.example is not taken either"
is "$(echo "$out" | "$top_builddir/th-show" | head -1 | cut -d' ' -f1)" "@alice@evil.example" "  th-show says whose post it is"
jq -c 'if .source == "@alice@evil.example" then .username = "mosseri" else . end' \
	"$XDG_STATE_HOME/th/fedi" >"$T/kept" && cp "$T/kept" "$XDG_STATE_HOME/th/fedi"
fb POST /_control/fault "{\"host\":\"evil.example\",\"path\":\"/users/alice/outbox\",\"status\":200,\"body\":$(printf '%s' "$evil" | jq -R .),\"ctype\":\"application/activity+json\",\"times\":1}" >/dev/null
run th-timeline -n 1 @alice@evil.example
is "$(echo "$out" | jq -r .username)" "alice@evil.example" "  nor a name without a host kept from before: the account is looked up again"

# --- GoToSocial: the outbox names each post by its URL ----------------------------------------
fb POST /_control/server '{"host":"gts.example","kind":"gotosocial"}' >/dev/null
posts='['
for i in $(seq 0 34); do
	posts="$posts{\"content\":\"<p>gina $i</p>\",\"published\":\"$(iso $((now - i * 3600 - 60)))\"},"
done
fb POST /_control/account "{\"host\":\"gts.example\",\"user\":\"gina\",\"posts\":${posts%,}]}" >/dev/null
fb POST /_control/log/clear >/dev/null
run th-timeline -n 500 --since 3d @gina@gts.example
is "$status:$err" "0:" "a GoToSocial account (each Create's object a bare URL): exit 0, quietly"
is "$(echo "$out" | jq -r .text | tr '\n' ' ')" "$(for i in $(seq 0 34); do printf 'gina %s ' "$i"; done)" \
	"  every post, across its two pages of 30, newest first"
is "$(fb GET /_control/log | jq '[.[] | select(.path | startswith("/users/gina/statuses/"))] | [length, (map(.path) | unique | length)] | join(" ")' -r)" "35 35" \
	"  each post fetched once"
is "$(echo "$out" | jq -r '.id | test("^https://gts.example/users/gina/statuses/[0-9]+$")' | sort -u)" true "  its id the post's URL"
fb POST /_control/log/clear >/dev/null
run th-timeline -n 2 @gina@gts.example
is "$(fb GET /_control/log | jq -r '.[] | .path + (if .query.page then "?page" else "" end)' | sed 's/[0-9][0-9]*$/N/' | tr '\n' ' ')" \
	"/users/gina/outbox?page /users/gina/statuses/N /users/gina/statuses/N " \
	"-n 2: only the two posts needed are fetched"
fb POST /_control/fault '{"host":"gts.example","path":"/users/gina/statuses/","status":401,"body":"{\"error\":\"not signed\"}","times":100}' >/dev/null
run th-timeline -n 5 @gina@gts.example @bob@social.example
is "$status" 1 "posts that want signed fetches: exit 1"
is "$err" "th-timeline: @gina@gts.example: skipped: gts.example refuses anonymous reads of its posts (HTTP 401): it wants signed fetches" \
	"  said, naming the source"
like "$out" "*bob says hi*" "  the other source still reads"
fb POST /_control/fault/clear >/dev/null
posts='['
for i in $(seq 0 204); do
	posts="$posts{\"content\":\"<p>many $i</p>\",\"published\":\"$(iso $((now - i * 600 - 60)))\"},"
done
fb POST /_control/account "{\"host\":\"gts.example\",\"user\":\"many\",\"posts\":${posts%,}]}" >/dev/null
fb POST /_control/log/clear >/dev/null
run th-timeline -n 500 --since 3d @many@gts.example
is "$status:$(echo "$out" | wc -l | tr -d ' ')" "0:200" "205 posts to fetch one by one: the first 200"
is "$(fb GET /_control/log | jq '[.[] | select(.path | startswith("/users/many/statuses/"))] | length')" 200 \
	"  in 200 requests, no more"
is "$err" "th-timeline: @many@gts.example: skipped 5 posts: 5 not fetched (more than 200 posts to fetch one by one)" \
	"  and the rest said to be skipped"

# --- servers that fail: retried, then that source alone is dropped -----------------------------
export TH_BACKOFF_MS=1
fb POST /_control/fault '{"host":"mastodon.example","path":"/users/Alice/outbox","status":503,"body":"<html>busy</html>","ctype":"text/html","times":1}' >/dev/null
fb POST /_control/log/clear >/dev/null
run th-timeline -n 25 @alice@mastodon.example
is "$status" 0 "a 503 once: retried"
is "$(echo "$out" | wc -l | tr -d ' ')" 25 "  every post arrives"
is "$(fb GET /_control/log | jq '[.[] | select(.path == "/users/Alice/outbox" and .query == {})] | length')" 2 \
	"  the outbox asked twice, nothing else again"
nocache
fb POST /_control/fault '{"host":"social.example","path":"/users/bob","status":503,"body":"{}","times":50}' >/dev/null
run th-timeline -n 500 --since 2d @meta @bob@social.example
is "$status" 69 "a fediverse server that stays down: 69, as for an unreachable API"
like "$err" "*@bob@social.example: skipped: the actor https://social.example/users/bob is not an ActivityPub document (HTTP 503)*" \
	"  the warning names the source and the status"
is "$(echo "$out" | jq -r '.th_sources[]' | sort -u)" "@meta" "  the Threads source streams all the same"
fb POST /_control/fault/clear >/dev/null
fb POST /_control/fault '{"host":"social.example","path":"/users/bob/outbox","status":429,"body":"{\"error\":\"Too many requests\"}","times":50}' >/dev/null
run th-timeline -n 5 @bob@social.example
is "$status" 75 "a fediverse server that keeps rate limiting: 75"
fb POST /_control/fault/clear >/dev/null
TH_FEDI_CONNECT=127.0.0.1:1 TH_RETRIES=1 run th-timeline -n 500 --since 2d @meta @alice@mastodon.example
is "$status" 69 "no fediverse server reachable at all: 69"
like "$err" "*@alice@mastodon.example: skipped: *onnect*" "  said for the source"
is "$(echo "$out" | jq -r '.th_sources[]' | sort -u)" "@meta" "  and Threads still streams"
unset TH_BACKOFF_MS

# --- WebFinger at a domain that redirects to the server -----------------------------------
wf='https://mastodon.example/.well-known/webfinger?resource=acct%3Aalice%40mastodon.example'
fb POST /_control/fault "{\"host\":\"alice.example\",\"path\":\"/.well-known/webfinger\",\"status\":301,\"body\":\"\",\"headers\":{\"Location\":\"$wf\"},\"times\":1}" >/dev/null
fb POST /_control/log/clear >/dev/null
run th-timeline -n 2 @alice@alice.example
is "$status" 0 "WebFinger redirected to the server that holds the account: followed"
is "$(fb GET /_control/log | jq -r '.[0:3][] | "\(.host)\(.path)"' | tr '\n' ' ')" \
	"alice.example/.well-known/webfinger mastodon.example/.well-known/webfinger mastodon.example/users/Alice " \
	"  the redirect, then the server's WebFinger and actor"
is "$(echo "$out" | jq -r '[.username, .th_sources[0]] | @tsv' | head -1)" "$(printf 'Alice@mastodon.example\t@alice@alice.example')" \
	"  the account as the server names it, the source as written"
nocache
fb POST /_control/fault '{"host":"alice.example","path":"/.well-known/webfinger","status":302,"body":"","headers":{"Location":"http://mastodon.example/.well-known/webfinger"},"times":1}' >/dev/null
run th-timeline -n 2 @alice@alice.example
like "$err" "*@alice@alice.example: skipped: https://alice.example/.well-known/webfinger?resource=acct%3Aalice%40alice.example redirects to an address that is not https: http://mastodon.example/*" \
	"a redirect to plain http is refused"
nocache
fb POST /_control/fault '{"host":"alice.example","path":"/.well-known/webfinger","status":307,"body":"","headers":{"Location":"/.well-known/webfinger?again"},"times":10}' >/dev/null
fb POST /_control/log/clear >/dev/null
run th-timeline -n 2 @alice@alice.example
like "$err" "*redirects too often, last to https://alice.example/.well-known/webfinger?again*" "a redirect loop ends after three"
is "$(fb GET /_control/log | jq length)" 4 "  four requests in all"
fb POST /_control/fault/clear >/dev/null

# --- --check ------------------------------------------------------------------------------------
run th-list add fcheck @alice@mastodon.example @nobody@mastodon.example https://mastodon.example/users/Alice https://mastodon.example/users/Ghost
run th-list show --check fcheck
is "$status" 1 "th-list --check over fediverse sources: exit 1 when one is missing"
is "$(echo "$out" | jq -c '[.source, .found]' | tr '\n' ' ')" \
	'["@nobody@mastodon.example",false] ["https://mastodon.example/users/Ghost",false] ' \
	"  WebFinger for @user@host, the actor for a URL: only the missing ones printed"
like "$(echo "$out" | jq -r 'select(.source == "@nobody@mastodon.example") | .error')" "no such account on mastodon.example*" "  with the reason"
fb POST /_control/fault '{"host":"mastodon.example","path":"/.well-known/webfinger","status":503,"body":"","times":50}' >/dev/null
TH_BACKOFF_MS=1 run th-list show --check fcheck
is "$status" 69 "--check while the server fails: 69"
is "$(echo "$out" | jq -r 'select(.source == "@alice@mastodon.example") | .found')" "" "  a server error is not reported as a missing account"
like "$err" "*@alice@mastodon.example: mastodon.example's WebFinger did not answer with JSON (HTTP 503)*" "  but said as what it is"
fb POST /_control/fault/clear >/dev/null

# --- --new and -f ----------------------------------------------------------------------
run th-timeline --new fedi @alice@mastodon.example @bob@social.example
is "$status" 0 "--new: the first run"
is "$(echo "$out" | jq -r .timestamp | head -1)" "$(echo "$out" | jq -s -r 'map(.timestamp) | min')" "  oldest first"
first=$(echo "$out" | wc -l | tr -d ' ')
ok "$([ "$first" -ge 12 ] && echo 0 || echo 1)" "  the last day of both ($first posts)"
run th-timeline --new fedi @alice@mastodon.example @bob@social.example
is "$out" "" "--new again: nothing new"
fb POST /_control/post "{\"host\":\"mastodon.example\",\"user\":\"Alice\",\"content\":\"<p>fresh</p>\",\"published\":\"$(iso $(date +%s))\"}" >/dev/null
run th-timeline --new fedi @alice@mastodon.example @bob@social.example
is "$(echo "$out" | jq -r .text)" "fresh" "--new after a new post: that post alone"
grep -q "$CANARY" "$XDG_STATE_HOME/th/timeline/fedi"
is "$?" 1 "  the state file holds no token"

"$top_builddir/th-timeline" -f --interval 1 @bob@social.example me >"$T/follow" 2>"$T/follow.err" &
pid=$!
for i in $(seq 50); do [ -s "$T/follow" ] && break; sleep 0.1; done
fb POST /_control/log/clear >/dev/null
fb POST /_control/post "{\"host\":\"social.example\",\"user\":\"bob\",\"content\":\"<p>bob while following</p>\",\"published\":\"$(iso $(date +%s))\"}" >/dev/null
for i in $(seq 80); do grep -q 'bob while following' "$T/follow" && break; sleep 0.1; done
like "$(tail -1 "$T/follow")" "*bob while following*" "-f picks up a fediverse post made while it polls"
kill -TERM $pid
wait $pid
is "$?" 0 "  and stops cleanly"
is "$(cat "$T/follow.err")" "" "  quietly"
is "$(fb GET /_control/log | jq -r '[.[] | select(.path == "/.well-known/webfinger" or .path == "/users/bob")] | length')" 0 \
	"  each poll reads the outbox: the account is looked up once per process"

# --- real recorded payloads, through th ------------------------------------------------------
if [ -d "$FIX" ]; then
	# served by the host they name, mastodon.social: no other may serve them
	fb POST /_control/account '{"host":"mastodon.social","user":"Gargron","posts":[]}' >/dev/null
	fb POST /_control/account '{"host":"mastodon.social","user":"LemmyDev","posts":[]}' >/dev/null
	page=$(jq -c '{"@context":"https://www.w3.org/ns/activitystreams",
		id:"https://mastodon.social/users/Gargron/outbox?page=true",
		type:"OrderedCollectionPage", orderedItems:.activities}' \
		"$FIX/ap-mastodon-outbox-items-gargron-2023-04-live.json")
	fb POST /_control/fault "{\"host\":\"mastodon.social\",\"path\":\"/users/Gargron/outbox\",\"status\":200,\"body\":$(printf '%s' "$page" | jq -R .),\"ctype\":\"application/activity+json\",\"times\":1}" >/dev/null
	run th-timeline -n 10 @gargron@mastodon.social
	is "$(echo "$out" | jq -c '[.media_type, .timestamp, (.text // .reposted_post.id)]')" "$(printf '%s\n' \
		'["TEXT_POST","2023-04-12T16:02:55+0000","@boris @jenn @haubles @simonwistow @anildash We'"'"'re working on open-sourcing our Terraform config for Mastodon behind Fastly."]' \
		'["REPOST_FACADE","2023-04-12T14:59:07+0000","https://newsie.social/users/dwl/statuses/110186366606387034"]' \
		'["REPOST_FACADE","2023-04-11T15:09:36+0000","https://mastodon.art/users/tinimalitius/statuses/110067493683291887"]')" \
		"the live Gargron outbox items: a reply with five mentions and two boosts"
	is "$(echo "$out" | jq -c 'select(.media_type == "TEXT_POST") | [.is_reply, .replied_to.id, .permalink]')" \
		'[true,"https://cosocial.ca/users/boris/statuses/110186624185819449","https://mastodon.social/@Gargron/110186684417144088"]' \
		"  its reply target and permalink"
	fb POST /_control/fault "{\"host\":\"mastodon.social\",\"path\":\"/users/LemmyDev/outbox\",\"status\":200,\"body\":$(jq -c . "$FIX/ap-mastodon-featured-collection-lemmydev-2020.json" | jq -R .),\"ctype\":\"application/activity+json\",\"times\":1}" >/dev/null
	run th-timeline -n 10 @lemmydev@mastodon.social
	is "$status" 0 "the live LemmyDev featured collection (items inline, no pages)"
	is "$(echo "$out" | jq -r 'select(.timestamp == "2020-05-28T14:52:14+0000") | .text')" \
		"$(printf 'Inaugural Post for Lemmy, a decentralized, easily self-hostable #reddit / link aggregator alternative,intended to work in the #fediverse:\n\nhttps://github.com/LemmyNet/lemmy/\n\n#activitypub')" \
		"  its first Note as text: hashtags, a shortened link whole again, paragraphs"
	is "$(echo "$out" | jq -s '[.[].timestamp] | . == (sort | reverse)')" true "  newest first"
	fb POST /_control/fault "{\"host\":\"mastodon.example\",\"path\":\"/users/Alice/outbox\",\"status\":200,\"body\":$(printf '%s' "$page" | jq -R .),\"ctype\":\"application/activity+json\",\"times\":1}" >/dev/null
	run th-timeline -n 10 @alice@mastodon.example
	is "$out" "" "  the same items served by mastodon.example are not its to serve: skipped"
	is "$err" "th-timeline: @alice@mastodon.example: skipped 3 posts: 3 whose id or account is not on mastodon.example" "  with a warning"
	fb POST /_control/fault "{\"host\":\"locked.example\",\"path\":\"/users/carol\",\"status\":401,\"body\":$(jq -c . "$FIX/ap-mastodon-unsigned-actor-401-live.json" | jq -R .),\"times\":1}" >/dev/null
	fb POST /_control/server '{"host":"locked.example","signed_fetch":false,"rest":false}' >/dev/null
	run th-timeline @carol@locked.example
	like "$err" "*(HTTP 401: Request not signed)*" "the recorded 401 body, word for word in the warning"
else
	skip "no fixtures at $FIX" 8
fi

# --- fidelity of the fediverse sandbox ---------------------------------------------------
if [ -d "$FIX" ]; then
	"$PYTHON3" "$top_srcdir/tests/sandbox/fedi_fidelity.py" "$FEDI" "$FIX" >"$T/fid" 2>&1
	fs=$?
	is "$fs" 0 "the fediverse sandbox has the shapes of the recorded ActivityPub payloads"
	[ $fs -ne 0 ] && sed 's/^/# /' "$T/fid"
	is "$(grep -c '^ok' "$T/fid")" "$(sed -n 's/^1\.\.//p' "$T/fid")" "  every one of its $(sed -n 's/^1\.\.//p' "$T/fid") checks"
else
	skip "no fixtures at $FIX" 2
fi

done_testing

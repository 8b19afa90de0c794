#!/bin/bash
# th-atom: post records in, one Atom 1.0 feed (RFC 4287) out: well-formed,
# every required element there, text escaped and cleaned of what XML
# cannot hold, the same bytes for the same input, entry ids that do not
# depend on the run.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
command -v xmllint >/dev/null || skip_all "xmllint is needed (scripts/deps installs libxml2-utils)"

# xp FILE XPATH: what xmllint's XPath makes of FILE (Atom's namespace is
# the default one: elements are named by local-name())
xp() { xmllint --xpath "$2" "$1" 2>&1; }
# the RFC 4287 elements a feed must have, counted: feed id, title,
# updated; entries, and those lacking id, title, updated, or an author
# when the feed has none
required() {
	local e='//*[local-name()="entry"]' c='*[local-name()="%s"]'
	xp "$1" "concat(count(/*[local-name()=\"feed\"]/*[local-name()=\"id\"]), \
count(/*[local-name()=\"feed\"]/*[local-name()=\"title\"]), \
count(/*[local-name()=\"feed\"]/*[local-name()=\"updated\"]), ' ', count($e), ' ', \
count($e[not($(printf "$c" id))]) + count($e[not($(printf "$c" title))]) + \
count($e[not($(printf "$c" updated))]) + \
count($e[not($(printf "$c" author)) and not(/*/*[local-name()=\"author\"])]))"
}

# --- a fixed input, the exact feed ----------------------------------------------
# a Threads post with an image, a Threads repost (no text), a fediverse
# post with a content warning and two attachments, given oldest first
cat >"$T/in" <<'EOF'
{"id":"18000000000000001","username":"orbit_daily","text":"Launch window opens at 09:14 UTC. Weather is 80% go, and the booster lands on the drone ship this time.\nsecond line","timestamp":"2026-11-20T09:00:00+0000","permalink":"https://www.threads.com/@orbit_daily/post/AAAA1","media_type":"IMAGE","media_url":"https://scontent.cdninstagram.com/v/t51/1.jpg?stp=dst&_nc=1","th_sources":["@orbit_daily"]}
{"id":"18000000000000002","username":"meta","timestamp":"2026-11-20T10:00:00+0000","permalink":"https://www.threads.com/@meta/post/AAAA2","media_type":"REPOST_FACADE","reposted_post":{"id":"18000000000000001"}}
{"id":"https://mastodon.example/users/alice/statuses/4","username":"alice@mastodon.example","text":"the spoiler itself","summary":"film spoilers","timestamp":"2026-11-21T08:30:00+0000","permalink":"https://mastodon.example/@alice/4","media_type":"CAROUSEL_ALBUM","media_url":"https://files.mastodon.example/a.png","media_urls":["https://files.mastodon.example/a.png","https://files.mastodon.example/b.webm"],"th_sources":["@alice@mastodon.example"]}
EOF
cat >"$T/golden" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>https://example.org/~me/space.xml</id>
  <title>Space &amp; more</title>
  <updated>2026-11-21T08:30:00Z</updated>
  <link rel="self" type="application/atom+xml" href="https://example.org/~me/space.xml"/>
  <author>
    <name>me</name>
  </author>
  <generator>th</generator>
  <entry>
    <id>https://mastodon.example/users/alice/statuses/4</id>
    <title>film spoilers</title>
    <author>
      <name>alice@mastodon.example</name>
    </author>
    <link rel="alternate" type="text/html" href="https://mastodon.example/@alice/4"/>
    <link rel="enclosure" type="image/png" href="https://files.mastodon.example/a.png"/>
    <link rel="enclosure" type="video/webm" href="https://files.mastodon.example/b.webm"/>
    <published>2026-11-21T08:30:00Z</published>
    <updated>2026-11-21T08:30:00Z</updated>
    <content type="text">the spoiler itself</content>
  </entry>
  <entry>
    <id>tag:th-atom,2026:threads/18000000000000002</id>
    <title>(repost)</title>
    <author>
      <name>meta</name>
      <uri>https://www.threads.com/@meta</uri>
    </author>
    <link rel="alternate" type="text/html" href="https://www.threads.com/@meta/post/AAAA2"/>
    <published>2026-11-20T10:00:00Z</published>
    <updated>2026-11-20T10:00:00Z</updated>
    <content type="text"></content>
  </entry>
  <entry>
    <id>tag:th-atom,2026:threads/18000000000000001</id>
    <title>Launch window opens at 09:14 UTC. Weather is 80% go, and the booster lands on…</title>
    <author>
      <name>orbit_daily</name>
      <uri>https://www.threads.com/@orbit_daily</uri>
    </author>
    <link rel="alternate" type="text/html" href="https://www.threads.com/@orbit_daily/post/AAAA1"/>
    <link rel="enclosure" type="image/jpeg" href="https://scontent.cdninstagram.com/v/t51/1.jpg?stp=dst&amp;_nc=1"/>
    <published>2026-11-20T09:00:00Z</published>
    <updated>2026-11-20T09:00:00Z</updated>
    <content type="text">Launch window opens at 09:14 UTC. Weather is 80% go, and the booster lands on the drone ship this time.
second line</content>
  </entry>
</feed>
EOF
run th-atom --title 'Space & more' --link https://example.org/~me/space.xml --author me <"$T/in"
is "$status:$err" "0:" "th-atom on three posts: 0, nothing on stderr"
is "$out" "$(cat "$T/golden")" "  the exact feed: newest first, ids, titles, authors, links, enclosures, times in UTC, text"
cp "$T/out" "$T/feed.xml"
xmllint --noout "$T/feed.xml" 2>"$T/lint"
is "$?:$(cat "$T/lint")" "0:" "  well-formed (xmllint)"
is "$(required "$T/feed.xml")" "111 3 0" "  feed id, title, updated once; 3 entries, none without id, title, updated, author"
is "$(xp "$T/feed.xml" 'string(//*[local-name()="entry"][3]/*[local-name()="content"])')" \
	"$(jq -r 'select(.id == "18000000000000001") | .text' "$T/in")" "  a parser reads the post's text back whole"

# without --author, every entry has one; with a record lacking a name, "unknown"
printf '{"id":"5","timestamp":"2026-11-20T09:00:00+0000","text":"who?"}\n' >"$T/anon"
run th-atom <"$T/anon"
cp "$T/out" "$T/anon.xml"
is "$(required "$T/anon.xml")" "111 1 0" "no --author, a post without username: every required element still there"
is "$(xp "$T/anon.xml" 'string(//*[local-name()="entry"]/*[local-name()="author"])' | tr -d ' \n')" "unknown" \
	"  its author: unknown"
is "$(xp "$T/anon.xml" 'concat(/*/*[local-name()="id"], "|", /*/*[local-name()="title"])')" \
	"tag:th-atom,2026:feed/th|th" "  the feed's default id and title"
run th-atom --author 'The Desk' --title 'Rust on Threads' <"$T/anon"
is "$(echo "$out" | grep -A1 '<author>' | tr -d ' \n')" "<author><name>TheDesk</name>--<author><name>TheDesk</name>" \
	"--author: the feed's author, and the nameless post's"
like "$out" "*<id>tag:th-atom,2026:feed/Rust%20on%20Threads</id>*" "  the default id: the title, percent-encoded"

# --- the same input, the same bytes ---------------------------------------------
"$top_builddir/th-atom" --title X <"$T/in" >"$T/a1"
sleep 1
"$top_builddir/th-atom" --title X <"$T/in" >"$T/a2"
tac "$T/in" | "$top_builddir/th-atom" --title X >"$T/a3"
cmp -s "$T/a1" "$T/a2"
ok $? "the same input twice, a second apart: byte-identical feeds"
cmp -s "$T/a1" "$T/a3"
ok $? "  the same posts in another order: byte-identical too"
run th-atom --updated 2026-12-01T00:00:00Z <"$T/in"
like "$out" "*<feed xmlns=\"http://www.w3.org/2005/Atom\">
  <id>*</id>
  <title>th</title>
  <updated>2026-12-01T00:00:00Z</updated>*" "--updated: the feed's time as given"

# --- entry ids: from the post, never from the run -------------------------------
sed -n 1,2p "$T/in" | "$top_builddir/th-atom" >"$T/r1"
sed -n 2,3p "$T/in" | "$top_builddir/th-atom" >"$T/r2"
id2() { xp "$1" 'string(//*[local-name()="entry"][*[local-name()="title"] = "(repost)"]/*[local-name()="id"])'; }
is "$(id2 "$T/r1")" "tag:th-atom,2026:threads/18000000000000002" "the same post in two runs with other posts: its id"
is "$(id2 "$T/r2")" "$(id2 "$T/r1")" "  the same in both"
is "$(cat "$T/in" "$T/in" | "$top_builddir/th-atom" | grep -c '<entry>')" 3 "a post given twice is one entry"
run th-atom -n 2 <"$T/in"
is "$(echo "$out" | grep -o 'statuses/4</id>\|threads/1800000000000000[12]</id>' | tr '\n' ' ')" \
	"statuses/4</id> threads/18000000000000002</id> " "-n 2: the two newest entries"

# --- escaping; what XML 1.0 cannot hold ------------------------------------------
# <>&"' in text and title; \u0001 \u000b U+FFFE U+FFFF DEL and a C1 (NEL)
# dropped; a byte that is not UTF-8 as U+FFFD; a carriage return kept as
# a reference; tab and newline as they are
printf '{"id":"9","username":"x<y","timestamp":"2026-11-20T09:00:00+0000","text":"a <b>&amp;</b> \\"q\\" '"'"'s\\u0001\\u000b|\\ufffe\\uffff\\u007f\\u0085|bad \xc3\x28 byte\\tt\\r\\nz","permalink":"https://www.threads.com/@x/post/A?a=1&b=2"}\n' >"$T/evil"
title="T <&> \"'"
run th-atom --title "$title" <"$T/evil"
cp "$T/out" "$T/evil.xml"
xmllint --noout "$T/evil.xml" 2>"$T/lint"
is "$?:$(cat "$T/lint")" "0:" "special and control characters in text, title and names: still well-formed"
is "$(grep '<title>\|<content\|</content>\|<name>\|href=' "$T/evil.xml")" \
"  <title>T &lt;&amp;&gt; &quot;'</title>
    <title>a &lt;b&gt;&amp;amp;&lt;/b&gt; &quot;q&quot; 's||bad �( byte t</title>
      <name>x&lt;y</name>
    <link rel=\"alternate\" type=\"text/html\" href=\"https://www.threads.com/@x/post/A?a=1&amp;b=2\"/>
    <content type=\"text\">a &lt;b&gt;&amp;amp;&lt;/b&gt; &quot;q&quot; 's||bad �( byte	t&#13;
z</content>" "  <>&\" escaped; C0, DEL, C1, U+FFFE/FFFF dropped; bad UTF-8 as U+FFFD; CR a reference"
is "$(xp "$T/evil.xml" 'string(//*[local-name()="content"])' | od -An -c | tr -s ' ' | tr -d '\n')" \
	"$(printf 'a <b>&amp;</b> "q" '"'"'s||bad \357\277\275( byte\tt\r\nz\n' | od -An -c | tr -s ' ' | tr -d '\n')" \
	"  a parser reads back the text, less what XML cannot hold (xmllint adds a newline)"
grep -q "$(printf '[\001\013]')" "$T/evil.xml"
ok "$([ $? -ne 0 ] && echo 0 || echo 1)" "  no raw control character in the file"

is "$(grep -c '<uri>' "$T/evil.xml")" 0 "  a username that is none of Threads' (x<y): no profile address"

# only web URLs become links
printf '{"id":"10","username":"x","timestamp":"2026-11-20T09:00:00+0000","text":"t","permalink":"javascript:alert(1)","media_url":"data:text/html,<script>"}\n' |
	"$top_builddir/th-atom" >"$T/js.xml"
is "$(grep -c '<link' "$T/js.xml")" 0 "a javascript: permalink and a data: media URL: no link"

# --- bad input lines ------------------------------------------------------------
{
	echo 'not json'
	echo '[1,2]'
	echo '{"username":"someone","biography":"a profile"}'
	echo '{"id":"11","username":"x","text":"no time"}'
	sed -n 1p "$T/in"
} >"$T/bad"
run th-atom <"$T/bad"
is "$status" 65 "malformed lines and records that are not posts: 65"
is "$err" "th-atom: stdin:1: malformed JSON: Invalid numeric literal at line 1, column 4 (while parsing 'not json')
th-atom: stdin:2: not a JSON object
th-atom: stdin:3: not a post (no id): skipped
th-atom: stdin:4: not a post (no timestamp): skipped" "  each reported with its line"
is "$(echo "$out" | grep -c '<entry>')" 1 "  the feed is written with the post among them"
echo "$out" | xmllint --noout - 2>/dev/null
ok $? "  well-formed"

run th-atom </dev/null
is "$status:$err" "0:th-atom: no records on stdin: a feed without entries" "empty stdin: 0, and a message"
cp "$T/out" "$T/empty.xml"
is "$(required "$T/empty.xml")" "111 0 0" "  a feed with its required elements and no entries"
like "$out" "*<updated>1970-01-01T00:00:00Z</updated>*" "  dated at the epoch, not the clock"

# --- usage ------------------------------------------------------------------------
run th-atom --help
is "$status" 0 "--help: 0"
like "$out" "usage: th-atom *--title text*see th-atom(1) and th(7)" "  the synopsis, the options, the man page"
run th-atom --version
like "$status:$out" "0:th-atom *" "--version"
for a in "-n 0" "-n many" "--updated yesterday" "--link ftp://example.org/f.xml" "--jq .id" "an-operand"; do
	# shellcheck disable=SC2086
	run th-atom $a <"$T/in"
	is "$status:$out" "64:" "th-atom $a: 64, no feed"
done
like "$err" "*usage: th-atom*" "  an operand: the synopsis"
"$top_builddir/th-atom" <"$T/in" >/dev/full 2>"$T/full.err"
is "$?:$(cat "$T/full.err")" "74:th-atom: cannot write output: No space left on device" "a full disk: 74, said"

# --- from the sandbox: Threads, then the fediverse ------------------------------
sandbox_start
fedi_start
"$top_builddir/th-timeline" -n 5 @meta >"$T/tl"
run th-atom --title 'Meta on Threads' <"$T/tl"
cp "$T/out" "$T/tl.xml"
is "$status:$err" "0:" "th-timeline -n 5 @meta | th-atom --title ...: 0"
is "$(required "$T/tl.xml")" "111 5 0" "  well-formed enough for XPath; 5 entries with every required element"
is "$(xp "$T/tl.xml" '//*[local-name()="entry"]/*[local-name()="id"]/text()')" \
	"$(jq -r '"tag:th-atom,2026:threads/" + .id' "$T/tl")" "  one entry per post, ids from the posts' ids, in the timeline's order"
is "$(xp "$T/tl.xml" '//*[local-name()="entry"]/*[local-name()="link"][@rel="alternate"]/@href' | sed 's/^ *href="\(.*\)"$/\1/')" \
	"$(jq -r .permalink "$T/tl")" "  each linking to its permalink"

now=$(date +%s)
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
fb POST /_control/account "{\"host\":\"social.example\",\"user\":\"bob\",\"posts\":[
	{\"content\":\"<p>bob says <b>hi</b> &amp; <a href=\\\"https://example.org/x\\\">reads this</a></p><script>alert(1)</script>\",\"published\":\"$(iso $((now - 600)))\"}]}" >/dev/null
"$top_builddir/th-timeline" -n 1 @bob@social.example >"$T/fedi"
run th-atom <"$T/fedi"
cp "$T/out" "$T/fedi.xml"
is "$status:$(required "$T/fedi.xml")" "0:111 1 0" "a fediverse post: a feed with its entry"
is "$(xp "$T/fedi.xml" 'string(//*[local-name()="entry"]/*[local-name()="id"])')" "$(jq -r .id "$T/fedi")" \
	"  its id: the post's own URL"
is "$(xp "$T/fedi.xml" 'string(//*[local-name()="content"])')" "bob says hi & reads this <https://example.org/x>" \
	"  its content: the text th-timeline made of the HTML, no tag, no script"
is "$(xp "$T/fedi.xml" 'string(//*[local-name()="entry"]/*[local-name()="author"]/*[local-name()="name"])')" \
	"bob@social.example" "  its author: user@host"

done_testing

#!/bin/bash
# Issue 20's read-only features: th-embed (oEmbed without a token),
# th-search --history (recently searched keywords), th-stats
# --demographics (follower demographics) and th-show's table of them.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
TABLE="$top_srcdir/tests/data/request-shapes.json"
SHAPES="$top_srcdir/tests/sandbox/shapes.py"
canary_ok "$T/log.ndjson"

# fits: there were requests since the last clearlog, and every one fits
# a row of the table
fits() {
	local rc
	sb GET /_control/log >"$T/log.ndjson"
	"$PYTHON3" "$SHAPES" "$TABLE" <"$T/log.ndjson" >"$T/shapes.out" 2>&1
	rc=$?
	grep -q . "$T/log.ndjson" || rc=1
	ok $rc "$1"
	sed 's/^/#   /' "$T/shapes.out" | head -5
}

# --- th-embed -------------------------------------------------------------------------
perm=$("$top_builddir/th-timeline" -n 1 me --jq .permalink)
code=${perm##*/}
clearlog
run th-embed "$perm"
is "$status" 0 "th-embed PERMALINK"
is "$(sblog '[.method, .path, .query, .bearer, .token_in_url]')" \
	"[\"GET\",\"/v1.0/oembed\",{\"url\":\"https://www.threads.com/@th_tester/post/$code/\"},false,false]" \
	"  GET /oembed?url=, the docs' form of the permalink, and no token at all"
is "$(echo "$out" | jq -c '[.permalink, .type, .version, .provider_name, .width, (.html | startswith("<blockquote class=\"text-post-media\""))]')" \
	"[\"https://www.threads.com/@th_tester/post/$code/\",\"rich\",\"1.0\",\"Threads\",658,true]" \
	"  one record: the permalink, then the API's oEmbed fields"
fits "  the request fits the table's oembed row"

clearlog
unset TH_ACCESS_TOKEN
run th-embed --maxwidth 400 "https://threads.net/@th_tester/post/$code?xmt=share#x"
is "$status:$(echo "$out" | jq .width)" "0:400" "without any token, a threads.net share link, --maxwidth 400"
is "$(sblog '[.query.url, .query.maxwidth, .bearer]')" \
	"[\"https://www.threads.com/@th_tester/post/$code/\",\"400\",false]" \
	"  the query string and fragment are dropped, maxwidth sent"
fits "  that request fits the table too"
export TH_ACCESS_TOKEN="$CANARY"

clearlog
printf '%s\n' "{\"id\":\"1\",\"permalink\":\"$perm\"}" "$perm" | run th-embed --jq .permalink
is "$status:$(echo "$out" | sort -u | wc -l | tr -d ' '):$(sblog . | wc -l | tr -d ' ')" "0:1:2" \
	"th-embed on stdin: a record's permalink, a bare permalink"

clearlog
for a in 319 659 wide; do
	run th-embed --maxwidth $a "$perm"
	is "$status" 64 "--maxwidth $a: 64"
done
like "$err" "*--maxwidth 'wide'*320 to 658*" "  saying the range"
run th-embed 12345
is "$status" 65 "th-embed of an id, not a permalink: 65"
like "$err" "*'12345': not a post's permalink*" "  saying what it wants"
run th-embed "https://example.com/@th_tester/post/$code"
is "$status" 65 "th-embed of another site's URL: 65"
is "$(sblog . | wc -l | tr -d ' ')" 0 "  and not one request was sent"

run th-embed "https://www.threads.com/@th_tester/post/NoSuchCode1"
is "$status" 1 "th-embed of a post that does not exist: 1"

sb POST /_control/clock '{"advance": 3601}' >/dev/null
sb POST /_control/config '{"quota_oembed": 1}' >/dev/null
clearlog
run th-embed "$perm" "$perm" "$perm"
is "$status" 75 "the hourly oEmbed limit: 75"
like "$err" "*rate limit*" "  saying so"
is "$(echo "$out" | grep -c .):$(sblog . | wc -l | tr -d ' ')" "1:6" \
	"  one record; the refused read tried 5 times (4 retries), as every read is; the third item never sent"
sb POST /_control/config '{"quota_oembed": 1000}' >/dev/null

# --- th-search --history ------------------------------------------------------------------
"$top_builddir/th-search" -n 1 alpha >/dev/null
"$top_builddir/th-search" -n 1 --recent beta gamma >/dev/null
clearlog
run th-search --history
is "$status" 0 "th-search --history"
is "$(sblog '[.method, .path, .query]')" '["GET","/v1.0/me",{"fields":"recently_searched_keywords"}]' \
	"  one GET /me?fields=recently_searched_keywords"
is "$(echo "$out" | jq -c '[.query, (.timestamp | type), (.timestamp > 1700000000000)]' | tr '\n' ' ')" \
	'["beta gamma","number",true] ["alpha","number",true] ' \
	"  a record per keyword, newest first, as the API sends it: {query, timestamp} in ms"
fits "  the request fits the table's me row"
run th-search --history -n 1 --jq .query
is "$status:$out" "0:beta gamma" "th-search --history -n 1: the newest only"

clearlog
for a in "--history alpha" "--history --tag" "--history --author meta" "--history --since 1d" \
	"--history --recent" "--history --new x"; do
	run th-search $a
	is "$status" 64 "th-search $a: 64"
done
like "$err" "*--history takes no query and no search options but -n*" "  saying why"
is "$(sblog . | wc -l | tr -d ' ')" 0 "  and not one request was sent"


# --- th-stats --demographics ----------------------------------------------------------------
clearlog
run th-stats --demographics age,country
is "$status" 0 "th-stats --demographics age,country"
is "$(sblog '[.path, .query.metric, .query.breakdown, (.query | has("since") or has("until"))]' | tr '\n' ' ')" \
	'["/v1.0/me/threads_insights","follower_demographics","age",false] ["/v1.0/me/threads_insights","follower_demographics","country",false] ' \
	"  one request a breakdown (the API takes one), in the order given, no since or until"
is "$(echo "$out" | jq -c . | head -4 | tr '\n' ' ')" \
	'{"breakdown":"age","dimension":"18-24","followers":10} {"breakdown":"age","dimension":"25-34","followers":20} {"breakdown":"age","dimension":"35-44","followers":30} {"breakdown":"country","dimension":"US","followers":10} ' \
	"  a record a result: {breakdown, dimension, followers}"
is "$(echo "$out" | wc -l | tr -d ' ')" 6 "  three of each"
fits "  the requests fit the table's account insights row"

clearlog
for a in "--demographics sex" "--demographics age,,city" "--demographics age me" \
	"--demographics city --since 7d" "--demographics gender --quota"; do
	run th-stats $a
	is "$status" 64 "th-stats $a: 64"
done
run th-stats --demographics age,sex
like "$err" "*--demographics 'sex': country, city, age or gender*" "  naming the breakdowns the API has"
is "$(sblog . | wc -l | tr -d ' ')" 0 "  and not one request was sent"

# --- th-show draws demographics as a table ---------------------------------------------------
"$top_builddir/th-stats" --demographics age,gender >"$T/demo.ndjson"
run th-show <"$T/demo.ndjson"
is "$out" "followers by age
  18-24      10  16.7% ███████
  25-34      20  33.3% █████████████
  35-44      30  50.0% ████████████████████
followers by gender
  F      10  16.7% ███████
  M      20  33.3% █████████████
  U      30  50.0% ████████████████████" "th-stats --demographics | th-show: a table a breakdown, with shares and bars"

done_testing

#!/bin/bash
# One grammar everywhere: '#tag' is a tag (th-search too), a bare word is
# no source (65, with a hint), and a post's permalink goes wherever its
# id does, resolved by its shortcode among its author's newest posts.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
LISTS="$XDG_DATA_HOME/th/lists"

# --- th-search '#tag' is a tag search ------------------------------------------
clearlog
run th-search '#Release' -n 3 --jq '.th_sources[0]'
is "$status" 0 "th-search '#Release': exit 0"
is "$(sblogr 'select(.path == "/v1.0/keyword_search") | [.query.search_mode, .query.q] | join(" ")')" \
	"TAG Release" "  it asks the API for the topic tag 'Release', not the keyword '#Release'"
is "$(echo "$out" | sort -u)" "#Release" "  and labels the posts with the tag"
clearlog
run th-search release notes -n 1
is "$(sblogr 'select(.path == "/v1.0/keyword_search") | [.query.search_mode, .query.q] | join(" ")')" \
	"KEYWORD release notes" "words without '#' are still keywords"

# --- a bare word is not a source ----------------------------------------------
clearlog
run th-list add rugby ramen
is "$status" 65 "th-list add rugby ramen: 65"
is "$err" "th-list: 'ramen': a bare word is not a source: @ramen or #ramen?" \
	"  the hint names both readings"
ok "$([ ! -e "$LISTS/rugby" ] && echo 0 || echo 1)" "  and no list was written"
run th-follow seoul.eats '#ramen'
is "$status:$err" "65:th-follow: 'seoul.eats': a bare word is not a source: @seoul.eats?" \
	"th-follow seoul.eats: 65; a word with a dot can only be a user"
ok "$([ ! -e "$LISTS/following" ] && echo 0 || echo 1)" "  nothing followed, not even the good one"
run th-follow gargron@mastodon.social
is "$status:$err" "65:th-follow: 'gargron@mastodon.social': a bare word is not a source: @gargron@mastodon.social?" \
	"a fediverse handle without its first @: the hint adds it"
run th-list add rugby <<'EOF2'
#rugby
ramen
EOF2
is "$status:$err" "65:th-list: stdin:2: 'ramen': a bare word is not a source: @ramen or #ramen?" \
	"a bare word on stdin: 65, named by its line"
run th-list add rugby <<'EOF2'
{"id": "1", "username": "Ramen.Tokyo", "text": "a post: its author"}
{"source": "#rugby"}
EOF2
is "$status:$(cat "$LISTS/rugby" | tr '\n' ' ')" "0:@ramen.tokyo #rugby " \
	"a record's username is still its author's, @ or not"
is "$(sblog | grep -c .)" 0 "and not one request was sent for any of it"

# --- permalinks where post ids go -----------------------------------------------
MINE=$("$top_builddir/th-api" me/threads fields=id,permalink limit=3 | jq -c '.data[2]')
MYID=$(echo "$MINE" | jq -r .id)
MYURL=$(echo "$MINE" | jq -r .permalink)
MYSC=${MYURL##*/}
ME=$(echo "$MYURL" | sed 's|.*/@\([^/]*\)/.*|\1|')
clearlog
run th-stats "$MYURL"
is "$status:$(echo "$out" | jq -r .id)" "0:$MYID" "th-stats PERMALINK: the stats of the post it names"
is "$(sblogr '[.method, .path, .query.fields // .query.metric, .query.limit // ""] | join(" ")')" \
"GET /v1.0/me id,username 
GET /v1.0/me/threads id,shortcode 100
GET /v1.0/$MYID/insights views,likes,replies,reposts,quotes,shares " \
	"  found among your posts: whose it is (/me), one page of 100, then the post"

clearlog
run th-delete -n "https://threads.net/@${ME^^}/post/$MYSC/?xmt=AQGz&slof=1"
is "$status:$out" "0:{\"id\":\"$MYID\",\"dry_run\":true}" \
	"th-delete: threads.net, no www, upper case, a slash and a query string"

TARGET=$("$top_builddir/th-timeline" -n 130 @meta | tail -1)
TID=$(echo "$TARGET" | jq -r .id)
TURL=$(echo "$TARGET" | jq -r .permalink)
clearlog
run th-repost "$TURL"
is "$status" 0 "th-repost PERMALINK of another's post (the 130th newest)"
is "$(sblogr 'select(.path == "/v1.0/profile_posts") | [.query.username, .query.fields, .query.limit, (.query.after != null)] | join(" ")')" \
"meta id,shortcode 100 false
meta id,shortcode 100 true" "  looked for among @meta's profile posts: two pages"
is "$(sblogr 'select(.method == "POST") | .path')" "/v1.0/$TID/repost" "  and reposted that post"

clearlog
run th-hide "$TURL"
is "$(sblogr 'select(.method == "POST") | .path')" "/v1.0/$TID/manage_reply" \
	"th-hide PERMALINK: the id it names"

N=$(sb GET /_control/state | jq .own_posts)
run th-stats "https://www.threads.com/@$ME/post/DNOSUCHPOST"
R=$("$top_builddir/th-api" --paginate me/replies fields=id limit=100 | grep -c .)
is "$status:$err" "65:th-stats: https://www.threads.com/@$ME/post/DNOSUCHPOST: no post DNOSUCHPOST among the $N newest of your posts and the $R newest of your replies (all of them, 2 pages read)" \
	"a shortcode not among your posts or replies: 65, saying how far it looked"

sb POST /_control/seed '{"user": "big.archive", "posts": 1050, "followers": 5000}' >/dev/null
clearlog
run th-repost "https://www.threads.com/@big.archive/post/DNOSUCHPOST"
is "$status:$err" "65:th-repost: https://www.threads.com/@big.archive/post/DNOSUCHPOST: no post DNOSUCHPOST among the 1000 newest of @big.archive's posts (10 pages read, the most th reads for a permalink: give the post's id instead)" \
	"an old post of a busy account: 65 after 10 pages, and it says so"
is "$(sblog 'select(.path == "/v1.0/profile_posts")' | grep -c .):$(sblog 'select(.method == "POST")' | grep -c .)" \
	"10:0" "  ten pages were read, and nothing was reposted"

sb POST /_control/seed '{"user": "twins", "posts": 2, "followers": 5000, "shortcode": "DTWINTWIN12"}' >/dev/null
run th-delete "https://www.threads.com/@twins/post/DTWINTWIN12"
like "$status:$err" "65:th-delete: https://www.threads.com/@twins/post/DTWINTWIN12: the shortcode DTWINTWIN12 names two of @twins's posts (* and *): give the post's id instead" \
	"a shortcode two posts carry: 65, ambiguous"

clearlog
for bad in https://www.threads.com/@meta https://www.threads.com/t/DABCDEFGHIJ \
    https://example.com/@meta/post/DABCDEFGHIJ 'https://www.threads.com/@meta/post/'; do
	run th-stats "$bad"
	is "$status:$err" "65:th-stats: '$bad': not a post id or permalink" "not a permalink: $bad"
done
is "$(sblog | grep -c .)" 0 "  and not one request for them"

# --- a permalink as a source: the post's conversation -------------------------------
TSC=${TURL##*/}
run th-list add convo "https://threads.net/@Meta/post/$TSC?xmt=1"
is "$status:$(cat "$LISTS/convo")" "0:https://www.threads.com/@meta/post/$TSC" \
	"th-list add PERMALINK: kept in one spelling, without its query string"
clearlog
run th-timeline list:convo
is "$status" 0 "th-timeline list:convo: exit 0"
is "$(sblogr 'select(.path | test("conversation")) | .path' | sort -u)" "/v1.0/$TID/conversation" \
	"  reads the conversation of the post the permalink names"
clearlog
run th-timeline -c "$TURL" -r "$MYURL"
is "$status" 0 "th-timeline -c PERMALINK -r PERMALINK: exit 0"
is "$(sblogr 'select(.path | test("conversation|/replies")) | .path' | sort -u)" \
	"$(printf '/v1.0/%s/conversation\n/v1.0/%s/replies' "$TID" "$MYID" | sort)" \
	"  the ids they name"
run th-timeline -c https://www.threads.com/@meta
is "$status" 64 "th-timeline -c with what is no post: 64"
run th-timeline ramen
is "$status:$err" "65:th-timeline: 'ramen': a bare word is not a source: @ramen or #ramen?" \
	"th-timeline ramen: 65 with the hint, as th-list"

done_testing

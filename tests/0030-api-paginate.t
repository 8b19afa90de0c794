#!/bin/bash
# --paginate streams every item of every page, paged with cursors.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start

sb POST /_control/seed '{"user": "bulk.news", "posts": 1000, "followers": 9000}' >/dev/null
clearlog
run th-api --paginate profile_posts username=bulk.news fields=id,timestamp limit=100
is "$status" 0 "--paginate over 1,000 posts succeeds"
is "$(wc -l <"$T/out" | tr -d ' ')" 1000 "and emits 1,000 lines"
is "$(jq -r .id "$T/out" | sort -u | wc -l | tr -d ' ')" 1000 "with no duplicate id"
is "$(jq -r '.id | type' "$T/out" | sort -u)" string "every id is a string"
is "$(jq -r .timestamp "$T/out" | sort -r | cmp - <(jq -r .timestamp "$T/out") >/dev/null && echo sorted)" \
	sorted "in the API's order, newest first"
is "$(sblog .path | sort | uniq -c | awk '{print $1}')" 10 "in exactly 10 requests"
is "$(sblog '.query.after // "first"' | sort -u | wc -l | tr -d ' ')" 10 "each page fetched once"
is "$(sblog 'select(.token_in_url)' | wc -l | tr -d ' ')" 0 \
	"paging.next (which carries the token) is never followed"

run th-api --paginate --jq .id me/threads limit=25
is "$(wc -l <"$T/out" | tr -d ' ')" 60 "--paginate with --jq pages through the own posts (60)"

run th-api --paginate me fields=id,username
is "$(echo "$out" | jq -r .username)" th_tester "--paginate on an object prints the object once"

run th-api --paginate me/threads limit=500
is "$status" 1 "an invalid limit is the API's refusal (1)"
like "$err" "*limit*" "the message is the API's"

run th-api -X POST --paginate me/threads
is "$status" 64 "--paginate with POST is a usage error"

# a page that fails half-way: the items already printed stay printed
fault '{"path": "^/v1.0/profile_posts$", "status": 500, "times": 100, "error": {"message": "boom", "code": 1}}'
sb POST /_control/faults/clear >/dev/null
fault '{"path": "^/v1.0/me/threads$", "status": 400, "error": {"message": "Invalid cursor", "type": "THApiException", "code": 100}, "times": 1}'
run th-api --paginate me/threads limit=10
is "$status" 1 "an error on the first page exits 1"
is "$out" "" "with nothing printed"

done_testing

#!/bin/bash
# The fault matrix: what the network and the API can do to a read and to
# a publish, and what th does about it. (0020 covers the basic cases.)
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
export TH_RETRIES=3

requests() {	# requests PATH [METHOD]: how many requests reached PATH
	sb GET /_control/log | jq -c --arg p "$1" --arg m "${2:-}" \
		'select(.path == $p and ($m == "" or .method == $m))' | wc -l | tr -d ' '
}
posts() {	# posts TEXT: how many of our posts have exactly TEXT
	"$top_builddir/th-api" --paginate me/threads fields=id,text limit=100 |
		jq --arg t "$1" 'select(.text == $t) | .id' | wc -l | tr -d ' '
}
reset() {
	sb POST /_control/faults/clear >/dev/null
	clearlog
}

# --- reads: transient answers are retried, with backoff -----------------------
for code in 1 2 4 17 32 613; do
	reset
	fault "{\"path\": \"^/v1.0/me\$\", \"times\": 2, \"status\": 400, \"error\": {\"message\": \"try later\", \"type\": \"OAuthException\", \"code\": $code}}"
	run th-api --jq .id me fields=id
	is "$status:$(requests /v1.0/me)" "0:3" "a read answered with code $code twice is retried, and succeeds on the third request"
done
reset
fault '{"path": "^/v1.0/me$", "times": 1, "status": 400, "error": {"message": "hiccup", "type": "OAuthException", "code": 100, "is_transient": true}}'
run th-api me
is "$status:$(requests /v1.0/me)" "0:2" "is_transient: true makes any code worth a retry"
reset
fault '{"path": "^/v1.0/me$", "times": 1, "status": 429, "retry_after": 1, "body": ""}'
start=$(date +%s%N)
run th-api me
end=$(date +%s%N)
is "$status" 0 "a bare 429 with Retry-After is retried"
ok "$([ $(( (end - start) / 1000000 )) -ge 950 ] && echo 0 || echo 1)" "  after waiting Retry-After (1 s)"
reset
fault '{"path": "^/v1.0/me$", "times": 1, "status": 500, "error": {"message": "Invalid OAuth 2.0 Access Token", "type": "THApiException", "code": 190}}'
run th-api me
is "$status:$(requests /v1.0/me)" "77:1" "190 (even with HTTP 500): 77 at once, no retry"
reset
fault '{"path": "^/v1.0/me$", "times": 10, "status": 400, "error": {"message": "limit", "type": "OAuthException", "code": 17}}'
run th-api me
is "$status:$(requests /v1.0/me)" "75:4" "a rate limit that outlasts the retries: 75 after 1 + TH_RETRIES requests"

# --- reads: broken answers ----------------------------------------------------------
reset
fault '{"path": "^/v1.0/me$", "times": 10, "body": "{\"id\": \"1\", \"username\": "}'
run th-api me
is "$status" 69 "malformed JSON: 69"
like "$err" "*not a JSON object*" "  said clearly"
reset
{ printf '{"path": "^/v1.0/me$", "times": 10, "body": "'
  printf '[%.0s' $(seq 100000); printf ']%.0s' $(seq 100000); printf '"}'; } >"$T/deep.json"
curl -sS -X POST -H 'Content-Type: application/json' --data-binary @"$T/deep.json" "$SB/_control/fault" >/dev/null
run th-api me
is "$status" 69 "JSON nested 100,000 deep: 69, no crash"
reset
fault '{"path": "^/v1.0/me$", "times": 10, "body": "{\"id\": \"1\u0000\", \"username\": \"x\"}"}'
run th-api me
ok "$([ "$status" -eq 0 ] || [ "$status" -eq 69 ] && echo 0 || echo 1)" "a NUL inside the answer: no crash (exit $status)"
unlike "$out$err" "*Segmentation*" "  and no garbage"
reset
fault '{"path": "^/v1.0/me$", "times": 10, "status": 502, "content_type": "text/html", "body": "<html><body><h1>502 Bad Gateway</h1></body></html>"}'
run th-api me
is "$status" 69 "an HTML error page from a proxy: 69"
like "$err" "*server error (HTTP 502)*" "  said as such"
reset
fault '{"path": "^/v1.0/me$", "times": 1, "truncate": 10}'
run th-api --jq .username me fields=username
is "$status:$out" "0:th_tester" "a connection reset mid-body: the read is retried and succeeds"
reset
fault '{"path": "^/v1.0/me$", "times": 10, "size": 9437184}'
run th-api me
is "$status" 69 "a 9 MiB body: refused (69), no crash"
reset
fault '{"path": "^/v1.0/me$", "times": 10, "drip": 1.5}'
start=$(date +%s)
TH_LOW_SPEED_TIME=2 TH_RETRIES=0 run th-api me fields=id,username,name,threads_biography
end=$(date +%s)
is "$status" 69 "a body dripping a byte every 1.5 s (under 1 B/s): abandoned (69)"
# bounds far below the alternatives (a 30 s deadline, a body of some 90
# bytes that would take over 2 minutes), wide enough for valgrind
ok "$([ $((end - start)) -le 15 ] && echo 0 || echo 1)" "  by the low-speed limit (2 s), not the 30 s deadline: in $((end - start)) s"
reset
fault '{"path": "^/v1.0/me$", "times": 10, "drip": 0.3}'
start=$(date +%s)
TH_TIMEOUT=3 TH_RETRIES=0 run th-api me fields=id,username,name,threads_biography
end=$(date +%s)
is "$status" 69 "a drip fast enough to pass the low-speed limit: the overall deadline ends it (69)"
ok "$([ $((end - start)) -le 12 ] && echo 0 || echo 1)" "  at 3 s, long before the 25 s the body would take: in $((end - start)) s"
reset
fault '{"path": "^/v1.0/me$", "times": 10, "delay": 30}'
start=$(date +%s)
TH_TIMEOUT=2 run th-api me
end=$(date +%s)
ok "$([ "$status" -eq 69 ] || [ "$status" -eq 75 ] && echo 0 || echo 1)" "a server that accepts and never answers: 69 (got $status)"
ok "$([ $((end - start)) -le 12 ] && echo 0 || echo 1)" "  when the deadline (2 s) fires, long before the 30 s answer: in $((end - start)) s"

# --- publishing: exactly one post, whatever happens ------------------------------------
reset
fault '{"path": "^/v1.0/me/threads$", "method": "POST", "times": 1, "status": 503, "body": "upstream"}'
run th-post "a 503 on the container"
is "$status" 0 "a 5xx on container creation: created again"
is "$(posts "a 503 on the container")" 1 "  one post"
reset
fault '{"path": "threads_publish$", "drop": "after", "only_reused": true}'
run th-post "a stale keep-alive connection"
is "$status" 0 "a publish that would go out on a kept-alive connection the server drops after acting"
is "$(requests /v1.0/me/threads_publish)" 1 "  reaches the sandbox once: it never rides a reused connection, so libcurl cannot re-send it"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish") | .reused')" false "  (it went out on a fresh one)"
is "$(posts "a stale keep-alive connection")" 1 "  one post"
reset
fault '{"path": "threads_publish$", "drop": "after"}'
run th-post "reset after the sandbox received publish"
is "$status:$(posts "reset after the sandbox received publish")" "0:1" "reset after publish was received: exit 0, one post"
reset
fault '{"path": "threads_publish$", "drop": "before"}'
run th-post "reset before the sandbox handled publish"
is "$status:$(posts "reset before the sandbox handled publish")" "0:1" "reset before publish was handled: exit 0, one post"
reset
fault '{"path": "threads_publish$", "delay": 30}'
TH_TIMEOUT=2 run th-post "the publish answer never comes"
is "$(posts "the publish answer never comes")" 1 "a publish whose answer never comes: one post"
is "$status" 0 "  settled by the container's status (exit 0)"
reset
fault '{"path": "threads_publish$", "times": 1, "status": 400, "error": {"message": "Application request limit reached", "type": "OAuthException", "code": 4}}'
run th-post -k rl "rate limited at publish"
is "$status" 75 "a rate limit on publish: 75"
is "$(requests /v1.0/me/threads_publish)" 1 "  not retried blindly"
reset
run th-post -k rl "rate limited at publish"
is "$status:$(posts "rate limited at publish")" "0:1" "  the same key later: the container is resumed, one post"
is "$(requests /v1.0/me/threads POST)" 0 "  without a new container"
reset
fault '{"path": "threads_publish$", "times": 1, "status": 500, "error": {"message": "Invalid OAuth 2.0 Access Token", "type": "THApiException", "code": 190}}'
run th-post "token dies at publish"
is "$status:$(requests /v1.0/me/threads_publish)" "77:1" "190 on publish: 77, not retried"

done_testing

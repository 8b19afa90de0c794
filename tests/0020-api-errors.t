#!/bin/bash
# Errors are classified by the API's envelope, retried only when that helps,
# and end in the exit status of th(7).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
requests() { sblog 'select(.path == "'"$1"'")' | wc -l | tr -d ' '; }

fault '{"path": "^/v1.0/me$", "status": 503, "times": 2, "error": {"message": "Service temporarily unavailable", "type": "OAuthException", "code": 2, "is_transient": true}}'
run th-api me fields=username
is "$status" 0 "a GET meeting code 2 / HTTP 503 twice is retried and succeeds"
is "$out" '{"username":"th_tester"}' "with the real answer"
is "$(requests /v1.0/me)" 3 "after exactly three requests"

clearlog
fault '{"path": "^/v1.0/me$", "status": 500, "error": {"message": "Invalid parameter", "type": "THApiException", "code": 100, "error_user_msg": "The field is not valid."}}'
run th-api me fields=nope
is "$status" 1 "a permanent error served with HTTP 500 (code 100) exits 1"
is "$(requests /v1.0/me)" 1 "and is not retried"
is "$err" "th-api: me: refused (API: Invalid parameter: The field is not valid., code 100)" \
	"th's words first, then the API's, with its code"
is "$out" "" "nothing is printed on stdout"

clearlog
TH_ACCESS_TOKEN=THQVJnotatoken run th-api me
is "$status" 77 "an invalid token (190, served with HTTP 500) exits 77"
is "$(requests /v1.0/me)" 1 "and is not retried"
like "$err" "*the token is not valid*(API: Invalid OAuth 2.0 Access Token, code 190)*" "the message says why"

sb POST /_control/token '{"token": "THQVJexpired", "age": 5184100}' >/dev/null
TH_ACCESS_TOKEN=THQVJexpired run th-api me
is "$status" 77 "an expired token (190/463) exits 77"
like "$err" "*Session has expired*code 190/463*" "with the API's words and subcode"

run th-api --errors=json me/threads_publishing_limit fields=nonexisting
is "$status" 1 "an unknown field is refused (1)"
is "$(echo "$err" | jq -c '[.program, .exit, .api.code, .api.type]')" \
	'["th-api",1,100,"THApiException"]' "--errors=json prints one JSON object with the API detail"

clearlog
fault '{"path": "^/v1.0/me$", "status": 400, "times": 1, "retry_after": 1, "error": {"message": "Application request limit reached", "type": "OAuthException", "code": 4, "is_transient": true}}'
run th-api me fields=id
is "$status" 0 "a rate limit (code 4) is backed off and retried"
gap=$(sblog 'select(.path == "/v1.0/me") | .time' | jq -s '(.[1] - .[0]) >= 1')
is "$gap" true "the retry waits at least Retry-After (1 s)"

fault '{"path": "^/v1.0/me$", "status": 429, "times": 10}'
TH_RETRIES=1 run th-api me
is "$status" 75 "a rate limit that outlasts the retries exits 75"
sb POST /_control/faults/clear >/dev/null

fault '{"path": "^/v1.0/me$", "status": 502, "times": 10, "body": "<html><body>502 Bad Gateway</body></html>", "content_type": "text/html"}'
TH_RETRIES=2 run th-api me
is "$status" 69 "an HTML 502 page from a proxy, persisting, exits 69"
like "$err" "*server error (HTTP 502)*3 attempts*" "and says how often it tried"
sb POST /_control/faults/clear >/dev/null

fault '{"path": "^/v1.0/me$", "status": 200, "body": "{\"id\": \"1\", broken"}'
run th-api me
is "$status" 69 "a 200 whose body is not JSON exits 69"
like "$err" "*not a JSON object*" "and says so"

clearlog
fault '{"path": "^/v1.0/me$", "drop": "before", "times": 1}'
run th-api me fields=username
is "$status" 0 "a GET whose connection is reset is retried"
is "$(requests /v1.0/me)" 2 "once"

clearlog
fault '{"path": "^/v1.0/me/threads$", "method": "POST", "drop": "after"}'
run th-api -X POST me/threads media_type=TEXT text=once
is "$status" 69 "a POST whose answer is lost exits 69"
is "$(requests /v1.0/me/threads)" 1 "and is never sent twice"

fault '{"path": "^/v1.0/me$", "size": 9437184}'
run th-api me
is "$status" 69 "a 9 MiB body is refused (69)"
like "$err" "*larger than*" "with a message saying it is too large"

fault '{"path": "^/v1.0/me$", "delay": 20, "times": 5}'
start=$(date +%s)
TH_TIMEOUT=2 run th-api me
end=$(date +%s)
is "$status" 69 "a server that never answers hits the deadline (69)"
ok "$([ $((end - start)) -le 8 ] && echo 0 || echo 1)" "within the configured time (took $((end - start)) s for 2 s)"
like "$err" "*timed out*" "and says it timed out"
sb POST /_control/faults/clear >/dev/null

TH_API_BASE=http://example.com run th-api me
is "$status" 78 "plain http to a non-loopback host is a configuration error"
like "$err" "*refusing plain http*" "that says why"

done_testing

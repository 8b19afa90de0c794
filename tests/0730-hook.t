#!/bin/bash
# th-hook: Threads webhooks under a real web server (lighttpd's mod_cgi),
# and alone on stdin: the verification, signatures, the spool, --exec.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
LIGHTTPD=$(command -v lighttpd || echo /usr/sbin/lighttpd)
[ -x "$LIGHTTPD" ] || skip_all "lighttpd is needed (scripts/deps installs it)"
command -v curl >/dev/null || skip_all "curl is needed (scripts/deps installs it)"
command -v jq >/dev/null || skip_all "jq is needed (scripts/deps installs it)"

# The app secret and the verify token are the canaries: neither may end
# up in the spool, an answer, a message or the server's log.
TOKEN=$CANARY
mkdir -p "$XDG_CONFIG_HOME/th"
printf 'hook_verify_token = %s\nclient_secret = %s\n' "$TOKEN" "$APPSECRET" \
	>"$XDG_CONFIG_HOME/th/config"
chmod 600 "$XDG_CONFIG_HOME/th/config"
canary_ok "$XDG_CONFIG_HOME/th/config"
SPOOL="$XDG_STATE_HOME/th/hooks.ndjson"

sign() {	# sign FILE: the X-Hub-Signature-256 value for FILE's bytes
	K=$APPSECRET "$PYTHON3" -c 'import hashlib, hmac, os, sys
print("sha256=" + hmac.new(os.environ["K"].encode(), sys.stdin.buffer.read(), hashlib.sha256).hexdigest())' <"$1"
}

# --- the server: lighttpd on a free loopback port, th-hook at /hook ---------
mkdir -p "$T/www"
ln -s "$top_builddir/th-hook" "$T/www/hook"
start_lighttpd() {
	local i
	PORT=$("$PYTHON3" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$T/lighttpd.conf" <<EOF
server.document-root = "$T/www"
server.bind = "127.0.0.1"
server.port = $PORT
server.max-request-size = 4096
server.max-worker = 0
server.modules = ( "mod_cgi", "mod_setenv" )
cgi.assign = ( "/hook" => "" )
setenv.add-environment = ( "HOME" => "$HOME", "XDG_CONFIG_HOME" => "$XDG_CONFIG_HOME",
	"XDG_STATE_HOME" => "$XDG_STATE_HOME", "TH_HOOK_EXEC" => "${HOOK_EXEC:-}" )
EOF
	"$LIGHTTPD" -D -f "$T/lighttpd.conf" >"$T/lighttpd.out" 2>&1 &
	HTTPD=$!
	for i in $(seq 100); do
		curl -s -o /dev/null "http://127.0.0.1:$PORT/" && return 0
		kill -0 $HTTPD 2>/dev/null || break
		sleep 0.05
	done
	echo "Bail out! lighttpd did not start"
	sed 's/^/# /' "$T/lighttpd.out"
	exit 1
}
stop_lighttpd() { kill "$HTTPD" 2>/dev/null; wait "$HTTPD" 2>/dev/null; }
trap 'stop_lighttpd; cleanup' EXIT
start_lighttpd
URL="http://127.0.0.1:$PORT/hook"

get() {	# get QUERY: sets $code and $body
	code=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' "$URL?$1")
	body=$(cat "$T/body")
}
post() {	# post FILE [SIGNATURE]: sets $code and $body
	if [ $# -ge 2 ]; then
		code=$(curl -s -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' \
			-H "X-Hub-Signature-256: $2" --data-binary "@$1" "$URL")
	else
		code=$(curl -s -o "$T/body" -w '%{http_code}' -H 'Content-Type: application/json' \
			--data-binary "@$1" "$URL")
	fi
	body=$(cat "$T/body")
}

# --- the verification ---------------------------------------------------------
get "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=$TOKEN"
is "$code:$body" "200:1158201444" "the verification: 200, the challenge is the whole body"
like "$(tr -d '\r' <"$T/head")" "*Content-Type: text/plain*" "  as text/plain"
get "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${TOKEN}x"
is "$code" 403 "a wrong verify token: 403"
unlike "$body" "*1158201444*" "  and the challenge is not sent back"
get "hub.mode=subscribe&hub.challenge=1158201444"
is "$code" 403 "no verify token: 403"
get "hub.mode=subscribe&hub.challenge=%3Cscript%3E&hub.verify_token=$TOKEN"
is "$code:$body" "400:Bad Request" "a challenge that is not digits: 400, and not sent back"
get "hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=$TOKEN"
is "$code" 400 "hub.mode other than subscribe: 400"
get "hub.verify_token=$(printf %s "$TOKEN" | sed 's/./%&/; s/%T/%54/')&hub.challenge=77&hub.mode=subscribe"
is "$code:$body" "200:77" "the parameters in any order, percent-encoded"

# --- signed events ---------------------------------------------------------------
# a live delivery (2026): values is a list
cat >"$T/live.json" <<'EOF'
{"app_id":"1234567890123456","topic":"moderate","target_id":"17841400000000001","time":1788249976,"subscription_id":"1000000000000001","has_uid_field":false,"values":[{"value":{"id":"17800000000000002","username":"test_commenter","text":"Great post! ünïcödé \"q\" 🎉","media_type":"TEXT_POST","permalink":"https://www.threads.com/@test_commenter/post/ABCdef12345","replied_to":{"id":"17841400000000001"},"root_post":{"id":"17841400000000001","owner_id":"20000000000000003","username":"test_account"},"shortcode":"ABCdef12345","timestamp":"2026-09-01T08:06:09+0000","is_verified":false},"field":"replies"}]}
EOF
t0=$(date -u +%s)
post "$T/live.json" "$(sign "$T/live.json")"
t1=$(date -u +%s)
is "$code:$body" "200:OK" "a signed delivery: 200"
is "$(wc -l <"$SPOOL" | tr -d ' ')" 1 "  one line in the spool, \$XDG_STATE_HOME/th/hooks.ndjson"
is "$(jq -c 'del(.received)' "$SPOOL")" \
	'{"field":"replies","value":{"id":"17800000000000002","username":"test_commenter","text":"Great post! ünïcödé \"q\" 🎉","media_type":"TEXT_POST","permalink":"https://www.threads.com/@test_commenter/post/ABCdef12345","replied_to":{"id":"17841400000000001"},"root_post":{"id":"17841400000000001","owner_id":"20000000000000003","username":"test_account"},"shortcode":"ABCdef12345","timestamp":"2026-09-01T08:06:09+0000","is_verified":false},"app_id":"1234567890123456","topic":"moderate","target_id":"17841400000000001","time":1788249976,"subscription_id":"1000000000000001","has_uid_field":false}' \
	"  the record: field, value, the envelope as sent"
is "$(cat "$SPOOL")" "$(jq -c . "$SPOOL")" "  one compact line, in that order"
rcv=$(jq -r .received "$SPOOL")
like "$rcv" "20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]+0000" "  received: a Threads timestamp"
r=$(date -u -d "${rcv%+0000}Z" +%s)
ok "$([ "$r" -ge "$t0" ] && [ "$r" -le "$t1" ] && echo 0 || echo 1)" "  the time it arrived"
is "$(stat -c %a "$SPOOL")" 600 "  the spool is private (0600)"

# the docs' sample: values is one object, '/' written '\/'
cat >"$T/doc.json" <<'EOF'
{
    "app_id": "123456",
    "topic": "moderate",
    "target_id": "78901",
    "time": 1723226877,
    "subscription_id": "234567",
    "has_uid_field": false,
    "values": {
        "value": {
            "id": "8901234",
            "username": "test_username",
            "text": "Reply",
            "permalink": "https:\/\/www.threads.net\/@test_username\/post\/Pp",
            "replied_to": {
                "id": "567890"
            }
        },
        "field": "replies"
    }
}
EOF
cp "$SPOOL" "$T/before"
post "$T/doc.json" "$(sign "$T/doc.json")"
is "$code" 200 "values as one object (the docs): 200"
is "$(head -1 "$SPOOL")" "$(cat "$T/before")" "  appended after what was there"
is "$(tail -1 "$SPOOL" | jq -c 'del(.received)')" \
	'{"field":"replies","value":{"id":"8901234","username":"test_username","text":"Reply","permalink":"https://www.threads.net/@test_username/post/Pp","replied_to":{"id":"567890"}},"app_id":"123456","topic":"moderate","target_id":"78901","time":1723226877,"subscription_id":"234567","has_uid_field":false}' \
	"  one record, signed over the raw bytes, stored with '/'"

printf '{"app_id":"1","topic":"interaction","target_id":"9","time":1,"values":[{"value":{"id":"1"},"field":"mentions"},{"value":{"id":"2","owner":{"owner_id":"9"}},"field":"delete"},{"value":{"id":"123456789012345678901"},"field":"publish"}]}' >"$T/three.json"
: >"$SPOOL"
post "$T/three.json" "$(sign "$T/three.json")"
is "$code:$(jq -c '[.field, .value.id]' "$SPOOL" | tr '\n' ' ')" \
	'200:["mentions","1"] ["delete","2"] ["publish","123456789012345678901"] ' \
	"three events in one delivery: three lines, in order"

printf '{"app_id":"1","values":[]}' >"$T/none.json"
: >"$SPOOL"
post "$T/none.json" "$(sign "$T/none.json")"
is "$code:$(wc -c <"$SPOOL" | tr -d ' ')" "200:0" "values an empty list: 200, nothing recorded"

# --- refused deliveries: nothing recorded ------------------------------------------
post "$T/live.json" "$(sign "$T/live.json")"
cp "$SPOOL" "$T/before"
post "$T/live.json"
is "$code:$body" "403:Forbidden" "no X-Hub-Signature-256: 403"
cmp -s "$SPOOL" "$T/before"
ok $? "  nothing recorded"
post "$T/live.json" "$(sign "$T/doc.json")"
is "$code" 403 "the signature of another body: 403"
good=$(sign "$T/live.json")
post "$T/live.json" "sha1=${good#sha256=}"
is "$code" 403 "a signature that is not sha256=: 403"
post "$T/live.json" "${good%?}"
is "$code" 403 "a signature one digit short: 403"
sed 's/Great/Grand/' "$T/live.json" >"$T/forged.json"
post "$T/forged.json" "$good"
is "$code" 403 "a body changed after signing: 403"
cmp -s "$SPOOL" "$T/before"
ok $? "  none of them recorded"
printf '{"app_id":"1","values":{"value":1' >"$T/bad.json"
post "$T/bad.json" "$(sign "$T/bad.json")"
is "$code" 400 "signed, but not JSON: 400"
printf '{"app_id":"1","values":"x"}' >"$T/bad.json"
post "$T/bad.json" "$(sign "$T/bad.json")"
is "$code" 400 "values neither an object nor a list: 400"
printf '{"app_id":"1","values":[{"value":{"id":"1"},"field":"replies"},{"value":{"id":"2"}}]}' >"$T/bad.json"
post "$T/bad.json" "$(sign "$T/bad.json")"
is "$code" 400 "an element without a field: 400"
cmp -s "$SPOOL" "$T/before"
ok $? "  and not even the good element before it is recorded"

# --- the size limit: 1 MiB -------------------------------------------------------------
bhead='{"app_id":"1","values":{"field":"mentions","value":{"text":"' btail='"}}}'
mkbody() {	# mkbody SIZE FILE: a valid delivery of exactly SIZE bytes
	{ printf %s "$bhead"; head -c $(($1 - ${#bhead} - ${#btail})) /dev/zero | tr '\0' a
	  printf %s "$btail"; } >"$2"
}
mkbody 1048577 "$T/big"
post "$T/big" "$(sign "$T/big")"
is "$code:$body" "413:Payload Too Large" "a body of 1 MiB + 1 byte: 413"
cmp -s "$SPOOL" "$T/before"
ok $? "  nothing recorded"
mkbody 1048576 "$T/big"
post "$T/big" "$(sign "$T/big")"
is "$code:$(tail -1 "$SPOOL" | jq -r '.value.text | length')" "200:$((1048576 - ${#bhead} - ${#btail}))" \
	"a body of exactly 1 MiB: taken"

# --- other methods -----------------------------------------------------------------------
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary x "$URL")
is "$code" 405 "PUT: 405"

# --- 50 deliveries at once --------------------------------------------------------------
: >"$SPOOL"
pad=$(head -c 6000 /dev/zero | tr '\0' p)
for i in $(seq 50); do
	printf '{"app_id":"1","topic":"interaction","target_id":"9","time":1,"values":[{"field":"mentions","value":{"id":"%d","text":"%s"}}]}' "$i" "$pad" >"$T/c$i"
	sign "$T/c$i" >"$T/c$i.sig"
done
pids=
for i in $(seq 50); do
	curl -s -o /dev/null -w '%{http_code}\n' -H "X-Hub-Signature-256: $(cat "$T/c$i.sig")" \
		--data-binary "@$T/c$i" "$URL" >"$T/c$i.code" &
	pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
is "$(cat "$T"/c*.code | sort | uniq -c | tr -s ' ')" " 50 200" "50 concurrent deliveries: 50 times 200"
is "$(wc -l <"$SPOOL" | tr -d ' ')" 50 "  50 lines in the spool"
is "$(jq -c . "$SPOOL" 2>/dev/null | wc -l | tr -d ' ')" 50 "  each one whole JSON: none interleaved"
is "$(jq -r .value.id "$SPOOL" | sort -n | tr '\n' ' ')" "$(seq 50 | tr '\n' ' ')" "  every id once: none lost"
is "$(jq -r '.value.text | length' "$SPOOL" | sort -u)" 6000 "  and every text whole"

# --- the configuration --------------------------------------------------------------------
chmod 644 "$XDG_CONFIG_HOME/th/config"
get "hub.mode=subscribe&hub.challenge=1&hub.verify_token=$TOKEN"
is "$code" 500 "a config file holding the verify token that others can read: 500 (th-hook exits 78 unanswered)"
like "$(cat "$T/lighttpd.out")" "*holds hook_verify_token but others can read it*chmod 600*" \
	"  saying so in the server's log"
chmod 600 "$XDG_CONFIG_HOME/th/config"

# --- th-hook alone: CGI from the environment (run: under valgrind too) --------------------
cgi() {	# cgi METHOD QUERY [BODY-FILE [SIGNATURE]] [-- OPTIONS]: run th-hook as CGI
	local m=$1 q=$2 f=${3:-/dev/null} s=${4:-}
	shift $(($# < 4 ? $# : 4))
	[ "${1:-}" = -- ] && shift
	GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=$m QUERY_STRING=$q \
		CONTENT_LENGTH=$([ "$f" = /dev/null ] || wc -c <"$f" | tr -d ' ') \
		HTTP_X_HUB_SIGNATURE_256=$s run th-hook "$@" <"$f"
}
cgi GET "hub.mode=subscribe&hub.challenge=42&hub.verify_token=$TOKEN"
is "$status:$out" "$(printf '0:Status: 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\n42')" \
	"CGI: the verification answered with Status: and the challenge"
cgi GET "hub.mode=subscribe&hub.challenge=42&hub.verify_token=no"
is "$status:$(echo "$out" | head -1)" "$(printf '77:Status: 403 Forbidden\r')" "CGI: a wrong verify token is 403, exit 77"
is "$err" "th-hook: verification refused: hub.verify_token does not match" "  saying so, without the token"
: >"$SPOOL"
cgi POST "" "$T/live.json" "$(sign "$T/live.json")"
is "$status:$(echo "$out" | head -1)" "$(printf '0:Status: 200 OK\r')" "CGI: a signed delivery: 200, exit 0"
is "$(jq -c '[.field, .value.id, .target_id]' "$SPOOL")" '["replies","17800000000000002","17841400000000001"]' "  recorded"
cgi POST "" "$T/live.json" "sha256=$(printf '%064d' 0)"
is "$status:$(echo "$out" | head -1)" "$(printf '77:Status: 403 Forbidden\r')" "CGI: a bad signature: 403, exit 77"
is "$err" "th-hook: POST refused: X-Hub-Signature-256 does not sign the body with client_secret" "  saying so"
is "$(wc -l <"$SPOOL" | tr -d ' ')" 1 "  nothing more recorded"
mkbody 1048577 "$T/big"
cgi POST "" "$T/big" "$(sign "$T/big")"
is "$status:$(echo "$out" | head -1)" "$(printf '65:Status: 413 Payload Too Large\r')" "CGI: over 1 MiB: 413, exit 65"
is "$err" "th-hook: POST: a body of 1048577 bytes is over the limit of 1048576" "  saying so"
cgi POST "" "$T/live.json" "$(sign "$T/live.json")" -- --spool "$T/other.ndjson"
is "$status:$(jq -r .value.id "$T/other.ndjson")" "0:17800000000000002" "--spool FILE: the events go there"
TH_HOOK_SPOOL=$T/env.ndjson cgi POST "" "$T/live.json" "$(sign "$T/live.json")"
is "$status:$(jq -r .value.id "$T/env.ndjson")" "0:17800000000000002" "TH_HOOK_SPOOL: the same"
TH_CLIENT_SECRET=another cgi POST "" "$T/live.json" "$(sign "$T/live.json")"
is "$status" 77 "TH_CLIENT_SECRET wins over the config file's"
mv "$XDG_CONFIG_HOME/th/config" "$T/config.away"
cgi POST "" "$T/live.json" "$(sign "$T/live.json")"
is "$status:$(echo "$out" | head -1)" "$(printf '78:Status: 500 Internal Server Error\r')" "no app secret configured: 500, exit 78"
like "$err" "*no app secret*client_secret*" "  saying what to set"
cgi GET "hub.mode=subscribe&hub.challenge=42&hub.verify_token=$TOKEN"
is "$status:$(echo "$out" | head -1)" "$(printf '78:Status: 403 Forbidden\r')" "no verify token configured: 403, exit 78"
mv "$T/config.away" "$XDG_CONFIG_HOME/th/config"
is "$(wc -l <"$SPOOL" | tr -d ' ')" 1 "  and still nothing more recorded"

# --- --exec ------------------------------------------------------------------------------------
cgi POST "" "$T/three.json" "$(sign "$T/three.json")" -- --exec "cat >>'$T/exec.out'; echo one more >>'$T/exec.n'; echo to-stdout"
is "$status" 0 "--exec: 0"
is "$(jq -c '[.field, .value.id]' "$T/exec.out" | tr '\n' ' ')" \
	'["mentions","1"] ["delete","2"] ["publish","123456789012345678901"] ' "  each record on the command's stdin"
is "$(wc -l <"$T/exec.n" | tr -d ' ')" 3 "  one run per event"
is "$(echo "$out" | tail -1)" "OK" "  its stdout is not in the answer"
is "$(echo "$err" | sort -u)" "to-stdout" "  but on stderr"
is "$(wc -l <"$SPOOL" | tr -d ' ')" 1 "  and the spool is left alone"
TH_CLIENT_SECRET=$APPSECRET TH_HOOK_VERIFY_TOKEN=$TOKEN TH_HOOK_EXEC="env >'$T/exec.env'" \
	cgi POST "" "$T/live.json" "$(sign "$T/live.json")"
is "$status:$(grep -c '^TH_CLIENT_SECRET=\|^TH_HOOK_VERIFY_TOKEN=' "$T/exec.env")" "0:0" \
	"TH_HOOK_EXEC: the command runs without the secrets in its environment"
cgi POST "" "$T/live.json" "$(sign "$T/live.json")" -- --exec "exit 3"
is "$status:$(echo "$out" | head -1)" "$(printf '1:Status: 500 Internal Server Error\r')" \
	"a command that fails: 500 (Meta sends it again), exit 1"
is "$err" "th-hook: --exec: the command exited 3" "  saying so"
run th-hook --exec true --spool "$T/x"
is "$status" 64 "--exec and --spool together: 64"

# --- th-hook alone: one HTTP request on stdin (inetd, socat) ------------------------------------
printf 'GET /hook?hub.mode=subscribe&hub.challenge=9&hub.verify_token=%s HTTP/1.1\r\nHost: x\r\n\r\n' "$TOKEN" >"$T/req"
run th-hook <"$T/req"
is "$status:$out" "$(printf '0:HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\nConnection: close\r\n\r\n9')" \
	"stdin: the verification answered as an HTTP response"
: >"$SPOOL"
{ printf 'POST /hook HTTP/1.1\r\nHost: x\r\ncontent-length: %d\r\nx-hub-signature-256:  %s \r\n\r\n' \
	"$(wc -c <"$T/live.json")" "$(sign "$T/live.json")"; cat "$T/live.json"; } >"$T/req"
run th-hook <"$T/req"
is "$status:$(echo "$out" | head -1)" "$(printf '0:HTTP/1.1 200 OK\r')" "stdin: a signed delivery, headers in any case: 200"
is "$(jq -r .value.id "$SPOOL")" 17800000000000002 "  recorded"
{ printf 'POST /hook HTTP/1.1\r\nContent-Length: 5000000\r\nX-Hub-Signature-256: sha256=00\r\n\r\n'; cat "$T/live.json"; } >"$T/req"
run th-hook <"$T/req"
is "$status:$(echo "$out" | head -1)" "$(printf '65:HTTP/1.1 413 Payload Too Large\r')" "stdin: over the limit: 413, nothing read"
printf 'POST /hook HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n' >"$T/req"
run th-hook <"$T/req"
is "$status:$(echo "$out" | head -1)" "$(printf '65:HTTP/1.1 411 Length Required\r')" "stdin: chunked: 411"
printf 'hello\r\n' >"$T/req"
run th-hook <"$T/req"
is "$status:$(echo "$out" | head -1)" "$(printf '65:HTTP/1.1 400 Bad Request\r')" "stdin: not HTTP: 400"

# --- secrets --------------------------------------------------------------------------------------
stop_lighttpd
grep -qsF -f "$T/.canary" "$T/lighttpd.out" "$SPOOL" "$T/err" "$T/out"
ok $((! $?)) "neither secret in the server's log, the spool, an answer or a message"
done_testing

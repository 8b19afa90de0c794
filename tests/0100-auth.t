#!/bin/bash
# th-auth: accounts on disk, the token lifecycle, auto-refresh under a lock.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
unset TH_ACCESS_TOKEN
# the sandbox's canary is 2 days old; make it fresh: login learns its age
sb POST /_control/token "{\"token\": \"$CANARY\", \"age\": 0}" >/dev/null
ACC="$XDG_CONFIG_HOME/th/accounts"

run th-auth login --with-token <<<"$CANARY"
is "$status" 0 "login --with-token succeeds"
like "$err" "*logged in as @th_tester (account th_tester)*" "and says as whom"
is "$(stat -c %a "$ACC/th_tester")" 600 "the account file is 0600"
is "$(stat -c %a "$ACC")" 700 "in a 0700 directory"
is "$(jq -r '.username, (.user_id|type)' "$ACC/th_tester" | tr '\n' ' ')" "th_tester string " \
	"it records the username and the user id as a string"
is "$(sblog 'select(.path == "/v1.0/me") | [.method,.bearer,.token_in_url]')" '["GET",true,false]' \
	"the token was checked against /me, in a header"
is "$(sblog 'select(.path == "/v1.0/debug_token") | [.method,.bearer,(.query|keys)]')" \
	'["GET",false,["access_token","input_token"]]' \
	"its expiry asked of debug_token: a GET, the token as input_token and as the caller, no header"
is "$(sblogr 'select(.path == "/v1.0/debug_token") | [(.query.access_token == .query.input_token), (.query.access_token | startswith("THQVJcanary"))] | @tsv')" \
	"$(printf 'true\ttrue')" "  the caller is the user token itself"

run th-api --jq .username me fields=username
is "$out" th_tester "other verbs use the stored account"

run th-auth status
is "$status" 0 "status succeeds"
is "$(echo "$out" | jq -c '[.account, .username, .valid, (.days_left >= 59 and .days_left <= 60), .default]')" \
	'["th_tester","th_tester",true,true,true]' "status: one record with validity and days left (60); a lone account is the default"
is "$(echo "$out" | jq -c '.scopes | index("threads_content_publish") != null')" true \
	"status: the token's scopes, from debug_token"
run th-auth status --fail-within 7
is "$status" 0 "--fail-within 7 passes for a fresh token"
run th-auth status --fail-within 61
is "$status" 77 "--fail-within 61 fails (77): a CI health check"

run th-auth token
is "$out" "$CANARY" "th-auth token prints the token for piping"

run th-auth refresh
is "$status" 75 "refreshing a token younger than 24 h is refused (75)"
like "$err" "*24 h old*try after*" "with a clear message"

# age the token by 50 days, here and in the sandbox
now=$(date +%s)
jq -c --argjson i $((now - 50*86400)) --argjson e $((now + 10*86400)) \
	'.issued_at = $i | .expires_at = $e' "$ACC/th_tester" >"$T/acc" &&
	cat "$T/acc" >"$ACC/th_tester"
sb POST /_control/token "{\"token\": \"$CANARY\", \"age\": $((50*86400))}" >/dev/null
clearlog
run th-auth refresh
is "$status" 0 "a token 50 days old refreshes"
is "$(jq '.expires_at - now | . / 86400 | floor' "$ACC/th_tester")" 59 "its new expiry is 60 days out"
NEW=$(jq -r .access_token "$ACC/th_tester")
ok "$([ "$NEW" != "$CANARY" ] && echo 0 || echo 1)" "and the stored token is the new one"
is "$(sblog '[.method, .path, .bearer, (.query|keys), .query.grant_type]')" \
	'["GET","/refresh_access_token",false,["access_token","grant_type"],"th_refresh_token"]' \
	"one refresh request: a GET, the token in the query as every client sends it, no header"

# auto-refresh: 20 verbs at once, exactly one refresh
jq -c --argjson i $((now - 50*86400)) --argjson e $((now + 10*86400)) \
	'.issued_at = $i | .expires_at = $e' "$ACC/th_tester" >"$T/acc" &&
	cat "$T/acc" >"$ACC/th_tester"
sb POST /_control/token "{\"token\": \"$NEW\", \"age\": $((50*86400))}" >/dev/null
clearlog
pids=
for i in $(seq 20); do
	"$top_builddir/th-api" --jq .username me fields=username >"$T/par.$i" 2>&1 &
	pids="$pids $!"
done
wait $pids
is "$(cat "$T"/par.* | sort | uniq -c | awk '{print $1, $2}')" "20 th_tester" \
	"20 verbs started together with a token due for refresh all succeed"
is "$(sblog 'select(.path == "/refresh_access_token") | [.method, .token_in_url]' | tr '\n' ' ')" '["GET",true] ' \
	"and exactly one refresh request (a GET) reaches the sandbox"
jq -e .access_token "$ACC/th_tester" >/dev/null
ok $? "the account file is whole"

CUR=$(jq -r .access_token "$ACC/th_tester")	# the canary died with the first refresh
# expiry
jq -c '.expires_at = 1000000000' "$ACC/th_tester" >"$T/acc" && cat "$T/acc" >"$ACC/th_tester"
run th-api me
is "$status" 77 "an expired stored token: every verb exits 77"
like "$err" "*expired on 2001-09-09*th-auth login*" "with a hint to log in again"
# a time no date has (a year past int): gmtime() gave NULL to strftime()
jq -c '.expires_at = -1e30' "$ACC/th_tester" >"$T/acc" && cat "$T/acc" >"$ACC/th_tester"
run th-api me
is "$status" 77 "an expiry no calendar has: 77, not a crash"
like "$err" "*expired on a date no calendar has: run th-auth login*" "  said as such"
jq -c '.expires_at = 1000000000' "$ACC/th_tester" >"$T/acc" && cat "$T/acc" >"$ACC/th_tester"

# file safety
chmod 644 "$ACC/th_tester"
run th-api me
is "$status" 78 "an account file at 0644 is refused (78)"
like "$err" "*chmod 600*" "with the chmod hint"
chmod 600 "$ACC/th_tester"
canary_ok "$T/tok644"
printf '%s\n' "$CANARY" >"$T/tok644"; chmod 644 "$T/tok644"
mv "$ACC/th_tester" "$T/real"; ln -s "$T/real" "$ACC/th_tester"
run th-api me
is "$status" 78 "an account file that is a symlink is refused (78)"
rm "$ACC/th_tester"; mv "$T/real" "$ACC/th_tester"

# accounts, default, logout
run th-auth login --with-token -a work <<<"$CUR"
is "$status" 0 "login -a names the account"
run th-auth accounts
is "$(echo "$out" | jq -r .account | sort | tr '\n' ' ')" "th_tester work " "accounts lists both"
run th-auth accounts --default work
is "$status" 0 "set the default"
run th-auth accounts
is "$(echo "$out" | jq -r 'select(.default) | .account')" work "the default is marked"
run th-auth token
is "$out" "$CUR" "the default account's token is used"
run th-auth logout -a work
is "$status" 0 "logout"
ok "$([ ! -e "$ACC/work" ] && echo 0 || echo 1)" "removes the account file"

# a token whose real expiry is 20 days out: login stores that, not a guess
OLD=tok-$RANDOM-$RANDOM-$RANDOM
sb POST /_control/token "{\"token\": \"$OLD\", \"age\": $((40*86400))}" >/dev/null
run th-auth login --with-token -a old <<<"$OLD"
is "$(jq '(.expires_at - now) / 86400 | floor | . == 19 or . == 20' "$ACC/old")" true "login --with-token stores the real expiry (debug_token)"
run th-auth status -a old --fail-within 30
is "$status" 77 "and status --fail-within 30 fails on it"
like "$err" "th-auth: account 'old' (@th_tester): the token expires in * days (*), within --fail-within 30" "naming the account, the user, the days left and the window"
run th-auth logout -a old

# TH_ACCESS_TOKEN: used as is, status asks debug_token, a warning a week ahead
exp=$(( $(date +%s) + 3*86400 - 3600 ))
TH_ACCESS_TOKEN=$CUR TH_ACCESS_TOKEN_EXPIRES=$exp run th-api --jq .username me fields=username
is "$out" th_tester "TH_ACCESS_TOKEN is used as is"
like "$err" "*warning: TH_ACCESS_TOKEN expires on*(2 days)*" "with a warning when its known expiry is within 7 days"
TH_ACCESS_TOKEN=$CUR TH_ACCESS_TOKEN_EXPIRES=$((exp + 30*86400)) run th-api me
is "$err" "" "and no warning when it is further out"
TH_ACCESS_TOKEN=$OLD run th-auth status --fail-within 30
is "$status" 77 "th-auth status checks TH_ACCESS_TOKEN itself (77 within the window)"
is "$(echo "$out" | jq -c '[.account, .source, .valid, (.days_left | . == 19 or . == 20)]')" '[null,"TH_ACCESS_TOKEN",true,true]' \
	"one record for it, expiry from debug_token"
unlike "$(cat "$XDG_CONFIG_HOME"/th/accounts/* "$XDG_STATE_HOME"/th/* 2>/dev/null)" "*$OLD*" \
	"and it is written nowhere"

# OAuth code flow
oauth_login AQBcode123 login -a oauth
is "$status" 0 "the OAuth code flow logs in"
like "$(cat "$T/oout")" "*client_id=1234567890123456*response_type=code*state=*" "after printing the authorize URL"
is "$(jq -r .username "$ACC/oauth")" th_tester "the account is named by -a, user from /me"
is "$(sblog 'select(.path == "/oauth/access_token") | [.method, .ctype, (.form|keys), (.query|length), .bearer]')" \
	'["POST","application/x-www-form-urlencoded",["client_id","client_secret","code","grant_type","redirect_uri"],0,false]' \
	"the code exchange: a POST form, no token"
is "$(sblog 'select(.path == "/access_token") | [.method, (.query|keys), .query.grant_type, (.form|length), .bearer]')" \
	'["GET",["access_token","client_secret","grant_type"],"th_exchange_token",0,false]' \
	"the long-lived exchange: a GET with the secret and the short-lived token in the query (the live form)"
is "$(jq -r .user_id "$ACC/oauth")" "$(sb GET /_control/state | jq -r .me.id)" \
	"the user id is kept to its last digit (the exchange answers it as a number above 2^53)"
is "$(jq '(.expires_at - now) / 86400 | floor' "$ACC/oauth")" 59 "  and the expiry is the exchange's expires_in"
unlike "$(cat "$T/oout" "$T/oerr")" "*$APPSECRET*" "the secret is printed nowhere"

# a token in the environment never rides along to the token endpoints
TH_ACCESS_TOKEN=$CANARY oauth_login AQBcode789 login -a oauthenv
is "$status" 0 "the OAuth code flow with TH_ACCESS_TOKEN set logs in"
is "$(sblog 'select(.path == "/oauth/access_token" or .path == "/access_token") | .bearer' | sort -u)" false \
	"  and sends no Authorization header to the token endpoints"

# the same flow with -v: every URL that holds a secret is shown redacted
oauth_login AQBcode456 -v login -a oauthv
is "$status" 0 "login -v succeeds"
like "$(cat "$T/oerr")" "*> GET http://127.0.0.1:*/access_token?grant_type=th_exchange_token&client_secret=\[REDACTED\]&access_token=\[REDACTED\]*" \
	"  -v shows the exchange URL with the secret and the token redacted"
unlike "$(cat "$T/oout" "$T/oerr")" "*$APPSECRET*" "  the app secret appears nowhere"
unlike "$(cat "$T/oout" "$T/oerr")" "*AQBcode456*" "  nor the code"
unlike "$(cat "$T/oout" "$T/oerr")" "*$(jq -r .access_token "$ACC/oauthv")*" "  nor the token"

run th-api -v -a oauth me
unlike "$out$err" "*$CANARY*" "no trace of the canary token in any output"
unlike "$out$err" "*$CUR*" "nor of the refreshed one"
# /proc/*/cmdline, sampled while verbs run slowly: no process carries a token
sb POST /_control/latency '{"ms": 300}' >/dev/null
pids=
for i in 1 2 3; do
	TH_ACCESS_TOKEN=$CUR "$top_builddir/th-api" me >/dev/null 2>&1 & pids="$pids $!"
	"$top_builddir/th-auth" status -a oauth >/dev/null 2>&1 & pids="$pids $!"
	"$top_builddir/th-auth" login --with-token -a p$i <<<"$CUR" >/dev/null 2>&1 & pids="$pids $!"
done
seen=0 samples=0
for j in $(seq 40); do
	for f in /proc/[0-9]*/cmdline; do
		tr '\0' ' ' 2>/dev/null <"$f"
		echo
	done >"$T/cmdlines"
	samples=$((samples + $(grep -cE '/th-(api|auth) ' "$T/cmdlines")))
	grep -qF -e "$CUR" -e "$CANARY" "$T/cmdlines" && seen=1
	sleep 0.02
done
wait $pids
sb POST /_control/latency '{"ms": 0}' >/dev/null
ok "$([ "$samples" -gt 0 ] && echo 0 || echo 1)" "the sampler saw the verbs running ($samples samples)"
is "$seen" 0 "and no token in any /proc/*/cmdline"

# --- debug_token in development mode: the app token asks instead ------------
unset TH_CLIENT_ID TH_CLIENT_SECRET TH_REDIRECT_URI
sb POST /_control/config '{"dev_mode": true}' >/dev/null
DEV=THQVJdev$RANDOM$RANDOM$RANDOM
sb POST /_control/token "{\"token\": \"$DEV\", \"age\": $((10*86400))}" >/dev/null
clearlog
TH_CLIENT_ID=1234567890123456 TH_CLIENT_SECRET=$APPSECRET run th-auth login --with-token -a dev <<<"$DEV"
is "$status" 0 "login --with-token on a development-mode app succeeds"
is "$(sblogr 'select(.path == "/v1.0/debug_token") | .query.access_token | sub("\\|[^|]*$"; "|…") | if startswith("THQVJdev") then "user" else . end' | tr '\n' ' ')" \
	"user TH|1234567890123456|… " \
	"  debug_token: the user token refused (code 100), then the app token TH|id|secret as the caller"
is "$(jq '(.expires_at - now) / 86400 | floor' "$ACC/dev")" 49 "  the real expiry is stored (50 days left)"
unlike "$out$err" "*$APPSECRET*" "  the app secret is printed nowhere"

# the app id and secret can live in the config file, if it is private
printf 'client_id = 1234567890123456\nclient_secret = %s\n' "$APPSECRET" >"$XDG_CONFIG_HOME/th/config"
chmod 644 "$XDG_CONFIG_HOME/th/config"
run th-auth status -a dev
is "$status" 78 "a config file that holds client_secret and others can read is refused (78)"
like "$err" "*client_secret*chmod 600*" "  saying what to do"
chmod 600 "$XDG_CONFIG_HOME/th/config"
clearlog
run th-auth status -a dev
is "$(echo "$out" | jq -c '[.valid, .expiry_known, (.scopes|length > 0)]')" '[true,true,true]' \
	"with client_id and client_secret in a 0600 config, status asks debug_token as the app"
is "$(sblog 'select(.path == "/v1.0/debug_token")' | wc -l | tr -d ' ')" 2 "  (user token refused first)"
# the config file names the API host and a command th runs: the token
# file's rules (owned by the user, written by nobody else)
printf 'api_base = http://127.0.0.1:1\n' >"$XDG_CONFIG_HOME/th/config"
chmod 666 "$XDG_CONFIG_HOME/th/config"
run th-api -a dev me
is "$status" 78 "a config file others can write is refused (78), before anything is sent"
like "$err" "*writable by others*chmod go-w*" "  saying what to do"
printf '' >"$XDG_CONFIG_HOME/th/config"
chmod 644 "$XDG_CONFIG_HOME/th/config"
run th-api -a dev --jq .id me
is "$status" 0 "a 0644 config without secrets is fine"
rm "$XDG_CONFIG_HOME/th/config"

# an app th does not know: the expiry is unknown, never guessed
UNK=THQVJunk$RANDOM$RANDOM$RANDOM
sb POST /_control/token "{\"token\": \"$UNK\", \"age\": $((30*86400))}" >/dev/null
clearlog
run th-auth login --with-token -a unk <<<"$UNK"
is "$status" 0 "login when debug_token refuses and the app is unknown: still logged in"
like "$err" "*expiry is unknown*dev mode*24 h old*" "  saying the expiry is unknown, why, and what th will do"
is "$(jq -c '[.expires_at, ((now - .issued_at) < 60)]' "$ACC/unk")" '[0,true]' \
	"  stored as unknown (0), not as a 60-day guess"
is "$(sblog 'select(.path == "/v1.0/debug_token") | .query.access_token | startswith("TH|")' | sort -u)" false \
	"  no app token was tried"
run th-auth status -a unk
is "$(echo "$out" | jq -c '[.valid, .expires_at, .days_left, .expiry_known]')" '[true,null,null,false]' \
	"status: valid, expiry null and expiry_known false"
like "$err" "*account 'unk' (@th_tester): the token's expiry is unknown*" "  and says so"
run th-api --jq .username -a unk me fields=username
is "$(sblog 'select(.path == "/refresh_access_token")' | wc -l | tr -d ' ')" 0 "a verb the same day does not refresh it"
jq -c --argjson i $(( $(date +%s) - 25*3600 )) '.issued_at = $i' "$ACC/unk" >"$T/acc" && cat "$T/acc" >"$ACC/unk"
clearlog
run th-api --jq .username -a unk me fields=username
is "$out" th_tester "a verb 24 hours later works"
is "$(sblog 'select(.path == "/refresh_access_token") | [.method, .token_in_url]' | tr '\n' ' ')" '["GET",true] ' \
	"  after refreshing the token once (GET)"
is "$(jq '(.expires_at - now) / 86400 | floor' "$ACC/unk")" 59 "  which told the expiry: 60 days from now"
sb POST /_control/config '{"dev_mode": false}' >/dev/null

# --- the sandbox refuses what the real API refuses ---------------------------
SBT=THQVJsb$RANDOM$RANDOM
sb POST /_control/token "{\"token\": \"$SBT\", \"kind\": \"short\"}" >/dev/null
code() { jq -c '[.error.code, .error.error_subcode, .error.message]'; }
is "$(curl -sS -d grant_type=th_exchange_token -d client_secret=$APPSECRET \
	-H "Authorization: Bearer $SBT" "$SB/access_token" | code)" \
	'[100,null,"Unsupported request - method type: post"]' \
	"sandbox: the long-lived exchange as a POST is refused (as on Instagram's twin endpoint)"
is "$(curl -sS "$SB/v1.0/access_token?grant_type=th_exchange_token" | code)" \
	'[100,null,"Unsupported request - method type: get"]' \
	"sandbox: a versioned token endpoint is refused (restfb #1450)"
is "$(curl -sS -X POST -H "Authorization: Bearer $SBT" -d "input_token=$SBT" "$SB/v1.0/debug_token" | jq -c '[.error.code, .error.error_subcode, (.error.message | startswith("Unsupported post request."))]')" \
	'[100,33,true]' "sandbox: debug_token as a POST is refused, 100/33"
is "$(curl -sS -H "Authorization: Bearer $SBT" -d grant_type=th_refresh_token "$SB/refresh_access_token" | code)" \
	'[100,null,"Unsupported request - method type: post"]' "sandbox: a POST refresh is refused"
is "$(curl -sS -H "Authorization: Bearer $SBT" "$SB/refresh_access_token?grant_type=th_refresh_token" | jq -c '.error.message | test("long-lived")')" true \
	"sandbox: a refresh with the token only in a header is accepted (unconfirmed: the live API's answer is not known)"

done_testing

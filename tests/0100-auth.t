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
is "$(sblog 'select(.path == "/v1.0/debug_token") | [.method,.bearer,.token_in_url,(.query|length)]')" \
	'["POST",true,false,0]' "its expiry asked of debug_token, the token in a POST body, not the URL"

run th-api --jq .username me fields=username
is "$out" th_tester "other verbs use the stored account"

run th-auth status
is "$status" 0 "status succeeds"
is "$(echo "$out" | jq -c '[.account, .username, .valid, (.days_left >= 59 and .days_left <= 60), .default]')" \
	'["th_tester","th_tester",true,true,false]' "status: one record with validity and days left (60)"
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
is "$(sblog '[.path, .bearer, .token_in_url]')" '["/refresh_access_token",true,false]' \
	"one refresh request, token in the header"

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
is "$(sblog 'select(.path == "/refresh_access_token")' | wc -l | tr -d ' ')" 1 \
	"and exactly one refresh request reaches the sandbox"
jq -e .access_token "$ACC/th_tester" >/dev/null
ok $? "the account file is whole"

CUR=$(jq -r .access_token "$ACC/th_tester")	# the canary died with the first refresh
# expiry
jq -c '.expires_at = 1000000000' "$ACC/th_tester" >"$T/acc" && cat "$T/acc" >"$ACC/th_tester"
run th-api me
is "$status" 77 "an expired stored token: every verb exits 77"
like "$err" "*expired on 2001-09-09*th-auth login*" "with a hint to log in again"

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
like "$err" "*old: the token expires within the window*" "naming the account"
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
is "$(echo "$out" | jq -c '[.account, .valid, (.days_left | . == 19 or . == 20)]')" '["TH_ACCESS_TOKEN",true,true]' \
	"one record for it, expiry from debug_token"
unlike "$(cat "$XDG_CONFIG_HOME"/th/accounts/* "$XDG_STATE_HOME"/th/* 2>/dev/null)" "*$OLD*" \
	"and it is written nowhere"

# OAuth code flow
sb POST /_control/seed '{"oauth_code": "AQBcode123", "redirect_uri": "https://cb.example/th"}' >/dev/null
export TH_CLIENT_ID=1234567890123456 TH_REDIRECT_URI=https://cb.example/th TH_CLIENT_SECRET=sandbox-app-secret
mkfifo "$T/fifo"
"$top_builddir/th-auth" login -a oauth <"$T/fifo" >"$T/oout" 2>"$T/oerr" &
pid=$!
exec 3>"$T/fifo"
for i in $(seq 100); do grep -q state= "$T/oout" && break; sleep 0.05; done
state=$(sed -n 's/.*state=\([0-9a-f]*\).*/\1/p' "$T/oout")
echo "https://cb.example/th?code=AQBcode123&state=$state#_" >&3
exec 3>&-
wait $pid
is "$?" 0 "the OAuth code flow logs in"
like "$(cat "$T/oout")" "*client_id=1234567890123456*response_type=code*state=*" "after printing the authorize URL"
is "$(jq -r .username "$ACC/oauth")" th_tester "the account is named by -a, user from /me"
is "$(sblog 'select(.path == "/access_token") | [.method, (.query|length)]')" '["POST",0]' \
	"the exchange sends the app secret in a POST body, not the URL"
unlike "$(cat "$T/oout" "$T/oerr")" "*sandbox-app-secret*" "the secret is printed nowhere"

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

done_testing

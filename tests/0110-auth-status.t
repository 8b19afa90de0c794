#!/bin/bash
# th-auth status and accounts, as a health check reads them: every token
# shown is judged (77 when the API refuses one, after every record), every
# record says whose token it is, and the messages give the numbers.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
unset TH_ACCESS_TOKEN
ACC="$XDG_CONFIG_HOME/th/accounts"
UID_=$(sb GET /_control/state | jq -r .me.id)

# newtok NAME AGE: a token the sandbox knows, AGE seconds old (60-day life)
newtok() {
	local t="THQVJ$1$RANDOM$RANDOM$RANDOM"
	sb POST /_control/token "{\"token\": \"$t\", \"age\": $2}" >/dev/null
	echo "$t"
}
# when ISO: an ISO time of a record as messages write it
when() {
	jq -rn --arg t "$1" '$t | strptime("%Y-%m-%dT%H:%M:%S+0000") | strftime("%Y-%m-%d %H:%M UTC")'
}

# --- a lone account is the default: every verb uses it ----------------------
GOOD=$(newtok good 0)
run th-auth login --with-token -a good <<<"$GOOD"
is "$status" 0 "login: one account"
run th-auth accounts
is "$out" '{"account":"good","username":"th_tester","default":true}' \
	"accounts: a lone account is marked the default"
run th-auth status
is "$status" 0 "status of a valid token: 0"
is "$(echo "$out" | jq -c '[.account, .source, .username, .user_id, .valid, .default]')" \
	"[\"good\",\"$ACC/good\",\"th_tester\",\"$UID_\",true,true]" \
	"status: the record names the account, its file, the user, and it is the default"
is "$err" "" "  and says nothing on stderr"

# --- an invalid token: 77, after every record -------------------------------
BAD=$(newtok bad 0)
run th-auth login --with-token -a bad <<<"$BAD"
like "$err" "*logged in as @th_tester (account bad)
th-auth: the default account is still 'good': -a bad, or th-auth accounts --default bad" \
	"a second login: the lone account stays the default, and th says so"
sb POST /_control/token "{\"token\": \"$BAD\", \"valid\": false}" >/dev/null	# revoked
run th-auth accounts
is "$(echo "$out" | jq -c 'select(.default) | .account')" '"good"' \
	"  written down: every verb goes on using it"
run th-api me fields=username
is "$status:$out" '0:{"username":"th_tester"}' "  th-api without -a still works, with good's token"
mv "$XDG_CONFIG_HOME/th/default_account" "$T/dflt"
run th-auth accounts
is "$(echo "$out" | jq -c 'select(.default) | .account')" "" \
	"with two accounts and no default_account (as an older th left it), none is the default"
run th-api me
like "$status:$err" "77:th-api: 2 accounts and none is the default: -a NAME, or th-auth accounts --default NAME*" \
	"  and a verb says what to do, not 'no token'"
mv "$T/dflt" "$XDG_CONFIG_HOME/th/default_account"
run th-auth status
is "$status" 77 "status exits 77 when the API refuses one of the tokens"
is "$(echo "$out" | jq -c '[.account, .username, .valid]' | sort | tr '\n' ' ')" \
	'["bad","th_tester",false] ["good","th_tester",true] ' \
	"  after printing a record for every account, the refused one valid:false"
is "$err" "th-auth: account 'bad' (@th_tester): the token is not valid: the API refused it: run th-auth login -a bad" \
	"  naming the account, the user and what to do"
run th-auth status -a good
is "$status" 0 "status -a of the valid one: 0"

# debug_token answering is_valid false is enough (the sandbox refuses the
# call itself for a revoked caller; the app token would be answered so)
fault '{"path": "^/v1.0/debug_token$", "status": 200, "body": "{\"data\": {\"is_valid\": false, \"expires_at\": 0, \"scopes\": []}}"}'
clearlog
run th-auth status -a good
is "$status" 77 "debug_token saying is_valid false: 77"
is "$(echo "$out" | jq -c '[.account, .valid]')" '["good",false]' "  the record says valid:false"
is "$(sblog 'select(.path == "/v1.0/me")' | wc -l | tr -d ' ')" 0 "  and /me was not asked"
sb POST /_control/faults/clear >/dev/null
"$top_builddir/th-auth" logout -a bad 2>/dev/null

# an expired stored token: the date it died
jq -c '.expires_at = 1000000000' "$ACC/good" >"$T/acc" && cat "$T/acc" >"$ACC/good"
cp "$ACC/good" "$T/good.saved"
sb POST /_control/token "{\"token\": \"$GOOD\", \"age\": $((61*86400))}" >/dev/null
run th-auth status
is "$status" 77 "an expired token: 77"
is "$err" "th-auth: account 'good' (@th_tester): the token expired on 2001-09-09 01:46 UTC: run th-auth login -a good" \
	"  saying when it expired"
# an expiry no date has (a year past int): gmtime() gave NULL to strftime()
jq -c '.expires_at = -1e30' "$ACC/good" >"$T/acc" && cat "$T/acc" >"$ACC/good"
run th-auth status
is "$status:$err" "77:th-auth: account 'good' (@th_tester): the token expired on a date no calendar has: run th-auth login -a good" \
	"an expiry past any year: 77, said, not a crash"
"$top_builddir/th-auth" logout -a good 2>/dev/null

# --- --fail-within gives the numbers ----------------------------------------
BR=$(newtok brand $((57*86400 - 3600)))
run th-auth login --with-token -a brand <<<"$BR"
run th-auth status --fail-within 7
is "$status" 77 "--fail-within 7 with 3 days left: 77"
is "$(echo "$out" | jq -c '[.days_left, .valid]')" '[3,true]' "  the record: 3 days left, valid"
is "$err" "th-auth: account 'brand' (@th_tester): the token expires in 3 days ($(when "$(echo "$out" | jq -r .expires_at)")), within --fail-within 7" \
	"  the message gives the days left, the date and the window"
run th-auth status --fail-within 3
is "$status" 0 "--fail-within 3 with 3 days and an hour left: 0"
is "$err" "" "  silently"
"$top_builddir/th-auth" logout -a brand 2>/dev/null
HR=$(newtok hours $((60*86400 - 5*3600 - 1800)))
run th-auth login --with-token -a hours <<<"$HR"
run th-auth status --fail-within 1
like "$err" "th-auth: account 'hours' (@th_tester): the token expires in 5 hours (*), within --fail-within 1" \
	"the last day is counted in hours"
"$top_builddir/th-auth" logout -a hours 2>/dev/null

# unknown expiry: said so, and not a failure while the token works
sb POST /_control/config '{"dev_mode": true}' >/dev/null
UNK=$(newtok unk 0)
run th-auth login --with-token -a unk <<<"$UNK"
run th-auth status --fail-within 7
is "$status" 0 "--fail-within with the expiry unknown: 0 while the token works"
is "$(echo "$out" | jq -c '[.expires_at, .days_left, .valid]')" '[null,null,true]' "  the record: expiry null, valid"
is "$err" "th-auth: account 'unk' (@th_tester): the token's expiry is unknown (debug_token: The app associated with this request is in dev mode (code 100)), so --fail-within cannot judge it; th refreshes it once it is 24 h old, which tells" \
	"  the message says the expiry is unknown, why, and that the window cannot judge it"
sb POST /_control/config '{"dev_mode": false}' >/dev/null

# --- accounts --default prints what it made the default ----------------------
run th-auth accounts --default unk
is "$status" 0 "accounts --default NAME: 0"
is "$out" '{"account":"unk","username":"th_tester","default":true}' \
	"  prints the account's record, as accounts lists it"
is "$(cat "$XDG_CONFIG_HOME/th/default_account")" unk "  and records it"
run th-auth accounts --default nope
is "$status" 77 "accounts --default with no such account: 77"
is "$out" "" "  prints no record"
is "$err" "th-auth: no account 'nope': run th-auth login" "  and says there is no such account"
is "$(cat "$XDG_CONFIG_HOME/th/default_account")" unk "  the default stays"
"$top_builddir/th-auth" logout -a unk 2>/dev/null

# --- a token from outside the accounts says whose it is ----------------------
ENV=$(newtok env $((50*86400 + 3600)))
clearlog
TH_ACCESS_TOKEN=$ENV run th-auth status
is "$status" 0 "TH_ACCESS_TOKEN: status 0"
is "$(echo "$out" | jq -c '[.account, .source, .username, .user_id, .valid, .days_left, .default]')" \
	"[null,\"TH_ACCESS_TOKEN\",\"th_tester\",\"$UID_\",true,9,true]" \
	"  the record: no account, its source, the user from /me, and the token is the one verbs use"
is "$(sblog 'select(.path == "/v1.0/me") | [.method, .bearer, .query.fields]')" '["GET",true,"id,username"]' \
	"  whose it is asked of /me, the token in a header"
is "$err" "" "  nothing on stderr with 9 days left"
TH_ACCESS_TOKEN=$ENV run th-auth status --fail-within 10
is "$err" "th-auth: TH_ACCESS_TOKEN (@th_tester): the token expires in 9 days ($(when "$(echo "$out" | jq -r .expires_at)")), within --fail-within 10" \
	"  --fail-within names the variable and the user"
TH_ACCESS_TOKEN=$ENV run th-auth status --fail-within 7 \
	--jq '"\(.username) \(.days_left // "unknown") days left"'
is "$out" "th_tester 9 days left" "th-auth(1)'s CI example prints whose token it is and the days left"
sb POST /_control/token "{\"token\": \"$ENV\", \"valid\": false}" >/dev/null
TH_ACCESS_TOKEN=$ENV run th-auth status
is "$status" 77 "a refused TH_ACCESS_TOKEN: 77"
is "$(echo "$out" | jq -c '[.account, .source, .username, .valid]')" '[null,"TH_ACCESS_TOKEN",null,false]' \
	"  the record: valid false, the user unknown"
is "$err" "th-auth: TH_ACCESS_TOKEN: the token is not valid: the API refused it" "  and the message says so"

FT=$(newtok file $((40*86400 + 3600)))
printf '%s\n' "$FT" >"$T/tokfile"; chmod 600 "$T/tokfile"
run th-auth status --token-file "$T/tokfile"
is "$status" 0 "--token-file: status 0"
is "$(echo "$out" | jq -c '[.account, .source, .username, .user_id, .valid, .days_left]')" \
	"[null,\"$T/tokfile\",\"th_tester\",\"$UID_\",true,19]" \
	"  one record for the file's token: its path and the user"
TH_TOKEN_FILE=$T/tokfile run th-auth status --fail-within 30
is "$err" "th-auth: token file $T/tokfile (@th_tester): the token expires in 19 days ($(when "$(echo "$out" | jq -r .expires_at)")), within --fail-within 30" \
	"  TH_TOKEN_FILE too; --fail-within names the file"

# --- the API down: not the token's fault -------------------------------------
OK=$(newtok ok 0)
run th-auth login --with-token -a ok <<<"$OK"
fault '{"path": "^/v1.0/(me|debug_token)$", "times": 100, "status": 503, "error": {"message": "Service temporarily unavailable", "type": "OAuthException", "code": 2, "is_transient": true}}'
run th-auth status
is "$status" 69 "the API unreachable: 69, not 77"
is "$(echo "$out" | jq -c '[.account, .valid]')" '["ok",null]' "  the record: validity unknown (null)"
like "$err" "th-auth: account 'ok' (@th_tester): *Service temporarily unavailable*" "  and the failure is reported, naming the account"
sb POST /_control/faults/clear >/dev/null

done_testing

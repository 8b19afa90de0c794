#!/bin/bash
# The token is never on argv, in a URL, on stdout or in a message, and
# token files must be private.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start

run th-api -v --paginate me/threads limit=30
is "$status" 0 "a verbose paginated read works"
like "$err" "*Authorization: Bearer \[REDACTED\]*" "-v shows the Authorization header redacted"
unlike "$err" "*$CANARY*" "-v output contains no trace of the token"
unlike "$out" "*$CANARY*" "stdout contains no trace of the token"

run th-api -v me/threads limit=5
like "$out" '*"next":"*access_token=\[REDACTED\]*' "paging.next is printed with its token redacted"
unlike "$out$err" "*$CANARY*" "the token is nowhere in the output"

run th-api me access_token=THQVJsomething
is "$status" 64 "access_token=... on the command line is refused"
like "$err" "*access_token on the command line is refused*" "with a reason"
is "$(sblog 'select(.path == "/v1.0/me" and .query.access_token)' | wc -l | tr -d ' ')" 0 "and nothing is sent"

# -v redacts before it cuts a long body: a token across the cut at 4096
# bytes was printed minus its last character
leak=
for off in $(seq 4066 4097); do
	pad=$(printf 'x%.0s' $(seq $((off - 6))))
	fault "{\"path\": \"^/v1.0/me$\", \"body\": \"{\\\"x\\\":\\\"$pad$CANARY$pad\\\"}\"}"
	run th-api -v me
	case "$err" in *"${CANARY:0:8}"*) leak="$leak $off" ;; esac
done
is "$leak" "" "-v: a token at any offset around the 4096-byte cut is redacted whole"
like "$err" "*\[... 4*bytes\]*" "  and the cut says how much was left out"

unset TH_ACCESS_TOKEN
run th-api me
is "$status" 77 "with no token at all: 77"
like "$err" "*no token*th-auth login*" "and the message says what to do"

canary_ok "$T/tok"
printf '%s\n' "$CANARY" >"$T/tok"
chmod 644 "$T/tok"
TH_TOKEN_FILE="$T/tok" run th-api me
is "$status" 78 "a token file others can read is refused (78)"
like "$err" "*readable by others*" "and the message says why"
unlike "$err" "*$CANARY*" "without printing the token"

chmod 600 "$T/tok"
TH_TOKEN_FILE="$T/tok" run th-api --jq .username me fields=username
is "$out" th_tester "a private token file (TH_TOKEN_FILE) works"
run th-api --token-file "$T/tok" --jq .username me fields=username
is "$out" th_tester "--token-file works too"

mkdir -p "$XDG_CONFIG_HOME/th/accounts"
umask 077
printf '{"access_token":"%s","username":"th_tester","user_id":"1"}\n' "$CANARY" \
	>"$XDG_CONFIG_HOME/th/accounts/th_tester"
run th-api --jq .username me fields=username
is "$out" th_tester "the only account file is used when none is named"
run th-api -a nobody me
is "$status" 77 "a named account that does not exist is 77"
# -a names the account: it wins over TH_ACCESS_TOKEN and TH_TOKEN_FILE, so
# a job that names its account never posts as another
OTHER=THQVJother$RANDOM$RANDOM
sb POST /_control/token "{\"token\": \"$OTHER\", \"user\": \"orbit_daily\"}" >/dev/null
TH_ACCESS_TOKEN=$OTHER run th-api --jq .username me fields=username
is "$out" orbit_daily "TH_ACCESS_TOKEN alone is used"
TH_ACCESS_TOKEN=$OTHER run th-api -a th_tester --jq .username me fields=username
is "$out" th_tester "-a wins over TH_ACCESS_TOKEN"
TH_ACCESS_TOKEN=$OTHER TH_TOKEN_FILE="$T/tok" run th-api -a th_tester --jq .username me fields=username
is "$out" th_tester "  and over TH_TOKEN_FILE"
clearlog
TH_ACCESS_TOKEN=$OTHER run th-post -a nosuch "never as another"
is "$status" 77 "-a naming no account is 77, even with TH_ACCESS_TOKEN set"
like "$err" "*no account 'nosuch'*" "  saying so"
is "$(sblog | wc -l | tr -d ' ')" 0 "  and nothing is sent"
run th-api -a th_tester --token-file "$T/tok" me
is "$status" 64 "-a and --token-file together: 64"
like "$err" "*-a and --token-file*" "  saying why"
chmod 640 "$XDG_CONFIG_HOME/th/accounts/th_tester"
run th-api -a th_tester me
is "$status" 78 "an account file readable by the group is refused (78)"

done_testing

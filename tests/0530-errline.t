#!/bin/bash
# One shape for an error line, in every verb (issue 19):
#	th-verb: what the user gave: th's words (API: its text, code N/S)
# th's words about the input first, the API's text after, less what
# misleads (an "Object with ID 'zuck'" sentence, a "(#4)" in front).
. "$(dirname "$0")/lib.sh"
sandbox_start
sb POST /_control/clock '{"set": 1780000000}' >/dev/null
sb POST /_control/seed '{"user": "me", "posts": 2}' >/dev/null
id=$("$top_builddir/th-api" me/threads fields=id | jq -r '.data[0].id')
nosuch=17999999999999999

# --- an unknown user ---------------------------------------------------------------
run th-whois @nosuchuser
is "$status:$err" "1:th-whois: @nosuchuser: no such user, or not a public profile the API may read (API: The requested user could not be found or is not public, code 100)" \
	"th-whois, unknown user: th's words first, the API's after"
# the live 100/33 text names the object the API was asked ('zuck' in the
# recorded answer), whoever the user asked for: the sentence goes
fault '{"path": "profile_lookup", "times": 1, "status": 400, "error": {"message": "Unsupported get request. Object with ID '"'zuck'"' does not exist, cannot be loaded due to missing permissions, or does not support this operation", "type": "THApiException", "code": 100, "error_subcode": 33, "fbtrace_id": "ABS21gIHjhhDwZmPSzb09_r"}}'
run th-whois @nosuchuser
is "$status:$err" "1:th-whois: @nosuchuser: no such user, or not a public profile the API may read (API: Unsupported get request, code 100/33)" \
	"  the live 100/33 answer: no 'zuck', no three-way guess"
sb POST /_control/faults/clear >/dev/null

# --- an unknown post id ------------------------------------------------------------
want="no such post, or not one this token may read (API: Unsupported get request, code 100/33)"
for v in th-stats th-delete th-hide th-repost th-api; do
	run $v $nosuch
	is "$status:$err" "1:$v: $nosuch: $want" "$v, unknown post id"
done

# --- an expired token --------------------------------------------------------------
sb POST /_control/token '{"token": "expiredtok", "age": 7200, "expires_in": 3600}' >/dev/null
want="the token has expired: set another TH_ACCESS_TOKEN, or unset it to use a stored account (API: Error validating access token: Session has expired on 2026-05-28T19:26:40+0000. The current time is 2026-05-28T20:26:40+0000, code 190/463)"
for c in "th-whois me:me" "th-whois @meta:@meta" "th-stats $id:$id" \
    "th-hide $id:$id" "th-api me:me" "th-stats me:account insights" \
    "th-delete $id:cannot ask who you are" "th-repost $id:cannot ask who you are" \
    "th-post hello:cannot ask who you are"; do
	TH_ACCESS_TOKEN=expiredtok run ${c%%:*}
	is "$status:$err" "77:${c%% *}: ${c#*:}: $want" "${c%%:*}, expired token"
done
TH_ACCESS_TOKEN=not-a-token run th-whois me
is "$status:$err" "77:th-whois: me: the token is not valid: set another TH_ACCESS_TOKEN, or unset it to use a stored account (API: Invalid OAuth 2.0 Access Token, code 190)" \
	"th-whois, a token the API does not know"

# --- a permission missing ----------------------------------------------------------
sb POST /_control/token '{"token": "basiconly", "scopes": ["threads_basic"]}' >/dev/null
api="(API: Application does not have permission for this action, code 10)"
for c in "th-whois @meta:@meta:threads_profile_discovery" \
    "th-stats $id:$id:threads_manage_insights" \
    "th-stats me:account insights:threads_manage_insights" \
    "th-hide $id:$id:threads_manage_replies" \
    "th-repost $id:$id:threads_content_publish"; do
	what=${c#*:}
	TH_ACCESS_TOKEN=basiconly run ${c%%:*}
	is "$status:$err" "77:${c%% *}: ${what%:*}: the app or the token lacks the ${c##*:} permission $api" \
		"${c%%:*}, permission missing: names it"
done
# the quota's permission depends on the fields asked: none is named
TH_ACCESS_TOKEN=basiconly run th-delete $id
is "$status:$err" "77:th-delete: cannot read the delete quota: the app or the token lacks a permission this needs $api" \
	"th-delete, the delete quota refused: no permission guessed"

# --- a rate limit (the live answer: "(#4) ..." in front) -----------------------------
fault '{"path": ".", "times": 1000, "status": 400, "error": {"message": "(#4) Application request limit reached", "type": "OAuthException", "is_transient": true, "code": 4, "fbtrace_id": "Ap5Jr2xVCxj"}}'
want="rate limited: try again later (API: Application request limit reached, code 4)"
for c in "th-whois me:me" "th-stats $id:$id" "th-hide $id:$id" "th-api me:me" \
    "th-delete $id:cannot ask who you are"; do
	run ${c%%:*}
	is "$status:$err" "75:${c%% *}: ${c#*:}: $want" "${c%%:*}, rate limited"
done
sb POST /_control/faults/clear >/dev/null

# --- a refusal th has no words for: the API's text is the reason -----------------------
fault '{"path": "^/v1.0/me$", "times": 1, "status": 500, "error": {"message": "Invalid parameter", "type": "THApiException", "code": 100, "error_user_msg": "The field is not valid."}}'
run th-api me
is "$status:$err" "1:th-api: me: refused (API: Invalid parameter: The field is not valid., code 100)" \
	"th-api, a plain refusal: 'refused', then the API's text and its user message"
sb POST /_control/faults/clear >/dev/null

# --- what a verb adds after the reason stays at the end --------------------------------
fault '{"path": "/repost$", "times": 1, "status": 500, "error": {"message": "An unknown error has occurred.", "type": "OAuthException", "code": 1}}'
run th-repost $id
is "$status:$err" "69:th-repost: $id: the API failed (API: An unknown error has occurred, code 1) (the repost may have gone through: check before trying again)" \
	"th-repost, an answer that leaves the write unknown: the verb's note last"
sb POST /_control/faults/clear >/dev/null

# --- the sources of th-timeline and th-search: the same shape after "skipped: " --------
run th-timeline -n 5 @nosuchuser
is "$status:$err" "1:th-timeline: @nosuchuser: skipped: no such user, or not a public profile the API may read (API: The requested user could not be found or is not public, code 100)" \
	"th-timeline, unknown user: the shape th-whois has"
run th-timeline -r $nosuch
is "$status:$err" "1:th-timeline: replies:$nosuch: skipped: no such post, or not one this token may read (API: Unsupported get request, code 100/33)" \
	"th-timeline -r, unknown post id"
want="the token has expired: set another TH_ACCESS_TOKEN, or unset it to use a stored account (API: Error validating access token: Session has expired on 2026-05-28T19:26:40+0000. The current time is 2026-05-28T20:26:40+0000, code 190/463)"
TH_ACCESS_TOKEN=expiredtok run th-timeline -n 5 me
is "$status:$err" "77:th-timeline: me: $want" "th-timeline, expired token"
TH_ACCESS_TOKEN=expiredtok run th-search -n 5 ramen
is "$status:$err" "77:th-search: search:ramen: $want" "th-search, expired token"
TH_ACCESS_TOKEN=basiconly run th-timeline -n 5 mentions
is "$status:$err" "1:th-timeline: mentions: skipped: the app or the token lacks the threads_manage_mentions permission $api" \
	"th-timeline, permission missing"
TH_ACCESS_TOKEN=basiconly run th-search -n 5 ramen
is "$status:$err" "1:th-search: search:ramen: skipped: the app or the token lacks the threads_keyword_search permission $api" \
	"th-search, permission missing"
fault '{"path": "keyword_search", "times": 20, "status": 400, "error": {"message": "Application does not have permission for this action", "type": "OAuthException", "code": 10, "error_subcode": 4279067}}'
run th-search -n 5 ramen
is "$status:$err" "1:th-search: search:ramen: skipped: the app's access tier does not reach this: threads_keyword_search needs advanced access, granted by Meta's App Review; until then it reaches only a few accounts (API: Application does not have permission for this action, code 10/4279067)" \
	"th-search, the access tier"
sb POST /_control/faults/clear >/dev/null
fault '{"path": ".", "times": 1000, "status": 400, "error": {"message": "(#4) Application request limit reached", "type": "OAuthException", "is_transient": true, "code": 4}}'
run th-timeline -n 5 me
is "$status:$err" "75:th-timeline: me: skipped: rate limited: try again later (API: Application request limit reached, code 4)" \
	"th-timeline, rate limited"
sb POST /_control/faults/clear >/dev/null

# --json errors keep the API's detail whole: the stripping is for people
run th-stats --errors=json $nosuch
is "$(echo "$err" | jq -r .api.message)" "Unsupported get request. Object with ID '$nosuch' does not exist, cannot be loaded due to missing permissions, or does not support this operation" \
	"--errors=json: the API's message as it came, in the detail"

# a stored account's refused token: th-auth login -a NAME is the fix
"$top_builddir/th-auth" login --with-token -a stored <<<"$CANARY" >/dev/null 2>&1
sb POST /_control/token "{\"token\": \"$CANARY\", \"valid\": false}" >/dev/null
TH_ACCESS_TOKEN= run th-whois me
is "$status:$err" "77:th-whois: me: the token is not valid: run th-auth login -a stored (API: Invalid OAuth 2.0 Access Token, code 190)" \
	"a stored account's refused token: the fix names the account"
sb POST /_control/token "{\"token\": \"$CANARY\"}" >/dev/null

done_testing

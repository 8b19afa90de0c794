#!/bin/bash
# 0640-tty: what a person at a terminal sees. A verb's records go to a
# terminal as th-show draws them and to a pipe or a file as NDJSON, as
# gh and git do; --json and TH_JSON keep NDJSON on a terminal, and --jq
# output is never drawn. th-show's times are in the local zone (TZ) or
# UTC (--utc), with the time of day always; reposts say what they repeat.
# The terminal is a real pseudo-terminal, from script(1).
. "$top_srcdir/tests/lib.sh"
command -v script >/dev/null || skip_all "script(1) is needed for a pseudo-terminal"
sandbox_start
export NO_COLOR=1 TZ=UTC COLUMNS=80

# onatty CMD: CMD with its stdout on a pseudo-terminal; prints what the
# terminal got (script's \r\n undone); its stderr goes to $T/tty.err and
# its exit status to $ttystatus. Settings go before onatty (TZ=x onatty
# ...), not into CMD: CMD starts with the verb, for $TH_TEST_WRAPPER.
onatty() {
	script -qec "${TH_TEST_WRAPPER:-} $* 2>'$T/tty.err'" /dev/null >"$T/tty.raw"
	ttystatus=$?
	tr -d '\r' <"$T/tty.raw"
}
B=$top_builddir

sb POST /_control/seed '{"user": "me", "posts": 2, "text": "tty post"}' >/dev/null

# --- a verb's records: drawn on a terminal, NDJSON elsewhere ------------------
run th-timeline -n 2 me
cp "$T/out" "$T/pipe"
is "$(jq -r .text "$T/pipe" | wc -l | tr -d ' '):$(head -1 "$T/pipe" | jq -r .text)" "2:tty post 0" \
	"to a file or a pipe: NDJSON, as before"
onatty "'$B/th-show' <'$T/pipe'" >"$T/shown"
onatty "'$B/th-timeline' -n 2 me" >"$T/tty"
is "$ttystatus" 0 "th-timeline on a terminal: exit 0"
is "$(cat "$T/tty.err")" "" "  nothing on stderr"
cmp -s "$T/tty" "$T/shown"
ok $? "  its records drawn as th-show draws them"
like "$(head -1 "$T/tty")" "@th_tester · [0-2][0-9]:[0-5][0-9] (*)" \
	"  a header, not JSON: @user, the time of day, how long ago"
is "$(sed -n 2p "$T/tty")" "  tty post 0" "  then the text"
onatty "'$B/th-timeline' -n 2 me | '$B/th-show'" >"$T/tty"
cmp -s "$T/tty" "$T/shown"
ok $? "th-timeline | th-show on a terminal: unchanged (the pipe gets NDJSON)"

onatty "'$B/th-timeline' --json -n 2 me" >"$T/tty"
is "$ttystatus" 0 "--json on a terminal: exit 0"
is "$(cat "$T/tty")" "$(cat "$T/pipe")" "  NDJSON, the same bytes as to a pipe"
TH_JSON=1 onatty "'$B/th-timeline' -n 2 me" >"$T/tty"
is "$(cat "$T/tty")" "$(cat "$T/pipe")" "TH_JSON=1 on a terminal: NDJSON"
TH_JSON=0 onatty "'$B/th-timeline' -n 2 me" >"$T/tty"
cmp -s "$T/tty" "$T/shown"
ok $? "TH_JSON=0 on a terminal: drawn"
onatty "'$B/th-timeline' -n 2 me --jq .text" >"$T/tty"
is "$(cat "$T/tty")" "$(jq -r .text "$T/pipe")" "--jq on a terminal: the filter's output, never drawn"
onatty "'$B/th-timeline' -n 2 me --jq ." >"$T/tty"
is "$(cat "$T/tty")" "$(cat "$T/pipe")" "  --jq . on a terminal: JSON"

unset NO_COLOR
onatty "'$B/th-timeline' -n 1 me" >"$T/tty"
like "$(cat "$T/tty")" "$(printf '\033')[1m@th_tester$(printf '\033')[0m*" \
	"on a terminal, colour: the name bold"
NO_COLOR=1 onatty "'$B/th-timeline' -n 1 me" >"$T/tty"
unlike "$(cat "$T/tty")" "*$(printf '\033')*" "  not with NO_COLOR"
export NO_COLOR=1

sb POST /_control/seed '{"user": "me", "posts": 1, "text": "red \u001b[31mALERT \u202egnp"}' >/dev/null
onatty "'$B/th-timeline' -n 1 me" >"$T/tty"
is "$(sed -n 2p "$T/tty")" "  red ^[[31mALERT <U+202E>gnp 0" \
	"a drawn post's escapes and bidi overrides are shown as text, never sent"

# --- records that are not posts ------------------------------------------------
onatty "'$B/th-whois' me" >"$T/tty"
is "$(cat "$T/tty")" "@th_tester (th tester)
  Testing th ✨" "th-whois on a terminal: a profile, drawn"
onatty "'$B/th-list' create tty" >"$T/tty"
is "$(cat "$T/tty")" "list tty" "th-list create: key value on one line"
onatty "'$B/th-auth' status" >"$T/tty"
is "$(grep -c '^[a-z_]*: ' "$T/tty")" "$(jq -r 'keys | length' <<<"$("$B/th-auth" status)")" \
	"th-auth status, too wide for a line: one key: value a line"
like "$(cat "$T/tty")" "*
username: th_tester
*
valid: true
*" "  username and valid among them"

# --- exit statuses and stderr are the same on a terminal -----------------------
run th-whois @nosuchuser
onatty "'$B/th-whois' @nosuchuser" >"$T/tty"
is "$ttystatus" "$status" "a failure on a terminal: the same exit status ($status)"
is "$(cat "$T/tty.err")" "$err" "  the same message on stderr"
is "$(cat "$T/tty")" "" "  nothing on stdout"

# --- reposts -------------------------------------------------------------------
sb POST /_control/seed '{"user": "alice", "posts": 1, "text": "alice says"}' >/dev/null
aid=$("$B/th-timeline" -n 1 @alice --jq .id)
onatty "'$B/th-repost' $aid" >"$T/tty"
is "$ttystatus" 0 "th-repost on a terminal: exit 0"
like "$(head -1 "$T/tty")" "@th_tester reposted · [0-2][0-9]:[0-5][0-9] (now)" \
	"  the repost says it is one"
is "$(sed -n 2p "$T/tty")" "  [repost of $aid]" "  and of which post (Threads gives its id alone)"
"$B/th-timeline" -n 3 me @alice | "$B/th-show" >"$T/shown"
like "$(cat "$T/shown")" "*@th_tester reposted @alice · 20[0-9-]* [0-2][0-9]:[0-5][0-9] UTC
  \[repost of $aid\]
*
@alice · *
  alice says 0
*" "th-show names whose post it is when that post is in its input"

# --- th-show's times: the local zone or UTC, the time of day always ------------
echo '{"id":"1","username":"alice","timestamp":"2026-11-20T09:00:00+0000","text":"hi"}' >"$T/old"
is "$(TZ=Asia/Tokyo "$B/th-show" <"$T/old" | head -1)" "@alice · 2026-11-20 18:00 JST" \
	"th-show to a file, TZ=Asia/Tokyo: in Tokyo's time, the zone named"
is "$(TZ=Asia/Tokyo "$B/th-show" --utc <"$T/old" | head -1)" "@alice · 2026-11-20 09:00 UTC" \
	"  --utc: in UTC"
t=$(($(date +%s) - 3 * 86400 - 600))
printf '{"id":"2","username":"bob","timestamp":"%s","text":"three days"}\n' \
	"$(date -u -d "@$t" +%Y-%m-%dT%H:%M:%S+0000)" >"$T/3d"
TZ=Asia/Tokyo onatty "'$B/th-show' <'$T/3d'" >"$T/tty"
is "$(head -1 "$T/tty")" "@bob · $(TZ=Asia/Tokyo date -d "@$t" '+%a %H:%M') (3d ago)" \
	"a post from 3 days ago on a terminal: the day and the time of day in TZ, and how long ago"
TZ=Asia/Tokyo onatty "'$B/th-show' --utc <'$T/3d'" >"$T/tty"
is "$(head -1 "$T/tty")" "@bob · $(date -u -d "@$t" '+%a %H:%M') UTC (3d ago)" \
	"  --utc: in UTC, said so"
t=$(($(date +%s) - 10 * 86400))
printf '{"id":"3","username":"bob","timestamp":"%s","text":"ten days"}\n' \
	"$(date -u -d "@$t" +%Y-%m-%dT%H:%M:%S+0000)" >"$T/10d"
TZ=Asia/Tokyo onatty "'$B/th-show' <'$T/10d'" >"$T/tty"
is "$(head -1 "$T/tty")" "@bob · $(TZ=Asia/Tokyo date -d "@$t" '+%Y-%m-%d %H:%M')" \
	"  10 days ago: the date and the time of day"

# a token pasted at the terminal is not echoed back onto the screen
( sleep 1; printf '%s\n' "$CANARY" ) |
	env -u TH_ACCESS_TOKEN script -qec "$top_builddir/th-auth login --with-token -a pasted" /dev/null >"$T/paste.raw"
like "$(cat "$T/paste.raw")" "*Paste the token, then Enter: *logged in as @th_tester*" \
	"th-auth login --with-token at a terminal: asks, then logs in"
grep -qF "$CANARY" "$T/paste.raw"
ok $((! $?)) "  the pasted token is not echoed"
rm -f "$T/paste.raw"

done_testing

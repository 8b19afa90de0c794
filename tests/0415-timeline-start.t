#!/bin/bash
# --new with -v: where each source's cursor starts, so that a first run
# that prints nothing says why.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start

day=$(date -u -d @$(( $(date +%s) - 86400 )) '+%Y-%m-%d')
run th-timeline -v --new cron @meta '#ramen'
is "$status" 0 "first --new run with -v"
is "$(grep -c 'first run' "$T/err")" 2 "  one start line per source"
like "$(grep '@meta: first run' "$T/err")" \
	"th-timeline: @meta: first run: from a day back, $day ??:??:?? UTC (--since starts further back)" \
	"  @meta starts a day back, and says how to start further"
like "$(grep '#ramen: first run' "$T/err")" "th-timeline: #ramen: first run: from a day back, $day *" \
	"  so does #ramen"
run th-timeline -v --new cron @meta
like "$(grep '@meta: from' "$T/err")" "th-timeline: @meta: from its cursor, posts after 20??-??-?? ??:??:?? UTC" \
	"the next run: from the cursor"
# a cursor no date has (a year past int): gmtime() gave NULL to strftime()
jq -c '.sources["@meta"].ts = 1e30' "$XDG_STATE_HOME/th/timeline/cron" >"$T/cur" &&
	cat "$T/cur" >"$XDG_STATE_HOME/th/timeline/cron"
run th-timeline -v --new cron @meta
is "$status" 0 "a cursor file's ts past any year: no crash"
like "$(grep '@meta: from' "$T/err")" \
	"th-timeline: @meta: from its cursor, posts after a date no calendar has" "  said as such"
printf '[]' >"$XDG_STATE_HOME/th/timeline/cron"
run th-timeline --new cron @meta
is "$status:$err" "65:th-timeline: $XDG_STATE_HOME/th/timeline/cron: not a th state file: remove it to start afresh" \
	"a state file that is not an object: 65, and how to start afresh (and no leak: ASan)"
is "$(cat "$XDG_STATE_HOME/th/timeline/cron")" "[]" "  the file is left as it was"
run th-timeline -v --since 2026-11-01 --new other @meta
is "$(grep '@meta: first run' "$T/err")" "th-timeline: @meta: first run: from --since, 2026-11-01 00:00:00 UTC" \
	"a first run with --since: from there"
run th-timeline --new quiet @meta
is "$(grep -c 'first run' "$T/err")" 0 "without -v: no start lines"

run th-timeline --since 2x @meta
is "$status:$err" "64:th-timeline: --since '2x': a date (2026-11-01), a time (2026-11-01T09:00:00Z), epoch seconds, or an age (90m, 2h, 3d, 1w)" \
	"a bad --since names every unit, w included"
run th-stats --since 2x me
is "$status:$err" "64:th-stats: --since '2x': a date (2026-11-01), a time (2026-11-01T09:00:00Z), epoch seconds, or an age (90m, 2h, 3d, 1w)" \
	"th-stats says the same"
clearlog
run th-stats --since 2023-01-01 me
is "$status" 0 "th-stats me --since before insights begin: 0"
is "$err" "th-stats: --since: insights begin on 2024-04-13; from there" "  saying where it starts"
is "$(sblogr 'select(.path == "/v1.0/me/threads_insights") | .query.since')" 1712991600 \
	"  and asking from there, as the API demands"
run th-timeline -n 1 --since 1w @meta
is "$status" 0 "  and 1w is accepted"

# -f never polls in silence what cannot work: no token, a revoked one
(
	unset TH_ACCESS_TOKEN
	start=$(date +%s)
	timeout 20 "$top_builddir/th-timeline" -f --new nf me >"$T/nf.out" 2>"$T/nf.err"
	echo "$? $(( $(date +%s) - start ))" >"$T/nf.st"
)
read -r st secs <"$T/nf.st"
is "$st" 77 "-f with no token: 77"
ok "$([ "$secs" -lt 5 ] && echo 0 || echo 1)" "  at once, not after polling for ever ($secs s)"
like "$(cat "$T/nf.err")" "*no token: run th-auth login*" "  saying what to do"

timeout 30 "$top_builddir/th-timeline" -f --interval 1 me >"$T/rv.out" 2>"$T/rv.err" &
pid=$!
for i in $(seq 50); do [ -s "$T/rv.out" ] && break; sleep 0.1; done
sb POST /_control/token "{\"token\": \"$CANARY\", \"valid\": false}" >/dev/null
wait $pid
is "$?" 77 "-f whose token is revoked while it polls: 77, not polling on"
is "$(grep -c . "$T/rv.out" | tr -d ' ')" 10 "  after printing the latest ten"

done_testing

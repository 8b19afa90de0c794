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
run th-timeline -n 1 --since 1w @meta
is "$status" 0 "  and 1w is accepted"

done_testing

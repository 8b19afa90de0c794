#!/bin/bash
# The item loop's rule for an empty stdin (cron, CI): a verb with a
# natural default uses it (th-whois: me); the others say on stderr that
# there was nothing to do, exit 0 and send nothing.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start

clearlog
run th-whois </dev/null
is "$status:$(echo "$out" | jq -r .username)" "0:th_tester" "th-whois with an empty stdin: me"
is "$(sblogr .path)" "/v1.0/me" "  asked /me"
printf '\n\n' >"$T/blank"
run th-whois <"$T/blank"
is "$status:$(echo "$out" | jq -r .username)" "0:th_tester" "th-whois with only blank lines: me"
run th-whois @meta </dev/null
is "$(echo "$out" | jq -r .username)" "meta" "th-whois with an operand: the operand, not me"

for v in th-stats th-hide th-delete th-repost; do
	clearlog
	run $v </dev/null
	is "$status" 0 "$v with an empty stdin: 0"
	is "$err" "$v: nothing to do: no items on stdin" "  says there was nothing to do"
	is "$out" "" "  prints nothing on stdout"
	is "$(sblog | wc -l | tr -d ' ')" 0 "  sends nothing"
	run $v <"$T/blank"
	is "$status:$err" "0:$v: nothing to do: no items on stdin" "$v with blank lines only: the same"
done

# the verbs that read records or sources, not items, say the same
"$top_builddir/th-list" create food >/dev/null
for v in "th-show:records" "th-post --batch:records" "th-follow add:sources" \
    "th-follow rm:sources" "th-list add never:sources" "th-list rm food:sources"; do
	cmd=${v%%:*}
	clearlog
	run $cmd </dev/null
	is "$status:$out:$err" "0::${cmd%% *}: nothing to do: no ${v##*:} on stdin" "$cmd with an empty stdin says so"
	is "$(sblog | wc -l | tr -d ' ')" 0 "  sends nothing"
done
run th-list show never
is "$status:$err" "1:th-list: no list 'never'" "  and th-list add made no list"

# a malformed line is an item that failed, not "nothing to do"
run th-stats <<<'{"id":'
is "$status" 65 "th-stats with one malformed line: 65"
unlike "$err" "*nothing to do*" "  not reported as nothing to do"

done_testing

#!/bin/bash
# Bad input, verb by verb: the documented exit status, a message, no
# crash, and not one request sent.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start

# the inputs
printf 'bad \xc3\x28 byte\n' >"$T/utf8"
printf '12345\000678\n' >"$T/nul"
head -c $((9 << 20)) /dev/zero | tr '\0' '1' >"$T/long"
echo >>"$T/long"
printf '{"id": "1", "text": \n' >"$T/malformed"
: >"$T/empty"
BADUTF8=$(cat "$T/utf8")

# check DESC WANT VERB ARGS... (stdin from $IN)
check() {
	local desc=$1 want=$2
	shift 2
	clearlog
	run "$@" <"$IN"
	is "$status" "$want" "$desc: $* -> $want"
	ok "$([ -n "$err" ] && echo 0 || echo 1)" "  with a message"
	ok "$([ "$status" -lt 128 ] && echo 0 || echo 1)" "  no crash"
	is "$(sblog 'select(.method != "GET" or (.path | test("publishing_limit|/me$") | not))' | wc -l | tr -d ' ')" 0 \
		"  nothing sent"
}

IN=$T/empty
for v in th-api th-auth th-post th-follow th-list th-timeline th-search th-whois \
	th-delete th-repost th-hide th-stats th-show; do
	check "an unknown flag" 64 "$v" --no-such-flag
done
check "a bad number" 64 th-timeline -n many me
check "a bad number" 64 th-timeline -P 0 me
check "a bad number" 64 th-search -n -3 ramen
check "a bad number" 64 th-delete --last x
check "a bad number" 64 th-post --wait-timeout soon hello
check "a bad number" 64 th-auth status --fail-within a-week
check "a bad number" 64 th-show -w 5
check "a bad time" 64 th-stats --since yesterday me

check "invalid UTF-8" 65 th-post "$BADUTF8"
check "invalid UTF-8" 65 th-follow "@$BADUTF8"
check "invalid UTF-8" 65 th-list add watch "#$BADUTF8"
check "invalid UTF-8" 65 th-timeline "#$BADUTF8"
check "invalid UTF-8" 65 th-search "$BADUTF8"
check "invalid UTF-8" 65 th-whois "@$BADUTF8"
for v in th-delete th-repost th-hide th-stats; do
	check "invalid UTF-8" 65 "$v" "$BADUTF8"
done
IN=$T/utf8
check "invalid UTF-8 on stdin" 65 th-post
check "invalid UTF-8 on stdin" 65 th-list add watch
check "invalid UTF-8 on stdin" 65 th-delete

IN=$T/nul
for v in "th-post" "th-follow add" "th-list add watch" "th-delete" "th-repost" "th-hide" \
	"th-stats" "th-whois" "th-show" "th-auth login --with-token"; do
	# shellcheck disable=SC2086
	check "a NUL on stdin" 65 $v
done
check "a NUL in a batch" 1 th-post --batch

IN=$T/long
for v in "th-post" "th-list add watch" "th-delete" "th-repost" "th-hide" "th-stats" \
	"th-whois" "th-show"; do
	# shellcheck disable=SC2086
	check "a 9 MiB line on stdin" 65 $v
done
check "a 9 MiB line in a batch" 1 th-post --batch

IN=$T/malformed
for v in "th-list add watch" "th-follow add" "th-delete" "th-repost" "th-hide" "th-stats" \
	"th-whois" "th-show"; do
	# shellcheck disable=SC2086
	check "a malformed NDJSON record" 65 $v
done
check "a malformed NDJSON record in a batch" 1 th-post --batch
is "$(echo "$out" | jq -c '[.line, .status]')" '[1,65]' "  reported on its line"

# an escaped NUL (\u0000) inside a JSON string: C would see the string
# cut short there ("Release v1.0 is out\0 -- not really" posted as
# "Release v1.0 is out"); it is 65 for that record, in every verb
printf '%s\n' '{"id": "1784\u00001", "username": "meta\u0000evil", "source": "@meta\u0000", "text": "a\u0000b"}' >"$T/jnul"
IN=$T/jnul
for v in "th-list add watch" "th-follow add" "th-delete" "th-repost" "th-hide" "th-stats" \
	"th-whois" "th-show"; do
	# shellcheck disable=SC2086
	check "an escaped NUL in a record" 65 $v
	like "$err" "*NUL (\\\\u0000)*" "  named as such"
done
printf '%s\n' '{"text": "Release v1.0 is out\u0000 -- not really"}' \
	'{"text": "keys that differ after a NUL A", "key": "rel\u0000-A"}' \
	'{"text": "keys that differ after a NUL B", "key": "rel\u0000-B"}' >"$T/jnulbatch"
IN=$T/jnulbatch
check "escaped NULs in a batch" 1 th-post --batch
is "$(echo "$out" | jq -c '[.line, .status, .error]' | tr '\n' ' ')" \
	'[1,65,"a string holds a NUL (\\u0000)"] [2,65,"a string holds a NUL (\\u0000)"] [3,65,"a string holds a NUL (\\u0000)"] ' \
	"  each record refused on its line, none posted"

ok "$([ ! -e "$XDG_DATA_HOME/th/lists/watch" ] && echo 0 || echo 1)" "no list was created by any of it"

done_testing

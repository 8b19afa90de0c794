#!/bin/bash
# Local state under concurrency, SIGKILL, a full disk and a read-only one.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
LISTS="$XDG_DATA_HOME/th/lists"
L="$top_builddir/th-list"

# --- 8 processes x 200 updates to one list, read all along -------------------------
"$L" create busy >/dev/null
pids=
for w in $(seq 8); do
	( for n in $(seq 200); do "$L" add busy "@w${w}_$n" >/dev/null || echo fail; done ) >"$T/w$w" 2>&1 &
	pids="$pids $!"
done
reads=0 badreads=0
while kill -0 $pids 2>/dev/null; do
	"$L" show busy >/dev/null 2>&1 || badreads=$((badreads + 1))
	reads=$((reads + 1))
done
wait $pids
is "$(cat "$T"/w* | wc -l | tr -d ' ')" 0 "8 writers x 200 adds: every add succeeded"
is "$(wc -l <"$LISTS/busy" | tr -d ' ')" 1600 "  the list has all 1600 entries"
is "$(sort "$LISTS/busy" | uniq -d | wc -l | tr -d ' ')" 0 "  each once"
is "$badreads" 0 "  and each of $reads reads made meanwhile parsed whole"

# --- SIGKILL at random points of a write, 500 times -----------------------------------
kill_writers big 5000 500 5
is "$bad" 0 "500 writers killed at random points: always the old list or the new one ($newer new, $((500 - newer)) old)"

# --- a torn ledger line never costs the record after it -----------------------------------
sandbox_start
LEDGER="$XDG_STATE_HOME/th/ledger"
# records KEY EVENT: the ledger's readable records of that key and event
records() {
	jq -R -c --arg k "$1" --arg e "$2" 'fromjson? | select(.key == $k and .event == $e)' \
		"$LEDGER" | wc -l | tr -d ' '
}
mkdir -p "${LEDGER%/*}"
printf '{"event":"container","uid":"1784' >"$LEDGER"	# a crash cut it short
clearlog
run th-post --key b hi
is "$status" 0 "th-post --key b after a torn ledger line: posted"
like "$err" "*ledger $LEDGER: the last line was cut short*new line*" "  saying the torn line is ended first"
is "$(records b container)" 1 "  b's container record is readable"
is "$(records b published)" 1 "  and so is the published one"
is "$(sed -n 1p "$LEDGER")" '{"event":"container","uid":"1784' "  the torn bytes stay on a line of their own"
run th-post --key b hi
is "$status" 0 "the same key again"
is "$(echo "$out" | jq -c .duplicate)" true "  is a duplicate"
like "$err" "*ledger $LEDGER line 1: a torn record*skipped*" "  and the reader names the torn line"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 1 "  one publish in all"
is "$(posts hi)" 1 "  one post"

# The issue's double post: part 2 of a 3-part thread is published but its
# answer lost, and th-post stops while it looks for the post; a torn line
# sat right before part 2's container record.
para() { printf 'Paragraph %s. %s\n\n' "$1" "$(printf 'word%.0s ' $(seq 85))"; }
{ for i in 1 2 3; do para $i; done; } >"$T/long"
: >"$LEDGER"
sb POST /_control/faults/clear >/dev/null
fault '{"path": "^/v1.0/me/threads$", "method": "POST", "skip": 1, "status": 400, "error": {"message": "Invalid parameter", "type": "THApiException", "code": 100}}'
run th-post --thread -k torn -F "$T/long"
is "$status" 1 "a 3-part thread stopped at part 2"
printf '{"event":"published","uid":"1784' >>"$LEDGER"
sb POST /_control/faults/clear >/dev/null
fault '{"path": "threads_publish$", "act": true, "status": 500, "error": {"message": "Application does not have permission for this action", "type": "OAuthException", "code": 10}}'
fault '{"path": "me/replies$", "times": 100, "status": 400, "error": {"message": "Invalid parameter", "type": "THApiException", "code": 100}}'
run th-post --thread -k torn -F "$T/long"
ok "$([ "$status" -ne 0 ] && echo 0 || echo 1)" "resumed: part 2 published, the answer lost, the post not found: th-post stops ($status)"
is "$(jq -R -c 'fromjson? | select(.key == "torn" and .event == "container") | .part' "$LEDGER" | tr '\n' ' ')" "0 1 " \
	"  part 2's container record, written after the torn line, is readable"
sb POST /_control/faults/clear >/dev/null
clearlog
run th-post --thread -k torn -F "$T/long"
is "$status" 0 "resumed again: the thread is finished"
is "$(echo "$out" | jq -c '.duplicate // false' | tr '\n' ' ')" "true false false " \
	"  part 1 a duplicate; part 2 settled by its container, part 3 new"
is "$(sblog 'select(.path == "/v1.0/me/threads" and .method == "POST")' | wc -l | tr -d ' ')" 1 \
	"  one new container (part 3's): part 2's was asked, not made again"
total=0
for i in 1 2 3; do
	total=$((total + $(posts "$(echo "$out" | sed -n "${i}p" | jq -r .text)" \
		"$([ $i -eq 1 ] && echo threads || echo replies)")))
done
is "$total" 3 "  exactly 3 posts exist: part 2 once"

# A write cut short (a file size limit, like a full disk) is taken back.
: >"$LEDGER"
for i in $(seq 40); do echo '{"event":"filler","uid":"0","time":0}'; done >>"$LEDGER"
pad=$((2048 - $(wc -c <"$LEDGER") - 30))	# 30 bytes from the limit
printf '{"event":"filler","uid":"0","pad":"%s"}\n' "$(head -c $((pad - 38)) /dev/zero | tr '\0' x)" >>"$LEDGER"
cp "$LEDGER" "$T/ledger.before"
clearlog
( trap '' XFSZ; ulimit -f 2; run th-post --key short "cut short"; echo "$status" >"$T/st"; \
	printf '%s' "$err" >"$T/short.err" )
is "$(cat "$T/st")" 74 "a ledger write cut short by a file size limit: 74"
like "$(cat "$T/short.err")" "*ledger $LEDGER: File too large*" "  saying why"
cmp -s "$LEDGER" "$T/ledger.before"
ok $? "  the ledger is as it was: the part written was taken back"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 0 \
	"  and nothing was published"
run th-post --key short "cut short"
is "$status" 0 "with room again: posted"
is "$err" "" "  with no word of a torn line"
is "$(posts "cut short")" 1 "  once"

# --- a full disk and a read-only one ------------------------------------------------------
mnt="$T/mnt"
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=256k tmpfs "$mnt" 2>/dev/null; then
	skip "a full and a read-only disk: cannot mount a tmpfs here (needs root)" 8
	done_testing
	exit
fi
trap 'umount "$mnt" 2>/dev/null; cleanup' EXIT
export XDG_DATA_HOME="$mnt/data" XDG_STATE_HOME="$mnt/state"
LISTS="$XDG_DATA_HOME/th/lists"
"$L" add watch @meta @orbit_daily >/dev/null
cp "$LISTS/watch" "$T/watch.before"
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
run th-list add watch @seoul.eats
is "$status" 74 "a full disk: th-list add exits 74"
like "$err" "*No space left on device*" "  saying why"
cmp -s "$LISTS/watch" "$T/watch.before"
ok $? "  the list is as it was"
is "$(ls -a "$LISTS" | grep -c '\.tmp')" 0 "  and no temporary file is left"

clearlog
run th-post "no room for the ledger"
is "$status" 74 "th-post with no room for its ledger: 74"
is "$(sblog 'select(.path == "/v1.0/me/threads_publish")' | wc -l | tr -d ' ')" 0 \
	"  nothing is published when the container cannot be recorded first"
rm -f "$mnt/filler"

mount -o remount,ro "$mnt"
run th-list add watch @seoul.eats
is "$status" 74 "a read-only disk: th-list add exits 74"
cmp -s "$LISTS/watch" "$T/watch.before"
ok $? "  the list is as it was"
mount -o remount,rw "$mnt"

done_testing

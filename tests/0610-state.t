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

sandbox_start
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

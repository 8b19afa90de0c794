# lib.sh: TAP helpers for th's shell tests. Each test file sources this,
# gets its own temporary HOME and XDG directories and its own sandbox,
# and ends with done_testing.
#
#   run th-api me            # runs build/th-api; sets $status, $out, $err
#   is "$out" 'expected'  "what is shown"
#   sb GET /_control/log     # talk to the sandbox's control endpoints

set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PYTHON3:=python3}"

_n=0
_failed=0
T=$(mktemp -d "${TMPDIR:-/tmp}/th-test.XXXXXX")
export HOME="$T/home" XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" \
	XDG_STATE_HOME="$T/state" XDG_CACHE_HOME="$T/cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME"
# Nothing from the developer's environment leaks into a test.
for v in $(env | sed -n 's/^\(TH_[A-Z_]*\)=.*/\1/p'); do
	case $v in
	TH_TEST_WRAPPER|TH_TEST_WRAP_EVERY|TH_TEST_WRAP_SEED) ;;
	*) unset "$v" ;;
	esac
done
export TH_BACKOFF_MS=20 TH_TIMEOUT=30 TH_CONNECT_TIMEOUT=5
# th-show draws times in the local zone: the golden files are in UTC
export TZ=UTC
# a sanitizer build (--enable-sanitizers) stops at the first error, exit 98
export ASAN_OPTIONS="exitcode=98:detect_leaks=1:abort_on_error=0" \
	UBSAN_OPTIONS="halt_on_error=1:exitcode=98:print_stacktrace=1"
# A random canary token, and a random app secret for the sandbox's app:
# neither may show up anywhere but its own file.
CANARY="THQVJcanary$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
APPSECRET="appsecret$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
SBPID=
FEDIPID=

# No th process may carry the canary on its command line: a sampler looks
# at /proc/*/cmdline ten times a second (the pattern is read from a file,
# so that the sampler's own grep does not carry it either). It runs beside
# every test in all three passes, so a quiet tick costs one process (the
# grep): it waits on a FIFO nobody writes (read -t, no sleep process) and
# names the hits only when there are some.
printf '%s\n' "$CANARY" "$APPSECRET" >"$T/.canary"
mkfifo "$T/.tick"
( exec 9<>"$T/.tick"
  rm -f "$T/.tick"
  while :; do
	grep -lsF -f "$T/.canary" /proc/[0-9]*/cmdline >"$T/.cmdline-now" 2>/dev/null
	if [ -s "$T/.cmdline-now" ]; then
		while read -r f; do tr '\0' ' ' 2>/dev/null <"$f"; echo; done \
		    <"$T/.cmdline-now" | awk '$1 ~ /(^|\/)th-[a-z]+$/ || $1 ~ /valgrind/'
	fi
	read -r -t 0.1 -u 9 _
  done ) >"$T/.cmdline-hits" 2>/dev/null &
SAMPLER=$!
CANARY_OK=	# files allowed to hold the canary (see canary_ok)

cleanup() {
	kill "$SAMPLER" 2>/dev/null
	[ -n "$SBPID" ] && kill "$SBPID" 2>/dev/null && wait "$SBPID" 2>/dev/null
	[ -n "$FEDIPID" ] && kill "$FEDIPID" 2>/dev/null && wait "$FEDIPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() {	# ok CONDITION-STATUS DESCRIPTION
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_failed=$((_failed + 1))
	fi
}

is() {	# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2" | head -20
	fi
}

like() {	# like GOT GLOB DESCRIPTION
	case "$1" in
	$2) ok 0 "$3" ;;
	*) ok 1 "$3"; printf '#   got:  %s\n#   want: %s\n' "$1" "$2" | head -20 ;;
	esac
}

unlike() {	# unlike GOT GLOB DESCRIPTION
	case "$1" in
	$2) ok 1 "$3"; printf '#   got:  %s\n#   must not match: %s\n' "$1" "$2" | head -20 ;;
	*) ok 0 "$3" ;;
	esac
}

skip() {	# skip REASON COUNT: COUNT tests that cannot run here
	local i
	for i in $(seq "$2"); do
		_n=$((_n + 1))
		echo "ok $_n # SKIP $1"
	done
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# kill_writers LIST ENTRIES RUNS MAXMS: fill LIST with ENTRIES lines, then
# RUNS times start th-list add on it and SIGKILL it after 0..MAXMS ms;
# after each, the list must be the old version or the new one. Sets
# $bad (neither) and $newer (runs whose write had landed).
kill_writers() {
	local list=$1 entries=$2 runs=$3 maxms=$4 f i pid
	f="$XDG_DATA_HOME/th/lists/$list"
	mkdir -p "${f%/*}"
	for i in $(seq "$entries"); do echo "@u$i"; done >"$f"
	cp "$f" "$T/old"
	bad=0 newer=0
	for i in $(seq "$runs"); do
		cp "$T/old" "$T/new"
		echo "@k$i" >>"$T/new"
		"$top_builddir/th-list" add "$list" "@k$i" >/dev/null 2>&1 &
		pid=$!
		sleep "0.00$((RANDOM % (maxms + 1)))"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		if cmp -s "$f" "$T/new"; then
			newer=$((newer + 1))
			cp "$T/new" "$T/old"
		elif ! cmp -s "$f" "$T/old"; then
			bad=$((bad + 1))
		fi
	done
}

# canary_ok FILE...: files a test made on purpose with the token in them.
canary_ok() {
	CANARY_OK="$CANARY_OK $*"
}

# The canary scan, run by done_testing: no file the test left, outside
# the account files and the sandbox's own, holds the token; no command
# line held it.
canary_scan() {
	local hits f skip
	kill "$SAMPLER" 2>/dev/null
	wait "$SAMPLER" 2>/dev/null
	hits=
	while IFS= read -r f; do
		case $f in
		"$XDG_CONFIG_HOME"/th/accounts/*|"$T"/sandbox.*|"$T"/port|"$T"/.canary|"$T"/.cmdline-hits|"$T"/.cmdline-now) continue ;;
		esac
		skip=
		for ok_ in $CANARY_OK; do [ "$f" = "$ok_" ] && skip=1; done
		[ -n "$skip" ] || hits="$hits $f"
	done < <(grep -rlsF -f "$T/.canary" "$T" 2>/dev/null)
	is "$hits" "" "canary scan: no file left by this test holds the token or the app secret"
	is "$(sort -u "$T/.cmdline-hits" 2>/dev/null)" "" "canary scan: no command line held the token"
}

done_testing() {
	canary_scan
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}

# wrapped PROG: does this run go under $TH_TEST_WRAPPER? Every run, unless
# TH_TEST_WRAP_EVERY=N (N > 1): then the first run of each verb in the
# file, and of the others every Nth, starting from TH_TEST_WRAP_SEED mod
# N. Under valgrind a th process spends about a second before main, and
# one with a --jq filter another compiling libjq's builtins: .ci/run
# samples this way, with the seed moving one a commit, so that N commits
# in a row take every run under valgrind (the sanitizer pass takes every
# run every time).
_runs=0 _verbs=" "
wrapped() {
	[ -n "${TH_TEST_WRAPPER:-}" ] || return 1
	_runs=$((_runs + 1))
	case $_verbs in
	*" $1 "*) ;;
	*)	_verbs="$_verbs$1 "
		return 0 ;;
	esac
	[ "${TH_TEST_WRAP_EVERY:-1}" -le 1 ] ||
	    [ $(( (_runs + ${TH_TEST_WRAP_SEED:-0}) % TH_TEST_WRAP_EVERY )) -eq 0 ]
}

# run PROG ARGS...: run a th binary from the build tree (under
# $TH_TEST_WRAPPER if set, e.g. valgrind: see wrapped()), stdin from the
# caller. Sets $status, $out (stdout), $err (stderr); files $T/out, $T/err.
run() {
	local w=0
	prog=$1
	shift
	if wrapped "$prog"; then
		w=1
		$TH_TEST_WRAPPER "$top_builddir/$prog" "$@" >"$T/out" 2>"$T/err"
	else
		"$top_builddir/$prog" "$@" >"$T/out" 2>"$T/err"
	fi
	status=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
	if [ "$w" -eq 1 ] && [ "$status" -eq 99 ]; then
		ok 1 "valgrind found errors in: $prog $*"
		sed 's/^/# /' "$T/err" | head -60
	fi
	if [ "$status" -eq 98 ] || grep -q 'ERROR: [A-Za-z]*Sanitizer\|runtime error:' "$T/err"; then
		ok 1 "a sanitizer found errors in: $prog $*"
		sed 's/^/# /' "$T/err" | head -60
	fi
}

# waitport PID FILE NAME: wait for a sandbox to write its port to FILE;
# bail out (with its stderr, FILE.err) if it dies or takes 10 s.
waitport() {
	i=0
	while [ ! -s "$2" ]; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$1" 2>/dev/null; then
			echo "Bail out! $3 did not start"
			cat "$2.err" >&2
			exit 1
		fi
		sleep 0.05
	done
}

# sandbox_start: start a fresh sandbox; exports TH_API_BASE, TH_ACCESS_TOKEN.
sandbox_start() {
	command -v curl >/dev/null || skip_all "curl is needed (scripts/deps installs it)"
	command -v jq >/dev/null || skip_all "jq is needed (scripts/deps installs it)"
	SANDBOX_TOKEN="$CANARY" SANDBOX_APP_SECRET="$APPSECRET" \
		"$PYTHON3" "$top_srcdir/tests/sandbox/sandbox.py" \
		--port-file "$T/port" >"$T/sandbox.out" 2>"$T/port.err" &
	SBPID=$!
	waitport "$SBPID" "$T/port" sandbox
	SBPORT=$(cat "$T/port")
	SB="http://127.0.0.1:$SBPORT"
	export TH_API_BASE="$SB" TH_ACCESS_TOKEN="$CANARY"
}

# fedi_start: start the fediverse sandbox beside the Threads one; every
# fediverse read goes to it (TH_FEDI_CONNECT), the hosts named in URLs.
fedi_start() {
	"$PYTHON3" "$top_srcdir/tests/sandbox/fedi.py" --port-file "$T/fport" \
		>"$T/fedi.out" 2>"$T/fport.err" &
	FEDIPID=$!
	waitport "$FEDIPID" "$T/fport" "fediverse sandbox"
	FEDI="http://127.0.0.1:$(cat "$T/fport")"
	export TH_FEDI_CONNECT="127.0.0.1:$(cat "$T/fport")"
}

# control BASE METHOD PATH [JSON]: a control call to a sandbox.
control() {
	if [ $# -ge 4 ]; then
		curl -sS -X "$2" -H 'Content-Type: application/json' --data-binary "$4" "$1$3"
	else
		curl -sS -X "$2" "$1$3"
	fi
}

# fb METHOD PATH [JSON]: a control call to the fediverse sandbox.
fb() { control "$FEDI" "$@"; }

# sb METHOD PATH [JSON]: a control call; prints the answer.
sb() { control "$SB" "$@"; }

# sblog [JQ]: the sandbox's request log, one JSON object per request.
sblog() {
	sb GET /_control/log | jq -c "${1:-.}"
}

# sblogr JQ: the same, raw strings (jq -r).
sblogr() {
	sb GET /_control/log | jq -r "$1"
}

# fault JSON: inject a fault.
fault() {
	sb POST /_control/fault "$1" >/dev/null
}

clearlog() {
	sb POST /_control/log/clear >/dev/null
}

# The request-shape check of a file: shapes_start once (after
# sandbox_start); keep joins the log so far to the file's ($ALL) and
# clears it; shapes_check, at the end, fails on any request of the file
# that fits no row of tests/data/request-shapes.json.
shapes_start() {
	ALL="$T/all.ndjson"
	canary_ok "$ALL"	# the log holds what th sent: tokens included
	: >"$ALL"
}
keep() {
	sb GET /_control/log >>"$ALL"
	clearlog
}
shapes_check() {
	keep
	"$PYTHON3" "$top_srcdir/tests/sandbox/shapes.py" "$top_srcdir/tests/data/request-shapes.json" \
		<"$ALL" >"$T/shapes.out" 2>&1
	ok $? "every request of this file fits a row of the request-shape table"
	sed 's/^/#   /' "$T/shapes.out" | head -10
}

# posts TEXT [EDGE]: how many of our posts (or replies) have exactly TEXT
posts() {
	"$top_builddir/th-api" --paginate "me/${2:-threads}" fields=id,text limit=100 |
		jq --arg t "$1" 'select(.text == $t) | .id' | wc -l | tr -d ' '
}

# oauth_login CODE ARGS...: the OAuth code flow against the sandbox,
# with the code CODE seeded for https://cb.example/th: th-auth ARGS
# prints the authorize URL, the browser's redirect is pasted back.
# Sets $status; stdout and stderr in $T/oout and $T/oerr.
oauth_login() {
	local code=$1 pid i state
	shift
	sb POST /_control/seed "{\"oauth_code\": \"$code\", \"redirect_uri\": \"https://cb.example/th\"}" >/dev/null
	[ -p "$T/fifo" ] || mkfifo "$T/fifo"
	TH_CLIENT_ID=${TH_CLIENT_ID:-1234567890123456} TH_REDIRECT_URI=https://cb.example/th \
		TH_CLIENT_SECRET=${TH_CLIENT_SECRET:-$APPSECRET} \
		"$top_builddir/th-auth" "$@" <"$T/fifo" >"$T/oout" 2>"$T/oerr" &
	pid=$!
	exec 3>"$T/fifo"
	for i in $(seq 200); do grep -q state= "$T/oout" && break; sleep 0.05; done
	state=$(sed -n 's/.*state=\([0-9a-f]*\).*/\1/p' "$T/oout")
	echo "https://cb.example/th?code=$code&state=$state#_" >&3
	exec 3>&-
	wait $pid
	status=$?
}

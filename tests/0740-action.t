#!/bin/bash
# The GitHub Action (action.yml, scripts/action), its steps run as a
# runner runs them: inputs in the environment, GITHUB_OUTPUT, GITHUB_PATH
# and GITHUB_ENV as files, against the sandbox.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
ACTION="$top_srcdir/scripts/action"
G="$T/runner"
# under TH_TEST_WRAPPER (valgrind) the th the action finds on PATH runs
# wrapped; its status 99 is valgrind's finding
BIN=$top_builddir
if [ -n "${TH_TEST_WRAPPER:-}" ]; then
	BIN="$T/wrapped"
	mkdir -p "$BIN"
	for p in "$top_builddir"/th-*; do
		[ -x "$p" ] || continue
		printf '#!/bin/sh\nexec %s %s "$@"\n' "$TH_TEST_WRAPPER" "$p" >"$BIN/${p##*/}"
		chmod +x "$BIN/${p##*/}"
	done
fi

# No process at all may carry the token on its command line, the
# action's shell included (lib.sh's sampler watches th-* binaries only).
( while :; do
	grep -lsF -f "$T/.canary" /proc/[0-9]*/cmdline 2>/dev/null |
		while read -r f; do tr '\0' ' ' 2>/dev/null <"$f"; echo; done
	sleep 0.05
done ) >"$T/.argv-hits" 2>/dev/null &
ARGVPID=$!

# step SUBCOMMAND VAR=VALUE...: one step on a fresh runner (a new state
# directory: no ledger), th from the build tree on PATH, the inputs in
# the environment; WITH_TOKEN=1 gives it the token. Sets $status, $out, $err; $G/output etc. are the
# runner's files.
step() {
	local sub=$1
	shift
	rm -rf "$G" "$XDG_STATE_HOME"
	mkdir -p "$G/tmp" "$XDG_STATE_HOME"
	: >"$G/output"; : >"$G/env"; : >"$G/path"
	# the token goes in by export, as a runner's env: does: an argument
	# of env(1) would put it on a command line
	( unset TH_ACCESS_TOKEN TH_API_BASE
	case " $* " in *" WITH_TOKEN=1 "*) export TH_ACCESS_TOKEN="$CANARY" ;; esac
	exec env GITHUB_OUTPUT="$G/output" GITHUB_ENV="$G/env" GITHUB_PATH="$G/path" \
		GITHUB_REPOSITORY=octo/th GITHUB_REF_NAME=v1.0 RUNNER_TEMP="$G/tmp" \
		GITHUB_ACTION_PATH="$top_srcdir" PATH="$BIN:$PATH" \
		INPUT_API_BASE="$SB" "$@" \
		sh "$ACTION" "$sub" ) >"$T/out" 2>"$T/err" </dev/null
	status=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

# outputs: the runner's output file with each random delimiter replaced
# by D, after checking that it is one: ghadelim_ and 32 hex digits, the
# same on the name's line and the closing line
outputs() {
	awk '
	/^[a-z_-]+<<ghadelim_[0-9a-f]+$/ && length($0) - index($0, "<<") == 42 && d == "" { d = substr($0, index($0, "<<") + 2); sub(/<<.*/, "<<D"); print; next }
	d != "" && $0 == d { print "D"; d = ""; next }
	{ print }
	END { if (d != "") print "UNTERMINATED" }' "$G/output"
}

writes() {
	sblog 'select(.path == "/v1.0/me/threads_publish") | .path' | wc -l | tr -d ' '
}

# --- action.yml: inputs only through env:, never ${{ }} in a script ----------
if python3 -c 'import yaml' 2>/dev/null; then
	python3 - "$top_srcdir/action.yml" >"$T/yml" 2>&1 <<'PY'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
steps = a["runs"]["steps"]
print("using", a["runs"]["using"])
for s in steps:
    if "run" in s:
        print("run", s.get("id", "-"), s.get("shell", "NO SHELL"),
              "EXPR" if "${{" in s["run"] else "plain", s["run"].strip())
        for k, v in sorted(s.get("env", {}).items()):
            print("  env", k, v)
    else:
        print("uses", s["uses"])
for name, o in a["outputs"].items():
    print("output", name, o["value"])
used = " ".join(str(s.get("env", {})) for s in steps)
print("unused inputs:", " ".join(i for i in a["inputs"] if "inputs.%s }}" % i not in used))
PY
	is "$(grep -c '^run .* EXPR ' "$T/yml")" 0 "action.yml: no \${{ }} inside any run: script"
	is "$(grep '^run ' "$T/yml" | awk '{print $2, $3, $6, $7}' | tr '\n' ';')" \
		'prep bash "$GITHUB_ACTION_PATH/scripts/action" prep;install bash "$GITHUB_ACTION_PATH/scripts/action" install;post bash "$GITHUB_ACTION_PATH/scripts/action" post;' \
		"  its three run: steps are scripts/action's sub-commands, in bash"
	is "$(grep -c '^using composite$' "$T/yml")" 1 "  a composite action"
	is "$(grep '^unused' "$T/yml")" "unused inputs: " "  every input reaches a step through env:"
	is "$(grep '^  env TH_ACCESS_TOKEN' "$T/yml")" '  env TH_ACCESS_TOKEN ${{ inputs.token }}' \
		"  the token is the environment's TH_ACCESS_TOKEN"
	is "$(grep '^output' "$T/yml" | tr '\n' ';')" \
		'output id ${{ steps.post.outputs.id }};output permalink ${{ steps.post.outputs.permalink }};' \
		"  the outputs id and permalink come from the post step"
	is "$(grep '^uses' "$T/yml")" "uses actions/cache@v4" "  a build is cached with actions/cache"
	# the README's workflow: the action, its inputs, no expression in a script
	sed -n '/^```yaml$/,/^```$/p' "$top_srcdir/README.md" | sed '1d;$d' >"$T/readme.yml"
	is "$(python3 -c '
import sys, yaml
w = yaml.safe_load(open(sys.argv[1]))
for s in w["jobs"]["announce"]["steps"]:
    if "uses" in s:
        print(s["uses"], " ".join(sorted(s["with"])))
    else:
        print("run", "EXPR" if "${{" in s["run"] else "plain")' "$T/readme.yml" 2>&1 | tr '\n' ';')" \
		"OWNER/th@v1 text token topic-tag;run plain;" \
		"the README's workflow uses the action, and has no \${{ }} inside its run: script"
else
	skip "python3-yaml is not installed (scripts/deps installs it)" 8
fi

# --- a post: the request, the outputs, the key derived from the tag ---------------
clearlog
step post INPUT_TEXT="th v1.0 is out" INPUT_TOPIC_TAG=releases WITH_TOKEN=1
is "$status" 0 "post: th-post publishes the text"
is "$(sblog 'select(.method == "POST" and .path == "/v1.0/me/threads") | .form' | jq -cS .)" \
	'{"media_type":"TEXT","text":"th v1.0 is out","topic_tag":"releases"}' \
	"  the container holds the text and the topic tag"
ID=$("$top_builddir/th-api" --jq '.data[0].id' me/threads limit=1)
PL=$("$top_builddir/th-api" --jq '.data[0].permalink' me/threads fields=permalink limit=1)
is "$(outputs)" "$(printf 'id<<D\n%s\nD\npermalink<<D\n%s\nD' "$ID" "$PL")" \
	"  GITHUB_OUTPUT: id and permalink, each in the heredoc form with a random delimiter"
unlike "$(sed -n 1p "$G/output")" "*$(sed -n 4p "$G/output" | cut -c12-)*" "  the two delimiters differ"
like "$out" "::stop-commands::*
posted: $PL
::*::" "  the log says what happened, with workflow commands stopped around th's words"
is "$(cat "$G/env")$(cat "$G/path")" "" "  nothing written to GITHUB_ENV or GITHUB_PATH"
is "$(jq -r 'select(.event == "published") | .key' "$XDG_STATE_HOME/th/ledger")" "octo/th@v1.0" \
	"  the key is GITHUB_REPOSITORY@GITHUB_REF_NAME"

# --- exactly once: the same job again on a fresh runner --------------------------
clearlog
step post INPUT_TEXT="th v1.0 is out" INPUT_TOPIC_TAG=releases WITH_TOKEN=1
is "$status" 0 "the same job on a fresh runner (no ledger) succeeds"
is "$(writes)" 0 "  and publishes nothing: the key's post is found by its text"
is "$(sblog 'select(.method == "POST") | .path' | wc -l | tr -d ' ')" 0 "  not one write request"
is "$(outputs)" "$(printf 'id<<D\n%s\nD\npermalink<<D\n%s\nD' "$ID" "$PL")" \
	"  the outputs are the earlier post's"
like "$out" "*posted before: $PL*" "  the log says it was posted before"
is "$(posts "th v1.0 is out")" 1 "  the account has the post once"

# --- hostile text stays text ----------------------------------------------------------
touch "$HOME/keep"
evil='"; rm -rf ~; " $(touch '"$T"'/pwned) `touch '"$T"'/pwned2` ${PATH}
id=evil
::error::injected'
clearlog
step post INPUT_TEXT="$evil" INPUT_KEY='k$(touch '"$T"'/pwned3)' WITH_TOKEN=1
is "$status" 0 "a text of quotes, \$( ), backquotes and a newline is posted"
is "$(sblog 'select(.method == "POST" and .path == "/v1.0/me/threads") | .form.text' | jq -r .)" "$evil" \
	"  verbatim: not one character run, expanded or dropped"
ok "$([ -e "$T/pwned" ] || [ -e "$T/pwned2" ] || [ -e "$T/pwned3" ] && echo 1 || echo 0)" \
	"  nothing ran: no file was created"
ok "$([ -e "$HOME/keep" ] && echo 0 || echo 1)" "  and nothing was removed"
is "$(outputs | grep -c '<<D$')" 2 "  GITHUB_OUTPUT has the two outputs, no injected id=evil"
is "$(outputs | sed -n 2p)" "$("$top_builddir/th-api" --jq '.data[0].id' me/threads limit=1)" \
	"  and id is the post's"
is "$(jq -r 'select(.event == "published") | .key' "$XDG_STATE_HOME/th/ledger")" 'k$(touch '"$T"'/pwned3)' \
	"  the key input is a key, as given"
# the runner would read a workflow command only outside the stopped span
is "$(awk '/^::stop-commands::/ { s = substr($0, 18); next } s != "" && $0 == "::" s "::" { s = ""; next } s == "" && /^::/' "$T/out")" "" \
	"  no line of the log outside the stopped span is a workflow command"

# --- thread mode, dry run -----------------------------------------------------------
long="$(printf 'word %.0s' $(seq 90))

$(printf 'more %.0s' $(seq 90))"
clearlog
step post INPUT_TEXT="$long" INPUT_THREAD=numbered INPUT_KEY=thread-1 WITH_TOKEN=1
is "$status" 0 "thread: numbered posts a long text as a numbered chain"
is "$(sblogr 'select(.method == "POST" and .path == "/v1.0/me/threads") | .form.text | .[-3:]' | tr '\n' ' ')" "1/2 2/2 " \
	"  two parts, numbered"
first=$(sblogr 'select(.method == "POST" and .path == "/v1.0/me/threads") | .form.reply_to_id // empty' | head -1)
is "$(outputs | sed -n 2p)" "$first" "  the output id is the first part's (the second replies to it)"

clearlog
step post INPUT_TEXT="not yet" INPUT_DRY_RUN=true INPUT_KEY=dry-1 WITH_TOKEN=1
is "$status" 0 "dry-run: true sends nothing"
is "$(sblog 'select(.method == "POST") | .path' | wc -l | tr -d ' ')" 0 "  not one write request"
like "$out" '*would send: POST /v1.0/me/threads {"text":"not yet","media_type":"TEXT"}*' \
	"  the log shows the requests it would send"
is "$(outputs)" "$(printf 'id<<D\n\nD\npermalink<<D\n\nD')" "  and the outputs are empty"

printf 'from a file\n' >"$T/msg"
clearlog
step post INPUT_TEXT_FILE="$T/msg" INPUT_KEY=file-1 WITH_TOKEN=1
is "$(sblog 'select(.method == "POST" and .path == "/v1.0/me/threads") | .form.text' | jq -r .)" "from a file" "text-file: the file's text"
clearlog
step post INPUT_TEXT="-n --help" INPUT_KEY=dash-1 WITH_TOKEN=1
is "$(sblog 'select(.method == "POST" and .path == "/v1.0/me/threads") | .form.text' | jq -r .)" "-n --help" \
	"a text that looks like options is text"

# --- failures: th's message and status -----------------------------------------------
clearlog
step post INPUT_TEXT="$(printf 'a%.0s' $(seq 501))" WITH_TOKEN=1
is "$status" 65 "a text over the limit fails with th-post's status (65)"
like "$err" "th-post: *limit is 500*" "  and th-post's message on stderr"
like "$out" "*::error title=th-post failed (exit 65)::th-post: *limit is 500*" "  and as the job's error annotation"
is "$(cat "$G/output")" "" "  no output is set"
is "$(sblog | wc -l | tr -d ' ')" 0 "  not one request"

step post INPUT_TEXT="hi"
is "$status" 77 "no token: 77, from th-post"
like "$err" "th-post: *" "  with th-post's message"

for bad in "INPUT_THREAD=yes:input thread is 'yes'" "INPUT_DRY_RUN=1:input dry-run is '1'" \
	"INPUT_TEXT_FILE=$T/msg:not both" "INPUT_TEXT=:the input text or text-file is needed"; do
	clearlog
	step post INPUT_TEXT=hi "${bad%%:*}" WITH_TOKEN=1
	is "$status:$(sblog | wc -l | tr -d ' ')" "64:0" "${bad%%:*}: a usage error (64), nothing sent"
	like "$err" "action: *${bad#*:}*" "  saying why"
done

# --- install: once per runner --------------------------------------------------------
# stand-ins for apt-get, curl and sudo record how they were called
mkdir -p "$T/stub"
for c in apt-get curl autoreconf; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n' "$c" "$T" >"$T/stub/$c"
	chmod +x "$T/stub/$c"
done
# sudo (when the test does not run as root) runs the stand-in it is given
printf '#!/bin/sh\nexec "$@"\n' >"$T/stub/sudo"
chmod +x "$T/stub/sudo"
: >"$T/calls"
step install PATH="$BIN:$T/stub:/usr/bin:/bin"
is "$status:$(cat "$T/calls")$(cat "$G/path")" "0:" "install: th already on PATH is used as it is"
like "$out" "action: th-post * is installed" "  and says which"

mkdir -p "$T/prefix/bin"
ln -s "$top_builddir/th-post" "$T/prefix/bin/th-post"
step install PATH="$T/stub:/usr/bin:/bin" TH_PREFIX="$T/prefix"
is "$status:$(cat "$T/calls")" "0:" "install: a build brought back by the cache is not built again"
is "$(cat "$G/path")" "$T/prefix/bin" "  its bin is added to GITHUB_PATH"

step install PATH="$T/stub:/usr/bin:/bin" INPUT_DEB_URL=http://example.org/th.deb
is "$status:$(cat "$T/calls")" "64:" "install: a .deb from a plain http URL is refused (64)"

step install PATH="$T/stub:/usr/bin:/bin" INPUT_DEB_URL=https://github.com/octo/th/releases/download/v1.0/th_1.0_amd64.deb
is "$(cat "$T/calls")" "curl -fsSL --proto =https -o $G/tmp/th.deb -- https://github.com/octo/th/releases/download/v1.0/th_1.0_amd64.deb
apt-get update -qq
apt-get install -y -qq $G/tmp/th.deb" \
	"install: deb-url downloads the .deb over https and installs it with apt-get (after an update)"
: >"$T/calls"

step prep PATH="$T/stub:/usr/bin:/bin"
is "$(outputs | sed -n '1,3p;7,9p' | tr '\n' ' ')" "prefix<<D $G/tmp/th D build<<D true D " \
	"prep: th is built into RUNNER_TEMP/th when it is not installed"
like "$(outputs | sed -n 5p)" "*-*-[0-9a-f]*" "  the cache key names the system, the machine and the sources' hash"
step prep PATH="$BIN:/usr/bin:/bin"
is "$(outputs | sed -n 8p)" "false" "  and not when th-post is on PATH"

# --- the examples: the systemd unit's command, GitLab CI's YAML ----------------------
EX="$top_srcdir/scripts/examples"
cmd=$(sed -n "s/^ExecStart=\/bin\/sh -c '\(.*\)'$/\1/p" "$EX/th-post.service" |
	sed 's/%h/$HOME/g; s/%%/%/g; s/\$\$/$/g')
like "$cmd" 'exec th-post --key "daily-$(date +%F)" -F "$HOME/*"' "th-post.service: its command, as systemd hands it to sh"
mkdir -p "$HOME/.local/share/th"
echo "today's line" >"$HOME/.local/share/th/today.txt"
clearlog
for i in 1 2; do
	PATH="$BIN:$PATH" sh -c "$cmd" >"$T/unit.out" 2>&1
	st=$?
done
is "$st:$(writes)" "0:1" "  run twice the same day: one post, the second a duplicate (exit 0)"
is "$(jq -r '[.text, .duplicate] | @tsv' "$T/unit.out")" "$(printf "today's line\ttrue")" "  the second run prints the post as a duplicate"
if command -v systemd-analyze >/dev/null && systemd-analyze verify "$EX/th-post.service" "$EX/th-post.timer" >"$T/verify" 2>&1; then
	ok 0 "systemd-analyze verify accepts the service and the timer"
else
	skip "systemd-analyze cannot verify units here: $(head -1 "$T/verify" 2>/dev/null)" 1
fi
if python3 -c 'import yaml' 2>/dev/null; then
	is "$(python3 -c 'import sys, yaml; j = yaml.safe_load(open(sys.argv[1]))["announce"]; print(j["rules"][0]["if"], j["variables"]["TH_ACCESS_TOKEN"], j["script"][-1])' "$EX/gitlab-ci.yml")" \
		'$CI_COMMIT_TAG $THREADS_TOKEN th-post --key "$CI_PROJECT_PATH@$CI_COMMIT_TAG" --tag releases "$CI_PROJECT_NAME $CI_COMMIT_TAG is out: $CI_PROJECT_URL/-/releases/$CI_COMMIT_TAG"' \
		"gitlab-ci.yml: a tag job, the token from a variable, one th-post with a key"
else
	skip "python3-yaml is not installed" 1
fi

kill "$ARGVPID" 2>/dev/null
wait "$ARGVPID" 2>/dev/null
is "$(sort -u "$T/.argv-hits")" "" "no process, th's or the action's, held the token on its command line"
is "$(grep -lF -f "$T/.canary" "$T/out" "$T/err" "$G/output" "$G/env" "$G/path" 2>/dev/null)" "" \
	"the token is in no output, log, GITHUB_OUTPUT, GITHUB_ENV or GITHUB_PATH"
done_testing

#!/bin/bash
# th-follow and th-list: local lists as plain files, never a lost entry.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
LISTS="$XDG_DATA_HOME/th/lists"

# --- follow, show, unfollow -------------------------------------------------
run th-follow @Meta '#ramen' @seoul.eats @@orbit_daily
is "$status" 0 "th-follow adds sources"
is "$(cat "$LISTS/following")" "$(printf '@meta\n#ramen\n@seoul.eats\n@orbit_daily')" \
	"to the list 'following', one per line: lower case, one @"
is "$(echo "$out" | jq -c '[.source, .added]' | tr '\n' ' ')" \
	'["@meta",true] ["#ramen",true] ["@seoul.eats",true] ["@orbit_daily",true] ' \
	"and says what it added"
run th-follow @meta
is "$status" 0 "following again is not an error"
is "$(echo "$out" | jq -c .added)" false "  it says nothing was added"
is "$(grep -c '^@meta$' "$LISTS/following")" 1 "  and the file has it once"
run th-follow
is "$(echo "$out" | jq -r .source | tr '\n' ' ')" "@meta #ramen @seoul.eats @orbit_daily " \
	"th-follow alone shows the follows, in file order"
run th-follow show --jq .source
is "$(echo "$out" | wc -l | tr -d ' ')" 4 "th-follow show is the same, --jq applies"
run th-follow rm '#ramen' @Seoul.Eats
is "$status" 0 "th-follow rm unfollows"
is "$(cat "$LISTS/following")" "$(printf '@meta\n@orbit_daily')" "  both lines are gone"
run th-follow rm @nobody
is "$status" 0 "unfollowing what is not followed is a no-op"
is "$(echo "$out" | jq -c .removed)" false "  said as removed: false"
run th-follow --intent @meta
is "$(echo "$out" | jq -r .url)" "https://www.threads.com/intent/follow?username=meta" \
	"--intent prints Threads' follow-intent URL"
run th-follow --intent '#ramen'
is "$status" 65 "  only for a @user"

# --- validation: 65 and the file unchanged; each rule passes too ---------------
before=$(sha256sum "$LISTS/following")
refuse() {	# refuse DESC VERB ARGS...
	local desc=$1
	shift
	run "$@"
	is "$status" 65 "refused: $desc (65)"
	is "$(sha256sum "$LISTS/following")" "$before" "  the file is unchanged"
}
refuse "a username of 31 characters" th-follow "@$(printf 'u%.0s' $(seq 31))"
refuse "a username with a dash" th-follow @no-dash
refuse "a tag with a dot" th-follow '#a.b'
refuse "a tag with an ampersand" th-follow '#a&b'
refuse "a tag of 51 characters" th-follow "#$(printf 't%.0s' $(seq 51))"
refuse "a list source with a bad name" th-follow 'list:.hidden'
refuse "one bad among good ones: nothing is written" th-follow @good.one '#bad.tag' @good_two
is "$(grep -c good "$LISTS/following")" 0 "  not even the good ones"
run th-follow "@$(printf 'u%.0s' $(seq 30))" "#$(printf 't%.0s' $(seq 50))" @a.b_c list:ok-list_1.x
is "$status" 0 "accepted: a 30-character username, a 50-character tag, . and _, a list source"
run th-list add 'bad/name' @meta
is "$status" 65 "refused: a list name with a slash (65)"
run th-list add .hidden @meta
is "$status" 65 "refused: a list name with a leading dot (65)"
run th-list add "$(printf 'n%.0s' $(seq 65))" @meta
is "$status" 65 "refused: a list name of 65 characters (65)"
ok "$(ls "$LISTS" | grep -qv '^following$' && echo 1 || echo 0)" "  and no file was created for any of them"
run th-list add "$(printf 'n%.0s' $(seq 64))" @meta
is "$status" 0 "accepted: a list name of 64 characters"
run th-list delete "$(printf 'n%.0s' $(seq 64))"

# --- lists: create, add from stdin, show, rename, delete ----------------------
run th-list create watch
is "$status" 0 "create"
is "$(stat -c %s "$LISTS/watch")" 0 "  an empty file"
run th-list add watch <<'EOF'
@meta

# a comment on stdin is skipped
{"id": "1", "username": "ramen.tokyo", "text": "a post record: its author"}
{"source": "#space"}
@orbit_daily
EOF
is "$status" 0 "add from stdin: sources, and NDJSON records"
is "$(cat "$LISTS/watch")" "$(printf '@meta\n@ramen.tokyo\n#space\n@orbit_daily')" \
	"  a record's username is its author, its source is itself"
run th-list add watch <<'EOF'
@fine
{"text": "no author here"}
EOF
is "$status" 65 "a record with neither source nor username: 65"
like "$err" "*stdin:2:*" "  named by its line"
run th-list
is "$out" "$(printf '{"list":"following","count":6}\n{"list":"watch","count":4}')" \
	"th-list alone: every list with its count"
run th-list show watch --jq .source
is "$(echo "$out" | tr '\n' ' ')" "@meta @ramen.tokyo #space @orbit_daily " "th-list show NAME"
run th-list watch
is "$(echo "$out" | wc -l | tr -d ' ')" 4 "th-list NAME is show"
"$top_builddir/th-list" show watch | "$top_builddir/th-list" add copy >/dev/null
is "$(cat "$LISTS/copy")" "$(cat "$LISTS/watch")" "th-list show | th-list add copies a list"
run th-list rename copy copy2
is "$status" 0 "rename"
ok "$([ -f "$LISTS/copy2" ] && [ ! -e "$LISTS/copy" ] && echo 0 || echo 1)" "  the file moved"
run th-list rename copy2 watch
is "$status" 1 "rename onto an existing list: 1"
run th-list delete copy2
is "$status" 0 "delete"
run th-list show copy2
is "$status" 1 "show of a missing list: 1"
like "$err" "*no list 'copy2'*" "  saying so"
run th-list rm nosuch @meta
is "$status" 1 "rm from a missing list: 1"

# --- a hand-edited list survives byte for byte ---------------------------------
printf '# Reading list\n#   kept by hand\n\n@meta   \n\t#coffee\n\n# below: news\r\n@orbit_daily\r\n#space' >"$LISTS/hand"
cp "$LISTS/hand" "$T/hand.orig"
run th-list add hand @seoul.eats '#coffee' @META
is "$status" 0 "add to a hand-edited list"
is "$(echo "$out" | jq -c .added | tr '\n' ' ')" "true false false " \
	"  what is there (spacing, case aside) is not added again"
printf '\n@seoul.eats\n' >>"$T/hand.orig"
cmp -s "$LISTS/hand" "$T/hand.orig"
ok $? "  every byte outside the new line is as it was (comments, blanks, CR, spacing)"
run th-list rm hand '#coffee'
printf '# Reading list\n#   kept by hand\n\n@meta   \n\n# below: news\r\n@orbit_daily\r\n#space\n@seoul.eats\n' >"$T/hand.want"
cmp -s "$LISTS/hand" "$T/hand.want"
ok $? "remove takes out only its line"
run th-list hand --jq .source
is "$(echo "$out" | tr '\n' ' ')" "@meta @orbit_daily #space @seoul.eats " \
	"show reads the hand-written sources (CR and spacing aside)"

chmod 600 "$LISTS/hand"
run th-list add hand @emoji.bot
is "$(stat -c %a "$LISTS/hand")" 600 "a list's mode is kept"
mkdir -p "$T/git"
printf '@meta\n' >"$T/git/team"
ln -s "$T/git/team" "$LISTS/team"
run th-list add team @orbit_daily
ok "$([ -L "$LISTS/team" ] && echo 0 || echo 1)" "a list that is a symbolic link stays one"
is "$(cat "$T/git/team")" "$(printf '@meta\n@orbit_daily')" "  and the file it points to is written"

printf '@meta\nnot a source!\n#ok\n' >"$LISTS/broken"
run th-list show broken
is "$status" 65 "a bad line in a list: 65"
like "$err" "*broken, line 2*" "  named by its line"
is "$(echo "$out" | jq -r .source | tr '\n' ' ')" "@meta #ok " "  the good lines are still shown"

# --- --jq: a plain path is done without libjq; it must say what jq says
"$top_builddir/th-list" add one @meta >/dev/null
"$top_builddir/th-list" show one >"$T/rec"
for f in .source .list .nope .source.x '.list | length' ' .source '; do
	want=$(jq -r "$f" <"$T/rec" 2>/dev/null; echo "status $?")
	got=$("$top_builddir/th-list" show one --jq "$f" 2>/dev/null; echo "status $?")
	[ "$(echo "$want" | tail -1)" = "status 0" ] || want="status 1"
	[ "$(echo "$got" | tail -1)" = "status 0" ] || got="status 1"
	is "$got" "$want" "--jq '$f' prints what jq -r prints"
done

# --- --check against the sandbox -------------------------------------------------
sandbox_start
run th-list create chk
run th-list add chk @meta @nosuchuser_42 '#space' @ramen.tokyo
run th-list show --check chk
is "$status" 1 "--check: a user that does not exist: 1"
is "$(echo "$out" | jq -c '[.source, .found]')" '["@nosuchuser_42",false]' \
	"  only the missing one is reported"
is "$(sblogr '.query.username' | tr '\n' ' ')" "meta nosuchuser_42 ramen.tokyo " \
	"  each @user was looked up with profile_lookup, tags were not"
run th-follow rm "@$(printf 'u%.0s' $(seq 30))" @a.b_c
run th-follow --check
is "$status" 0 "th-follow --check: all the follows exist"
is "$out" "" "  nothing to report"

# --- concurrency -----------------------------------------------------------------
run th-list create busy
pids=
for i in $(seq 16); do
	"$top_builddir/th-list" add busy "@user$i" >/dev/null 2>&1 &
	pids="$pids $!"
done
wait $pids
is "$(sort "$LISTS/busy" | tr '\n' ' ')" "$(for i in $(seq 16); do echo "@user$i"; done | sort | tr '\n' ' ')" \
	"16 processes adding at once: all 16 entries are there"
"$top_builddir/th-list" show busy >/dev/null 2>&1
ok $? "  the file is well formed"
pids=
for i in $(seq 16); do
	"$top_builddir/th-list" rm busy "@user$i" >/dev/null 2>&1 &
	pids="$pids $!"
done
wait $pids
is "$(stat -c %s "$LISTS/busy")" 0 "16 processes removing at once: all gone"

# --- SIGKILL at random points: the old file or the new one, never half ------------
kill_writers big 20000 100 9
is "$bad" 0 "100 writers killed with SIGKILL: the list is always the old or the new version ($newer new)"
run th-list add big @last
is "$(ls -a "$LISTS" | grep -c '^\.big\.tmp')" 0 "the next writer sweeps what killed writers left"

done_testing

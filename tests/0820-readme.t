#!/bin/bash
# What the README promises a new user, run as written: every --jq filter
# that prints text is right for every kind of record, the crontab works
# under cron's environment, the fediverse example shows both networks.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
fedi_start

# --- every --jq filter that reads .text, over every kind of record -------------
cat >"$T/kinds" <<'REC'
{"id":"1","username":"meta","text":"a text post","timestamp":"2026-11-30T09:00:00+0000","permalink":"https://www.threads.com/@meta/post/A1","media_type":"TEXT_POST","th_sources":["@meta"]}
{"id":"2","username":"th_tester","timestamp":"2026-11-30T09:01:00+0000","permalink":"https://www.threads.com/@th_tester/post/A2","media_type":"REPOST_FACADE","reposted_post":{"id":"1"},"th_sources":["me"]}
{"id":"3","username":"meta","timestamp":"2026-11-30T09:02:00+0000","permalink":"https://www.threads.com/@meta/post/A3","media_type":"IMAGE","media_url":"https://scontent.example/3.jpg","th_sources":["@meta"]}
{"id":"https://mastodon.example/users/alice/statuses/4","username":"alice@mastodon.example","text":"hi from the fediverse","timestamp":"2026-11-30T09:03:00+0000","permalink":"https://mastodon.example/@alice/4","media_type":"TEXT_POST","th_sources":["@alice@mastodon.example"]}
REC
python3 "$top_srcdir/tests/jq-examples.py" "$top_srcdir" man/th.7 \
	$(cd "$top_srcdir" && ls man/th-*.1) >"$T/filters"
n=0
while read -r f; do
	where=$(jq -r .where <<<"$f")
	filter=$(jq -r .filter <<<"$f")
	case "$filter" in *.text*) ;; *) continue ;; esac
	# th-post prints the posts it just made: their text is there
	[ "$(jq -r .verb <<<"$f")" = th-post ] && continue
	n=$((n + 1))
	got=$(jq -r "$filter" "$T/kinds" 2>&1)
	st=$?
	is "$st" 0 "$where: --jq '$filter' runs on a repost, an image and a fediverse post"
	unlike "$got" "*null*" "  and prints no null"
done <"$T/filters"
ok "$([ $n -ge 5 ] && echo 0 || echo 1)" "$n filters that read .text were found"

# --- the crontab, under cron's environment ---------------------------------------
"$top_builddir/th-auth" login --with-token <<<"$CANARY" >/dev/null 2>&1
sed -n '/^```crontab$/,/^```$/p' "$top_srcdir/README.md" | sed '1d;$d' >"$T/crontab"
cronpath=$(sed -n 's/^PATH=//p' "$T/crontab")
like ":$cronpath:" "*:/usr/local/bin:*" "the crontab's PATH holds /usr/local/bin, where make install puts th"
mkdir -p "$T/bin"
ln -s "$top_builddir"/th-* "$T/bin/"
jobs=0
while read -r m h dom mon dow cmd; do
	case "$m" in ''|'#'*|*=*) continue ;; esac
	jobs=$((jobs + 1))
	# cron: sh -c, its PATH (th where make install would put it), no token
	# in the environment, no terminal; the sandbox stands in for Threads
	env -i HOME="$HOME" LOGNAME=cron SHELL=/bin/sh XDG_CONFIG_HOME="$XDG_CONFIG_HOME" \
		XDG_STATE_HOME="$XDG_STATE_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" \
		TH_API_BASE="$TH_API_BASE" PATH="$T/bin:$cronpath" \
		sh -c "$cmd" </dev/null >"$T/cron.out" 2>"$T/cron.err"
	st=$?
	is "$st:$(cat "$T/cron.err")" "0:" "cron job $jobs runs as written: ${cmd:0:50}"
	unlike "$(cat "$T/cron.out")" "*null*" "  and prints no null"
done <"$T/crontab"
is "$jobs" 2 "the README's crontab has its two jobs"
unlike "$(cat "$top_srcdir/README.md")" "*ifne*" "the README needs nothing from moreutils"

# --- the fediverse example shows both networks ----------------------------------------
fedport=${FEDI##*:}
curlline=$(sed -n '/^    curl -sS -d .*mastodon.example/{N;s/\\\n */ /;p}' "$top_srcdir/README.md" |
	sed "s/127.0.0.1:8932/127.0.0.1:$fedport/")
like "$curlline" "*_control/account*" "the README's fediverse account set-up was found"
eval "$curlline" >/dev/null
tlline=$(sed -n 's/^    \(th-timeline @alice@mastodon.example.*\)#.*/\1/p' "$top_srcdir/README.md")
like "$tlline" "th-timeline @alice@mastodon.example @meta*" "the README's two-network timeline was found"
out=$(PATH="$top_builddir:$PATH" eval "$tlline" 2>&1)
like "$out" "*@Alice@mastodon.example*" "  it shows the fediverse post"
like "$out" "*@meta*" "  and @meta's"

done_testing

#!/bin/bash
# HTTP/2, as graph.threads.net speaks it: nghttpx terminates TLS in front
# of the sandbox (tests/sandbox/h2-proxy.sh). A fan-out is streams of one
# connection; reads survive the proxy's restart, writes ride fresh
# connections; the test CA that makes this work is for loopback only.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
command -v openssl >/dev/null || skip_all "openssl is needed (scripts/deps installs it)"
command -v nghttpx >/dev/null || [ -x /usr/sbin/nghttpx ] ||
	skip_all "nghttpx is needed (scripts/deps installs nghttp2-proxy)"
sandbox_start
# a TLS handshake under valgrind on a busy machine takes seconds
export TH_CONNECT_TIMEOUT=60 TH_TIMEOUT=120
H=$T/h2
mkdir -p "$H"
H2PID=

# h2_start: nghttpx in front of the sandbox, on the port it had before
h2_start() {
	local i=0
	sh "$top_srcdir/tests/sandbox/h2-proxy.sh" "$H" "$SBPORT" >>"$H/out" 2>&1 &
	H2PID=$!
	until [ -s "$H/port" ] && curl -fsS -o /dev/null --cacert "$H/ca.pem" \
	    "https://127.0.0.1:$(cat "$H/port")/_control/state" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ] || ! kill -0 "$H2PID" 2>/dev/null; then
			echo "Bail out! nghttpx did not start"
			cat "$H/out" "$H/error.log" >&2
			exit 1
		fi
		sleep 0.05
	done
	H2="https://127.0.0.1:$(cat "$H/port")"
}
# h2_kill: SIGTERM (single-process nghttpx dies at once, streams and all)
h2_kill() {
	[ -n "$H2PID" ] && kill "$H2PID" 2>/dev/null && wait "$H2PID" 2>/dev/null
	H2PID=
}
trap 'h2_kill; cleanup' EXIT

# h2log: the proxy's log lines since the last h2mark (port alpn method path status)
h2mark() { H2MARK=$(wc -l <"$H/access.log"); }
h2log() { tail -n +$((H2MARK + 1)) "$H/access.log"; }

h2_start
TL="$top_builddir/th-timeline"
for i in $(seq 50); do
	sb POST /_control/seed "{\"user\": \"u$i\", \"posts\": 3}" >/dev/null
	src="${src:-} @u$i"
done

# --- the fan-out over plain http: HTTP/1.1 as before ---------------------------------
clearlog
run th-timeline -n 1000 -P 50 $src
is "$status" 0 "plain http: 50 sources read"
plain=$out
is "$(echo "$out" | wc -l | tr -d ' ')" 150 "  150 posts"
is "$(sblogr 'select(.path == "/v1.0/profile_posts") | .query.username' | sort -u | wc -l | tr -d ' ')" 50 \
	"  one profile_posts request per source"
conns=$(sblogr .conn | sort -u | wc -l | tr -d ' ')
ok "$([ "$conns" -ge 1 ] && [ "$conns" -le 8 ] && echo 0 || echo 1)" \
	"  -P 50 over HTTP/1.1 opens at most 8 connections to the host ($conns)"

# --- the test CA is what th trusts, and only for loopback ---------------------------------
clearlog
h2mark
TH_RETRIES=0 TH_API_BASE=$H2 run th-timeline @u1
is "$status" 69 "https to the proxy without TH_TEST_CA: its certificate is not trusted (69)"
like "$err" "*certificate*" "  and the message says why"

export TH_TEST_CA="$H/ca.pem"
TH_API_BASE=https://graph.threads.net run th-timeline @u1
is "$status" 78 "TH_TEST_CA with a non-loopback API host: configuration error"
is "$err" "th-timeline: TH_TEST_CA: refused for graph.threads.net: a test CA is trusted for a loopback API only" \
	"  the message names the host and the rule"
# 2130706433 is 127.0.0.1 written as a number: it reaches the proxy, but
# it is not a name th knows for loopback
TH_API_BASE="https://2130706433:${H2##*:}" run th-timeline @u1
is "$status" 78 "TH_TEST_CA with a host th does not know as loopback: 78"
is "$(sblog | wc -l | tr -d ' ')$(h2log | wc -l | tr -d ' ')" 00 \
	"  and not one request reached the proxy or the sandbox"
TH_TEST_CA=$T/nonexistent TH_API_BASE=$H2 run th-timeline @u1
is "$status:$err" "78:th-timeline: TH_TEST_CA: $T/nonexistent: No such file or directory" \
	"TH_TEST_CA naming no file: 78 before any request"

# --- the fan-out over h2: one connection, streams ------------------------------------
export TH_API_BASE=$H2
sb POST /_control/latency '{"ms": 50}' >/dev/null
clearlog
h2mark
run th-timeline -n 1000 -P 50 $src
is "$status" 0 "h2: 50 sources read through the proxy"
is "$out" "$plain" "  the same output as over plain http"
is "$(h2log | awk '$4 == "/v1.0/profile_posts"' | wc -l | tr -d ' ')" 50 \
	"  50 profile_posts requests"
is "$(h2log | awk '{ print $1, $2 }' | sort -u | wc -l | tr -d ' ')" 1 \
	"  every request on one connection"
is "$(h2log | awk '{ print $2 }' | sort -u)" h2 "  and that connection speaks h2"
back=$(sblogr .conn | sort -u | wc -l | tr -d ' ')
ok "$([ "$back" -ge 2 ] && echo 0 || echo 1)" \
	"  as concurrent streams: the proxy needed $back backend connections for them"

# --- the proxy dies with streams in flight: the reads are sent again ------------------------
sb POST /_control/latency '{"ms": 3000}' >/dev/null
clearlog
TH_BACKOFF_MS=300 TH_RETRIES=6 ${TH_TEST_WRAPPER:-} "$TL" -n 1000 -P 50 $src >"$T/rout" 2>"$T/rerr" &
tlpid=$!
for i in $(seq 600); do
	[ "$(sblog 'select(.path == "/v1.0/profile_posts")' | wc -l)" -ge 50 ] && break
	sleep 0.05
done
h2_kill
sb POST /_control/latency '{"ms": 50}' >/dev/null
h2mark
h2_start
wait $tlpid
is "$?" 0 "nghttpx killed with 50 streams in flight: th-timeline still exits 0"
is "$(cat "$T/rout")" "$plain" "  with every post, as over plain http"
# all 50 were in flight (under valgrind one may have been answered before)
again=$(($(sblog 'select(.path == "/v1.0/profile_posts")' | wc -l) - 50))
ok "$([ "$again" -ge 40 ] && echo 0 || echo 1)" \
	"  the reads that died with the proxy were sent again ($again of 50)"
is "$(h2log | awk '$4 == "/v1.0/profile_posts" { print $2 }' | sort | uniq -c | tr -s ' ')" " $again h2" \
	"  through the new proxy, over h2"

# --- a write rides a fresh connection, stream or not ---------------------------------------
sb POST /_control/latency '{"ms": 0}' >/dev/null
clearlog
h2mark
run th-post "over h2"
is "$status" 0 "th-post over h2"
is "$(h2log | awk '$3 == "POST" { print $4 }' | tr '\n' ' ')" \
	"/v1.0/me/threads /v1.0/me/threads_publish " "  two POSTs: create and publish"
is "$(h2log | awk '{ print $2 }' | sort -u)" h2 "  all of it over h2"
is "$(h2log | awk '$3 == "POST" && seen[$1] { print "reused " $1 " for " $4 } { seen[$1] = 1 }')" "" \
	"  each POST on a connection no earlier request used"
ok "$([ "$(h2log | awk '$3 == "GET"' | wc -l)" -ge 1 ] && echo 0 || echo 1)" \
	"  (and there were reads before them that it could have ridden)"

done_testing

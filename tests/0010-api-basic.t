#!/bin/bash
# th-api sends exactly the request asked for and prints the answer as NDJSON.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sandbox_start
ME=$(sb GET /_control/state | jq -r .me.id)

run th-api me fields=id,username
is "$status" 0 "GET me succeeds"
is "$out" "{\"id\":\"$ME\",\"username\":\"th_tester\"}" "the answer is one compact JSON line with a string id"
is "$(sblog '[.method,.path,.query.fields]' | tail -1)" '["GET","/v1.0/me","id,username"]' \
	"the request is GET /v1.0/me with the fields asked for"
is "$(sblog '[.bearer,.token_in_url]' | tail -1)" '[true,false]' \
	"the token travels in the Authorization header, not in the URL"
like "$(sblog .user_agent | tail -1)" '"th/*"' "th names itself in User-Agent"

run th-api --jq .username me fields=username
is "$out" "th_tester" "--jq prints a string result raw"
run th-api --jq '{u: .username, n: 1}' me fields=username
is "$out" '{"u":"th_tester","n":1}' "--jq prints other results as compact JSON"
run th-api --jq '.username, .id' me fields=id,username
is "$out" "th_tester
$ME" "--jq may print several results, one per line"
run th-api --jq '.x.y.z' me fields=username
is "$status" 0 "a filter that yields null is fine"
is "$out" "null" "and prints null"
run th-api --jq '.username | error("boom")' me fields=username
is "$status" 1 "a --jq runtime error exits 1"
like "$err" "*--jq: boom*" "and reports the filter's message"

clearlog
run th-api -X POST me/threads media_type=TEXT "text=héllo wörld 👋 & more"
is "$status" 0 "POST creates a container"
like "$out" '{"id":"[0-9]*"}' "the container id is a string"
is "$(sblog '[.method,.path,.form.media_type,.form.text,(.query|length)]')" \
	'["POST","/v1.0/me/threads","TEXT","héllo wörld 👋 & more",0]' \
	"POST parameters travel in the form body, escaped, none in the URL"
CID=$(echo "$out" | jq -r .id)
run th-api "$CID" fields=id,status
is "$out" "{\"id\":\"$CID\",\"status\":\"FINISHED\"}" "the container's status reads back"
run th-api -X POST me/threads_publish creation_id="$CID"
is "$status" 0 "publishing the container works"
PID=$(echo "$out" | jq -r .id)
run th-api --jq .text "$PID" fields=text
is "$out" "héllo wörld 👋 & more" "the post reads back with its exact text"

run th-api -X DELETE "$PID"
is "$out" "{\"success\":true,\"deleted_id\":\"$PID\"}" "DELETE deletes"
is "$(sblog '[.method,.path]' | tail -1)" "[\"DELETE\",\"/v1.0/$PID\"]" "with DELETE /v1.0/ID"

run th-api /v1.0/me fields=id
is "$(sblog .path | tail -1)" '"/v1.0/me"' "an explicit /v1.0 prefix is not doubled"
run th-api "$SB/v1.0/me" fields=id
is "$status" 0 "an absolute URL on the API origin works"

clearlog
run th-api https://evil.example/v1.0/me
is "$status" 64 "an absolute URL on another host is refused"
is "$(sblog | wc -l)" 0 "and nothing is sent"

fault '{"path": "^/v1.0/me$", "status": 200, "body": "{\"id\": 17841405793187218, \"n\": 12.5}"}'
run th-api me
is "$out" '{"id":"17841405793187218","n":12.5}' \
	"a JSON number above 2^53 arrives as a string with every digit, never rounded"

run th-api me fields=id >/dev/full
run_full() { "$top_builddir/th-api" me fields=id >/dev/full 2>"$T/err"; echo $?; }
is "$(run_full)" 74 "writing to a full disk exits 74"
like "$(cat "$T/err")" "*cannot write output*" "and says so"

done_testing

#!/bin/bash
# The verbs start, say who they are, and refuse bad usage with 64.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

run th-api --version
is "$status" 0 "--version exits 0"
like "$out" "th-api [0-9]*.[0-9]*.[0-9]* (libcurl [0-9]*, libjq *)" \
	"--version names the verb, its version, and libcurl's and libjq's"

run th-api --help
is "$status" 0 "--help exits 0"
like "$out" "usage: th-api*" "--help prints usage on stdout"
is "$err" "" "--help writes nothing on stderr"

run th-api --no-such-flag me
is "$status" 64 "an unknown flag is a usage error (64)"
like "$err" "*usage: th-api*" "and prints usage on stderr"

run th-api
is "$status" 64 "a missing path is a usage error"

run th-api -X PATCH me
is "$status" 64 "an unknown method is a usage error"
like "$err" "th-api: -X: want GET, POST or DELETE*" "and says which methods exist"

run th-api me notapair
is "$status" 64 "a parameter without = is a usage error"

run th-api --jq '.[' me
is "$status" 64 "a --jq filter that does not compile is a usage error"
like "$err" "*--jq:*" "and the message names --jq"

run th-api --errors=xml me
is "$status" 64 "--errors takes json or text only"

done_testing

#!/bin/bash
# tests/lib.sh's run under $TH_TEST_WRAPPER: every run by default; with
# TH_TEST_WRAP_EVERY=N the first run of each verb in the file, then every
# Nth of the others from the seed, so that N seeds in a row (CI's, one a
# commit) take every run.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

# the wrapper writes the verb it wraps, then runs it
cat >"$T/wrap" <<'EOF'
#!/bin/sh
echo "${1##*/}" >>"$WRAPLOG"
exec "$@"
EOF
chmod +x "$T/wrap"
export WRAPLOG="$T/wrapped"

# runs EVERY SEED: nine runs, as in a test file; which went under the
# wrapper, as "n:verb" in the order of the runs
runs() {
	(
		: >"$WRAPLOG"
		TH_TEST_WRAPPER=$T/wrap TH_TEST_WRAP_EVERY=$1 TH_TEST_WRAP_SEED=$2
		_runs=0 _verbs=" "
		i=0 got=
		for v in th-list th-list th-list th-api th-list th-list th-api th-list th-list; do
			i=$((i + 1))
			n=$(wc -l <"$WRAPLOG")
			run "$v" --version
			[ "$status" -eq 0 ] || echo "run $i: $v --version exited $status" >&2
			[ "$(wc -l <"$WRAPLOG")" -gt "$n" ] && got="$got $i:$(tail -1 "$WRAPLOG")"
		done
		echo $got
	)
}

is "$(runs 1 0)" "1:th-list 2:th-list 3:th-list 4:th-api 5:th-list 6:th-list 7:th-api 8:th-list 9:th-list" \
	"TH_TEST_WRAP_EVERY=1: every run under the wrapper"
is "$(runs '' 0)" "$(runs 1 0)" "unset: the same"
is "$(runs 4 0)" "1:th-list 4:th-api 8:th-list" \
	"EVERY=4, seed 0: each verb's first run, then the runs whose number is a multiple of 4"
is "$(runs 4 1)" "1:th-list 3:th-list 4:th-api 7:th-api" "seed 1: the next ones"
all=
for s in 0 1 2 3; do
	all="$all $(runs 4 $s)"
done
is "$(tr ' ' '\n' <<<"$all" | sed -n 's/:.*//p' | sort -nu | tr '\n' ' ')" "1 2 3 4 5 6 7 8 9 " \
	"four seeds in a row: every run under the wrapper at least once"
is "$(runs 4 5)" "$(runs 4 1)" "a seed counts mod N"

# a run the wrapper did not take is still a run: its status and output
(
	TH_TEST_WRAPPER=$T/wrap TH_TEST_WRAP_EVERY=4 TH_TEST_WRAP_SEED=0
	_runs=0 _verbs=" "
	run th-list --version
	run th-list --nosuchoption
	echo "$status"
) >"$T/st"
is "$(cat "$T/st")" 64 "unwrapped: its own exit status"

done_testing

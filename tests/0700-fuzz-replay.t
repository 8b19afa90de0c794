#!/bin/bash
# The fuzz targets replay their committed corpus: every input the fuzzer
# kept, and every crash it once found, runs through the same code.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

for t in envelope ndjson list split; do
	corpus="$top_srcdir/tests/fuzz/corpus/$t"
	n=$(ls "$corpus" | wc -l)
	if [ -n "${TH_TEST_WRAPPER:-}" ]; then
		$TH_TEST_WRAPPER "$top_builddir/tests/fuzz/replay-$t" "$corpus" >"$T/out" 2>"$T/err"
	else
		"$top_builddir/tests/fuzz/replay-$t" "$corpus" >"$T/out" 2>"$T/err"
	fi
	st=$?
	is "$st" 0 "fuzz target $t replays its corpus without a crash"
	is "$(grep -c '^ok' "$T/out")" "$n" "  all $n inputs"
	ok "$([ "$n" -ge 4 ] && echo 0 || echo 1)" "  (a corpus of $n)"
done
done_testing

#!/bin/bash
# The fuzz targets replay their committed corpus: every input the fuzzer
# kept, and every crash it once found, runs through the same code.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
# libjq 1.6 leaks a parser token on some malformed JSON the corpus holds;
# under a sanitizer build, name it (full unwinding through libjq) and
# suppress only it. valgrind gets tests/fuzz/valgrind.supp from
# scripts/check.
export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" \
	LSAN_OPTIONS="suppressions=$top_srcdir/tests/fuzz/lsan.supp"

for t in envelope ndjson list split html answer; do
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

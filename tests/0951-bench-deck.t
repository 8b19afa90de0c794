#!/usr/bin/env bash
# scripts/bench-deck: th-deck's keystroke-to-repaint benchmark, smoked:
# a tiny deck, a few keys, the row it prints and how it refuses.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

[ -x "$top_builddir/th-deck" ] || skip_all "th-deck was not built (no ncursesw: libncurses-dev)"
bd() { BENCH_BUILD=$top_builddir BENCH_DECK_WRAPPER=${TH_TEST_WRAPPER:-} \
	"$PYTHON3" "$top_srcdir/scripts/bench-deck" "$@" >"$T/out" 2>"$T/err"; status=$?
	out=$(cat "$T/out"); err=$(cat "$T/err"); }

bd --keys 5 --cols 2 --posts 40 --size 41x20
is "$status" 0 "5 keys on 2 columns of 40 posts: measured"
is "$err" "" "nothing on stderr"
is "$(sed -n 1,2p "$T/out")" "| case | th | baseline | ratio | target | verdict |
|---|---|---|---|---|---|" "a table as scripts/bench prints it"
like "$(sed -n 3p "$T/out")" "| deck: 2 columns of 40 posts, 41x20, key to repaint, median | * ms | 16 ms | * | ≤ 1.0 | * (absolute: a frame at 60 Hz; p90 * ms, max * ms) |" \
	"the absolute row: th-deck's median against 16 ms"
like "$(sed -n 4p "$T/out")" "|   the same, vs its own bytes replayed through the pty | * ms | * ms | * | - | (the terminal path's floor; p90 * ms, max * ms) |" \
	"the row against the same bytes replayed"
like "$(sed -n 6p "$T/out")" "5 keys timed, * bytes a repaint (median), th-deck CPU * ms a key; a repaint ends after 30 ms without a byte" \
	"every key drew, and was timed"

bd --rows --keys 3 --cols 1 --posts 20 --size 20x10
is "$status" 0 "--rows"
is "$(wc -l <"$T/out" | tr -d ' ')" 2 "the two rows alone, for scripts/bench deck"

bd --keys 3 --size 100x30
is "$status" 2 "a terminal too narrow for the columns: exit 2"
like "$err" "*bench-deck: error: a 100x30 terminal does not show 10 columns: at least 209x5" "saying how wide"

BENCH_BUILD=$T/nowhere "$PYTHON3" "$top_srcdir/scripts/bench-deck" --keys 1 2>"$T/err"
is "$?" 1 "no build: exit 1"
is "$(cat "$T/err")" "bench-deck: no $T/nowhere/th-deck (build th with libncurses-dev installed, or set BENCH_BUILD)" "naming what is missing"

done_testing

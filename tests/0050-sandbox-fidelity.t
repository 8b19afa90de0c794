#!/bin/bash
# The sandbox answers in the shape of the real API's recorded payloads.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
FIX=${TH_FIXTURES:-$top_srcdir/../shared/fixtures}
[ -d "$FIX" ] || skip_all "no fixtures at $FIX"
sandbox_start
SANDBOX_TOKEN="$CANARY" SANDBOX_APP_SECRET="$APPSECRET" "$PYTHON3" "$top_srcdir/tests/sandbox/fidelity.py" "$SB" "$FIX"

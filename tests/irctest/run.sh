#!/usr/bin/env bash
# Runs irctest (the public IRC conformance suite, checked out outside this repository) against
# Salon through our own controller (salon_controller.py): a fresh salon process per test,
# accounts registered with REGISTER. Not part of `make test`: CI cannot fetch irctest.
#
# Usage: tests/irctest/run.sh [pytest args...]      e.g. tests/irctest/run.sh -k Sasl
# Environment: IRCTEST_DIR (default /tmp/irctest), SALON_BIN (default build/salon),
#   IRCTEST_OUT (default /tmp/irctest-salon), IRCTEST_MARKERS, SHARED_IRCTEST (../shared/irctest).
# Prints a per-module table and last `irctest: N passed, M failed, K skipped`.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
IRCTEST_DIR=${IRCTEST_DIR:-/tmp/irctest}
IRCTEST_OUT=${IRCTEST_OUT:-/tmp/irctest-salon}
SHARED_IRCTEST=${SHARED_IRCTEST:-$repo/../shared/irctest}
IRCTEST_MARKERS=${IRCTEST_MARKERS:-not implementation-specific and not deprecated and not strict}
export SALON_BIN=${SALON_BIN:-$repo/build/salon}
[ -f "$IRCTEST_DIR/conftest.py" ] || { echo "run.sh: no irctest checkout in $IRCTEST_DIR" >&2; exit 64; }
[ -x "$SALON_BIN" ] || { echo "run.sh: $SALON_BIN not built" >&2; exit 64; }
mkdir -p "$IRCTEST_OUT"
cd "$IRCTEST_DIR" || exit 64
PYTHONPATH="$here:$SHARED_IRCTEST" /usr/bin/python3 "$SHARED_IRCTEST/reaper.py" \
  /usr/bin/python3 -m pytest -p pytest7_compat --ignore=irctest/self_tests \
  --controller salon_controller -m "$IRCTEST_MARKERS" -q -p no:cacheprovider \
  --junitxml "$IRCTEST_OUT/salon.xml" "$@" > "$IRCTEST_OUT/salon.log" 2>&1
rc=$?
tail -3 "$IRCTEST_OUT/salon.log"
/usr/bin/python3 "$SHARED_IRCTEST/junit_summary.py" "$IRCTEST_OUT/salon.xml" --markdown
exit $rc

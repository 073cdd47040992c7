#!/bin/sh
# test.sh - build and run the whole test suite against a real PostgreSQL.
#
#   tools/test.sh            normal build, then an ASan+UBSan build
#   tools/test.sh --quick    normal build only
#
# One throwaway cluster serves both runs; it is stopped however the run
# ends.  The last line is "tests: N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
[ "${1:-}" = "--quick" ] && quick=1

cluster=""
cleanup() {
    if [ -n "$cluster" ]; then "$root/tools/pgcluster.sh" stop "$cluster"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

configure() { # builddir [meson options...]
    dir=$1; shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$root" "$@" >/dev/null
    else
        meson setup "$dir" "$root" "$@" >/dev/null
    fi
}

passed=0
failed=0
run_suite() { # builddir label
    dir=$1
    echo "== $2"
    meson test -C "$dir" --print-errorlogs --num-processes "${TEST_JOBS:-2}"
    counts=$(python3 - "$dir/meson-logs/testlog.json" <<'PY'
import json, sys
ok = bad = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"):
        ok += 1
    else:
        bad += 1
print(ok, bad)
PY
)
    set -- $counts
    passed=$((passed + $1))
    failed=$((failed + $2))
}

configure "$root/build" || exit 1
ninja -C "$root/build" || exit 1
if [ "$quick" = 0 ]; then
    configure "$root/build-asan" -Db_sanitize=address,undefined -Db_lundef=false || exit 1
    ninja -C "$root/build-asan" || exit 1
fi

cluster=$("$root/tools/pgcluster.sh" start) || exit 1
export C7GEN_TEST_PGHOST="$cluster"
export C7GEN_TEST_PGPORT=5432
export C7GEN_TEST_REQUIRE_DB=1
# Sanitizer findings must fail the run, not just print.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"

run_suite "$root/build" "tests"
if [ "$quick" = 0 ]; then
    run_suite "$root/build-asan" "tests under AddressSanitizer and UndefinedBehaviorSanitizer"
fi

echo "tests: $passed passed, $failed failed"
[ "$failed" = 0 ]

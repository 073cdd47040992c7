#!/bin/sh
# run_case.sh CASEDIR - one data-driven case.
#
# CASEDIR/models/ holds the model files.  Expected results, compared exactly:
#   expected.sql   the stdout of `c7gen diff --from empty` (exit status 0)
#   expected.err   its stderr (and an exit status of 2)
set -u
case_dir=${1%/}
: "${C7GEN:?C7GEN must name the c7gen binary}"
# meson test --setup valgrind
if [ -n "${C7GEN_WRAPPER:-}" ]; then
    export C7GEN_REAL=$C7GEN
    C7GEN=$C7GEN_WRAPPER
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cd "$case_dir" || exit 1
"$C7GEN" --config /dev/null --no-color --models models --migrations "$out/none" \
    diff --from empty >"$out/stdout" 2>"$out/stderr"
status=$?

fail=0
if [ -f expected.err ]; then
    if [ "$status" != 2 ]; then
        echo "exit status $status, expected 2"
        fail=1
    fi
    if ! diff -u expected.err "$out/stderr"; then fail=1; fi
    if [ -s "$out/stdout" ]; then
        echo "unexpected output on stdout:"; cat "$out/stdout"; fail=1
    fi
elif [ -f expected.sql ]; then
    if [ "$status" != 0 ]; then
        echo "exit status $status, expected 0"; cat "$out/stderr"; fail=1
    fi
    if ! diff -u expected.sql "$out/stdout"; then fail=1; fi
else
    echo "$case_dir: no expected.sql or expected.err"
    fail=1
fi
exit $fail

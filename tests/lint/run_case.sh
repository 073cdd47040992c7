#!/bin/sh
# run_case.sh RULEDIR - one lint rule's case, compared exactly.
#
#   bad.sql       a revision that triggers the rule
#   expected.txt  `c7gen lint bad.sql`'s report (exit status 1 if it holds
#                 an error, else 0)
#   good.sql      the corrected revision: no findings at all, exit status 0
# docs/lint.md shows both revisions' upgrade sections (tests/lint/test_docs.sh).
set -u
case_dir=${1%/}
: "${C7GEN:?C7GEN must name the c7gen binary}"
if [ -n "${C7GEN_WRAPPER:-}" ]; then
    export C7GEN_REAL=$C7GEN
    C7GEN=$C7GEN_WRAPPER
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$case_dir" || exit 1
rule=$(basename "$case_dir")
fail=0

"$C7GEN" --config /dev/null --no-color lint bad.sql >"$out/bad" 2>"$out/bad.err"
status=$?
want=0
grep -q '^bad.sql:[0-9]*:[0-9]*: error:' expected.txt && want=1
[ "$status" = "$want" ] || { echo "bad.sql: exit status $status, expected $want"; cat "$out/bad.err"; fail=1; }
diff -u expected.txt "$out/bad" || fail=1
grep -q "\[$rule\]" expected.txt || { echo "expected.txt never names [$rule]"; fail=1; }

"$C7GEN" --config /dev/null --no-color lint good.sql >"$out/good" 2>&1
status=$?
[ "$status" = 0 ] || { echo "good.sql: exit status $status, expected 0"; fail=1; }
[ -s "$out/good" ] && { echo "good.sql has findings:"; cat "$out/good"; fail=1; }
exit $fail

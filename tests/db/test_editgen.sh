#!/bin/bash
# tools/editgen.py, briefly: random edit sequences over the tests' models
# and the public corpus schemas, every revision proven by autogenerate.  A
# fixed seed makes the run the same every time; the long runs (docs/testing.md)
# use other seeds and many more sequences.  The generator must also be able
# to fail: with every plan broken on purpose it reports findings.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

gen() {
    python3 "$C7GEN_SRCDIR/tools/editgen.py" --c7gen "$C7GEN" --srcdir "$C7GEN_SRCDIR" \
        --workdir "$WORK" "$@"
}
corpus="host=$PGHOST port=$PGPORT user=$PGUSER dbname=postgres"

if gen --seed 7 --sequences 3 --steps 2 --corpus-db "$corpus" >"$WORK/out" 2>&1; then
    ok "three edit sequences: every revision proven"
else
    not_ok "three edit sequences: every revision proven"; cat "$WORK/out"
fi
# Most steps must produce revisions, or the run proves little.
revisions=$(sed -n 's/.*"revisions": \([0-9]*\).*/\1/p' "$WORK/out")
if [ "${revisions:-0}" -ge 6 ]; then ok "and they made revisions ($revisions)"
else not_ok "and they made revisions (${revisions:-none})"; cat "$WORK/out"; fi

if C7GEN_TEST_BREAK_PLAN=upgrade gen --seed 7 --sequences 2 --steps 1 >"$WORK/broken" 2>&1; then
    not_ok "broken plans are findings"; cat "$WORK/broken"
else
    grep -q '"findings": 2' "$WORK/broken" && grep -q '^finding: division by zero' "$WORK/broken" \
        && ok "broken plans are findings" \
        || { not_ok "broken plans are findings"; cat "$WORK/broken"; }
fi
finish

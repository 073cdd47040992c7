# lib.sh - helpers for the database tests, sourced by tests/db/test_*.sh.
#
# The harness (tools/test.sh) exports C7GEN_TEST_PGHOST/PORT for a cluster
# that lives for the whole run; every test makes its own databases in it.
set -u

: "${C7GEN:?C7GEN must name the c7gen binary}"
: "${C7GEN_SRCDIR:?C7GEN_SRCDIR must name the source tree}"
# meson test --setup valgrind: every c7gen run goes through memcheck.
if [ -n "${C7GEN_WRAPPER:-}" ]; then
    export C7GEN_REAL=$C7GEN
    C7GEN=$C7GEN_WRAPPER
fi

if [ -z "${C7GEN_TEST_PGHOST:-}" ]; then
    if [ "${C7GEN_TEST_REQUIRE_DB:-0}" = 1 ]; then
        echo "no test cluster (C7GEN_TEST_PGHOST unset)" >&2
        exit 1
    fi
    echo "skipped: run through tools/test.sh for a PostgreSQL cluster" >&2
    exit 77
fi

TEST_NAME=$(basename "$0" .sh)
PGHOST=$C7GEN_TEST_PGHOST
PGPORT=${C7GEN_TEST_PGPORT:-5432}
PGUSER=postgres
export PGHOST PGPORT PGUSER
unset PGDATABASE DATABASE_URL C7GEN_DATABASE_URL
WORK=$(mktemp -d "/tmp/c7gen-$TEST_NAME.XXXXXX")
# Projects without a configured database get c7gen's scratch cluster.  One
# per test, inside WORK, so that the hundreds of temporary projects a run
# makes share it and none is left behind in /tmp.  Its server runs as
# `postgres` when we are root, so WORK must be traversable.
chmod 711 "$WORK"
SCRATCH="$WORK/scratch"
export C7GEN_SCRATCH_DIR="$SCRATCH"
# remove_work: stops a scratch server a killed c7gen left running, then
# deletes WORK.  Tests that set their own EXIT trap call it.
remove_work() {
    "$C7GEN_SRCDIR/tools/pgcluster.sh" stop "$SCRATCH"
    rm -rf "$WORK"
}
trap remove_work EXIT

failures=0
checks=0

psql_q() { # db [psql args...]
    local target=$1; shift
    psql -X -q -v ON_ERROR_STOP=1 -d "$target" "$@"
}

# new_db SUFFIX: a fresh, empty database; prints its name.
new_db() {
    local name
    name=$(printf '%s_%s_%s' "$TEST_NAME" "$$" "$1" | tr 'A-Z-' 'a-z_' | cut -c1-63)
    psql_q postgres -c "DROP DATABASE IF EXISTS \"$name\"" -c "CREATE DATABASE \"$name\"" >/dev/null 2>&1 \
        || psql_q postgres -c "CREATE DATABASE \"$name\"" >/dev/null
    echo "$name"
}

conninfo() { # db
    echo "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$1"
}

catalog() { # db [psql options, e.g. -v inscope=1]
    local target=$1; shift
    psql_q "$target" "$@" -f "$C7GEN_SRCDIR/tests/db/catalog.sql"
}

ok() { checks=$((checks + 1)); echo "ok - $*"; }
not_ok() { checks=$((checks + 1)); failures=$((failures + 1)); echo "not ok - $*"; }

# same_catalog DB1 DB2 WHAT: the two databases hold identical schemas.
same_catalog() {
    catalog "$1" >"$WORK/cat1" 2>&1
    catalog "$2" >"$WORK/cat2" 2>&1
    if diff -u "$WORK/cat1" "$WORK/cat2" >"$WORK/catdiff"; then
        ok "$3"
    else
        not_ok "$3"
        cat "$WORK/catdiff"
    fi
}

# Corpus cases: tests/corpus/KNOWN.md lists the expected failures.
known() { grep -q "^- \`$1\`" "$C7GEN_SRCDIR/tests/corpus/KNOWN.md" 2>/dev/null; }
# report_case NAME RESULT WHAT: RESULT is "ok" or why it failed.
report_case() {
    if [ "$2" = ok ]; then
        passed=$((passed + 1))
        ok "$1: $3"
        known "$1" && echo "  note: $1 now passes; take it out of tests/corpus/KNOWN.md"
    elif known "$1"; then
        ok "$1: known failure (tests/corpus/KNOWN.md): $2"
    else
        not_ok "$1: $2 ($3)"
    fi
}

finish() {
    echo "$checks checks, $failures failed"
    [ "$failures" = 0 ]
}

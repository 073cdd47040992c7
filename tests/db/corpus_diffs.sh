#!/bin/bash
# corpus_diffs.sh SOURCE - peer tools' schema-diff cases (tests/corpus/diffs,
# from migra, apgdiff, Atlas and Pagila's history), one SOURCE at a time.
# For each case whose two sides load on PostgreSQL 15:
#   models = inspect(to.sql); database = from.sql;
#   autogenerate + upgrade     -> the catalog equals to.sql's
#   autogenerate again         -> "No changes detected."
#   downgrade -1               -> the catalog equals from.sql's
# Catalogs are compared for what c7gen manages; cases that also touch other
# kinds (views, functions, ...) must run without touching them.  Failures
# listed in tests/corpus/KNOWN.md are expected and reported as such.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

source=${1:?usage: corpus_diffs.sh SOURCE}
corpus="$C7GEN_SRCDIR/tests/corpus"

declare -A roles_made
ensure_roles() {
    for role in $(echo "$1" | tr ',' ' '); do
        [ -n "${roles_made[$role]:-}" ] && continue
        roles_made[$role]=1
        psql_q postgres -c "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN CREATE ROLE \"$role\" NOLOGIN; END IF; END\$\$" >/dev/null 2>&1
    done
}

run_case() { # name roles -> sets result
    local name=$1 dir="$corpus/diffs/$1" proj="$WORK/$1"
    mkdir -p "$proj/migrations"
    cd "$proj" || return
    ensure_roles "$2"
    local to=c7_to_$$ from=c7_from_$$
    # FILE_COPY: with fsync off, copying the template beats logging it.
    psql_q postgres -c "DROP DATABASE IF EXISTS $to" -c "DROP DATABASE IF EXISTS $from" \
        -c "CREATE DATABASE $to STRATEGY FILE_COPY" \
        -c "CREATE DATABASE $from STRATEGY FILE_COPY" >/dev/null 2>&1
    if ! psql_q "$to" -f "$dir/to.sql" >"$proj/load.log" 2>&1 ||
       ! psql_q "$from" -f "$dir/from.sql" >>"$proj/load.log" 2>&1; then
        result="a side does not load: $(grep ERROR "$proj/load.log" | head -2)"; return
    fi
    catalog "$from" -v inscope=1 >"$proj/from.cat"
    catalog "$to" -v inscope=1 >"$proj/to.cat"
    # Manage every schema either side has, so dropped ones are dropped.
    local schemas
    schemas=$(sed -n 's/^schema | \([^ ]*\) .*/\1/p' "$proj/from.cat" "$proj/to.cat" |
              sort -u | paste -sd, -)
    printf '[c7gen]\nmodels = models\nmigrations = migrations\nschemas = %s\n' "$schemas" >c7gen.ini
    c7() { "$C7GEN" --no-color "$@"; }
    if ! C7GEN_DATABASE_URL=$(conninfo "$to") c7 inspect >"$proj/inspect.log" 2>&1; then
        result="inspect failed: $(grep error "$proj/inspect.log" | head -3)"; return
    fi
    mkdir -p models
    export C7GEN_DATABASE_URL
    C7GEN_DATABASE_URL=$(conninfo "$from")
    # The from database was loaded by hand, not built by migrations, so
    # autogenerate's proof (which replays the migrations) has nothing to
    # stand on; the upgrade right below runs the revision against the real
    # database instead, and the checks after it are the proof.
    if ! c7 autogenerate --no-verify -m step >"$proj/gen.log" 2>&1; then
        result="autogenerate failed: $(grep -v 'c7gen: using' "$proj/gen.log" | head -4)"; return
    fi
    if ls migrations/*_step.sql >/dev/null 2>&1 && ! c7 upgrade >"$proj/up.log" 2>&1; then
        result="upgrade failed: $(grep -v 'c7gen: using' "$proj/up.log" | head -4)"
        [ -z "${CORPUS_CASE:-}" ] || cat migrations/*_step.sql
        return
    fi
    catalog "$from" -v inscope=1 >"$proj/up.cat"
    if ! diff -u "$proj/to.cat" "$proj/up.cat" >"$proj/up.diff"; then
        result="after upgrade the catalog differs from to.sql's: $(grep '^[-+][a-z]' "$proj/up.diff" | head -4)"; return
    fi
    local again
    again=$(c7 autogenerate -m again 2>/dev/null)
    if [ "$again" != "No changes detected." ]; then
        result="a second autogenerate found changes: $(sed -n '/+upgrade/,/+downgrade/p' migrations/*_again.sql | head -6)"; return
    fi
    if ls migrations/*_step.sql >/dev/null 2>&1; then
        if ! c7 downgrade -1 >"$proj/down.log" 2>&1; then
            result="downgrade failed: $(grep -v 'c7gen: using' "$proj/down.log" | head -4)"; return
        fi
        catalog "$from" -v inscope=1 >"$proj/down.cat"
        if ! diff -u "$proj/from.cat" "$proj/down.cat" >"$proj/down.diff"; then
            result="after downgrade the catalog differs from from.sql's: $(grep '^[-+][a-z]' "$proj/down.diff" | head -4)"; return
        fi
    fi
    result=ok
}

passed=0
total=0
# '|' instead of tabs: read would merge empty tab-separated fields.
while IFS='|' read -r name src from_load to_load roles _ _ oos _; do
    [ "$src" = "$source" ] || continue
    # CORPUS_CASE=name runs one case, for debugging.
    [ -z "${CORPUS_CASE:-}" ] || [ "$name" = "$CORPUS_CASE" ] || continue
    [ "$from_load" = OK ] && [ "$to_load" = OK ] || continue
    total=$((total + 1))
    result=""
    run_case "$name" "$roles"
    what="upgrade, nothing more, downgrade"
    [ -n "$oos" ] && what="$what; touches $oos"
    report_case "$name" "$result" "$what"
done < <(tail -n +2 "$corpus/diffs/INDEX.tsv" | tr '\t' '|')
echo "corpus diffs ($source): $passed of $total pass"
finish

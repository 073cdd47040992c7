#!/bin/bash
# Every change kind, end to end against a real server.  For each scenario
# under scenarios/ (models before/ and after/, a hand-written after.sql):
#   1. autogenerate + upgrade builds `before`; optional data.sql is loaded;
#   2. autogenerate + upgrade to `after` gives exactly the catalog that
#      after.sql builds in a fresh database (names included);
#   3. a second autogenerate finds no changes;
#   4. optional verify.sql (one boolean per row) proves the data survived;
#   5. downgrade -1 restores the `before` catalog exactly.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

scenarios=${1:-"$C7GEN_SRCDIR"/tests/db/scenarios/*/}
for dir in $scenarios; do
    dir=${dir%/}
    name=$(basename "$dir")
    proj="$WORK/$name"
    mkdir -p "$proj/migrations" "$proj/empty"
    # Each scenario has its own .c7gen/ normalisation cache: the first
    # autogenerate builds on the server, the second reads the cache.
    cd "$proj" || exit 1
    before="$dir/before"
    [ -d "$before" ] || before="$proj/empty"
    db=$(new_db "$name")
    ref=$(new_db "${name}_ref")
    export C7GEN_DATABASE_URL
    C7GEN_DATABASE_URL=$(conninfo "$db")
    c7() { "$C7GEN" --config /dev/null --no-color --migrations "$proj/migrations" "$@"; }

    if ! c7 --models "$before" autogenerate -m before >"$proj/log" 2>&1 ||
       ! c7 --models "$before" upgrade >>"$proj/log" 2>&1; then
        not_ok "$name: building the 'before' schema"; cat "$proj/log"; continue
    fi
    catalog "$db" >"$proj/before.cat"
    if [ -f "$dir/data.sql" ] && ! psql_q "$db" -f "$dir/data.sql" >"$proj/log" 2>&1; then
        not_ok "$name: loading data.sql"; cat "$proj/log"; continue
    fi
    if ! c7 --models "$dir/after" autogenerate -m after >"$proj/log" 2>&1; then
        not_ok "$name: autogenerate"; cat "$proj/log"; continue
    fi
    rev=$(ls -t "$proj"/migrations/*_after.sql 2>/dev/null | head -1)
    if ! c7 --models "$dir/after" upgrade >"$proj/log" 2>&1; then
        not_ok "$name: upgrade to 'after'"; cat "$proj/log"; cat "$rev"; continue
    fi
    if ! psql_q "$ref" -f "$dir/after.sql" >"$proj/log" 2>&1; then
        not_ok "$name: after.sql does not load"; cat "$proj/log"; continue
    fi
    before_fail=$failures
    same_catalog "$db" "$ref" "$name: upgrade gives the hand-written schema"
    again=$(c7 --models "$dir/after" autogenerate -m again 2>"$proj/again.err")
    if [ "$again" = "No changes detected." ]; then
        ok "$name: a second autogenerate finds nothing"
    else
        not_ok "$name: a second autogenerate finds nothing"; echo "$again"; cat "$proj/again.err"
        cat "$proj"/migrations/*_again.sql 2>/dev/null
    fi
    if [ -f "$dir/verify.sql" ]; then
        result=$(psql_q "$db" -At -f "$dir/verify.sql" 2>&1)
        if [ -n "$result" ] && ! echo "$result" | grep -qv '^t$'; then
            ok "$name: the data survived"
        else
            not_ok "$name: the data survived"; echo "$result"
        fi
    fi
    if c7 --models "$dir/after" downgrade -1 >"$proj/log" 2>&1; then
        catalog "$db" >"$proj/after-down.cat"
        if diff -u "$proj/before.cat" "$proj/after-down.cat"; then
            ok "$name: downgrade restores the 'before' schema"
        else
            not_ok "$name: downgrade restores the 'before' schema"
        fi
    else
        not_ok "$name: downgrade -1"; cat "$proj/log"
    fi
    [ "$failures" = "$before_fail" ] || { echo "--- revision:"; cat "$rev"; }
done
finish

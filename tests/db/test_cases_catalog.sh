#!/bin/bash
# For every case with a hand-written reference.sql: c7gen's CREATE script and
# the reference DDL, each loaded into a fresh database, give the same catalog
# (types, defaults, constraint and index names and definitions, comments).
. "$C7GEN_SRCDIR/tests/db/lib.sh"

for dir in "$C7GEN_SRCDIR"/tests/cases/*/; do
    [ -f "$dir/reference.sql" ] || continue
    name=$(basename "$dir")
    (cd "$dir" && "$C7GEN" --config /dev/null --models models diff --from empty) \
        >"$WORK/$name.sql" 2>"$WORK/$name.err" || {
        not_ok "$name: c7gen failed"; cat "$WORK/$name.err"; continue; }
    ours=$(new_db "${name}_c7")
    theirs=$(new_db "${name}_ref")
    if ! psql_q "$ours" -f "$WORK/$name.sql" >"$WORK/$name.load" 2>&1; then
        not_ok "$name: c7gen's script does not load"; cat "$WORK/$name.load"; continue
    fi
    if ! psql_q "$theirs" -f "$dir/reference.sql" >"$WORK/$name.load" 2>&1; then
        not_ok "$name: reference.sql does not load"; cat "$WORK/$name.load"; continue
    fi
    same_catalog "$ours" "$theirs" "$name: same catalog as the hand-written DDL"
done
finish

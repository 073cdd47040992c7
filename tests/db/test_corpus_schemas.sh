#!/bin/bash
# Real schemas written by other people (tests/corpus/schemas): load each,
# `inspect` it, then
#   (a) `diff` of the inspected models against the same database is empty;
#   (b) `diff --from empty` of those models, loaded into an empty database,
#       gives the same catalog for every kind c7gen manages (names included).
# and (c) c7gen fmt: the inspected models are already formatted, and a
#     disturbed copy formats back to them, keeping the IR (same_models).
# Failures listed in tests/corpus/KNOWN.md are reported but expected.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

corpus="$C7GEN_SRCDIR/tests/corpus"

# Domains are outside the model language: columns of a domain type are
# carried by name and the domain must exist.  The fresh database gets the
# source's domains first, as a DBA would provide them.
copy_domains() { # from to
    psql_q "$1" -At -c "SELECT format('CREATE DOMAIN %s AS %s %s;', t.oid::regtype,
        format_type(t.typbasetype, t.typtypmod),
        coalesce(string_agg(pg_get_constraintdef(c.oid), ' '), ''))
      FROM pg_type t LEFT JOIN pg_constraint c ON c.contypid = t.oid
      WHERE t.typtype = 'd' AND t.typnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema')
      GROUP BY t.oid" | psql_q "$2" >/dev/null
}
# fmt_round_trip PROJ: prints "ok" or what fmt got wrong on PROJ/models.
fmt_round_trip() {
    local m=$1/models d=$1/disturbed
    if ! "$C7GEN" --config /dev/null fmt --check "$m" >/dev/null 2>&1; then
        echo "inspect's models are not formatted: $("$C7GEN" --config /dev/null fmt --diff "$m" 2>&1 | head -8)"
        return
    fi
    python3 "$C7GEN_SRCDIR/tests/fmt/perturb.py" "$m" "$d"
    if ! "$C_SAME_MODELS" "$d" >"$1/same.log" 2>&1; then
        echo "formatting changes the models: $(head -6 "$1/same.log")"
    elif ! "$C7GEN" --config /dev/null fmt "$d" >/dev/null 2>&1 || ! diff -r "$m" "$d" >/dev/null 2>&1; then
        echo "a disturbed copy does not format back: $(diff -r "$m" "$d" | head -8)"
    else
        echo ok
    fi
}
C_SAME_MODELS=${C7GEN_SAME_MODELS:?C7GEN_SAME_MODELS must name tests/fmt/same_models}

passed=0
total=0
for dir in "$corpus"/schemas/*/; do
    name=$(basename "$dir")
    total=$((total + 1))
    proj="$WORK/$name"
    mkdir -p "$proj"
    cd "$proj" || exit 1
    src=$(new_db "${name}_src")
    fresh=$(new_db "${name}_fresh")
    c7() { "$C7GEN" --config /dev/null --no-color --url "$(conninfo "$src")" \
               --models "$proj/models" --migrations "$proj/none" "$@"; }
    result=ok
    if ! psql_q "$src" -f "$dir/schema.sql" >"$proj/load.log" 2>&1; then
        result="schema.sql does not load"
    elif ! c7 inspect >"$proj/inspect.log" 2>&1; then
        result="inspect failed: $(tail -3 "$proj/inspect.log")"
    else
        out=$(c7 diff 2>"$proj/diff.err")
        if [ $? -ne 0 ]; then
            result="diff failed: $(grep -v 'c7gen: using' "$proj/diff.err" | head -5)"
        elif [ -n "$out" ]; then
            result="diff against the source is not empty: $(echo "$out" | head -5)"
        elif ! c7 diff --from empty >"$proj/create.sql" 2>"$proj/create.err"; then
            result="diff --from empty failed: $(head -5 "$proj/create.err")"
        elif ! copy_domains "$src" "$fresh" ||
             ! psql_q "$fresh" -f "$proj/create.sql" >"$proj/fresh.log" 2>&1; then
            result="the CREATE script does not load: $(grep ERROR "$proj/fresh.log" | head -3)"
        else
            catalog "$src" -v inscope=1 >"$proj/src.cat"
            catalog "$fresh" -v inscope=1 >"$proj/fresh.cat"
            if ! diff -u "$proj/src.cat" "$proj/fresh.cat" >"$proj/cat.diff"; then
                result="catalogs differ: $(grep '^[-+][a-z]' "$proj/cat.diff" | head -6)"
            fi
        fi
    fi
    if [ "$result" = ok ]; then
        result=$(fmt_round_trip "$proj")
    fi
    report_case "$name" "$result" "inspect, diff is empty, the CREATE script rebuilds the catalog, fmt keeps the models"
done
echo "corpus schemas: $passed of $total round-trip exactly"
finish

#!/bin/bash
# bench.sh - c7gen's speed, measured.
#
#   tools/bench.sh                  front end at 1,000 and 10,000 tables;
#                                   diff against a database at 100, 1,000, 5,000;
#                                   replay, autogenerate's proof, and the
#                                   language server's answer to a change at
#                                   1,000 tables (tools/bench-lsp.py)
#   tools/bench.sh 200 2000         diff against a database at these sizes only
#
# Front end: parse + check + render of a generated model (diff --from
# empty), with peak memory.  Database: a generated schema is loaded, the
# models get one small edit, and `c7gen diff` runs against it (warm: the
# second of two runs).  Printed next to it: psql running the very catalog
# queries c7gen sent (the floor no introspector can beat), and Alembic's
# compare_metadata on the same schema when python3-alembic is installed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
c7gen=${C7GEN:-$root/build/c7gen}
work=$(mktemp -d /tmp/c7gen-bench.XXXXXX)
chmod 755 "$work"
cluster=""
cleanup() { [ -n "$cluster" ] && "$root/tools/pgcluster.sh" stop "$cluster"; rm -rf "$work"; }
trap cleanup EXIT

[ -x "$c7gen" ] || { echo "bench: build c7gen first (tools/bootstrap.sh)" >&2; exit 1; }

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
elapsed() { calc "$2 - $1"; }
less() { awk "BEGIN { exit !($1 < $2) }"; }
timing() { # LINE KEY -> value from a "timings: k=v ..." line
    echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

front_end() {
    printf '\n== front end: parse + check + render (diff --from empty)\n'
    printf '%8s %12s %10s %10s %12s\n' tables parse+check render total peak_MB
    for n in 1000 10000; do
        python3 "$root/tools/genschema.py" "$n" "$work/fe$n"
        best=""
        for _ in 1 2 3; do
            line=$(C7GEN_TIMINGS=1 "$c7gen" --config /dev/null --models "$work/fe$n/models" \
                   diff --from empty 2>&1 >/dev/null | grep '^timings:')
            m=$(timing "$line" models)
            if [ -z "$best" ] || less "$m" "$(timing "$best" models)"; then best=$line; fi
        done
        m=$(timing "$best" models); r=$(timing "$best" render); d=$(timing "$best" diff)
        printf '%8d %11.3fs %9.3fs %9.3fs %12s\n' "$n" "$m" "$r" \
            "$(calc "$m + $r + $d")" "$(timing "$best" peak_rss_mb)"
    done
}

alembic_time() { # N DB -> seconds, or "-" without Alembic
    /usr/bin/python3 - "$work/db$1/sqlalchemy_models.py" "$2" "$PGHOST" <<'PY' 2>/dev/null || echo "-"
import importlib.util, sys, time
from sqlalchemy import create_engine
from alembic.migration import MigrationContext
from alembic.autogenerate import compare_metadata
spec = importlib.util.spec_from_file_location("models", sys.argv[1])
models = importlib.util.module_from_spec(spec)
spec.loader.exec_module(models)
engine = create_engine("postgresql+psycopg2://postgres@/%s?host=%s" % (sys.argv[2], sys.argv[3]))
start = time.time()
with engine.connect() as conn:
    compare_metadata(MigrationContext.configure(conn), models.metadata)
print("%.3f" % (time.time() - start))
PY
}

database() {
    cluster=$("$root/tools/pgcluster.sh" start) || exit 1
    export PGHOST=$cluster PGUSER=postgres
    printf '\n== diff against a database, one small edit, warm\n'
    printf '%7s %9s %10s %10s %10s %9s %7s %8s %9s %9s %9s %9s %9s\n' tables load_DDL cold_diff cold_norm introspect warm_diff trips peak_MB psql_floor intro/floor diff/floor alembic alem/c7
    for n in "$@"; do
        db=bench_$n
        psql -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null
        python3 "$root/tools/genschema.py" "$n" "$work/db$n"
        python3 "$root/tools/genschema.py" "$n" "$work/edit$n" --edit
        "$c7gen" --config /dev/null --models "$work/db$n/models" diff --from empty >"$work/ddl$n.sql"
        t0=$(now)
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/ddl$n.sql" >/dev/null || exit 1
        load=$(elapsed "$t0" "$(now)")
        url="host=$cluster dbname=$db user=postgres"
        # Run 1 is cold (nothing in the normalisation cache under
        # $work/.c7gen), run 2 warm.
        for run in 1 2; do
            t0=$(now)
            line=$(cd "$work" && C7GEN_TIMINGS=1 C7GEN_QUERY_LOG="$work/q$n.sql" "$c7gen" --config /dev/null \
                   --url "$url" --models "$work/edit$n/models" diff 2>&1 >"$work/out$n.sql" | grep '^timings:')
            total=$(elapsed "$t0" "$(now)")
            [ "$run" = 1 ] && cold=$total && cold_norm=$(timing "$line" normalize)
        done
        grep -q "ADD COLUMN edited text" "$work/out$n.sql" || { echo "bench: unexpected diff at $n tables" >&2; cat "$work/out$n.sql" >&2; }
        floor=""
        for _ in 1 2 3; do
            t0=$(now)
            psql -X -q -d "$db" -f "$work/q$n.sql" >/dev/null
            f=$(elapsed "$t0" "$(now)")
            if [ -z "$floor" ] || less "$f" "$floor"; then floor=$f; fi
        done
        intro=$(timing "$line" introspect)
        alembic=$(alembic_time "$n" "$db")
        ratio="-"
        [ "$alembic" != "-" ] && ratio=$(calc "$alembic / $total" | awk '{ printf "%.0fx", $1 }')
        printf '%7d %8.2fs %9.3fs %9.3fs %9.3fs %8.3fs %7s %8s %8.3fs %9.2fx %9.2fx %8ss %9s\n' \
            "$n" "$load" "$cold" "$cold_norm" "$intro" "$total" \
            "$(timing "$line" round_trips)" "$(timing "$line" peak_rss_mb)" "$floor" \
            "$(calc "$intro / $floor")" "$(calc "$total / $floor")" "$alembic" "$ratio"
    done
}

replay() { # N revisions: c7gen upgrade vs psql running the offline script
    n=$1
    printf '\n== replaying %d revisions into an empty database\n' "$n"
    proj="$work/replay"
    mkdir -p "$proj/migrations"
    parent=""
    for i in $(seq 1 "$n"); do
        id=$(printf 'r%011d' "$i")
        {
            printf -- '-- revision: %s\n-- parents: %s\n-- message: step %d\n' "$id" "$parent" "$i"
            printf -- '-- created: 2026-01-01 00:00:00Z\n\n-- +upgrade\n'
            printf 'CREATE TABLE t%d (id int PRIMARY KEY, v text NOT NULL DEFAULT %s);\n' "$i" "''"
            printf 'CREATE INDEX ON t%d (v);\n' "$i"
            printf "INSERT INTO t%d VALUES (1, 'x');\n\n-- +downgrade\nDROP TABLE t%d;\n" "$i" "$i"
        } >"$proj/migrations/${id}_step.sql"
        parent=$id
    done
    psql -X -q -d postgres -c "CREATE DATABASE replay_c7" -c "CREATE DATABASE replay_psql" >/dev/null
    (cd "$proj" && "$c7gen" --config /dev/null --migrations migrations upgrade --sql head >"$work/replay.sql")
    t0=$(now)
    psql -X -q -v ON_ERROR_STOP=1 -d replay_psql -f "$work/replay.sql" >/dev/null || exit 1
    p=$(elapsed "$t0" "$(now)")
    t0=$(now)
    (cd "$proj" && "$c7gen" --config /dev/null --migrations migrations \
        --url "host=$cluster dbname=replay_c7 user=postgres" upgrade >/dev/null 2>&1) || exit 1
    c=$(elapsed "$t0" "$(now)")
    printf '%12s %12s %10s\n' "psql -f" "c7gen upgrade" ratio
    printf '%11.2fs %11.2fs %9.2fx\n' "$p" "$c" "$(calc "$c / $p")"
}

scratch_startup() {
    printf '\n== scratch database: check on the example project (3 revisions)\n'
    ex="$work/example"
    mkdir -p "$ex"
    cp -r "$root/c7gen.ini" "$root/models" "$root/migrations" "$ex/"
    (cd "$ex" && env -u C7GEN_DATABASE_URL -u DATABASE_URL "$c7gen" check >/dev/null 2>&1)
    best=""
    for _ in 1 2 3; do
        t0=$(now)
        (cd "$ex" && env -u C7GEN_DATABASE_URL -u DATABASE_URL "$c7gen" check >/dev/null 2>&1)
        t=$(elapsed "$t0" "$(now)")
        if [ -z "$best" ] || less "$t" "$best"; then best=$t; fi
    done
    printf 'c7gen check, warm: %.2fs (server start, fresh database, replay, diff, stop)\n' "$best"
}

replay_cached() { # N revisions after a TABLES-table baseline: autogenerate, nothing to do
    n=$1 tables=$2
    printf '\n== autogenerate with nothing to do: %d revisions after a %d-table baseline, nothing configured\n' "$n" "$tables"
    proj="$work/cached"
    mkdir -p "$proj/migrations"
    python3 "$root/tools/genschema.py" "$tables" "$proj/gen"
    {
        printf -- '-- revision: c00000000001\n-- parents:\n-- message: base\n'
        printf -- '-- created: 2026-01-01 00:00:00Z\n\n-- +upgrade\n'
        "$c7gen" --config /dev/null --models "$proj/gen/models" diff --from empty
        printf -- '\n-- +downgrade\n'
    } >"$proj/migrations/c00000000001_base.sql"
    parent=c00000000001
    for i in $(seq 2 "$n"); do
        id=$(printf 'c%011d' "$i")
        printf -- '-- revision: %s\n-- parents: %s\n-- message: step %d\n\n-- +upgrade\nCREATE TABLE tmp_%d (id int PRIMARY KEY, v text);\nDROP TABLE tmp_%d;\n\n-- +downgrade\nSELECT 1;\n' \
            "$id" "$parent" "$i" "$i" "$i" >"$proj/migrations/${id}_step.sql"
        parent=$id
    done
    ag() { (cd "$proj" && env -u C7GEN_DATABASE_URL -u DATABASE_URL C7GEN_TIMINGS=1 \
            C7GEN_SCRATCH_DIR="$work/cached-cluster" "$c7gen" --config /dev/null \
            --models gen/models --migrations migrations autogenerate -m none 2>&1 | grep '^timings:'); }
    t0=$(now); ag >/dev/null; cold=$(elapsed "$t0" "$(now)")
    best="" line=""
    for _ in 1 2 3; do
        t0=$(now); l=$(ag); t=$(elapsed "$t0" "$(now)")
        if [ -z "$best" ] || less "$t" "$best"; then best=$t line=$l; fi
    done
    printf 'first run (replays everything, fills the cache): %.2fs; warm: %.2fs (server start + copy %ss, replay %ss, introspect %ss)\n' \
        "$cold" "$best" "$(timing "$line" scratch)" "$(timing "$line" replay)" "$(timing "$line" introspect)"
    rm -rf "$work/cached-cluster"
}

proof() { # N: what autogenerate's proof of a revision adds, one small edit
    n=$1
    printf '\n== autogenerate at %d tables, one small edit: the proof (up, read back, down, read back)\n' "$n"
    proj="$work/proof$n"
    mkdir -p "$proj/migrations"
    python3 "$root/tools/genschema.py" "$n" "$proj/base"
    python3 "$root/tools/genschema.py" "$n" "$proj/edit" --edit
    {
        printf -- '-- revision: b0000000000%d\n-- parents:\n-- message: base\n' "$n"
        printf -- '-- created: 2026-01-01 00:00:00Z\n\n-- +upgrade\n'
        "$c7gen" --config /dev/null --models "$proj/base/models" diff --from empty
        printf -- '\n-- +downgrade\n'
    } >"$proj/migrations/b0000000000${n}_base.sql"
    # The proof's own phase, from c7gen's timings: the whole command also
    # replays the migrations into the scratch database, which varies far
    # more than the proof costs.
    best=""
    for run in 0 1 2 3; do
        line=$(cd "$proj" && env -u C7GEN_DATABASE_URL -u DATABASE_URL C7GEN_TIMINGS=1 "$c7gen" \
               --config /dev/null --models edit/models --migrations migrations \
               autogenerate -m edit 2>&1 | grep '^timings:') \
            || { echo "bench: autogenerate failed at $n tables" >&2; exit 1; }
        rm -f "$proj"/migrations/*_edit.sql
        [ "$run" = 0 ] && continue # warms the normalisation cache
        v=$(timing "$line" verify)
        if [ -z "$best" ] || less "$v" "$best"; then best=$v; fi
    done
    printf 'proof: %.3fs (whole diff before it: introspect %ss, normalise %ss, diff %ss)\n' \
        "$best" "$(timing "$line" introspect)" "$(timing "$line" normalize)" "$(timing "$line" diff)"
}

echo "c7gen benchmark on $(nproc) cores, $(uname -r), $(psql --version | head -1)"
if [ $# -eq 0 ]; then
    front_end
    scratch_startup
    database 100 1000 5000
    replay 300
    replay_cached 300 200
    proof 1000
    C7GEN=$c7gen python3 "$root/tools/bench-lsp.py" 1000
else
    database "$@"
    replay 300
fi

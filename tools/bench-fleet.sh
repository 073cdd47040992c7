#!/bin/bash
# bench-fleet.sh - a fleet upgrade at scale (docs/performance.md, "Fleets").
#
#   tools/bench-fleet.sh [DATABASES [CLUSTERS [SCHEMAS]]]    (default 500 3 1000)
#
# Starts CLUSTERS throwaway clusters (tools/pgcluster.sh), spreads DATABASES
# empty databases over them, and times `c7gen upgrade --targets all` of a
# small revision pair with --parallel 1, 4 and 16 (downgrading to base
# between runs, untimed).  For each: wall time, the peak of c7gen sessions
# per cluster (pg_stat_activity, every 20 ms), c7gen's CPU time per target
# (its own and its target processes', from wait4) and the largest resident
# size of any c7gen process.  Then one database with SCHEMAS tenant schemas,
# found by a discovery query, upgraded schema by schema.  Everything is
# removed at the end.
set -u
DBS=${1:-500}
NCLUSTERS=${2:-3}
NSCHEMAS=${3:-1000}
SRC=$(cd "$(dirname "$0")/.." && pwd)
C7GEN=${C7GEN:-$SRC/build/c7gen}
[ -x "$C7GEN" ] || { echo "build c7gen first (ninja -C build)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/c7gen-bench-fleet.XXXXXX)
clusters=()
cleanup() {
    for c in "${clusters[@]}"; do "$SRC/tools/pgcluster.sh" stop "$c"; done
    rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 "$NCLUSTERS"); do
    clusters+=("$("$SRC/tools/pgcluster.sh" start)") || exit 1
done
export PGUSER=postgres

echo "creating $DBS databases on $NCLUSTERS clusters..." >&2
for k in $(seq 0 $((NCLUSTERS - 1))); do
    for i in $(seq 1 "$DBS"); do
        [ $(((i - 1) % NCLUSTERS)) = "$k" ] && echo "CREATE DATABASE tenant_$i;"
    done | PGHOST=${clusters[$k]} psql -X -q -d postgres -v ON_ERROR_STOP=1 || exit 1
done

proj=$WORK/proj
mkdir -p "$proj/migrations" "$proj/models"
cd "$proj" || exit 1
cat >migrations/b0000001_tenants.sql <<'EOF'
-- revision: b0000001
-- parents:
-- message: tenants
-- created: 2026-01-01 00:00:00Z

-- +upgrade
CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, total numeric(12,2) NOT NULL);

-- +downgrade
DROP TABLE invoices;
DROP TABLE accounts;
EOF
cat >migrations/b0000002_due_date.sql <<'EOF'
-- revision: b0000002
-- parents: b0000001
-- message: due date
-- created: 2026-01-01 00:00:01Z

-- +upgrade
ALTER TABLE invoices ADD COLUMN due_on date;
CREATE INDEX invoices_account_id_idx ON invoices (account_id);

-- +downgrade
DROP INDEX invoices_account_id_idx;
ALTER TABLE invoices DROP COLUMN due_on;
EOF
for i in $(seq 1 "$DBS"); do
    echo "tenant_$i host=${clusters[$(((i - 1) % NCLUSTERS))]} user=postgres dbname=tenant_$i"
done >targets.txt
printf '[c7gen]\nmodels = models\nmigrations = migrations\n\n[targets]\nfile = targets.txt\n' >c7gen.ini

# One psql per cluster counting c7gen's sessions every 20 ms (\watch),
# until stopped; the peak per cluster is the largest count it saw.
samplers=()
sample_start() {
    samplers=()
    for k in "${!clusters[@]}"; do
        PGHOST=${clusters[$k]} psql -X -At -d postgres >"$WORK/samples.$k" 2>/dev/null \
            <<<"SELECT count(*) FROM pg_stat_activity WHERE application_name = 'c7gen' \watch 0.02" &
        samplers+=($!)
    done
}
sample_stop() {
    kill "${samplers[@]}" 2>/dev/null
    wait "${samplers[@]}" 2>/dev/null
}
peaks() {
    for k in "${!clusters[@]}"; do sort -n "$WORK/samples.$k" | tail -1; done | paste -sd/
}
# timed LABEL TARGETS c7gen-args...: prints one result row
timed() {
    local label=$1 n=$2; shift 2
    sample_start
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$C7GEN" --no-color "$@" >"$WORK/out" 2>"$WORK/err"
    local rc=$?
    sample_stop
    # time writes "Command exited with non-zero status N" first if so.
    read -r wall user sys rss < <(tail -1 "$WORK/time")
    printf '%-28s %6s %8.2f s %8s %10.1f ms %8.1f MB  exit %s\n' "$label" "$n" "$wall" "$(peaks)" \
        "$(echo "($user + $sys) * 1000 / $n" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$rc"
}

printf '%-28s %6s %10s %8s %13s %11s\n' "run" "targets" "wall" "peak" "c7gen cpu/target" "max rss"
for p in 1 4 16; do
    timed "upgrade --parallel $p" "$DBS" upgrade --targets all --parallel "$p"
    "$C7GEN" --no-color downgrade base --targets all --parallel 16 >/dev/null 2>&1
done
timed "current --parallel 16" "$DBS" current --targets all --parallel 16

# Schema per tenant: one database, a schema a tenant, a discovery query.
c=${clusters[0]}
PGHOST=$c psql -X -q -d postgres -c "CREATE DATABASE shared"
echo "SELECT format('CREATE SCHEMA s%s', i) FROM generate_series(1, $NSCHEMAS) i \gexec" |
    PGHOST=$c psql -X -q -d shared -v ON_ERROR_STOP=1 >/dev/null
cat >c7gen.ini <<EOF
[c7gen]
models = models
migrations = migrations

[targets]
query = SELECT 's' || i AS name, 'host=$c user=postgres dbname=shared' AS url, 's' || i AS schema FROM generate_series(1, $NSCHEMAS) i
control_url = host=$c user=postgres dbname=shared
EOF
for p in 4 16; do
    timed "schemas: upgrade --parallel $p" "$NSCHEMAS" upgrade --targets all --parallel "$p"
    [ "$p" = 16 ] || "$C7GEN" --no-color downgrade base --targets all --parallel 16 >/dev/null 2>&1
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2

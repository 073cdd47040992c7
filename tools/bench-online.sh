#!/bin/bash
# bench-online.sh - how long does the application wait while c7gen
# migrates?  On a private throwaway cluster (tools/pgcluster.sh), a table
# of ROWS rows (default 2,000,000) is written to by a separate connection
# every 5 ms (tools/bench-writer.c: a single-row UPDATE or INSERT) while
# `c7gen upgrade` applies a revision; the writer reports the longest wait
# of any of its statements.
#
#   tools/bench-online.sh [ROWS]
#
# Scenarios, each on a fresh copy of the loaded database:
#   atomic      a typical revision as one transaction (an index, a foreign
#               key, a check, SET NOT NULL, a unique constraint, an index
#               drop, a new column), as `autogenerate --atomic` writes it
#   online      the same changes as `autogenerate` writes them by default:
#               online steps (CONCURRENTLY, NOT VALID + VALIDATE, SET NOT
#               NULL over a validated check, a unique constraint USING
#               INDEX)
#   steps       the same changes written in online steps by hand
#   holder_off  a session holds a lock on the table for 6 s while the
#               upgrade adds a column, with ddl_lock_timeout off (what a
#               plain ALTER TABLE does)
#   holder_200  the same with ddl_lock_timeout = 200ms
#
# Needs the build (build/c7gen), cc, libpq-dev and the PostgreSQL server
# binaries; stops its cluster however it ends.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-2000000}
users=1000
c7gen=$root/build/c7gen
[ -x "$c7gen" ] || { echo "bench-online: build c7gen first (tools/bootstrap.sh)" >&2; exit 1; }

work=$(mktemp -d /tmp/c7gen-bench-online.XXXXXX)
chmod 755 "$work"
cluster=""
cleanup() {
    [ -n "$cluster" ] && "$root/tools/pgcluster.sh" stop "$cluster"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

cc -O2 -std=c11 -D_GNU_SOURCE -I"$(pg_config --includedir)" -o "$work/writer" \
    "$root/tools/bench-writer.c" -lpq
cluster=$("$root/tools/pgcluster.sh" start)
export PGHOST=$cluster PGPORT=5432 PGUSER=postgres
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "bench-online: loading $rows rows..."
t0=$(date +%s%N)
psql_q -d postgres -c "CREATE DATABASE base"
psql_q -d base <<SQL
CREATE TABLE users (id bigint PRIMARY KEY);
INSERT INTO users SELECT generate_series(1, $users);
CREATE TABLE big (
    id bigserial PRIMARY KEY,
    user_id bigint,
    v integer NOT NULL DEFAULT 0,
    code text,
    note text,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO big (user_id, v, code, note)
    SELECT 1 + g % $users, g % 100, 'c' || g, md5(g::text) FROM generate_series(1, $rows) g;
CREATE INDEX big_note_idx ON big (note);
VACUUM ANALYZE;
SQL
echo "bench-online: loaded in $(( ($(date +%s%N) - t0) / 1000000000 )) s"

revision() { # DIR BODY-FILE: a one-revision project
    mkdir -p "$1/migrations" "$1/models"
    { printf -- '-- revision: bbbb00000001\n-- parents:\n-- message: bench\n\n'; cat "$2"; } \
        >"$1/migrations/bbbb00000001_bench.sql"
}

# The loaded schema as a revision, and the models of the typical change,
# for the generated scenarios.
cat >"$work/base.sql" <<'SQL'
-- +upgrade
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE big (
    id bigserial PRIMARY KEY,
    user_id bigint,
    v integer NOT NULL DEFAULT 0,
    code text,
    note text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX big_note_idx ON big (note);

-- +downgrade
DROP TABLE big;
DROP TABLE users;
SQL
cat >"$work/after.c7" <<'C7'
table users { id bigint primary key }
table big {
  id bigserial primary key
  user_id bigint not null references users
  v int not null default 0 check (v >= 0)
  code text unique
  note text
  created_at timestamptz not null default now()
  flag boolean
  index (user_id)
}
C7

# generated NAME [--atomic]: autogenerate's revision for the typical
# change, made against database NAME, as the body of the scenario NAME.
generated() {
    local dir="$work/gen_$1"
    revision "$dir" "$work/base.sql"
    cp "$work/after.c7" "$dir/models/"
    psql_q -d postgres -c "CREATE DATABASE gen_$1 TEMPLATE base"
    (cd "$dir" && "$c7gen" --config /dev/null --no-color --models models --migrations migrations \
        --url "host=$cluster port=5432 user=postgres dbname=gen_$1" stamp bbbb00000001 >/dev/null &&
     "$c7gen" --config /dev/null --no-color --models models --migrations migrations \
        --url "host=$cluster port=5432 user=postgres dbname=gen_$1" \
        autogenerate -m typical --no-verify ${2:-} >/dev/null) 2>"$work/gen_$1.err" ||
        { cat "$work/gen_$1.err" >&2; exit 1; }
    psql_q -d postgres -c "DROP DATABASE gen_$1"
    sed -n '/^-- +upgrade/,$p' "$dir"/migrations/*_typical.sql >"$work/$1.sql"
    echo "bench-online: autogenerate ${2:-} wrote:"
    sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$work/$1.sql" | sed 's/^/    /'
}

generated atomic --atomic
generated online

cat >"$work/steps.sql" <<'SQL'
-- +upgrade
-- +step
ALTER TABLE big ADD COLUMN flag boolean;
-- +step transaction: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS big_user_id_idx ON big (user_id);
-- +step
ALTER TABLE big ADD CONSTRAINT big_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
-- +step
ALTER TABLE big VALIDATE CONSTRAINT big_user_id_fkey;
-- +step
ALTER TABLE big ADD CONSTRAINT big_v_check CHECK (v >= 0) NOT VALID;
-- +step
ALTER TABLE big VALIDATE CONSTRAINT big_v_check;
-- +step
ALTER TABLE big ADD CONSTRAINT big_user_id_not_null CHECK (user_id IS NOT NULL) NOT VALID;
-- +step
ALTER TABLE big VALIDATE CONSTRAINT big_user_id_not_null;
-- +step
ALTER TABLE big ALTER COLUMN user_id SET NOT NULL;
ALTER TABLE big DROP CONSTRAINT big_user_id_not_null;
-- +step transaction: none
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS big_code_key ON big (code);
-- +step
ALTER TABLE big ADD CONSTRAINT big_code_key UNIQUE USING INDEX big_code_key;
-- +step transaction: none
DROP INDEX CONCURRENTLY IF EXISTS big_note_idx;

-- +downgrade
SELECT 1;
SQL

cat >"$work/column.sql" <<'SQL'
-- +upgrade
ALTER TABLE big ADD COLUMN flag boolean;

-- +downgrade
ALTER TABLE big DROP COLUMN flag;
SQL

# scenario NAME BODY DDL_LOCK_TIMEOUT HOLDER_SECONDS
scenario() {
    local name=$1 body=$2 timeout=$3 hold=$4 dir="$work/$1" stop="$work/$1.stop"
    psql_q -d postgres -c "CREATE DATABASE $name TEMPLATE base"
    revision "$dir" "$body"
    rm -f "$stop"
    "$work/writer" "host=$cluster port=5432 user=postgres dbname=$name" 5 "$rows" "$users" \
        "$stop" >"$work/$name.writer" 2>"$work/$name.writer.err" &
    local writer=$! holder=""
    sleep 1
    if [ "$hold" != 0 ]; then
        psql_q -d "$name" -c "BEGIN; SELECT count(*) FROM big WHERE id < 10; SELECT pg_sleep($hold); COMMIT;" \
            >/dev/null &
        holder=$!
        sleep 0.5
    fi
    local t0 rc
    t0=$(date +%s%N)
    (cd "$dir" && "$c7gen" --config /dev/null --no-color \
        --url "host=$cluster port=5432 user=postgres dbname=$name" \
        upgrade --ddl-lock-timeout "$timeout") >"$work/$name.upgrade" 2>&1 && rc=0 || rc=$?
    local took_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ -n "$holder" ] && wait "$holder"
    sleep 1
    touch "$stop"
    wait "$writer"
    local retries
    retries=$(grep -c "lock timeout after" "$work/$name.upgrade" || true)
    printf '%-11s upgrade exit %s in %6d ms, %2s retries | writer: %s\n' \
        "$name" "$rc" "$took_ms" "$retries" "$(cat "$work/$name.writer")"
    if [ -s "$work/$name.writer.err" ]; then sed 's/^/    /' "$work/$name.writer.err" | sort | uniq -c | head -5; fi
    if [ "$rc" != 0 ]; then sed 's/^/    /' "$work/$name.upgrade"; fi
    psql_q -d postgres -c "DROP DATABASE $name"
}

echo "bench-online: $(nproc) cores, PostgreSQL $(psql -X -At -d postgres -c 'SHOW server_version')"
scenario atomic "$work/atomic.sql" off 0
scenario online "$work/online.sql" 2s 0
scenario steps "$work/steps.sql" 2s 0
scenario holder_off "$work/column.sql" off 6
scenario holder_200 "$work/column.sql" 200ms 6

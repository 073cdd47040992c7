#!/bin/bash
# Fault injection against a real server, on a private cluster this test
# may crash: c7gen killed mid-revision, the server crash-restarted
# mid-upgrade, connections that fail, an unwritable migrations/, and
# revision files that are not text.  Each must end in a clear error, the
# database and version tables as they were, no stale lock, and a rerun
# that works.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

cluster=$("$C7GEN_SRCDIR/tools/pgcluster.sh" start) || { echo "cannot start a cluster"; exit 1; }
trap 'cd / && "$C7GEN_SRCDIR/tools/pgcluster.sh" stop "$cluster"; remove_work' EXIT
PGHOST=$cluster
url="host=$cluster port=5432 user=postgres dbname=postgres"
q() { psql -X -q -At -h "$cluster" -U postgres -d postgres -c "$1"; }

proj="$WORK/proj"
mkdir -p "$proj/models"
cd "$proj" || exit 1
c7() { "$C7GEN" --config /dev/null --no-color --models models --migrations migrations "$@"; }
c7 revision -m slow >/dev/null
rev=$(ls migrations/*_slow.sql)
# Slow only when the session asks (PGOPTIONS), so reruns are quick.
sed -i 's/^-- +upgrade$/-- +upgrade\nCREATE TABLE slow_t (id integer);\nSELECT pg_sleep(CASE WHEN current_setting('"'"'c7test.slow'"'"', true) = '"'"'on'"'"' THEN 60 ELSE 0 END);/;
        s/^-- +downgrade$/-- +downgrade\nDROP TABLE slow_t;/' "$rev"

wait_for_sleep() {
    for _ in $(seq 100); do
        [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(CASE%' AND pid <> pg_backend_pid()")" = 1 ] && return 0
        sleep 0.1
    done
    return 1
}
state_is_clean() { # what
    local t rows locks
    t=$(q "SELECT to_regclass('public.slow_t') IS NULL")
    rows=$(q "SELECT CASE WHEN to_regclass('public.c7gen_revisions') IS NULL THEN 0
              ELSE (SELECT count(*) FROM (SELECT 1 FROM c7gen_revisions) r) END")
    locks=$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
    if [ "$t" = t ] && [ "$rows" = 0 ] && [ "$locks" = 0 ]; then
        ok "$1: no partial revision, no version row, no lock"
    else
        not_ok "$1: no partial revision ($t), no version row ($rows), no lock ($locks)"
    fi
}
applied_once() { # what
    local rows
    rows=$(q "SELECT count(*) FROM c7gen_revisions")
    [ "$(q "SELECT to_regclass('public.slow_t') IS NOT NULL")" = t ] && [ "$rows" = 1 ] &&
        ok "$1" || not_ok "$1 (version rows: $rows)"
}

# 1. kill -9 in the middle of the revision (c7gen itself, not a shell
# around it, is the background job).
PGOPTIONS="-c c7test.slow=on" C7GEN_DATABASE_URL=$url "$C7GEN" --config /dev/null --no-color \
    --models models --migrations migrations upgrade >"$WORK/kill.log" 2>&1 &
pid=$!
if wait_for_sleep; then
    kill -9 $pid
    wait $pid 2>/dev/null
    # The server notices the vanished client within a second or so
    # (client_connection_check_interval), not after the 60 s sleep.
    start=$(date +%s)
    while [ "$(q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(CASE%' AND pid <> pg_backend_pid()")" != 0 ] &&
          [ $(( $(date +%s) - start )) -lt 30 ]; do sleep 0.2; done
    took=$(( $(date +%s) - start ))
    [ $took -lt 10 ] && ok "the server ends the dead client's statement promptly (${took}s)" ||
        not_ok "the server ends the dead client's statement promptly (${took}s)"
    state_is_clean "after kill -9"
else
    not_ok "the slow revision started"; cat "$WORK/kill.log"
fi
C7GEN_DATABASE_URL=$url c7 upgrade >"$WORK/rerun.log" 2>&1 && applied_once "after kill -9 the next upgrade applies the revision once" ||
    { not_ok "the next upgrade succeeds"; cat "$WORK/rerun.log"; }

# 2. The server crash-restarts during an upgrade.
C7GEN_DATABASE_URL=$url c7 downgrade base >/dev/null 2>&1 || not_ok "downgrade base"
PGOPTIONS="-c c7test.slow=on" C7GEN_DATABASE_URL=$url "$C7GEN" --config /dev/null --no-color \
    --models models --migrations migrations upgrade >"$WORK/crash.out" 2>"$WORK/crash.err" &
pid=$!
if wait_for_sleep; then
    (cd / && "$C7GEN_SRCDIR/tools/pgcluster.sh" restart "$cluster")
    wait $pid
    status=$?
    [ $status = 3 ] && ok "a server crash mid-upgrade exits 3" || { not_ok "a server crash mid-upgrade exits 3 ($status)"; cat "$WORK/crash.err"; }
    grep -q "$(basename "$rev")" "$WORK/crash.err" && ! grep -qi "bug\|sanitizer" "$WORK/crash.err" &&
        ok "and names the revision file" || { not_ok "and names the revision file"; cat "$WORK/crash.err"; }
    rows=$(q "SELECT count(*) FROM c7gen_revisions")
    [ "$(q "SELECT to_regclass('public.slow_t') IS NULL")" = t ] && [ "$rows" = 0 ] &&
        ok "the crash left no partial revision and no version row" || not_ok "the crash left no partial revision ($rows rows)"
else
    not_ok "the slow revision started before the crash"; cat "$WORK/crash.err"
fi
C7GEN_DATABASE_URL=$url c7 upgrade >"$WORK/rerun2.log" 2>&1 && applied_once "after the crash a rerun applies the revision once" ||
    { not_ok "a rerun after the crash succeeds"; cat "$WORK/rerun2.log"; }

# 3. Connections that fail: one line naming host, port and database, exit 3.
q "CREATE ROLE pw LOGIN PASSWORD 'right-pass-1'" >/dev/null
sed -i "1i local all pw scram-sha-256" "$cluster/data/pg_hba.conf"
q "SELECT pg_reload_conf()" >/dev/null
conn_fails() { # what url secret-that-must-not-appear
    local out status lines
    out=$(C7GEN_DATABASE_URL=$2 c7 current 2>&1)
    status=$?
    lines=$(echo "$out" | grep -vc '^c7gen: using ')
    if [ $status = 3 ] && [ "$lines" = 1 ] && echo "$out" | grep -q "host=" &&
       echo "$out" | grep -q "port=" && echo "$out" | grep -q "dbname=" &&
       { [ -z "$3" ] || ! echo "$out" | grep -qF -- "$3"; }; then
        ok "$1: exit 3, one line naming host, port and database"
    else
        not_ok "$1 (exit $status)"; echo "$out"
    fi
}
conn_fails "refused connection" "host=$cluster port=5999 user=postgres dbname=postgres" ""
conn_fails "missing database" "host=$cluster port=5432 user=postgres dbname=no_such_db" ""
conn_fails "wrong password" "host=$cluster port=5432 user=pw password=wrong-sekrit-9 dbname=postgres" "wrong-sekrit-9"
conn_fails "wrong password in a URL" "postgresql://pw:wrong-sekrit-8@/postgres?host=$cluster" "wrong-sekrit-8"

# 4. An unwritable migrations/: a clear error, no file, no temp file left.
# Root writes anywhere, so as root the command runs as the postgres user.
unw=$(mktemp -d /tmp/c7gen-unwritable.XXXXXX)
mkdir -p "$unw/models" "$unw/migrations"
cp "${C7GEN_REAL:-$C7GEN}" "$unw/c7gen"
chmod 755 "$unw" "$unw/c7gen"
chmod 555 "$unw/migrations"
if [ "$(id -u)" = 0 ]; then as_user() { runuser -u postgres -- "$@"; }; else as_user() { "$@"; }; fi
out=$(cd "$unw" && as_user ./c7gen --config /dev/null --no-color revision -m "cannot write" 2>&1)
status=$?
[ $status != 0 ] && echo "$out" | grep -q "migrations" && echo "$out" | grep -qi "permission denied" &&
    ok "unwritable migrations/: a clear error (exit $status)" || { not_ok "unwritable migrations/ (exit $status)"; echo "$out"; }
[ -z "$(ls -A "$unw/migrations")" ] && ok "and nothing written there" || { not_ok "and nothing written there"; ls -la "$unw/migrations"; }
rm -rf "$unw"

# 5. Revision files that are not text, or not whole.
bad="$WORK/bad"
for kind in nul utf8 nosection; do
    mkdir -p "$bad/$kind/migrations"
    f="$bad/$kind/migrations/0123456789ab_broken.sql"
    case $kind in
        nul) printf -- '-- revision: 0123456789ab\n-- parents:\n-- message: x\n\n-- +upgrade\nSELECT 1;\0\n-- +downgrade\n' >"$f" ;;
        utf8) printf -- '-- revision: 0123456789ab\n-- parents:\n-- message: \xff\xfe\n\n-- +upgrade\n-- +downgrade\n' >"$f" ;;
        nosection) printf -- '-- revision: 0123456789ab\n-- parents:\n-- message: x\n\n-- +upgrade\nSELECT 1;\n' >"$f" ;;
    esac
    out=$("$C7GEN" --config /dev/null --no-color --migrations "$bad/$kind/migrations" history 2>&1)
    status=$?
    [ $status = 2 ] && echo "$out" | grep -q "0123456789ab_broken.sql" &&
        ok "revision file ($kind): an error naming the file (exit 2)" || { not_ok "revision file ($kind) (exit $status)"; echo "$out"; }
done
finish

#!/bin/bash
# DDL lock timeouts with retries against a real server: while another
# session holds a lock on the table, a revision's statement gives up its
# place in the lock queue after ddl_lock_timeout, says what it waited for
# (the lock, the table, the session holding it), and the step is retried
# until it succeeds or the retries are used up; a transactional step is
# retried whole, a step outside a transaction from the statement that
# timed out; a revision may opt out; c7gen.ini and the flags set it.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

proj="$WORK/proj"
mkdir -p "$proj/migrations" "$proj/models"
cd "$proj" || exit 1
db=$(new_db main)
export C7GEN_DATABASE_URL
C7GEN_DATABASE_URL=$(conninfo "$db")
c7() { "$C7GEN" --config /dev/null --no-color --models models --migrations migrations "$@"; }
q() { psql_q "$db" -At -c "$1"; }
expect() { # description expected actual
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi
}
contains() { # description haystack needle...
    local what=$1 text=$2; shift 2
    for needle in "$@"; do
        case "$text" in *"$needle"*) ;; *) not_ok "$what"; echo "  missing: $needle"; echo "$text"; return;; esac
    done
    ok "$what"
}
rev() { # ID PARENT, the body on stdin
    { echo "-- revision: $1"; echo "-- parents: $2"; echo "-- message: revision $1"; cat; } \
        >"migrations/${1}_revision_${1}.sql"
}
columns() { q "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 AND NOT attisdropped"; }

# block SECONDS: a session that reads t in a transaction and keeps its lock
# for SECONDS; returns once the lock is held, with the session's pid in
# $blocker_pid.
block() {
    psql_q "$db" -c "BEGIN; SELECT count(*) FROM t; SELECT pg_sleep($1); COMMIT;" >/dev/null &
    blocker=$!
    for _ in $(seq 100); do
        blocker_pid=$(q "SELECT pid FROM pg_locks WHERE relation = 't'::regclass AND granted AND pid <> pg_backend_pid() LIMIT 1")
        [ -n "$blocker_pid" ] && return 0
        sleep 0.05
    done
    not_ok "the blocking session took its lock"
}

q "CREATE TABLE t (id int); CREATE TABLE steplog (what text)" >/dev/null

# --- a lock held for 2 s: the step times out, retries, and succeeds
rev aaaa0001 "" <<'EOF'
-- +upgrade
INSERT INTO steplog VALUES ('first statement of the step');
ALTER TABLE t ADD COLUMN a int;
-- +downgrade
ALTER TABLE t DROP COLUMN a;
EOF
block 2
out=$(c7 upgrade --ddl-lock-timeout 200ms 2>&1); rc=$?
wait "$blocker"
expect "the upgrade succeeds after the lock is released" "0" "$rc"
contains "each retry says what it waited for, and who held it" "$out" \
    "lock timeout after 200 ms, retry 1 of 10 in " \
    "waited for AccessExclusiveLock on table public.t, held by pid $blocker_pid (" \
    "last query: BEGIN; SELECT count(*) FROM t; SELECT pg_sleep(2); COMMIT;)"
expect "the column was added" "id,a" "$(columns)"
expect "the transactional step was retried whole: its first statement counted once" "1" \
    "$(q "SELECT count(*) FROM steplog")"

# --- the retries run out: the failure names the statement and the lock
rev bbbb0001 aaaa0001 <<'EOF'
-- +upgrade
ALTER TABLE t ADD COLUMN b int;
-- +downgrade
ALTER TABLE t DROP COLUMN b;
EOF
block 3
err=$(c7 upgrade --ddl-lock-timeout 100ms --ddl-retries 1 2>&1 >/dev/null); rc=$?
wait "$blocker"
expect "when the retries run out the upgrade exits 3" "3" "$rc"
contains "the error names the file, the statement, the lock and the retries" "$err" \
    "migrations/bbbb0001_revision_bbbb0001.sql:5:1: error: canceling statement due to lock timeout" \
    "note: it waited for AccessExclusiveLock on table public.t, held by pid $blocker_pid" \
    "note: gave up after 1 retry"
expect "and the column was not added" "id,a" "$(columns)"

# --- c7gen.ini sets them; a flag overrides c7gen.ini
printf '[c7gen]\nddl_lock_timeout = 100ms\nddl_retries = 0\n' >"$WORK/c7gen.ini"
block 2
err=$("$C7GEN" --config "$WORK/c7gen.ini" --no-color --models models --migrations migrations upgrade 2>&1); rc=$?
contains "ddl_lock_timeout and ddl_retries from c7gen.ini apply" "$rc $err" "3 " \
    "canceling statement due to lock timeout" "gave up after 0 retries"
out=$("$C7GEN" --config "$WORK/c7gen.ini" --no-color --models models --migrations migrations \
      upgrade --ddl-retries 10 2>&1); rc=$?
wait "$blocker"
expect "--ddl-retries overrides c7gen.ini" "0" "$rc"
contains "and the step retried" "$out" "lock timeout after 100 ms, retry 1 of 10"

# --- a step outside a transaction retries only the statement that timed out
rev cccc0001 bbbb0001 <<'EOF'
-- +upgrade
-- +step transaction: none
INSERT INTO steplog VALUES ('autocommitted');
ALTER TABLE t ADD COLUMN c int;
-- +downgrade
ALTER TABLE t DROP COLUMN c;
EOF
block 1.5
out=$(c7 upgrade --ddl-lock-timeout 200ms 2>&1); rc=$?
wait "$blocker"
expect "a step outside a transaction succeeds after retries" "0 id,a,b,c" "$rc $(columns)"
contains "it retried" "$out" "retry 1 of 10"
expect "its statement before the one that timed out ran once" "1" \
    "$(q "SELECT count(*) FROM steplog WHERE what = 'autocommitted'")"

# --- a revision that opts out waits in the queue as PostgreSQL does
rev dddd0001 cccc0001 <<'EOF'
-- ddl-lock-timeout: off
-- +upgrade
ALTER TABLE t ADD COLUMN d int;
-- +downgrade
ALTER TABLE t DROP COLUMN d;
EOF
block 1
out=$(c7 upgrade --ddl-lock-timeout 100ms --ddl-retries 0 2>&1); rc=$?
wait "$blocker"
expect "'ddl-lock-timeout: off' waits for the lock instead of timing out" "0 id,a,b,c,d" "$rc $(columns)"
case "$out" in *"lock timeout"*) not_ok "and never times out"; echo "$out";; *) ok "and never times out";; esac

# --- bad values are usage errors
err=$(c7 upgrade --ddl-lock-timeout soon 2>&1); rc=$?
contains "a bad --ddl-lock-timeout is a usage error" "$rc $err" "2 " \
    "--ddl-lock-timeout takes 'off' or a duration in PostgreSQL's units (200ms, 2s, 1min), not 'soon'"
printf '[c7gen]\nddl_retries = many\n' >"$WORK/bad.ini"
err=$("$C7GEN" --config "$WORK/bad.ini" --no-color --models models --migrations migrations upgrade 2>&1); rc=$?
contains "a bad ddl_retries in c7gen.ini is a usage error" "$rc $err" "2 " \
    "ddl_retries takes a number from 0 to 1000, not 'many'"
finish

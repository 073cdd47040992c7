#!/bin/bash
# Steps in revision files against a real server: a revision runs step by
# step with its progress recorded; a failing step is reported at its file
# and line with the step named and leaves the revision applied part way
# (shown by current and check); the next upgrade resumes at that step and
# a downgrade undoes exactly the steps done; kill -9 during a transactional
# step and during a concurrent index build, then upgrade, completes the
# revision with no INVALID index and no step run twice; the offline script
# carries the same steps; revisions without markers behave as before.
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
# rev ID PARENT FILE-BODY (header lines and both sections)
rev() {
    { echo "-- revision: $1"; echo "-- parents: $2"; echo "-- message: revision $1"; echo; cat; } \
        >"migrations/${1}_revision_${1}.sql"
}
progress() { q "SELECT coalesce(string_agg(revision || ' ' || direction || ' ' || steps_done || '/' || steps || ' ' || statements_done, ','), '') FROM c7gen_progress"; }
applied() { q "SELECT coalesce(string_agg(revision, ',' ORDER BY revision), '') FROM c7gen_revisions"; }
logged() { q "SELECT coalesce(string_agg(what, ',' ORDER BY id), '') FROM steplog"; }

# --- a revision without markers: exactly as before (one line, one
# transaction, no progress row, a failure leaves nothing and names no step)
rev aaaa0001 "" <<'EOF'
-- +upgrade
CREATE TABLE steplog (id serial PRIMARY KEY, what text NOT NULL);
CREATE TABLE t (id int PRIMARY KEY, c int);
INSERT INTO t SELECT g, NULL FROM generate_series(1, 20) g;

-- +downgrade
DROP TABLE t;
DROP TABLE steplog;
EOF
out=$(c7 upgrade 2>/dev/null)
case "$out" in "Upgrading aaaa0001  revision aaaa0001  ok ("*" ms)") ok "an unmarked revision prints one line, as before";;
    *) not_ok "an unmarked revision prints one line, as before"; echo "$out";; esac
rev aaaa0002 aaaa0001 <<'EOF'
-- +upgrade
INSERT INTO steplog (what) VALUES ('unmarked');
ALTER TABLE t ALTER COLUMN c SET NOT NULL;

-- +downgrade
SELECT 1;
EOF
err=$(c7 upgrade 2>&1 >/dev/null); rc=$?
expect "an unmarked failing revision exits 3" "3" "$rc"
contains "its error is at the file and line, and names no step" "$err" \
    "migrations/aaaa0002_revision_aaaa0002.sql:7:1: error: column \"c\" of relation \"t\" contains null values"
case "$err" in *"step "[0-9]*) not_ok "no step is mentioned"; echo "$err";; *) ok "no step is mentioned";; esac
expect "and it leaves nothing applied: no row, no progress, no statement" "aaaa0001||" "$(applied)|$(progress)|$(logged)"
rm migrations/aaaa0002_*

# --- steps run in order, each recorded; the version row comes with the last
rev bbbb0001 aaaa0001 <<'EOF'
-- +upgrade
INSERT INTO steplog (what) VALUES ('up 1');
ALTER TABLE t ADD COLUMN d int;
-- +step
INSERT INTO steplog (what) VALUES ('up 2');
ALTER TABLE t ALTER COLUMN c SET NOT NULL;
-- +step transaction: none
INSERT INTO steplog (what) VALUES ('up 3');
CREATE INDEX CONCURRENTLY IF NOT EXISTS t_d_idx ON t (d);

-- +downgrade
-- +step transaction: none
INSERT INTO steplog (what) VALUES ('down 1');
DROP INDEX CONCURRENTLY IF EXISTS t_d_idx;
-- +step
INSERT INTO steplog (what) VALUES ('down 2');
ALTER TABLE t ALTER COLUMN c DROP NOT NULL;
-- +step
INSERT INTO steplog (what) VALUES ('down 3');
ALTER TABLE t DROP COLUMN d;
EOF
err=$(c7 upgrade 2>&1 >"$WORK/up.out"); rc=$?
out=$(cat "$WORK/up.out")
expect "a step that fails exits 3" "3" "$rc"
contains "the failure is reported at its file and line, with the step named" "$err" \
    "migrations/bbbb0001_revision_bbbb0001.sql:10:1: error: column \"c\" of relation \"t\" contains null values" \
    "note: in step 2 of 3 of the upgrade" \
    "steps 1 to 1 of the upgrade are applied; the next 'c7gen upgrade' resumes at step 2"
contains "the progress lines name each step" "$out" "Upgrading bbbb0001  revision bbbb0001
  step 1 of 3  ok (" "  step 2 of 3  FAILED"
expect "step 1 stays applied and recorded, step 2 rolled back" "bbbb0001 upgrade 1/3 0|up 1" "$(progress)|$(logged)"
expect "the version row waits for the last step" "aaaa0001" "$(applied)"
out=$(c7 current 2>/dev/null); rc=$?
expect "current exits 1 on a revision applied part way" "1" "$rc"
contains "current shows where it stopped" "$out" "bbbb0001 (head)  revision bbbb0001  (applied part way)" \
    "the upgrade stopped after step 1 of 3; next: step 2 (migrations/bbbb0001_revision_bbbb0001.sql:8)"
out=$(c7 check 2>/dev/null); rc=$?
expect "check against the database fails" "1" "$rc"
contains "and names the revision applied part way" "$out" \
    "migrations/bbbb0001_revision_bbbb0001.sql: revision bbbb0001 is applied part way: the upgrade stopped after step 1 of 3"
h=$(q "SELECT error FROM c7gen_history WHERE NOT success AND revision = 'bbbb0001'")
expect "the history names the step" 'step 2 of 3: column "c" of relation "t" contains null values' "$h"

# --- the next upgrade resumes at the failed step: step 1 is not run again
q "UPDATE t SET c = 0" >/dev/null
out=$(c7 upgrade 2>&1); rc=$?
expect "after the data is fixed, upgrade succeeds" "0" "$rc"
contains "it says it resumes" "$out" "(resuming at step 2 of 3)"
expect "steps 2 and 3 ran, step 1 did not run again" "up 1,up 2,up 3" "$(logged)"
expect "the version row is written and the progress gone" "aaaa0001,bbbb0001|" "$(applied)|$(progress)"
expect "the concurrent index is valid" "t" "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_d_idx'::regclass")"

# --- downgrade of a revision applied part way undoes exactly the steps done
c7 downgrade aaaa0001 >/dev/null 2>&1
expect "a full downgrade runs every downgrade step" "up 1,up 2,up 3,down 1,down 2,down 3" "$(logged)"
q "TRUNCATE steplog; UPDATE t SET c = NULL WHERE id = 1" >/dev/null
catalog "$db" >"$WORK/before.cat"
c7 upgrade >/dev/null 2>&1
expect "the upgrade stops after step 1 again" "bbbb0001 upgrade 1/3 0" "$(progress)"
out=$(c7 downgrade -1 2>&1); rc=$?
expect "downgrade -1 of the partial revision succeeds" "0" "$rc"
contains "it says what it undoes" "$out" "(undoing the 1 step its upgrade did before it stopped)" "  step 3 of 3  ok ("
expect "only the downgrade step paired with upgrade step 1 ran" "up 1,down 3" "$(logged)"
expect "no version row and no progress are left" "aaaa0001|" "$(applied)|$(progress)"
catalog "$db" >"$WORK/after.cat"
if diff -u "$WORK/before.cat" "$WORK/after.cat" >"$WORK/cat.diff"; then
    ok "the catalog is back to what it was before the upgrade"
else
    not_ok "the catalog is back to what it was before the upgrade"; cat "$WORK/cat.diff"
fi

# --- a partial revision whose sections have different step counts cannot
# be undone step for step: a clear refusal, nothing changed
rev cccc0001 bbbb0001 <<'EOF'
-- +upgrade
-- +step
INSERT INTO steplog (what) VALUES ('c up 1');
-- +step
SELECT 1/0;

-- +downgrade
DELETE FROM steplog WHERE what = 'c up 1';
EOF
q "UPDATE t SET c = 0" >/dev/null
q "TRUNCATE steplog" >/dev/null
c7 upgrade >/dev/null 2>&1
err=$(c7 downgrade -1 2>&1); rc=$?
expect "downgrading it is refused" "3" "$rc"
contains "naming the revision and why" "$err" "cannot downgrade revision cccc0001: its upgrade stopped after step 1 of 2, and its downgrade has 1 step"
expect "and nothing changed" "cccc0001 upgrade 1/2 0|up 1,up 2,up 3,c up 1" "$(progress)|$(logged)"
cp migrations/cccc0001_revision_cccc0001.sql "$WORK/cccc.sql"
sed -i 's|SELECT 1/0;|SELECT 1;|' migrations/cccc0001_revision_cccc0001.sql
err=$(c7 upgrade 2>&1); rc=$?
contains "a file edited after it was applied part way is refused" "$rc $err" "2 " \
    "revision cccc0001 (migrations/cccc0001_revision_cccc0001.sql) was edited after it was applied part way"
cp "$WORK/cccc.sql" migrations/cccc0001_revision_cccc0001.sql
c7 stamp bbbb0001 >/dev/null 2>&1
expect "stamp to its parent forgets the progress" "aaaa0001,bbbb0001|" "$(applied)|$(progress)"
rm migrations/cccc0001_*

# --- kill -9 during a transactional step and during a concurrent index
# build; the next upgrade finishes with nothing run twice
q "TRUNCATE steplog" >/dev/null
rev dddd0001 bbbb0001 <<'EOF'
-- +upgrade
CREATE FUNCTION slow_id(int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('c7test.slow_build', true) = 'on' THEN
        PERFORM pg_sleep(0.2);
    END IF;
    RETURN $1;
END $$;
INSERT INTO steplog (what) VALUES ('d up 1');
-- +step
INSERT INTO steplog (what) VALUES ('d up 2');
SELECT pg_sleep(CASE WHEN current_setting('c7test.slow_step', true) = 'on' THEN 30 ELSE 0 END);
-- +step transaction: none
CREATE INDEX CONCURRENTLY t_slow_idx ON t (slow_id(id));
-- +step
INSERT INTO steplog (what) VALUES ('d up 4');

-- +downgrade
DROP INDEX t_slow_idx;
DROP FUNCTION slow_id(int);
EOF
slow_upgrade() { # SETTING: starts c7gen itself in the background, slow where SETTING says
    PGOPTIONS="-c c7test.$1=on" "$C7GEN" --config /dev/null --no-color --models models \
        --migrations migrations upgrade >"$WORK/slow.out" 2>&1 &
    pid=$!
}
wait_until() { # SQL that turns true
    for _ in $(seq 150); do [ "$(q "$1")" = t ] && return 0; sleep 0.1; done
    return 1
}
gone() { wait_until "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'c7gen' AND pid <> pg_backend_pid()"; }
slow_upgrade slow_step
if wait_until "SELECT count(*) = 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(CASE%' AND pid <> pg_backend_pid()"; then
    kill -9 "$pid"; wait "$pid" 2>/dev/null
    gone || not_ok "the server ends the killed run's session"
    expect "killed in step 2: step 1 is recorded, step 2 rolled back" "dddd0001 upgrade 1/4 0|d up 1" "$(progress)|$(logged)"
else
    not_ok "the slow transactional step started"; cat "$WORK/slow.out"
fi
slow_upgrade slow_build
if wait_until "SELECT count(*) = 1 FROM pg_index WHERE NOT indisvalid"; then
    kill -9 "$pid"; wait "$pid" 2>/dev/null
    gone || not_ok "the server ends the killed build's session"
    expect "killed during the build: an INVALID index is left, step 2 recorded" \
        "t_slow_idx false|dddd0001 upgrade 2/4 0" \
        "$(q "SELECT indexrelid::regclass || ' ' || indisvalid FROM pg_index WHERE indrelid = 't'::regclass AND indexrelid::regclass::text = 't_slow_idx'")|$(progress)"
else
    not_ok "the slow index build started"; cat "$WORK/slow.out"
fi
out=$(c7 upgrade 2>&1); rc=$?
expect "the next upgrade completes the revision" "0" "$rc"
contains "it drops the INVALID index and builds it again" "$out" "(resuming at step 3 of 4)" \
    "dropped the INVALID index public.t_slow_idx left by an interrupted build"
expect "no INVALID index is left, the rebuilt one is valid" "0 true" \
    "$(q "SELECT count(*) FILTER (WHERE NOT indisvalid) || ' ' || bool_and(indisvalid) FROM pg_index WHERE indrelid = 't'::regclass")"
expect "each step ran once" "d up 1,d up 2,d up 4" "$(logged)"
expect "the version row is there and the progress gone" "aaaa0001,bbbb0001,dddd0001|" "$(applied)|$(progress)"

# --- offline: the same steps in a psql script, transactional steps in
# BEGIN/COMMIT, the concurrent build bare
c7 upgrade --sql bbbb0001:dddd0001 >"$WORK/offline.sql"
script=$(cat "$WORK/offline.sql")
contains "the offline script marks the steps" "$script" "-- step 1 of 4
SET lock_timeout = '2000ms';
BEGIN;" "-- step 3 of 4 (outside a transaction)
RESET lock_timeout;
CREATE INDEX CONCURRENTLY t_slow_idx ON t (slow_id(id));
BEGIN;
INSERT INTO public.c7gen_progress"
off=$(new_db offline)
C7GEN_DATABASE_URL=$(conninfo "$off") c7 upgrade aaaa0001 >/dev/null 2>&1
psql_q "$off" -c "UPDATE t SET c = 0" >/dev/null
C7GEN_DATABASE_URL=$(conninfo "$off") c7 upgrade bbbb0001 >/dev/null 2>&1
if psql_q "$off" -f "$WORK/offline.sql" >/dev/null 2>"$WORK/offline.err"; then
    same_catalog "$db" "$off" "the offline script builds what the online upgrade built"
    expect "and records the revision, with no progress left" "aaaa0001,bbbb0001,dddd0001|0" \
        "$(psql_q "$off" -At -c "SELECT string_agg(revision, ',' ORDER BY revision) FROM c7gen_revisions")|$(psql_q "$off" -At -c "SELECT count(*) FROM c7gen_progress")"
else
    not_ok "the offline script runs in psql"; cat "$WORK/offline.err"
fi
# --- --single-transaction: steps share the one transaction; a step
# outside a transaction cannot be part of it
one=$(new_db single)
err=$(C7GEN_DATABASE_URL=$(conninfo "$one") c7 upgrade --single-transaction bbbb0001 2>&1); rc=$?
contains "--single-transaction refuses a revision with a step outside a transaction" "$rc $err" "2 " \
    "--single-transaction cannot include bbbb0001 (migrations/bbbb0001_revision_bbbb0001.sql): it has a step marked 'transaction: none'"
mkdir -p "$WORK/single"
{ printf -- '-- revision: eeee0001\n-- parents:\n-- message: two steps\n\n-- +upgrade\n'
  printf 'CREATE TABLE s1 (id int);\n-- +step\nCREATE TABLE s2 (id int);\nSELECT 1/0;\n'
  printf -- '-- +downgrade\nDROP TABLE s2;\nDROP TABLE s1;\n'; } >"$WORK/single/eeee0001_two.sql"
C7GEN_DATABASE_URL=$(conninfo "$one") c7 --migrations "$WORK/single" upgrade --single-transaction >/dev/null 2>&1; rc=$?
expect "in one transaction a failing step undoes every step, and no progress is kept" "3 0 0" \
    "$rc $(psql_q "$one" -At -c "SELECT count(*) FROM pg_class WHERE relname IN ('s1', 's2')") $(psql_q "$one" -At -c "SELECT count(*) FROM c7gen_progress")"
finish

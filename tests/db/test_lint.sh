#!/bin/bash
# c7gen lint with a configured database: with no arguments it checks the
# revisions the next upgrade would run (not applied, or applied part way),
# not those that already ran; named revisions are checked whatever their
# state.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

proj="$WORK/proj"
mkdir -p "$proj/migrations" "$proj/models"
cd "$proj" || exit 1
db=$(new_db main)
export C7GEN_DATABASE_URL
C7GEN_DATABASE_URL=$(conninfo "$db")
c7() { "$C7GEN" --config /dev/null --no-color --models models --migrations migrations "$@"; }
expect() { # description expected actual
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi
}
rev() { # rev ID PARENT: the upgrade section from stdin
    { printf -- '-- revision: %s\n-- parents: %s\n-- message: m\n\n-- +upgrade\n' "$1" "$2"
      cat
      printf -- '\n-- +downgrade\n'; } >"migrations/${1}_m.sql"
}

rev aaaa00000001 '' <<'SQL'
CREATE TABLE users (id bigint PRIMARY KEY, email text);
SQL
rev bbbb00000002 aaaa00000001 <<'SQL'
CREATE INDEX users_email_idx ON users (email);
SQL
c7 upgrade >/dev/null 2>&1
expect "the revisions apply" 0 "$?"
rev cccc00000003 bbbb00000002 <<'SQL'
ALTER TABLE users DROP COLUMN email;
SQL

out=$(c7 lint 2>/dev/null); rc=$?
expect "only the revision not yet applied is checked" \
    "1 migrations/cccc00000003_m.sql:6:1: error: dropping column 'email' of 'users' breaks the application version still running [ban-drop-column]" \
    "$rc $(grep '^migrations' <<<"$out")"
out=$(c7 lint bbbb 2>/dev/null); rc=$?
expect "a named revision is checked though it is applied" \
    "1 migrations/bbbb00000002_m.sql:6:1: error: CREATE INDEX without CONCURRENTLY blocks writes to 'users' while the index builds (size unknown: never analysed) [require-concurrent-index-creation]" \
    "$rc $(grep '^migrations' <<<"$out")"
out=$(c7 check 2>/dev/null); rc=$?
expect "check lists lint's errors on the revisions not applied" \
    "1 migrations/cccc00000003_m.sql:6: dropping column 'email' of 'users' breaks the application version still running [ban-drop-column]" \
    "$rc $(grep -o 'migrations/cccc00000003_m.sql:6.*' <<<"$out")"
out=$(c7 check --format json 2>/dev/null)
expect "and in its JSON" 1 "$(grep -c '"object": "migrations/cccc00000003_m.sql:6"' <<<"$out")"
c7 upgrade >/dev/null 2>&1
out=$(c7 lint 2>&1); rc=$?
expect "at head there is nothing to check" "0 " "$rc $(grep -v '^c7gen: using' <<<"$out")"

# --- sizes: tables below lint_small_table_rows (default 10,000) need no
# care; the message says what was measured (the planner's estimate).
q() { psql_q "$db" -At -c "$1"; }
q "CREATE TABLE small (id bigint, v int); INSERT INTO small SELECT g, g FROM generate_series(1, 500) g;
   CREATE TABLE big (id bigint, v int); INSERT INTO big SELECT g, g FROM generate_series(1, 20000) g;
   ANALYZE small; ANALYZE big;
   CREATE TABLE fresh (id bigint, v int) WITH (autovacuum_enabled = off)" >/dev/null
mkdir sized
{ printf -- '-- revision: dddd00000004\n-- parents:\n-- message: m\n\n-- +upgrade\n'
  printf 'CREATE INDEX ON small (v);\nCREATE INDEX ON big (v);\nUPDATE small SET v = 0;\nUPDATE fresh SET v = 0;\n'
  printf -- '-- +downgrade\n'; } >sized/d.sql
out=$(c7 lint sized/d.sql 2>/dev/null)
expect "a small table is let through; a big one is reported with its size; an unanalysed one as unknown" \
"sized/d.sql:7:1: error: CREATE INDEX without CONCURRENTLY blocks writes to 'big' while the index builds (about 20000 rows) [require-concurrent-index-creation]
sized/d.sql:9:1: error: UPDATE without WHERE touches every row of 'fresh' in one transaction (size unknown: never analysed) [unbatched-update]" \
    "$(grep '^sized' <<<"$out")"
printf '[c7gen]\nlint_small_table_rows = 100\n' >c7gen.ini
out=$("$C7GEN" --config c7gen.ini --no-color lint sized/d.sql 2>/dev/null)
expect "lint_small_table_rows in c7gen.ini sets the threshold" 4 "$(grep -c '^sized' <<<"$out")"

finish

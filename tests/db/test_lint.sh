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
    "1 migrations/bbbb00000002_m.sql:6:1: error: CREATE INDEX without CONCURRENTLY blocks writes to 'users' while the index builds [require-concurrent-index-creation]" \
    "$rc $(grep '^migrations' <<<"$out")"
c7 upgrade >/dev/null 2>&1
out=$(c7 lint 2>&1); rc=$?
expect "at head there is nothing to check" "0 " "$rc $(grep -v '^c7gen: using' <<<"$out")"

finish

#!/bin/bash
# --jobs: the constraints and indexes queries run on connections of their
# own in the main transaction's exported snapshot.  The diff is the same
# with one connection or three, the helpers are really used, and a server
# that refuses more connections gets the one-connection read.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

ex="$WORK/example"
mkdir -p "$ex"
cp -r "$C7GEN_SRCDIR/c7gen.ini" "$C7GEN_SRCDIR/models" "$C7GEN_SRCDIR/migrations" "$ex/"
cd "$ex" || exit 1
c7() { "$C7GEN" --no-color "$@"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi; }

db=$(new_db main)
export C7GEN_DATABASE_URL=$(conninfo "$db")
c7 upgrade >/dev/null 2>&1
# A difference in each kind the helpers read: a unique constraint, an index.
sed -i 's/^  display_name text$/  display_name text unique\n  nickname     varchar(40)\n\n  index (nickname)/' models/users.c7

one=$(c7 --jobs 1 diff 2>/dev/null); rc1=$?
three=$(c7 diff 2>/dev/null); rc3=$?
expect "diff with one connection exits 0" "0" "$rc1"
expect "and with the default (three)" "0" "$rc3"
[ -n "$one" ] && ok "there is something to diff" || not_ok "there is something to diff"
expect "both print the same SQL" "$one" "$three"
two=$(c7 --jobs 2 diff 2>/dev/null)
expect "and so does --jobs 2" "$one" "$two"

# Helpers end their read-only transactions by disconnecting: rollbacks.
rollbacks() {
    psql_q postgres -At -c "SELECT pg_stat_clear_snapshot(); SELECT xact_rollback FROM pg_stat_database WHERE datname = '$db'" | tail -1
}
settle() { sleep 1; }
settle; before=$(rollbacks)
c7 --jobs 1 diff >/dev/null 2>&1
settle; after=$(rollbacks)
expect "one connection reads alone" "0" "$((after - before))"
settle; before=$(rollbacks)
c7 diff >/dev/null 2>&1
settle; after=$(rollbacks)
expect "three connections: two helpers" "2" "$((after - before))"

# A role allowed one connection: the helpers cannot connect, the read
# still succeeds on the one.
role="${TEST_NAME}_$$_one"
# (Not a superuser: superusers are exempt from connection limits.)
psql_q postgres -c "DROP ROLE IF EXISTS $role" -c "CREATE ROLE $role LOGIN CONNECTION LIMIT 1" \
    -c "GRANT CREATE ON DATABASE \"$db\" TO $role" >/dev/null
psql_q "$db" -c "GRANT USAGE, CREATE ON SCHEMA public TO $role" >/dev/null
out=$(C7GEN_DATABASE_URL="host=$PGHOST port=$PGPORT user=$role dbname=$db" c7 diff 2>&1); rc=$?
expect "with one connection allowed, diff still works" "0" "$rc"
expect "and prints the same SQL" "$one" "$(echo "$out" | grep -v '^c7gen: using')"
psql_q "$db" -c "REVOKE ALL ON SCHEMA public FROM $role" >/dev/null
psql_q postgres -c "REVOKE ALL ON DATABASE \"$db\" FROM $role" -c "DROP ROLE $role" >/dev/null

out=$(c7 --jobs 0 diff 2>&1); rc=$?
expect "--jobs 0 is refused" "2" "$rc"
finish

#!/bin/bash
# c7gen squash: one revision replacing a revision and its ancestors.  check
# proves it while the replaced files remain; once they are deleted,
# databases at, before and past the squash point are each handled, and the
# shortened history round-trips.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

ex="$WORK/example"
mkdir -p "$ex"
cp -r "$C7GEN_SRCDIR/c7gen.ini" "$C7GEN_SRCDIR/models" "$C7GEN_SRCDIR/migrations" "$ex/"
cd "$ex" || exit 1
unset C7GEN_DATABASE_URL DATABASE_URL
c7() { "$C7GEN" --no-color "$@"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi; }
has() { case "$2" in *"$3"*) ok "$1";; *) not_ok "$1"; echo "  wanted: $3"; echo "  in: $2";; esac; }
on() { local target=$1; shift; C7GEN_DATABASE_URL=$(conninfo "$target") c7 "$@"; }


head=$(for f in migrations/*.sql; do i=$(basename "$f" | cut -c1-12); grep -q "^-- parents: .*$i" migrations/*.sql || echo "$i"; done)
rev=$(sed -n 's/^-- parents: //p' migrations/"$head"_*.sql)
first=$(sed -n 's/^-- parents: //p' migrations/"$rev"_*.sql)

out=$(c7 squash --to "$rev" -m "squash the start" 2>"$WORK/err"); rc=$?
expect "squash exits 0" "0" "$rc"
sq=$(echo "$out" | sed -n 's/^Wrote //p')
[ -f "$sq" ] && ok "it writes a revision" || { not_ok "it writes a revision"; echo "$out"; cat "$WORK/err"; finish; exit 1; }
sqid=$(basename "$sq" | cut -c1-12)
expect "whose header lists the revisions it replaces" "-- replaces: $first $rev" "$(grep '^-- replaces:' "$sq")"
expect "and which has no parents" "-- parents:" "$(grep '^-- parents:' "$sq")"

out=$(c7 check 2>/dev/null); rc=$?
expect "check passes with the squash beside the chain" "0" "$rc"
cp "$sq" "$WORK/sq.sql"
sed -i '0,/^CREATE TABLE users (/s//CREATE TABLE stray (id int);\nCREATE TABLE users (/' "$sq"
out=$(c7 check 2>/dev/null); rc=$?
expect "a squash that builds another schema fails check" "1" "$rc"
has "naming it and the difference" "$out" "$sq: the squash does not build the schema of the 2 revisions it replaces"
cp "$WORK/sq.sql" "$sq"

# Databases at, before and past the squash point, made with the old files.
at=$(new_db at); before=$(new_db before); past=$(new_db past); fresh=$(new_db fresh)
on "$at" upgrade "$rev" >/dev/null 2>&1
on "$before" upgrade "$first" >/dev/null 2>&1
on "$past" upgrade >/dev/null 2>&1

mkdir "$WORK/old"
cp migrations/"$first"_*.sql migrations/"$rev"_*.sql "$WORK/old/"
rm migrations/"$first"_*.sql
out=$(c7 current 2>&1); rc=$?
expect "deleting only some replaced files is refused" "2" "$rc"
has "saying what to do" "$out" "delete all of them, or none"
rm migrations/"$rev"_*.sql

out=$(on "$at" current 2>/dev/null)
expect "a database at the squash point is at the squash revision" "$sqid  squash the start" "$out"
out=$(on "$past" current 2>/dev/null); rc=$?
expect "a database past it is at head" "$head (head)  add is_verified to users" "$out"
expect "with nothing to warn about" "0" "$rc"
out=$(on "$before" current 2>&1); rc=$?
expect "a database before it is refused" "2" "$rc"
has "and told how to get to the squash point" "$out" "upgrade it to $rev with the migrations from before the squash"
out=$(on "$before" --migrations "$WORK/old" upgrade "$rev" 2>&1); rc=$?
expect "the old files take it there" "0" "$rc"
out=$(on "$before" current 2>/dev/null)
expect "and then it counts as at the squash" "$sqid  squash the start" "$out"

on "$at" upgrade >/dev/null 2>&1; rc=$?
expect "upgrading from the squash point runs what follows" "0" "$rc"
same_catalog "$at" "$past" "to the same schema as the database that never saw the squash"
on "$fresh" upgrade >/dev/null 2>&1
same_catalog "$fresh" "$past" "a new database built through the squash has that schema too"
on "$at" downgrade base >/dev/null 2>&1; rc=$?
expect "a database stamped by the replaced revisions downgrades through the squash" "0" "$rc"
n=$(psql_q "$at" -At -c "SELECT count(*) FROM c7gen_revisions")
expect "leaving no version rows behind" "0" "$n"
out=$(c7 check --roundtrip 2>/dev/null); rc=$?
expect "check --roundtrip passes on the shortened history" "0" "$rc"

# A revision branching off inside the range cannot follow the squash.
cp "$WORK"/old/*.sql migrations/
rm "$sq"
printf -- '-- revision: bbbb00000001\n-- parents: %s\n-- message: side\n\n-- +upgrade\nCREATE TABLE side (id int);\n\n-- +downgrade\nDROP TABLE side;\n' "$first" \
    >migrations/bbbb00000001_side.sql
out=$(c7 squash --to "$rev" -m "no" 2>&1); rc=$?
expect "squash refuses a range another branch leaves from" "2" "$rc"
has "naming the branch" "$out" "revision bbbb00000001 branches off $first, inside the range"
finish

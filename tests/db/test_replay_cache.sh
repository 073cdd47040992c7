#!/bin/bash
# The replay cache: with nothing configured, a replay clones the database
# an earlier replay of the longest matching chain of revisions left, and
# runs only what is new.  A new revision, an edited or deleted one and a
# branch switch each get the right schema, and say what they reused.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

ex="$WORK/example"
mkdir -p "$ex"
cp -r "$C7GEN_SRCDIR/c7gen.ini" "$C7GEN_SRCDIR/models" "$C7GEN_SRCDIR/migrations" "$ex/"
cd "$ex" || exit 1
unset C7GEN_DATABASE_URL DATABASE_URL
c7() { "$C7GEN" --no-color "$@"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi; }
has() { case "$2" in *"$3"*) ok "$1";; *) not_ok "$1"; echo "  wanted: $3"; echo "  in: $2";; esac; }


# diff: stdout the SQL, $said what it said about the replay.
run_diff() {
    out=$(c7 diff 2>"$WORK/err")
    said=$(grep -E '^c7gen: (replayed|the scratch database is a copy)' "$WORK/err")
}
head=$(for f in migrations/*.sql; do i=$(basename "$f" | cut -c1-12); grep -q "^-- parents: .*$i" migrations/*.sql || echo "$i"; done)
second=$(sed -n 's/^-- parents: //p' migrations/"$head"_*.sql)
# rev ID PARENT TABLE: a revision creating TABLE, which the models lack.
rev() {
    printf -- '-- revision: %s\n-- parents: %s\n-- message: %s\n\n-- +upgrade\nCREATE TABLE %s (id int);\n\n-- +downgrade\nDROP TABLE %s;\n' \
        "$1" "$2" "$3" "$3" "$3" >"migrations/$1_$3.sql"
}

run_diff
expect "the first replay runs every revision" "c7gen: replayed 3 revisions into the scratch database" "$said"
expect "and the example needs no change" "" "$out"
run_diff
expect "the next one is a copy of the cache" "c7gen: the scratch database is a copy of the replay cache" "$said"
expect "with the same result" "" "$out"

rev aaaa00000001 "$head" extra_a
run_diff
expect "a new revision: only it runs" \
    "c7gen: replayed 1 revision into the scratch database, after 3 from the replay cache" "$said"
has "and its table is there" "$out" "DROP TABLE extra_a"
run_diff
expect "then all four come from the cache" "c7gen: the scratch database is a copy of the replay cache" "$said"

# An edited old revision: everything from it on runs again.
f=$(ls migrations/"$second"_*.sql)
cp "$f" "$WORK/second.sql"
sed -i '0,/^-- +downgrade/s//CREATE TABLE edited_in (id int);\n\n-- +downgrade/' "$f"
run_diff
expect "an edited revision replays from scratch" "c7gen: replayed 4 revisions into the scratch database" "$said"
has "and the edit takes effect" "$out" "DROP TABLE edited_in"
cp "$WORK/second.sql" "$f"
run_diff
expect "undoing the edit finds the old chain cached" "c7gen: the scratch database is a copy of the replay cache" "$said"
case "$out" in *edited_in*) not_ok "without the edit's table";; *) ok "without the edit's table";; esac

# A deleted revision: the chain without it was cached before.
rm migrations/aaaa00000001_*.sql
run_diff
expect "a deleted revision: the shorter chain is cached" \
    "c7gen: the scratch database is a copy of the replay cache" "$said"
expect "and its table is gone" "" "$out"

# A branch switch: another chain, another template; back again, the first.
rev bbbb00000001 "$head" branch_b
run_diff
expect "branch b replays only its revision" \
    "c7gen: replayed 1 revision into the scratch database, after 3 from the replay cache" "$said"
has "and has branch b's table" "$out" "DROP TABLE branch_b"
mv migrations/bbbb00000001_*.sql "$WORK/"
rev cccc00000001 "$head" branch_c
run_diff
has "branch c has branch c's table" "$out" "DROP TABLE branch_c"
case "$out" in *branch_b*) not_ok "and not branch b's";; *) ok "and not branch b's";; esac
rm migrations/cccc00000001_*.sql
mv "$WORK"/bbbb00000001_*.sql migrations/
run_diff
expect "back on branch b: a copy of the cache" "c7gen: the scratch database is a copy of the replay cache" "$said"
has "with branch b's table" "$out" "DROP TABLE branch_b"
case "$out" in *branch_c*) not_ok "and not branch c's";; *) ok "and not branch c's";; esac

# check uses the cache too, and still fails for what a revision broke.
out=$(c7 check 2>/dev/null); rc=$?
expect "check on branch b finds the extra table" "1" "$rc"
c7 dev start >/dev/null 2>&1
n=$(psql -X -At -d "$(c7 dev url 2>/dev/null)" \
    -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'c7gen\\_replay\\_%'")
c7 dev stop >/dev/null 2>&1
[ "$n" -ge 1 ] && [ "$n" -le 4 ] && ok "at most four templates are kept ($n)" || not_ok "at most four templates are kept ($n)"
finish

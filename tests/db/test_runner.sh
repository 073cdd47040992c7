#!/bin/bash
# The revision graph and the runner against a real server: targets, branches
# and merges, stamp, concurrent upgrades, a failing revision, edited files,
# transaction: none, offline scripts.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

proj="$WORK/proj"
mkdir -p "$proj/migrations" "$proj/models"
cd "$proj" || exit 1
db=$(new_db main)
export C7GEN_DATABASE_URL
C7GEN_DATABASE_URL=$(conninfo "$db")
c7() { "$C7GEN" --config /dev/null --no-color --models models --migrations migrations "$@"; }

# rev ID PARENTS UPGRADE-SQL DOWNGRADE-SQL [extra header]
rev() {
    {
        echo "-- revision: $1"
        echo "-- parents: $2"
        echo "-- message: revision $1"
        echo "-- created: 2026-01-01 00:00:0${#1}Z"
        [ -n "${5:-}" ] && echo "$5"
        echo
        echo "-- +upgrade"
        echo "$3"
        echo
        echo "-- +downgrade"
        echo "$4"
    } >"migrations/${1}_revision_${1}.sql"
}

tables() { psql_q "$db" -At -c "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname NOT LIKE 'c7gen%'"; }
applied() { psql_q "$db" -At -c "SELECT string_agg(revision, ',' ORDER BY revision COLLATE \"C\") FROM c7gen_revisions"; }
expect() { # description expected actual
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi
}

rev aaaa1111 "" "CREATE TABLE a (id int);" "DROP TABLE a;"
rev bbbb2222 "aaaa1111" "CREATE TABLE b (id int);" "DROP TABLE b;"
rev cccc3333 "bbbb2222" "CREATE TABLE c (id int);" "DROP TABLE c;"

# --- linear targets
c7 upgrade +1 >/dev/null
expect "upgrade +1 applies the first revision" "a" "$(tables)"
c7 upgrade bbbb >/dev/null
expect "upgrade to a prefix" "a,b" "$(tables)"
c7 upgrade >/dev/null
expect "upgrade to head" "a,b,c" "$(tables)"
out=$(c7 upgrade)
expect "upgrade at head has nothing to do" "Nothing to do: the database is already at head." "$out"
c7 downgrade -1 >/dev/null
expect "downgrade -1" "a,b" "$(tables)"
c7 downgrade aaaa1111 >/dev/null
expect "downgrade to a revision keeps it" "a" "$(tables)"
c7 upgrade aaaa1111+2 >/dev/null
expect "upgrade REV+N" "a,b,c" "$(tables)"
c7 downgrade cccc3333-2 >/dev/null
expect "downgrade REV-N" "a" "$(tables)"
c7 downgrade base >/dev/null
expect "downgrade base" "" "$(tables)"
expect "downgrade base empties the version table" "" "$(applied)"
n=$(psql_q "$db" -At -c "SELECT count(*) FROM c7gen_history WHERE success")
expect "every step is in the history" "10" "$n"

# --- prefixes
rev bbbb9999 "aaaa1111" "CREATE TABLE d (id int);" "DROP TABLE d;"
err=$(c7 upgrade bbbb 2>&1); rc=$?
expect "an ambiguous prefix is a usage error" "2" "$rc"
case "$err" in *"ambiguous"*bbbb2222*bbbb9999*) ok "the ambiguity lists the candidates";;
    *) not_ok "the ambiguity lists the candidates"; echo "$err";; esac

# --- two heads, merge
err=$(c7 upgrade 2>&1); rc=$?
expect "upgrade head with two heads fails" "2" "$rc"
case "$err" in *"2 heads"*"common ancestor is aaaa1111"*"c7gen merge"*)
    case "$err" in *cccc3333_revision_cccc3333.sql*) ;; *) err="";; esac
    case "$err" in *bbbb9999_revision_bbbb9999.sql*) ;; *) err="";; esac ;;
    *) err="";; esac
if [ -n "$err" ]; then ok "the error names both heads with their files, their ancestor and merge"
else not_ok "the error names both heads with their files, their ancestor and merge"; fi
c7 upgrade heads >/dev/null
expect "upgrade heads applies both branches" "a,b,c,d" "$(tables)"
c7 merge -m "join branches" >/dev/null
merge=$(ls migrations/*_join_branches.sql)
grep -q "^-- parents: .*cccc3333" "$merge" && grep -q "^-- parents: .*bbbb9999" "$merge" \
    && ok "merge names both heads as parents" || not_ok "merge names both heads as parents"
echo "CREATE TABLE after_merge (id int);" >>"$merge.tmp"
sed -i 's/^-- +upgrade$/-- +upgrade\nCREATE TABLE after_merge (id int);/; s/^-- +downgrade$/-- +downgrade\nDROP TABLE after_merge;/' "$merge"
rm -f "$merge.tmp"
c7 upgrade >/dev/null
expect "upgrade through the merge" "a,after_merge,b,c,d" "$(tables)"
c7 downgrade cccc3333 >/dev/null
expect "downgrade back across the merge keeps the other branch" "a,b,c,d" "$(tables)"
c7 downgrade aaaa1111 >/dev/null
expect "downgrade to the branch point" "a" "$(tables)"
out=$(c7 heads)
case "$out" in *merge*) ok "heads shows the merge";; *) not_ok "heads shows the merge"; echo "$out";; esac
out=$(c7 history)
case "$out" in *"merge of"*) ok "history shows the merge";; *) not_ok "history shows the merge"; echo "$out";; esac

# --- stamp
c7 stamp head >/dev/null
expect "stamp head marks everything applied without running SQL" "a" "$(tables)"
want=$(printf '%s\n' aaaa1111 bbbb2222 bbbb9999 cccc3333 "$(basename "$merge" | cut -c1-12)" | LC_ALL=C sort | paste -sd,)
expect "stamp writes the version rows" "$want" "$(applied)"
c7 stamp aaaa1111 >/dev/null
expect "stamp to an older revision removes later rows" "aaaa1111" "$(applied)"
c7 downgrade base >/dev/null
rm "$merge" migrations/bbbb9999_*

# --- a failing revision leaves nothing behind
rev dddd4444 "cccc3333" "CREATE TABLE e (id int);
INSERT INTO e VALUES (1);
SELECT * FROM no_such_table;" "DROP TABLE e;"
c7 upgrade cccc3333 >/dev/null
before=$(applied)
hist=$(psql_q "$db" -At -c "SELECT count(*) FROM c7gen_history")
err=$(c7 upgrade 2>&1 >/dev/null); rc=$?
expect "a failing revision exits 3" "3" "$rc"
case "$err" in *"migrations/dddd4444_revision_dddd4444.sql:9:15: error: relation \"no_such_table\" does not exist"*)
    ok "the error names the file, line and column";;
    *) not_ok "the error names the file, line and column"; echo "$err";; esac
expect "the failed revision's table is gone" "a,b,c" "$(tables)"
expect "the version table is unchanged" "$before" "$(applied)"
failed=$(psql_q "$db" -At -c "SELECT sqlstate FROM c7gen_history WHERE NOT success")
expect "the history records the failure with its SQLSTATE" "42P01" "$failed"
rm migrations/dddd4444_*

# --- an error without a position points at the statement, not the comments above it
rev eeee5555 "cccc3333" "-- WARNING: a comment above the statement
/* and a block comment */
DROP TABLE no_such_table_x;" "SELECT 1;"
err=$(c7 upgrade 2>&1 >/dev/null)
case "$err" in *"migrations/eeee5555_revision_eeee5555.sql:9:1: error: table \"no_such_table_x\" does not exist"*)
    ok "an error without a position names the statement's line";;
    *) not_ok "an error without a position names the statement's line"; echo "$err";; esac
rm migrations/eeee5555_*

# --- edited applied revision
sed -i 's/CREATE TABLE c (id int);/CREATE TABLE c (id int, x int);/' migrations/cccc3333_*.sql
out=$(c7 current 2>&1); rc=$?
expect "current exits 1 on an edited file" "1" "$rc"
case "$out" in *"cccc3333"*"edited"*) ok "current names the edited revision";;
    *) not_ok "current names the edited revision"; echo "$out";; esac
rev eeee5555 "cccc3333" "CREATE TABLE f (id int);" "DROP TABLE f;"
c7 upgrade >/dev/null 2>&1; rc=$?
expect "upgrade refuses over an edited file" "2" "$rc"
expect "and applies nothing" "a,b,c" "$(tables)"
c7 upgrade --allow-edited >/dev/null 2>&1
expect "--allow-edited goes ahead" "a,b,c,f" "$(tables)"

# --- transaction: none
rev ffff6666 "eeee5555" "CREATE INDEX CONCURRENTLY f_id_idx ON f (id);" "DROP INDEX CONCURRENTLY f_id_idx;" "-- transaction: none"
out=$(c7 upgrade --allow-edited 2>&1); rc=$?
expect "a transaction: none revision runs CREATE INDEX CONCURRENTLY" "0" "$rc"
case "$out" in *"outside a transaction"*) ok "and says it runs outside a transaction";;
    *) not_ok "and says it runs outside a transaction"; echo "$out";; esac
c7 downgrade -1 --allow-edited >/dev/null 2>&1
n=$(psql_q "$db" -At -c "SELECT count(*) FROM pg_indexes WHERE indexname = 'f_id_idx'")
expect "and its downgrade drops the index" "0" "$n"

# --- offline script = online upgrade
sed -i 's/CREATE TABLE c (id int, x int);/CREATE TABLE c (id int);/' migrations/cccc3333_*.sql
c7 downgrade base >/dev/null 2>&1
online=$(new_db online)
offline=$(new_db offline)
C7GEN_DATABASE_URL=$(conninfo "$online") c7 upgrade >/dev/null
c7 upgrade --sql base:head >"$WORK/offline.sql"
if psql_q "$offline" -f "$WORK/offline.sql" >/dev/null 2>"$WORK/offline.err"; then
    same_catalog "$online" "$offline" "the offline script builds what an online upgrade builds"
    a=$(psql_q "$online" -At -c "SELECT string_agg(revision || checksum, ',' ORDER BY revision) FROM c7gen_revisions")
    b=$(psql_q "$offline" -At -c "SELECT string_agg(revision || checksum, ',' ORDER BY revision) FROM c7gen_revisions")
    expect "and records the same revisions and checksums" "$a" "$b"
    C7GEN_DATABASE_URL=$(conninfo "$offline") c7 downgrade --sql head:base >"$WORK/down.sql"
    psql_q "$offline" -f "$WORK/down.sql" >/dev/null 2>&1
    n=$(psql_q "$offline" -At -c "SELECT count(*) FROM c7gen_revisions")
    expect "the offline downgrade script goes back to base" "0" "$n"
else
    not_ok "the offline script loads"; cat "$WORK/offline.err"
fi

# --- concurrent upgrades serialise
conc=$(new_db concurrent)
for i in 1 2 3 4 5 6; do
    C7GEN_DATABASE_URL=$(conninfo "$conc") c7 upgrade >"$WORK/conc.$i" 2>&1 &
done
codes=""
for job in $(jobs -p); do wait "$job"; codes="$codes$?"; done
expect "six concurrent upgrades all exit 0" "000000" "$codes"
n=$(psql_q "$conc" -At -c "SELECT count(*) FROM c7gen_history WHERE success")
r=$(psql_q "$conc" -At -c "SELECT count(*) FROM c7gen_revisions")
expect "each revision was applied exactly once" "5 5" "$n $r"

# --- --single-transaction: all or nothing
st=$(new_db single)
rev hhhh8888 "eeee5555" "CREATE TABLE late (id int); SELECT 1/0;" "DROP TABLE late;"
C7GEN_DATABASE_URL=$(conninfo "$st") c7 upgrade --single-transaction hhhh8888 >/dev/null 2>&1; rc=$?
expect "a failure in --single-transaction exits 3" "3" "$rc"
n=$(psql_q "$st" -At -c "SELECT count(*) FROM c7gen_revisions")
t=$(psql_q "$st" -At -c "SELECT count(*) FROM pg_class WHERE relname IN ('a', 'b', 'c', 'f', 'late')")
expect "and nothing at all is applied" "0 0" "$n $t"
err=$(C7GEN_DATABASE_URL=$(conninfo "$st") c7 upgrade --single-transaction ffff6666 2>&1); rc=$?
expect "--single-transaction refuses a transaction: none revision" "2" "$rc"
case "$err" in *ffff6666*"transaction: none"*) ok "naming it";; *) not_ok "naming it"; echo "$err";; esac
rm migrations/hhhh8888_*

# --- stamp --purge forgets revisions that have no file
psql_q "$st" -c "INSERT INTO c7gen_revisions (revision, checksum) VALUES ('0000dead', 'x')"
C7GEN_DATABASE_URL=$(conninfo "$st") c7 current >/dev/null 2>&1; rc=$?
expect "current flags an applied revision without a file" "1" "$rc"
C7GEN_DATABASE_URL=$(conninfo "$st") c7 stamp --purge cccc3333 >/dev/null 2>&1
r=$(psql_q "$st" -At -c "SELECT string_agg(revision, ',' ORDER BY revision) FROM c7gen_revisions")
expect "stamp --purge leaves exactly the stamped revisions" "aaaa1111,bbbb2222,cccc3333" "$r"

# --- a second deploy waits for the lock, and gives up after --lock-timeout
rev gggg7777 "ffff6666" "SELECT pg_sleep(4);" "SELECT 1;"
C7GEN_DATABASE_URL=$(conninfo "$conc") c7 upgrade >/dev/null 2>&1 &
slow=$!
sleep 1.5
err=$(C7GEN_DATABASE_URL=$(conninfo "$conc") c7 upgrade --lock-timeout 1 2>&1); rc=$?
expect "a lock timeout exits 4" "4" "$rc"
case "$err" in *"waiting for the migration lock"*"timed out"*) ok "and says it waited";;
    *) not_ok "and says it waited"; echo "$err";; esac
wait "$slow"; rc=$?
expect "the deploy holding the lock finishes" "0" "$rc"
finish

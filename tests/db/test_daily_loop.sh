#!/bin/bash
# The daily loop, end to end: edit models -> autogenerate -> upgrade ->
# autogenerate says "No changes detected" -> downgrade -1 restores the
# previous catalog exactly -> downgrade base leaves only c7gen's tables.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

proj="$WORK/proj"
mkdir -p "$proj"
cd "$proj" || exit 1
"$C7GEN" init >/dev/null
db=$(new_db loop)
export C7GEN_DATABASE_URL
C7GEN_DATABASE_URL=$(conninfo "$db")
c7() { "$C7GEN" --no-color "$@"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi; }

grep -qx '.c7gen/' .gitignore && ok "init ignores .c7gen/" || not_ok "init ignores .c7gen/"
cp "$C7GEN_SRCDIR"/models/*.c7 models/
rm models/notifications.c7
out=$(c7 autogenerate -m "initial schema" 2>/dev/null)
case "$out" in "Wrote migrations/"*"_initial_schema.sql") ok "autogenerate writes the first revision";;
    *) not_ok "autogenerate writes the first revision"; echo "$out";; esac
c7 upgrade >/dev/null || not_ok "upgrade"
catalog "$db" >"$WORK/step1"
out=$(c7 autogenerate -m again 2>/dev/null)
expect "nothing to do right after upgrading" "No changes detected." "$out"
expect "and no file was written" "1" "$(ls migrations | wc -l | tr -d ' ')"

cp "$C7GEN_SRCDIR/models/notifications.c7" models/
sed -i 's/^  display_name text$/  display_name text\n  locale       text not null default '"'en'"'/' models/users.c7
c7 autogenerate -m "add notifications" >/dev/null
rev=$(ls migrations/*_add_notifications.sql)
grep -q '^CREATE TABLE notifications' "$rev" && grep -q "ADD COLUMN locale text DEFAULT 'en' NOT NULL" "$rev" \
    && ok "the revision has the new table and column" || { not_ok "the revision has the new table and column"; cat "$rev"; }
psql_q "$db" -c "INSERT INTO users (email) VALUES ('ada@example.com')"
c7 upgrade >/dev/null || not_ok "upgrade the second revision"
n=$(psql_q "$db" -At -c "SELECT locale FROM users")
expect "a NOT NULL column with a default lands on a populated table" "en" "$n"
out=$(c7 autogenerate -m again 2>/dev/null)
expect "autogenerate after upgrade finds nothing" "No changes detected." "$out"
c7 downgrade -1 >/dev/null || not_ok "downgrade -1"
catalog "$db" >"$WORK/step1-again"
if diff -u "$WORK/step1" "$WORK/step1-again"; then ok "downgrade -1 restores the previous catalog exactly"
else not_ok "downgrade -1 restores the previous catalog exactly"; fi
c7 downgrade base >/dev/null || not_ok "downgrade base"
left=$(psql_q "$db" -At -c "SELECT string_agg(n.nspname || '.' || c.relname, ',' ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','S','v','m','i') AND n.nspname NOT IN ('pg_catalog','information_schema','pg_toast')")
expect "downgrade base leaves only c7gen's own tables" \
    "public.c7gen_history,public.c7gen_history_id_seq,public.c7gen_history_pkey,public.c7gen_progress,public.c7gen_progress_pkey,public.c7gen_revisions,public.c7gen_revisions_pkey" "$left"
types=$(psql_q "$db" -At -c "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'")
expect "and no enum types" "0" "$types"
finish

#!/bin/bash
# The kinds the language grew to, against a real server:
#   extensions: created before the tables that use them, moved with
#     ALTER EXTENSION ... SET SCHEMA, dropped when removed from the models
#     but never when they live outside the managed schemas, reported at
#     their declaration when the server lacks them;
#   exact comparison: an operator class written as the type's default,
#     storage parameters spelt differently, an unnamed exclusion
#     constraint, interval fields and deferrable keys diff as equal to the
#     database they were applied to.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

db=$(new_db lang)
proj="$WORK/proj"
mkdir -p "$proj/models" "$proj/migrations"
cd "$proj" || exit 1
export C7GEN_DATABASE_URL
C7GEN_DATABASE_URL=$(conninfo "$db")
c7() { "$C7GEN" --config /dev/null --no-color --models models --migrations migrations "$@"; }
q() { psql_q "$db" -At -c "$1"; }
step() { # message: autogenerate + upgrade, then nothing more to do
    c7 autogenerate -m "$1" >"$WORK/gen.log" 2>&1 || { not_ok "$1: autogenerate"; cat "$WORK/gen.log"; }
    c7 upgrade >"$WORK/up.log" 2>&1 || { not_ok "$1: upgrade"; cat "$WORK/up.log"; cat migrations/*; }
    again=$(c7 diff 2>/dev/null)
    [ -z "$again" ] && ok "$1: nothing more to do" || { not_ok "$1: nothing more to do"; echo "$again"; }
}
ext_schema() { q "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = '$1'"; }

# An extension in a schema c7gen does not manage: never the models' to drop.
psql_q "$db" -c "CREATE SCHEMA dba; CREATE EXTENSION hstore WITH SCHEMA dba" >/dev/null

cat >models/m.c7 <<'C7'
extension citext
extension pg_trgm
extension btree_gist

table accounts {
  id      integer primary key
  email   public.citext not null
  handle  text
  during  tstzrange
  ttl     interval day to second(3)
  parent  integer references accounts deferrable initially deferred

  exclude using gist (id with =, during with &&)
  index (handle text_ops)
  index (handle public.gin_trgm_ops) using gin
  index (email) with (fillfactor = 70, deduplicate_items = off)
}
C7
step "extensions and the tables using them"
[ "$(ext_schema citext)" = public ] && [ "$(ext_schema pg_trgm)" = public ] &&
    ok "the extensions are created" || not_ok "the extensions are created"
grep -q "^CREATE EXTENSION IF NOT EXISTS citext;" migrations/*_extensions_and_the_tables_using_them.sql &&
    ok "with IF NOT EXISTS" || not_ok "with IF NOT EXISTS"
[ "$(q "SELECT conname FROM pg_constraint WHERE contype = 'x'")" = accounts_id_during_excl ] &&
    ok "an unnamed exclusion constraint gets the server's name" || not_ok "exclusion constraint name"
[ "$(q "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relname = 'accounts_handle_idx' AND i.indclass[0] = (SELECT oid FROM pg_opclass
        WHERE opcname = 'text_ops' AND opcmethod = (SELECT oid FROM pg_am WHERE amname = 'btree'))")" = 1 ] &&
    ok "text_ops is the default operator class, stored as such" || not_ok "text_ops stored"

# pg_trgm moves to its own schema; the operator class goes with it.
sed -i 's/^extension pg_trgm$/extension pg_trgm with schema ext/; s/public.gin_trgm_ops/ext.gin_trgm_ops/' models/m.c7
step "move pg_trgm"
[ "$(ext_schema pg_trgm)" = ext ] && ok "ALTER EXTENSION ... SET SCHEMA moved it" || not_ok "moved ($(ext_schema pg_trgm))"
grep -q '^ALTER EXTENSION pg_trgm SET SCHEMA ext;' migrations/*_move_pg_trgm.sql &&
    ok "the revision says ALTER EXTENSION ... SET SCHEMA" || { not_ok "ALTER EXTENSION in the revision"; cat migrations/*_move_pg_trgm.sql; }
c7 downgrade -1 >/dev/null 2>&1
[ "$(ext_schema pg_trgm)" = public ] && ok "downgrade moves it back" || not_ok "downgrade moves it back"
c7 upgrade >/dev/null 2>&1

# Removing btree_gist and what uses it drops it; hstore in dba stays.
sed -i '/^extension btree_gist$/d; /exclude using gist/d' models/m.c7
step "drop btree_gist"
[ -z "$(ext_schema btree_gist)" ] && ok "an extension removed from the models is dropped" || not_ok "btree_gist dropped"
[ "$(ext_schema hstore)" = dba ] && ok "an extension outside the managed schemas is left alone" || not_ok "hstore left alone"
c7 downgrade -1 >/dev/null 2>&1
[ "$(ext_schema btree_gist)" = public ] && [ "$(q "SELECT count(*) FROM pg_constraint WHERE contype = 'x'")" = 1 ] &&
    ok "downgrade re-creates it and the constraint that needs it" || not_ok "downgrade re-creates btree_gist"

printf 'extension no_such_extension\n' >models/x.c7
out=$(c7 diff 2>&1)
status=$?
[ $status = 2 ] && echo "$out" | grep -q "models/x.c7:1:11: error: extension 'no_such_extension' is not available on the server" &&
    ok "a missing extension is reported at its declaration" || { not_ok "missing extension (exit $status)"; echo "$out"; }
finish

#!/bin/bash
# Hostile names and text: every identifier, label, comment and literal in
# tests/db/hostile/hostile.c7 tries to close the statement it lands in and
# run "DROP TABLE outside.canary" (quotes, backslashes, ;, $$, --, /* */,
# E'' escapes, Unicode, SQL keywords).  The generated DDL must create
# exactly the names and texts the models say, and the canary must survive
# autogenerate, upgrade, introspection, a second diff and downgrade.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

db=$(new_db hostile)
psql_q "$db" -c "CREATE SCHEMA outside; CREATE TABLE outside.canary (alive boolean)" >/dev/null
proj="$WORK/proj"
mkdir -p "$proj/models" "$proj/migrations"
cp "$C7GEN_SRCDIR/tests/db/hostile/hostile.c7" "$proj/models/"
cd "$proj" || exit 1
export C7GEN_DATABASE_URL
C7GEN_DATABASE_URL=$(conninfo "$db")
c7() { "$C7GEN" --config /dev/null --no-color --models models --migrations migrations "$@"; }
canary() {
    [ "$(psql_q "$db" -At -c "SELECT to_regclass('outside.canary') IS NOT NULL")" = t ] &&
        ok "the canary survives $1" || not_ok "the canary survives $1"
}

c7 autogenerate -m hostile >"$WORK/gen.log" 2>&1 || { not_ok "autogenerate"; cat "$WORK/gen.log"; }
c7 upgrade >"$WORK/up.log" 2>&1 && ok "upgrade" || { not_ok "upgrade"; cat "$WORK/up.log"; }
canary "the upgrade"

# Each name exactly as written in the models, read back from the catalog.
# psql variables quote the expected text, so no escaping happens here.
expect_one() { # what sql var=value...
    local what=$1 sql=$2; shift 2
    local args=()
    for kv in "$@"; do args+=(-v "$kv"); done
    n=$(echo "$sql" | psql_q "$db" -At "${args[@]}" 2>&1)
    [ "$n" = 1 ] && ok "$what" || { not_ok "$what"; echo "  got: $n"; }
}
schema='s";DROP TABLE outside.canary;--'
table='t$$;DROP TABLE outside.canary;$$'
expect_one "schema name" "SELECT count(*) FROM pg_namespace WHERE nspname = :'s'" "s=$schema"
expect_one "table name" "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = :'s' AND c.relname = :'t' AND c.relkind = 'r'" "s=$schema" "t=$table"
for col in 'c*/;DROP TABLE outside.canary;/*' 'back\slash\' '日本語 カラム' 'table' "E'\\x27"; do
    expect_one "column name: $col" "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relname = :'t' AND a.attname = :'a'" "t=$table" "a=$col"
done
expect_one "enum name and labels in order" "SELECT count(*) FROM pg_type t WHERE t.typname = :'e'
    AND ARRAY(SELECT enumlabel::text FROM pg_enum WHERE enumtypid = t.oid ORDER BY enumsortorder)
        = ARRAY[:'l1', :'l2', :'l3', :'l4', :'l5', :'l6']" \
    'e=mood";DROP TABLE outside.canary;--' "l1=it's;DROP TABLE outside.canary;--" \
    'l2=$$;DROP TABLE outside.canary;$$' 'l3=*/;DROP TABLE outside.canary;/*' \
    'l4=back\slash' 'l5=ünïcødé ✓' 'l6=select'
expect_one "table comment" "SELECT count(*) FROM pg_class WHERE relname = :'t'
    AND obj_description(oid, 'pg_class') = :'c'" "t=$table" 'c=/*;DROP TABLE outside.canary;*/'
expect_one "column comment with a quote" "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relname = :'t' AND col_description(c.oid, a.attnum) = :'c'" "t=$table" "c=x';DROP TABLE outside.canary;--"
expect_one "column comment with dollars" "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relname = :'t' AND col_description(c.oid, a.attnum) = :'c'" "t=$table" 'c=$$;DROP TABLE outside.canary;$$'
expect_one "string default" "SELECT count(*) FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
    WHERE c.relname = :'t' AND pg_get_expr(d.adbin, d.adrelid) = :'d'" "t=$table" \
    "d='a'';DROP TABLE outside.canary;--'::text"
expect_one "E'' default keeps its backslash escape" "SELECT count(*) FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
    WHERE c.relname = :'t' AND pg_get_expr(d.adbin, d.adrelid) = :'d'" "t=$table" \
    "d=''';DROP TABLE outside.canary;--'::text"
expect_one "constraint name" "SELECT count(*) FROM pg_constraint WHERE conname = :'k'" \
    "k=k'';DROP TABLE outside.canary;--"
expect_one "index name" "SELECT count(*) FROM pg_class WHERE relname = :'i' AND relkind = 'i'" \
    'i=i--;DROP TABLE outside.canary'

again=$(c7 autogenerate -m again 2>"$WORK/again.err")
[ "$again" = "No changes detected." ] && ok "introspected back, the names diff as equal" ||
    { not_ok "introspected back, the names diff as equal"; echo "$again"; cat "$WORK/again.err"; }

# inspect writes models that describe the same schema.
mkdir inspected
c7 --models inspected inspect --schema "$schema,public" >/dev/null 2>&1 || not_ok "inspect"
[ -z "$(c7 --models inspected diff 2>/dev/null)" ] && ok "inspect writes the hostile names back faithfully" ||
    { not_ok "inspect writes the hostile names back faithfully"; c7 --models inspected diff; cat inspected/*; }

c7 downgrade base >"$WORK/down.log" 2>&1 && ok "downgrade base" || { not_ok "downgrade base"; cat "$WORK/down.log"; }
canary "the downgrade"
expect_one "the downgrade removed the hostile schema" "SELECT 1 - count(*) FROM pg_namespace WHERE nspname = :'s'" "s=$schema"

# An expression cannot carry a statement: ';' outside a string is refused.
mkdir -p bad
printf 'table t {\n  a int check (a > 0); DROP TABLE outside.canary; --)\n}\n' >bad/m.c7
printf 'table u {\n  a int default (1); DROP TABLE outside.canary\n}\n' >bad/n.c7
out=$(c7 --models bad diff --from empty 2>&1)
status=$?
[ $status = 2 ] && ok "a ';' in an expression is a model error (exit 2)" || { not_ok "';' in an expression (exit $status)"; echo "$out"; }
case "$out" in *DROP*TABLE*outside*) ok "and it is reported, not rendered";; *) not_ok "and it is reported"; echo "$out";; esac
finish

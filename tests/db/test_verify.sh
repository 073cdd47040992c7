#!/bin/bash
# autogenerate proves every revision before writing it: the upgrade and the
# downgrade run in a copy of the schema at head in the scratch cluster; a
# plan that fails, falls short of the models or does not restore the schema
# at head is reported as c7gen's bug (exit 2) and nothing is written.  A
# configured database is never touched by the check.  Plans are broken on
# purpose through the C7GEN_TEST_BREAK_PLAN hook.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi; }
bug="c7gen generated a revision PostgreSQL rejects; this is a bug in c7gen"

proj="$WORK/proj"
mkdir -p "$proj/models" "$proj/migrations"
cd "$proj" || exit 1
printf '[c7gen]\nmodels = models\nmigrations = migrations\n' >c7gen.ini
db=$(new_db verify)
export C7GEN_DATABASE_URL
C7GEN_DATABASE_URL=$(conninfo "$db")
c7() { "$C7GEN" --no-color "$@"; }

cat >models/m.c7 <<'EOF'
table regions {
  code text primary key
  name text not null
}
table stores {
  id          int primary key
  region_code text not null references regions (code)
}
EOF
c7 autogenerate -m first >/dev/null 2>&1 && c7 upgrade >/dev/null 2>&1 \
    || not_ok "building the first revision"
psql_q "$db" -c "INSERT INTO regions VALUES ('n', 'North'); INSERT INTO stores VALUES (1, 'n')"

# The key the foreign key uses is replaced: the plan this needs is proven.
cat >models/m.c7 <<'EOF'
table regions {
  country text not null default 'se'
  code    text not null unique
  name    text not null
  primary key (country, code)
}
table stores {
  id          int primary key
  region_code text not null references regions (code)
}
EOF
catalog "$db" >"$WORK/before.cat"
psql_q "$db" -At -c "SELECT count(*) FROM c7gen_history" >"$WORK/history.before"

for how in upgrade residue downgrade; do
    out=$(C7GEN_TEST_BREAK_PLAN=$how c7 autogenerate -m second 2>&1)
    rc=$?
    expect "a plan broken in its $how: exit status 2" 2 "$rc"
    case "$out" in *"$bug"*) ok "a plan broken in its $how is reported as c7gen's bug";;
        *) not_ok "a plan broken in its $how is reported as c7gen's bug"; echo "$out";; esac
    expect "a plan broken in its $how: no file is written" 1 "$(ls migrations | wc -l | tr -d ' ')"
done
case "$out" in *"models/m.c7:"*"note: table 'stores' is declared here"*) ok "the report points at the models involved";;
    *) not_ok "the report points at the models involved"; echo "$out";; esac
out=$(C7GEN_TEST_BREAK_PLAN=upgrade c7 autogenerate -m second 2>&1)
case "$out" in *"error: division by zero"*"SELECT 1 / 0;"*) ok "the failing statement and the server's message are shown";;
    *) not_ok "the failing statement and the server's message are shown"; echo "$out";; esac
out=$(C7GEN_TEST_BREAK_PLAN=residue c7 autogenerate -m second 2>&1)
case "$out" in *"still differs from the models"*"stores_region_code_fkey"*) ok "what the upgrade leaves undone is named";;
    *) not_ok "what the upgrade leaves undone is named"; echo "$out";; esac

catalog "$db" >"$WORK/after-checks.cat"
if diff -u "$WORK/before.cat" "$WORK/after-checks.cat"; then ok "the configured database is never touched by the check"
else not_ok "the configured database is never touched by the check"; fi
expect "nor is its history" "$(cat "$WORK/history.before")" \
    "$(psql_q "$db" -At -c "SELECT count(*) FROM c7gen_history")"

out=$(C7GEN_TEST_BREAK_PLAN=upgrade c7 autogenerate --no-verify -m unchecked 2>&1)
expect "--no-verify writes the revision unchecked" 0 "$?"
rm -f migrations/*_unchecked.sql

out=$(c7 autogenerate -m second 2>&1)
case "$out" in *"Wrote migrations/"*"_second.sql"*) ok "the real plan is proven and written";;
    *) not_ok "the real plan is proven and written"; echo "$out";; esac
c7 upgrade >/dev/null 2>&1 && ok "and it applies to the configured database" || not_ok "and it applies to the configured database"
expect "with the data" "North" "$(psql_q "$db" -At -c "SELECT r.name FROM stores s JOIN regions r ON r.code = s.region_code")"

# A database that differs from what its migrations build: a column added
# by hand that the models now declare and index.  The revision made against
# it (the index alone) would not apply to a replay; that is said, not blamed
# on c7gen.  Differences in tables the revision does not touch do not stop
# it (check reports them).
psql_q "$db" -c "ALTER TABLE stores ADD COLUMN note text"
sed -i 's/^  region_code text not null references regions (code)$/&\n  note text\n  index (note)/' models/m.c7
out=$(c7 autogenerate -m drifted 2>&1)
expect "a drifted database: exit status 1" 1 "$?"
case "$out" in *"could not prove the new revision: the database differs from the schema its migrations build"*"stores"*"note"*)
    ok "a drifted database: the difference is named, not called a bug";;
    *) not_ok "a drifted database: the difference is named, not called a bug"; echo "$out";; esac
expect "a drifted database: no file is written" 2 "$(ls migrations | wc -l | tr -d ' ')"
psql_q "$db" -c "ALTER TABLE stores DROP COLUMN note"
sed -i '/^  note text$/d; /^  index (note)$/d' models/m.c7

# With nothing configured the check runs in the scratch database the plan
# was made against.
unset C7GEN_DATABASE_URL
cat >>models/m.c7 <<'EOF'
table audits { id int primary key }
EOF
out=$(C7GEN_TEST_BREAK_PLAN=downgrade c7 autogenerate -m third 2>&1)
expect "scratch: a broken downgrade is caught (exit 2)" 2 "$?"
case "$out" in *"does not restore the schema at head"*) ok "scratch: the report says the downgrade does not restore";;
    *) not_ok "scratch: the report says the downgrade does not restore"; echo "$out";; esac
out=$(c7 revision --autogenerate -m third 2>&1)
case "$out" in *"Wrote migrations/"*"_third.sql"*) ok "scratch: revision --autogenerate proves and writes";;
    *) not_ok "scratch: revision --autogenerate proves and writes"; echo "$out";; esac
finish

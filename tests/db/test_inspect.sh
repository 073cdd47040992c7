#!/bin/bash
# c7gen inspect and the adoption workflow of docs/adopting.md, on a
# database written by hand with every kind the language has grown to
# (extensions, sequences, deferrable and match-full keys, include, nulls
# not distinct, operator classes, storage parameters, exclusion, not valid)
# and kinds it leaves alone (view, function, domain, composite type):
#   inspect -> the models describe the database (diff is empty)
#   the summary names what was left out; files are never overwritten
#   baseline autogenerate from scratch -> stamp -> check is clean
#   the baseline rebuilds the same catalog in an empty database
. "$C7GEN_SRCDIR/tests/db/lib.sh"

src=$(new_db src)
psql_q "$src" >/dev/null <<'SQL'
CREATE EXTENSION citext;
CREATE EXTENSION btree_gist;
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (a integer, b integer);
CREATE SCHEMA billing;
CREATE TYPE billing.state AS ENUM ('open', 'paid', 'void');
CREATE SEQUENCE billing.invoice_no START 1000 INCREMENT 5;
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email citext NOT NULL UNIQUE,
  handle text COLLATE "C",
  score posint,
  coords pair,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE accounts ADD CONSTRAINT handle_len CHECK (char_length(handle) < 40) NOT VALID;
COMMENT ON TABLE accounts IS 'People who pay';
COMMENT ON COLUMN accounts.email IS 'Login, case-insensitive';
CREATE INDEX accounts_handle_pattern ON accounts (handle text_pattern_ops);
CREATE INDEX ON accounts (lower(handle)) INCLUDE (email) WITH (fillfactor = 70) WHERE score IS NOT NULL;
CREATE UNIQUE INDEX ON accounts (handle) NULLS NOT DISTINCT;
CREATE TABLE billing.invoices (
  no bigint PRIMARY KEY DEFAULT nextval('billing.invoice_no'),
  account_id bigint REFERENCES accounts DEFERRABLE INITIALLY DEFERRED,
  state billing.state NOT NULL DEFAULT 'open',
  ref_a integer, ref_b integer,
  period tstzrange,
  UNIQUE (ref_a, ref_b) INCLUDE (state),
  CONSTRAINT one_per_period EXCLUDE USING gist (account_id WITH =, period WITH &&)
);
CREATE TABLE billing.lines (
  inv bigint, pos integer, a integer, b integer,
  PRIMARY KEY (inv, pos),
  FOREIGN KEY (a, b) REFERENCES billing.invoices (ref_a, ref_b) MATCH FULL ON DELETE CASCADE
);
CREATE VIEW recent AS SELECT id FROM accounts;
CREATE FUNCTION one() RETURNS integer LANGUAGE sql AS 'SELECT 1';
SQL

proj="$WORK/proj"
mkdir -p "$proj"
cd "$proj" || exit 1
"$C7GEN" init >/dev/null
c7() { "$C7GEN" --no-color "$@"; }
live=$(conninfo "$src")

out=$(C7GEN_DATABASE_URL=$live c7 inspect 2>/dev/null)
status=$?
[ $status = 0 ] && ok "inspect succeeds" || { not_ok "inspect succeeds ($status)"; echo "$out"; }
case "$out" in *"ignored (outside the model language, never changed by c7gen): 1 view, 1 function, 1 domain, 1 composite type"*)
    ok "inspect names what it leaves out";;
    *) not_ok "inspect names what it leaves out"; echo "$out";; esac
[ -f models/public.c7 ] && [ -f models/billing.c7 ] && ok "one file per schema" ||
    { not_ok "one file per schema"; ls models; }
for want in 'extension citext' 'extension btree_gist' 'sequence billing.invoice_no increment 5 start 1000' \
    'constraint handle_len check (char_length(handle) < 40) not valid' \
    'index accounts_handle_pattern (handle text_pattern_ops)' \
    'index (lower(handle)) include (email) with (fillfactor=70) where (score IS NOT NULL)' \
    'unique index (handle) nulls not distinct' \
    'foreign key (account_id) references accounts (id) deferrable initially deferred' \
    'unique (ref_a, ref_b) include (state)' \
    'constraint one_per_period exclude using gist (account_id WITH =, period WITH &&)' \
    'foreign key (a, b) references invoices (ref_a, ref_b) on delete cascade match full' \
    'score      public.posint' 'coords     public.pair'; do
    if grep -qF -- "$want" models/*.c7; then ok "models say: $want"; else not_ok "models say: $want"; fi
done


[ -z "$(C7GEN_DATABASE_URL=$live c7 diff 2>/dev/null)" ] && ok "the inspected models describe the database: diff is empty" ||
    { not_ok "the inspected models describe the database: diff is empty"; C7GEN_DATABASE_URL=$live c7 diff; }

# inspect writes fmt's layout: its models are already formatted, and
# formatting a disturbed copy gives them back.
out=$(c7 fmt --check models 2>&1); rc=$?
[ "$rc:$out" = "0:" ] && ok "inspected models are already formatted (fmt --check)" ||
    { not_ok "inspected models are already formatted (fmt --check)"; c7 fmt --diff models; }
python3 "$C7GEN_SRCDIR/tests/fmt/perturb.py" models "$WORK/disturbed"
c7 fmt "$WORK/disturbed" >/dev/null 2>&1
diff -r models "$WORK/disturbed" >/dev/null && ok "fmt gives a disturbed copy back exactly" ||
    { not_ok "fmt gives a disturbed copy back exactly"; diff -r models "$WORK/disturbed"; }

before=$(cat models/public.c7)
echo "-- my edit" >>models/public.c7
out=$(C7GEN_DATABASE_URL=$live c7 inspect 2>&1)
status=$?
[ $status = 2 ] && ok "inspect refuses to overwrite (exit 2)" || not_ok "inspect refuses to overwrite (exit $status)"
case "$out" in *"models/"*"exists; pass --force"*) ok "and says which file and how";; *) not_ok "and says which file and how"; echo "$out";; esac
grep -q '^-- my edit$' models/public.c7 && ok "the edited file is untouched" || not_ok "the edited file is untouched"
C7GEN_DATABASE_URL=$live c7 inspect --force >/dev/null 2>&1
[ "$(cat models/public.c7)" = "$before" ] && ok "--force rewrites, and the output is deterministic" ||
    not_ok "--force rewrites, and the output is deterministic"

C7GEN_DATABASE_URL=$live c7 inspect --out split --split table --schema billing >/dev/null 2>&1
[ -f split/billing/invoices.c7 ] && [ -f split/billing/lines.c7 ] && [ -f split/billing/enums.c7 ] &&
    [ -f split/billing/sequences.c7 ] && [ ! -e split/public ] && ok "--split table --schema billing" ||
    { not_ok "--split table --schema billing"; find split; }

# Domains and composite types are outside the models: a hand-written
# revision provides them, so the scratch database (and every fresh one)
# has them before the baseline's tables.
c7 revision -m "domains and types" >/dev/null
types=$(ls migrations/*_domains_and_types.sql)
sed -i 's/^-- +upgrade$/-- +upgrade\nCREATE DOMAIN posint AS integer CHECK (VALUE > 0);\nCREATE TYPE pair AS (a integer, b integer);/;
        s/^-- +downgrade$/-- +downgrade\nDROP TYPE pair;\nDROP DOMAIN posint;/' "$types"
# The baseline: autogenerate against the scratch database (no URL), then
# stamp it on the live database, where it must not run.
rm -rf .c7gen
c7 autogenerate -m baseline >/dev/null 2>"$WORK/gen.err" || { not_ok "baseline autogenerate"; cat "$WORK/gen.err"; }
rev=$(ls migrations/*_baseline.sql 2>/dev/null)
[ -n "$rev" ] && ok "the baseline revision is written" || not_ok "the baseline revision is written"
C7GEN_DATABASE_URL=$live c7 stamp head >/dev/null 2>&1 && ok "stamp the baseline on the live database" || not_ok "stamp"
out=$(C7GEN_DATABASE_URL=$live c7 check 2>&1)
status=$?
[ $status = 0 ] && ok "check is clean against the adopted database" || { not_ok "check is clean ($status)"; echo "$out"; }
out=$(c7 check --roundtrip 2>&1)
[ $? = 0 ] && ok "check --roundtrip: every downgrade restores the catalog before it" ||
    { not_ok "check --roundtrip"; echo "$out"; }

fresh=$(new_db fresh)
C7GEN_DATABASE_URL=$(conninfo "$fresh") c7 upgrade >/dev/null 2>&1 || not_ok "upgrade a fresh database"
catalog "$src" -v inscope=1 >"$WORK/src.cat"
catalog "$fresh" -v inscope=1 >"$WORK/fresh.cat"
if diff -u "$WORK/src.cat" "$WORK/fresh.cat" >"$WORK/cat.diff"; then
    ok "the baseline rebuilds the live catalog exactly"
else
    not_ok "the baseline rebuilds the live catalog exactly"; cat "$WORK/cat.diff"
fi
finish

#!/bin/bash
# c7gen lint as a user runs it: the migrations directory, REV and FILE
# arguments, JSON and GitHub output, ignores for a statement and for a
# file, steps outside a transaction, tables the revision creates, and
# revisions the parser rejects.
set -u
: "${C7GEN:?C7GEN must name the c7gen binary}"
if [ -n "${C7GEN_WRAPPER:-}" ]; then
    export C7GEN_REAL=$C7GEN
    C7GEN=$C7GEN_WRAPPER
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
checks=0
failures=0
ok() { checks=$((checks + 1)); echo "ok - $*"; }
not_ok() { checks=$((checks + 1)); failures=$((failures + 1)); echo "not ok - $*"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; printf '  expected: %s\n  actual:   %s\n' "$2" "$3"; fi; }
c7() { "$C7GEN" --config /dev/null --no-color --migrations migrations "$@"; }
rev() { # rev ID PARENT: the upgrade section from stdin
    { printf -- '-- revision: %s\n-- parents: %s\n-- message: m\n\n-- +upgrade\n' "$1" "$2"
      cat
      printf -- '\n-- +downgrade\n'; } >"migrations/${1}_m.sql"
}
mkdir migrations

rev aaaa00000001 '' <<'SQL'
CREATE TABLE users (id bigint PRIMARY KEY, email text);
-- The table was created above: nobody reads it yet, so no lock hurts.
CREATE INDEX users_email_idx ON users (email);
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
UPDATE users SET email = lower(email);
SQL
out=$(c7 lint); rc=$?
expect "tables created in the revision need no care" "0 " "$rc $out"

rev bbbb00000002 aaaa00000001 <<'SQL'
-- c7gen-lint: ignore require-concurrent-index-creation (users is empty in every environment)
CREATE INDEX users_email_lower_idx ON users (lower(email));
CREATE INDEX users_id_email_idx ON users (id, email);
-- +step transaction: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_x_idx ON users (id);
DROP INDEX CONCURRENTLY users_x_idx;
SQL
out=$(c7 lint bbbb); rc=$?
expect "a REV prefix: exit 1 on an error" 1 "$rc"
expect "an ignore covers only the statement it leads; steps outside a transaction want IF EXISTS" \
"migrations/bbbb00000002_m.sql:8:1: error: CREATE INDEX without CONCURRENTLY blocks writes to 'users' while the index builds [require-concurrent-index-creation]
migrations/bbbb00000002_m.sql:11:1: warning: DROP without IF EXISTS in a step outside a transaction [prefer-robust-stmts]" \
    "$(grep '^migrations' <<<"$out")"

out=$(c7 lint --format json migrations/bbbb00000002_m.sql); rc=$?
expect "--format json: the same findings, exit 1" 1 "$rc"
expect "--format json: file, line, column, rule, severity, message, hint" \
'{
  "findings": [
    {
      "file": "migrations/bbbb00000002_m.sql",
      "line": 8,
      "column": 1,
      "rule": "require-concurrent-index-creation",
      "severity": "error",
      "message": "CREATE INDEX without CONCURRENTLY blocks writes to '"'users'"' while the index builds",
      "hint": "CREATE INDEX CONCURRENTLY IF NOT EXISTS in a step marked '"'-- +step transaction: none'"'"
    },
    {
      "file": "migrations/bbbb00000002_m.sql",
      "line": 11,
      "column": 1,
      "rule": "prefer-robust-stmts",
      "severity": "warning",
      "message": "DROP without IF EXISTS in a step outside a transaction",
      "hint": "use IF NOT EXISTS / IF EXISTS so a resumed step can run it again"
    }
  ],
  "errors": 1,
  "warnings": 1
}' "$out"

out=$(c7 lint --format github bbbb00000002)
expect "--format github: workflow annotations" \
"::error file=migrations/bbbb00000002_m.sql,line=8,col=1,title=require-concurrent-index-creation::CREATE INDEX without CONCURRENTLY blocks writes to 'users' while the index builds
hint: CREATE INDEX CONCURRENTLY IF NOT EXISTS in a step marked '-- +step transaction: none'
::warning file=migrations/bbbb00000002_m.sql,line=11,col=1,title=prefer-robust-stmts::DROP without IF EXISTS in a step outside a transaction
hint: use IF NOT EXISTS / IF EXISTS so a resumed step can run it again" "$out"

# An ignore in the header covers the whole file.
sed -i 's/^-- message: m$/-- message: m\n-- c7gen-lint: ignore require-concurrent-index-creation, prefer-robust-stmts (staging only)/' \
    migrations/bbbb00000002_m.sql
out=$(c7 lint bbbb00000002); rc=$?
expect "an ignore in the header covers the file" "0 " "$rc $out"

# Warnings alone: exit 0.
mkdir other
{ printf -- '-- revision: cccc00000003\n-- parents:\n-- message: m\n\n-- +upgrade\n'
  printf 'ALTER TABLE users ADD COLUMN born timestamp;\n-- +downgrade\n'; } >other/c.sql
c7 lint other/c.sql >/dev/null; rc=$?
expect "warnings alone exit 0" 0 "$rc"

# c7gen.ini sets levels: a rule switched off, a warning made an error.
printf '[lint]\nprefer-timestamptz = error\nrequire-concurrent-index-creation = off\n' >c7gen.ini
out=$("$C7GEN" --config c7gen.ini --no-color lint other/c.sql 2>/dev/null); rc=$?
expect "[lint] RULE = error in c7gen.ini makes a warning an error" \
    "1 other/c.sql:6:35: error: column 'born' is timestamp without time zone [prefer-timestamptz]" \
    "$rc $(head -1 <<<"$out")"
sed -i '/^-- c7gen-lint/d' migrations/bbbb00000002_m.sql
out=$("$C7GEN" --config c7gen.ini --no-color --migrations migrations lint bbbb 2>/dev/null); rc=$?
expect "[lint] RULE = off switches it off" "0 warning" "$rc $(grep -o 'warning' <<<"$out")"
printf '[lint]\nno-such-rule = off\nban-drop-table = loud\n' >c7gen.ini
err=$("$C7GEN" --config c7gen.ini --no-color lint other/c.sql 2>&1); rc=$?
expect "unknown rules and levels in c7gen.ini are usage errors" \
"2 c7gen: error: c7gen.ini: [lint] no rule 'no-such-rule' (c7gen lint --rules lists them)
c7gen: error: c7gen.ini: [lint] ban-drop-table = 'loud': the level is error, warning or off" "$rc $err"
rm c7gen.ini

# The parser's verdict comes first: nothing is linted, exit 2.
{ printf -- '-- revision: dddd00000004\n-- parents:\n-- message: m\n\n-- +upgrade\n'
  printf 'CREATE TABLE t (id bigint);\nALTER TABLE t ADD COLUM b int;\n-- +downgrade\n'; } >other/d.sql
err=$(c7 lint other/d.sql 2>&1 >/dev/null); rc=$?
expect "a statement the parser rejects: exit 2" 2 "$rc"
expect "at its place, with the parser's message" \
    "other/d.sql:7:27: error: syntax error at or near \"int\"" "$(head -1 <<<"$err")"

# --model-files: foreign keys in the models, where every index is declared.
mkdir models
cat >models/shop.c7 <<'C7'
table customers {
  id bigint primary key
}

table orders {
  id          bigint primary key
  customer_id bigint not null references customers
}

table invoices {
  id          bigint primary key
  customer_id bigint not null references customers
  order_id    bigint references orders

  index (customer_id, id)
  unique (order_id)
}
C7
out=$(c7 --models models lint --model-files 2>/dev/null); rc=$?
expect "--model-files: a foreign key no index or key leads with, a warning" \
"0 models/shop.c7:7:31: warning: no index on 'orders' leads with the foreign key's column (customer_id) [foreign-key-without-index]" \
    "$rc $(grep '^models' <<<"$out")"

err=$(c7 lint ffff 2>&1); rc=$?
expect "an unknown revision is a usage error" "2 c7gen: error: no revision or file 'ffff'" "$rc $err"
c7 lint --format yaml >/dev/null 2>&1; rc=$?
expect "an unknown format is a usage error" 2 "$rc"

echo "$checks checks, $failures failed"
[ "$failures" = 0 ]

#!/bin/sh
# c7gen fmt as a user runs it: --check for CI, --diff for review, in-place
# rewriting, files with syntax errors left alone, standard input.
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
c7() { "$C7GEN" --config /dev/null --no-color "$@"; }

mkdir -p models/billing
cat >models/users.c7 <<'C7'
table users {
  id uuid primary key
  email   text not null -- login
}
C7
cat >models/billing/invoices.c7 <<'C7'
table billing.invoices {
  no bigint primary key
}
C7
cat >models/roles.c7 <<'C7'
enum role { admin, member }
C7
chmod 640 models/users.c7
cp -r models pristine

out=$(c7 fmt --check); rc=$?
expect "--check exits 1 when a file would change" 1 "$rc"
expect "and lists exactly the files that would change" "models/users.c7" "$out"
diff -r pristine models >/dev/null && ok "--check writes nothing" || not_ok "--check writes nothing"

out=$(c7 fmt --diff); rc=$?
expect "--diff exits 0" 0 "$rc"
expected='--- a/models/users.c7
+++ b/models/users.c7
@@ -1,4 +1,4 @@
 table users {
-  id uuid primary key
-  email   text not null -- login
+  id    uuid primary key
+  email text not null -- login
 }'
expect "--diff prints a unified diff of the change" "$expected" "$out"
diff -r pristine models >/dev/null && ok "--diff writes nothing" || not_ok "--diff writes nothing"
c7 fmt --diff >"$work/change.diff"
mkdir applied && cp -r models applied/ && (cd applied && git apply "$work/change.diff") &&
    c7 fmt - <models/users.c7 | cmp -s - applied/models/users.c7 &&
    ok "the diff applies with git apply and gives the formatted file" ||
    not_ok "the diff applies with git apply and gives the formatted file"

out=$(c7 fmt); rc=$?
expect "fmt rewrites in place and exits 0" 0 "$rc"
expect "naming the files it changed" "models/users.c7" "$out"
expect "the permissions of a rewritten file are kept" "640" "$(stat -c %a models/users.c7)"
out=$(c7 fmt --check); rc=$?
expect "afterwards --check passes" "0:" "$rc:$out"
cmp -s pristine/roles.c7 models/roles.c7 && ok "files already formatted are not touched" ||
    not_ok "files already formatted are not touched"

printf 'table broken {\n  a int\n  b text default (\n}\n' >models/broken.c7
cp models/broken.c7 broken.orig
printf 'table later {\n  a   int\n}\n' >models/later.c7
out=$(c7 fmt 2>err); rc=$?
expect "a file with syntax errors makes fmt exit 2" 2 "$rc"
grep -q "^models/broken.c7:3:18: error: unclosed '('" err && ok "with the error at its place" ||
    { not_ok "with the error at its place"; cat err; }
cmp -s broken.orig models/broken.c7 && ok "the broken file is left as it is" ||
    not_ok "the broken file is left as it is"
expect "the other files are still formatted" "models/later.c7" "$out"

out=$(c7 fmt - <broken.orig 2>/dev/null); rc=$?
expect "fmt - with syntax errors exits 2 and prints nothing" "2:" "$rc:$out"
out=$(printf 'TABLE t {a INT}\n' | c7 fmt -); rc=$?
expect "fmt - formats standard input to standard output" "0:table t {
  a int
}" "$rc:$out"

rm models/broken.c7
printf 'table x {\n  a    int\n}\n' >one.c7
out=$(c7 fmt --check one.c7 models/billing); rc=$?
expect "files and directories can be named" "1:one.c7" "$rc:$out"
out=$(c7 fmt no/such/file.c7 2>&1); rc=$?
expect "a missing file is an error" 2 "$rc"
case "$out" in *"cannot read 'no/such/file.c7'"*) ok "saying which";; *) not_ok "saying which"; echo "$out";; esac
c7 help fmt | grep -q '^usage: c7gen fmt \[--check\] \[--diff\]' && ok "c7gen help fmt" || not_ok "c7gen help fmt"

echo "$checks checks, $failures failed"
[ "$failures" = 0 ]

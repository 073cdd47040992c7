#!/bin/bash
# docs/lint.md documents exactly the rules c7gen implements, in its order,
# and shows for each the upgrade sections of tests/lint/RULE/bad.sql and
# good.sql as its bad and good examples.
set -u
: "${C7GEN:?C7GEN must name the c7gen binary}"
: "${C7GEN_SRCDIR:?C7GEN_SRCDIR must name the source tree}"
doc=$C7GEN_SRCDIR/docs/lint.md
fail=0

rules=$("$C7GEN" lint --rules | awk '{print $1}')
documented=$(sed -n 's/^### `\([a-z-]*\)`$/\1/p' "$doc")
if [ "$rules" != "$documented" ]; then
    echo "docs/lint.md rules differ from 'c7gen lint --rules':"
    diff <(echo "$rules") <(echo "$documented")
    fail=1
fi
tested=$(cd "$C7GEN_SRCDIR/tests/lint" && ls -d */ | tr -d /)
if [ "$rules" != "$tested" ]; then
    echo "tests/lint/ cases differ from the rules:"
    diff <(echo "$rules") <(echo "$tested")
    fail=1
fi

# The upgrade section of a revision file.
upgrade() { sed -n '/^-- +upgrade$/,/^-- +downgrade$/p' "$1" | sed '1d;$d' | sed '/^$/d'; }
# Every rule's ```sql blocks, in one pass: RULE.1 (bad) and RULE.2 (good).
blocks=$(mktemp -d)
trap 'rm -rf "$blocks"' EXIT
awk -v dir="$blocks" '
    /^### `[a-z-]*`$/ { rule = substr($0, 6, length($0) - 6); k = 0; next }
    /^## / { rule = "" }
    rule != "" && /^```sql$/ { k++; out = dir "/" rule "." k; printf "" > out; next }
    /^```$/ { out = ""; next }
    out != "" && $0 != "" { print >> out }' "$doc"
for r in $rules; do
    for pair in "1 bad" "2 good"; do
        set -- $pair
        if [ "$(cat "$blocks/$r.$1" 2>/dev/null)" != "$(upgrade "$C7GEN_SRCDIR/tests/lint/$r/$2.sql")" ]; then
            echo "docs/lint.md: the $2 example of '$r' is not tests/lint/$r/$2.sql's upgrade section"
            fail=1
        fi
    done
done
[ "$fail" = 0 ] && echo "ok - docs/lint.md lists every rule with its tested examples"
exit $fail

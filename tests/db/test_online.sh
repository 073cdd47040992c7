#!/bin/bash
# Online plans against a real server.  On a populated schema (models
# online/before, rows from online/data.sql) autogenerate writes, by default,
# the revision in online/expected.sql (reviewed by eye): indexes built and
# dropped CONCURRENTLY, a changed index built beside the old one, foreign
# key and check NOT VALID then validated in steps of their own, NOT NULL
# over a validated check, unique and primary key USING an index built
# concurrently, widenings without a rewrite; a new table stays plain.
# Then: the upgrade leaves no INVALID index and exactly the catalog of the
# atomic plan (autogenerate --atomic, and online = false in c7gen.ini), a
# second autogenerate finds nothing, the data survives and the downgrade
# restores the 'before' catalog; a NOT NULL over NULLs fails at its
# VALIDATE step, named, with `current` showing the revision part way; a
# kill -9 part way, then upgrade, completes the revision.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

src="$C7GEN_SRCDIR/tests/db/online"
expect() { # description expected actual
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi
}
sections() { sed -n '/^-- +upgrade/,$p' "$1"; }

# build NAME [c7gen.ini text]: a project at 'before' with the rows loaded;
# sets proj, db and c7.
build() {
    proj="$WORK/$1"
    mkdir -p "$proj/migrations"
    cd "$proj" || exit 1
    printf '%s\n' "${2:-}" >"$proj/c7gen.ini"
    db=$(new_db "$1")
    export C7GEN_DATABASE_URL
    C7GEN_DATABASE_URL=$(conninfo "$db")
    c7() { "$C7GEN" --config "$proj/c7gen.ini" --no-color --migrations "$proj/migrations" "$@"; }
    c7 --models "$src/before" autogenerate -m before >"$proj/log" 2>&1 &&
        c7 --models "$src/before" upgrade >>"$proj/log" 2>&1 &&
        psql_q "$db" -f "$src/data.sql" >>"$proj/log" 2>&1 ||
        { not_ok "$1: building the 'before' schema"; cat "$proj/log"; }
}
after_rev() { ls "$proj"/migrations/*_after.sql 2>/dev/null | head -1; }

# --- online (the default)
build online
catalog "$db" >"$WORK/before.cat"
out=$(c7 --models "$src/after" autogenerate -m after 2>"$proj/err")
rev=$(after_rev)
if [ -n "$rev" ] && diff -u "$src/expected.sql" <(sections "$rev"); then
    ok "online: the revision is the reviewed one"
else
    not_ok "online: the revision is the reviewed one"; cat "$proj/err"
fi
expect "online: autogenerate summarises the plan" \
    "c7gen: upgrade: 17 steps, 4 concurrent index builds, 4 validations, no LOCK hazard, 2 warnings" \
    "$(grep 'upgrade:' "$proj/err")"
if c7 --models "$src/after" upgrade >"$proj/log" 2>&1; then
    ok "online: upgrade"
else
    not_ok "online: upgrade"; cat "$proj/log"
fi
expect "online: no INVALID index" 0 "$(psql_q "$db" -At -c 'SELECT count(*) FROM pg_index WHERE NOT indisvalid')"
again=$(c7 --models "$src/after" autogenerate -m again 2>/dev/null)
expect "online: a second autogenerate finds nothing" "No changes detected." "$again"
expect "online: the data survived" "1000 100 333" \
    "$(psql_q "$db" -At -F' ' -c "SELECT count(*), count(DISTINCT user_id), count(*) FILTER (WHERE status = 'x') FROM orders")"
online_db=$db
if c7 --models "$src/after" downgrade -1 >"$proj/log" 2>&1; then
    catalog "$db" >"$WORK/down.cat"
    if diff -u "$WORK/before.cat" "$WORK/down.cat"; then
        ok "online: downgrade restores the 'before' schema"
    else
        not_ok "online: downgrade restores the 'before' schema"
    fi
else
    not_ok "online: downgrade -1"; cat "$proj/log"
fi
c7 --models "$src/after" upgrade >"$proj/log" 2>&1 || { not_ok "online: upgrade again"; cat "$proj/log"; }

# --- atomic: --atomic, and online = false in c7gen.ini; same catalog
for how in flag ini; do
    if [ $how = flag ]; then build "atomic_$how"; flag=--atomic
    else build "atomic_$how" "online = false"; flag=; fi
    c7 --models "$src/after" autogenerate -m after $flag >"$proj/out" 2>&1
    rev=$(after_rev)
    if [ -n "$rev" ] && ! grep -q -- '-- +step\|CONCURRENTLY' "$rev"; then
        ok "atomic ($how): one plain transaction"
    else
        not_ok "atomic ($how): one plain transaction"; cat "$proj/out"; [ -n "$rev" ] && cat "$rev"
    fi
    c7 --models "$src/after" upgrade >"$proj/log" 2>&1 || { not_ok "atomic ($how): upgrade"; cat "$proj/log"; }
    same_catalog "$db" "$online_db" "atomic ($how): the same catalog as the online plan"
done
out=$(cd "$WORK" && printf 'online = maybe\n' >bad.ini &&
      "$C7GEN" --config bad.ini --models "$src/after" --migrations "$WORK/none" autogenerate -m x 2>&1)
case "$out" in *"online = 'maybe': expected true or false"*) ok "a bad 'online' value is an error";;
    *) not_ok "a bad 'online' value is an error"; echo "$out";; esac

# --- a NOT NULL over NULLs stops at its VALIDATE step, reported and resumable
build nulls
psql_q "$db" -c "UPDATE orders SET user_id = NULL WHERE id = 7" >/dev/null
c7 --models "$src/after" autogenerate -m after --no-verify >/dev/null 2>&1
err=$(c7 --models "$src/after" upgrade 2>&1)
case "$err" in *"_after.sql:"*"error: check constraint \"user_id_c7gen_not_null\""*"is violated by some row"*"note: in step 5 of 17 of the upgrade"*)
        ok "a NOT NULL over NULLs fails at its VALIDATE step, named";;
    *) not_ok "a NOT NULL over NULLs fails at its VALIDATE step, named"; echo "$err";; esac
cur=$(c7 current 2>&1)
case "$cur" in *"step"*"5"*) ok "current shows the revision applied part way";;
    *) not_ok "current shows the revision applied part way"; echo "$cur";; esac
psql_q "$db" -c "UPDATE orders SET user_id = 7 WHERE id = 7" >/dev/null
if c7 --models "$src/after" upgrade >"$proj/log" 2>&1; then
    ok "after the rows are fixed, upgrade resumes and completes"
else
    not_ok "after the rows are fixed, upgrade resumes and completes"; cat "$proj/log"
fi
same_catalog "$db" "$online_db" "the resumed revision gives the same catalog"

# --- kill -9 part way through the online upgrade (on more rows, so that
# the builds and validations take a while), then upgrade: the revision
# completes with no INVALID index and the same catalog
build killed
psql_q "$db" -c "INSERT INTO orders (id, user_id, note, total, status)
    SELECT g, 1 + g % 100, 'n' || g, g / 7.0, 'open' FROM generate_series(1001, 300000) g" >/dev/null
c7 --models "$src/after" autogenerate -m after --no-verify >/dev/null 2>&1
c7 --models "$src/after" upgrade >"$proj/log" 2>&1 &
pid=$!
steps_done() { psql_q "$db" -At -c "SELECT coalesce(max(steps_done), 0) FROM c7gen_progress" 2>/dev/null || echo 0; }
for _ in $(seq 600); do
    [ "$(steps_done)" -ge 7 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
done_then=$(steps_done)
if [ "$done_then" -ge 7 ] && [ "$done_then" -lt 17 ]; then
    ok "kill -9 landed part way (after step $done_then of 17)"
else
    not_ok "kill -9 landed part way (after step $done_then of 17)"; cat "$proj/log"
fi
if c7 --models "$src/after" upgrade >"$proj/log" 2>&1; then
    ok "after kill -9, upgrade completes the revision"
else
    not_ok "after kill -9, upgrade completes the revision"; cat "$proj/log"
fi
expect "after kill -9: no INVALID index, no progress left" "0 0" \
    "$(psql_q "$db" -At -F' ' -c 'SELECT (SELECT count(*) FROM pg_index WHERE NOT indisvalid), (SELECT count(*) FROM c7gen_progress)')"
same_catalog "$db" "$online_db" "after kill -9: the same catalog"
finish

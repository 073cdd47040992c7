#!/bin/bash
# The zero-configuration path: c7gen's own scratch PostgreSQL, on a copy of
# the example project.  check passes, then fails for a model change, a
# broken downgrade and an edited applied revision; the server never
# outlives the command, even after Ctrl-C, and survives kill -9.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

ex="$WORK/example"
mkdir -p "$ex"
cp -r "$C7GEN_SRCDIR/c7gen.ini" "$C7GEN_SRCDIR/models" "$C7GEN_SRCDIR/migrations" "$ex/"
cd "$ex" || exit 1
# The default place of the scratch cluster is what this test is about.
unset C7GEN_DATABASE_URL DATABASE_URL C7GEN_SCRATCH_DIR
c7() { "$C7GEN" --no-color "$@"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi; }

cluster=""
others=()
cleanup_cluster() { [ -n "$cluster" ] && rm -rf "$cluster"; rm -rf "${others[@]}"; remove_work; }
trap cleanup_cluster EXIT
server_alive() { [ -n "$cluster" ] && pgrep -f -- "$cluster/data" >/dev/null; }

out=$(c7 check 2>"$WORK/err"); rc=$?
cluster=$(sed -n 's/.*using the scratch database in //p' "$WORK/err" | head -1)
expect "check passes on the example project" "0" "$rc"
case "$out" in *"check passed: 3 revisions"*) ok "and says so";; *) not_ok "and says so"; echo "$out"; cat "$WORK/err";; esac
[ -n "$cluster" ] && ok "it says which database it uses" || not_ok "it says which database it uses"
server_alive && not_ok "no server is left running" || ok "no server is left running"

out=$(c7 check --roundtrip 2>&1); rc=$?
expect "check --roundtrip passes on the example project" "0" "$rc"

cp models/users.c7 "$WORK/users.c7"
sed -i 's/^  display_name text$/  display_name text\n  nickname     varchar(40)/' models/users.c7
out=$(c7 check 2>/dev/null); rc=$?
expect "a column added to a model makes check exit 1" "1" "$rc"
case "$out" in *"users.nickname: in models, missing from database"*"ALTER TABLE users ADD COLUMN nickname varchar(40);"*)
    ok "naming the column and showing the SQL";;
    *) not_ok "naming the column and showing the SQL"; echo "$out";; esac
out=$(c7 check --format json 2>/dev/null); rc=$?
expect "check --format json exits 1 too" "1" "$rc"
# Parsed, not grepped: the output must be JSON with the keys in this order.
if echo "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert list(r) == ["ok", "findings", "sql"], list(r)
assert r["ok"] is False
assert {"object": "users.nickname", "message": "in models, missing from database"} in r["findings"], r
assert "ALTER TABLE users ADD COLUMN nickname varchar(40);" in r["sql"]
'; then ok "--format json names it too, as JSON"; else not_ok "--format json names it too, as JSON"; echo "$out"; fi
cp "$WORK/users.c7" models/users.c7

last=$(ls migrations/*add_is_verified*.sql)
cp "$last" "$WORK/last.sql"
sed -i '/^-- +downgrade$/,$d' "$last"
printf -- '-- +downgrade\nSELECT 1;\n' >>"$last"
out=$(c7 check --roundtrip 2>/dev/null); rc=$?
expect "a broken downgrade makes check --roundtrip exit 1" "1" "$rc"
case "$out" in *"$last: downgrade does not restore the schema before it"*"is_verified"*)
    ok "naming the revision";; *) not_ok "naming the revision"; echo "$out";; esac
server_alive && not_ok "no server is left after a failed check" || ok "no server is left after a failed check"
cp "$WORK/last.sql" "$last"

# An edited applied revision, against a configured database.
db=$(new_db edited)
C7GEN_DATABASE_URL=$(conninfo "$db") c7 upgrade >/dev/null 2>&1
out=$(C7GEN_DATABASE_URL=$(conninfo "$db") c7 check 2>/dev/null); rc=$?
expect "check against a configured database at head passes" "0" "$rc"
sed -i 's/^-- message: add is_verified to users$/-- message: add is_verified to users (edited)/' "$last"
out=$(C7GEN_DATABASE_URL=$(conninfo "$db") c7 check 2>/dev/null); rc=$?
expect "an edited applied revision makes check exit 1" "1" "$rc"
id=$(basename "$last" | cut -c1-12)
case "$out" in *"$last: revision $id was edited after it was applied"*) ok "naming the revision";;
    *) not_ok "naming the revision"; echo "$out";; esac
n=$(psql_q "$db" -At -c "SELECT count(*) FROM c7gen_history")
expect "check changed nothing in the configured database" "3" "$n"
cp "$WORK/last.sql" "$last"

# Ctrl-C in the middle of a replay stops the server.
sleeper="migrations/ffffffffffff_sleep.sql"
head=$(basename "$last" | cut -c1-12)
printf -- '-- revision: ffffffffffff\n-- parents: %s\n-- message: sleep\n\n-- +upgrade\nSELECT pg_sleep(30);\n\n-- +downgrade\nSELECT 1;\n' "$head" >"$sleeper"
# Job control gives the background job the default SIGINT, as a terminal's
# foreground job has.
set -m
"$C7GEN" --no-color check >/dev/null 2>&1 &
pid=$!
set +m
for _ in $(seq 1 100); do server_alive && break; sleep 0.1; done
sleep 1
kill -INT "$pid"
wait "$pid"; rc=$?
expect "Ctrl-C interrupts check" "130" "$rc"
# A fast shutdown takes seconds on a loaded machine.
for _ in $(seq 1 200); do server_alive || break; sleep 0.1; done
server_alive && not_ok "Ctrl-C stops the scratch server" || ok "Ctrl-C stops the scratch server"

# kill -9 cannot clean up; the next run copes and cleans up.
"$C7GEN" --no-color check >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do server_alive && break; sleep 0.1; done
sleep 1
kill -9 "$pid"
wait "$pid" 2>/dev/null
rm "$sleeper"
out=$(c7 check 2>&1); rc=$?
expect "after kill -9 the next check still works" "0" "$rc"
server_alive && not_ok "and leaves no server behind" || ok "and leaves no server behind"

# Scratch directories under /tmp (root's, or a long project path) record
# their project; those whose project is gone are swept by the next start.
case "$cluster" in
/tmp/c7gen-*)
    expect "the scratch directory records its project" "$(realpath "$ex")" "$(cat "$cluster/project")"
    # other_cluster NAME: a project's scratch directory, made by a check.
    other_cluster() {
        mkdir -p "$WORK/$1"
        cp -r "$ex/c7gen.ini" "$ex/models" "$ex/migrations" "$WORK/$1/"
        (cd "$WORK/$1" && "$C7GEN" --no-color check 2>&1 >/dev/null) |
            sed -n 's/.*using the scratch database in //p' | head -1
    }
    gone=$(other_cluster gone); locked=$(other_cluster locked); alive=$(other_cluster alive)
    others+=("$gone" "$locked" "$alive")
    rm -rf "$WORK/gone" "$WORK/locked"
    legacy=/tmp/c7gen-$(id -u)-$(printf '%016x' $$)
    others+=("$legacy")
    mkdir -p "$legacy/data"; touch "$legacy/lock"
    [ "$(id -u)" = 0 ] && chown -R postgres "$legacy"
    exec 9<>"$locked/lock"; flock 9   # held by this shell, as by a running c7gen
    out=$(c7 check 2>&1); rc=$?
    expect "check still passes while sweeping" "0" "$rc"
    [ -d "$gone" ] && not_ok "a gone project's directory is removed" || ok "a gone project's directory is removed"
    [ -d "$legacy" ] && not_ok "an unlocked directory recording no project is removed" \
        || ok "an unlocked directory recording no project is removed"
    [ -d "$locked" ] && ok "a locked one is kept" || not_ok "a locked one is kept"
    [ -d "$alive/data" ] && ok "a live project's directory is kept" || not_ok "a live project's directory is kept"
    [ -d "$cluster/data" ] && ok "and so is the running project's" || not_ok "and so is the running project's"
    exec 9>&-
    out=$(cd "$WORK/alive" && c7 check 2>&1); rc=$?
    expect "the kept project still checks" "0" "$rc"
    [ -d "$locked" ] && not_ok "once unlocked, the gone project's directory goes too" \
        || ok "once unlocked, the gone project's directory goes too"
    ;;
*) ok "# skip: the scratch directory is in the project ($cluster)";;
esac
finish

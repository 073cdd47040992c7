#!/bin/bash
# c7gen dev: with nothing configured, upgrade, downgrade, stamp, current,
# history -i and show current share a persistent database 'dev' in the
# project's cluster; dev start keeps the server up for the application at
# the URL dev url prints; check reports a dev database that drifted.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

ex="$WORK/example"
mkdir -p "$ex"
cp -r "$C7GEN_SRCDIR/c7gen.ini" "$C7GEN_SRCDIR/models" "$C7GEN_SRCDIR/migrations" "$ex/"
cd "$ex" || exit 1
unset C7GEN_DATABASE_URL DATABASE_URL
c7() { "$C7GEN" --no-color "$@"; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi; }
has() { case "$2" in *"$3"*) ok "$1";; *) not_ok "$1"; echo "  wanted: $3"; echo "  in: $2";; esac; }

cluster=""
cleanup() { c7 dev stop >/dev/null 2>&1; remove_work; }
trap cleanup EXIT
server_alive() { pgrep -f -- "$cluster/data" >/dev/null; }

ids=($(ls migrations/*.sql | xargs -n1 basename | cut -c1-12))
first=${ids[0]}
# The files sort by id, not by order: the head is the one no file names as parent.
head=$(for i in "${ids[@]}"; do grep -q "^-- parents: .*$i" migrations/*.sql || echo "$i"; done)
parent_of_head=$(sed -n 's/^-- parents: //p' migrations/"$head"_*.sql)

out=$(c7 current 2>"$WORK/err"); rc=$?
cluster=$(sed -n 's/.*using the dev database in //p' "$WORK/err" | head -1)
expect "current on a new project exits 0" "0" "$rc"
expect "and says nothing is applied" "No revisions applied." "$out"
[ -n "$cluster" ] && ok "it names the dev database's cluster" || not_ok "it names the dev database's cluster"
server_alive && not_ok "no server is left running" || ok "no server is left running"

c7 upgrade >/dev/null 2>&1; rc=$?
expect "upgrade exits 0" "0" "$rc"
out=$(c7 current 2>/dev/null)
has "a later current sees the upgrade" "$out" "$head (head)"
c7 downgrade -1 >/dev/null 2>&1
out=$(c7 current 2>/dev/null)
has "a later current sees the downgrade" "$out" "$parent_of_head"
out=$(c7 history -i 2>/dev/null)
has "history -i marks what the dev database applied" "$out" "$parent_of_head (applied)"
case "$out" in *"$head (applied)"*) not_ok "and not what it reverted";; *) ok "and not what it reverted";; esac
out=$(c7 show current 2>/dev/null | head -1)
expect "show current shows its applied head" "Revision: $parent_of_head" "$out"
c7 stamp "$first" >/dev/null 2>&1
out=$(c7 current 2>/dev/null)
has "stamp moves the dev database" "$out" "$first"
out=$(c7 dev reset 2>/dev/null); rc=$?
expect "dev reset exits 0" "0" "$rc"
out=$(c7 current 2>/dev/null)
has "and leaves the dev database at head" "$out" "$head (head)"
server_alive && not_ok "no server is left running by these commands" || ok "no server is left running by these commands"

# check replays into a fresh database whatever the dev database holds,
# and reports a dev database that no longer matches its revisions.
out=$(c7 check 2>/dev/null); rc=$?
expect "check passes with the dev database at head" "0" "$rc"
out=$(c7 dev start 2>/dev/null); rc=$?
expect "dev start exits 0" "0" "$rc"
url=$(c7 dev url 2>/dev/null)
has "it prints the URL" "$out" "$url"
server_alive && ok "the server keeps running" || not_ok "the server keeps running"
n=$(psql -X -At -d "$url" -c "SELECT count(*) FROM c7gen_revisions" 2>&1)
expect "the application reaches the dev database at that URL" "${#ids[@]}" "$n"
psql -X -q -d "$url" -c "ALTER TABLE users ADD COLUMN hack integer" 2>&1
out=$(c7 check 2>/dev/null); rc=$?
expect "a change made by hand in the dev database makes check exit 1" "1" "$rc"
has "naming the dev database" "$out" "dev database: drifted from its applied revisions"
server_alive && ok "commands leave the dev server running" || not_ok "commands leave the dev server running"
out=$(c7 dev psql -At -c "SELECT 41 + 1" 2>/dev/null)
expect "dev psql runs psql on it" "42" "$out"
c7 dev reset >/dev/null 2>&1
out=$(c7 check 2>/dev/null); rc=$?
expect "after dev reset check passes again" "0" "$rc"
out=$(c7 dev status 2>/dev/null)
has "dev status says the server runs" "$out" "server:    running"
out=$(c7 dev stop 2>/dev/null); rc=$?
expect "dev stop exits 0" "0" "$rc"
for _ in $(seq 1 50); do server_alive || break; sleep 0.1; done
server_alive && not_ok "and stops the server" || ok "and stops the server"
psql -X -At -d "$url" -c "SELECT 1" >/dev/null 2>&1 && not_ok "the URL no longer answers" || ok "the URL no longer answers"

# dev_port: TCP on localhost as well, and the URL says so.
port=$((20000 + $$ % 20000))
cp c7gen.ini "$WORK/ini"
sed -i "s/^url =.*/&\ndev_port = $port/" c7gen.ini
c7 dev start >/dev/null 2>&1
url=$(c7 dev url 2>/dev/null)
expect "with dev_port the URL is TCP on localhost" "postgresql://postgres@localhost:$port/dev" "$url"
n=$(psql -X -At -d "$url" -c "SELECT inet_server_port()" 2>&1)
expect "and the server answers there" "$port" "$n"
c7 dev stop >/dev/null 2>&1
cp "$WORK/ini" c7gen.ini

# Commands run at the same time take turns on the cluster.
c7 downgrade base >/dev/null 2>&1
c7 upgrade >"$WORK/a" 2>&1 & a=$!
c7 current >"$WORK/b" 2>&1 & b=$!
c7 check >"$WORK/c" 2>&1 & c=$!
wait $a; ra=$?; wait $b; rb=$?; wait $c; rc=$?
expect "concurrent upgrade, current and check all succeed" "0 0 0" "$ra $rb $rc"
out=$(c7 current 2>/dev/null)
has "and the dev database ends at head" "$out" "$head (head)"

# A command killed mid-upgrade leaves the dev database usable.
sleeper="migrations/ffffffffffff_sleep.sql"
printf -- '-- revision: ffffffffffff\n-- parents: %s\n-- message: sleep\n\n-- +upgrade\nCREATE TABLE slept (id int);\nSELECT pg_sleep(30);\n\n-- +downgrade\nDROP TABLE slept;\n' "$head" >"$sleeper"
"$C7GEN" --no-color upgrade >/dev/null 2>&1 & pid=$!
for _ in $(seq 1 100); do server_alive && break; sleep 0.1; done
sleep 1.5
kill -9 "$pid"; wait "$pid" 2>/dev/null
out=$(c7 current 2>/dev/null); rc=$?
expect "after kill -9, current works" "0" "$rc"
case "$out" in "$head "*) ok "and the killed revision is not applied";;
    *) not_ok "and the killed revision is not applied"; echo "$out";; esac
sed -i 's/^SELECT pg_sleep(30);$/SELECT 1;/' "$sleeper"
c7 upgrade >/dev/null 2>&1; rc=$?
expect "and upgrade completes it" "0" "$rc"
out=$(c7 current 2>/dev/null)
has "to the new head" "$out" "ffffffffffff (head)"
server_alive && not_ok "no server is left behind" || ok "no server is left behind"
rm "$sleeper"

# A configured database takes precedence; dev refuses.
db=$(new_db configured)
out=$(C7GEN_DATABASE_URL=$(conninfo "$db") c7 current 2>&1)
has "with a database configured, current uses it" "$out" "No revisions applied."
out=$(C7GEN_DATABASE_URL=$(conninfo "$db") c7 dev start 2>&1); rc=$?
expect "and dev refuses" "2" "$rc"
finish

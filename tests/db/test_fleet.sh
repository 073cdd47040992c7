#!/bin/bash
# Fleets: targets from c7gen.ini (sections, a file, a discovery query),
# passwords never printed, an upgrade with an unreachable target and a
# failing one, the rerun that finishes it, canaries, --fail-fast, the
# connection limit checked on two servers, kill -9 and resume,
# schema-per-tenant isolation, and check's fleet drift report.
. "$C7GEN_SRCDIR/tests/db/lib.sh"

C1=$PGHOST
C2=$("$C7GEN_SRCDIR/tools/pgcluster.sh" start) || { echo "cannot start a second cluster"; exit 1; }
trap '"$C7GEN_SRCDIR/tools/pgcluster.sh" stop "$C2"; remove_work' EXIT

proj="$WORK/proj"
mkdir -p "$proj/migrations" "$proj/slow" "$proj/models"
cd "$proj" || exit 1
c7() { "$C7GEN" --no-color "$@"; }
expect() { # description expected actual
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; echo "  expected: $2"; echo "  actual:   $3"; fi
}
# Every output of every run, to look for secrets in at the end.
ALL="$WORK/all-output"
run() { # OUT-FILE c7gen args...: stdout to OUT, stderr to OUT.err; sets rc
    local out=$1; shift
    c7 "$@" >"$out" 2>"$out.err"
    rc=$?
    cat "$out" "$out.err" >>"$ALL"
}
row() { awk -v t="$2" '$1 == t { print $2, $3, $NF }' "$1"; } # FROM TO RESULT of target
db2() { # a fresh database in the second cluster
    PGHOST=$C2 psql_q postgres -c "CREATE DATABASE \"$1\"" >/dev/null && echo "$1"
}
on() { local h=$1 d=$2; shift 2; PGHOST=$h psql_q "$d" -At "$@"; }

rev() { # DIR ID PARENTS UPGRADE DOWNGRADE
    printf -- '-- revision: %s\n-- parents: %s\n-- message: %s\n-- created: 2026-01-01 00:00:00Z\n\n-- +upgrade\n%s\n\n-- +downgrade\n%s\n' \
        "$2" "$3" "revision $2" "$4" "$5" >"$1/${2}_revision.sql"
}
rev migrations aaaa0001 "" "CREATE TABLE items (id int PRIMARY KEY, name text);" "DROP TABLE items;"
rev migrations bbbb0002 aaaa0001 "CREATE TABLE notes (id int PRIMARY KEY, body text);" "DROP TABLE notes;"
cat >models/app.c7 <<'EOF'
table items {
  id   int primary key
  name text
}

table notes {
  id   int primary key
  body text
}
EOF
# Slow revisions, for the connection limit and kill -9: three steps each.
rev slow aaaa0001 "" "-- +step
SELECT pg_sleep(0.4);
CREATE TABLE items (id int PRIMARY KEY, name text);
-- +step
SELECT pg_sleep(0.4);
-- +step
SELECT pg_sleep(0.4);" "DROP TABLE items;"

FLEET_SECRET=Sup3rSecretPw
export FLEET_SECRET
t=()
for i in 1 2 3 4; do t[$i]=$(new_db "t$i"); done
fails=$(new_db fails)
# The second revision fails here: its table is already taken.
psql_q "$fails" -c "CREATE TABLE notes (x int)"
dead="$WORK/nothing-listens-here"
mkdir -p "$dead"

cat >c7gen.ini <<EOF
[c7gen]
models = models
migrations = migrations

[target t1]
url = host=$C1 user=postgres dbname=${t[1]} password=\${FLEET_SECRET}
group = eu

[target t2]
url = postgresql://postgres:Sup3rSecretPw@/${t[2]}?host=$C1
group = eu

[target t3]
url = host=$C1 user=postgres dbname=${t[3]}
group = us

[target fails]
url = host=$C1 user=postgres dbname=$fails
group = us

[target dead]
url = host=$dead user=postgres dbname=nothing password=\${FLEET_SECRET}
group = us

[targets]
file = more-targets.txt
EOF
cat >more-targets.txt <<EOF
# one target per line: NAME URL
t4   host=$C1 user=postgres dbname=${t[4]}

EOF

# ---- targets ----
run "$WORK/list" targets
expect "targets: exit 0" 0 "$rc"
expect "targets: every target, in configuration order" "t1 t2 t3 fails dead t4" \
    "$(awk 'NR > 1 && NF > 2 { printf "%s%s", sep, $1; sep = " " }' "$WORK/list")"
expect "targets: groups shown" "eu us -" "$(awk '$1 == "t1" || $1 == "t3" || $1 == "t4" { print $2 }' "$WORK/list" | tr '\n' ' ' | sed 's/ $//')"
if grep -q "dbname=${t[2]}" "$WORK/list" && grep -q "user=postgres" "$WORK/list"; then
    ok "targets: a URI is shown as its settings"
else
    not_ok "targets: a URI is shown as its settings"; cat "$WORK/list"
fi
run "$WORK/list-eu" targets --targets eu --format json
expect "targets --targets eu --format json" "t1,t2" \
    "$(python3 -c 'import json,sys; print(",".join(t["name"] for t in json.load(open(sys.argv[1]))))' "$WORK/list-eu")"
(unset FLEET_SECRET; c7 targets >"$WORK/noenv" 2>&1); rc=$?
expect "targets: an unset \${VAR} is exit 2" 2 "$rc"
if grep -q "environment variable 'FLEET_SECRET' is not set" "$WORK/noenv"; then
    ok "targets: the unset variable is named"
else
    not_ok "targets: the unset variable is named"; cat "$WORK/noenv"
fi
run "$WORK/nosuch" upgrade --targets nosuch
expect "--targets naming nothing is exit 2" 2 "$rc"
echo "t5" >>more-targets.txt
run "$WORK/badfile" targets
expect "a targets file line without URL is exit 2" 2 "$rc"
if grep -q "more-targets.txt:4:3: error: expected 'NAME URL'" "$WORK/badfile.err"; then
    ok "the bad line is named FILE:LINE:COL"
else
    not_ok "the bad line is named FILE:LINE:COL"; cat "$WORK/badfile.err"
fi
sed -i '$d' more-targets.txt

usage() { # description expected-message c7gen-args...
    local what=$1 msg=$2; shift 2
    run "$WORK/usage" "$@"
    if [ "$rc" = 2 ] && grep -qF -- "$msg" "$WORK/usage.err"; then
        ok "$what: exit 2"
    else
        not_ok "$what: exit $rc"; cat "$WORK/usage.err"
    fi
}
usage "--parallel 0" "--parallel takes a number from 1 to 256" upgrade --targets all --parallel 0
usage "--canary x" "--canary takes a number" upgrade --targets all --canary x
usage "--parallel without --targets" "need --targets" upgrade --parallel 2
usage "--format json without --targets" "need --targets" upgrade --format json
usage "--sql with --targets" "does not take --targets" upgrade --sql --targets all
usage "check --roundtrip with --targets" "does not take --targets" check --roundtrip --targets all
cp c7gen.ini c7gen.ini.good
printf '\n[target t9]\nurl = host=x\nport = 5433\n' >>c7gen.ini
usage "an unknown key in [target NAME]" "unknown setting 'port' in [target t9] (known: url, schema, group)" targets
cp c7gen.ini.good c7gen.ini
echo "t1 host=elsewhere" >>more-targets.txt
usage "a name defined twice" "target 't1' is already defined (c7gen.ini)" targets
sed -i '$d' more-targets.txt
printf '\n[targets]\ncontrol_url = host=x\n' >>c7gen.ini
usage "control_url without query" "control_url is set but [targets] has no query" targets
cp c7gen.ini.good c7gen.ini
printf 'bad/name host=x\n' >>more-targets.txt
usage "a target name with a slash" "may only hold letters" targets
sed -i '$d' more-targets.txt
rm c7gen.ini.good
run "$WORK/list" targets
expect "the configuration is whole again" 0 "$rc"

# ---- an upgrade with an unreachable target and a failing one ----
run "$WORK/up1" upgrade --targets all --parallel 2
expect "upgrade all: exit 3 (a target unreachable)" 3 "$rc"
for i in 1 2 3 4; do
    expect "upgrade all: t$i upgraded base -> bbbb0002" "base bbbb0002 upgraded" "$(row "$WORK/up1" "t$i")"
done
expect "upgrade all: 'fails' stopped after the first revision" "base aaaa0001 failed" "$(row "$WORK/up1" fails)"
expect "upgrade all: 'dead' unreachable" "? ? unreachable" "$(row "$WORK/up1" dead)"
expect "upgrade all: summary line" "upgrade: 6 targets: 4 upgraded, 1 failed, 1 unreachable" \
    "$(grep '^upgrade: ' "$WORK/up1")"
expect "upgrade all: one progress line per target" 6 "$(grep -c '^\[[0-9]/6\] ' "$WORK/up1.err")"
if grep -q 'relation "notes" already exists' "$WORK/up1"; then
    ok "upgrade all: the failing target's error is in the report"
else
    not_ok "upgrade all: the failing target's error is in the report"; cat "$WORK/up1"
fi
expect "the failed revision left 'fails' at aaaa0001" "aaaa0001" \
    "$(psql_q "$fails" -At -c "SELECT string_agg(revision, ',') FROM c7gen_revisions")"
run "$WORK/up2" upgrade --targets eu,t3,fails,t4
expect "without the unreachable target, a failure is exit 1" 1 "$rc"

# ---- the rerun finishes the job and touches no other target ----
psql_q "$fails" -c "DROP TABLE notes"
history() { psql_q "$1" -At -c "SELECT count(*) FROM c7gen_history"; }
before="$(history "${t[1]}") $(history "${t[3]}")"
run "$WORK/up3" upgrade --targets all --format json
expect "rerun: exit 3 while 'dead' stays unreachable" 3 "$rc"
python3 - "$WORK/up3" >"$WORK/up3.summary" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(r["exit_status"], " ".join("%s:%s:%s->%s" % (t["target"], t["result"], t["from"], t["to"]) for t in r["targets"]))
EOF
expect "rerun (json): only 'fails' upgraded" \
    "3 t1:unchanged:bbbb0002->bbbb0002 t2:unchanged:bbbb0002->bbbb0002 t3:unchanged:bbbb0002->bbbb0002 fails:upgraded:aaaa0001->bbbb0002 dead:unreachable:?->? t4:unchanged:bbbb0002->bbbb0002" \
    "$(cat "$WORK/up3.summary")"
expect "rerun: the other targets' history untouched" "$before" "$(history "${t[1]}") $(history "${t[3]}")"
run "$WORK/cur" current --targets eu,us
expect "current: exit 3 with 'dead' in the selection" 3 "$rc"
run "$WORK/cur" current --targets eu,t4
expect "current: all at head is exit 0" 0 "$rc"

# ---- check: the fleet's drift report ----
run "$WORK/down" downgrade -1 --targets t2
expect "downgrade -1 on t2" "bbbb0002 aaaa0001 downgraded" "$(row "$WORK/down" t2)"
psql_q "${t[3]}" -c "ALTER TABLE items ADD COLUMN extra int"
sed -i 's/CREATE TABLE items (id int PRIMARY KEY, name text);/CREATE TABLE items (id int PRIMARY KEY, name text); -- edited/' migrations/aaaa0001_revision.sql
run "$WORK/chk" check --targets t1,t2,t3,t4
expect "check: edited file is exit 1" 1 "$rc"
expect "check: every target diverged (the applied file was edited)" "diverged diverged diverged diverged" \
    "$(for n in t1 t2 t3 t4; do row "$WORK/chk" $n | awk '{ print $3 }'; done | tr '\n' ' ' | sed 's/ $//')"
git_restore() { rev migrations aaaa0001 "" "CREATE TABLE items (id int PRIMARY KEY, name text);" "DROP TABLE items;"; }
git_restore
run "$WORK/chk" check --targets all
expect "check: exit 3 with an unreachable target" 3 "$rc"
expect "check: t1 at head" "bbbb0002 bbbb0002 head" "$(row "$WORK/chk" t1)"
expect "check: t2 behind by 1" "aaaa0001 aaaa0001 1" "$(row "$WORK/chk" t2)"
expect "check: t3 drifted" "bbbb0002 bbbb0002 drifted" "$(row "$WORK/chk" t3)"
if grep -q "items.extra: in database, not in models" "$WORK/chk"; then
    ok "check: the drift is named"
else
    not_ok "check: the drift is named"; cat "$WORK/chk"
fi
expect "check: summary by state" "check: 6 targets: 3 at head, 1 behind by 1, 1 drifted, 1 unreachable" \
    "$(grep '^check: ' "$WORK/chk")"
expect "check: the targets in each state" "  at head: t1, fails, t4|  behind by 1: t2|  drifted: t3|  unreachable: dead" \
    "$(grep '^  [a-z ]*[a-z0-9]: ' "$WORK/chk" | paste -sd'|')"

# ---- canary, fail-fast, the connection limit on two servers ----
can=()
for i in 1 2 3 4; do can[$i]=$(new_db "can$i"); done
psql_q "${can[1]}" -c "CREATE TABLE notes (x int)"
par1=() par2=()
for i in 1 2 3 4; do par1[$i]=$(new_db "par$i"); par2[$i]=$(db2 "par$i"); done
{
    for i in 1 2 3 4; do
        printf '\n[target can%d]\nurl = host=%s user=postgres dbname=%s\ngroup = canary\n' $i "$C1" "${can[$i]}"
    done
    for i in 1 2 3 4; do
        printf '\n[target p1_%d]\nurl = host=%s user=postgres dbname=%s\ngroup = par\n' $i "$C1" "${par1[$i]}"
        printf '\n[target p2_%d]\nurl = host=%s user=postgres dbname=%s\ngroup = par\n' $i "$C2" "${par2[$i]}"
    done
} >>c7gen.ini
run "$WORK/can" upgrade --targets canary --canary 1
expect "canary fails: exit 1" 1 "$rc"
expect "canary fails: the others skipped" "can1:failed can2:skipped can3:skipped can4:skipped" \
    "$(for i in 1 2 3 4; do printf 'can%d:%s ' $i "$(row "$WORK/can" can$i | awk '{ print $3 }')"; done | sed 's/ $//')"
expect "canary fails: skipped targets untouched" "" \
    "$(psql_q "${can[2]}" -At -c "SELECT to_regclass('c7gen_revisions')")"
psql_q "${can[1]}" -c "DROP TABLE notes"
psql_q "${can[3]}" -c "CREATE TABLE notes (x int)"
run "$WORK/can" upgrade --targets canary --canary 2 --parallel 1
expect "canaries pass, the rest run, one fails: exit 1" 1 "$rc"
expect "canaries pass: every target ran" "upgraded upgraded failed upgraded" \
    "$(for i in 1 2 3 4; do row "$WORK/can" can$i | awk '{ print $3 }'; done | tr '\n' ' ' | sed 's/ $//')"
for i in 1 2 3 4; do psql_q "${can[$i]}" -c "DROP TABLE IF EXISTS notes CASCADE; DROP TABLE IF EXISTS items CASCADE; DROP TABLE IF EXISTS c7gen_revisions, c7gen_history, c7gen_progress" >/dev/null 2>&1; done
psql_q "${can[2]}" -c "CREATE TABLE notes (x int)"
run "$WORK/ff" upgrade --targets canary --fail-fast --parallel 1
expect "--fail-fast: exit 1" 1 "$rc"
expect "--fail-fast: stops after the first failure" "upgraded failed skipped skipped" \
    "$(for i in 1 2 3 4; do row "$WORK/ff" can$i | awk '{ print $3 }'; done | tr '\n' ' ' | sed 's/ $//')"

# Connections, counted on the servers while slow targets run.  Two
# servers cannot be sampled at one instant, so the exact limit is checked
# on one server holding all the targets, and the two-server run checks
# each server's count.
# One psql per server counts c7gen's sessions every 20 ms until stopped.
samplers=()
sample_start() { # OUT-PREFIX HOST...
    local out=$1 k=0; shift
    samplers=()
    for h in "$@"; do
        k=$((k + 1))
        PGHOST=$h psql -X -At -d postgres >"$out.$k" 2>/dev/null \
            <<<"SELECT count(*), (extract(epoch FROM clock_timestamp()) * 1000)::bigint FROM pg_stat_activity WHERE application_name = 'c7gen' \watch 0.02" &
        samplers+=($!)
    done
}
sample_stop() { kill "${samplers[@]}" 2>/dev/null; wait "${samplers[@]}" 2>/dev/null; }
# peak FILE: the most sessions that lasted 200 ms (samples: COUNT|MS).
# A target's process has closed its connection before the next one starts,
# but the server retires the backend a moment later (longer on a loaded
# machine), so one sample can catch the old and the new one together.  A
# real excess (a second connection, one process too many) lasts at least a
# whole statement of these targets (0.4 s) and still counts.
peak() {
    awk -F'|' '{ c[NR] = $1; t[NR] = $2 }
        END {
            for (i = 1; i <= NR; i++) {
                if (t[NR] - t[i] < 200) break
                m = c[i]
                for (j = i + 1; j <= NR && t[j] - t[i] <= 200; j++)
                    if (c[j] < m) m = c[j]
                if (m > best) best = m
            }
            print best + 0
        }' "$1"
}
one=()
{
    for i in 1 2 3 4 5 6; do
        one[$i]=$(new_db "one$i")
        printf '\n[target o%d]\nurl = host=%s user=postgres dbname=%s\ngroup = one\n' $i "$C1" "${one[$i]}"
    done
} >>c7gen.ini
sample_start "$WORK/samples1" "$C1"
run "$WORK/one" --migrations slow upgrade --targets one --parallel 3
sample_stop
expect "6 slow targets, --parallel 3: exit 0" 0 "$rc"
p=$(peak "$WORK/samples1.1"); p=${p:-0}
if [ "$p" -le 3 ] && [ "$p" -ge 2 ]; then
    ok "--parallel 3: at most 3 c7gen sessions at once (peak $p over $(grep -c . "$WORK/samples1.1") samples)"
else
    not_ok "--parallel 3: at most 3 c7gen sessions at once (peak $p)"
fi
sample_start "$WORK/samples2" "$C1" "$C2"
run "$WORK/par" --migrations slow upgrade --targets par --parallel 4
sample_stop
expect "8 slow targets on two servers: exit 0" 0 "$rc"
p1=$(peak "$WORK/samples2.1") p2=$(peak "$WORK/samples2.2"); p1=${p1:-0} p2=${p2:-0}
# The targets alternate between the servers, so four at a time keep two
# sessions on each.
if [ "$p1" -le 4 ] && [ "$p2" -le 4 ] && [ "$p1" -ge 2 ] && [ "$p2" -ge 2 ]; then
    ok "--parallel 4 over two servers: both busy at once, peaks $p1 and $p2"
else
    not_ok "--parallel 4 over two servers: peaks $p1 and $p2 (want 2 to 4 each)"
fi
expect "second server's targets at head" "aaaa0001" \
    "$(on "$C2" "${par2[4]}" -c "SELECT string_agg(revision, ',') FROM c7gen_revisions")"

# ---- kill -9 mid-run, then resume ----
# Steps of a second each, so the kill lands inside a revision.
mkdir -p slower
sed 's/pg_sleep(0.4)/pg_sleep(1)/' slow/aaaa0001_revision.sql >slower/aaaa0001_revision.sql
kill=()
{
    for i in 1 2 3 4 5 6; do
        kill[$i]=$(new_db "kill$i")
        printf '\n[target k%d]\nurl = host=%s user=postgres dbname=%s\ngroup = kill\n' $i "$C1" "${kill[$i]}"
    done
} >>c7gen.ini
( exec "$C7GEN" --no-color --migrations slower upgrade --targets kill --parallel 3 >"$WORK/killed" 2>&1 ) &
victim=$!
# Kill it once the first target is part way (its first step committed; two
# seconds of steps to go), which is while the others are mid-statement.
for _ in $(seq 1 300); do
    p=$(psql_q "${kill[1]}" -At -c "SELECT count(*) FROM c7gen_progress" 2>/dev/null)
    [ "${p:-0}" -gt 0 ] && break
    sleep 0.05
done
kill -9 "$victim"
wait "$victim" 2>/dev/null
gone=no
for _ in $(seq 1 50); do
    n=$(psql_q postgres -At -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'c7gen'")
    [ "$n" = 0 ] && { gone=yes; break; }
    sleep 0.1
done
expect "kill -9: the target processes died with it" yes "$gone"
partway=0
for i in 1 2 3 4 5 6; do
    p=$(psql_q "${kill[$i]}" -At -c "SELECT steps_done FROM c7gen_progress" 2>/dev/null)
    [ -n "$p" ] && partway=$((partway + 1))
done
if [ "$partway" -ge 1 ]; then
    ok "kill -9: $partway targets left part way"
else
    not_ok "kill -9: no target was left part way"; cat "$WORK/killed"
fi
run "$WORK/resume" --migrations slower upgrade --targets kill --parallel 3
expect "resume: exit 0" 0 "$rc"
expect "resume: every target at head" "6" \
    "$(for i in 1 2 3 4 5 6; do psql_q "${kill[$i]}" -At -c "SELECT revision FROM c7gen_revisions"; done | grep -c aaaa0001)"
expect "resume: the report shows the targets left part way ('*')" "$partway" \
    "$(awk '$1 ~ /^k[0-9]$/ && $2 == "aaaa0001*" && $3 == "aaaa0001"' "$WORK/resume" | wc -l)"

# ---- discovery query ----
control=$(new_db control)
psql_q "$control" -c "CREATE TABLE tenants (name text, url text, active bool)" \
    -c "INSERT INTO tenants VALUES ('q1', 'host=$C1 user=postgres dbname=${t[1]}', true), ('q2', 'host=$C1 user=postgres dbname=${t[4]}', true), ('q3', 'host=$C1 user=postgres dbname=nope', false)" >/dev/null
mkdir -p "$WORK/disc" && cp -r models migrations "$WORK/disc/"
cat >"$WORK/disc/c7gen.ini" <<EOF
[targets]
query = SELECT name, url FROM tenants WHERE active ORDER BY name
control_url = host=$C1 user=postgres dbname=$control password=\${FLEET_SECRET}
group = discovered
EOF
cd "$WORK/disc" || exit 1
run "$WORK/q" targets
expect "discovery: active tenants listed" "q1 q2" "$(awk 'NR > 1 && NF > 2 { printf "%s%s", sep, $1; sep = " " }' "$WORK/q")"
run "$WORK/q" current --targets discovered
expect "discovery: current on the discovered targets, all at head" 0 "$rc"
psql_q "$control" -c "UPDATE tenants SET active = true" >/dev/null
run "$WORK/q" current --targets discovered
expect "discovery: a new tenant that cannot be reached is exit 3" 3 "$rc"
cd "$proj" || exit 1

# ---- schema per tenant ----
# On the second server, which logs every statement: no statement of a
# tenant's upgrade may name another tenant's schema.
shared=$(db2 shared)
on "$C2" "$shared" -c "CREATE SCHEMA tenant_a; CREATE SCHEMA tenant_b; CREATE TABLE public.items (other int)" >/dev/null
on "$C2" postgres -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
cat >>c7gen.ini <<EOF

[target sa]
url = host=$C2 user=postgres dbname=$shared
schema = tenant_a
group = tenants

[target sb]
url = host=$C2 user=postgres dbname=$shared
schema = tenant_b
group = tenants
EOF
objects() { on "$C2" "$shared" -c "SELECT coalesce(string_agg(relname, ',' ORDER BY relname), '') FROM pg_class WHERE relkind = 'r' AND relnamespace = '$1'::regnamespace"; }
sleep 0.5 # the reload reaches the server's processes
logged=$(stat -c %s "$C2/server.log")
run "$WORK/sa" upgrade --targets sa
tail -c +"$((logged + 1))" "$C2/server.log" >"$WORK/sa.log"
expect "tenant a upgraded" "base bbbb0002 upgraded" "$(row "$WORK/sa" sa)"
if grep -q 'statement: CREATE TABLE items' "$WORK/sa.log" && grep -q tenant_a "$WORK/sa.log"; then
    ok "tenant a's statements are in the server log ($(grep -c 'statement:' "$WORK/sa.log") logged)"
else
    not_ok "tenant a's statements are not in the server log"; head -20 "$WORK/sa.log"
fi
if grep -n tenant_b "$WORK/sa.log"; then
    not_ok "a statement of tenant a's upgrade named tenant_b"
else
    ok "no statement of tenant a's upgrade names tenant_b"
fi
expect "tenant a: tables and version tables in its schema" "c7gen_history,c7gen_progress,c7gen_revisions,items,notes" "$(objects tenant_a)"
expect "tenant b untouched" "" "$(objects tenant_b)"
expect "public untouched (its own 'items' kept, no version tables)" "items" "$(objects public)"
expect "public.items kept its columns" "other" \
    "$(on "$C2" "$shared" -c "SELECT string_agg(attname, ',') FROM pg_attribute WHERE attrelid = 'public.items'::regclass AND attnum > 0")"
run "$WORK/st" current --targets tenants
expect "current: tenant b behind" "base base 2" "$(row "$WORK/st" sb)"
run "$WORK/sb" upgrade --targets tenants
expect "tenants: only b upgraded" "unchanged upgraded" "$(row "$WORK/sb" sa | awk '{ print $3 }') $(row "$WORK/sb" sb | awk '{ print $3 }')"
expect "tenant b: its own tables" "c7gen_history,c7gen_progress,c7gen_revisions,items,notes" "$(objects tenant_b)"

# ---- stamp, and check's report as JSON ----
run "$WORK/stamp" stamp aaaa0001 --targets t1
expect "stamp --targets: t1 marked at aaaa0001, no SQL run" "bbbb0002 aaaa0001 stamped" "$(row "$WORK/stamp" t1)"
expect "stamp ran no SQL: notes still there" "notes" "$(psql_q "${t[1]}" -At -c "SELECT to_regclass('notes')")"
run "$WORK/cj" check --targets t1,t4 --format json
expect "check --format json: exit 1" 1 "$rc"
expect "check --format json: per-target results" "1 t1:behind by 1:failed t4:at head:ok" \
    "$(python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); print(r["exit_status"], " ".join("%s:%s:%s" % (t["target"], t["result"], t["status"]) for t in r["targets"]))' "$WORK/cj")"

# ---- secrets ----
if grep -q "$FLEET_SECRET" "$ALL"; then
    not_ok "no output ever shows the password"; grep -n "$FLEET_SECRET" "$ALL" | head
else
    ok "no output ever shows the password ($(wc -l <"$ALL") lines looked at)"
fi

finish

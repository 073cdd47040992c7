#!/bin/sh
# pgcluster.sh - a throwaway PostgreSQL cluster for the test suite.
#
#   tools/pgcluster.sh start      prints the cluster directory on stdout
#   tools/pgcluster.sh restart DIR   crash-restarts it (-m immediate)
#   tools/pgcluster.sh stop DIR   stops it and removes DIR
#
# The cluster listens on a Unix socket inside DIR only (no TCP), with fsync
# off.  PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` user and DIR (under /tmp, which it can always reach) is owned
# by it.
set -eu

bindir() {
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir)
        if [ -x "$d/initdb" ]; then echo "$d"; return; fi
    fi
    for d in /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ]; then last=$d; fi
    done
    if [ -n "${last:-}" ]; then echo "$last"; return; fi
    echo "pgcluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "${1:-}" in
start)
    bin=$(bindir)
    dir=$(mktemp -d /tmp/c7gen-test.XXXXXX)
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-k $dir -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "$dir"
    ;;
restart)
    # A crash and restart (the fault injection tests): no shutdown
    # checkpoint, clients cut off mid-statement.
    dir=${2:?usage: pgcluster.sh restart DIR}
    as_owner "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w -t 60 restart >/dev/null
    ;;
stop)
    dir=${2:?usage: pgcluster.sh stop DIR}
    bin=$(bindir)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | restart DIR | stop DIR" >&2
    exit 2
    ;;
esac

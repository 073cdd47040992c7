#!/bin/sh
# db-migrate.sh - the familiar migration-helper verbs on top of c7gen.
#
#   tools/db-migrate.sh current            applied revision(s) and drift
#   tools/db-migrate.sh history            the revision graph, newest first
#   tools/db-migrate.sh upgrade [TARGET]   apply revisions (default: head)
#   tools/db-migrate.sh create "message"   autogenerate a revision from the models
#   tools/db-migrate.sh downgrade [TARGET] revert revisions (default: -1)
#   tools/db-migrate.sh stamp REV          mark REV applied without running SQL
#
# C7GEN names the binary (default: build/c7gen next to this script, else
# c7gen on PATH).  The database comes from c7gen's usual configuration.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
c7gen=${C7GEN:-}
if [ -z "$c7gen" ]; then
    if [ -x "$here/build/c7gen" ]; then c7gen="$here/build/c7gen"; else c7gen=c7gen; fi
fi

usage() {
    sed -n '2,12s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

[ $# -ge 1 ] || usage
verb=$1
shift
case "$verb" in
current)   exec "$c7gen" current -v "$@" ;;
history)   exec "$c7gen" history "$@" ;;
upgrade)   exec "$c7gen" upgrade "${1:-head}" ;;
create)    [ $# -eq 1 ] || usage; exec "$c7gen" autogenerate -m "$1" ;;
downgrade) exec "$c7gen" downgrade "${1:--1}" ;;
stamp)     [ $# -eq 1 ] || usage; exec "$c7gen" stamp "$1" ;;
*)         usage ;;
esac

#!/bin/sh
# bootstrap.sh - install what is missing from Debian, then configure and
# build c7gen into build/.  Safe to run again; it only installs what is
# missing and only rebuilds what changed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)

packages="gcc meson ninja-build flex bison check pkg-config libpq-dev
libinih-dev libssl-dev libpg-query-dev libprotobuf-c-dev libjansson-dev
postgresql postgresql-client python3"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "bootstrap: installing$missing"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ -f "$root/build/build.ninja" ]; then
    meson setup --reconfigure "$root/build" "$root" >/dev/null
else
    meson setup "$root/build" "$root" >/dev/null
fi
ninja -C "$root/build"
echo "bootstrap: built $root/build/c7gen"

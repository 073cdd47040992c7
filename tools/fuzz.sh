#!/bin/sh
# fuzz.sh SECONDS [TARGET...] - runs the libFuzzer targets (models, revfile, lsp)
# for SECONDS each, one after the other, in an ASan+UBSan clang build
# (build-fuzz/).  Inputs that crash, hang or leak are written to
# tests/fuzz/crashes/TARGET/; once fixed, move them to
# tests/fuzz/regress/TARGET/, where every test run replays them.
# Needs clang (apt-get install clang).  FUZZ_KEEP_GOING=1 runs libFuzzer
# in fork mode, which records a crash and goes on instead of stopping.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:?usage: tools/fuzz.sh SECONDS [models|revfile|lsp]...}
shift
targets=${*:-models revfile lsp}
build="$root/build-fuzz"

if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" "$root" -Dfuzz=true -Dtests=false \
        -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C "$build" >/dev/null

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
status=0
for t in $targets; do
    work="$build/corpus-$t"
    crashes="$root/tests/fuzz/crashes/$t"
    mkdir -p "$work" "$crashes"
    case $t in
        models)  seeds="$root/tests/cases $root/tests/fmt $root/models $root/tests/fuzz/regress/models" ;;
        revfile) seeds="$root/migrations $root/tests/fuzz/regress/revfile" ;;
        lsp)     seeds="$root/tests/lsp/seeds $root/tests/fuzz/regress/lsp" ;;
        *) echo "fuzz.sh: unknown target $t" >&2; exit 2 ;;
    esac
    keep_going=""
    [ "${FUZZ_KEEP_GOING:-0}" = 1 ] &&
        keep_going="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
    # The working corpus grows across runs; the seeds are read only.
    # shellcheck disable=SC2086
    "$build/fuzz_$t" "$work" $seeds -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 $keep_going \
        -artifact_prefix="$crashes/" 2>"$build/fuzz-$t.log" || status=1
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz-$t.log")
    # Fork mode prints no final stats: take the last progress line's count.
    [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\):.*/\1/p' "$build/fuzz-$t.log" | tail -1)
    echo "fuzz $t: ${seconds}s, ${execs:-?} executions, $(ls "$crashes" | wc -l) crash inputs in tests/fuzz/crashes/$t"
done
exit $status

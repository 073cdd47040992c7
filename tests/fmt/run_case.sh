#!/bin/sh
# run_case.sh CASEDIR - one formatting golden: CASEDIR/in.c7 must format to
# CASEDIR/out.c7 exactly, and out.c7 must format to itself.
set -u
case_dir=${1%/}
: "${C7GEN:?C7GEN must name the c7gen binary}"
if [ -n "${C7GEN_WRAPPER:-}" ]; then
    export C7GEN_REAL=$C7GEN
    C7GEN=$C7GEN_WRAPPER
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
for input in in.c7 out.c7; do
    if ! "$C7GEN" --config /dev/null --no-color fmt - <"$case_dir/$input" >"$out/got" 2>"$out/err"; then
        echo "c7gen fmt failed on $input:"; cat "$out/err"; fail=1
    elif ! diff -u "$case_dir/out.c7" "$out/got"; then
        echo "($input formatted is not out.c7)"; fail=1
    fi
done
exit $fail

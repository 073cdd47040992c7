#!/bin/sh
# valgrind-c7gen.sh ARGS... - c7gen under valgrind's memcheck, standing in
# for the binary in the database tests (meson test --setup valgrind).  Any
# invalid read or write, use of uninitialised memory or definite leak makes
# the run exit 99, which fails the test that ran it; details go to stderr.
set -eu
: "${C7GEN_REAL:?C7GEN_REAL must name the c7gen binary}"
exec valgrind --quiet --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --log-fd=2 "$C7GEN_REAL" "$@"

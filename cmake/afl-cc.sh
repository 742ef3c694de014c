#!/bin/sh
# SPDX-License-Identifier: MIT
# Compiler and linker launcher of the AFL++ builds (cmake/afl.cmake). CMake
# runs "afl-cc.sh AFL_CC CLANG ARGS...": the configured clang is swapped for
# AFL++'s wrapper, which instruments what it compiles and, on a link with
# -fsanitize=fuzzer, links AFL++'s runtime and its libFuzzer-style driver.
set -eu
afl_cc=$1
shift 2
exec "$afl_cc" "$@"

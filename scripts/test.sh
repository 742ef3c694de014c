#!/bin/sh
# SPDX-License-Identifier: MIT
# The test command: install what is missing, build the host tests under
# ASan+UBSan, the AFL++ targets (the campaign kill/resume test runs both
# engines) and the freestanding EL2 core (with its symbol check), then run
# every unit test and the corpus regression.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
cmake --preset host-asan >/dev/null
cmake --build --preset host-asan
cmake --preset afl >/dev/null
cmake --build --preset afl
cmake --preset el2 >/dev/null
cmake --build --preset el2
SMMUFUZZ_REQUIRE_AFL=1 ctest --preset host-asan

#!/bin/sh
# SPDX-License-Identifier: MIT
# The main job: install what is missing, build the fuzz targets (without
# sanitizers, for speed) and run a campaign over every target on all cores.
# Arguments go to `smmufuzz fuzz` (e.g. --time 600). The corpus and crash
# files stay in out/, the report lands in reports/<timestamp>/summary.md.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
cmake --preset host-fuzz >/dev/null
cmake --build --preset host-fuzz
exec build/host-fuzz/tools/smmufuzz fuzz "$@"

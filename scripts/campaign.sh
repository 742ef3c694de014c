#!/bin/sh
# SPDX-License-Identifier: MIT
# The main job: install what is missing, build the fuzz targets for both
# engines (libFuzzer and AFL++ without sanitizers, for speed; AFL++'s CMPLOG
# build), the sanitizer build that replays crash files and the coverage
# build the report measures the core's source coverage with, then run a
# campaign over every target on all cores. Arguments go to `smmufuzz fuzz`
# (e.g. --time 10m, --engine libfuzzer, --resume reports/<time>). The
# campaign directory, reports/<timestamp>/, holds the corpus, the crash
# files, the findings, summary.md and report.html (docs/user-guide.md).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
for preset in host-fuzz host-fuzz-asan afl afl-cmplog host-cov; do
	cmake --preset "$preset" >/dev/null
	cmake --build --preset "$preset"
done
exec build/host-fuzz/tools/smmufuzz fuzz "$@"

#!/bin/sh
# SPDX-License-Identifier: MIT
# The test command: install what is missing (QEMU 10 and Chromium included),
# build the host tests under ASan+UBSan, the AFL++ targets (the campaign
# kill/resume and sync-dir tests run both engines), the coverage build (the
# campaign report measures the core's source coverage with it), the
# freestanding EL2 core (with its symbol check) and the hypervisor image for
# QEMU, then run every unit test, the corpus regression, the differential
# between the host and EL2 builds, the report (rendered by headless
# Chromium), .clusterfuzzlite/build.sh as OSS-Fuzz would run it, and one boot
# of Debian's arm64 kernel as the host under the EL2 build (ctest qemu_linux:
# the kernel and busybox come with apt-get download, into build/linux/).
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh --qemu --chromium
cmake --preset host-asan >/dev/null
cmake --build --preset host-asan
cmake --preset afl >/dev/null
cmake --build --preset afl
cmake --preset host-cov >/dev/null
cmake --build --preset host-cov
cmake --preset el2 >/dev/null
cmake --build --preset el2
cmake --preset qemu >/dev/null
cmake --build --preset qemu
SMMUFUZZ_REQUIRE_AFL=1 SMMUFUZZ_REQUIRE_REPORT_TOOLS=1 ctest --preset host-asan

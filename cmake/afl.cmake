# SPDX-License-Identifier: MIT
# AFL++ builds of the fuzz targets (SMMUFUZZ_ENGINE=afl), from the same
# harness source as the libFuzzer ones. As there, only the core is
# instrumented: smmu_core_fz is compiled by afl-clang-fast (with the same
# functions left out, fuzzers/coverage-ignore.txt, as AFL++'s deny list),
# the world, the hardware model and the harness by the plain clang. The
# final link goes through afl-clang-fast with -fsanitize=fuzzer, which links
# AFL++'s runtime and libAFLDriver: persistent mode with shared-memory test
# cases. Variants: SMMUFUZZ_AFL_VARIANT=plain or cmplog (AFL_LLVM_CMPLOG,
# the binary afl-fuzz -c runs); ASan+UBSan with SMMUFUZZ_SANITIZE=asan.
find_program(SMMUFUZZ_AFL_CC afl-clang-fast)
if(NOT SMMUFUZZ_AFL_CC)
  message(FATAL_ERROR "afl-clang-fast not found: install AFL++ (sh scripts/setup.sh)")
endif()
set(SMMUFUZZ_AFL_VARIANT "plain" CACHE STRING "AFL++ build variant: 'plain' or 'cmplog'")
set(afl_env AFL_QUIET=1 AFL_LLVM_DENYLIST=${CMAKE_SOURCE_DIR}/fuzzers/coverage-ignore.txt)
if(SMMUFUZZ_AFL_VARIANT STREQUAL "cmplog")
  list(APPEND afl_env AFL_LLVM_CMPLOG=1)
elseif(NOT SMMUFUZZ_AFL_VARIANT STREQUAL "plain")
  message(FATAL_ERROR "SMMUFUZZ_AFL_VARIANT must be 'plain' or 'cmplog'")
endif()
set(SMMUFUZZ_AFL_LAUNCHER env ${afl_env} sh ${CMAKE_SOURCE_DIR}/cmake/afl-cc.sh
    ${SMMUFUZZ_AFL_CC})
set_target_properties(smmu_core_fz PROPERTIES C_COMPILER_LAUNCHER "${SMMUFUZZ_AFL_LAUNCHER}")

# Glue of the AFL++ targets: engine processes die with the campaign that
# started them, forkserver children included (afl_pdeath.c); an input's
# world is booted before its coverage counts (afl_stable.c: 100 % stability)
# and every execution is counted for the campaign (exec_counter.c).
add_library(smmufuzz_afl_glue OBJECT ${CMAKE_SOURCE_DIR}/fuzzers/afl_pdeath.c
            ${CMAKE_SOURCE_DIR}/fuzzers/afl_stable.c ${CMAKE_SOURCE_DIR}/fuzzers/exec_counter.c)
target_compile_options(smmufuzz_afl_glue PRIVATE ${SMMUFUZZ_WARNINGS})
target_compile_definitions(smmufuzz_afl_glue PRIVATE _GNU_SOURCE)
target_link_libraries(smmufuzz_afl_glue PRIVATE smmufuzz_common)

add_custom_target(afl_targets)
foreach(src ${FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name} ${src} $<TARGET_OBJECTS:smmufuzz_afl_glue>)
  # No libFuzzer mutator hooks (harness.h): AFL++ loads the library below.
  target_compile_definitions(${name} PRIVATE SMMUFUZZ_ENGINE_AFL)
  target_compile_options(${name} PRIVATE ${SMMUFUZZ_WARNINGS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer -Wl,--wrap=LLVMFuzzerTestOneInput)
  target_link_libraries(${name} PRIVATE smmufuzz_host_fz)
  set_target_properties(${name} PROPERTIES C_LINKER_LAUNCHER "${SMMUFUZZ_AFL_LAUNCHER}")
  add_dependencies(afl_targets ${name})
endforeach()

# The structure-aware mutator as AFL++'s custom mutator library
# (fuzzers/afl_mutator.c). It needs the mutator's tables, which reach into
# the world description and the hardware model: the host libraries are
# built position-independent here (a static link into the targets relaxes
# that away) and linked whole into the library.
# Not under sanitizers: afl-fuzz itself, which loads it, has none.
if(SMMUFUZZ_SANITIZE STREQUAL "")
set_target_properties(smmufuzz_common smmu_plat_host smmu_core PROPERTIES
                      POSITION_INDEPENDENT_CODE ON)
add_library(smmufuzz_afl_mutator MODULE ${CMAKE_SOURCE_DIR}/fuzzers/afl_mutator.c)
target_compile_options(smmufuzz_afl_mutator PRIVATE ${SMMUFUZZ_WARNINGS})
target_link_libraries(smmufuzz_afl_mutator PRIVATE smmufuzz_host)
target_link_options(smmufuzz_afl_mutator PRIVATE -Wl,-z,defs)
add_dependencies(afl_targets smmufuzz_afl_mutator)
endif()

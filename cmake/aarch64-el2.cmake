# SPDX-License-Identifier: MIT
# Toolchain for the EL2 build: clang targeting bare-metal AArch64.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET aarch64-none-elf)
set(CMAKE_AR llvm-ar CACHE FILEPATH "")
set(CMAKE_RANLIB llvm-ranlib CACHE FILEPATH "")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_C_FLAGS_INIT
    "-ffreestanding -nostdlib -fno-builtin -mgeneral-regs-only -mstrict-align -fno-stack-protector -fno-pic")
# The hypervisor image and agent (SMMUFUZZ_QEMU) have start-up assembly.
set(CMAKE_ASM_COMPILER clang)
set(CMAKE_ASM_COMPILER_TARGET aarch64-none-elf)

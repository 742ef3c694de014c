#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Derive the per-target linux61 seeds from the recorded fuzz_all ones.

  scripts/linux-trace-seeds.py [SOURCE_DIR]

corpus/seeds/fuzz_all/linux61_boot{,_dma}.txt are the recording (a
provenance header, then the converter's output byte for byte). Each other
target skips some ops (OPMASK_* in fuzzers/common/harness.h) or starts after
the Linux reset (PRELUDE_LINUX), so it gets the part it executes:

  fuzz_mmio  linux61_boot_dma.txt   the whole boot; `cmd` (not in its mask)
                                    becomes the two 8-byte stores the driver
                                    made into the queue slot
  fuzz_cmdq  linux61_runtime.txt    linux61_boot after the reset (the
                                    prelude has done it)
  fuzz_ste   linux61_runtime_dma.txt  linux61_boot_dma after the reset,
                                    without its polls (not in its mask)
"""
import os
import re
import sys

CMDQ = 0x44200000
PROVENANCE_END = "# Everything below this header is the converter's output, byte for byte.\n"


def split(path):
    """(provenance lines, recorded lines) of a fuzz_all seed."""
    lines = open(path).readlines()
    end = lines.index(PROVENANCE_END)
    return lines[:end], lines[end + 1:]


def reset_end(body):
    """Index just past the recorded reset: the poll of CR0ACK for SMMUEN."""
    for i, line in enumerate(body):
        m = re.match(r"poll CR0ACK mask=0x[0-9a-f]+ expect=(0x[0-9a-f]+)", line)
        if m and int(m.group(1), 16) & 1:
            return i + 1
    raise SystemExit("no SMMUEN in the recording")


def commands_as_stores(body):
    """`cmd DW0 DW1` -> the stores at the slot the host's PROD points to."""
    out, prod = [], 0
    for line in body:
        m = re.match(r"write CMDQ_PROD (0x[0-9a-f]+)$", line.strip())
        c = re.match(r"cmd (0x[0-9a-f]+) (0x[0-9a-f]+)$", line.strip())
        if m:
            prod = int(m.group(1), 16)
        if c:
            slot = CMDQ + (prod & 0xffff) * 16
            out.append("mem w8 0x%x %s\n" % (slot, c.group(1)))
            out.append("mem w8 0x%x %s\n" % (slot + 8, c.group(2)))
            prod += 1
            continue
        out.append(line)
    return out


def write(path, provenance, note, body):
    with open(path, "w") as f:
        f.writelines(provenance)
        f.writelines("# " + n + "\n" for n in note)
        f.writelines(body)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    seeds = os.path.join(src, "corpus", "seeds")
    prov, boot = split(os.path.join(seeds, "fuzz_all", "linux61_boot.txt"))
    prov_dma, boot_dma = split(os.path.join(seeds, "fuzz_all", "linux61_boot_dma.txt"))
    header = [boot[0]]
    assert boot_dma[0] == boot[0]

    write(os.path.join(seeds, "fuzz_mmio", "linux61_boot_dma.txt"), prov_dma,
          ["Derived by scripts/linux-trace-seeds.py from fuzz_all/linux61_boot_dma.txt:",
           "fuzz_mmio has no CMD op, so each `cmd` is written as the two 8-byte",
           "stores the driver made into the queue slot its PROD pointed at."],
          commands_as_stores(boot_dma))
    end = reset_end(boot)
    write(os.path.join(seeds, "fuzz_cmdq", "linux61_runtime.txt"), prov,
          ["Derived by scripts/linux-trace-seeds.py from fuzz_all/linux61_boot.txt:",
           "what follows the reset (the prelude has reset the SMMU as the",
           "recording did, leaving PROD at 4)."],
          header + boot[end:])
    end = reset_end(boot_dma)
    write(os.path.join(seeds, "fuzz_ste", "linux61_runtime_dma.txt"), prov_dma,
          ["Derived by scripts/linux-trace-seeds.py from fuzz_all/linux61_boot_dma.txt:",
           "what follows the reset (the prelude has done it), without the polls",
           "fuzz_ste does not execute."],
          header + [l for l in boot_dma[end:] if not l.startswith("poll ")])


if __name__ == "__main__":
    main()

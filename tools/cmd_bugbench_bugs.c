// SPDX-License-Identifier: MIT
/*
 * The catalogue of injectable bugs (docs/bugs.md describes each): what
 * finding each one must produce to count as exposed. The numbers come from
 * core/src/inject.h, so an id missing there does not compile, and the count
 * check below keeps the two lists the same length.
 */
#include <string.h>

#include "cmd_bugbench.h"
#include "inject.h"

#define BUG(id, cls, expect, what) { #id, INJ_##id, cls, expect, what }

const struct bug bugbench_bugs[] = {
	BUG(R1, "bug", "^bug:.*strtab\\.c",
	    "CFGI_STE SIDs bounded by the hardware's SIDSIZE, not the shadow table's"),
	BUG(R2, "bug", "^bug:.*hwq\\.c",
	    "ATC_INV forwarded; a failed hypervisor CMD_SYNC is a BUG_ON"),
	BUG(R3, "isolation", "^isolation:hw-msi",
	    "the take-over keeps the IRQ/MSI set-up firmware left"),
	BUG(R4, "isolation", "^isolation:s2-break-before-make",
	    "a live stage-2 block split in place"),
	BUG(R5, "bug", "^bug:.*hwq\\.c",
	    "stale GERRORs not acknowledged at take-over"),
	BUG(R6, "isolation", "^isolation:bypass-window",
	    "CR0 = 0 written before GBPA = abort at take-over"),
	BUG(R7, "hang", "^hang:trap-budget",
	    "every CFGI_ALL of one doorbell re-reads the whole stream table"),
	BUG(M1, "isolation", "^isolation:hw-(evtq|priq|write-event)",
	    "event-queue pages released before CR0ACK acknowledges the disable"),
	BUG(M2, "isolation", "^isolation:ste-field-s2[io]r0",
	    "stage-2 table walks made non-cacheable"),
	BUG(M3, "isolation", "^isolation:ste-field-eats",
	    "the host's EATS copied into the shadow STE"),
	BUG(F1, "cmd-filter", "^cmd-filter:tlbi-nh-all",
	    "the host's TLBI_NH_ALL forwarded to the hardware"),
	BUG(B1, "isolation", "^isolation:hw-(evtq|priq|write)",
	    "EVTQ/PRIQ_BASE written while the queue is enabled"),
	BUG(B2, "isolation",
	    "^(hyp-reads-unshared-host-page|cmdq:cons-beyond-prod|bug:.*cmdq\\.c|double-fetch)",
	    "host command-queue slot indexed with the wrap bit"),
	BUG(B3, "double-fetch", "^double-fetch",
	    "the host STE read again after the check (TOCTOU)"),
	BUG(B4, "isolation", "^isolation:ste-field-s2vmid",
	    "S2VMID taken from the host's STE"),
	BUG(B5, "isolation", "^isolation:",
	    "a host-requested stage 2 accepted with the host's S2 words"),
	BUG(B6, "double-fetch", "^double-fetch",
	    "an L2 table may alias the L1 table or the command queue"),
	BUG(B7, "bug", "^(bug:.*strtab\\.c|isolation:)",
	    "CFGI_STE SID bound off by one ('>' against the count)"),
	BUG(B8, "isolation", "^isolation:hw-(evtq|priq|write)",
	    "event/PRI queue pages not pinned (not put in the shared state)"),
	BUG(B9, "isolation", "^isolation:(idmap|dma)",
	    "identity map not updated when the host donates a page to a guest"),
	BUG(B10, "isolation", "^isolation:(idmap|dma)",
	    "identity-map callbacks never switched on after the snapshot"),
	BUG(B11, "bug", "^(bug:.*owner\\.c|isolation:)",
	    "MMIO donation accepts RAM (a pinned queue page given away)"),
	BUG(B12, "isolation", "^(hyp-mmio-not-donated|isolation:)",
	    "a page-state update rebuilt from its pin count, dropping the owner"),
	BUG(B13, "isolation", "^(isolation:|cmd-filter:)",
	    "CMD_SYNC's MSI address passed through to the hardware"),
	BUG(B14, "isolation", "^isolation:host-view-idr0-msi",
	    "IDR0.MSI not masked from the host's view"),
	BUG(B15, "isolation", "^isolation:(gbpa|bypass)",
	    "a host GBPA write reaches the hardware"),
	BUG(B16, "cmdq",
	    "^(cmdq:cons-beyond-prod|hyp-reads-unshared-host-page|bug:.*cmdq\\.c|double-fetch)",
	    "the host's CMDQ LOG2SIZE used unclamped"),
	BUG(B17, "isolation", "^isolation:(idmap-wrong-memory-type|dma-wrong-memory-type)",
	    "device memory mapped Normal in the identity map"),
	BUG(B18, "lock", "^page-state-change-without-lock",
	    "an ownership request served without the instance lock"),
};

const size_t bugbench_bug_count = sizeof(bugbench_bugs) / sizeof(bugbench_bugs[0]);

_Static_assert(sizeof(bugbench_bugs) / sizeof(bugbench_bugs[0]) == INJ_COUNT,
	       "every bug of core/src/inject.h has an entry here");

const struct bug *bugbench_find(const char *id)
{
	size_t i;

	for (i = 0; i < bugbench_bug_count; i++)
		if (strcmp(bugbench_bugs[i].id, id) == 0)
			return &bugbench_bugs[i];
	return NULL;
}

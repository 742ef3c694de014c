// SPDX-License-Identifier: MIT
/*
 * The trap budget. One trapped access holds the hypervisor's locks for all
 * the work it causes, so that work must be bounded by what the host could
 * legitimately ask for in it: the commands it published and a whole-table
 * read or two. A core that re-reads the whole table per CFGI_ALL (250 of
 * them held one trap for 1.45 s) exceeds it.
 */
#include <stdio.h>

#include <smmu/regs.h>
#include "oracle_budget.h"

/*
 * Whether the host's stream table at @base/@cfg, read whole as the SMMU
 * would (the L1 or linear part and every L2 its valid descriptors name),
 * is at least @need bytes. Stops counting once it is: the bound only needs
 * to be met, and a legitimate whole-table read meets it halfway through.
 */
static bool table_at_least(struct world *w, uint64_t base, uint32_t cfg,
			   uint64_t need)
{
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg);
	const uint64_t *l1;
	uint64_t n, k, bytes;

	if (FIELD_GET(STRTAB_CFG_FMT, cfg) != STRTAB_CFG_FMT_2LVL)
		return (64ULL << (log2 < 32U ? log2 : 32U)) >= need;
	if (log2 <= split || log2 - split > 17U)
		return need == 0;
	n = 1ULL << (log2 - split);
	bytes = n * 8U;
	l1 = (const uint64_t *)world_ram(w, base, n * 8U);
	for (k = 0; l1 != NULL && k < n && bytes < need; k++) {
		unsigned span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, l1[k]);

		if (span != 0 && span <= split + 1U)
			bytes += 64ULL << (span - 1U);
	}
	return bytes >= need;
}

void oracle_trap_budget(struct world *w, unsigned smmu, const uint64_t *base,
			const uint32_t *cfg, unsigned count)
{
	const struct world_region *t = world_host_strtab_of(w, smmu);
	const struct world_work *work = world_step_work(w);
	uint64_t cheap = (uint64_t)BUDGET_PER_COMMAND * work->cmd_slots + BUDGET_SLACK;
	uint64_t need, raced = work->raced ? 64U << 8 : 0;
	unsigned k, j;

	/* Most traps read a command or two: skip the table walk. */
	if (work->host_bytes <= cheap)
		return;
	/* The smallest table that covers the excess in BUDGET_TABLE_READS
	 * whole-table reads (plus one L2 a racing host may have added). */
	need = (work->host_bytes - cheap + BUDGET_TABLE_READS - 1U) / BUDGET_TABLE_READS;
	if (need <= raced)
		return;
	need -= raced;
	if (t->bytes != 0 && table_at_least(w, t->base, t->cfg, need))
		return;
	for (k = 0; k < count; k++) {
		uint64_t b = base[k] & STRTAB_BASE_ADDR_MASK;

		/* The host's recent writes repeat: each table once. */
		for (j = 0; j < k; j++)
			if ((base[j] & STRTAB_BASE_ADDR_MASK) == b && cfg[j] == cfg[k])
				break;
		if (j == k && table_at_least(w, b, cfg[k], need))
			return;
	}
	fprintf(stderr, "smmufuzz: one trap read %llu host bytes for %u commands "
		"(bound: %u whole-table reads of a table of at least %llu bytes "
		"plus %llu)\n", (unsigned long long)work->host_bytes, work->cmd_slots,
		BUDGET_TABLE_READS, (unsigned long long)(need + raced),
		(unsigned long long)cheap);
	world_stop(w, WORLD_STOP_ORACLE, "hang:trap-budget");
}

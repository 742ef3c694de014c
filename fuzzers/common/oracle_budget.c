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

/* Bytes of the host's stream table as the SMMU would read all of it. */
static uint64_t table_bytes(struct world *w, uint64_t base, uint32_t cfg)
{
	unsigned log2 = (unsigned)FIELD_GET(STRTAB_CFG_LOG2SIZE, cfg);
	unsigned split = (unsigned)FIELD_GET(STRTAB_CFG_SPLIT, cfg);
	const uint64_t *l1;
	uint64_t n, k, bytes;

	if (FIELD_GET(STRTAB_CFG_FMT, cfg) != STRTAB_CFG_FMT_2LVL)
		return 64ULL << (log2 < 32U ? log2 : 32U);
	if (log2 <= split || log2 - split > 17U)
		return 0;
	n = 1ULL << (log2 - split);
	bytes = n * 8U;
	l1 = (const uint64_t *)world_ram(w, base, n * 8U);
	for (k = 0; l1 != NULL && k < n; k++) {
		unsigned span = (unsigned)FIELD_GET(STRTAB_L1_SPAN, l1[k]);

		if (span != 0 && span <= split + 1U)
			bytes += 64ULL << (span - 1U);
	}
	return bytes;
}

void oracle_trap_budget(struct world *w, unsigned smmu, const uint64_t *base,
			const uint32_t *cfg, unsigned count)
{
	const struct world_region *t = world_host_strtab_of(w, smmu);
	const struct world_work *work = world_step_work(w);
	uint64_t cheap = (uint64_t)BUDGET_PER_COMMAND * work->cmd_slots + BUDGET_SLACK;
	uint64_t table;
	unsigned k;

	/* Most traps read a command or two: skip the table walk. */
	if (work->host_bytes <= cheap)
		return;
	table = t->bytes != 0 ? table_bytes(w, t->base, t->cfg) : 0;
	for (k = 0; k < count; k++) {
		uint64_t b = table_bytes(w, base[k] & STRTAB_BASE_ADDR_MASK, cfg[k]);

		if (b > table)
			table = b;
	}
	if (work->raced)
		table += 64U << 8;
	if (work->host_bytes <= cheap + BUDGET_TABLE_READS * table)
		return;
	fprintf(stderr, "smmufuzz: one trap read %llu host bytes for %u commands "
		"(bound %llu: a table is %llu bytes)\n",
		(unsigned long long)work->host_bytes, work->cmd_slots,
		(unsigned long long)(cheap + BUDGET_TABLE_READS * table),
		(unsigned long long)table);
	world_stop(w, WORLD_STOP_ORACLE, "hang:trap-budget");
}

// SPDX-License-Identifier: MIT
/*
 * What the harness's host driver remembers of its command queue follows
 * its own register writes, as a driver's would: a CONS it wrote is the CONS
 * it believes, and a queue it programs starts empty.
 */
#include "check.h"
#include "harness.h"
#include "harness_text.h"

#include <smmu/regs.h>



/* The reset leaves PROD = CONS = 4 (two commands and two syncs); the host
 * then turns the queue off and rewinds both pointers. */
#define REWOUND								\
	"smfz 1 profile=qemu-virt\n"					\
	"reset 2lvl|evtq|smmuen cmdq=8 strtab=16 evtq=8\n"		\
	"write CR0 0x5\n"						\
	"poll CR0ACK mask=0xffffffff expect=0x5\n"			\
	"write CMDQ_PROD 0x0\n"						\
	"write CMDQ_CONS 0x0\n"						\
	"write CR0 0xd\n"						\
	"poll CR0ACK mask=0xffffffff expect=0xd\n"

/* CMDQ_CONS reads in the differential log after the first @skip. */
static unsigned cons_reads(const struct run_result *r, unsigned skip)
{
	unsigned k, n = 0;

	for (k = skip; k < r->diff_count; k++)
		if ((r->diff[k] >> 32) == SMMU_CMDQ_CONS)
			n++;
	return n;
}

/*
 * After the rewind the queue is empty as far as the host knows: its next
 * command goes in without a wait for room (no PROD write, no CONS read
 * before it), and the sync's one CONS read sees it consumed.
 */
static void a_cons_the_host_wrote_is_the_cons_it_believes(void)
{
	static struct run_result before, r;

	EXPECT_EQ(run_text(REWOUND, "all", &before), VERDICT_OK);
	EXPECT_EQ(run_text(REWOUND "cmd CFGI_STE sid=0x10 leaf=1\nsync\n"
			   "read CMDQ_PROD\n", "all", &r), VERDICT_OK);
	EXPECT_EQ(r.rejects, 0);
	/* The sync's read, and nothing else, between the two runs' ends. */
	EXPECT_EQ(r.diff_count, before.diff_count + 2U);
	EXPECT_EQ(cons_reads(&r, before.diff_count), 1);
	EXPECT_EQ(r.log[r.log_count - 2], 2);	/* CONS: both consumed */
	EXPECT_EQ(r.log[r.log_count - 1], 2);	/* PROD */
}

/*
 * A host that programs a new queue starts it empty, as a driver
 * initialising one would: here it forgets to write the pointers, so its
 * first command goes to slot 0 and it rings PROD = 1, behind the CONS of 4
 * the SMMU still has, which the core refuses. (The host used to carry on
 * at index 4 of the new queue.)
 */
static void a_queue_the_host_programs_starts_empty(void)
{
	static struct run_result r;

	EXPECT_EQ(run_text("smfz 1 profile=qemu-virt\n"
			   "reset 2lvl|evtq|smmuen cmdq=8 strtab=16 evtq=8\n"
			   "write CR0 0x5\n"
			   "poll CR0ACK mask=0xffffffff expect=0x5\n"
			   "write CMDQ_BASE 0x4000000044a00008\n"
			   "write CR0 0xd\n"
			   "poll CR0ACK mask=0xffffffff expect=0xd\n"
			   "cmd CFGI_STE sid=0x10 leaf=1 ring\n"
			   "read CMDQ_PROD\n", "all", &r), VERDICT_REJECTED);
	EXPECT_STR(r.site, "cmdq.prod_more_than_a_queue_ahead");
	EXPECT_EQ(r.log[r.log_count - 1], 1);
}

int main(void)
{
	RUN(a_cons_the_host_wrote_is_the_cons_it_believes);
	RUN(a_queue_the_host_programs_starts_empty);
	harness_shutdown();
	CHECK_DONE();
}

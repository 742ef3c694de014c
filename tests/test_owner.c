// SPDX-License-Identifier: MIT
/* Ownership transitions: MMIO donation and return (seed 002), sharing,
 * donation to the hypervisor and to guests, and pins. */
#include "fixture.h"

#define RAM_PAGE	(WORLD_HOST_BASE + 0x700000ULL)
#define HYP_PAGE	(WORLD_RAM_BASE + 0x1000ULL)
#define DEV_PAGE	WORLD_UART_BASE

static int req(struct fx *f, enum smmu_host_req r, uint64_t pa)
{
	world_step_begin(f->w);
	return smmu_host_request(&f->hyp, r, pa_init(pa));
}

static void mmio_donation_refuses_ram(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, RAM_PAGE), SMMU_EINVAL);
	EXPECT_STR(fx_first_reject(&f), "own.donate_mmio");
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, RAM_PAGE)), PGS_OWNER_HOST);
	fx_done(&f);
}

static void mmio_donation_refuses_a_page_owned_by_someone_else(void)
{
	struct fx f;

	fx_boot(&f);
	world_set_pgstate(f.w, DEV_PAGE, PGS_OWNER_GUEST);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, DEV_PAGE), SMMU_EPERM);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, DEV_PAGE)), PGS_OWNER_GUEST);
	/* The SMMU's own registers are the hypervisor's already. */
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, WORLD_SMMU_BASE), SMMU_EPERM);
	fx_done(&f);
}

static void mmio_donation_refuses_a_page_already_mapped_at_el2(void)
{
	struct fx f;

	fx_boot(&f);
	world_set_pgstate(f.w, DEV_PAGE, PGS_HYP_MAPPED);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, DEV_PAGE), SMMU_EBUSY);
	fx_done(&f);
}

static void mmio_donation_and_return_round_trip(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, DEV_PAGE), 0);
	EXPECT_EQ(world_pgstate(f.w, DEV_PAGE), PGS_OWNER_HYP | PGS_HYP_MAPPED);
	/* Donating it twice: the hypervisor owns it now. */
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, DEV_PAGE), SMMU_EPERM);
	EXPECT_EQ(req(&f, SMMU_REQ_RETURN_MMIO, DEV_PAGE), 0);
	EXPECT_EQ(world_pgstate(f.w, DEV_PAGE), PGS_OWNER_HOST);
	EXPECT_EQ(fx_rejects(&f), 1);
	fx_done(&f);
}

static void mmio_return_gives_back_only_what_the_hypervisor_owns(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(req(&f, SMMU_REQ_RETURN_MMIO, RAM_PAGE), SMMU_EINVAL);
	EXPECT_EQ(req(&f, SMMU_REQ_RETURN_MMIO, DEV_PAGE), SMMU_ENOENT);
	world_set_pgstate(f.w, DEV_PAGE, PGS_OWNER_GUEST | PGS_HYP_MAPPED);
	EXPECT_EQ(req(&f, SMMU_REQ_RETURN_MMIO, DEV_PAGE), SMMU_EPERM);
	/* The SMMU's registers are in use: never returned at run time. */
	EXPECT_EQ(req(&f, SMMU_REQ_RETURN_MMIO, WORLD_SMMU_BASE), SMMU_EBUSY);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, WORLD_SMMU_BASE)), PGS_OWNER_HYP);
	fx_done(&f);
}

static void share_and_unshare_follow_the_host_state(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(req(&f, SMMU_REQ_UNSHARE_HYP, RAM_PAGE), SMMU_EPERM);
	EXPECT_EQ(req(&f, SMMU_REQ_SHARE_HYP, RAM_PAGE), 0);
	EXPECT(pgs_is_shared(world_pgstate(f.w, RAM_PAGE)));
	EXPECT_EQ(req(&f, SMMU_REQ_SHARE_HYP, RAM_PAGE), SMMU_EPERM);
	/* A shared page cannot be given away. */
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_GUEST, RAM_PAGE), SMMU_EBUSY);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_HYP, RAM_PAGE), SMMU_EBUSY);
	EXPECT_EQ(req(&f, SMMU_REQ_UNSHARE_HYP, RAM_PAGE), 0);
	EXPECT_EQ(world_pgstate(f.w, RAM_PAGE), PGS_OWNER_HOST);
	/* Hypervisor memory and MMIO cannot be shared by the host. */
	EXPECT_EQ(req(&f, SMMU_REQ_SHARE_HYP, HYP_PAGE), SMMU_EPERM);
	EXPECT_EQ(req(&f, SMMU_REQ_SHARE_HYP, DEV_PAGE), SMMU_EINVAL);
	fx_done(&f);
}

static void donations_move_ownership_and_come_back(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_GUEST, RAM_PAGE), 0);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, RAM_PAGE)), PGS_OWNER_GUEST);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_HYP, RAM_PAGE), SMMU_EPERM);
	EXPECT_EQ(req(&f, SMMU_REQ_RECLAIM_HYP, RAM_PAGE), SMMU_EPERM);
	EXPECT_EQ(req(&f, SMMU_REQ_RECLAIM_GUEST, RAM_PAGE), 0);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_HYP, RAM_PAGE), 0);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, RAM_PAGE)), PGS_OWNER_HYP);
	EXPECT_EQ(req(&f, SMMU_REQ_RECLAIM_GUEST, RAM_PAGE), SMMU_EPERM);
	EXPECT_EQ(req(&f, SMMU_REQ_RECLAIM_HYP, RAM_PAGE), 0);
	EXPECT_EQ(world_pgstate(f.w, RAM_PAGE), PGS_OWNER_HOST);
	fx_done(&f);
}

static void the_hypervisor_returns_only_pages_the_host_lent(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(req(&f, SMMU_REQ_RECLAIM_HYP, HYP_PAGE), SMMU_EPERM);
	EXPECT_EQ(req(&f, SMMU_REQ_RECLAIM_HYP, WORLD_POOL_BASE), SMMU_EPERM);
	EXPECT_EQ(pgs_owner(world_pgstate(f.w, WORLD_POOL_BASE)), PGS_OWNER_HYP);
	fx_done(&f);
}

static void requests_for_misaligned_or_untracked_pages_fail(void)
{
	struct fx f;

	fx_boot(&f);
	EXPECT_EQ(req(&f, SMMU_REQ_SHARE_HYP, RAM_PAGE + 8), SMMU_EINVAL);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_MMIO, 0x100000000ULL), SMMU_ERANGE);
	EXPECT_EQ(req(&f, (enum smmu_host_req)99, RAM_PAGE), SMMU_EINVAL);
	fx_done(&f);
}

static void requests_before_deprivilege_are_refused(void)
{
	struct fx f;

	f.w = fx_world("qemu-virt", 1);
	world_activate(f.w);
	memset(&f.hyp, 0, sizeof(f.hyp));
	EXPECT_EQ(smmu_setup(&f.hyp, pa_init(WORLD_POOL_BASE), 16), 0);
	EXPECT_EQ(req(&f, SMMU_REQ_SHARE_HYP, RAM_PAGE), SMMU_EPERM);
	fx_done(&f);
}

static void pinned_queue_pages_cannot_be_given_away(void)
{
	struct fx f;

	fx_boot(&f);
	fx_program_queues(&f, 8);
	fx_wr(&f, SMMU_CR0, CR0_CMDQEN);
	EXPECT_EQ(fx_rejects(&f), 0);
	EXPECT_EQ(pgs_pins(world_pgstate(f.w, FX_CMDQ)), 1);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_GUEST, FX_CMDQ), SMMU_EBUSY);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_HYP, FX_CMDQ), SMMU_EBUSY);
	/* Disabling the queue releases the pages. */
	fx_wr(&f, SMMU_CR0, 0);
	EXPECT_EQ(world_pgstate(f.w, FX_CMDQ), PGS_OWNER_HOST);
	EXPECT_EQ(req(&f, SMMU_REQ_DONATE_GUEST, FX_CMDQ), 0);
	fx_done(&f);
}

int main(void)
{
	RUN(mmio_donation_refuses_ram);
	RUN(mmio_donation_refuses_a_page_owned_by_someone_else);
	RUN(mmio_donation_refuses_a_page_already_mapped_at_el2);
	RUN(mmio_donation_and_return_round_trip);
	RUN(mmio_return_gives_back_only_what_the_hypervisor_owns);
	RUN(share_and_unshare_follow_the_host_state);
	RUN(donations_move_ownership_and_come_back);
	RUN(the_hypervisor_returns_only_pages_the_host_lent);
	RUN(requests_for_misaligned_or_untracked_pages_fail);
	RUN(requests_before_deprivilege_are_refused);
	RUN(pinned_queue_pages_cannot_be_given_away);
	CHECK_DONE();
}

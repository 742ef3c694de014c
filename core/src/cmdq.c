// SPDX-License-Identifier: MIT
/*
 * The host's command queue, emulated. The host writes commands into its own
 * queue (pinned while CMDQEN is set) and rings CMDQ_PROD; the core copies
 * each published command once into hypervisor memory, filters it, forwards
 * the survivors to its own queue on the hardware, waits (bounded) for them
 * to complete, and only then advances the host's CONS. A refused command
 * stops the queue the architectural way: CONS points at it, CONS.ERR =
 * CERROR_ILL and GERROR.CMDQ_ERR is raised until the host acknowledges.
 *
 *   host queue, 2^n entries      PROD/CONS: [ ... | wrap | index (n bits) ]
 *   +---+---+---+---+---+
 *   |   | c | c | c |   |        published = (PROD - CONS) mod 2^(n+1),
 *   +---+---+---+---+---+        at most 2^n; bits above wrap are ignored
 *         ^CONS      ^PROD
 */
#include "priv.h"

static bool host_err_active(const struct smmu_dev *dev)
{
	return ((dev->host.gerror_cmdq ^ dev->host.gerrorn) &
		GERROR_CMDQ_ERR) != 0;
}

static void host_raise(struct smmu_dev *dev, uint32_t cons, uint32_t cerror)
{
	dev->host.cmdq_cons = cons | (uint32_t)FIELD_PREP(CMDQ_CONS_ERR, cerror);
	if (!host_err_active(dev))
		dev->host.gerror_cmdq ^= GERROR_CMDQ_ERR;
}

uint32_t cmdq_cons_read(const struct smmu_dev *dev)
{
	return dev->host.cmdq_cons;
}

void cmdq_prod_write(struct smmu_hyp *hyp, struct smmu_dev *dev, uint32_t val)
{
	/* Reads give back what was written, junk bits and all. */
	dev->host.cmdq_prod = val;
	cmdq_resume(hyp, dev);
}

/*
 * Forward what has been appended so far and settle the host's CONS: on
 * success it moves to @next; if the hardware refused one of the commands,
 * the host sees that command as the failing one.
 */
static bool flush(struct smmu_dev *dev, uint32_t batch_cons, uint32_t next)
{
	struct hwq_result res;

	hwq_sync(dev, &res);
	if (res.failed) {
		/* The hypervisor only issues commands the hardware accepts. */
		BUG_ON(res.src == HWQ_SRC_HYP);
		host_raise(dev, res.src, res.cerror);
		return false;
	}
	if (res.err != SMMU_OK) {
		/* Hardware did not finish: the host's CONS stays put and it
		 * will see its SYNC time out. Nothing is lost or exposed. */
		REJECT("cmdq.hw_timeout");
		dev->host.cmdq_cons = batch_cons;
		return false;
	}
	dev->host.cmdq_cons = next;
	return true;
}

/* CFGI_STE_RANGE that passed the filter: CFGI_ALL. */
static bool is_cfgi_all(const uint64_t cmd[2])
{
	return FIELD_GET(CMD0_OP, cmd[0]) == CMDQ_OP_CFGI_STE_RANGE;
}

/*
 * The commands whose STEs the hypervisor reads and shadows itself. A
 * CFGI_ALL after the first of one doorbell is not: every STE write the
 * host ordered before any of this doorbell's commands came before its PROD
 * write, so one re-read of the table covers them all. This bounds a trap
 * to one whole-table read however many CFGI_ALLs it carries.
 */
static bool needs_reshadow(const uint64_t cmd[2], bool table_read)
{
	uint64_t op = FIELD_GET(CMD0_OP, cmd[0]);

	return op == CMDQ_OP_CFGI_STE || (is_cfgi_all(cmd) && !table_read);
}

static int reshadow(struct smmu_hyp *hyp, struct smmu_dev *dev,
		    const uint64_t cmd[2], const char **site)
{
	if (FIELD_GET(CMD0_OP, cmd[0]) == CMDQ_OP_CFGI_STE_RANGE)
		return strtab_cfgi_all(hyp, dev, site);
	return strtab_cfgi_ste(hyp, dev, (uint32_t)FIELD_GET(CMD0_SID, cmd[0]), site);
}

void cmdq_resume(struct smmu_hyp *hyp, struct smmu_dev *dev)
{
	uint32_t log2 = dev->host_cmdq_log2;
	uint32_t size = 1U << log2, mask = (2U << log2) - 1U;
	uint32_t prod, cons, pending, space, batch_cons;
	bool table_read = false;

	if ((dev->host.cr0_eff & CR0_CMDQEN) == 0 || host_err_active(dev))
		return;
	prod = dev->host.cmdq_prod & mask;
	cons = dev->host.cmdq_cons & mask;
	pending = (prod - cons) & mask;
	if (pending > size) {
		REJECT("cmdq.prod_more_than_a_queue_ahead");
		return;
	}
	/* Each round moves at least one command, so this ends within 2^n rounds. */
	while (pending > 0) {
		space = hwq_space(dev);
		if (space == 0) {
			struct hwq_result res;

			hwq_sync(dev, &res);
			space = hwq_space(dev);
			if (space == 0) {
				REJECT("cmdq.hw_timeout");
				return;
			}
		}
		batch_cons = cons;
		while (space > 0 && pending > 0) {
			uint64_t cmd[2];
			const char *site;
			pa_t src = pa_init(dev->host_cmdq_addr +
					   (uint64_t)(cons & (INJECT(B2) ? mask : size - 1U)) * 16U);

			/* The queue was validated and pinned at enable. Each
			 * command is read once, and so is what it makes the
			 * core read (an STE). */
			BUG_ON(plat_host_copy_in(cmd, src, sizeof(cmd)) != SMMU_OK);
			if (cmd_filter(dev, cmd, &site) == CMD_ILLEGAL) {
				REJECT(site);
				if (flush(dev, batch_cons, cons))
					host_raise(dev, cons, CERROR_ILL);
				return;
			}
			pending--;
			if (needs_reshadow(cmd, table_read)) {
				/* Everything before it completes first; the
				 * re-shadowing issues its own CFGI and SYNC. */
				if (!flush(dev, batch_cons, cons))
					return;
				if (reshadow(hyp, dev, cmd, &site) != SMMU_OK) {
					REJECT(site);
					host_raise(dev, cons, CERROR_ILL);
					return;
				}
				if (!INJECT(R7))
					table_read |= is_cfgi_all(cmd);
				cons = (cons + 1U) & mask;
				dev->host.cmdq_cons = cons;
				batch_cons = cons;
				space = hwq_space(dev);
				continue;
			}
			hwq_append(dev, cmd, cons);
			space--;
			cons = (cons + 1U) & mask;
		}
		if (!flush(dev, batch_cons, cons))
			return;
	}
}

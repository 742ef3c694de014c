// SPDX-License-Identifier: MIT
/* Delta debugging keeps exactly what the predicate needs. */
#include "check.h"
#include "minimize.h"

/* "The finding" needs a WRITE of CR0 followed, later, by a READ of GBPA. */
static bool needs_write_then_read(void *ctx, const struct op *ops, size_t n)
{
	size_t i;
	bool wrote = false;

	(void)ctx;
	for (i = 0; i < n; i++) {
		if (ops[i].code == OP_WRITE && ops[i].a8 == 8)
			wrote = true;
		if (wrote && ops[i].code == OP_READ && ops[i].a8 == 13)
			return true;
	}
	return false;
}

static void minimize_keeps_only_the_ops_that_matter(void)
{
	struct op ops[100];
	unsigned runs = 0;
	size_t i, n;

	memset(ops, 0, sizeof(ops));
	for (i = 0; i < 100; i++) {
		ops[i].code = OP_READ;
		ops[i].a8 = (uint8_t)(i % 7);
	}
	ops[31].code = OP_WRITE;
	ops[31].a8 = 8;
	ops[77].a8 = 13;
	n = minimize_ops(ops, 100, needs_write_then_read, NULL, &runs);
	EXPECT_EQ(n, 2);
	EXPECT_EQ(ops[0].code, OP_WRITE);
	EXPECT_EQ(ops[1].a8, 13);
	EXPECT(runs > 0 && runs < 400);
}

static bool always(void *ctx, const struct op *ops, size_t n)
{
	(void)ctx;
	(void)ops;
	return n >= 1;
}

static void minimize_never_goes_below_one_op(void)
{
	struct op ops[5];
	unsigned runs = 0;

	memset(ops, 0, sizeof(ops));
	EXPECT_EQ(minimize_ops(ops, 5, always, NULL, &runs), 1);
	EXPECT_EQ(minimize_ops(ops, 1, always, NULL, &runs), 1);
}

int main(void)
{
	RUN(minimize_keeps_only_the_ops_that_matter);
	RUN(minimize_never_goes_below_one_op);
	CHECK_DONE();
}

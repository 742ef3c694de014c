/* SPDX-License-Identifier: MIT */
/* Minimal test helpers: each test file is one ctest executable. */
#ifndef SMMUFUZZ_TEST_CHECK_H
#define SMMUFUZZ_TEST_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static const char *check_current = "?";

#define CHECK_FAIL(...)                                                   \
	do {                                                              \
		fprintf(stderr, "%s:%d: [%s] ", __FILE__, __LINE__,       \
			check_current);                                   \
		fprintf(stderr, __VA_ARGS__);                             \
		fputc('\n', stderr);                                      \
		check_failures++;                                         \
	} while (0)

#define EXPECT(cond)                                                      \
	do {                                                              \
		if (!(cond))                                              \
			CHECK_FAIL("expected: %s", #cond);                \
	} while (0)

#define EXPECT_EQ(a, b)                                                   \
	do {                                                              \
		uint64_t check_a_ = (uint64_t)(a), check_b_ = (uint64_t)(b); \
		if (check_a_ != check_b_)                                 \
			CHECK_FAIL("%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, \
				   #a, #b, check_a_, check_b_);           \
	} while (0)

#define EXPECT_STR(a, b)                                                  \
	do {                                                              \
		const char *check_a_ = (a), *check_b_ = (b);              \
		if (strcmp(check_a_, check_b_) != 0)                      \
			CHECK_FAIL("%s == %s: \"%s\" != \"%s\"", #a, #b,  \
				   check_a_, check_b_);                   \
	} while (0)

/* Run one named test function; the name reads as the behaviour it checks. */
#define RUN(fn)                                                           \
	do {                                                              \
		int check_before_ = check_failures;                       \
		check_current = #fn;                                      \
		fn();                                                     \
		printf("%s %s\n", check_failures == check_before_ ?       \
		       "ok  " : "FAIL", #fn);                             \
	} while (0)

#define CHECK_DONE()                                                      \
	do {                                                              \
		if (check_failures) {                                     \
			fprintf(stderr, "%d check(s) failed\n",           \
				check_failures);                          \
			return 1;                                         \
		}                                                         \
		return 0;                                                 \
	} while (0)

#endif /* SMMUFUZZ_TEST_CHECK_H */

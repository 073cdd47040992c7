/*
 * The main() every unit test shares: one Check suite per file, forking, with
 * a non-zero exit status when any test fails.
 */
#ifndef C7_TEST_CHECK_MAIN_H
#define C7_TEST_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define TEST_MAIN(suite_fn)                                           \
	int main(void)                                                \
	{                                                             \
		SRunner *sr = srunner_create(suite_fn());             \
		srunner_run_all(sr, CK_NORMAL);                       \
		int failed = srunner_ntests_failed(sr);               \
		srunner_free(sr);                                     \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;          \
	}

#endif

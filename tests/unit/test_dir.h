/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A scratch folder per test for the file-writing units: Criterion runs each
 * test in a process of its own, so one template serves all of a file's tests.
 * Use: TestSuite(NAME, .init = test_dir_make, .fini = test_dir_remove).
 */
#ifndef EXITLAT_TEST_DIR_H
#define EXITLAT_TEST_DIR_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

static char dir[] = "/tmp/exitlat-test-dir-XXXXXX";

static void test_dir_make(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void test_dir_remove(void)
{
	char cmd[sizeof(dir) + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

#endif

// SPDX-License-Identifier: GPL-2.0
/* Unit tests of lockwatch check: a disk against its thresholds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../userspace/output.h"
#include "capture.h"

static const char chains[] =
	"lockwatch chains 1\n"
	"chains: 1\n"
	"\n"
	"chain 1: io sda 8:0\n"
	"  addr: 00000000aa46af39\n"
	"  owner: -\n"
	"  owner-confidence: unknown\n"
	"  ends: I/O on sda (8:0): 2 requests in flight, oldest 130 s (WRITE 8 sectors at 0)\n"
	"  waiters: 2\n"
	"  waiter: 108 bio 130 dd\n"
	"  waiter: 109 bio 125 dd\n";

static const char devices[] =
	"lockwatch devices 1\n"
	"devices: 2\n"
	"\n"
	"device sdb 8:16\n"
	"  addr: 00000000aa46af40\n"
	"  inflight: 1\n"
	"  request: 40 s READ 8 sectors at 0 (hctx 0 tag 1)\n"
	"  waiters: 0\n"
	"  behind: 0\n"
	"\n"
	"device sda 8:0\n"
	"  addr: 00000000aa46af39\n"
	"  inflight: 2\n"
	"  request: 130 s WRITE 8 sectors at 0 (hctx 0 tag 3)\n"
	"  request: 125 s WRITE 8 sectors at 8 (hctx 0 tag 4)\n"
	"  waiters: 2\n"
	"  behind: 2\n";

/* The same disks with requests the kernel does not let be read (5.10). */
static const char unreadable[] =
	"lockwatch devices 1\n"
	"devices: 1\n"
	"\n"
	"device sda 8:0\n"
	"  addr: 00000000aa46af39\n"
	"  inflight: unknown\n"
	"  waiters: 2\n"
	"  behind: 2\n";

static struct lw_all all;

static void parse(const char *dev)
{
	char err[256] = "";

	lw_free_all(&all);
	memset(&all, 0, sizeof(all));
	if (lw_parse_chains(chains, &all.chains, err, sizeof(err)) ||
	    lw_parse_devices(dev, &all.devices, err, sizeof(err)))
		fail_msg("%s", err);
}

static int setup(void **state)
{
	(void)state;
	memset(&all, 0, sizeof(all));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lw_free_all(&all);
	return 0;
}

struct lw_check_args {
	long warn, crit;
};

static int lw_check_of(const void *arg)
{
	const struct lw_check_args *c = arg;

	return lw_check_reports(&all, c->warn, c->crit);
}

/* What lw_check_reports() prints, and its exit status in @ret. */
static char *check(long warn, long crit, int *ret)
{
	struct lw_check_args c = { .warn = warn, .crit = crit };

	return lw_capture(lw_check_of, &c, ret);
}

static void test_disk_critical(void **state)
{
	int ret;

	(void)state;
	parse(devices);
	assert_string_equal(check(30, 120, &ret),
		"LOCKWATCH CRITICAL - sda (8:0) has not completed a request for 130 s; 2 tasks stuck behind it\n");
	assert_int_equal(ret, LW_CHECK_CRITICAL);
	/* At the threshold itself. */
	assert_string_equal(check(30, 130, &ret),
		"LOCKWATCH CRITICAL - sda (8:0) has not completed a request for 130 s; 2 tasks stuck behind it\n");
	assert_int_equal(ret, LW_CHECK_CRITICAL);
}

static void test_disk_warning(void **state)
{
	int ret;

	(void)state;
	parse(devices);
	assert_string_equal(check(30, 131, &ret),
		"LOCKWATCH WARNING - 2 tasks stuck behind 1 disk, longest 130 s; sda (8:0) has not completed a request for 130 s; 2 tasks stuck behind it\n");
	assert_int_equal(ret, LW_CHECK_WARNING);
}

static void test_disk_below(void **state)
{
	int ret;

	(void)state;
	parse(devices);
	assert_string_equal(check(131, 200, &ret),
		"LOCKWATCH WARNING - 2 tasks stuck behind 1 disk, longest 130 s\n");
	assert_int_equal(ret, LW_CHECK_WARNING);
}

static void test_disk_unreadable(void **state)
{
	int ret;

	(void)state;
	parse(unreadable);
	assert_string_equal(check(1, 1, &ret),
		"LOCKWATCH WARNING - 2 tasks stuck behind 1 disk, longest 130 s\n");
	assert_int_equal(ret, LW_CHECK_WARNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disk_critical),
		cmocka_unit_test(test_disk_warning),
		cmocka_unit_test(test_disk_below),
		cmocka_unit_test(test_disk_unreadable),
	};

	return cmocka_run_group_tests_name("check", tests, setup, teardown);
}

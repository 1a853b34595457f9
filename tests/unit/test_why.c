// SPDX-License-Identifier: GPL-2.0
/* Unit tests of lockwatch why: a task's story from parsed reports. */
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

static const char cycles[] =
	"lockwatch cycles 1\n"
	"cycles: 1\n"
	"\n"
	"cycle 1: 2 tasks\n"
	"  task: 100 lw_fire_1\n"
	"    state: D 0x2\n"
	"    blocked: 40 s\n"
	"    lock: rwsem invalidate_lock of inode 3 (tmpfs 0:22) /js/fire.js\n"
	"    mode: write\n"
	"    source: stack\n"
	"    addr: 00000000aa46af38\n"
	"    owner: 101 lw_fire_2\n"
	"    owner-confidence: exact\n"
	"  task: 101 lw_fire_2\n"
	"    state: D 0x2\n"
	"    blocked: 40 s\n"
	"    lock: rwsem i_rwsem of inode 3 (tmpfs 0:22) /js/fire.js\n"
	"    mode: write\n"
	"    source: stack\n"
	"    addr: 00000000aa46af39\n"
	"    owner: 100 lw_fire_1\n"
	"    owner-confidence: exact\n";

static const char chains[] =
	"lockwatch chains 1\n"
	"chains: 7\n"
	"\n"
	"chain 1: rwsem i_rwsem of inode 3 (tmpfs 0:22) /js/fire.js\n"
	"  addr: 00000000aa46af39\n"
	"  held: write\n"
	"  owner: 101 lw_fire_2\n"
	"  owner-confidence: exact\n"
	"  owner-state: D 0x2\n"
	"  owner-waits: cycle 1\n"
	"  ends: cycle 1\n"
	"  waiters: 1\n"
	"  waiter: 108 write 30 rm\n"
	"\n"
	"chain 2: rwsem i_rwsem of inode 2 (tmpfs 0:22) /js\n"
	"  addr: 00000000aa46af40\n"
	"  held: write\n"
	"  owner: 108 rm\n"
	"  owner-confidence: exact\n"
	"  owner-state: D 0x2\n"
	"  owner-waits: chain 1\n"
	"  ends: cycle 1\n"
	"  waiters: 1\n"
	"  waiter: 110 read 20 ls\n"
	"\n"
	"chain 3: rwsem lw_rd_rwsem [lockwatch_scenarios]\n"
	"  addr: 00000000aa46af41\n"
	"  held: read\n"
	"  readers: 1\n"
	"  owner: 120 lw_rd_holder\n"
	"  owner-confidence: hint\n"
	"  owner-state: S 0x1\n"
	"  owner-waits: nothing\n"
	"  ends: 120 lw_rd_holder asleep (S) in msleep_interruptible for 50 s\n"
	"  waiters: 1\n"
	"  waiter: 121 write 50 lw_rd_writer\n"
	"\n"
	"chain 4: percpu_rwsem sb_writers (level: write) of xfs 254:32 /mnt/f\n"
	"  addr: 00000000aa46af42\n"
	"  held: write\n"
	"  frozen: yes\n"
	"  readers: unknown\n"
	"  owner: -\n"
	"  owner-confidence: unknown\n"
	"  waiters: 1\n"
	"  waiter: 130 read 12 touch\n"
	"\n"
	"chain 5: rcu grace period (synchronize_rcu)\n"
	"  addr: 00000000aa46af43\n"
	"  reader: running inside rcu_read_lock()\n"
	"  owner: 150 lw_rcu_reader\n"
	"  owner-confidence: hint\n"
	"  owner-state: R 0x0\n"
	"  owner-waits: nothing\n"
	"  ends: 150 lw_rcu_reader running on CPU 1, no context switch for 8 s\n"
	"  waiters: 1\n"
	"  waiter: 151 - 8 lw_rcu_sync\n"
	"\n"
	"chain 6: rcu grace period (synchronize_rcu_tasks)\n"
	"  addr: 00000000aa46af44\n"
	"  owner: -\n"
	"  owner-confidence: unknown\n"
	"  waiters: 1\n"
	"  waiter: 152 - 8 rmmod\n"
	"\n"
	"chain 7: wait lw_dwait_fn [lockwatch_scenarios]\n"
	"  wait: unknown\n"
	"  waiters: 1\n"
	"  waiter: 140 - 9 lw_dwait\n";

static struct lw_all all;

static int setup(void **state)
{
	char err[256];

	(void)state;
	memset(&all, 0, sizeof(all));
	assert_int_equal(lw_parse_cycles(cycles, &all.cycles, err, sizeof(err)), 0);
	assert_int_equal(lw_parse_chains(chains, &all.chains, err, sizeof(err)), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lw_report_free(&all.cycles);
	lw_chains_free(&all.chains);
	return 0;
}

struct lw_why_args {
	int pid;
	bool json;
};

static int lw_why_of(const void *arg)
{
	const struct lw_why_args *w = arg;

	return lw_why(&all, w->pid, w->json, false);
}

/* What lw_why() prints for @pid, and its exit status in @ret. */
static char *why(int pid, bool json, int *ret)
{
	struct lw_why_args w = { .pid = pid, .json = json };

	return lw_capture(lw_why_of, &w, ret);
}

static void test_behind_a_cycle(void **state)
{
	int ret;

	(void)state;
	assert_string_equal(why(110, false, &ret),
		"110 ls waits (read, 20 s) for rwsem i_rwsem of inode 2 (tmpfs 0:22) /js\n"
		"  held by 108 rm (exact)\n"
		"108 rm waits (write, 30 s) for rwsem i_rwsem of inode 3 (tmpfs 0:22) /js/fire.js\n"
		"  held by 101 lw_fire_2 (exact)\n"
		"101 lw_fire_2 is in deadlock cycle 1 (2 tasks):\n"
		"  101 lw_fire_2 waits (write, 40 s) for rwsem i_rwsem of inode 3 (tmpfs 0:22) /js/fire.js, held by 100 lw_fire_1 (exact)\n"
		"  100 lw_fire_1 waits (write, 40 s) for rwsem invalidate_lock of inode 3 (tmpfs 0:22) /js/fire.js, held by 101 lw_fire_2 (exact)\n");
	assert_int_equal(ret, LW_EXIT_OK);
}

static void test_owner_asleep(void **state)
{
	int ret;

	(void)state;
	assert_string_equal(why(121, false, &ret),
		"121 lw_rd_writer waits (write, 50 s) for rwsem lw_rd_rwsem [lockwatch_scenarios]\n"
		"  held by 120 lw_rd_holder (hint)\n"
		"120 lw_rd_holder is asleep (S) in msleep_interruptible for 50 s\n");
	assert_string_equal(why(120, false, &ret),
		"120 lw_rd_holder is not stuck; it holds rwsem lw_rd_rwsem [lockwatch_scenarios]\n");
	assert_int_equal(ret, LW_EXIT_OK);
}

static void test_frozen_and_site(void **state)
{
	int ret;

	(void)state;
	assert_string_equal(why(130, false, &ret),
		"130 touch waits (read, 12 s) for percpu_rwsem sb_writers (level: write) of xfs 254:32 /mnt/f\n"
		"  the file system is frozen: the freeze holds it, no task does\n");
	assert_string_equal(why(140, false, &ret),
		"140 lw_dwait sleeps (9 s) in lw_dwait_fn [lockwatch_scenarios], a wait lockwatch cannot name\n");
}

/* A grace period: the reader that holds it up, or nobody seen. */
static void test_rcu(void **state)
{
	int ret;

	(void)state;
	assert_string_equal(why(151, false, &ret),
		"151 lw_rcu_sync waits (-, 8 s) for rcu grace period (synchronize_rcu)\n"
		"  held up by 150 lw_rcu_reader (hint: running inside rcu_read_lock())\n"
		"150 lw_rcu_reader is running on CPU 1, no context switch for 8 s\n");
	assert_string_equal(why(152, false, &ret),
		"152 rmmod waits (-, 8 s) for rcu grace period (synchronize_rcu_tasks)\n"
		"  no reader is seen holding it up (CPUs that have not passed a quiescent state are in RCU's own state)\n");
	assert_int_equal(ret, LW_EXIT_OK);
}

static void test_absent(void **state)
{
	int ret;

	(void)state;
	assert_string_equal(why(4242, false, &ret), "");
	assert_int_equal(ret, LW_EXIT_ERROR);
}

static void test_json(void **state)
{
	int ret;
	const char *out = why(110, true, &ret);

	(void)state;
	assert_int_equal(ret, LW_EXIT_OK);
	assert_non_null(strstr(out, "\"stuck\":true"));
	assert_non_null(strstr(out, "\"cycle\":1"));
	assert_true(strstr(out, "\"comm\":\"ls\"") < strstr(out, "\"comm\":\"rm\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_behind_a_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owner_asleep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frozen_and_site, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rcu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

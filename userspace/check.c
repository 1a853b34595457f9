// SPDX-License-Identifier: GPL-2.0
/* lockwatch check: one line and a monitoring-plugin exit status. */
#include <stdio.h>

#include "output.h"

int lw_check(const char *dir)
{
	struct lw_all a;
	char msg[4608];
	int ret, n;

	if (lw_load(dir, &a, msg, sizeof(msg))) {
		printf("LOCKWATCH UNKNOWN - %s\n", msg);
		lw_free_all(&a);
		return LW_CHECK_UNKNOWN;
	}
	if (a.cycles.ncycles) {
		const struct lw_rtask *t = &a.cycles.cycles[0].tasks[0];

		printf("LOCKWATCH CRITICAL - %d deadlock %s; %d %s waits for %s %s held by %d %s\n",
		       a.cycles.ncycles, lw_plural(a.cycles.ncycles, "cycle", "cycles"),
		       t->pid, t->comm, t->kind, t->lock, t->owner_pid, t->owner_comm);
		ret = LW_CHECK_CRITICAL;
	} else if (a.chains.nchains) {
		n = lw_stuck_waiters_of(&a, "unknown");
		printf("LOCKWATCH WARNING - %d %s stuck behind %d %s",
		       lw_stuck_waiters(&a) - n,
		       lw_plural(lw_stuck_waiters(&a) - n, "task", "tasks"),
		       lw_lock_chains(&a), lw_plural(lw_lock_chains(&a), "lock", "locks"));
		if (n)
			printf(", %d in waits it cannot name", n);
		printf(", longest %ld s\n", lw_longest_blocked(&a));
		ret = LW_CHECK_WARNING;
	} else if (lw_left_out(&a)) {
		printf("LOCKWATCH WARNING - incomplete: %lld blocked tasks beyond max_tasks were not examined\n",
		       lw_left_out(&a));
		ret = LW_CHECK_WARNING;
	} else {
		printf("LOCKWATCH OK - no deadlock, no stuck task\n");
		ret = LW_CHECK_OK;
	}
	lw_free_all(&a);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/* lockwatch check: one line and a monitoring-plugin exit status. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

/* What the chains are behind, by their wait, in the words of the line. */
static const struct {
	const char *wait, *one, *many;
} lw_behind[] = {
	{ "lock", "lock", "locks" },
	{ "percpu_rwsem", "lock", "locks" },
	{ "page", "page", "pages" },
	{ "buffer", "buffer", "buffers" },
	{ "flusher", "flusher", "flushers" },
	{ "dirty", "dirty throttle", "dirty throttles" },
	{ "queue", "frozen queue", "frozen queues" },
	{ "io", "disk", "disks" },
	{ "rcu", "grace period", "grace periods" },
	{ "fuse", "FUSE request", "FUSE requests" },
	{ "umh", "user-mode helper", "user-mode helpers" },
	{ "kthread", "kthread creation", "kthread creations" },
	{ "completion", "completion", "completions" },
	{ "journal", "journal", "journals" },
};

/*
 * "behind 2 locks, 1 disk and 3 completions": the chains outside waits
 * known by their site only, counted by what they are behind.
 */
static void lw_print_behind(const struct lw_all *a)
{
	int count[LW_ARRAY_SIZE(lw_behind)] = { 0 };
	int c, i, j, groups = 0, shown = 0;

	for (c = 0; c < a->chains.nchains; c++)
		for (i = 0; i < (int)LW_ARRAY_SIZE(lw_behind); i++)
			if (!strcmp(a->chains.chains[c].wait, lw_behind[i].wait)) {
				/* the same words count once: locks */
				for (j = 0; j < i; j++)
					if (!strcmp(lw_behind[j].one, lw_behind[i].one))
						break;
				count[j]++;
			}
	for (i = 0; i < (int)LW_ARRAY_SIZE(lw_behind); i++)
		groups += count[i] > 0;
	printf(" behind");
	for (i = 0; i < (int)LW_ARRAY_SIZE(lw_behind); i++) {
		if (!count[i])
			continue;
		shown++;
		printf("%s %d %s", shown == 1 ? "" : shown == groups ? " and" : ",",
		       count[i], lw_plural(count[i], lw_behind[i].one, lw_behind[i].many));
	}
}

/* The disk whose oldest request in flight is the oldest, or NULL. */
static const struct lw_rdevice *lw_stalled_disk(const struct lw_all *a)
{
	const struct lw_rdevice *worst = NULL;
	int i;

	for (i = 0; i < a->devices.ndevices; i++) {
		const struct lw_rdevice *d = &a->devices.devices[i];

		if (d->oldest_s >= 0 && (!worst || d->oldest_s > worst->oldest_s))
			worst = d;
	}
	return worst;
}

/* "sda (8:0) has not completed a request for 130 s; 7 tasks stuck behind it" */
static void lw_print_stall(const struct lw_rdevice *d)
{
	printf("%s (%s) has not completed a request for %ld s; %ld %s stuck behind it",
	       d->name, d->dev, d->oldest_s, d->behind,
	       lw_plural(d->behind, "task", "tasks"));
}

/*
 * Deadlock cycles are CRITICAL, and so is a disk that has not completed
 * a request for @crit seconds; stuck chains are WARNING, and so is a disk
 * stalled for @warn seconds. A disk stalled for @warn seconds is named
 * whatever the status says first.
 */
int lw_check_reports(const struct lw_all *a, long warn, long crit)
{
	const struct lw_rdevice *disk;
	char off[256];
	int ret, n, noff;
	bool said = false;

	noff = lw_decoders_off(a, off, sizeof(off));
	disk = lw_stalled_disk(a);
	if (disk && disk->oldest_s < warn)
		disk = NULL;
	if (a->cycles.ncycles) {
		const struct lw_rtask *t = &a->cycles.cycles[0].tasks[0];

		printf("LOCKWATCH CRITICAL - %d deadlock %s; %d %s waits for %s %s held by %d %s",
		       a->cycles.ncycles, lw_plural(a->cycles.ncycles, "cycle", "cycles"),
		       t->pid, t->comm, t->kind, t->lock, t->owner_pid, t->owner_comm);
		ret = LW_CHECK_CRITICAL;
	} else if (disk && disk->oldest_s >= crit) {
		printf("LOCKWATCH CRITICAL - ");
		lw_print_stall(disk);
		said = true;
		ret = LW_CHECK_CRITICAL;
	} else if (a->chains.nchains) {
		n = lw_stuck_waiters_of(a, "unknown");
		printf("LOCKWATCH WARNING - ");
		if (lw_lock_chains(a)) {
			printf("%d %s stuck", lw_stuck_waiters(a) - n,
			       lw_plural(lw_stuck_waiters(a) - n, "task", "tasks"));
			lw_print_behind(a);
			if (n)
				printf("; %d in waits it cannot name", n);
		} else {
			printf("%d %s stuck in waits it cannot name", n,
			       lw_plural(n, "task", "tasks"));
		}
		printf(", longest %ld s", lw_longest_blocked(a));
		ret = LW_CHECK_WARNING;
	} else if (disk) {
		printf("LOCKWATCH WARNING - ");
		lw_print_stall(disk);
		said = true;
		ret = LW_CHECK_WARNING;
	} else if (lw_left_out(a)) {
		printf("LOCKWATCH WARNING - incomplete: %lld blocked tasks beyond max_tasks were not examined",
		       lw_left_out(a));
		ret = LW_CHECK_WARNING;
	} else if (noff) {
		printf("LOCKWATCH WARNING - no deadlock, no stuck task");
		ret = LW_CHECK_WARNING;
	} else {
		printf("LOCKWATCH OK - no deadlock, no stuck task");
		ret = LW_CHECK_OK;
	}
	if (disk && !said) {
		printf("; ");
		lw_print_stall(disk);
	}
	/* Its waits are then shown by their site: say so, whatever the rest. */
	if (noff)
		printf("; the self-test switched off the %s %s", off,
		       lw_plural(noff, "decoder", "decoders"));
	/* A module at work whose self-test waits is no worse off for it. */
	if (lw_stat(&a->stats, "selftest_pending") > 0)
		printf("; the self-test at load has not ended");
	printf("\n");
	return ret;
}

int lw_check(const char *dir, long warn, long crit)
{
	struct lw_all a;
	char msg[4608];
	int ret;

	if (lw_load(dir, &a, msg, sizeof(msg))) {
		printf("LOCKWATCH UNKNOWN - %s\n", msg);
		lw_free_all(&a);
		return LW_CHECK_UNKNOWN;
	}
	ret = lw_check_reports(&a, warn, crit);
	lw_free_all(&a);
	return ret;
}

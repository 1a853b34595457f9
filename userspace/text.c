// SPDX-License-Identifier: GPL-2.0
/* The reader's text: cycles and chains in sentences, for a person. */
#include <stdio.h>
#include <string.h>

#include "output.h"

/* What the owner of a cycle member's lock does for it. */
static const char *lw_owner_verb(const struct lw_rtask *t)
{
	if (!strcmp(t->kind, "completion"))
		return "to be completed";
	if (!strcmp(t->kind, "journal") && !strstr(t->lock, "handle"))
		return "to be committed";
	return "held";
}

/* What is known of a chain's lock that no task is recorded holding. */
static void lw_print_unowned(const struct lw_rchain *ch)
{
	if (!strcmp(ch->wait, "page") && !strncmp(ch->lock, "writeback", 9))
		printf("  its I/O has not completed; nothing records who would end it\n");
	else if (!strcmp(ch->wait, "page"))
		printf("  the page is locked; a page lock records no owner\n");
	else if (!strcmp(ch->wait, "buffer"))
		printf("  the buffer is locked; a buffer lock records no owner\n");
	else if (!strcmp(ch->wait, "flusher"))
		printf("  the disk's flusher has not done the writeback; which kworker runs it is not recorded\n");
	else if (!strcmp(ch->wait, "dirty"))
		printf("  throttled until the device writes dirty pages back; no task holds it\n");
	else if (!strcmp(ch->wait, "queue"))
		printf("  the queue is frozen until the disk completes what it has in flight; who froze it is not recorded\n");
	else if (!strcmp(ch->wait, "io"))
		printf("  the device has not completed their I/O; no task holds it\n");
	else if (!strcmp(ch->wait, "fuse"))
		printf("  no process holds the connection's /dev/fuse open: its daemon is gone\n");
	else if (!strcmp(ch->wait, "umh"))
		printf("  %s\n", lw_umh_unowned(ch));
	else if (!strcmp(ch->wait, "kthread"))
		printf("  %s\n", LW_KTHREAD_UNOWNED);
	else if (!strcmp(ch->wait, "rcu"))
		printf("  the grace period has not ended; no reader is seen holding it up (CPUs that have not passed a quiescent state are in RCU's own state)\n");
	else if (!strcmp(ch->wait, "completion"))
		printf("  not completed; a completion records nobody who will complete it\n");
	else if (!strcmp(ch->wait, "journal") && strstr(ch->lock, "handle"))
		printf("  no blocked task holds one of its open handles\n");
	else if (!strcmp(ch->wait, "journal"))
		printf("  the journal's updates are locked; who locked them is not recorded\n");
	else if (!strcmp(ch->kind, "semaphore"))
		printf("  count %ld; a semaphore records no owner\n", ch->count);
	else if (!strcmp(ch->kind, "percpu_rwsem"))
		printf("  %s; readers are per-CPU counts and not recorded\n",
		       strcmp(ch->held, "write") ? "owner unknown" :
		       "held for write by a writer that is not recorded");
	else if (!strcmp(ch->held, "read"))
		printf("  read-held by %ld %s; readers are not recorded\n",
		       ch->count, lw_plural(ch->count, "reader", "readers"));
	else
		printf("  owner unknown\n");
}

/* Who holds a chain's lock and what that owner is doing, in a sentence. */
static void lw_print_owner(const struct lw_all *a, const struct lw_rchain *ch)
{
	char what[sizeof(ch->owner_waits)];
	int n;

	if (!strcmp(ch->wait, "unknown")) {
		printf("  what they wait for is not known; they sleep in %s\n",
		       ch->lock);
		return;
	}
	if (!strcmp(ch->frozen, "yes") && ch->owner_pid < 0) {
		printf("  the file system is frozen: the freeze holds it, no task does (fsfreeze --unfreeze ends it)\n");
		return;
	}
	if (ch->frozen[0])
		printf("  the file system is being frozen\n");
	if (ch->flush[0] && ch->owner_pid < 0) {
		if (!strcmp(ch->flush, "pending"))
			printf("  the work is queued and no worker has started it\n");
		else if (!strcmp(ch->flush, "no worker layout"))
			printf("  not completed; which worker runs the work needs the worker layout (lockwatch setup)\n");
		else
			printf("  not completed; the worker running the work could not be proven\n");
		return;
	}
	if (ch->owner_pid < 0) {
		lw_print_unowned(ch);
		/* A device whose I/O the wait is for. */
		if (!strncmp(ch->ends, "I/O on ", 7))
			printf("  the root: %s\n", ch->ends);
		return;
	}
	if (ch->flush[0])
		printf("  the work runs in %d %s (%s)", ch->owner_pid,
		       ch->owner_comm, ch->confidence);
	else if (!strcmp(ch->wait, "journal") && strstr(ch->lock, "handle"))
		printf("  a handle is held by %d %s (%s)", ch->owner_pid,
		       ch->owner_comm, ch->confidence);
	else if (!strcmp(ch->wait, "journal"))
		printf("  to be committed by %d %s (%s)", ch->owner_pid,
		       ch->owner_comm, ch->confidence);
	else if (!strcmp(ch->wait, "rcu"))
		printf("  held up by %d %s (%s: %s)", ch->owner_pid,
		       ch->owner_comm, ch->confidence, ch->reader);
	else if (!strcmp(ch->wait, "fuse"))
		printf("  %s, to be answered by %d %s (%s)",
		       ch->request[0] ? ch->request : "sent", ch->owner_pid,
		       ch->owner_comm, ch->confidence);
	else if (!strcmp(ch->wait, "umh"))
		printf("  run as %d %s (%s)", ch->owner_pid, ch->owner_comm,
		       ch->confidence);
	else if (!strcmp(ch->wait, "kthread"))
		printf("  to be made by %d %s (%s)", ch->owner_pid,
		       ch->owner_comm, ch->confidence);
	else if (!strcmp(ch->wait, "completion"))
		printf("  completed when %d %s %s (%s)", ch->owner_pid,
		       ch->owner_comm, strncmp(ch->lock, "exec", 4) ? "exits" :
		       "execs or exits", ch->confidence);
	else
		printf("  held for %s by %d %s (%s%s)", ch->held, ch->owner_pid,
		       ch->owner_comm, ch->confidence,
		       strcmp(ch->confidence, "hint") ? "" : ": the last reader");
	if (sscanf(ch->owner_waits, "cycle %d", &n) == 1)
		printf(", which is in deadlock cycle %d\n", n);
	else if (sscanf(ch->owner_waits, "chain %d", &n) == 1 &&
		 n >= 1 && n <= a->chains.nchains &&
		 !strcmp(a->chains.chains[n - 1].wait, "unknown"))
		printf(", which sleeps in %s (chain %d, %s) for nothing lockwatch can name\n",
		       a->chains.chains[n - 1].lock, n, ch->owner_state);
	else if (sscanf(ch->owner_waits, "chain %d", &n) == 1)
		printf(", which waits in chain %d, ending %s %s\n", n,
		       strncmp(ch->ends, "cycle ", 6) ? "at" : "in deadlock",
		       ch->ends);
	else if (!strcmp(ch->owner_waits, "nothing") && lw_chain_doing(ch))
		printf(", which %s%s\n", strncmp(lw_chain_doing(ch), "has ", 4) ?
		       "is " : "", lw_chain_doing(ch));
	else if (!strcmp(ch->owner_waits, "nothing"))
		printf(", which waits for no lock (%s)\n", ch->owner_state);
	else if (!strcmp(ch->owner_waits, "wait, not stuck"))
		printf(", which sleeps and wakes again (%s, not stuck)\n",
		       ch->owner_state);
	else if (!strcmp(ch->owner_waits, "readers"))
		printf(", which waits for its readers to leave (not recorded)\n");
	else if (lw_asleep_wait(ch->owner_waits, what, sizeof(what)))
		printf(", which sleeps (S) waiting for its %s; it ends at %s\n",
		       what, ch->ends);
	else
		printf(", which waits for a %s\n", ch->owner_waits);
}

/*
 * A disk some chains end at, first: "sda (8:0) has not completed a
 * request for 93 s (3 in flight; scsi 0:0:0:0 running, host running);
 * 7 tasks stuck behind it".
 */
static void lw_print_device(const struct lw_rdevice *d)
{
	char state[160] = "";

	if (d->state[0])
		snprintf(state, sizeof(state), "; %s", d->state);
	printf("lockwatch: %s (%s) ", d->name, d->dev);
	if (d->inflight < 0)
		printf("cannot have its requests read on this kernel%s%s%s",
		       d->state[0] ? " (" : "", d->state, d->state[0] ? ")" : "");
	else if (!d->inflight)
		printf("has no request in flight%s%s%s", d->state[0] ? " (" : "",
		       d->state, d->state[0] ? ")" : "");
	else if (d->oldest_s < 0)
		printf("has %ld%s %s in flight, the oldest's start not recorded (%s%s)",
		       d->inflight, d->more ? " or more" : "",
		       lw_plural(d->inflight, "request", "requests"), d->oldest,
		       state);
	else
		printf("has not completed a request for %ld s (%ld%s in flight, the oldest %s%s)",
		       d->oldest_s, d->inflight, d->more ? " or more" : "",
		       d->oldest, state);
	printf("; %ld %s stuck behind it\n", d->behind,
	       lw_plural(d->behind, "task", "tasks"));
}

void lw_print_text(const struct lw_all *a)
{
	char off[256];
	int c, i, n;

	if (!a->cycles.ncycles)
		printf("lockwatch: no deadlock\n");
	else
		printf("lockwatch: %d deadlock %s\n", a->cycles.ncycles,
		       lw_plural(a->cycles.ncycles, "cycle", "cycles"));
	if (lw_left_out(a))
		printf("lockwatch: incomplete: %lld blocked tasks beyond max_tasks were not examined (load the module with a larger max_tasks)\n",
		       lw_left_out(a));
	n = lw_decoders_off(a, off, sizeof(off));
	if (n)
		printf("lockwatch: the self-test at load switched off the %s %s: %s waits are shown by their site, as unknown (the kernel log says why)\n",
		       off, lw_plural(n, "decoder", "decoders"),
		       lw_plural(n, "its", "their"));
	if (lw_stat(&a->stats, "selftest_pending") > 0)
		printf("lockwatch: the self-test at load has not ended (the kernel log says what it waits for): the kinds it tests are read, unjudged, until it does\n");
	for (c = 0; c < a->devices.ndevices; c++)
		lw_print_device(&a->devices.devices[c]);
	for (c = 0; c < a->cycles.ncycles; c++) {
		const struct lw_rcycle *cy = &a->cycles.cycles[c];

		printf("\ncycle %d: %d %s\n", c + 1, cy->ntasks,
		       lw_plural(cy->ntasks, "task", "tasks"));
		for (i = 0; i < cy->ntasks; i++) {
			const struct lw_rtask *t = &cy->tasks[i];

			printf("  %d %s (%s, blocked %ld s%s%s)\n", t->pid,
			       t->comm, t->state, t->blocked_s,
			       t->cgroup[0] ? ", cgroup " : "", t->cgroup);
			printf("    waits for %s %s (%s)\n", t->kind, t->lock,
			       t->mode);
			printf("    %s by %d %s (%s)\n", lw_owner_verb(t),
			       t->owner_pid, t->owner_comm, t->confidence);
		}
	}
	if (!a->chains.nchains)
		return;
	n = lw_stuck_waiters(a) - lw_stuck_waiters_of(a, "unknown");
	if (n)
		printf("\n%d %s stuck behind %d %s\n", n, lw_plural(n, "task", "tasks"),
		       lw_lock_chains(a), lw_plural(lw_lock_chains(a), "lock", "locks"));
	n = lw_stuck_waiters_of(a, "unknown");
	if (n)
		printf("%s%d %s stuck in waits lockwatch cannot name\n",
		       n == lw_stuck_waiters(a) ? "\n" : "", n,
		       lw_plural(n, "task", "tasks"));
	for (c = 0; c < a->chains.nchains; c++) {
		const struct lw_rchain *ch = &a->chains.chains[c];

		printf("\nchain %d: %s %s\n", c + 1, ch->kind, ch->lock);
		lw_print_owner(a, ch);
		if (ch->owner_cgroup[0])
			printf("  the owner runs in cgroup %s\n", ch->owner_cgroup);
		if (ch->ends_cgroup[0])
			printf("  the chain's end runs in cgroup %s\n",
			       ch->ends_cgroup);
		for (i = 0; i < ch->nwaiters; i++) {
			const struct lw_rwaiter *w = &ch->waiters[i];

			printf("  waiter %d %s (%s, blocked %ld s%s%s)\n", w->pid,
			       w->comm, w->mode, w->blocked_s,
			       w->cgroup[0] ? ", cgroup " : "", w->cgroup);
		}
	}
}

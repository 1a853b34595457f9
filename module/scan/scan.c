// SPDX-License-Identifier: GPL-2.0
/*
 * One scan: walk every thread the way kernel/hung_task.c does, keep those
 * in uninterruptible sleep, find the lock each waits for and its owner,
 * re-validate every snapshot, build the wait-for graph and decide which
 * cycles and stuck waiters are confirmed and which chain entries there
 * are. What it decides is all report.c reads.
 *
 * A task is stuck when it has made no progress for confirm_ms: it did not
 * switch once (the hung-task detector's criterion), or it only woke and
 * went back to the same wait (lw_no_progress()). A finding is confirmed
 * when the same stuck task waited for the same lock held by the same
 * owner in an earlier scan.
 */
#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched/jobctl.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>

#include "compat.h"
#include "find/find.h"
#include "kinds/kind.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "scan.h"

/* Threads between two looks at the clock (LW_RCU_STRETCH_NS). */
#define LW_CLOCK_EVERY		8
/* Walks one scan makes before it settles for a partial one. */
#define LW_WALK_TRIES		3
/*
 * A task that woke made no progress if it ran under 1/this of the time,
 * plus LW_WAKE_NS a wakeup: what waking and going back to sleep costs
 * (microseconds), with room for a virtual machine whose host is busy,
 * where a task's time on its CPU grows with the time its virtual CPU
 * is not run (a guest under software emulation has no steal time).
 */
#define LW_IDLE_SHARE		100
#define LW_WAKE_NS		(5 * NSEC_PER_MSEC)
/* Scans in a row a stuck task may be caught awake and still be stuck. */
#define LW_MISSED_MAX		8

/* What the previous scan saw of a blocked task. */
struct lw_prev {
	unsigned long task;
	pid_t pid;
	unsigned long nsw;
	unsigned long nsw0;		/* nsw when it began to wait */
	u64 since;
	u64 seen;			/* ns: the scan that saw it */
	u64 runtime;
	u64 io;
	bool blocked;
	bool awake;			/* a later walk found it runnable */
	u8 missed;			/* walks since, that found it so */
	unsigned long lock;
	unsigned long owner;
};

static struct lw_prev *lw_prev;
static int lw_nprev;
static struct lw_map lw_prev_map;	/* task_struct * -> lw_prev[] */
/* The readers of the walk before. */
static struct lw_rcu_reader lw_prev_readers[LW_MAX_READERS];
static int lw_nprev_readers;

/*
 * How many walks in a row have seen each reader inside a read-side
 * section: one queued as preempted stays queued until it leaves the
 * section, however often it is preempted again; one running must not
 * have switched (it would have been queued had it been preempted inside).
 * Then these readers are the ones the next walk compares with.
 */
static void lw_count_reader_walks(struct lw_scan *s)
{
	int i, j;

	for (i = 0; i < s->nreaders; i++) {
		struct lw_rcu_reader *r = &s->readers[i];

		for (j = 0; j < lw_nprev_readers; j++) {
			const struct lw_rcu_reader *p = &lw_prev_readers[j];

			if (p->task == r->task && p->pid == r->pid &&
			    p->state == r->state &&
			    (r->state == LW_READER_PREEMPTED || p->nsw == r->nsw))
				r->walks = p->walks + 1;
		}
	}
	memcpy(lw_prev_readers, s->readers, s->nreaders * sizeof(s->readers[0]));
	lw_nprev_readers = s->nreaders;
}

int lw_scan_init(struct lw_scan *s, int max_tasks)
{
	memset(s, 0, sizeof(*s));
	s->max_tasks = max_tasks;
	s->tasks = lw_alloc(max_tasks, sizeof(*s->tasks), "the scan");
	s->locks = lw_alloc(max_tasks, sizeof(*s->locks), "the scan");
	s->nodes = lw_alloc(max_tasks, sizeof(*s->nodes), "the scan");
	s->scratch = lw_alloc(max_tasks, sizeof(*s->scratch), "the scan");
	s->cycle_ok = lw_alloc(max_tasks, sizeof(*s->cycle_ok), "the scan");
	s->stack = lw_alloc(THREAD_SIZE, 1, "the scan");
	s->waddr = lw_alloc(max_tasks, sizeof(*s->waddr), "the scan");
	s->qheads = lw_alloc(max_tasks, sizeof(*s->qheads), "the scan");
	s->behind = lw_alloc(max_tasks, sizeof(*s->behind), "the scan");
	s->ring = lw_alloc(LW_RING_MAX, sizeof(*s->ring), "the scan");
	s->syms = lw_alloc(1 << LW_SYM_CACHE_BITS, sizeof(*s->syms), "the scan");
	lw_prev = lw_alloc(max_tasks, sizeof(*lw_prev), "the scan");
	if (!s->tasks || !s->locks || !s->nodes || !s->scratch ||
	    !s->cycle_ok || !s->stack || !s->syms ||
	    !s->waddr || !s->qheads || !s->behind || !s->ring || !lw_prev ||
	    lw_map_init(&s->task_map, max_tasks) ||
	    lw_map_init(&s->queue_map, max_tasks) ||
	    lw_map_init(&s->exit_map, max_tasks) ||
	    lw_map_init(&s->flush_map, max_tasks) ||
	    lw_map_init(&s->wtask_map, max_tasks) ||
	    lw_map_init(&s->lock_map, max_tasks) ||
	    lw_map_init(&s->waiter_map, max_tasks) ||
	    lw_map_init(&lw_prev_map, max_tasks) ||
	    lw_map_init(&s->logged[0], max_tasks) ||
	    lw_map_init(&s->logged[1], max_tasks)) {
		lw_scan_free(s);
		return -ENOMEM;
	}
	lw_nprev = 0;
	s->stats.memory = (u64)max_tasks * (sizeof(*s->tasks) + sizeof(*s->locks) +
					    sizeof(*s->nodes) + sizeof(*s->scratch) +
					    sizeof(*s->cycle_ok) + sizeof(*s->waddr) +
					    sizeof(*s->qheads) + sizeof(*s->behind) +
					    sizeof(*lw_prev)) +
			  THREAD_SIZE + LW_RING_MAX * sizeof(*s->ring) +
			  (1 << LW_SYM_CACHE_BITS) * sizeof(*s->syms) +
			  lw_map_bytes(&s->task_map) + lw_map_bytes(&s->wtask_map) +
			  lw_map_bytes(&s->lock_map) + lw_map_bytes(&s->waiter_map) +
			  lw_map_bytes(&s->queue_map) + lw_map_bytes(&s->exit_map) +
			  lw_map_bytes(&s->flush_map) +
			  lw_map_bytes(&lw_prev_map) + 2 * lw_map_bytes(&s->logged[0]);
	return 0;
}

void lw_scan_free(struct lw_scan *s)
{
	kvfree(s->tasks);
	kvfree(s->locks);
	kvfree(s->nodes);
	kvfree(s->scratch);
	kvfree(s->cycle_ok);
	kvfree(s->stack);
	kvfree(s->waddr);
	kvfree(s->qheads);
	kvfree(s->behind);
	kvfree(s->ring);
	kvfree(s->syms);
	kvfree(lw_prev);
	lw_prev = NULL;
	lw_map_free(&s->task_map);
	lw_map_free(&s->lock_map);
	lw_map_free(&s->waiter_map);
	lw_map_free(&s->queue_map);
	lw_map_free(&s->exit_map);
	lw_map_free(&s->flush_map);
	lw_map_free(&s->wtask_map);
	lw_map_free(&lw_prev_map);
	lw_map_free(&s->logged[0]);
	lw_map_free(&s->logged[1]);
}

static unsigned long lw_nsw(const struct task_struct *t)
{
	return READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw);
}

/* What tells whether @t made progress: its switches, CPU time and I/O. */
static void lw_snap_progress(struct lw_task *bt, struct task_struct *t)
{
	bt->nsw = lw_nsw(t);
	bt->runtime = READ_ONCE(t->se.sum_exec_runtime);
	bt->io = lw_task_io(t);
}

#ifdef CONFIG_CGROUPS
/*
 * The kernfs node of cgroup @cgrp, 0 where it cannot be read; @root: it
 * is its hierarchy's root.
 */
static unsigned long lw_cgroup_node(struct lw_scan *s, unsigned long cgrp,
				    bool *root)
{
	unsigned long kn, parent;

	if (!lw_kernel_ptr(cgrp) ||
	    lw_read(&kn, cgrp + offsetof(struct cgroup, kn), sizeof(kn), s) ||
	    !lw_kernel_ptr(kn) ||
	    lw_read(&parent, kn + offsetof(struct kernfs_node, LW_KERNFS_PARENT),
		    sizeof(parent), s))
		return 0;
	*root = !parent;
	return kn;
}
#endif

/*
 * The kernfs node of @t's cgroup v2 (the unit or container it runs in),
 * for its path in the reports; 0 for the root cgroup or where it cannot
 * be read.
 */
static unsigned long lw_task_cgroup(struct lw_scan *s, struct task_struct *t)
{
	unsigned long kn = 0;
#ifdef CONFIG_CGROUPS
	unsigned long cset, cgrp;
	bool root = true;

	rcu_read_lock();
	cset = (unsigned long)rcu_dereference(t->cgroups);
	if (!lw_read(&cgrp, cset + offsetof(struct css_set, dfl_cgrp),
		     sizeof(cgrp), s))
		kn = lw_cgroup_node(s, cgrp, &root);
	rcu_read_unlock();
	if (root)
		kn = 0;
#endif
	return kn;
}

static struct lw_task *lw_add_task(struct lw_scan *s, struct task_struct *t,
				   unsigned int state, bool blocked)
{
	struct lw_task *bt;

	if (s->ntasks >= s->max_tasks) {
		s->stats.overflows++;
		return NULL;
	}
	bt = &s->tasks[s->ntasks];
	memset(bt, 0, sizeof(*bt));
	get_task_struct(t);
	bt->task = t;
	bt->pid = t->pid;
	memcpy(bt->comm, t->comm, sizeof(bt->comm));
	bt->comm[sizeof(bt->comm) - 1] = '\0';
	lw_printable(bt->comm);
	bt->state = state;
	lw_snap_progress(bt, t);
	bt->stack_base = (unsigned long)READ_ONCE(t->stack);
	bt->cgroup_kn = lw_task_cgroup(s, t);
	bt->lock = LW_NONE;
	bt->blocked = blocked;
	lw_map_put(&s->task_map, (unsigned long)t, s->ntasks);
	s->ntasks++;
	return bt;
}

/*
 * A task that was blocked at the scan before and is runnable now: caught
 * between two sleeps, or working; its next sighting tells which.
 */
static void lw_note_awake(struct task_struct *t)
{
	int i = lw_map_get(&lw_prev_map, (unsigned long)t);

	if (i != LW_NONE && lw_prev[i].pid == t->pid)
		lw_prev[i].awake = true;
}

/*
 * A task inside an RCU read-side section, running or preempted: kept
 * (the first LW_MAX_READERS) for the grace periods it may hold up.
 */
static void lw_note_reader(struct lw_scan *s, struct task_struct *t)
{
	struct lw_rcu_reader *r;
	bool preempted;

	if (s->only || s->nreaders == LW_MAX_READERS ||
	    !lw_rcu_reader(t, &preempted))
		return;
	r = &s->readers[s->nreaders++];
	r->task = (unsigned long)t;
	r->pid = t->pid;
	r->nsw = lw_nsw(t);
	r->state = preempted ? LW_READER_PREEMPTED : LW_READER_RUNNING;
	r->walks = 1;
}

static void lw_collect(struct lw_scan *s, struct task_struct *t)
{
	unsigned int state = lw_task_state(t);
	int i;

	/*
	 * TASK_IDLE kernel threads sleep with TASK_NOLOAD: not blocked; nor
	 * is a frozen task (before 6.1 in D in the refrigerator), which the
	 * freezer holds on purpose: it is described where it holds a lock.
	 */
	if (!(state & TASK_UNINTERRUPTIBLE) || (state & TASK_NOLOAD) ||
	    lw_task_frozen(t, state) || t == current) {
		if (t != current)
			lw_note_reader(s, t);
		if (state == TASK_RUNNING && !s->only)
			lw_note_awake(t);
		return;
	}
	/* The self-test's scan looks at its own threads only, others not. */
	if (s->only) {
		for (i = 0; i < s->nonly && s->only[i] != t; i++)
			;
		if (i == s->nonly)
			return;
	} else {
		for (i = 0; i < s->nskip; i++)
			if (s->skip[i] == t)
				return;
	}
	lw_add_task(s, t, state, true);
}

/* kernel/hung_task.c: leave RCU, reschedule, come back if still valid. */
static bool lw_rcu_break(struct task_struct *g, struct task_struct *t)
{
	bool can_cont;

	get_task_struct(g);
	get_task_struct(t);
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
	can_cont = pid_alive(g) && pid_alive(t);
	put_task_struct(t);
	put_task_struct(g);
	return can_cont;
}

/*
 * Walk every thread; collect the blocked ones, or only count (bare). The
 * longest stretch under RCU goes to @max_rcu.
 */
static u64 lw_walk(struct lw_scan *s, bool collect, u64 *max_rcu)
{
	struct task_struct *g, *t;
	u64 start = ktime_get_ns(), section = start, now;
	unsigned int n = 0;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		n++;
		if (!(n % LW_CLOCK_EVERY)) {
			now = ktime_get_ns();
			if (now - section > LW_RCU_STRETCH_NS) {
				*max_rcu = max(*max_rcu, now - section);
				if (!lw_rcu_break(g, t)) {
					s->stats.partial_walks++;
					goto unlock;
				}
				section = ktime_get_ns();
			}
		}
		if (collect)
			lw_collect(s, t);
	}
unlock:
	now = ktime_get_ns();
	rcu_read_unlock();
	*max_rcu = max(*max_rcu, now - section);
	s->stats.threads = n;
	return now - start;
}

static bool lw_still_blocked(struct lw_task *bt)
{
	struct task_struct *t = bt->task;

	return !READ_ONCE(t->on_cpu) && lw_task_state(t) == bt->state &&
	       lw_nsw(t) == bt->nsw;
}

/*
 * @bt ran between the walk and its analysis (a task that wakes now and
 * then, as a retry loop does): if it is asleep in D again, take it as it
 * is now.
 */
static bool lw_snap_again(struct lw_task *bt)
{
	struct task_struct *t = bt->task;
	unsigned int state = lw_task_state(t);

	if (READ_ONCE(t->on_cpu) || !(state & TASK_UNINTERRUPTIBLE) ||
	    (state & TASK_NOLOAD))
		return false;
	bt->state = state;
	lw_snap_progress(bt, t);
	return !READ_ONCE(t->on_cpu) && lw_nsw(t) == bt->nsw;
}

/*
 * What @bt waits for, from its stack (s->stack, copied from @sp): a lock
 * waiter, then each kind's own finder in registry order, the catch-all
 * aside.
 */
static int lw_find_wait_on_stack(struct lw_scan *s, struct lw_task *bt,
				 unsigned long sp)
{
	const struct lw_kind_ops *k;
	u8 kind;

	if (!lw_find_wait_stack(s, bt, sp))
		return 0;
	for (kind = 1; kind < LW_KINDS; kind++) {
		k = lw_kind(kind);
		if (k->find && !k->unknown && !k->find(s, bt, sp))
			return 0;
	}
	return -ENOENT;
}

/*
 * Nothing it waits for is known: the catch-all kinds (where it sleeps),
 * with or without a stack.
 */
static int lw_find_wait_unknown(struct lw_scan *s, struct lw_task *bt,
				unsigned long sp)
{
	const struct lw_kind_ops *k;
	u8 kind;

	for (kind = 1; kind < LW_KINDS; kind++) {
		k = lw_kind(kind);
		if (k->find && k->unknown && !k->find(s, bt, sp))
			return 0;
	}
	return -ENOENT;
}

/*
 * After the owner was read again: is @bt still the waiter it was found
 * as? Its waiter still names it and is still linked, or what its kind
 * (or PREEMPT_RT's pi_blocked_on) says instead.
 */
static bool lw_wait_still(struct lw_scan *s, const struct lw_task *bt)
{
	const struct lw_kind_ops *k = lw_kind(s->locks[bt->lock].kind);

	if (bt->source == LW_SRC_PI)
		return lw_pi_still(s, bt);
	if (k->still)
		return k->still(s, bt);
	return lw_wait_linked(s, bt->waiter, k->task_off,
			      (unsigned long)bt->task);
}

/*
 * Every other source that finds a wait for @bt must find the same lock,
 * mode and waiter as the one used.
 */
static void lw_cross_check_sources(struct lw_scan *s, struct lw_task *bt,
				   bool have_stack, unsigned long sp)
{
	struct lw_task other = *bt;
	int src;

	for (src = LW_SRC_STACK; src <= LW_SRC_PI; src++) {
		int ret;

		if (src == bt->source)
			continue;
		other.lock = LW_NONE;
		other.drain = false;
		if (src == LW_SRC_PI)
			ret = lw_find_wait_pi(s, &other);
		else if (src == LW_SRC_KERNEL)
			ret = lw_find_wait_kernel(s, &other);
		else if (src == LW_SRC_TRACE)
			ret = lw_find_wait_trace(s, &other);
		else
			ret = have_stack ? lw_find_wait_on_stack(s, &other, sp) :
					   -ENOENT;
		if (!ret && (other.lock != bt->lock || other.mode != bt->mode ||
			     other.waiter != bt->waiter || other.drain != bt->drain)) {
			s->stats.mismatches++;
			bt->mismatch = true;
		}
	}
}

/*
 * Find what @bt waits for, then check that nothing moved while it was
 * read: the task has not run, its waiter still names it and is still
 * linked, and the lock's owner reads the same.
 */
static void lw_analyze(struct lw_scan *s, struct lw_task *bt)
{
	struct lw_lock again = { .owner = LW_NONE };
	struct lw_lock *l;
	unsigned long sp = 0;
	bool have_stack;

	if (!lw_still_blocked(bt) && !lw_snap_again(bt))
		goto drop;
	have_stack = !lw_copy_stack(s, bt->task, &sp, &s->stack_words);
	if (have_stack)
		bt->nframes = lw_stack_frames(s, bt->task, sp, s->stack,
					      s->stack_words, bt->frames,
					      LW_MAX_FRAMES);
	else
		s->stack_words = 0;

	/* The most exact source first; the stack covers what they miss. */
	if (!lw_find_wait_kernel(s, bt)) {
		bt->source = LW_SRC_KERNEL;
		s->stats.from_kernel++;
	} else if (!lw_find_wait_pi(s, bt)) {
		bt->source = LW_SRC_PI;
		s->stats.from_pi++;
	} else if (!lw_find_wait_trace(s, bt)) {
		bt->source = LW_SRC_TRACE;
		s->stats.from_trace++;
	} else if (have_stack && !lw_find_wait_on_stack(s, bt, sp)) {
		bt->source = LW_SRC_STACK;
		s->stats.from_stack++;
	} else {
		/* Nothing it waits for is known: where it sleeps is. */
		bt->lock = LW_NONE;
		bt->drain = false;
		if (!lw_find_wait_unknown(s, bt, sp) && lw_still_blocked(bt))
			bt->source = LW_SRC_STACK;
		else
			bt->lock = LW_NONE;
		return;
	}
	if (s->params.cross_check)
		lw_cross_check_sources(s, bt, have_stack, sp);
	l = &s->locks[bt->lock];
	again.addr = l->addr;
	again.kind = l->kind;
	if (lw_kind(again.kind)->decode(s, &again) ||
	    again.owner_ptr != l->owner_ptr ||
	    !lw_still_blocked(bt) || !lw_wait_still(s, bt))
		goto drop;
	s->stats.waiters++;
	return;
drop:
	s->stats.recheck_drops++;
	bt->lock = LW_NONE;
	bt->source = LW_SRC_NONE;
	bt->drain = false;
}

/*
 * Who froze @t (referenced), if it is frozen: the cgroup v2 freezer
 * (its frozen bit with the freezer's trap pending: a stopped or traced
 * task has the bit too, and is only stopped), else, a
 * task in the freezer's TASK_FROZEN (PF_FROZEN), the cgroup v1 freezer
 * of its freezer cgroup where that is not a hierarchy's root, the
 * system's otherwise. The cgroup's kernfs node is kept for its path.
 */
static void lw_note_frozen(struct lw_scan *s, struct lw_task *bt,
			   struct task_struct *t)
{
#ifdef CONFIG_CGROUPS
	unsigned long cset, css, cgrp, kn;
	bool v2 = t->frozen && (READ_ONCE(t->jobctl) & JOBCTL_TRAP_FREEZE);
	unsigned long off;
	bool root;

	if (v2)
		off = offsetof(struct css_set, dfl_cgrp);
	else if (lw_task_frozen(t, bt->state))
#ifdef CONFIG_CGROUP_FREEZER
		off = offsetof(struct css_set, subsys[freezer_cgrp_id]);
#else
		off = 0;
#endif
	else
		return;
	bt->frozen = v2 ? LW_FROZEN_V2 : LW_FROZEN_SYSTEM;
	if (!off)
		return;
	rcu_read_lock();
	cset = (unsigned long)rcu_dereference(t->cgroups);
	if (lw_read(&cgrp, cset + off, sizeof(cgrp), s))
		cgrp = 0;
	if (cgrp && !v2) {
		css = cgrp;
		if (!lw_kernel_ptr(css) ||
		    lw_read(&cgrp, css + offsetof(struct cgroup_subsys_state,
						  cgroup), sizeof(cgrp), s))
			cgrp = 0;
	}
	kn = cgrp ? lw_cgroup_node(s, cgrp, &root) : 0;
	if (kn) {
		bt->frozen_kn = kn;
		if (!v2 && !root)
			bt->frozen = LW_FROZEN_V1;
	}
	rcu_read_unlock();
#else
	if (lw_task_frozen(t, bt->state))
		bt->frozen = LW_FROZEN_SYSTEM;
#endif
}

/*
 * What owner @t (referenced) does when it waits for no lock, for the
 * report to say: where it runs, whether it stopped and for which signal,
 * who traces it, whether it reclaims memory or has exited.
 */
static void lw_note_doing(struct lw_scan *s, struct lw_task *bt,
			  struct task_struct *t)
{
	struct task_struct *tracer;

	bt->cpu = task_cpu(t);
	bt->on_cpu = READ_ONCE(t->on_cpu);
	bt->flags = READ_ONCE(t->flags);
	bt->exited = READ_ONCE(t->exit_state) != 0;
	bt->stopsig = READ_ONCE(t->jobctl) & JOBCTL_STOP_SIGMASK;
	lw_note_frozen(s, bt, t);
	if (!(bt->state & __TASK_TRACED))
		return;
	rcu_read_lock();
	tracer = ptrace_parent(t);
	if (tracer) {
		bt->tracer = READ_ONCE(tracer->pid);
		memcpy(bt->tracer_comm, tracer->comm, sizeof(bt->tracer_comm));
		bt->tracer_comm[sizeof(bt->tracer_comm) - 1] = '\0';
		lw_printable(bt->tracer_comm);
	}
	rcu_read_unlock();
}

/*
 * What owner @bt, asleep (S) with its stack in s->stack from @sp, waits
 * for, where a kind knows such waits (a FUSE request): found and checked
 * again as a blocked task's wait is, so that its chain goes on.
 */
static void lw_analyze_asleep(struct lw_scan *s, struct lw_task *bt,
			      unsigned long sp)
{
	struct lw_lock again = { .owner = LW_NONE };
	const struct lw_kind_ops *k;
	struct lw_lock *l;
	u8 kind;

	for (kind = 1; kind < LW_KINDS && bt->lock == LW_NONE; kind++) {
		k = lw_kind(kind);
		if (k->asleep && k->find && k->find(s, bt, sp))
			bt->lock = LW_NONE;
	}
	if (bt->lock == LW_NONE)
		return;
	l = &s->locks[bt->lock];
	again.addr = l->addr;
	again.kind = l->kind;
	if (lw_kind(again.kind)->decode(s, &again) ||
	    again.owner_ptr != l->owner_ptr ||
	    !lw_still_blocked(bt) || !lw_wait_still(s, bt)) {
		bt->lock = LW_NONE;
		return;
	}
	bt->source = LW_SRC_STACK;
}

/* The owner of a lock, if it is a live task; added to the scan's tasks. */
static int lw_owner_index(struct lw_scan *s, unsigned long ptr)
{
	struct task_struct *p = (struct task_struct *)ptr, *t;
	struct lw_task *bt;
	unsigned long sp;
	unsigned int n;
	pid_t pid;
	int i = lw_map_get(&s->task_map, ptr);

	if (i != LW_NONE)
		return i;
	if (!lw_kernel_ptr(ptr) || !virt_addr_valid((void *)ptr) ||
	    lw_read(&pid, (unsigned long)&p->pid, sizeof(pid), s))
		return LW_NONE;
	rcu_read_lock();
	t = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
	if (t != p)
		t = NULL;
	else
		get_task_struct(t);
	rcu_read_unlock();
	if (!t)
		return LW_NONE;
	bt = lw_add_task(s, t, lw_task_state(t), false);
	put_task_struct(t);
	if (!bt)
		return LW_NONE;
	lw_note_doing(s, bt, t);
	if (bt->on_cpu || lw_copy_stack(s, t, &sp, &n))
		return s->ntasks - 1;
	s->stack_words = n;
	bt->nframes = lw_stack_frames(s, t, sp, s->stack, n, bt->frames,
				      LW_MAX_FRAMES);
	if (bt->state & TASK_INTERRUPTIBLE) {
		bt->site = lw_wait_site(bt);
		lw_analyze_asleep(s, bt, sp);
	}
	return s->ntasks - 1;
}

/*
 * Stuck means no progress, not no wakeup. A blocked task that switched
 * since the previous scan (@p) made none if it was blocked then too, in
 * the same wait (the same lock, or the same site for a wait no kind
 * knows) with nobody owning it who could have handed it over, had
 * nothing read or written for it and used under 1/LW_IDLE_SHARE of the
 * time on a CPU, plus LW_WAKE_NS a wakeup: it woke (a timeout, a retry, a
 * retransmit timer) and went back to sleep where it was. A waiter for a
 * lock with an owner that switched was woken by the lock: progress, so
 * contention never counts.
 */
static bool lw_no_progress(const struct lw_scan *s, const struct lw_prev *p,
			   const struct lw_task *bt, const struct lw_lock *l)
{
	if (!p->blocked || !bt->blocked || !l || l->owner_ptr ||
	    p->lock != l->addr || p->owner || p->io != bt->io)
		return false;
	return bt->runtime - p->runtime <=
	       div_u64(s->now - p->seen, LW_IDLE_SHARE) +
	       (u64)(bt->nsw - p->nsw) * LW_WAKE_NS;
}

static void lw_confirm(struct lw_scan *s, struct lw_task *bt)
{
	u64 confirm_ns = s->params.confirm_ns;
	const struct lw_lock *l = bt->lock != LW_NONE ? &s->locks[bt->lock] : NULL;
	const struct lw_prev *p = NULL;
	int i = lw_map_get(&lw_prev_map, (unsigned long)bt->task);
	bool waits = bt->blocked || (l && lw_kind(l->kind)->asleep);

	if (i != LW_NONE && lw_prev[i].pid == bt->pid &&
	    (lw_prev[i].nsw == bt->nsw ||
	     lw_no_progress(s, &lw_prev[i], bt, l)))
		p = &lw_prev[i];
	bt->since = p ? p->since : s->now;
	bt->nsw0 = p ? p->nsw0 : bt->nsw;
	waits = waits && s->now - bt->since >= confirm_ns;
	bt->stuck = bt->blocked && waits;
	/* An owner asleep in such a wait may close a cycle: confirmed too. */
	bt->confirmed = waits && l && p && p->lock == l->addr &&
			p->owner == l->owner_ptr;
}

/*
 * Did this scan see the task of @p only in part: runnable instead of
 * blocked (a retry loop caught between two sleeps, or at work), or
 * blocked but running again while its wait was read (dropped)?
 */
static bool lw_seen_in_part(struct lw_scan *s, const struct lw_prev *p)
{
	int i = lw_map_get(&s->task_map, p->task);

	if (i == LW_NONE)
		return p->awake;
	return s->tasks[i].pid == p->pid && s->tasks[i].blocked &&
	       s->tasks[i].lock == LW_NONE;
}

/*
 * What this scan saw of each task, for the next. A blocked task it saw
 * only in part keeps what was seen of it last, for up to LW_MISSED_MAX
 * scans, so that its next sighting is compared with that: its CPU time
 * and I/O since tell whether it made progress.
 */
static void lw_remember(struct lw_scan *s)
{
	int i, kept = 0;

	for (i = 0; i < lw_nprev && kept < s->max_tasks - s->ntasks; i++) {
		const struct lw_prev *p = &lw_prev[i];

		if (!p->blocked || p->missed == LW_MISSED_MAX ||
		    !lw_seen_in_part(s, p))
			continue;
		lw_prev[kept] = *p;
		lw_prev[kept].awake = false;
		lw_prev[kept++].missed++;
	}
	lw_map_clear(&lw_prev_map);
	for (lw_nprev = 0; lw_nprev < kept; lw_nprev++)
		lw_map_put(&lw_prev_map, lw_prev[lw_nprev].task, lw_nprev);
	for (i = 0; i < s->ntasks; i++) {
		const struct lw_task *bt = &s->tasks[i];
		const struct lw_lock *l;
		struct lw_prev *p;

		/* Kept as seen before: this scan saw it only in part. */
		if (bt->blocked && bt->lock == LW_NONE &&
		    lw_map_get(&lw_prev_map, (unsigned long)bt->task) != LW_NONE)
			continue;
		/* Owners too: how long one has not switched, the report says. */
		l = bt->lock != LW_NONE ? &s->locks[bt->lock] : NULL;
		p = &lw_prev[lw_nprev];
		p->task = (unsigned long)bt->task;
		p->pid = bt->pid;
		p->nsw = bt->nsw;
		p->nsw0 = bt->nsw0;
		p->since = bt->since;
		p->seen = s->now;
		p->awake = false;
		p->missed = 0;
		p->runtime = bt->runtime;
		p->io = bt->io;
		p->blocked = bt->blocked;
		p->lock = l ? l->addr : 0;
		p->owner = l ? l->owner_ptr : 0;
		if (lw_map_put(&lw_prev_map, p->task, lw_nprev))
			lw_nprev++;
	}
}

static void lw_build_graph(struct lw_scan *s)
{
	int i, n;

	/*
	 * Owners join the task list, and an owner asleep in a wait a kind
	 * knows has an owner of its own: the list grows as it is read.
	 */
	for (i = 0; i < s->ntasks; i++) {
		struct lw_lock *l;

		if (s->tasks[i].lock == LW_NONE)
			continue;
		l = &s->locks[s->tasks[i].lock];
		if (l->conf != LW_CONF_UNKNOWN && l->owner == LW_NONE) {
			l->owner = lw_owner_index(s, l->owner_ptr);
			/* An owner that is no live task is no owner to show. */
			if (l->owner == LW_NONE)
				l->conf = LW_CONF_UNKNOWN;
		}
	}
	n = s->ntasks;
	for (i = 0; i < n; i++) {
		const struct lw_task *bt = &s->tasks[i];

		/* A writer waiting for readers waits for nobody known. */
		s->nodes[i].waits_for = bt->lock == LW_NONE || bt->drain ?
					LW_NONE : s->locks[bt->lock].owner;
	}
	s->stats.candidates = max(lw_graph_solve(s->nodes, n, s->scratch), 0);
	s->stats.candidates_total += s->stats.candidates;
}

/*
 * The cycles that are confirmed: those whose every member is. cycle_ok[]
 * holds the number each confirmed candidate is shown with, 0 for one
 * that is not.
 */
static void lw_confirm_cycles(struct lw_scan *s)
{
	int c, i, shown = 0, ncand = s->stats.candidates;
	int *cycle_ok = s->cycle_ok;

	for (c = 1; c <= ncand; c++)
		cycle_ok[c - 1] = 1;
	for (i = 0; i < s->ntasks; i++)
		if (s->nodes[i].cycle && !s->tasks[i].confirmed)
			cycle_ok[s->nodes[i].cycle - 1] = 0;
	for (c = 1; c <= ncand; c++)
		if (cycle_ok[c - 1])
			cycle_ok[c - 1] = ++shown;
	s->stats.cycles = shown;
}

/*
 * The chain entries: each lock's (or wait site's) stuck waiters outside
 * confirmed cycles, linked in task order, and the entries numbered, the
 * locks first, then the waits known only by their site.
 */
static void lw_build_chains(struct lw_scan *s)
{
	int i, lk, pass;

	s->nchains = 0;
	for (lk = 0; lk < s->nlocks; lk++) {
		s->locks[lk].nstuck = 0;
		s->locks[lk].first_stuck = LW_NONE;
		s->locks[lk].chain = 0;
	}
	for (i = 0; i < s->ntasks; i++) {
		struct lw_task *bt = &s->tasks[i];
		struct lw_lock *l;

		if (bt->lock == LW_NONE || !bt->stuck || lw_in_cycle(s, i))
			continue;
		l = &s->locks[bt->lock];
		bt->next_stuck = LW_NONE;
		if (l->nstuck++)
			s->tasks[l->last_stuck].next_stuck = i;
		else
			l->first_stuck = i;
		l->last_stuck = i;
	}
	for (pass = 0; pass < 2; pass++)
		for (lk = 0; lk < s->nlocks; lk++)
			if (s->locks[lk].nstuck &&
			    lw_kind(s->locks[lk].kind)->unknown == pass)
				s->locks[lk].chain = ++s->nchains;
}

/*
 * The disk whose I/O the chain of lock @l ends at: its own, or its
 * owner's chain's end's, LW_NONE if none.
 */
static int lw_chain_disk(const struct lw_scan *s, const struct lw_lock *l)
{
	int e;

	if (l->disk != LW_NONE || l->owner == LW_NONE)
		return l->disk;
	e = s->nodes[l->owner].end;
	if (lw_in_cycle(s, e) || s->tasks[e].lock == LW_NONE)
		return LW_NONE;
	return s->locks[s->tasks[e].lock].disk;
}

/*
 * The disks the chains' waits end at, each read once: what its driver
 * has in flight and its state. A disk beyond LW_MAX_DISKS is not read
 * (its entries end at no device).
 */
static void lw_read_devices(struct lw_scan *s)
{
	const struct lw_kind_ops *k;
	struct lw_lock *l;
	unsigned long disk;
	int lk, d;

	s->ndisks = 0;
	for (lk = 0; lk < s->nlocks; lk++) {
		l = &s->locks[lk];
		k = lw_kind(l->kind);
		l->disk = LW_NONE;
		if (!l->chain || !k->device)
			continue;
		disk = k->device(s, l);
		if (!disk)
			continue;
		for (d = 0; d < s->ndisks && s->disks[d].addr != disk; d++)
			;
		if (d == s->ndisks) {
			if (d == LW_MAX_DISKS)
				continue;
			s->disks[d].addr = disk;
			s->disks[d].nstuck = 0;
			s->disks[d].behind = 0;
			lw_disk_read(s, &s->disks[d]);
			s->ndisks++;
		}
		l->disk = d;
		s->disks[d].nstuck += l->nstuck;
	}
	/* Behind each disk: the chains that end there, through their owners. */
	for (lk = 0; lk < s->nlocks; lk++) {
		l = &s->locks[lk];
		d = lw_chain_disk(s, l);
		if (l->chain && d != LW_NONE)
			s->disks[d].behind += l->nstuck;
	}
}

/* Forget the tasks collected so far, and the references taken. */
static void lw_drop_tasks(struct lw_scan *s)
{
	int i;

	for (i = 0; i < s->ntasks; i++)
		put_task_struct(s->tasks[i].task);
	s->ntasks = 0;
	s->nreaders = 0;
	s->stats.overflows = 0;
	lw_map_clear(&s->task_map);
}

/* Walk the threads, find what each blocked one waits for, and graph it. */
static void lw_scan_decode(struct lw_scan *s)
{
	int i, nblocked, tries;

	s->ntasks = 0;
	s->nlocks = 0;
	s->nreaders = 0;
	lw_map_clear(&s->task_map);
	lw_map_clear(&s->lock_map);
	lw_map_clear(&s->waiter_map);
	lw_map_clear(&s->wtask_map);
	lw_map_clear(&s->queue_map);
	lw_map_clear(&s->exit_map);
	lw_map_clear(&s->flush_map);
	s->nbehind = 0;
	s->nholders = 0;
	s->exit_indexed = false;
	s->nwaddr = 0;
	s->nqheads = 0;
	s->tag_sbq = 0;
	s->tag_disk = 0;
	s->stats.from_trace = 0;
	s->stats.from_kernel = 0;
	s->stats.from_pi = 0;
	s->stats.from_stack = 0;
	s->stats.mismatches = 0;
	s->stats.max_rcu_ns = 0;
	s->stats.walk_max_rcu_ns = 0;
	s->stats.last_walk_ns = 0;
	s->stats.waiters = 0;
	s->stats.recheck_drops = 0;
	s->stats.faults = 0;
	s->stats.overflows = 0;
	/* The scan and its report read the layouts as they were here. */
	if (s->only)
		s->layouts = *s->only_layouts;
	else
		lw_layouts_get(&s->layouts);

	/* The floor: the same walk doing nothing, in the same scan. */
	if (s->params.measure_floor)
		s->stats.last_walk_ns = lw_walk(s, false,
						&s->stats.walk_max_rcu_ns);
	/*
	 * A walk cut short (a task exited during an RCU break) would make
	 * the waits it missed look new in the next scan: walk again.
	 */
	for (tries = 1;; tries++) {
		u64 partial = s->stats.partial_walks;

		lw_walk(s, true, &s->stats.max_rcu_ns);
		if (s->stats.partial_walks == partial ||
		    tries == LW_WALK_TRIES)
			break;
		lw_drop_tasks(s);
	}
	nblocked = s->ntasks;
	s->stats.dtasks = nblocked;
	if (!s->only)
		lw_count_reader_walks(s);

	for (i = 0; i < nblocked; i++) {
		lw_analyze(s, &s->tasks[i]);
		cond_resched();
	}
	lw_build_graph(s);
	s->stats.locks = s->nlocks;
	s->stats.trace_full = lw_trace_slots_full();
}

void lw_scan_run(struct lw_scan *s)
{
	u64 start = ktime_get_ns();
	int i;

	lw_scan_decode(s);
	s->now = ktime_get_ns();
	s->stats.stuck = 0;
	s->stats.stuck_waking = 0;
	memset(s->stats.stuck_by, 0, sizeof(s->stats.stuck_by));
	for (i = 0; i < s->ntasks; i++) {
		const struct lw_task *bt = &s->tasks[i];

		lw_confirm(s, &s->tasks[i]);
		if (!bt->stuck)
			continue;
		s->stats.stuck++;
		if (bt->nsw != bt->nsw0)
			s->stats.stuck_waking++;
		s->stats.stuck_by[bt->lock == LW_NONE ? LW_KIND_NONE :
				  s->locks[bt->lock].kind]++;
	}

	lw_confirm_cycles(s);
	lw_build_chains(s);
	lw_read_devices(s);
	lw_remember(s);
	/* From here on tasks[].task is an identity, never dereferenced. */
	for (i = 0; i < s->ntasks; i++)
		put_task_struct(s->tasks[i].task);

	s->stats.scans++;
	s->stats.last_scan_ns = ktime_get_ns() - start;
	s->stats.max_scan_ns = max(s->stats.max_scan_ns, s->stats.last_scan_ns);
}

/*
 * The self-test's scan: only the tasks @only (and their locks' owners),
 * read with @layouts, decoded with every source cross-checked and
 * graphed; nothing is confirmed, remembered or counted as a scan.
 * lw_scan_forget() ends it.
 */
void lw_scan_only(struct lw_scan *s, struct task_struct **only, int n,
		  const struct lw_layouts *layouts)
{
	struct lw_params params = s->params;

	s->only = only;
	s->nonly = n;
	s->only_layouts = layouts;
	s->params.cross_check = true;
	lw_scan_decode(s);
	s->params = params;
	s->only = NULL;
	s->nonly = 0;
	s->only_layouts = NULL;
}

void lw_scan_forget(struct lw_scan *s)
{
	int i;

	for (i = 0; i < s->ntasks; i++)
		put_task_struct(s->tasks[i].task);
	s->ntasks = 0;
	s->nlocks = 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * What a task waits for, from the lock:contention_begin/end tracepoints
 * (6.1 and later): exact for every wait that starts after lockwatch loads.
 *
 * The probes run in the contending task itself, so each task writes only
 * its own slot of a fixed table, lock-free: claim with cmpxchg, publish
 * under a per-slot sequence count, release with a store. Spinning
 * contention (LCB_F_SPIN) is ignored at once; contention_end leaves after
 * one load unless the task has a slot. The scan reads a slot under its
 * sequence count and then proves it: the lock's wait list must hold a
 * waiter of that task, on that task's stack.
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/sched/task_stack.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <trace/events/lock.h>

#include "compat.h"
#include "find.h"
#include "lib/lib.h"

#ifdef LCB_F_SPIN	/* the contention tracepoints exist */

#define LW_TSLOT_BITS	13
#define LW_TSLOTS	(1U << LW_TSLOT_BITS)
#define LW_TPROBE	16

struct lw_tslot {
	unsigned long task;
	unsigned long lock;
	unsigned int flags;
	seqcount_t seq;		/* only its task writes: no lock needed */
};

static struct lw_tslot *lw_tslots;
/* Tasks holding a slot, by home slot: the fast "not mine" test. */
static atomic_t *lw_thome;
static atomic_long_t lw_tfull;
static struct tracepoint *lw_tp_begin, *lw_tp_end;
static bool lw_tp_on;

static struct lw_tslot *lw_tslot_find(unsigned long task, unsigned int home)
{
	unsigned int i;

	for (i = 0; i < LW_TPROBE; i++) {
		struct lw_tslot *sl = &lw_tslots[(home + i) & (LW_TSLOTS - 1)];

		if (READ_ONCE(sl->task) == task)
			return sl;
	}
	return NULL;
}

static void lw_probe_begin(void *data, void *lock, unsigned int flags)
{
	unsigned long me = (unsigned long)current;
	unsigned int home, i;
	struct lw_tslot *sl;

	if (flags & LCB_F_SPIN)
		return;
	home = hash_long(me, LW_TSLOT_BITS);
	sl = atomic_read(&lw_thome[home]) ? lw_tslot_find(me, home) : NULL;
	for (i = 0; !sl && i < LW_TPROBE; i++) {
		struct lw_tslot *c = &lw_tslots[(home + i) & (LW_TSLOTS - 1)];

		if (!READ_ONCE(c->task) && !cmpxchg(&c->task, 0, me)) {
			sl = c;
			atomic_inc(&lw_thome[home]);
		}
	}
	if (!sl) {
		atomic_long_inc(&lw_tfull);
		return;
	}
	raw_write_seqcount_begin(&sl->seq);
	WRITE_ONCE(sl->lock, (unsigned long)lock);
	WRITE_ONCE(sl->flags, flags);
	raw_write_seqcount_end(&sl->seq);
}

static void lw_probe_end(void *data, void *lock, int ret)
{
	unsigned long me = (unsigned long)current;
	unsigned int home = hash_long(me, LW_TSLOT_BITS);
	struct lw_tslot *sl;

	if (!atomic_read(&lw_thome[home]))
		return;
	sl = lw_tslot_find(me, home);
	/* An interrupt's spinlock must not end the task's own wait. */
	if (!sl || READ_ONCE(sl->lock) != (unsigned long)lock)
		return;
	raw_write_seqcount_begin(&sl->seq);
	WRITE_ONCE(sl->lock, 0);
	raw_write_seqcount_end(&sl->seq);
	atomic_dec(&lw_thome[home]);
	/* The slot is free only once its lock is cleared. */
	smp_store_release(&sl->task, 0);
}

static void lw_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "contention_begin"))
		lw_tp_begin = tp;
	else if (!strcmp(tp->name, "contention_end"))
		lw_tp_end = tp;
}

size_t lw_trace_bytes(void)
{
	return lw_tslots ? LW_TSLOTS * (sizeof(*lw_tslots) + sizeof(*lw_thome)) : 0;
}

int lw_trace_init(void)
{
	int ret;

	for_each_kernel_tracepoint(lw_find_tp, NULL);
	if (!lw_tp_begin || !lw_tp_end)
		return 0;	/* the stack alone will do */
	lw_tslots = lw_alloc(LW_TSLOTS, sizeof(*lw_tslots), "the contention tracepoints");
	lw_thome = lw_alloc(LW_TSLOTS, sizeof(*lw_thome), "the contention tracepoints");
	if (!lw_tslots || !lw_thome) {
		ret = -ENOMEM;
		goto free;
	}
	ret = tracepoint_probe_register(lw_tp_end, lw_probe_end, NULL);
	if (ret)
		goto free;
	ret = tracepoint_probe_register(lw_tp_begin, lw_probe_begin, NULL);
	if (ret) {
		tracepoint_probe_unregister(lw_tp_end, lw_probe_end, NULL);
		tracepoint_synchronize_unregister();
		goto free;
	}
	lw_tp_on = true;
	return 0;
free:
	kvfree(lw_tslots);
	kvfree(lw_thome);
	return ret;
}

void lw_trace_exit(void)
{
	if (!lw_tp_on)
		return;
	tracepoint_probe_unregister(lw_tp_begin, lw_probe_begin, NULL);
	tracepoint_probe_unregister(lw_tp_end, lw_probe_end, NULL);
	/* No probe runs, or will run, once this returns. */
	tracepoint_synchronize_unregister();
	lw_tp_on = false;
	kvfree(lw_tslots);
	kvfree(lw_thome);
}

bool lw_trace_active(void)
{
	return lw_tp_on;
}

u64 lw_trace_slots_full(void)
{
	return lw_tp_on ? atomic_long_read(&lw_tfull) : 0;
}

/* The lock @t waits for according to its slot, read consistently. */
static bool lw_trace_slot(struct task_struct *t, unsigned long *lock,
			  unsigned int *flags)
{
	unsigned long task = (unsigned long)t;
	struct lw_tslot *sl = lw_tslot_find(task, hash_long(task, LW_TSLOT_BITS));
	unsigned int seq;

	if (!sl)
		return false;
	/* Never wait for a writer: a slot being written is skipped. */
	seq = raw_read_seqcount(&sl->seq);
	if (seq & 1)
		return false;
	*lock = READ_ONCE(sl->lock);
	*flags = READ_ONCE(sl->flags);
	return !read_seqcount_retry(&sl->seq, seq) &&
	       READ_ONCE(sl->task) == task && *lock;
}

int lw_find_wait_trace(struct lw_scan *s, struct lw_task *bt)
{
	unsigned long lock;
	unsigned int flags;
	u8 kind, mode;

	if (!lw_tp_on || !lw_trace_slot(bt->task, &lock, &flags))
		return -ENOENT;
	if (flags & LCB_F_PERCPU)
		return lw_found(s, bt, lock, LW_KIND_PERCPU,
				flags & LCB_F_READ ? LW_MODE_READ : LW_MODE_WRITE);
	if (flags & LCB_F_RT)
		return -EOPNOTSUPP;
	if (flags & LCB_F_MUTEX) {
		kind = LW_KIND_MUTEX;
		mode = LW_MODE_WRITE;
	} else if (flags & (LCB_F_READ | LCB_F_WRITE)) {
		kind = LW_KIND_RWSEM;
		mode = flags & LCB_F_READ ? LW_MODE_READ : LW_MODE_WRITE;
	} else if (!flags) {
		/* down() and friends, where they are traced (6.4 on) */
		kind = LW_KIND_SEM;
		mode = LW_MODE_NONE;
	} else {
		return -EOPNOTSUPP;
	}
	return lw_found(s, bt, lock, kind, mode);
}

#else /* no contention tracepoints: the stack alone */

int lw_trace_init(void)
{
	return 0;
}

size_t lw_trace_bytes(void)
{
	return 0;
}

void lw_trace_exit(void)
{
}

bool lw_trace_active(void)
{
	return false;
}

u64 lw_trace_slots_full(void)
{
	return 0;
}

int lw_find_wait_trace(struct lw_scan *s, struct lw_task *bt)
{
	return -ENOENT;
}

#endif

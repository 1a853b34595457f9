// SPDX-License-Identifier: GPL-2.0
/*
 * Whose stack holds a word: a sleeping task's, read from its saved stack
 * pointer up with nofault reads. And the process a workqueue worker
 * waits for: a user-mode helper run with UMH_WAIT_PROC is the child of
 * the worker that runs the request (call_usermodehelper_exec_sync()
 * forks it and waits in kernel_wait()), and that worker's stack holds
 * the request. Found by walking the
 * processes for those whose parent is a workqueue worker (no other
 * process has one) and reading that worker's stack, with nofault reads,
 * for a given word; RCU is left now and then as the scan's walk does
 * (kernel/hung_task.c), and at most LW_CHILD_STACKS stacks are read a
 * search.
 */
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>

#include "compat.h"
#include "lib.h"

/* Workers' stacks read a search. */
#define LW_CHILD_STACKS		8
/* Words of a stack read at a time. */
#define LW_CHILD_BATCH		64

/*
 * Does the live part of @t's stack (from its saved stack pointer on, @t
 * asleep) hold word @a or @b?
 */
bool lw_stack_holds(struct lw_scan *s, struct task_struct *t,
		    unsigned long a, unsigned long b)
{
	unsigned long base = (unsigned long)READ_ONCE(t->stack);
	unsigned long top = base + THREAD_SIZE, p = lw_task_saved_sp(t);
	unsigned long batch[LW_CHILD_BATCH];
	unsigned int i, n;

	if (!base || READ_ONCE(t->on_cpu) || p < base || p >= top ||
	    !IS_ALIGNED(p, sizeof(long)))
		return false;
	for (; p < top; p += n * sizeof(long)) {
		n = min_t(unsigned long, LW_CHILD_BATCH,
			  (top - p) / sizeof(long));
		if (lw_read(batch, p, n * sizeof(long), s))
			return false;
		for (i = 0; i < n; i++)
			if (batch[i] == a || batch[i] == b)
				return true;
	}
	return false;
}

/*
 * The process (its leader's task_struct) whose parent is a workqueue
 * worker with word @a or @b on its stack, 0 if none is found; @n: how
 * many (1, or 2 for more than one).
 */
unsigned long lw_worker_child(struct lw_scan *s, unsigned long a,
			      unsigned long b, int *n)
{
	struct task_struct *p, *parent;
	unsigned long first = 0;
	unsigned int seen = 0, stacks = 0;
	u64 section;

	*n = 0;
	rcu_read_lock();
	section = ktime_get_ns();
	for_each_process(p) {
		if (!lw_walk_pause(p, &seen, &section))
			break;
		parent = rcu_dereference(p->real_parent);
		if (!(READ_ONCE(parent->flags) & PF_WQ_WORKER))
			continue;
		if (++stacks > LW_CHILD_STACKS)
			break;
		if (!lw_stack_holds(s, parent, a, b))
			continue;
		if (!first)
			first = (unsigned long)p;
		if (++*n == 2)
			break;
	}
	rcu_read_unlock();
	return first;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Completions: a task in wait_for_completion() and its variants
 * (killable, io, timeout), waiting for another to call complete().
 *
 * Found: the wait sleeps in __wait_for_common() (5.10: wait_for_common(),
 * often inlined into wait_for_completion*()) with an on-stack struct swait_queue { task, task_list } linked in the
 * completion's swait queue: the word equal to the task on its stack is
 * the entry's task field, the next two its links.
 *
 * Proven: the entry names the task, lies on its stack and is linked in a
 * ring whose one node off every stack is the completion's queue head,
 * and the task's stack returns into the completion wait.
 *
 * Owner: none. A completion records nobody who will complete it; the
 * ones whose completer the kernel names (a workqueue flush, kthread_stop)
 * are for later.
 *
 * Name: the symbol of a global one ("lw_cmpl [lockwatch_scenarios]"); a
 * workqueue flush's barrier ("workqueue flush barrier", its work's
 * function wq_barrier_func); "completion on the stack of PID COMM";
 * otherwise "anonymous completion".
 */
#include <linux/completion.h>
#include <linux/stddef.h>
#include <linux/swait.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "lockwatch.h"

/* A swait_queue's list node from its task field. */
#define LW_SWAIT_NODE	((long)offsetof(struct swait_queue, task_list) - \
			 (long)offsetof(struct swait_queue, task))

static struct lw_name_verdict lw_wait_cache[1 << LW_NAME_CACHE_BITS];
static struct lw_name_verdict lw_barrier_cache[1 << LW_NAME_CACHE_BITS];
/* The completion wait every variant goes through, by its name of each kernel. */
static const char * const lw_wait_fns[] = {
	"__wait_for_common", "wait_for_common", "wait_for_common_io",
	"do_wait_for_common", "wait_for_completion",
	"wait_for_completion_io", "wait_for_completion_timeout",
	"wait_for_completion_io_timeout", "wait_for_completion_killable",
	"wait_for_completion_state", "wait_for_completion_killable_timeout",
};
static const char * const lw_barrier_fn[] = { "wq_barrier_func" };

/*
 * The completion that stack word @i (of @sp) waits on as the task field of
 * a linked on-stack swait_queue, or 0. The ring it is linked
 * in has one node off every stack: the completion's queue head.
 */
unsigned long lw_completion_at(struct lw_scan *s, unsigned long sp,
			       unsigned int i)
{
	const unsigned long *words = s->stack;
	unsigned int e = i + LW_SWAIT_NODE / sizeof(long);
	unsigned long node = sp + e * sizeof(long), head;
	struct lw_node n;

	if (e + 1 >= s->stack_words || !lw_kernel_ptr(words[e]) ||
	    lw_read_node(s, words[e], &n) || n.prev != node)
		return 0;
	head = lw_find_ring_head(s, node, words[e], words[e + 1],
				 -LW_SWAIT_NODE);
	return head ? head - offsetof(struct completion, wait.task_list) : 0;
}

/* Is the swait_queue at @w still @task's and still linked? */
bool lw_swait_still(struct lw_scan *s, unsigned long w, unsigned long task)
{
	return lw_wait_linked(s, w + LW_SWAIT_NODE, -LW_SWAIT_NODE, task);
}

/* Does @bt's stack return into the completion wait? */
static bool lw_in_completion_wait(const struct lw_task *bt)
{
	unsigned int f;

	for (f = 0; f < bt->nframes; f++)
		if (lw_addr_named(lw_wait_cache, bt->frames[f], lw_wait_fns,
				  ARRAY_SIZE(lw_wait_fns)))
			return true;
	return false;
}

int lw_find_wait_completion(struct lw_scan *s, struct lw_task *bt,
			    unsigned long sp)
{
	unsigned long c;
	unsigned int i;
	int lk;

	if (!lw_in_completion_wait(bt))
		return -ENOENT;
	for (i = 0; i < s->stack_words; i++) {
		if (s->stack[i] != (unsigned long)bt->task)
			continue;
		c = lw_completion_at(s, sp, i);
		if (!c)
			continue;
		lk = lw_lock_at(s, c, LW_KIND_COMPLETION);
		if (lk < 0)
			return lk;
		bt->lock = lk;
		bt->mode = LW_MODE_NONE;
		bt->waiter = sp + i * sizeof(long);
		return 0;
	}
	return -ENOENT;
}

bool lw_completion_still(struct lw_scan *s, const struct lw_task *bt)
{
	return lw_swait_still(s, bt->waiter, (unsigned long)bt->task);
}

/* No owner to read; the completion must still be readable. */
int lw_decode_completion(struct lw_scan *s, struct lw_lock *l)
{
	unsigned int done;

	return lw_read(&done, l->addr + offsetof(struct completion, done),
		       sizeof(done), s) ? -EFAULT : 0;
}

/*
 * A workqueue flush waits on the completion of a struct wq_barrier
 * (kernel/workqueue.c: { work, done, task }), queued as a work item whose
 * function is wq_barrier_func.
 */
bool lw_name_completion(struct lw_scan *s, const struct lw_lock *l,
			char *buf, size_t len)
{
	unsigned long work = l->addr - ALIGN(sizeof(struct work_struct),
					     __alignof__(struct completion));
	unsigned long fn;

	if (!lw_read(&fn, work + offsetof(struct work_struct, func), sizeof(fn),
		     s) &&
	    lw_addr_named(lw_barrier_cache, fn, lw_barrier_fn,
			  ARRAY_SIZE(lw_barrier_fn))) {
		strscpy(buf, "workqueue flush barrier", len);
		return true;
	}
	return false;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A completion's simple wait queue: an on-stack struct swait_queue
 * { task, task_list } linked in the completion's swait queue head. Read
 * by the completion's kind and by block I/O, which waits on one too.
 */
#include <linux/completion.h>
#include <linux/stddef.h>
#include <linux/swait.h>

#include "compat.h"
#include "lib.h"

/* A swait_queue's list node from its task field. */
#define LW_SWAIT_NODE	((long)offsetof(struct swait_queue, task_list) - \
			 (long)offsetof(struct swait_queue, task))

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

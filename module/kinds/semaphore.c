// SPDX-License-Identifier: GPL-2.0
/*
 * struct semaphore.
 *
 * Found: by the finders of find/ (an on-stack semaphore_waiter { list,
 * task } below a frame of __down*, the blocker record, the tracepoint).
 *
 * Proven: the semaphore's wait list holds that waiter.
 *
 * Owner: none. A semaphore records no owner: its count is shown instead.
 *
 * Name: the symbol of a global, otherwise what naming finds around it.
 */
#include <linux/semaphore.h>
#include <linux/stddef.h>

#include "compat.h"
#include "lib/lib.h"
#include "ops.h"

static int lw_decode_sem(struct lw_scan *s, struct lw_lock *l)
{
	unsigned int count;

	if (lw_read(&count, l->addr + offsetof(struct semaphore, count),
		    sizeof(count), s))
		return -EFAULT;
	l->count = count;
	return 0;
}

static void lw_sem_held(struct lw_scan *s, const struct lw_lock *l,
			struct lw_buf *b)
{
	lw_printf(b, "  count: %ld\n", l->count);
}

static const struct lw_slowpath lw_sem_slowpaths[] = {
	{ "__down", LW_MODE_NONE },
	{ "__down_common", LW_MODE_NONE },
	{ "__down_interruptible", LW_MODE_NONE },
	{ "__down_killable", LW_MODE_NONE },
	{ "__down_timeout", LW_MODE_NONE },
};

const struct lw_kind_ops lw_sem_kind = {
	.id = LW_KIND_SEM,
	.name = "semaphore",
	.wait = "lock",
	.wait_off = offsetof(struct semaphore, LW_WAIT_FIELD),
	.task_off = LW_WAITER_TASK_OFFSET,
	.slowpaths = lw_sem_slowpaths,
	.nslowpaths = ARRAY_SIZE(lw_sem_slowpaths),
	.decode = lw_decode_sem,
	.held = lw_sem_held,
};

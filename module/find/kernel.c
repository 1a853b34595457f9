// SPDX-License-Identifier: GPL-2.0
/*
 * What a task waits for, from the kernel's own record: task->blocker,
 * which the hung task detector keeps (CONFIG_DETECT_HUNG_TASK_BLOCKER,
 * 7.x) for mutexes, semaphores and rw_semaphores, also for tasks that
 * blocked before lockwatch loaded. The record is read once and proven
 * like every other source: the lock's waiters must include one of this
 * task, on its stack.
 */
#include <linux/sched.h>

#include "compat.h"
#include "find.h"
#include "lib/lib.h"

#ifdef LW_HAVE_TASK_BLOCKER

int lw_find_wait_kernel(struct lw_scan *s, struct lw_task *bt)
{
	unsigned long blocker = READ_ONCE(bt->task->blocker);
	unsigned long lock = blocker & ~LW_BLOCKER_TYPE_MASK;
	u8 kind, mode;

	if (!lock)
		return -ENOENT;
	switch (blocker & LW_BLOCKER_TYPE_MASK) {
	case LW_BLOCKER_MUTEX:
		kind = LW_KIND_MUTEX;
		mode = LW_MODE_WRITE;
		break;
	case LW_BLOCKER_SEM:
		kind = LW_KIND_SEM;
		mode = LW_MODE_NONE;
		break;
	case LW_BLOCKER_RWSEM_READER:
		kind = LW_KIND_RWSEM;
		mode = LW_MODE_READ;
		break;
	default:
		kind = LW_KIND_RWSEM;
		mode = LW_MODE_WRITE;
		break;
	}
	return lw_found(s, bt, lock, kind, mode);
}

#else

int lw_find_wait_kernel(struct lw_scan *s, struct lw_task *bt)
{
	return -ENOENT;
}

#endif

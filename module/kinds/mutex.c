// SPDX-License-Identifier: GPL-2.0
/*
 * struct mutex, and PREEMPT_RT's rt_mutex.
 *
 * Found: by the finders of find/: the kernel's blocker record, the
 * contention tracepoint, PREEMPT_RT's pi_blocked_on, or an on-stack
 * struct mutex_waiter { list, task } below a frame of the slow path.
 *
 * Proven: the mutex's wait list holds that waiter (find/, lib/waitlist.c).
 *
 * Owner: the owner word, its flag bits cleared (exact); on PREEMPT_RT,
 * the rt_mutex_base's owner (exact).
 *
 * Name: the symbol of a global ("cgroup_mutex"), a file system's lock in
 * an inode by its layout from BTF, otherwise what naming finds around it.
 */
#include <linux/mutex.h>
#include <linux/stddef.h>

#include "compat.h"
#include "lib/lib.h"
#include "ops.h"

#ifdef LW_RT_LOCKS
/* struct mutex and struct rt_mutex begin with the rt_mutex_base. */
static int lw_decode_mutex(struct lw_scan *s, struct lw_lock *l)
{
	return lw_decode_rt_base(s, l, l->addr);
}
#else
static int lw_decode_mutex(struct lw_scan *s, struct lw_lock *l)
{
	unsigned long owner;

	if (lw_read(&owner, l->addr + offsetof(struct mutex, owner),
		    sizeof(owner), s))
		return -EFAULT;
	l->owner_ptr = owner & ~LW_MUTEX_FLAGS;
	if (l->owner_ptr) {
		l->conf = LW_CONF_EXACT;
		l->held = LW_MODE_WRITE;
	}
	return 0;
}
#endif

static void lw_mutex_held(struct lw_scan *s, const struct lw_lock *l,
			  struct lw_buf *b)
{
	lw_printf(b, "  held: %s\n", lw_mode_name(l->held));
}

/* The functions whose frame holds a mutex's on-stack waiter. */
static const struct lw_slowpath lw_mutex_slowpaths[] = {
	{ "__mutex_lock", LW_MODE_WRITE },
	{ "__mutex_lock_common", LW_MODE_WRITE },
	{ "__ww_mutex_lock", LW_MODE_WRITE },
};

/* PREEMPT_RT: the API functions a blocked task called. */
static const struct lw_slowpath lw_mutex_rt_entries[] = {
	{ "mutex_lock", LW_MODE_WRITE },
	{ "mutex_lock_interruptible", LW_MODE_WRITE },
	{ "mutex_lock_killable", LW_MODE_WRITE },
	{ "mutex_lock_io", LW_MODE_WRITE },
};

static const struct lw_slowpath lw_rtmutex_rt_entries[] = {
	{ "rt_mutex_lock", LW_MODE_WRITE },
	{ "rt_mutex_lock_interruptible", LW_MODE_WRITE },
	{ "rt_mutex_lock_killable", LW_MODE_WRITE },
};

const struct lw_kind_ops lw_mutex_kind = {
	.id = LW_KIND_MUTEX,
	.name = "mutex",
	.wait = "lock",
	.in_inode = true,
#ifndef LW_RT_LOCKS
	.wait_off = offsetof(struct mutex, LW_WAIT_FIELD),
#endif
	.task_off = LW_WAITER_TASK_OFFSET,
	.slowpaths = lw_mutex_slowpaths,
	.nslowpaths = ARRAY_SIZE(lw_mutex_slowpaths),
	.rt_entries = lw_mutex_rt_entries,
	.nrt_entries = ARRAY_SIZE(lw_mutex_rt_entries),
	.decode = lw_decode_mutex,
	.held = lw_mutex_held,
};

/* Only PREEMPT_RT's rt_mutex_lock() is found as an rt_mutex. */
const struct lw_kind_ops lw_rtmutex_kind = {
	.id = LW_KIND_RTMUTEX,
	.name = "rt_mutex",
	.wait = "lock",
	.task_off = LW_WAITER_TASK_OFFSET,
	.rt_entries = lw_rtmutex_rt_entries,
	.nrt_entries = ARRAY_SIZE(lw_rtmutex_rt_entries),
	.decode = lw_decode_mutex,
	.held = lw_mutex_held,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * PREEMPT_RT's struct rt_mutex_base {wait_lock; waiters; owner}: under
 * its mutexes, rw_semaphores and rt_mutexes alike.
 */
#include <linux/stddef.h>

#include "compat.h"
#include "lib.h"

#ifdef LW_RT_LOCKS
#include <linux/rtmutex.h>

/* An rt_mutex_base at @base: its owner, exact, when it is held. */
int lw_decode_rt_base(struct lw_scan *s, struct lw_lock *l, unsigned long base)
{
	unsigned long owner;

	if (lw_read(&owner, base + offsetof(struct rt_mutex_base, owner),
		    sizeof(owner), s))
		return -EFAULT;
	l->owner_ptr = owner & ~LW_RT_HAS_WAITERS;
	if (l->owner_ptr) {
		l->conf = LW_CONF_EXACT;
		l->held = LW_MODE_WRITE;
	}
	return 0;
}
#else
int lw_decode_rt_base(struct lw_scan *s, struct lw_lock *l, unsigned long base)
{
	return -EINVAL;
}
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * struct rw_semaphore, and PREEMPT_RT's rwbase_rt based one.
 *
 * Found: by the finders of find/: the blocker record, the contention
 * tracepoint, PREEMPT_RT's pi_blocked_on (or, for a writer waiting for
 * its readers, the rwsem whose rtmutex it owns), or an on-stack struct
 * rwsem_waiter { list, task, type } below a frame of the slow path.
 *
 * Proven: the rwsem's wait list holds that waiter, of that type.
 *
 * Owner: a writer from the owner word (exact); a reader-owned rwsem's
 * owner names only the last reader (a hint), with the readers counted.
 * On PREEMPT_RT a writer only once readers reads WRITER_BIAS.
 *
 * Name: a global's symbol, or a file's i_rwsem, invalidate_lock or
 * i_mmap_rwsem, a super block's s_umount, a process's mmap_lock.
 */
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/rwsem.h>
#include <linux/stddef.h>

#include "compat.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "ops.h"

#ifdef LW_RT_LOCKS
/*
 * A PREEMPT_RT rwsem is write-held only once readers reads WRITER_BIAS;
 * before that its rtmutex owner is a writer still waiting for readers,
 * and readers leave no trace of who they are.
 */
static int lw_decode_rwsem(struct lw_scan *s, struct lw_lock *l)
{
	unsigned int readers;

	if (lw_read(&readers, l->addr + offsetof(struct rw_semaphore,
						 rwbase.readers),
		    sizeof(readers), s))
		return -EFAULT;
	if (readers == LW_RT_WRITER_BIAS)
		return lw_decode_rt_base(s, l, l->addr +
					 offsetof(struct rw_semaphore, rwbase.rtmutex));
	l->count = readers & ~LW_RT_READER_BIAS;
	if (l->count)
		l->held = LW_MODE_READ;
	return 0;
}
#else
static int lw_decode_rwsem(struct lw_scan *s, struct lw_lock *l)
{
	unsigned long owner, count;

	if (lw_read(&count, l->addr + offsetof(struct rw_semaphore, count),
		    sizeof(count), s) ||
	    lw_read(&owner, l->addr + offsetof(struct rw_semaphore, owner),
		    sizeof(owner), s))
		return -EFAULT;
	if (count & LW_RWSEM_WRITER_LOCKED) {
		l->held = LW_MODE_WRITE;
		if (!(owner & LW_RWSEM_READER_OWNED)) {
			l->owner_ptr = owner & ~LW_RWSEM_OWNER_FLAGS;
			if (l->owner_ptr)
				l->conf = LW_CONF_EXACT;
		}
	} else if ((count << 1) >> (LW_RWSEM_READER_SHIFT + 1)) {
		l->held = LW_MODE_READ;
		l->count = (count << 1) >> (LW_RWSEM_READER_SHIFT + 1);
		if (owner & LW_RWSEM_READER_OWNED) {
			l->owner_ptr = owner & ~LW_RWSEM_OWNER_FLAGS;
			if (l->owner_ptr)
				l->conf = LW_CONF_HINT;
		}
	}
	return 0;
}
#endif

/* The rw_semaphores the kernel keeps in inodes, super blocks and mms. */
static bool lw_name_rwsem(struct lw_scan *s, const struct lw_lock *l,
			  char *buf, size_t len)
{
	unsigned long data = offsetof(struct inode, i_data), addr = l->addr;

	if (lw_name_inode_lock(s, "i_rwsem",
			       addr - offsetof(struct inode, i_rwsem), buf, len))
		return true;
#ifdef LW_HAVE_INVALIDATE_LOCK
	if (lw_name_inode_lock(s, "invalidate_lock",
			       addr - data -
			       offsetof(struct address_space, invalidate_lock),
			       buf, len))
		return true;
#endif
	if (lw_name_inode_lock(s, "i_mmap_rwsem",
			       addr - data -
			       offsetof(struct address_space, i_mmap_rwsem),
			       buf, len))
		return true;
	if (lw_name_sb_lock(s, "s_umount",
			    addr - offsetof(struct super_block, s_umount),
			    buf, len))
		return true;
	return lw_name_mmap_lock(s, addr, buf, len);
}

static void lw_rwsem_held(struct lw_scan *s, const struct lw_lock *l,
			  struct lw_buf *b)
{
	lw_printf(b, "  held: %s\n", lw_mode_name(l->held));
	if (l->held == LW_MODE_READ)
		lw_printf(b, "  readers: %ld\n", l->count);
}

static const struct lw_slowpath lw_rwsem_slowpaths[] = {
	{ "rwsem_down_write_slowpath", LW_MODE_WRITE },
	{ "rwsem_down_read_slowpath", LW_MODE_READ },
};

/* PREEMPT_RT: the API functions a blocked task called. */
static const struct lw_slowpath lw_rwsem_rt_entries[] = {
	{ "__rwbase_read_lock", LW_MODE_READ },
	{ "down_read", LW_MODE_READ },
	{ "down_read_killable", LW_MODE_READ },
	{ "down_read_interruptible", LW_MODE_READ },
	{ "rwbase_write_lock", LW_MODE_WRITE },
	{ "down_write", LW_MODE_WRITE },
	{ "down_write_killable", LW_MODE_WRITE },
};

const struct lw_kind_ops lw_rwsem_kind = {
	.id = LW_KIND_RWSEM,
	.name = "rwsem",
	.wait = "lock",
	.in_inode = true,
#ifndef LW_RT_LOCKS
	.wait_off = offsetof(struct rw_semaphore, LW_WAIT_FIELD),
#endif
	.task_off = LW_WAITER_TASK_OFFSET,
	.slowpaths = lw_rwsem_slowpaths,
	.nslowpaths = ARRAY_SIZE(lw_rwsem_slowpaths),
	.rt_entries = lw_rwsem_rt_entries,
	.nrt_entries = ARRAY_SIZE(lw_rwsem_rt_entries),
	.decode = lw_decode_rwsem,
	.name_object = lw_name_rwsem,
	.held = lw_rwsem_held,
};

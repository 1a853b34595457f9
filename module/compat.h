/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels lockwatch supports, in one place.
 *
 * The rest of the module asks for features (LW_HAVE_*) and calls the
 * helpers below; it never looks at a version number itself. What the
 * headers can tell is decided by probes compiled against the kernel
 * being built for (conftest.sh, into lw_config.h); private lock layouts
 * (kernel/locking/), which no header shows, are restated here with the
 * kernels they hold for.
 */
#ifndef LOCKWATCH_COMPAT_H
#define LOCKWATCH_COMPAT_H

#include <linux/sched.h>
#include <linux/fs.h>
#include <linux/page-flags.h>
#include <linux/workqueue.h>

#include "lw_config.h"

/* What a return address follows: lw_arch_call() of the arch file. */
enum { LW_CALL_NONE, LW_CALL_DIRECT, LW_CALL_INDIRECT };

/*
 * What differs between architectures (text range, saved stack pointer,
 * signed return addresses, call instructions): one file each.
 */
#if defined(CONFIG_X86_64)
#include "arch/x86.h"
#elif defined(CONFIG_ARM64)
#include "arch/arm64.h"
#else
#error "lockwatch reads x86_64 and arm64 stack frames; no other architecture is supported"
#endif

/*
 * PREEMPT_RT: struct mutex wraps struct rt_mutex_base {wait_lock; waiters
 * (rb tree); owner}, struct rw_semaphore wraps struct rwbase_rt {readers;
 * rtmutex}. A task blocked on one has task->pi_blocked_on pointing at its
 * on-stack struct rt_mutex_waiter (kernel/locking/rtmutex_common.h):
 *	struct rt_waiter_node tree, pi_tree;	(rb_node, int prio, u64 deadline)
 *	struct task_struct *task;
 *	struct rt_mutex_base *lock;
 * as in Debian's 6.1.1xx and 6.12. Semaphores keep their wait list.
 */
#ifdef CONFIG_PREEMPT_RT
#define LW_RT_LOCKS		1
#define LW_RT_WAITER_NODE_SIZE	(sizeof(struct rb_node) + 2 * sizeof(u64))
#define LW_RT_WAITER_TASK_OFFSET (2 * LW_RT_WAITER_NODE_SIZE)
#define LW_RT_WAITER_LOCK_OFFSET (LW_RT_WAITER_TASK_OFFSET + sizeof(void *))
#define LW_RT_HAS_WAITERS	1UL
#define LW_RT_READER_BIAS	(1U << 31)
#define LW_RT_WRITER_BIAS	(1U << 30)
#endif

/* task_struct.state became __state in 5.14. */
#ifdef LW_HAVE_TASK___STATE
#define LW_TASK_STATE_FIELD __state
#else
#define LW_TASK_STATE_FIELD state
#endif

static inline unsigned int lw_task_state(const struct task_struct *t)
{
	return READ_ONCE(t->LW_TASK_STATE_FIELD);
}

/* dentry.d_u.d_alias left its named union in 7.x. */
#ifdef LW_HAVE_DENTRY_D_ALIAS
#define LW_DENTRY_ALIAS		d_alias
#else
#define LW_DENTRY_ALIAS		d_u.d_alias
#endif

/*
 * super_block.s_mounts: the head of a list of struct mount (linked by
 * mnt_instance) up to 6.x; by 7.x a pointer to the first struct mount
 * (LW_SB_MOUNTS_PTR, probed).
 */

/*
 * struct wait_page_queue names a folio from 5.16, a page before; the
 * fields lockwatch reads (flags, mapping, index) are the folio's then,
 * and struct page loses index by 7.x.
 */
#ifdef LW_HAVE_WAIT_PAGE_FOLIO
#define LW_WAIT_PAGE_FIELD	folio
#define LW_PAGE_STRUCT		folio
/* The self-test's page lock, taken as the kernel's own callers do. */
#define lw_lock_page(p)		folio_lock(page_folio(p))
#define lw_unlock_page(p)	folio_unlock(page_folio(p))
#else
#define LW_WAIT_PAGE_FIELD	page
#define LW_PAGE_STRUCT		page
#define lw_lock_page(p)		lock_page(p)
#define lw_unlock_page(p)	unlock_page(p)
#endif

/* The anonymous bit of page->mapping, by its name of each kernel. */
#ifdef FOLIO_MAPPING_ANON
#define LW_MAPPING_ANON		FOLIO_MAPPING_ANON
#else
#define LW_MAPPING_ANON		PAGE_MAPPING_ANON
#endif

/*
 * Probed, no more to decide here: a bio names its block device (bi_bdev,
 * LW_BIO_BDEV) from 5.12, its disk (bi_disk) before; struct blk_mq_tags
 * is in include/linux/blk-mq.h from 5.16 and request_queue names its disk
 * from 5.15, so tags are traced to their disk where both are
 * (LW_HAVE_BLK_MQ_TAGS); address_space.invalidate_lock arrived in 5.15
 * (LW_HAVE_INVALIDATE_LOCK). A disk's whole-disk block device is a
 * pointer (gendisk.part0) from 5.11 (LW_DISK_PART0_PTR), embedded (a
 * struct hd_struct, its device __dev) before. A block device points at
 * its page cache (block_device.bd_mapping) from 6.10, at its inode
 * (bd_inode) before (LW_BDEV_MAPPING). For the scenarios' block device,
 * blk_mq_alloc_disk() takes queue limits from 6.9 (LW_ALLOC_DISK_LIMITS)
 * and add_disk() returns an error from 5.15 (LW_ADD_DISK_RETURNS).
 */

/*
 * Lock wait lists. Each on-stack waiter (struct mutex_waiter,
 * rwsem_waiter, semaphore_waiter) begins with
 *	struct list_head list; struct task_struct *task;
 * Up to 6.x the lock holds the list's head (wait_list). From 7.0 the
 * waiters form a ring of their own and the lock points at the first one
 * (first_waiter). The hung task detector's blocker record
 * (CONFIG_DETECT_HUNG_TASK_BLOCKER) names the lock and its type.
 */
#ifdef LW_HAVE_FIRST_WAITER
#define LW_WAIT_FIELD		first_waiter
#else
#define LW_WAIT_FIELD		wait_list
#define LW_HAVE_WAIT_LIST_HEAD	1
#endif
#ifdef CONFIG_DETECT_HUNG_TASK_BLOCKER
#define LW_HAVE_TASK_BLOCKER	1
#define LW_BLOCKER_TYPE_MASK	0x03UL
#define LW_BLOCKER_MUTEX	0x00UL
#define LW_BLOCKER_SEM		0x01UL
#define LW_BLOCKER_RWSEM_READER	0x02UL
#define LW_BLOCKER_RWSEM_WRITER	0x03UL
#endif
#define LW_WAITER_TASK_OFFSET	(2 * sizeof(unsigned long))
/* struct rwsem_waiter: enum rwsem_waiter_type type follows the task. */
#define LW_RWSEM_WAITER_TYPE_OFFSET (3 * sizeof(unsigned long))
#define LW_RWSEM_WAITING_FOR_WRITE 0
#define LW_RWSEM_WAITING_FOR_READ 1

/* kernel/locking/mutex.c */
#define LW_MUTEX_FLAGS		0x07UL
/* kernel/locking/rwsem.c */
#define LW_RWSEM_READER_OWNED	(1UL << 0)
/* two flag bits from 5.11, three before; task_structs are well aligned */
#define LW_RWSEM_OWNER_FLAGS	0x07UL
#define LW_RWSEM_WRITER_LOCKED	(1UL << 0)
#define LW_RWSEM_READER_SHIFT	8
#define LW_RWSEM_READER_MASK	(~((1UL << LW_RWSEM_READER_SHIFT) - 1))

/*
 * A queued work item's data holds its pool_workqueue above the flag and
 * colour bits (WORK_STRUCT_PWQ set): the mask's name changed in 6.9.
 */
#ifdef WORK_STRUCT_PWQ_MASK
#define LW_WORK_PWQ_MASK	WORK_STRUCT_PWQ_MASK
#else
#define LW_WORK_PWQ_MASK	WORK_STRUCT_WQ_DATA_MASK
#endif

/*
 * Data symbols (a global lock's name) are in kallsyms only with
 * CONFIG_KALLSYMS_ALL; without it (Debian's 6.1 for arm64) the symbol
 * nearest a lock in a module is one of its functions, which is no name.
 */
#define LW_DATA_SYMBOLS	IS_ENABLED(CONFIG_KALLSYMS_ALL)

/* struct module's own symbol table (kallsyms of its symbols, with sizes). */
#ifdef CONFIG_KALLSYMS
#define LW_HAVE_MODULE_KALLSYMS	1
#endif

/*
 * The I/O a task has done as far as the kernel counts it (read and write
 * syscalls and their bytes, CONFIG_TASK_XACCT; block I/O, CONFIG_TASK_IO_ACCOUNTING),
 * summed: it moves whenever the task gets anything read or written.
 */
static inline u64 lw_task_io(const struct task_struct *t)
{
	u64 io = 0;

#ifdef CONFIG_TASK_XACCT
	io += READ_ONCE(t->ioac.rchar) + READ_ONCE(t->ioac.wchar) +
	      READ_ONCE(t->ioac.syscr) + READ_ONCE(t->ioac.syscw);
#endif
#ifdef CONFIG_TASK_IO_ACCOUNTING
	io += READ_ONCE(t->ioac.read_bytes) + READ_ONCE(t->ioac.write_bytes);
#endif
	return io;
}

/*
 * A task frozen by a freezer (the cgroup v1 freezer, the system's for
 * suspend): from 6.1 its state is TASK_FROZEN (its own saved aside);
 * before, it sleeps in D in __refrigerator() with PF_FROZEN set.
 */
static inline bool lw_task_frozen(const struct task_struct *t,
				  unsigned int state)
{
#ifdef TASK_FROZEN
	return state & TASK_FROZEN;
#else
	return READ_ONCE(t->flags) & PF_FROZEN;
#endif
}

/* A kernfs node's parent: __parent (RCU-managed) from 6.15. */
#ifdef LW_KERNFS_RCU_PARENT
#define LW_KERNFS_PARENT	__parent
#else
#define LW_KERNFS_PARENT	parent
#endif

/*
 * Preemptible RCU (CONFIG_PREEMPT_RCU) counts a task's read-side nesting
 * in the task and queues a task preempted inside a section on its
 * rcu_node (rcu_blocked_node). Without it a reader is a CPU with
 * preemption off, which no task field shows.
 */
#ifdef CONFIG_PREEMPT_RCU
#define LW_HAVE_RCU_READERS	1
static inline bool lw_rcu_reader(const struct task_struct *t, bool *preempted)
{
	if (READ_ONCE(t->rcu_read_lock_nesting) <= 0)
		return false;
	*preempted = READ_ONCE(t->rcu_blocked_node) != NULL;
	return true;
}
#else
static inline bool lw_rcu_reader(const struct task_struct *t, bool *preempted)
{
	return false;
}
#endif

/* Could @addr be kernel or module text (a return address, a function)? */
static inline bool lw_text_addr(unsigned long addr)
{
	return addr >= LW_TEXT_START && addr < LW_TEXT_END;
}

#endif /* LOCKWATCH_COMPAT_H */

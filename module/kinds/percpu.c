// SPDX-License-Identifier: GPL-2.0
/*
 * percpu_rw_semaphore: the freeze protection of every superblock
 * (sb_writers, taken by sb_start_write and mnt_want_write),
 * cgroup_threadgroup_rwsem, cpu_hotplug_lock and others.
 *
 * Found: a reader, or a writer waiting for another writer, sleeps in
 * percpu_rwsem_wait() with an on-stack wait_queue_entry { flags, private
 * (the task), func (percpu_rwsem_wake_function), entry } linked into the
 * semaphore's waiters queue: the word equal to the task on its stack is
 * the entry's private field. A writer that has blocked new readers and
 * waits for the old ones to leave sleeps in percpu_down_write() with the
 * semaphore's rcuwait naming it: the semaphore is the word on its stack
 * whose writer.task is the task. The contention tracepoints name the
 * semaphore directly (LCB_F_PERCPU) for waits that began after load.
 *
 * Proven: the entry names the task, lies on its stack and is linked in
 * that semaphore's queue; or the semaphore's writer.task is the task and
 * its block flag is set.
 *
 * Owner: the writer that set block and waits for the readers to leave
 * (writer.task), exact. Once it holds the semaphore nothing records it,
 * and readers are per-CPU counts that name nobody: unknown, never
 * guessed. That writer itself waits for the readers: it has no edge.
 *
 * Name: "sb_writers (level: write) of xfs 254:0 /mnt/xfs" for a
 * superblock's freeze protection, with whether the file system is
 * frozen; the symbol of a global semaphore ("cpu_hotplug_lock").
 */
#include <linux/fs.h>
#include <linux/percpu-rwsem.h>
#include <linux/stddef.h>
#include <linux/wait.h>

#include "compat.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "ops.h"

#define LW_PCPU_WRITER	offsetof(struct percpu_rw_semaphore, writer.task)
#define LW_PCPU_BLOCK	offsetof(struct percpu_rw_semaphore, block)
#define LW_PCPU_HEAD	offsetof(struct percpu_rw_semaphore, waiters.head)

static struct lw_name_verdict lw_wake_cache[1 << LW_NAME_CACHE_BITS];
static struct lw_name_verdict lw_down_cache[1 << LW_NAME_CACHE_BITS];
static const char * const lw_wake_fn[] = { "percpu_rwsem_wake_function" };
static const char * const lw_down_fn[] = { "percpu_down_write" };

/* A semaphore that a writer holds (or holds back readers for) and waits on. */
static bool lw_writer_waits(struct lw_scan *s, unsigned long sem,
			    unsigned long task)
{
	unsigned long writer, head[2], back;
	int block;

	return lw_kernel_ptr(sem) &&
	       !lw_read(&writer, sem + LW_PCPU_WRITER, sizeof(writer), s) &&
	       writer == task &&
	       !lw_read(&block, sem + LW_PCPU_BLOCK, sizeof(block), s) &&
	       block == 1 &&
	       !lw_read(head, sem + LW_PCPU_HEAD, sizeof(head), s) &&
	       lw_kernel_ptr(head[0]) &&
	       !lw_read(&back, head[0] + sizeof(long), sizeof(back), s) &&
	       back == sem + LW_PCPU_HEAD;
}

static void lw_set_drain(struct lw_task *bt, int lk, unsigned long sem)
{
	bt->lock = lk;
	bt->mode = LW_MODE_WRITE;
	bt->drain = true;
	bt->waiter = sem + LW_PCPU_WRITER;
}

/* The writer waiting in percpu_down_write() for the readers to leave. */
static int lw_find_drain(struct lw_scan *s, struct lw_task *bt)
{
	unsigned long task = (unsigned long)bt->task;
	unsigned int i;
	int lk;

	if (!lw_frames_named(lw_down_cache, bt, lw_down_fn,
			     ARRAY_SIZE(lw_down_fn)))
		return -ENOENT;
	for (i = 0; i < s->stack_words; i++) {
		if (!lw_writer_waits(s, s->stack[i], task))
			continue;
		lk = lw_lock_at(s, s->stack[i], &lw_percpu_kind);
		if (lk < 0)
			return lk;
		lw_set_drain(bt, lk, s->stack[i]);
		return 0;
	}
	return -ENOENT;
}

/* Is stack word @i (of @sp) the private field of a queued entry of @bt? */
static int lw_try_entry(struct lw_scan *s, struct lw_task *bt,
			unsigned long sp, unsigned int i)
{
	const unsigned long *words = s->stack;
	unsigned int e = i + LW_WQ_WORD(entry);
	unsigned long w = sp + e * sizeof(long), head;
	struct lw_node n;
	unsigned int flags;
	int lk;

	if ((long)i < -LW_WQ_WORD(flags) || e + 1 >= s->stack_words ||
	    !lw_addr_named(lw_wake_cache, words[i + LW_WQ_WORD(func)],
			   lw_wake_fn, ARRAY_SIZE(lw_wake_fn)) ||
	    !lw_kernel_ptr(words[e]) || !lw_kernel_ptr(words[e + 1]))
		return -EINVAL;
	/* The queue must still hold this entry. */
	if (lw_read_node(s, words[e], &n) || n.prev != w)
		return -EAGAIN;
	lk = lw_map_get(&s->waiter_map, w);
	if (lk == LW_NONE) {
		head = lw_find_head(s, w, words[e], words[e + 1],
				    &lw_percpu_kind);
		if (!head)
			return -EINVAL;
		lk = lw_lock_at(s, head - LW_PCPU_HEAD, &lw_percpu_kind);
		if (lk < 0)
			return lk;
	}
	if (s->locks[lk].kind != LW_KIND_PERCPU)
		return -EINVAL;
	memcpy(&flags, &words[i + LW_WQ_WORD(flags)], sizeof(flags));
	bt->lock = lk;
	bt->mode = flags & WQ_FLAG_CUSTOM ? LW_MODE_READ : LW_MODE_WRITE;
	bt->waiter = w;
	return 0;
}

static int lw_find_wait_percpu(struct lw_scan *s, struct lw_task *bt,
			       unsigned long sp)
{
	unsigned int i;

	for (i = 0; i < s->stack_words; i++)
		if (s->stack[i] == (unsigned long)bt->task &&
		    !lw_try_entry(s, bt, sp, i))
			return 0;
	return lw_find_drain(s, bt);
}

/* A traced wait for @sem: its queued entry, or its writer's rcuwait. */
static int lw_claim_percpu(struct lw_scan *s, struct lw_task *bt,
			   unsigned long sem, u8 mode)
{
	int lk = lw_lock_at(s, sem, &lw_percpu_kind);
	unsigned int flags;

	if (lk < 0)
		return lk;
	if (!lw_own_waiter(s, bt, lk)) {
		if (lw_read(&flags, bt->waiter -
			    offsetof(struct wait_queue_entry, entry) +
			    offsetof(struct wait_queue_entry, flags),
			    sizeof(flags), s))
			return -EFAULT;
		if ((flags & WQ_FLAG_CUSTOM ? LW_MODE_READ : LW_MODE_WRITE) != mode)
			return -EINVAL;
		bt->lock = lk;
		bt->mode = mode;
		return 0;
	}
	if (mode != LW_MODE_WRITE ||
	    !lw_writer_waits(s, sem, (unsigned long)bt->task))
		return -EINVAL;
	lw_set_drain(bt, lk, sem);
	return 0;
}

static int lw_decode_percpu(struct lw_scan *s, struct lw_lock *l)
{
	unsigned long writer;
	int block;

	if (lw_read(&block, l->addr + LW_PCPU_BLOCK, sizeof(block), s) ||
	    lw_read(&writer, l->addr + LW_PCPU_WRITER, sizeof(writer), s))
		return -EFAULT;
	l->count = -1;		/* readers: per-CPU counts, nobody named */
	l->held = block ? LW_MODE_WRITE : LW_MODE_NONE;
	l->owner_ptr = writer;
	if (writer)
		l->conf = LW_CONF_EXACT;
	return 0;
}

/*
 * The writer waiting for readers: the semaphore still names it; any
 * other waiter: its entry still names it and is still linked.
 */
static bool lw_percpu_still(struct lw_scan *s, const struct lw_task *bt)
{
	if (!bt->drain)
		return lw_wait_linked(s, bt->waiter, LW_WQ_TASK_OFF,
				      (unsigned long)bt->task);
	return lw_writer_waits(s, bt->waiter - LW_PCPU_WRITER,
			       (unsigned long)bt->task);
}

/* The superblock whose freeze protection @l is, and at which level. */
static unsigned long lw_percpu_sb(struct lw_scan *s, const struct lw_lock *l,
				  unsigned int *level)
{
	unsigned long first = offsetof(struct super_block, s_writers.rw_sem);
	unsigned long sb;

	for (*level = 0; *level < SB_FREEZE_LEVELS; (*level)++) {
		sb = l->addr - first - *level * sizeof(struct percpu_rw_semaphore);
		if (lw_name_sb(s, sb, false, NULL, 0))
			return sb;
	}
	return 0;
}

static bool lw_name_percpu(struct lw_scan *s, const struct lw_lock *l,
			   char *buf, size_t len)
{
	/* SB_FREEZE_WRITE, SB_FREEZE_PAGEFAULT, SB_FREEZE_FS */
	static const char * const levels[] = { "write", "pagefault", "fs" };
	unsigned int level;
	unsigned long sb = lw_percpu_sb(s, l, &level);

	BUILD_BUG_ON(ARRAY_SIZE(levels) != SB_FREEZE_LEVELS);
	if (!sb || !lw_name_sb(s, sb, true, s->nb.where, sizeof(s->nb.where)))
		return false;
	snprintf(buf, len, "sb_writers (level: %s) of %s", levels[level],
		 s->nb.where);
	return true;
}

/* "yes" for a frozen file system, "freezing" on the way, else NULL. */
static const char *lw_percpu_frozen(struct lw_scan *s,
				    const struct lw_lock *l)
{
	struct super_block *sb;
	unsigned int level;
	typeof(sb->s_writers.frozen) frozen;

	sb = (struct super_block *)lw_percpu_sb(s, l, &level);
	if (!sb || lw_read(&frozen, (unsigned long)&sb->s_writers.frozen,
			   sizeof(frozen), s))
		return NULL;
	if (frozen == SB_FREEZE_COMPLETE)
		return "yes";
	return frozen != SB_UNFROZEN ? "freezing" : NULL;
}

/* Held for write by its writer, or not; readers are counted per CPU. */
static void lw_percpu_held(struct lw_scan *s, const struct lw_lock *l,
			   struct lw_buf *b)
{
	const char *frozen = lw_percpu_frozen(s, l);

	lw_printf(b, "  held: %s\n", lw_mode_name(l->held));
	if (frozen)
		lw_printf(b, "  frozen: %s\n", frozen);
	lw_printf(b, "  readers: unknown\n");
}

const struct lw_kind_ops lw_percpu_kind = {
	.id = LW_KIND_PERCPU,
	.name = "percpu_rwsem",
	.wait = "percpu_rwsem",
	.wait_off = LW_PCPU_HEAD,
	.task_off = LW_WQ_TASK_OFF,
	.queue = true,
	.find = lw_find_wait_percpu,
	.claim = lw_claim_percpu,
	.decode = lw_decode_percpu,
	.still = lw_percpu_still,
	.name_object = lw_name_percpu,
	.held = lw_percpu_held,
};

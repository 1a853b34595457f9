// SPDX-License-Identifier: GPL-2.0
/*
 * A frozen request queue: a task that froze a disk's queue and waits for
 * the requests in flight to drain (blk_mq_freeze_queue_wait(): an I/O
 * scheduler switch, a queue limits or elevator update, a resize), and
 * the tasks that submit I/O meanwhile and wait for the queue to thaw
 * (bio_queue_enter(), blk_queue_enter()).
 *
 * Found: such a task sleeps in wait_event() with an on-stack
 * wait_queue_entry (private: the task) linked in the mq_freeze_wq of a
 * struct request_queue. Its mode says which: "freeze" when its stack
 * returns into blk_mq_freeze_queue_wait() (or its _timeout form),
 * "enter" otherwise.
 *
 * Proven: the entry names the task, lies on its stack and is linked in a
 * queue whose one node off every stack is the mq_freeze_wq of a request
 * queue whose disk (a checked struct gendisk) points back at it; the
 * queue is still frozen (mq_freeze_depth above zero). Kernels whose
 * request_queue has no disk pointer (5.10) cannot prove it: their waits
 * stay under their site.
 *
 * Owner: none. The freezer ends the freeze once the disk completes what
 * it has in flight; who froze the queue is not recorded. Its disk is the
 * queue's, and the chain ends at that disk's requests.
 *
 * Name: "freeze of sda (8:0)" (its entry: "queue freeze of sda (8:0)").
 */
#include <linux/blkdev.h>
#include <linux/stddef.h>
#include <linux/wait.h>

#include "compat.h"
#include "lib/lib.h"
#include "ops.h"

#ifdef LW_HAVE_BLK_MQ_TAGS
static struct lw_name_verdict lw_freezer_cache[1 << LW_NAME_CACHE_BITS];
static const char * const lw_freezer_fns[] = {
	"blk_mq_freeze_queue_wait", "blk_mq_freeze_queue_wait_timeout",
};

/*
 * The disk of the request queue whose mq_freeze_wq is the wait queue at
 * @wqh, if that queue is frozen; 0 if not or it does not check out.
 */
static unsigned long lw_frozen_disk(struct lw_scan *s, unsigned long wqh)
{
	unsigned long q = wqh - offsetof(struct request_queue, mq_freeze_wq);
	unsigned long disk, back;
	int depth;

	if (!lw_kernel_ptr(wqh) ||
	    lw_read(&disk, q + offsetof(struct request_queue, disk),
		    sizeof(disk), s) || !lw_kernel_ptr(disk) ||
	    lw_read(&back, disk + offsetof(struct gendisk, queue),
		    sizeof(back), s) || back != q || !lw_disk_valid(s, disk) ||
	    lw_read(&depth, q + offsetof(struct request_queue, mq_freeze_depth),
		    sizeof(depth), s) || depth <= 0)
		return 0;
	return disk;
}

/* Is stack word @i (of @sp) the private field of @bt's wait for a thaw? */
static int lw_try_queue(struct lw_scan *s, struct lw_task *bt,
			unsigned long sp, unsigned int i)
{
	unsigned long w, head, wqh;
	u8 mode;

	head = lw_wq_entry_queue(s, sp, i, &w);
	if (!head)
		return -EINVAL;
	wqh = head - offsetof(struct wait_queue_head, head);
	if (!lw_frozen_disk(s, wqh))
		return -EINVAL;
	mode = lw_frames_named(lw_freezer_cache, bt, lw_freezer_fns,
			       ARRAY_SIZE(lw_freezer_fns)) ?
	       LW_MODE_FREEZE : LW_MODE_ENTER;
	return lw_claim_at(s, bt, wqh - offsetof(struct request_queue,
						 mq_freeze_wq),
			   &lw_queue_kind, mode, w);
}

static int lw_find_wait_queue(struct lw_scan *s, struct lw_task *bt,
			      unsigned long sp)
{
	unsigned int i;

	for (i = 0; i < s->stack_words; i++)
		if (s->stack[i] == (unsigned long)bt->task &&
		    !lw_try_queue(s, bt, sp, i))
			return 0;
	return -ENOENT;
}

/* The queue's disk, while the queue is frozen; 0 otherwise. */
static unsigned long lw_queue_device(struct lw_scan *s,
				     const struct lw_lock *l)
{
	return lw_frozen_disk(s, l->addr + offsetof(struct request_queue,
						    mq_freeze_wq));
}

/* No owner; the queue must still be a frozen disk's. */
static int lw_decode_queue(struct lw_scan *s, struct lw_lock *l)
{
	return lw_queue_device(s, l) ? 0 : -EAGAIN;
}

static bool lw_name_queue(struct lw_scan *s, const struct lw_lock *l,
			  char *buf, size_t len)
{
	lw_name_of_disk(s, lw_queue_device(s, l), "freeze",
			"freeze of a disk's queue", buf, len);
	return true;
}

const struct lw_kind_ops lw_queue_kind = {
	.id = LW_KIND_QUEUE,
	.name = "queue",
	.wait = "queue",
	.task_off = LW_WQ_TASK_OFF,
	.queue = true,
	.find = lw_find_wait_queue,
	.decode = lw_decode_queue,
	.name_wait = lw_name_queue,
	.device = lw_queue_device,
};
#else
/* struct request_queue has no disk to prove a frozen queue by (5.10). */
const struct lw_kind_ops lw_queue_kind = {
	.id = LW_KIND_QUEUE,
	.name = "queue",
	.wait = "queue",
};
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * A flusher's writeback: a task that waits for the writeback work it
 * handed a disk's flusher (sync, syncfs, a sync of a file system before
 * it is frozen or unmounted) to be done, in wb_wait_for_completion().
 *
 * Found: such a task sleeps in wait_event() with an on-stack
 * wait_queue_entry (private: the task) linked in the wb_waitq of the
 * backing_dev_info the work was queued on; the stack also holds the
 * struct wb_completion { cnt, waitq } the work reports to, its waitq
 * that queue.
 *
 * Proven: the entry names the task, lies on its stack and is linked in a
 * queue whose one node off every stack is the head of the wait queue a
 * wb_completion on the same stack points at; that queue is the wb_waitq
 * of a backing_dev_info whose own writeback (bdi.wb) points back at it.
 * The completion's count is still above zero.
 *
 * Owner: none. The flusher (a kworker running wb_workfn) does the work;
 * which one is not recorded where lockwatch can prove it, so none is
 * named. Its disk is: the backing_dev_info's owner is the disk's device.
 *
 * Name: "writeback of sda (8:0)", "writeback of a device" where the disk
 * cannot be told (its entry: "flusher writeback of sda (8:0)").
 */
#include <linux/backing-dev-defs.h>
#include <linux/stddef.h>
#include <linux/wait.h>

#include "compat.h"
#include "lib/lib.h"
#include "ops.h"

/* A wb_completion's fields in words from its waitq. */
#define LW_WBC_WORD(f)	(((long)offsetof(struct wb_completion, f) - \
			  (long)offsetof(struct wb_completion, waitq)) / \
			 (long)sizeof(long))

/* The backing_dev_info whose wb_waitq is the wait queue at @wqh, or 0. */
static unsigned long lw_waitq_bdi(struct lw_scan *s, unsigned long wqh)
{
	unsigned long bdi = wqh - offsetof(struct backing_dev_info, wb_waitq);
	unsigned long back;

	if (!lw_kernel_ptr(wqh) ||
	    lw_read(&back, bdi + offsetof(struct backing_dev_info, wb) +
		    offsetof(struct bdi_writeback, bdi), sizeof(back), s) ||
	    back != bdi)
		return 0;
	return bdi;
}

/*
 * Is a wb_completion whose waitq is @wqh on @bt's stack (s->stack), its
 * count above zero?
 */
static bool lw_completion_on_stack(struct lw_scan *s, unsigned long wqh)
{
	unsigned int j;
	atomic_t cnt;

	for (j = -LW_WBC_WORD(cnt); j < s->stack_words; j++) {
		if (s->stack[j] != wqh)
			continue;
		memcpy(&cnt, &s->stack[j + LW_WBC_WORD(cnt)], sizeof(cnt));
		if (atomic_read(&cnt) > 0)
			return true;
	}
	return false;
}

/* Is stack word @i (of @sp) the private field of @bt's wait for a flusher? */
static int lw_try_flusher(struct lw_scan *s, struct lw_task *bt,
			  unsigned long sp, unsigned int i)
{
	unsigned long w, head, wqh, bdi;

	head = lw_wq_entry_queue(s, sp, i, &w);
	if (!head)
		return -EINVAL;
	wqh = head - offsetof(struct wait_queue_head, head);
	bdi = lw_waitq_bdi(s, wqh);
	if (!bdi || !lw_completion_on_stack(s, wqh))
		return -EINVAL;
	return lw_claim_at(s, bt, bdi, &lw_flusher_kind, LW_MODE_NONE, w);
}

static int lw_find_wait_flusher(struct lw_scan *s, struct lw_task *bt,
				unsigned long sp)
{
	unsigned int i;

	for (i = 0; i < s->stack_words; i++)
		if (s->stack[i] == (unsigned long)bt->task &&
		    !lw_try_flusher(s, bt, sp, i))
			return 0;
	return -ENOENT;
}

/* No owner; the backing_dev_info must still check out. */
static int lw_decode_flusher(struct lw_scan *s, struct lw_lock *l)
{
	return lw_waitq_bdi(s, l->addr + offsetof(struct backing_dev_info,
						  wb_waitq)) ? 0 : -EAGAIN;
}

/* The disk whose device owns the backing_dev_info, 0 if none. */
static unsigned long lw_flusher_device(struct lw_scan *s,
				       const struct lw_lock *l)
{
	return lw_bdi_disk(s, l->addr);
}

static bool lw_name_flusher(struct lw_scan *s, const struct lw_lock *l,
			    char *buf, size_t len)
{
	lw_name_of_disk(s, lw_flusher_device(s, l), "writeback",
			"writeback of a device", buf, len);
	return true;
}

const struct lw_kind_ops lw_flusher_kind = {
	.id = LW_KIND_FLUSHER,
	.name = "flusher",
	.wait = "flusher",
	.task_off = LW_WQ_TASK_OFF,
	.queue = true,
	.find = lw_find_wait_flusher,
	.decode = lw_decode_flusher,
	.name_wait = lw_name_flusher,
	.device = lw_flusher_device,
};

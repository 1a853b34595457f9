// SPDX-License-Identifier: GPL-2.0
/*
 * Block I/O: a task that waits for a request tag of a device whose tags
 * are all in use, and one that waits for its bio to complete. Grouped by
 * the disk, because what they wait for is that device.
 *
 * Found, from the task's stack:
 * - a tag: blk_mq_get_tag() sleeps with an on-stack struct sbq_wait
 *   { sbq, wait } whose wait_queue_entry (private: the task) is linked in
 *   one of the sbitmap_queue's wait queues (sbq->ws[]);
 * - a bio: submit_bio_wait() sleeps in wait_for_completion_io() on an
 *   on-stack completion, its on-stack struct swait_queue (task: the task)
 *   linked in the completion's queue; the bio (on the stack, or pointed
 *   at from the frames below the completion) has bi_private = that
 *   completion and bi_end_io = submit_bio_wait_endio (7.x: bio_await()
 *   and bio_wait_end_io). Block device direct
 *   I/O that waits by hand (5.10's __blkdev_direct_IO_simple) has an
 *   on-stack bio with bi_private = the task and bi_end_io =
 *   blkdev_bio_end_io_simple.
 *
 * Proven: the entry names the task and lies on its stack; the queue it is
 * linked in has one node off every stack, and that node is the head of
 * one of the sbitmap_queue's wait queues, or of a completion on the
 * task's own stack; a bio's end_io is the function of that wait. The
 * disk of a tag is found through the tags the sbitmap_queue belongs to:
 * a request of those tags whose hardware queue points back at them and
 * whose queue's disk points back at that queue. A bio names its disk
 * itself.
 *
 * Owner: none. The device completes the I/O; no task does.
 *
 * Name: the disk, "vda 254:0".
 */
#include <linux/bio.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/sbitmap.h>
#include <linux/stddef.h>
#include <linux/swait.h>
#include <linux/wait.h>

#include "compat.h"
#include "lib/lib.h"
#include "ops.h"

/* An sbq_wait around a wait_queue_entry, in words from its private field. */
#define LW_SBQ_WORD	(((long)offsetof(struct sbq_wait, sbq) - \
			  (long)offsetof(struct sbq_wait, wait) - \
			  (long)offsetof(struct wait_queue_entry, private)) / \
			 (long)sizeof(long))
/* The frames searched for a bio pointer, below its completion. */
#define LW_BIO_WORDS	256
/* Requests of a full tag set tried for the one that names the disk. */
#define LW_TAG_TRIES	32

static struct lw_name_verdict lw_tagwake_cache[1 << LW_NAME_CACHE_BITS];
static struct lw_name_verdict lw_endio_cache[1 << LW_NAME_CACHE_BITS];
static struct lw_name_verdict lw_simple_cache[1 << LW_NAME_CACHE_BITS];
static const char * const lw_tagwake_fn[] = { "autoremove_wake_function" };
/* The end_io of submit_bio_wait(), by its name of each kernel. */
static const char * const lw_endio_fn[] = {
	"submit_bio_wait_endio", "bio_wait_end_io",
};
static const char * const lw_simple_fn[] = { "blkdev_bio_end_io_simple" };

/* The disk a bio is for. */
static unsigned long lw_bio_disk(struct lw_scan *s, unsigned long bio)
{
	unsigned long disk;
#ifdef LW_BIO_BDEV
	unsigned long bdev;

	if (lw_read(&bdev, bio + offsetof(struct bio, bi_bdev), sizeof(bdev),
		    s) || !lw_kernel_ptr(bdev) ||
	    lw_read(&disk, bdev + offsetof(struct block_device, bd_disk),
		    sizeof(disk), s))
		return 0;
#else
	if (lw_read(&disk, bio + offsetof(struct bio, bi_disk), sizeof(disk), s))
		return 0;
#endif
	return lw_disk_valid(s, disk) ? disk : 0;
}

#ifdef LW_HAVE_BLK_MQ_TAGS
/*
 * The disk of the tags that @sbq is one of the bitmaps of: a request of
 * those tags, its hardware queue using them (as driver or scheduler tags)
 * and belonging to the request's queue, whose disk it is.
 */
static unsigned long lw_tags_disk(struct lw_scan *s, unsigned long sbq)
{
	static const size_t at[] = {
		offsetof(struct blk_mq_tags, bitmap_tags),
		offsetof(struct blk_mq_tags, breserved_tags),
	};
	unsigned long tags, rqs, rq, q, hctx, t, st, hq, disk;
	unsigned int nr, i, j;

	for (i = 0; i < ARRAY_SIZE(at); i++) {
		tags = sbq - at[i];
		if (lw_read(&nr, tags + offsetof(struct blk_mq_tags, nr_tags),
			    sizeof(nr), s) || !nr ||
		    lw_read(&rqs, tags + offsetof(struct blk_mq_tags, static_rqs),
			    sizeof(rqs), s) || !lw_kernel_ptr(rqs))
			continue;
		for (j = 0; j < min_t(unsigned int, nr, LW_TAG_TRIES); j++) {
			if (lw_read(&rq, rqs + j * sizeof(long), sizeof(rq), s) ||
			    !lw_kernel_ptr(rq) ||
			    lw_read(&q, rq + offsetof(struct request, q),
				    sizeof(q), s) || !lw_kernel_ptr(q) ||
			    lw_read(&hctx, rq + offsetof(struct request, mq_hctx),
				    sizeof(hctx), s) || !lw_kernel_ptr(hctx) ||
			    lw_read(&t, hctx + offsetof(struct blk_mq_hw_ctx, tags),
				    sizeof(t), s) ||
			    lw_read(&st, hctx + offsetof(struct blk_mq_hw_ctx, sched_tags),
				    sizeof(st), s) ||
			    lw_read(&hq, hctx + offsetof(struct blk_mq_hw_ctx, queue),
				    sizeof(hq), s))
				continue;
			if (hq != q || (t != tags && st != tags))
				continue;
			if (lw_read(&disk, q + offsetof(struct request_queue, disk),
				    sizeof(disk), s) || !lw_disk_valid(s, disk))
				return 0;
			return disk;
		}
	}
	return 0;
}
#else
/* struct blk_mq_tags is private to block/ here: the disk is not told. */
static unsigned long lw_tags_disk(struct lw_scan *s, unsigned long sbq)
{
	return 0;
}
#endif

/* Is @head the head of one of the wait queues of sbitmap_queue @sbq? */
static bool lw_sbq_head(struct lw_scan *s, unsigned long sbq,
			unsigned long head)
{
	unsigned long ws, off;

	if (lw_read(&ws, sbq + offsetof(struct sbitmap_queue, ws), sizeof(ws),
		    s) || !lw_kernel_ptr(ws) || head < ws)
		return false;
	off = head - ws - offsetof(struct sbq_wait_state, wait.head);
	return !(off % sizeof(struct sbq_wait_state)) &&
	       off / sizeof(struct sbq_wait_state) < SBQ_WAIT_QUEUES;
}

/* Is stack word @i (of @sp) the private field of @bt's wait for a tag? */
static int lw_try_tag(struct lw_scan *s, struct lw_task *bt,
		      unsigned long sp, unsigned int i)
{
	const unsigned long *words = s->stack;
	unsigned int e = i + LW_WQ_WORD(entry);
	unsigned long w = sp + e * sizeof(long), head, sbq, disk;
	struct lw_node n;

	if ((long)i < -LW_SBQ_WORD || e + 1 >= s->stack_words ||
	    !lw_addr_named(lw_tagwake_cache, words[i + LW_WQ_WORD(func)],
			   lw_tagwake_fn, ARRAY_SIZE(lw_tagwake_fn)))
		return -EINVAL;
	sbq = words[i + LW_SBQ_WORD];
	if (!lw_kernel_ptr(sbq) || lw_read_node(s, words[e], &n) ||
	    n.prev != w)
		return -EINVAL;
	head = lw_queue_head(s, w, words[e], words[e + 1], LW_WQ_TASK_OFF);
	if (!head || !lw_sbq_head(s, sbq, head))
		return -EINVAL;
	/* A tag wait whose disk cannot be told is no other wait. */
	if (s->tag_sbq != sbq) {
		s->tag_sbq = sbq;
		s->tag_disk = lw_tags_disk(s, sbq);
	}
	disk = s->tag_disk;
	if (!disk)
		return -ENODEV;
	return lw_claim_at(s, bt, disk, &lw_io_kind, LW_MODE_TAG, w);
}

/* A bio at @bio waited for with @private, ended by one of @fn. */
static bool lw_bio_is(struct lw_scan *s, unsigned long bio,
		      unsigned long private, struct lw_name_verdict *cache,
		      const char * const *fn, size_t nfn)
{
	unsigned long p, end;

	return lw_kernel_ptr(bio) &&
	       !lw_read(&p, bio + offsetof(struct bio, bi_private), sizeof(p),
			s) && p == private &&
	       !lw_read(&end, bio + offsetof(struct bio, bi_end_io),
			sizeof(end), s) &&
	       lw_addr_named(cache, end, fn, nfn);
}

/*
 * The bio whose completion @c (on the stack, @sp + word @ci) @bt waits
 * for: on the stack itself, or pointed at from the frames below it.
 */
static unsigned long lw_find_bio(struct lw_scan *s, unsigned long sp,
				 unsigned long c, unsigned int ci)
{
	const unsigned long *words = s->stack;
	unsigned int j, from = ci > LW_BIO_WORDS ? ci - LW_BIO_WORDS : 0;
	unsigned long bio;

	for (j = 0; j < s->stack_words; j++) {
		if (words[j] != c)
			continue;
		bio = sp + j * sizeof(long) - offsetof(struct bio, bi_private);
		if (lw_bio_is(s, bio, c, lw_endio_cache, lw_endio_fn,
			      ARRAY_SIZE(lw_endio_fn)))
			return bio;
	}
	for (j = from; j < ci; j++)
		if (lw_bio_is(s, words[j], c, lw_endio_cache, lw_endio_fn,
			      ARRAY_SIZE(lw_endio_fn)))
			return words[j];
	return 0;
}

/* Is stack word @i (of @sp) the task field of @bt's wait for a bio? */
static int lw_try_bio(struct lw_scan *s, struct lw_task *bt,
		      unsigned long sp, unsigned int i)
{
	unsigned long w = sp + i * sizeof(long), end = sp + s->stack_words *
						 sizeof(long);
	unsigned long c, bio, disk;

	/* 5.10's block device direct I/O: the bio's bi_private is the task. */
	bio = w - offsetof(struct bio, bi_private);
	if (bio >= sp && lw_bio_is(s, bio, (unsigned long)bt->task,
				   lw_simple_cache, lw_simple_fn,
				   ARRAY_SIZE(lw_simple_fn))) {
		disk = lw_bio_disk(s, bio);
		return disk ? lw_claim_at(s, bt, disk, &lw_io_kind, LW_MODE_BIO,
					   w) : -ENOENT;
	}
	c = lw_completion_at(s, sp, i);
	if (!c || c < sp || c >= end || c % sizeof(long))
		return -EINVAL;
	bio = lw_find_bio(s, sp, c, (c - sp) / sizeof(long));
	if (!bio)
		return -EINVAL;
	disk = lw_bio_disk(s, bio);
	return disk ? lw_claim_at(s, bt, disk, &lw_io_kind, LW_MODE_BIO, w) :
		      -ENOENT;
}

static int lw_find_wait_io(struct lw_scan *s, struct lw_task *bt,
			   unsigned long sp)
{
	unsigned int i;
	int ret;

	/* From the innermost frame out: a bio below a tag wait is not in flight. */
	for (i = 0; i < s->stack_words; i++) {
		if (s->stack[i] != (unsigned long)bt->task)
			continue;
		ret = lw_try_tag(s, bt, sp, i);
		if (ret == -ENODEV)
			return -ENOENT;
		if (!ret || !lw_try_bio(s, bt, sp, i))
			return 0;
	}
	return -ENOENT;
}

/*
 * Is @bt still waiting as found? Its entry still names it and, for a
 * queued entry, is still linked; a bio waited for by hand still has the
 * task in bi_private.
 */
static bool lw_io_still(struct lw_scan *s, const struct lw_task *bt)
{
	unsigned long w = bt->waiter, task;

	if (bt->mode == LW_MODE_TAG)
		return lw_wait_linked(s, w, LW_WQ_TASK_OFF,
				      (unsigned long)bt->task);
	if (lw_read(&task, w, sizeof(task), s) ||
	    task != (unsigned long)bt->task)
		return false;
	if (lw_bio_is(s, w - offsetof(struct bio, bi_private), task,
		      lw_simple_cache, lw_simple_fn, ARRAY_SIZE(lw_simple_fn)))
		return true;
	return lw_swait_still(s, w, task);
}

/* No owner; the disk must still check out. */
static int lw_decode_io(struct lw_scan *s, struct lw_lock *l)
{
	return lw_disk_valid(s, l->addr) ? 0 : -EAGAIN;
}

/* "vda 254:0", "a disk" where it cannot be read. */
static bool lw_name_io(struct lw_scan *s, const struct lw_lock *l, char *buf,
		       size_t len)
{
	struct lw_disk d = { .addr = l->addr };

	if (!lw_disk_name(s, &d))
		strscpy(buf, "a disk", len);
	else
		snprintf(buf, len, "%s %d:%d", d.name, d.major, d.minor);
	return true;
}

/* The disk itself. */
static unsigned long lw_io_device(struct lw_scan *s, const struct lw_lock *l)
{
	return l->addr;
}

const struct lw_kind_ops lw_io_kind = {
	.id = LW_KIND_IO,
	.name = "io",
	.wait = "io",
	.find = lw_find_wait_io,
	.decode = lw_decode_io,
	.still = lw_io_still,
	.name_wait = lw_name_io,
	.device = lw_io_device,
};

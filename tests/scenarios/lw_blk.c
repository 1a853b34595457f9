// SPDX-License-Identifier: GPL-2.0
/*
 * lwblk0: a block device whose I/O can be held back, for lockwatch's
 * tests of block I/O waits. One hardware queue of one tag; requests
 * complete at once (reads return zeros, writes are dropped) until
 * "blkhold" is started, and are then kept until "blk-end" completes them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/spinlock.h>

#include "compat.h"
#include "lw_blk.h"

#define LW_BLK_SECTORS	2048		/* 1 MiB */

static struct blk_mq_tag_set lw_blk_set;
static struct gendisk *lw_blk_disk;
static int lw_blk_major;
static DEFINE_SPINLOCK(lw_blk_lock);
static LIST_HEAD(lw_blk_held);
static bool lw_blk_holding;

static blk_status_t lw_blk_queue_rq(struct blk_mq_hw_ctx *hctx,
				    const struct blk_mq_queue_data *bd)
{
	struct request *rq = bd->rq;
	struct list_head *link = blk_mq_rq_to_pdu(rq);
	struct req_iterator iter;
	struct bio_vec bv;

	blk_mq_start_request(rq);
	if (rq_data_dir(rq) == READ)
		rq_for_each_segment(bv, rq, iter)
			/* 64-bit: every page is mapped. */
			memset(page_address(bv.bv_page) + bv.bv_offset, 0,
			       bv.bv_len);
	spin_lock(&lw_blk_lock);
	if (lw_blk_holding) {
		list_add_tail(link, &lw_blk_held);
		spin_unlock(&lw_blk_lock);
		return BLK_STS_OK;
	}
	spin_unlock(&lw_blk_lock);
	blk_mq_end_request(rq, BLK_STS_OK);
	return BLK_STS_OK;
}

static const struct blk_mq_ops lw_blk_mq_ops = {
	/* No timeout handler: a held request's timer is rearmed. */
	.queue_rq = lw_blk_queue_rq,
};

static const struct block_device_operations lw_blk_fops = {
	.owner = THIS_MODULE,
};

static struct gendisk *lw_blk_alloc_disk(void)
{
#if defined(LW_ALLOC_DISK_LIMITS)
	return blk_mq_alloc_disk(&lw_blk_set, NULL, NULL);
#elif defined(blk_mq_alloc_disk)
	return blk_mq_alloc_disk(&lw_blk_set, NULL);
#else
	struct request_queue *q = blk_mq_init_queue(&lw_blk_set);
	struct gendisk *disk;

	if (IS_ERR(q))
		return ERR_CAST(q);
	disk = alloc_disk(1);
	if (!disk) {
		blk_cleanup_queue(q);
		return ERR_PTR(-ENOMEM);
	}
	disk->queue = q;
	return disk;
#endif
}

int lw_start_blk(void)
{
	struct gendisk *disk;
	int ret;

	if (lw_blk_disk) {
		pr_err("blk: lwblk0 exists already\n");
		return -EBUSY;
	}
	ret = register_blkdev(0, "lwblk");
	if (ret < 0)
		return ret;
	lw_blk_major = ret;
	lw_blk_set.ops = &lw_blk_mq_ops;
	lw_blk_set.nr_hw_queues = 1;
	lw_blk_set.queue_depth = 1;
	lw_blk_set.numa_node = NUMA_NO_NODE;
	lw_blk_set.cmd_size = sizeof(struct list_head);
	ret = blk_mq_alloc_tag_set(&lw_blk_set);
	if (ret)
		goto unregister;
	disk = lw_blk_alloc_disk();
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto free_tags;
	}
	disk->major = lw_blk_major;
	disk->first_minor = 0;
	disk->minors = 1;
	disk->fops = &lw_blk_fops;
	strscpy(disk->disk_name, "lwblk0", DISK_NAME_LEN);
	set_capacity(disk, LW_BLK_SECTORS);
#ifdef LW_ADD_DISK_RETURNS
	ret = add_disk(disk);
	if (ret) {
		put_disk(disk);
		goto free_tags;
	}
#else
	add_disk(disk);
#endif
	lw_blk_disk = disk;
	return 0;

free_tags:
	blk_mq_free_tag_set(&lw_blk_set);
unregister:
	unregister_blkdev(lw_blk_major, "lwblk");
	return ret;
}

int lw_start_blkhold(void)
{
	if (!lw_blk_disk) {
		pr_err("blkhold: start blk first\n");
		return -EINVAL;
	}
	spin_lock_irq(&lw_blk_lock);
	lw_blk_holding = true;
	spin_unlock_irq(&lw_blk_lock);
	return 0;
}

/* Complete every request held back, and the ones after it at once. */
int lw_end_blk(void)
{
	struct list_head *link, *next;
	LIST_HEAD(done);

	if (!lw_blk_disk) {
		pr_err("blk-end: start blk first\n");
		return -EINVAL;
	}
	spin_lock_irq(&lw_blk_lock);
	lw_blk_holding = false;
	list_splice_init(&lw_blk_held, &done);
	spin_unlock_irq(&lw_blk_lock);
	list_for_each_safe(link, next, &done) {
		list_del(link);
		blk_mq_end_request(blk_mq_rq_from_pdu(link), BLK_STS_OK);
	}
	return 0;
}

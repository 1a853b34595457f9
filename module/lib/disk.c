// SPDX-License-Identifier: GPL-2.0
/*
 * A disk and the requests its driver has not completed, read as the
 * block layer keeps them: what a wait for I/O ends at.
 *
 * Read: the request queue's tag set, each hardware queue's driver tags
 * (struct blk_mq_tags, shared ones once), and for each tag the request
 * it points at. A request counts as in flight when it is in the
 * MQ_RQ_IN_FLIGHT state, carries that tag, and belongs to this disk's
 * queue (a SCSI host's tags serve all its disks). Its age is from its
 * start_time_ns, which the block layer records when it accounts the
 * I/O (0: not recorded, and said so). A snapshot: a request completing
 * meanwhile is read in one state or the other, never followed further.
 *
 * The device's own state where the kernel records it: for a SCSI disk
 * (the queue's queuedata a scsi_device whose queue and generic device
 * point back at this disk) the device's and its host's states and the
 * commands in error handling; then for every queue, whether it is
 * quiesced or frozen (mq_freeze_depth: an I/O scheduler switch, a
 * resize, waiting for what is in flight).
 *
 * Kernels whose struct blk_mq_tags is private to block/ (5.10): the
 * requests are not readable, and the disk says so.
 */
#include <linux/backing-dev-defs.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/kdev_t.h>
#include <linux/string.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>

#include "compat.h"
#include "lib.h"

/* Tags one scan reads per disk: beyond, the disk says it read part. */
#define LW_DISK_TAGS	4096

/* The disk at @disk, if it checks out: its queue points back at it. */
bool lw_disk_valid(struct lw_scan *s, unsigned long disk)
{
	unsigned long q;
	char name[DISK_NAME_LEN];

	if (!lw_kernel_ptr(disk) ||
	    lw_read(&q, disk + offsetof(struct gendisk, queue), sizeof(q), s) ||
	    !lw_kernel_ptr(q) ||
	    lw_read(name, disk + offsetof(struct gendisk, disk_name),
		    sizeof(name), s) || !memchr(name, '\0', sizeof(name)) ||
	    !name[0])
		return false;
#ifdef LW_HAVE_BLK_MQ_TAGS
	{
		unsigned long qdisk;

		if (lw_read(&qdisk, q + offsetof(struct request_queue, disk),
			    sizeof(qdisk), s) || qdisk != disk)
			return false;
	}
#endif
	return true;
}

/* The disk under super block @sb, 0 if it has none or it does not check out. */
unsigned long lw_sb_disk(struct lw_scan *s, unsigned long sb)
{
	unsigned long bdev, disk;

	if (!lw_kernel_ptr(sb) ||
	    lw_read(&bdev, sb + offsetof(struct super_block, s_bdev),
		    sizeof(bdev), s) || !lw_kernel_ptr(bdev) ||
	    lw_read(&disk, bdev + offsetof(struct block_device, bd_disk),
		    sizeof(disk), s))
		return 0;
	return lw_disk_valid(s, disk) ? disk : 0;
}

/*
 * The block device whose page cache inode (bdev pseudo file system) is
 * @inode, 0 if it is none or does not check out. The inode follows the
 * struct block_device in block/bdev.c's struct bdev_inode; the device
 * must point back at the inode (bd_inode) or at its page cache
 * (bd_mapping from 6.10) and carry its number.
 */
static unsigned long lw_bdev_of_inode(struct lw_scan *s, unsigned long inode)
{
	unsigned long bdev = inode - ALIGN(sizeof(struct block_device),
					   __alignof__(struct inode));
	unsigned long back, want;
	umode_t mode;
	dev_t dev, bd_dev;

#ifdef LW_BDEV_MAPPING
	if (lw_read(&want, inode + offsetof(struct inode, i_mapping),
		    sizeof(want), s) ||
	    lw_read(&back, bdev + offsetof(struct block_device, bd_mapping),
		    sizeof(back), s))
		return 0;
#else
	want = inode;
	if (lw_read(&back, bdev + offsetof(struct block_device, bd_inode),
		    sizeof(back), s))
		return 0;
#endif
	if (!lw_kernel_ptr(inode) || back != want ||
	    lw_read(&mode, inode + offsetof(struct inode, i_mode), sizeof(mode),
		    s) || !S_ISBLK(mode) ||
	    lw_read(&dev, inode + offsetof(struct inode, i_rdev), sizeof(dev),
		    s) ||
	    lw_read(&bd_dev, bdev + offsetof(struct block_device, bd_dev),
		    sizeof(bd_dev), s) || bd_dev != dev)
		return 0;
	return bdev;
}

/*
 * The disk of the block device whose page cache inode is @inode (a
 * partition's is its whole disk), 0 if none checks out.
 */
unsigned long lw_bdev_disk(struct lw_scan *s, unsigned long inode)
{
	unsigned long bdev = lw_bdev_of_inode(s, inode), disk;

	if (!bdev ||
	    lw_read(&disk, bdev + offsetof(struct block_device, bd_disk),
		    sizeof(disk), s))
		return 0;
	return lw_disk_valid(s, disk) ? disk : 0;
}

/*
 * The disk whose whole-disk device is the struct device at @dev (what a
 * disk's backing_dev_info names as its owner), 0 if none checks out.
 */
unsigned long lw_dev_disk(struct lw_scan *s, unsigned long dev)
{
#ifdef LW_DISK_PART0_PTR
	unsigned long bdev = dev - offsetof(struct block_device, bd_device);
	unsigned long disk, part0;

	if (!lw_kernel_ptr(dev) ||
	    lw_read(&disk, bdev + offsetof(struct block_device, bd_disk),
		    sizeof(disk), s) || !lw_disk_valid(s, disk) ||
	    lw_read(&part0, disk + offsetof(struct gendisk, part0),
		    sizeof(part0), s) || part0 != bdev)
		return 0;
	return disk;
#else
	unsigned long disk = dev - offsetof(struct gendisk, part0.__dev);

	return lw_kernel_ptr(dev) && lw_disk_valid(s, disk) ? disk : 0;
#endif
}

#ifdef LW_HAVE_BLK_MQ_TAGS
/* Keep @rq among the oldest LW_DISK_RQS of @d (unrecorded starts last). */
static void lw_disk_keep(struct lw_disk *d, const struct lw_rq *rq)
{
	int i = d->nrqs;

	if (i == LW_DISK_RQS) {
		const struct lw_rq *last = &d->rqs[i - 1];

		if (!rq->start_ns || (last->start_ns &&
				      last->start_ns <= rq->start_ns))
			return;
		i--;
	} else {
		d->nrqs++;
	}
	for (; i > 0; i--) {
		const struct lw_rq *p = &d->rqs[i - 1];

		if (!rq->start_ns || (p->start_ns && p->start_ns <= rq->start_ns))
			break;
		d->rqs[i] = *p;
	}
	d->rqs[i] = *rq;
}

/* The requests in flight of queue @q among the tags at @tags (of hctx @h). */
static void lw_disk_tags(struct lw_scan *s, struct lw_disk *d,
			 unsigned long q, unsigned long tags, int h,
			 unsigned int *budget)
{
	unsigned long rqs, rq, rqq;
	unsigned int nr, t;
	struct lw_rq r;
	int tag, state;
	u32 op;

	if (lw_read(&nr, tags + offsetof(struct blk_mq_tags, nr_tags),
		    sizeof(nr), s) ||
	    lw_read(&rqs, tags + offsetof(struct blk_mq_tags, rqs),
		    sizeof(rqs), s) || !lw_kernel_ptr(rqs)) {
		d->readable = false;
		return;
	}
	for (t = 0; t < nr; t++) {
		if (!*budget) {
			d->partial = true;
			return;
		}
		(*budget)--;
		if (lw_read(&rq, rqs + t * sizeof(long), sizeof(rq), s) ||
		    !lw_kernel_ptr(rq) ||
		    lw_read(&state, rq + offsetof(struct request, state),
			    sizeof(state), s) || state != MQ_RQ_IN_FLIGHT ||
		    lw_read(&tag, rq + offsetof(struct request, tag),
			    sizeof(tag), s) || tag != t ||
		    lw_read(&rqq, rq + offsetof(struct request, q),
			    sizeof(rqq), s) || rqq != q ||
		    lw_read(&op, rq + offsetof(struct request, cmd_flags),
			    sizeof(op), s) ||
		    lw_read(&r.start_ns, rq + offsetof(struct request, start_time_ns),
			    sizeof(r.start_ns), s) ||
		    lw_read(&r.sector, rq + offsetof(struct request, __sector),
			    sizeof(r.sector), s) ||
		    lw_read(&r.bytes, rq + offsetof(struct request, __data_len),
			    sizeof(r.bytes), s))
			continue;
		r.op = op;
		r.hctx = h;
		r.tag = tag;
		d->inflight++;
		lw_disk_keep(d, &r);
	}
}

/* Every hardware queue's driver tags of queue @q, shared ones once. */
static void lw_disk_requests(struct lw_scan *s, struct lw_disk *d,
			     unsigned long q)
{
	unsigned long set, tagsv, tags, prev = 0;
	unsigned int nr_hw, h, budget = LW_DISK_TAGS;

	d->readable = !lw_read(&set, q + offsetof(struct request_queue, tag_set),
			       sizeof(set), s) && lw_kernel_ptr(set) &&
		      !lw_read(&nr_hw, set + offsetof(struct blk_mq_tag_set,
						       nr_hw_queues),
			       sizeof(nr_hw), s) &&
		      !lw_read(&tagsv, set + offsetof(struct blk_mq_tag_set, tags),
			       sizeof(tagsv), s) && lw_kernel_ptr(tagsv);
	for (h = 0; d->readable && h < nr_hw && !d->partial; h++) {
		if (lw_read(&tags, tagsv + h * sizeof(long), sizeof(tags), s)) {
			d->readable = false;
			break;
		}
		if (!lw_kernel_ptr(tags) || tags == prev)
			continue;
		prev = tags;
		lw_disk_tags(s, d, q, tags, h, &budget);
	}
}

static const char *const lw_sdev_states[] = {
	[SDEV_CREATED] = "created",
	[SDEV_RUNNING] = "running",
	[SDEV_CANCEL] = "being removed",
	[SDEV_DEL] = "deleted",
	[SDEV_QUIESCE] = "quiesced",
	[SDEV_OFFLINE] = "offline",
	[SDEV_TRANSPORT_OFFLINE] = "offline (transport)",
	[SDEV_BLOCK] = "blocked",
	[SDEV_CREATED_BLOCK] = "created, blocked",
};

static const char *const lw_shost_states[] = {
	[SHOST_CREATED] = "created",
	[SHOST_RUNNING] = "running",
	[SHOST_CANCEL] = "being removed",
	[SHOST_DEL] = "deleted",
	[SHOST_RECOVERY] = "in error recovery",
	[SHOST_CANCEL_RECOVERY] = "being removed in recovery",
	[SHOST_DEL_RECOVERY] = "deleted in recovery",
};

/* A state's name from @names, "in state N" for one this kernel lacks. */
static const char *lw_state_name(const char *const *names, size_t n, int st,
				 char *buf, size_t len)
{
	if (st >= 0 && st < n && names[st])
		return names[st];
	snprintf(buf, len, "in state %d", st);
	return buf;
}

/*
 * A SCSI disk's device and host, appended to @d->state: the queue's
 * queuedata is a scsi_device whose queue is @q and whose generic device
 * is the disk's parent.
 */
static void lw_disk_scsi(struct lw_scan *s, struct lw_disk *d,
			 unsigned long q)
{
	unsigned long sdev, sq, part0, parent, host;
	unsigned int host_no, channel, id, failed;
	u64 lun;
	int sst, hst;
	size_t n = strlen(d->state);
	char sbuf[16], hbuf[16];

	if (lw_read(&sdev, q + offsetof(struct request_queue, queuedata),
		    sizeof(sdev), s) || !lw_kernel_ptr(sdev) ||
	    lw_read(&sq, sdev + offsetof(struct scsi_device, request_queue),
		    sizeof(sq), s) || sq != q ||
	    lw_read(&part0, d->addr + offsetof(struct gendisk, part0),
		    sizeof(part0), s) || !lw_kernel_ptr(part0) ||
	    lw_read(&parent, part0 + offsetof(struct block_device, bd_device) +
		    offsetof(struct device, parent), sizeof(parent), s) ||
	    parent != sdev + offsetof(struct scsi_device, sdev_gendev) ||
	    lw_read(&sst, sdev + offsetof(struct scsi_device, sdev_state),
		    sizeof(sst), s) ||
	    lw_read(&channel, sdev + offsetof(struct scsi_device, channel),
		    sizeof(channel), s) ||
	    lw_read(&id, sdev + offsetof(struct scsi_device, id), sizeof(id), s) ||
	    lw_read(&lun, sdev + offsetof(struct scsi_device, lun), sizeof(lun),
		    s) ||
	    lw_read(&host, sdev + offsetof(struct scsi_device, host),
		    sizeof(host), s) || !lw_kernel_ptr(host) ||
	    lw_read(&host_no, host + offsetof(struct Scsi_Host, host_no),
		    sizeof(host_no), s) ||
	    lw_read(&hst, host + offsetof(struct Scsi_Host, shost_state),
		    sizeof(hst), s) ||
	    lw_read(&failed, host + offsetof(struct Scsi_Host, host_failed),
		    sizeof(failed), s))
		return;
	n += scnprintf(d->state + n, sizeof(d->state) - n,
		       "%sscsi %u:%u:%u:%llu %s, host %s", n ? ", " : "",
		       host_no, channel, id, (unsigned long long)lun,
		       lw_state_name(lw_sdev_states, ARRAY_SIZE(lw_sdev_states),
				     sst, sbuf, sizeof(sbuf)),
		       lw_state_name(lw_shost_states, ARRAY_SIZE(lw_shost_states),
				     hst, hbuf, sizeof(hbuf)));
	if (failed)
		scnprintf(d->state + n, sizeof(d->state) - n,
			  ", %u failed %s in error handling", failed,
			  failed == 1 ? "command" : "commands");
}
#endif

/*
 * The name of disk @d->addr and its number: "sda", 8, 0 ("a disk", -1,
 * -1 where they cannot be read). Returns its request queue, or 0.
 */
unsigned long lw_disk_name(struct lw_scan *s, struct lw_disk *d)
{
	char name[DISK_NAME_LEN];
	unsigned long q;
	int major, minor;

	if (lw_read(name, d->addr + offsetof(struct gendisk, disk_name),
		    sizeof(name), s) ||
	    lw_read(&major, d->addr + offsetof(struct gendisk, major),
		    sizeof(major), s) ||
	    lw_read(&minor, d->addr + offsetof(struct gendisk, first_minor),
		    sizeof(minor), s) ||
	    lw_read(&q, d->addr + offsetof(struct gendisk, queue), sizeof(q), s)) {
		strscpy(d->name, "a disk", sizeof(d->name));
		d->major = -1;
		d->minor = -1;
		return 0;
	}
	name[sizeof(name) - 1] = '\0';
	strscpy(d->name, name, sizeof(d->name));
	d->major = major;
	d->minor = minor;
	return q;
}

/*
 * "WHAT of sda (8:0)" for disk @disk into @buf, @fallback where it is 0
 * or cannot be read.
 */
void lw_name_of_disk(struct lw_scan *s, unsigned long disk, const char *what,
		     const char *fallback, char *buf, size_t len)
{
	struct lw_disk d = { .addr = disk };

	if (disk && lw_disk_name(s, &d))
		snprintf(buf, len, "%s of %s (%d:%d)", what, d.name, d.major,
			 d.minor);
	else
		strscpy(buf, fallback, len);
}

/* The disk whose device owns backing_dev_info @bdi, 0 if none. */
unsigned long lw_bdi_disk(struct lw_scan *s, unsigned long bdi)
{
	unsigned long owner;

	if (lw_read(&owner, bdi + offsetof(struct backing_dev_info, owner),
		    sizeof(owner), s))
		return 0;
	return lw_dev_disk(s, owner);
}

/* Read disk @d->addr: its name, its requests in flight, its state. */
void lw_disk_read(struct lw_scan *s, struct lw_disk *d)
{
	unsigned long q, flags;
	int depth;
	size_t n;

	d->readable = false;
	d->partial = false;
	d->inflight = 0;
	d->nrqs = 0;
	d->state[0] = '\0';
	q = lw_disk_name(s, d);
	if (!q)
		return;
#ifdef LW_HAVE_BLK_MQ_TAGS
	lw_disk_requests(s, d, q);
	lw_disk_scsi(s, d, q);
#endif
	n = strlen(d->state);
	if (!lw_read(&flags, q + offsetof(struct request_queue, queue_flags),
		     sizeof(flags), s) && test_bit(QUEUE_FLAG_QUIESCED, &flags))
		n += scnprintf(d->state + n, sizeof(d->state) - n,
			       "%squeue quiesced", n ? ", " : "");
	if (!lw_read(&depth, q + offsetof(struct request_queue, mq_freeze_depth),
		     sizeof(depth), s) && depth > 0)
		scnprintf(d->state + n, sizeof(d->state) - n, "%squeue frozen",
			  n ? ", " : "");
}

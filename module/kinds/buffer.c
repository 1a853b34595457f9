// SPDX-License-Identifier: GPL-2.0
/*
 * A buffer head's lock: a task that waits for a block of a file system's
 * metadata (a bitmap, an inode table block, a journal block) that another
 * has locked, most often for its I/O: a read of the block, a write of it
 * (the jbd2 commit thread waiting for its journal blocks).
 *
 * Found: such a task sleeps in __wait_on_buffer() or __lock_buffer()
 * (wait_on_bit_io(), wait_on_bit_lock_io(), their out-of-line forms)
 * with an on-stack struct wait_bit_queue_entry { key { flags, bit_nr,
 * ... }, wq_entry } whose wait_queue_entry (private: the task, func:
 * wake_bit_function) is linked in one of the hashed bit wait queues: the
 * word equal to the task on its stack is the entry's private field, and
 * the words before it name the word and the bit.
 *
 * Proven: the entry names the task, lies on its stack and is linked in
 * a queue whose one node off every stack is the head the kernel hashes
 * that word and bit to (bit_waitqueue()); the bit is BH_Lock and the
 * word is the b_state of a buffer head: its size a power of two from
 * 512 bytes, its page a struct page of a valid pfn, its block device's
 * disk one that checks out. The bit is still set. Bit waits on other
 * words (an inode's state, a page's) are not claimed here.
 *
 * Owner: none. A buffer lock records no owner; a buffer locked for I/O
 * is unlocked when the device completes it, and its device is named.
 *
 * Name: "lock of block 1234 of sda (8:0)" (its entry: "buffer lock of
 * block ...").
 */
#include <linux/blkdev.h>
#include <linux/buffer_head.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/stddef.h>
#include <linux/wait_bit.h>

#include "compat.h"
#include "lib/lib.h"
#include "ops.h"

/* The wait_bit_queue_entry around an entry, in words from its private field. */
#define LW_WBQ_WORD(f)	(((long)offsetof(struct wait_bit_queue_entry, f) - \
			  (long)offsetof(struct wait_bit_queue_entry, wq_entry) - \
			  (long)offsetof(struct wait_queue_entry, private)) / \
			 (long)sizeof(long))
/* The largest block a buffer head maps. */
#define LW_BH_MAX	(1UL << 20)

static struct lw_name_verdict lw_wake_cache[1 << LW_NAME_CACHE_BITS];
static const char * const lw_wake_fn[] = { "wake_bit_function" };

/* The disk of the buffer head at @bh if it is one and @bit is set, or 0. */
static unsigned long lw_bh_disk(struct lw_scan *s, unsigned long bh, int bit)
{
	unsigned long state, page, bdev, disk, off;
	size_t size;

	if (bit != BH_Lock || !lw_kernel_ptr(bh) ||
	    lw_read(&state, bh + offsetof(struct buffer_head, b_state),
		    sizeof(state), s) || !((state >> bit) & 1) ||
	    lw_read(&size, bh + offsetof(struct buffer_head, b_size),
		    sizeof(size), s) || size < 512 || size > LW_BH_MAX ||
	    !is_power_of_2(size) ||
	    lw_read(&page, bh + offsetof(struct buffer_head, b_page),
		    sizeof(page), s) ||
	    page <= (unsigned long)pfn_to_page(0))
		return 0;
	off = page - (unsigned long)pfn_to_page(0);
	if (off % sizeof(struct page) || !pfn_valid(off / sizeof(struct page)) ||
	    lw_read(&bdev, bh + offsetof(struct buffer_head, b_bdev),
		    sizeof(bdev), s) || !lw_kernel_ptr(bdev) ||
	    lw_read(&disk, bdev + offsetof(struct block_device, bd_disk),
		    sizeof(disk), s) || !lw_disk_valid(s, disk))
		return 0;
	return disk;
}

/* Is stack word @i (of @sp) the private field of a buffer wait of @bt? */
static int lw_try_buffer(struct lw_scan *s, struct lw_task *bt,
			 unsigned long sp, unsigned int i)
{
	const unsigned long *words = s->stack;
	unsigned long w, head, word;
	int bit;

	if ((long)i < -LW_WBQ_WORD(key.flags) ||
	    i + LW_WQ_WORD(func) >= s->stack_words ||
	    !lw_addr_named(lw_wake_cache, words[i + LW_WQ_WORD(func)],
			   lw_wake_fn, ARRAY_SIZE(lw_wake_fn)))
		return -EINVAL;
	word = words[i + LW_WBQ_WORD(key.flags)];
	memcpy(&bit, &words[i + LW_WBQ_WORD(key.bit_nr)], sizeof(bit));
	if (!lw_bh_disk(s, word - offsetof(struct buffer_head, b_state), bit))
		return -EINVAL;
	/* Linked in the queue the kernel hashes this word and bit to. */
	head = lw_wq_entry_queue(s, sp, i, &w);
	if (!head || head != (unsigned long)&bit_waitqueue((void *)word, bit)->head)
		return -EINVAL;
	return lw_claim_at(s, bt, word - offsetof(struct buffer_head, b_state),
			   &lw_buffer_kind, LW_MODE_NONE, w);
}

static int lw_find_wait_buffer(struct lw_scan *s, struct lw_task *bt,
			       unsigned long sp)
{
	unsigned int i;

	for (i = 0; i < s->stack_words; i++)
		if (s->stack[i] == (unsigned long)bt->task &&
		    !lw_try_buffer(s, bt, sp, i))
			return 0;
	return -ENOENT;
}

/* No owner to read; it must still be a locked buffer head. */
static int lw_decode_buffer(struct lw_scan *s, struct lw_lock *l)
{
	return lw_bh_disk(s, l->addr, BH_Lock) ? 0 : -EAGAIN;
}

/* "lock of block 1234 of sda (8:0)": reports print "buffer" before it. */
static bool lw_name_buffer(struct lw_scan *s, const struct lw_lock *l,
			   char *buf, size_t len)
{
	unsigned long disk = lw_bh_disk(s, l->addr, BH_Lock);
	struct lw_disk d = { .addr = disk };
	sector_t block;

	if (!disk || lw_read(&block, l->addr +
			     offsetof(struct buffer_head, b_blocknr),
			     sizeof(block), s) || !lw_disk_name(s, &d))
		return false;
	snprintf(buf, len, "lock of block %llu of %s (%d:%d)",
		 (unsigned long long)block, d.name, d.major, d.minor);
	return true;
}

/* The disk the buffer's block is on. */
static unsigned long lw_buffer_device(struct lw_scan *s,
				      const struct lw_lock *l)
{
	return lw_bh_disk(s, l->addr, BH_Lock);
}

const struct lw_kind_ops lw_buffer_kind = {
	.id = LW_KIND_BUFFER,
	.name = "buffer",
	.wait = "buffer",
	.task_off = LW_WQ_TASK_OFF,
	.queue = true,
	.find = lw_find_wait_buffer,
	.decode = lw_decode_buffer,
	.name_wait = lw_name_buffer,
	.device = lw_buffer_device,
};

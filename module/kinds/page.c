// SPDX-License-Identifier: GPL-2.0
/*
 * A folio's (a page's) lock and writeback: a task that reads, writes,
 * faults or truncates a page that another has locked, and one that waits
 * for a page's I/O to complete (fsync, sync, truncate, migration).
 *
 * Found: such a task sleeps in folio_wait_bit_common() (5.10:
 * wait_on_page_bit_common()) with an on-stack struct wait_page_queue
 * { folio, bit_nr, wait } whose wait_queue_entry (private: the task,
 * func: wake_page_function) is linked in one of the hashed folio wait
 * queues (folio_wait_table, 5.10: page_wait_table): the word equal to
 * the task on its stack is the entry's private field, and the words
 * before it name the folio and the bit.
 *
 * Proven: the entry names the task, lies on its stack and is linked in a
 * queue whose one node off every stack is a head inside that table;
 * the folio is a struct page of a valid pfn, and its flags still have
 * that bit (PG_locked or PG_writeback) set.
 *
 * Owner: none. A page lock records no owner, and writeback ends when the
 * device completes the I/O: nothing names a task, so none is guessed.
 *
 * Name: "page lock of inode 131 (xfs 254:0) /mnt/x, offset 8192" or
 * "writeback of ...", the file named like an inode lock; a block
 * device's own page cache (a partition table read, a raw read of the
 * device) "... of block device nullb0 (252:0), offset 0"; "... of an
 * anonymous page" without one.
 *
 * Device: the disk under the file's file system, or the block device's
 * disk (its I/O is what ends the wait).
 */
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/pagemap.h>
#include <linux/stddef.h>
#include <linux/wait.h>

#include "compat.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "ops.h"

/*
 * Writeback waits of a folio are kept apart from its lock's: their key
 * is the folio's address with the low bit set (struct page is aligned).
 */
#define LW_WRITEBACK_KEY	1UL

/* The wait_page_queue around an entry, in words from its private field. */
#define LW_WPQ_WORD(f)	(((long)offsetof(struct wait_page_queue, f) - \
			  (long)offsetof(struct wait_page_queue, wait) - \
			  (long)offsetof(struct wait_queue_entry, private)) / \
			 (long)sizeof(long))
#define LW_WPQ_FIRST	LW_WPQ_WORD(LW_WAIT_PAGE_FIELD)


static struct lw_name_verdict lw_wake_cache[1 << LW_NAME_CACHE_BITS];
static struct lw_name_verdict lw_table_cache[1 << LW_NAME_CACHE_BITS];
static const char * const lw_wake_fn[] = { "wake_page_function" };
/* The hashed folio wait queues, by their name of each kernel. */
static const char * const lw_wait_tables[] = {
	"folio_wait_table", "page_wait_table",
};

/* The folio (struct page) at @p, if it is one, with @bit set in its flags. */
static bool lw_folio_has(struct lw_scan *s, unsigned long p, int bit)
{
	unsigned long off = p - (unsigned long)pfn_to_page(0), flags;

	return p > (unsigned long)pfn_to_page(0) &&
	       !(off % sizeof(struct page)) &&
	       pfn_valid(off / sizeof(struct page)) &&
	       (bit == PG_locked || bit == PG_writeback) &&
	       !lw_read(&flags, p + offsetof(struct LW_PAGE_STRUCT, flags), sizeof(flags), s) &&
	       (flags >> bit) & 1;
}

/* Is stack word @i (of @sp) the private field of a folio wait of @bt? */
static int lw_try_page(struct lw_scan *s, struct lw_task *bt,
		       unsigned long sp, unsigned int i)
{
	const unsigned long *words = s->stack;
	unsigned long w, head, folio;
	int bit;
	const struct lw_kind_ops *k;

	if ((long)i < -LW_WPQ_FIRST ||
	    i + LW_WQ_WORD(func) >= s->stack_words ||
	    !lw_addr_named(lw_wake_cache, words[i + LW_WQ_WORD(func)],
			   lw_wake_fn, ARRAY_SIZE(lw_wake_fn)))
		return -EINVAL;
	folio = words[i + LW_WPQ_FIRST];
	memcpy(&bit, &words[i + LW_WPQ_WORD(bit_nr)], sizeof(bit));
	if (!lw_folio_has(s, folio, bit))
		return -EINVAL;
	/* The queue is one of the hashed folio wait queues. */
	head = lw_wq_entry_queue(s, sp, i, &w);
	if (!head || !lw_addr_named(lw_table_cache, head, lw_wait_tables,
				    ARRAY_SIZE(lw_wait_tables)))
		return -EINVAL;
	k = bit == PG_locked ? &lw_page_kind : &lw_writeback_kind;
	return lw_claim_at(s, bt, folio | k->key, k, LW_MODE_NONE, w);
}

static int lw_find_wait_page(struct lw_scan *s, struct lw_task *bt,
			     unsigned long sp)
{
	unsigned int i;

	for (i = 0; i < s->stack_words; i++)
		if (s->stack[i] == (unsigned long)bt->task &&
		    !lw_try_page(s, bt, sp, i))
			return 0;
	return -ENOENT;
}

/* No owner to read; the bit must still be set. */
static int lw_decode_page(struct lw_scan *s, struct lw_lock *l)
{
	return lw_folio_has(s, l->addr, PG_locked) ? 0 : -EAGAIN;
}

static int lw_decode_writeback(struct lw_scan *s, struct lw_lock *l)
{
	return lw_folio_has(s, l->addr & ~LW_WRITEBACK_KEY, PG_writeback) ?
	       0 : -EAGAIN;
}

/*
 * A block device's own page cache (the bdev pseudo file system's inode of
 * the device): "writeback of block device 254:0".
 */
static bool lw_name_bdev_page(struct lw_scan *s, const char *what,
			      unsigned long inode, char *buf, size_t len)
{
	char *fs = s->nb.role;
	struct lw_disk d;
	unsigned long sb;
	umode_t mode;
	dev_t dev;

	if (lw_read(&mode, inode + offsetof(struct inode, i_mode), sizeof(mode),
		    s) || !S_ISBLK(mode) ||
	    lw_read(&sb, inode + offsetof(struct inode, i_sb), sizeof(sb), s) ||
	    !lw_name_sb(s, sb, false, fs, LW_NAME_LEN) ||
	    strncmp(fs, "bdev ", 5) ||
	    lw_read(&dev, inode + offsetof(struct inode, i_rdev), sizeof(dev), s))
		return false;
	d.addr = lw_bdev_disk(s, inode);
	if (d.addr && lw_disk_name(s, &d) &&
	    MKDEV(d.major, d.minor) == dev)
		snprintf(buf, len, "%s of block device %s (%d:%d)", what,
			 d.name, d.major, d.minor);
	else if (d.addr && d.major >= 0)
		snprintf(buf, len, "%s of block device %u:%u of %s (%d:%d)",
			 what, MAJOR(dev), MINOR(dev), d.name, d.major,
			 d.minor);
	else
		snprintf(buf, len, "%s of block device %u:%u", what,
			 MAJOR(dev), MINOR(dev));
	return true;
}

/*
 * The inode whose page cache folio @folio is in (its mapping's host,
 * whose mapping is that one), 0 if none; @anon: an anonymous page.
 */
static unsigned long lw_folio_host(struct lw_scan *s, unsigned long folio,
				   bool *anon)
{
	unsigned long mapping, host, imap;

	*anon = false;
	if (lw_read(&mapping, folio + offsetof(struct LW_PAGE_STRUCT, mapping),
		    sizeof(mapping), s))
		return 0;
	if (mapping & LW_MAPPING_ANON) {
		*anon = true;
		return 0;
	}
	if (!lw_kernel_ptr(mapping) ||
	    lw_read(&host, mapping + offsetof(struct address_space, host),
		    sizeof(host), s) || !lw_kernel_ptr(host) ||
	    lw_read(&imap, host + offsetof(struct inode, i_mapping),
		    sizeof(imap), s) || imap != mapping)
		return 0;
	return host;
}

static bool lw_name_folio(struct lw_scan *s, const struct lw_lock *l,
			  const char *what, char *buf, size_t len)
{
	unsigned long folio = l->addr & ~LW_WRITEBACK_KEY, host;
	pgoff_t index;
	bool anon;
	size_t n;

	if (lw_read(&index, folio + offsetof(struct LW_PAGE_STRUCT, index),
		    sizeof(index), s))
		return false;
	host = lw_folio_host(s, folio, &anon);
	if (anon) {
		snprintf(buf, len, "%s of an anonymous page", what);
		return true;
	}
	if (!host)
		return false;
	if (!lw_name_bdev_page(s, what, host, buf, len) &&
	    !lw_name_inode_lock(s, what, host, buf, len))
		return false;
	n = strlen(buf);
	snprintf(buf + n, len - n, ", offset %llu",
		 (unsigned long long)index << PAGE_SHIFT);
	return true;
}

/* "page lock of inode ...", "page lock of a page" where it cannot be told. */
static bool lw_name_page(struct lw_scan *s, const struct lw_lock *l,
			 char *buf, size_t len)
{
	if (!lw_name_folio(s, l, "page lock", buf, len))
		strscpy(buf, "page lock of a page", len);
	return true;
}

static bool lw_name_writeback(struct lw_scan *s, const struct lw_lock *l,
			      char *buf, size_t len)
{
	if (!lw_name_folio(s, l, "writeback", buf, len))
		strscpy(buf, "writeback of a page", len);
	return true;
}

/*
 * The disk of the file system the folio's file is on, or of the block
 * device whose own page cache it is in: its I/O (a read the folio stays
 * locked for, its writeback) is that disk's to complete.
 */
static unsigned long lw_folio_device(struct lw_scan *s,
				     const struct lw_lock *l)
{
	unsigned long host, sb, disk;
	bool anon;

	host = lw_folio_host(s, l->addr & ~LW_WRITEBACK_KEY, &anon);
	if (!host || lw_read(&sb, host + offsetof(struct inode, i_sb),
			     sizeof(sb), s))
		return 0;
	disk = lw_sb_disk(s, sb);
	return disk ? disk : lw_bdev_disk(s, host);
}

const struct lw_kind_ops lw_page_kind = {
	.id = LW_KIND_PAGE,
	.name = "folio",
	.wait = "page",
	.task_off = LW_WQ_TASK_OFF,
	.queue = true,
	.find = lw_find_wait_page,
	.decode = lw_decode_page,
	.name_wait = lw_name_page,
	.device = lw_folio_device,
};

/* Found by the page lock's finder: the same wait, on another bit. */
const struct lw_kind_ops lw_writeback_kind = {
	.id = LW_KIND_WRITEBACK,
	.name = "folio",
	.wait = "page",
	.key = LW_WRITEBACK_KEY,
	.task_off = LW_WQ_TASK_OFF,
	.queue = true,
	.decode = lw_decode_writeback,
	.name_wait = lw_name_writeback,
	.device = lw_folio_device,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty throttling: a writer paused in balance_dirty_pages() because the
 * page cache holds more dirty pages than the limits allow (vm.dirty_*,
 * the device's share of them), until the device's writeback brings them
 * down. It sleeps up to 200 ms at a time and checks again: behind a disk
 * that stopped completing I/O it never gets further (a wait that wakes
 * without progress: see "Stuck" in docs/reports.md).
 *
 * Found: the stack returns into balance_dirty_pages(), whose frame
 * holds the struct bdi_writeback it throttles against (its
 * dirty_throttle_control's wb).
 *
 * Proven: of the words on the stack, those that point at a struct
 * bdi_writeback of a live backing_dev_info (the wb's bdi, whose own
 * writeback points back at that bdi, and the wb the bdi's own or one
 * linked in its list of cgroup writebacks) all name one and the same
 * backing_dev_info: more than one, and the wait stays under its site.
 *
 * Owner: none. The device's writeback ends it; the chain ends at the
 * disk that owns the backing_dev_info.
 *
 * Name: "throttling of sda (8:0)", "throttling of a device" where the
 * disk cannot be told (its entry: "dirty throttling of sda (8:0)").
 */
#include <linux/backing-dev-defs.h>
#include <linux/stddef.h>

#include "compat.h"
#include "lib/lib.h"
#include "ops.h"

static struct lw_name_verdict lw_throttle_cache[1 << LW_NAME_CACHE_BITS];
static const char * const lw_throttle_fns[] = { "balance_dirty_pages" };

/* The backing_dev_info at @bdi, if its own writeback points back at it. */
static bool lw_bdi_valid(struct lw_scan *s, unsigned long bdi)
{
	unsigned long back;

	return lw_kernel_ptr(bdi) &&
	       !lw_read(&back, bdi + offsetof(struct backing_dev_info, wb) +
			offsetof(struct bdi_writeback, bdi), sizeof(back), s) &&
	       back == bdi;
}

/*
 * The backing_dev_info of the bdi_writeback at @wb, 0 if @wb is none:
 * the bdi's own, or (cgroup writeback) one linked in the bdi's wb_list.
 */
static unsigned long lw_wb_bdi(struct lw_scan *s, unsigned long wb)
{
	unsigned long bdi;
#ifdef CONFIG_CGROUP_WRITEBACK
	unsigned long node = wb + offsetof(struct bdi_writeback, bdi_node);
	struct lw_node n, m;
#endif

	if (!lw_kernel_ptr(wb) ||
	    lw_read(&bdi, wb + offsetof(struct bdi_writeback, bdi), sizeof(bdi),
		    s) || !lw_bdi_valid(s, bdi))
		return 0;
	if (wb == bdi + offsetof(struct backing_dev_info, wb))
		return bdi;
#ifdef CONFIG_CGROUP_WRITEBACK
	if (!lw_read_node(s, node, &n) && lw_kernel_ptr(n.next) &&
	    !lw_read_node(s, n.next, &m) && m.prev == node)
		return bdi;
#endif
	return 0;
}

static int lw_find_wait_dirty(struct lw_scan *s, struct lw_task *bt,
			      unsigned long sp)
{
	unsigned long bdi = 0, b;
	unsigned int i;

	if (!lw_frames_named(lw_throttle_cache, bt, lw_throttle_fns,
			     ARRAY_SIZE(lw_throttle_fns)))
		return -ENOENT;
	for (i = 0; i < s->stack_words; i++) {
		if (!lw_kernel_ptr(s->stack[i]))
			continue;
		b = lw_wb_bdi(s, s->stack[i]);
		if (!b || b == bdi)
			continue;
		if (bdi)
			return -ENOENT;
		bdi = b;
	}
	if (!bdi)
		return -ENOENT;
	return lw_claim_at(s, bt, bdi, &lw_dirty_kind, LW_MODE_NONE, 0);
}

/*
 * No waiter to be linked: the task has not run since its stack was read
 * (the scan checks that), so the frame it pauses in is as read.
 */
static bool lw_dirty_still(struct lw_scan *s, const struct lw_task *bt)
{
	return true;
}

/* No owner; the backing_dev_info must still check out. */
static int lw_decode_dirty(struct lw_scan *s, struct lw_lock *l)
{
	return lw_bdi_valid(s, l->addr) ? 0 : -EAGAIN;
}

/* The disk whose device owns the backing_dev_info, 0 if none. */
static unsigned long lw_dirty_device(struct lw_scan *s,
				     const struct lw_lock *l)
{
	return lw_bdi_disk(s, l->addr);
}

static bool lw_name_dirty(struct lw_scan *s, const struct lw_lock *l,
			  char *buf, size_t len)
{
	lw_name_of_disk(s, lw_dirty_device(s, l), "throttling",
			"throttling of a device", buf, len);
	return true;
}

const struct lw_kind_ops lw_dirty_kind = {
	.id = LW_KIND_DIRTY,
	.name = "dirty",
	.wait = "dirty",
	.find = lw_find_wait_dirty,
	.decode = lw_decode_dirty,
	.still = lw_dirty_still,
	.name_wait = lw_name_dirty,
	.device = lw_dirty_device,
};

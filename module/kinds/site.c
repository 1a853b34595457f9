// SPDX-License-Identifier: GPL-2.0
/*
 * Waits no decoder knows. A task in D state whose wait none of the
 * decoders can name is still reported: grouped with the others that
 * sleep in the same place, so that nothing stuck goes unreported.
 *
 * Found: its wait site (lib/site.c), the first return address on its
 * stack outside the scheduler and the generic sleeping primitives, e.g.
 * "msleep", "rpc_wait_bit_killable", "jbd2_log_wait_commit". A task
 * whose stack cannot be read sleeps at an unknown site.
 *
 * Proven: the stack is a snapshot like every other; the task is
 * re-validated as asleep with the same context-switch count.
 *
 * Owner: none. Nothing tells who would wake it, so nobody is named.
 *
 * Name: the site's function, with its module ("lw_dwait_fn
 * [lockwatch_scenarios]").
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "lib/lib.h"
#include "naming/naming.h"
#include "ops.h"

/* Tried last, with or without a stack: @sp is not needed, the frames are. */
static int lw_find_wait_site(struct lw_scan *s, struct lw_task *bt,
			     unsigned long sp)
{
	return lw_claim_at(s, bt, lw_wait_site(bt), &lw_site_kind,
			   LW_MODE_NONE, 0);
}

/* The name of a site: its function, or why there is none. */
static bool lw_name_wait_site(struct lw_scan *s, const struct lw_lock *l,
			      char *buf, size_t len)
{
	lw_name_site(l->addr, buf, len);
	return true;
}

/* Nothing to read: the site is where it sleeps, and stays so. */
static int lw_decode_site(struct lw_scan *s, struct lw_lock *l)
{
	return 0;
}

const struct lw_kind_ops lw_site_kind = {
	.id = LW_KIND_SITE,
	.name = "wait",
	.wait = "unknown",
	.unknown = true,
	.find = lw_find_wait_site,
	.decode = lw_decode_site,
	.name_wait = lw_name_wait_site,
};

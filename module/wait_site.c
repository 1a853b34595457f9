// SPDX-License-Identifier: GPL-2.0
/*
 * Waits no decoder knows. A task in D state whose wait none of the
 * decoders can name is still reported: grouped with the others that
 * sleep in the same place, so that nothing stuck goes unreported.
 *
 * Found: its wait site, the first return address on its stack outside
 * the scheduler and the generic sleeping primitives (schedule*,
 * io_schedule*, the completion, bit-wait and timeout helpers), e.g.
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
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"
#include "lockwatch.h"

/* The site of a task whose stack could not be read: no text lives here. */
#define LW_SITE_NO_STACK	1UL

/* Where every sleep goes through; the site is the caller of these. */
static const char * const lw_sleepers[] = {
	"__switch_to_asm", "__switch_to", "__schedule", "schedule",
	"schedule_preempt_disabled", "schedule_timeout",
	"schedule_timeout_uninterruptible", "schedule_timeout_killable",
	"schedule_timeout_idle", "schedule_hrtimeout",
	"schedule_hrtimeout_range", "schedule_hrtimeout_range_clock",
	"io_schedule", "io_schedule_timeout", "do_wait_for_common",
	"__wait_for_common", "wait_for_common", "wait_for_common_io",
	"wait_for_completion", "wait_for_completion_io",
	"wait_for_completion_timeout", "wait_for_completion_io_timeout",
	"wait_for_completion_killable", "wait_for_completion_state",
	"wait_for_completion_killable_timeout", "__wait_on_bit",
	"__wait_on_bit_lock", "out_of_line_wait_on_bit",
	"out_of_line_wait_on_bit_lock", "out_of_line_wait_on_bit_timeout",
	"bit_wait", "bit_wait_io", "bit_wait_timeout", "bit_wait_io_timeout",
};

/* Verdicts on return addresses: the site's function start, 0 a sleeper. */
#define LW_SITE_CACHE_BITS	8

static struct {
	unsigned long addr;
	unsigned long fn;
} lw_site_cache[1 << LW_SITE_CACHE_BITS];

/* The start of the function @addr is in; 0 for a sleeper or no symbol. */
static unsigned long lw_site_fn(unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long off;
	char *plus, *slash;
	size_t len, i;

	sprint_symbol(sym, addr);
	plus = strchr(sym, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!slash)
		return 0;
	*slash = '\0';
	if (kstrtoul(plus + 1, 16, &off) || off > addr)
		return 0;
	len = strcspn(sym, ".+");
	for (i = 0; i < ARRAY_SIZE(lw_sleepers); i++)
		if (strlen(lw_sleepers[i]) == len &&
		    !strncmp(sym, lw_sleepers[i], len))
			return 0;
	return addr - off;
}

int lw_find_wait_site(struct lw_scan *s, struct lw_task *bt)
{
	unsigned long site = bt->nframes ? 0 : LW_SITE_NO_STACK;
	unsigned int f, slot;
	int lk;

	for (f = 0; f < bt->nframes && !site; f++) {
		slot = hash_long(bt->frames[f], LW_SITE_CACHE_BITS);
		if (lw_site_cache[slot].addr != bt->frames[f]) {
			lw_site_cache[slot].addr = bt->frames[f];
			lw_site_cache[slot].fn = lw_site_fn(bt->frames[f]);
		}
		site = lw_site_cache[slot].fn;
	}
	if (!site)
		site = LW_SITE_NO_STACK;
	lk = lw_lock_at(s, site, LW_KIND_SITE);
	if (lk < 0)
		return lk;
	bt->lock = lk;
	bt->mode = LW_MODE_NONE;
	bt->waiter = 0;
	return 0;
}

/* The name of a site: its function, or why there is none. */
void lw_name_site(const struct lw_lock *l, char *buf, size_t len)
{
	if (l->addr == LW_SITE_NO_STACK || !lw_name_symbol(l->addr, buf, len))
		strscpy(buf, "(stack not readable)", len);
}

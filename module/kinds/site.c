// SPDX-License-Identifier: GPL-2.0
/*
 * Waits no decoder knows. A task in D state whose wait none of the
 * decoders can name is still reported: grouped with the others that
 * sleep in the same place, so that nothing stuck goes unreported.
 *
 * Found: its wait site, the first return address on its stack outside
 * the scheduler and the generic sleeping primitives (schedule*,
 * io_schedule*, the completion, bit-wait and timeout helpers), e.g.
 * "msleep", "rpc_wait_bit_killable", "jbd2_log_wait_commit". The stack
 * is scanned, not unwound, so a stale return address left in a frame can
 * come first: a frame counts only when the return address above it
 * follows a call into its function (or an indirect call, which cannot
 * be checked). A task whose stack cannot be read sleeps at an unknown
 * site.
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
#include <linux/uaccess.h>

#include "compat.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "ops.h"

/*
 * The sites of a task whose stack could not be read, and of one whose
 * stack shows only sleeping primitives: no text lives at these.
 */
#define LW_SITE_NO_STACK	1UL
#define LW_SITE_NO_CALLER	2UL

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
	u32 gen;			/* lw_text_gen() */
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

/* How far before a function a direct call may land (call thunks). */
#define LW_CALL_PAD	64

/*
 * Does the call that return address @ret follows go into the function
 * at @fn? Only a direct call can say no (lw_call_before()), and only when
 * it lands at the start of another named function: a thunk (retpoline,
 * ITS, some allocated at boot with no symbol), a module's PLT entry or a
 * linker veneer stands for a callee it does not name.
 */
static bool lw_called_from(unsigned long ret, unsigned long fn)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long target;

	if (lw_call_before(ret, &target, NULL) != LW_CALL_DIRECT)
		return true;
	if (target <= fn && fn - target <= LW_CALL_PAD)
		return true;
	sprint_symbol(sym, target);
	return !strncmp(sym, "0x", 2) || strstr(sym, "thunk") ||
	       !strstr(sym, "+0x0/");
}

/* The function of frame @f, 0 for a sleeper (cached). */
static unsigned long lw_frame_fn(unsigned long addr)
{
	unsigned int slot = hash_long(addr, LW_SITE_CACHE_BITS);

	if (lw_site_cache[slot].addr != addr ||
	    lw_site_cache[slot].gen != lw_text_gen()) {
		lw_site_cache[slot].addr = addr;
		lw_site_cache[slot].fn = lw_site_fn(addr);
		lw_site_cache[slot].gen = lw_text_gen();
	}
	return lw_site_cache[slot].fn;
}

/* Tried last, with or without a stack: @sp is not needed, the frames are. */
static int lw_find_wait_site(struct lw_scan *s, struct lw_task *bt,
			     unsigned long sp)
{
	unsigned long site = 0, fn;
	unsigned int f;

	for (f = 0; f < bt->nframes && !site; f++) {
		fn = lw_frame_fn(bt->frames[f]);
		if (fn && (f + 1 == bt->nframes ||
			   lw_called_from(bt->frames[f + 1], fn)))
			site = fn;
	}
	if (!site)
		site = bt->nframes ? LW_SITE_NO_CALLER : LW_SITE_NO_STACK;
	return lw_claim_at(s, bt, site, &lw_site_kind, LW_MODE_NONE, 0);
}

/* The name of a site: its function, or why there is none. */
static bool lw_name_site(struct lw_scan *s, const struct lw_lock *l,
			 char *buf, size_t len)
{
	if (l->addr == LW_SITE_NO_STACK)
		strscpy(buf, "(stack not readable)", len);
	else if (l->addr == LW_SITE_NO_CALLER ||
		 !lw_name_symbol(l->addr, buf, len))
		strscpy(buf, "(no caller of the scheduler on its stack)", len);
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
	.name_wait = lw_name_site,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * Where a task sleeps: the first return address on its stack outside the
 * scheduler and the generic sleeping primitives (schedule*, io_schedule*,
 * the completion, bit-wait and timeout helpers). The stack is scanned,
 * not unwound, so a stale return address left in a frame can come first:
 * a frame counts only when the return address above it follows a call
 * into its function (or an indirect call, which cannot be checked), or,
 * stale ones in between, one of the next few follows a direct call into
 * it. The
 * catch-all kind (kinds/site.c) files waits under it, and the report
 * says where an owner that waits for no lock sleeps.
 */
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat.h"
#include "lib.h"

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
enum { LW_FROM_NOT, LW_FROM_MAYBE, LW_FROM_INTO };

static int lw_called_from(unsigned long ret, unsigned long fn)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long target;

	if (lw_call_before(ret, &target, NULL) != LW_CALL_DIRECT)
		return LW_FROM_MAYBE;
	if (target <= fn && fn - target <= LW_CALL_PAD)
		return LW_FROM_INTO;
	sprint_symbol(sym, target);
	return !strncmp(sym, "0x", 2) || strstr(sym, "thunk") ||
	       !strstr(sym, "+0x0/") ? LW_FROM_MAYBE : LW_FROM_NOT;
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

/* How far above a frame its caller may be, past stale return addresses. */
#define LW_SITE_REACH		4

/*
 * Is frame @f of @bt, in function @fn, a real one? The return address
 * above it may follow a call into @fn (or one that cannot be checked);
 * or stale ones sit in between, and one of the next few follows a direct
 * call into @fn.
 */
static bool lw_frame_real(const struct lw_task *bt, unsigned int f,
			  unsigned long fn)
{
	unsigned int up;

	if (f + 1 == bt->nframes ||
	    lw_called_from(bt->frames[f + 1], fn) != LW_FROM_NOT)
		return true;
	for (up = f + 2; up < bt->nframes && up <= f + LW_SITE_REACH; up++)
		if (lw_called_from(bt->frames[up], fn) == LW_FROM_INTO)
			return true;
	return false;
}

/*
 * Where @bt sleeps, from its frames: the start of the function, or
 * LW_SITE_NO_CALLER / LW_SITE_NO_STACK.
 */
unsigned long lw_wait_site(const struct lw_task *bt)
{
	unsigned long fn;
	unsigned int f;

	for (f = 0; f < bt->nframes; f++) {
		fn = lw_frame_fn(bt->frames[f]);
		if (fn && lw_frame_real(bt, f, fn))
			return fn;
	}
	return bt->nframes ? LW_SITE_NO_CALLER : LW_SITE_NO_STACK;
}

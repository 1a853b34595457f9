// SPDX-License-Identifier: GPL-2.0
/*
 * What the finders ask of the registry: which kind a function on a
 * stack belongs to (a lock slow path, PREEMPT_RT's entry points), and
 * the proof of a lock a finder named (the blocker record, the
 * tracepoint), by the kind's own claim or by finding a waiter of the
 * task in its wait list.
 */
#include <linux/kallsyms.h>
#include <linux/string.h>

#include "find.h"
#include "kinds/kind.h"
#include "lib/lib.h"

/*
 * The kind whose slow path (struct lw_kind_ops.slowpaths) or, with @rt,
 * PREEMPT_RT entry point (rt_entries) text address @addr is in, compared
 * by the name before any '.' ("__mutex_lock.constprop.0"), and its mode;
 * LW_KIND_NONE for any other function.
 */
u8 lw_kind_of_fn(unsigned long addr, bool rt, u8 *mode)
{
	char sym[KSYM_SYMBOL_LEN];
	const struct lw_slowpath *fns;
	unsigned int i, n;
	size_t len;
	u8 kind;

	*mode = LW_MODE_NONE;
	sprint_symbol_no_offset(sym, addr);
	len = strcspn(sym, ". ");
	for (kind = 1; kind < LW_KINDS; kind++) {
		fns = rt ? lw_kind(kind)->rt_entries : lw_kind(kind)->slowpaths;
		n = rt ? lw_kind(kind)->nrt_entries : lw_kind(kind)->nslowpaths;
		for (i = 0; i < n; i++) {
			if (strlen(fns[i].fn) == len &&
			    !strncmp(sym, fns[i].fn, len)) {
				*mode = fns[i].mode;
				return kind;
			}
		}
	}
	return LW_KIND_NONE;
}

int lw_found(struct lw_scan *s, struct lw_task *bt, unsigned long lock,
	     u8 kind, u8 mode)
{
	const struct lw_kind_ops *k = lw_kind(kind);

	if (!k)
		return -EINVAL;
	if (k->claim)
		return k->claim(s, bt, lock, mode);
	return lw_claim_wait(s, bt, lock, k, mode);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Which function a text address is in, compared by name: the kinds and
 * finders recognise the waits they know by the functions on a stack.
 */
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/string.h>

#include "compat.h"
#include "lib.h"

/*
 * Is @addr in one of the functions @names, compared by the name before
 * any '.' ("__mutex_lock.constprop.0")? Returns its index, or -1.
 */
int lw_match_name(unsigned long addr, const char *const *names, size_t n)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t len, i;

	sprint_symbol_no_offset(sym, addr);
	len = strcspn(sym, ". ");
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && !strncmp(sym, names[i], len))
			return i;
	return -1;
}

/*
 * Is @addr in one of @names? The answer is kept in @cache (1 <<
 * LW_NAME_CACHE_BITS slots, of this generation of module text): the same
 * few addresses recur on every scan.
 * Only the scan calls this, so the caches need no lock.
 */
bool lw_addr_named(struct lw_name_verdict *cache, unsigned long addr,
		   const char *const *names, size_t n)
{
	struct lw_name_verdict *v = &cache[hash_long(addr, LW_NAME_CACHE_BITS)];
	u32 gen = lw_text_gen();

	/* Kernel and module text only: a word of data is no function. */
	if (!lw_text_addr(addr))
		return false;
	if (v->addr != addr || v->gen != gen) {
		v->addr = addr;
		v->gen = gen;
		v->yes = lw_match_name(addr, names, n) >= 0;
	}
	return v->yes;
}

/* Does a frame of @bt's stack return into one of the functions @names? */
bool lw_frames_named(struct lw_name_verdict *cache, const struct lw_task *bt,
		     const char *const *names, size_t n)
{
	unsigned int f;

	for (f = 0; f < bt->nframes; f++)
		if (lw_addr_named(cache, bt->frames[f], names, n))
			return true;
	return false;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Memory at load: everything lockwatch uses, allocated once. On a host
 * whose memory is tight, reclaim may wait for what is stuck (writeback
 * to a dead disk): an allocation here tries reclaim once, never the OOM
 * killer, and a failure fails the load with a line that says what for.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/slab.h>

#include "lib.h"

void *lw_alloc(size_t n, size_t size, const char *what)
{
	void *p = kvcalloc(n, size, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);

	if (!p)
		pr_err("cannot allocate %zu KiB for %s at load: memory is tight; not loaded\n",
		       DIV_ROUND_UP(n * size, 1024), what);
	return p;
}

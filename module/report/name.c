// SPDX-License-Identifier: GPL-2.0
/*
 * A lock's name: what its kind calls it, else the symbol of a global,
 * else what its kind knows it to be (an inode's, a super block's), else
 * what any lock may be (a file system's lock by its layout from BTF, one
 * on a task's stack, one near an inode, one in a module's data), else
 * "anonymous KIND".
 */
#include <linux/string.h>

#include "compat.h"
#include "kinds/kind.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "report.h"

static void lw_name_any(struct lw_scan *s, const struct lw_lock *l, char *buf,
			size_t len)
{
	const struct lw_kind_ops *k = lw_kind(l->kind);

	if (k->name_wait && k->name_wait(s, l, buf, len))
		return;
	if (LW_DATA_SYMBOLS && lw_name_symbol(l->addr, buf, len))
		return;
	if (k->name_object && k->name_object(s, l, buf, len))
		return;

	if (lw_name_layout_lock(s, l, buf, len))
		return;
	if (lw_name_on_stack(s, l, k->name, buf, len))
		return;
	if (k->in_inode && lw_name_near_inode(s, l, buf, len))
		return;
	if (!LW_DATA_SYMBOLS && lw_name_module_data(l, k->name, buf, len))
		return;
	snprintf(buf, len, "anonymous %s", k->name);
}

/*
 * A name is one line of a report: a file or cgroup name may hold any
 * byte but '/' and NUL, and a newline in it would forge report lines.
 */
void lw_name_lock(struct lw_scan *s, const struct lw_lock *l, char *buf,
		  size_t len)
{
	lw_name_any(s, l, buf, len);
	lw_printable(buf);
}

// SPDX-License-Identifier: GPL-2.0
/* The registry of kinds (kinds/list.h), by enum lw_kind. */
#include "kind.h"

const struct lw_kind_ops *const lw_kinds[LW_KINDS] = {
#define LW_KIND(id, ops) \
	[LW_KIND_##id] = &(ops),
#include "list.h"
#undef LW_KIND
};

const char *lw_kind_name(u8 kind)
{
	return lw_kind(kind) ? lw_kind(kind)->name : kind ? "?" : "none";
}

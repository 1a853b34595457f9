/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry of kinds. A kind of wait is data: one struct lw_kind_ops
 * (kinds/ops.h), defined in the kind's own file under kinds/, and one
 * line of the registry (kinds/list.h).
 * The scan, the cross-check, the self-test, stats, the report and the
 * metrics go through the registry; nothing outside a kind's file calls
 * that kind's functions. A kind's file uses the helpers of lib/ and
 * naming/ only, never the scan, the report or another kind.
 *
 * The smallest kind, kinds/site.c, is the worked example; kinds/page.c
 * shows one file with two kinds (a folio's lock and its writeback).
 */
#ifndef LOCKWATCH_KIND_H
#define LOCKWATCH_KIND_H

#include "ops.h"

/* kinds/registry.c: the kinds by enum lw_kind, NULL for LW_KIND_NONE. */
extern const struct lw_kind_ops *const lw_kinds[LW_KINDS];

static inline const struct lw_kind_ops *lw_kind(u8 kind)
{
	return kind < LW_KINDS ? lw_kinds[kind] : NULL;
}

const char *lw_kind_name(u8 kind);

#endif /* LOCKWATCH_KIND_H */

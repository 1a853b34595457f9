/* SPDX-License-Identifier: GPL-2.0 */
/*
 * selftest/: waits made at load and scanned to judge each kind's
 * decoder, and layouts tried before they are taken.
 */
#ifndef LOCKWATCH_SELFTEST_H
#define LOCKWATCH_SELFTEST_H

#include "lockwatch.h"

int lw_selftest(struct lw_scan *s);
int lw_selftest_layouts(struct lw_scan *s, const struct lw_layouts *t,
			const char **why);
int lw_selftest_skew(const char *name);
/* The kinds the self-test covers, for stats: -1 ends the list. */
int lw_selftest_kind(int i);

#endif /* LOCKWATCH_SELFTEST_H */

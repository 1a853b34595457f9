/* SPDX-License-Identifier: GPL-2.0 */
/*
 * selftest/: waits made at load and scanned to judge each kind's
 * decoder, and layouts tried before they are taken.
 */
#ifndef LOCKWATCH_SELFTEST_H
#define LOCKWATCH_SELFTEST_H

#include "lockwatch.h"

struct mutex;

int lw_selftest_start(struct lw_scan *s, struct mutex *lock);
bool lw_selftest_wait(unsigned int ms);
bool lw_selftest_pending(void);
const char *lw_selftest_doing(void);
void lw_selftest_stop(void);
int lw_selftest_layouts(struct lw_scan *s, struct mutex *lock,
			const struct lw_layouts *t, const char **why);
int lw_selftest_skew(const char *name);
/* The kinds the self-test covers, for stats: -1 ends the list. */
int lw_selftest_kind(int i);

#endif /* LOCKWATCH_SELFTEST_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scan/: one scan, the walk of every thread, each blocked one's wait
 * found (find/, kinds/) and re-validated, the wait-for graph built and
 * what is confirmed decided. Only main.c and the self-test run scans.
 */
#ifndef LOCKWATCH_SCAN_H
#define LOCKWATCH_SCAN_H

#include "lockwatch.h"

int lw_scan_init(struct lw_scan *s, int max_tasks);
void lw_scan_free(struct lw_scan *s);
void lw_scan_run(struct lw_scan *s);
void lw_scan_only(struct lw_scan *s, struct task_struct **only, int n,
		  const struct lw_layouts *layouts);
void lw_scan_forget(struct lw_scan *s);

#endif /* LOCKWATCH_SCAN_H */

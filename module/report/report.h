/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report/: what a scan decided, as text: the cycles and chains rendered
 * and published for debugfs, new cycles logged, and locks named (with
 * each kind's own name first). It reads the scan's results and never
 * changes them.
 */
#ifndef LOCKWATCH_REPORT_H
#define LOCKWATCH_REPORT_H

#include "lockwatch.h"

struct lw_buf;

/* report/report.c */
int lw_report_init(void);
size_t lw_report_bytes(void);
void lw_report_exit(void);
void lw_report_publish(struct lw_scan *s);
const struct lw_buf *lw_report_get(enum lw_report which);
void lw_report_put(const struct lw_buf *b);
void lw_report_stats(struct lw_stats *st);

/* report/name.c */
void lw_name_lock(struct lw_scan *s, const struct lw_lock *l, char *buf,
		  size_t len);

#endif /* LOCKWATCH_REPORT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* What the reader makes of the reports: one file each. */
#ifndef LOCKWATCH_OUTPUT_H
#define LOCKWATCH_OUTPUT_H

#include <stdbool.h>

#include "load.h"

enum { LW_EXIT_OK = 0, LW_EXIT_CYCLES = 1, LW_EXIT_ERROR = 2 };
enum { LW_CHECK_OK, LW_CHECK_WARNING, LW_CHECK_CRITICAL, LW_CHECK_UNKNOWN };

/* text.c: cycles and chains in sentences, for a person. */
void lw_print_text(const struct lw_all *a);
/* json.c: one JSON document. */
void lw_print_json(const struct lw_all *a);
/*
 * prom.c: node_exporter textfile metrics, written whole or not at all;
 * @a NULL when no report could be read.
 */
int lw_write_prometheus(const char *file, const struct lw_all *a);
/* dot.c: the wait-for graph as Graphviz DOT; 0, or -1 out of memory. */
int lw_print_dot(const struct lw_all *a);
/*
 * why.c: task @pid's story to its root, from the reports; @live when they
 * are the module's own (then /proc says what a task in none is).
 */
int lw_why(const struct lw_all *a, int pid, bool json, bool live);
/* check.c: one line and a monitoring-plugin exit status. */
int lw_check(const char *dir, long warn, long crit);
int lw_check_reports(const struct lw_all *a, long warn, long crit);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* lockwatch watch: follow the module and log each new cycle once. */
#ifndef LOCKWATCH_WATCH_H
#define LOCKWATCH_WATCH_H

#include "report.h"

/*
 * Read DIR every @interval seconds until SIGTERM or SIGINT; log each new
 * cycle once and its end, to journald or else syslog; rewrite @prom if
 * set. Returns the exit status.
 */
int lw_watch(const char *dir, unsigned int interval, const char *prom);

/* A cycle's identity: its tasks and the locks they wait for. */
unsigned long long lw_cycle_id(const struct lw_rcycle *cy);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* lockwatch watch: follow the module, log each new cycle and stuck chain once. */
#ifndef LOCKWATCH_WATCH_H
#define LOCKWATCH_WATCH_H

#include "report.h"

/*
 * Read DIR every @interval seconds until SIGTERM or SIGINT; log each new
 * cycle once and its end, and each chain stuck for @stuck_s seconds or
 * more once and its end, to journald or else syslog; rewrite @prom if
 * set. Returns the exit status.
 */
int lw_watch(const char *dir, unsigned int interval, unsigned int stuck_s,
	     const char *prom);

/* A cycle's identity: its tasks and the locks they wait for. */
unsigned long long lw_cycle_id(const struct lw_rcycle *cy);

#endif

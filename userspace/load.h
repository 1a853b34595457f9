/* SPDX-License-Identifier: GPL-2.0 */
/* The module's three reports, read together, and what they add up to. */
#ifndef LOCKWATCH_LOAD_H
#define LOCKWATCH_LOAD_H

#include <stddef.h>

#include "report.h"

/* The reports, in debugfs, read-only. */
#define LW_DEFAULT_DIR "/sys/kernel/debug/lockwatch"
/* The module's controls (scan, layouts), in sysfs: lockdown lets them be written. */
#define LW_CONTROL_DIR "/sys/kernel/lockwatch"

struct lw_all {
	struct lw_report cycles;
	struct lw_chains chains;
	struct lw_stats stats;
	struct lw_devices devices;	/* none from a module without the file */
};

/*
 * Read and parse cycles, chains, stats and devices in @dir (devices may
 * be missing: a module or a saved report without it); 0 or a reason in
 * @msg.
 */
int lw_load(const char *dir, struct lw_all *a, char *msg, size_t len);
void lw_free_all(struct lw_all *a);
/* Why @dir cannot be read, in words an operator can act on. */
void lw_explain_missing(const char *dir, char *msg, size_t len);

long lw_longest_blocked(const struct lw_all *a);
int lw_stuck_waiters_of(const struct lw_all *a, const char *wait);
int lw_stuck_waiters(const struct lw_all *a);
int lw_lock_chains(const struct lw_all *a);
long long lw_left_out(const struct lw_all *a);
/*
 * The decoders the module's self-test switched off ("semaphore", "mutex
 * and semaphore"), into @buf; how many.
 */
int lw_decoders_off(const struct lw_all *a, char *buf, size_t len);
const char *lw_plural(long n, const char *one, const char *many);

#endif

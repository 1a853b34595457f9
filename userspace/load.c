// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the module's reports: cycles, chains and stats from one
 * directory, each parsed strictly, and what every output says of them
 * (how many are stuck, for how long).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>

#include "load.h"

#define LW_MAX_REPORT (64L * 1024 * 1024)
#define LW_DEBUGFS_MAGIC 0x64626720

/* Why DIR cannot be read, in words an operator can act on. */
void lw_explain_missing(const char *dir, char *msg, size_t len)
{
	struct statfs fs;

	if (strcmp(dir, LW_DEFAULT_DIR))
		snprintf(msg, len, "cannot read the reports in %s", dir);
	else if (statfs("/sys/kernel/debug", &fs) != 0 ||
		 fs.f_type != LW_DEBUGFS_MAGIC)
		snprintf(msg, len, "debugfs is not mounted on /sys/kernel/debug (mount -t debugfs none /sys/kernel/debug)");
	else
		snprintf(msg, len, "the lockwatch module is not loaded (no %s)",
			 LW_DEFAULT_DIR);
}

static char *lw_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 65536, n;
	char *buf, *nbuf;
	int saved;

	if (!f)
		return NULL;
	buf = malloc(cap + 1);
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len < cap)
			continue;
		if (cap >= LW_MAX_REPORT) {
			errno = EFBIG;
			goto fail;
		}
		cap *= 2;
		nbuf = realloc(buf, cap + 1);
		if (!nbuf)
			goto fail;
		buf = nbuf;
	}
	if (!buf || ferror(f))
		goto fail;
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		free(buf);
		errno = EINVAL;
		return NULL;
	}
	return buf;
fail:
	saved = errno;
	free(buf);
	fclose(f);
	errno = saved;
	return NULL;
}

/* Read and parse DIR/cycles, chains, stats and devices; a message on failure. */
int lw_load(const char *dir, struct lw_all *a, char *msg, size_t len)
{
	static const char *const files[] = {
		"cycles", "chains", "stats", "devices",
	};
	char path[4096], err[256];
	char *text;
	int i, ret;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < (int)LW_ARRAY_SIZE(files); i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, files[i]) >=
		    (int)sizeof(path)) {
			snprintf(msg, len, "directory name too long");
			return -1;
		}
		text = lw_slurp(path);
		if (!text && i == 3 && errno == ENOENT)
			break;
		if (!text) {
			/* ENXIO, ENODEV: the module went away while we opened it */
			if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
				lw_explain_missing(dir, msg, len);
			else if (errno == EACCES)
				snprintf(msg, len, "cannot read %s: permission denied (run as root)",
					 path);
			else
				snprintf(msg, len, "cannot read %s: %s", path,
					 strerror(errno));
			return -1;
		}
		err[0] = '\0';
		if (i == 0)
			ret = lw_parse_cycles(text, &a->cycles, err, sizeof(err));
		else if (i == 1)
			ret = lw_parse_chains(text, &a->chains, err, sizeof(err));
		else if (i == 2)
			ret = lw_parse_stats(text, &a->stats, err, sizeof(err));
		else
			ret = lw_parse_devices(text, &a->devices, err, sizeof(err));
		free(text);
		if (ret) {
			snprintf(msg, len, "malformed report %s: %s", path, err);
			return -1;
		}
	}
	return 0;
}

void lw_free_all(struct lw_all *a)
{
	lw_report_free(&a->cycles);
	lw_chains_free(&a->chains);
	lw_devices_free(&a->devices);
}

long lw_longest_blocked(const struct lw_all *a)
{
	long longest = 0;
	int c, i;

	for (c = 0; c < a->cycles.ncycles; c++)
		for (i = 0; i < a->cycles.cycles[c].ntasks; i++)
			if (a->cycles.cycles[c].tasks[i].blocked_s > longest)
				longest = a->cycles.cycles[c].tasks[i].blocked_s;
	for (c = 0; c < a->chains.nchains; c++)
		for (i = 0; i < a->chains.chains[c].nwaiters; i++)
			if (a->chains.chains[c].waiters[i].blocked_s > longest)
				longest = a->chains.chains[c].waiters[i].blocked_s;
	return longest;
}

/* Tasks stuck in chain entries: all of them, or those of one kind of wait. */
int lw_stuck_waiters_of(const struct lw_all *a, const char *wait)
{
	int c, n = 0;

	for (c = 0; c < a->chains.nchains; c++)
		if (!wait || !strcmp(a->chains.chains[c].wait, wait))
			n += a->chains.chains[c].nwaiters;
	return n;
}

int lw_stuck_waiters(const struct lw_all *a)
{
	return lw_stuck_waiters_of(a, NULL);
}

/* Chain entries of locks and semaphores, not of waits known by site. */
int lw_lock_chains(const struct lw_all *a)
{
	int c, n = 0;

	for (c = 0; c < a->chains.nchains; c++)
		n += strcmp(a->chains.chains[c].wait, "unknown") != 0;
	return n;
}

const char *lw_plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int lw_decoders_off(const struct lw_all *a, char *buf, size_t len)
{
	const struct lw_stats *st = &a->stats;
	int i, n = 0, shown = 0;
	size_t at = 0;

	buf[0] = '\0';
	for (i = 0; i < st->n; i++)
		n += !strncmp(st->name[i], "selftest_off_", 13) && st->value[i];
	for (i = 0; i < st->n && at < len; i++) {
		if (strncmp(st->name[i], "selftest_off_", 13) || !st->value[i])
			continue;
		shown++;
		at += snprintf(buf + at, len - at, "%s%s",
			       shown == 1 ? "" : shown == n ? " and " : ", ",
			       st->name[i] + 13);
	}
	return n;
}

/* Blocked tasks the last scan left out (more than max_tasks). */
long long lw_left_out(const struct lw_all *a)
{
	long long n = lw_stat(&a->stats, "overflows");

	return n > 0 ? n : 0;
}

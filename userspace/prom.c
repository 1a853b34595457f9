// SPDX-License-Identifier: GPL-2.0
/* The reader's node_exporter textfile metrics. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

static void lw_metric(FILE *f, const char *name, const char *type,
		      const char *help, double value)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%s %.9g\n", name, help, name,
		type, name, value);
}

/* The disks chains end at: requests in flight, the oldest's age, tasks behind. */
static void lw_device_metrics(FILE *f, const struct lw_devices *d)
{
	static const struct {
		const char *name, *help;
	} m[] = {
		{ "lockwatch_device_inflight",
		  "Requests the driver of a disk that stuck tasks wait for has not completed." },
		{ "lockwatch_device_oldest_request_seconds",
		  "Age of the oldest of those requests (absent when no start was recorded)." },
		{ "lockwatch_device_stuck_tasks",
		  "Stuck tasks whose chain ends at the disk's I/O." },
	};
	const struct lw_rdevice *dv;
	int k, i;

	for (k = 0; k < (int)LW_ARRAY_SIZE(m); k++) {
		fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", m[k].name,
			m[k].help, m[k].name);
		for (i = 0; i < d->ndevices; i++) {
			dv = &d->devices[i];
			if ((k == 0 && dv->inflight < 0) ||
			    (k == 1 && dv->oldest_s < 0))
				continue;
			fprintf(f, "%s{device=\"%s\"} %ld\n", m[k].name, dv->name,
				k == 0 ? dv->inflight : k == 1 ? dv->oldest_s :
				dv->behind);
		}
	}
}

/*
 * node_exporter textfile metrics, written whole or not at all: into a
 * temporary file beside FILE, then renamed over it. @a is NULL when no
 * report could be read.
 */
int lw_write_prometheus(const char *file, const struct lw_all *a)
{
	char tmp[4096];
	int i, nd;
	FILE *f;
	int ok;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", file, (int)getpid()) >=
	    (int)sizeof(tmp)) {
		fprintf(stderr, "lockwatch: %s: name too long\n", file);
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "lockwatch: cannot write %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	lw_metric(f, "lockwatch_module_loaded", "gauge",
		  "Whether the lockwatch module's reports could be read (1) or not (0).",
		  a ? 1 : 0);
	if (a) {
		lw_metric(f, "lockwatch_cycles", "gauge",
			  "Confirmed deadlock cycles.", a->cycles.ncycles);
		lw_metric(f, "lockwatch_stuck_chains", "gauge",
			  "Locks with tasks stuck behind them outside a cycle.",
			  a->chains.nchains);
		lw_metric(f, "lockwatch_blocked_tasks", "gauge",
			  "Tasks confirmed stuck, in cycles, chains or waits known by their site.",
			  lw_stat(&a->stats, "stuck") > 0 ? lw_stat(&a->stats, "stuck") : 0);
		fprintf(f, "# HELP lockwatch_stuck_tasks Tasks confirmed stuck, by the kind of wait.\n"
			"# TYPE lockwatch_stuck_tasks gauge\n");
		/* Every bucket the module counts (stuck_WAIT), in its order. */
		for (i = 0; i < a->stats.n; i++)
			if (!strncmp(a->stats.name[i], "stuck_", 6))
				fprintf(f, "lockwatch_stuck_tasks{wait=\"%s\"} %llu\n",
					a->stats.name[i] + 6, a->stats.value[i]);
		lw_metric(f, "lockwatch_stuck_waking_tasks", "gauge",
			  "Stuck tasks that wake now and then and go back to the same wait without progress (retries, retransmits, polling).",
			  lw_stat(&a->stats, "woke_while_stuck") > 0 ?
			  lw_stat(&a->stats, "woke_while_stuck") : 0);
		lw_device_metrics(f, &a->devices);
		lw_metric(f, "lockwatch_longest_blocked_seconds", "gauge",
			  "Longest time a stuck task has been seen blocked.",
			  lw_longest_blocked(a));
		lw_metric(f, "lockwatch_scan_duration_seconds", "gauge",
			  "Duration of the module's last scan.",
			  lw_stat(&a->stats, "last_scan_us") / 1e6);
		lw_metric(f, "lockwatch_tasks_not_examined", "gauge",
			  "Blocked tasks the last scan left out (beyond max_tasks).",
			  lw_left_out(a));
		for (i = 0, nd = 0; i < a->stats.n; i++) {
			if (strncmp(a->stats.name[i], "selftest_off_", 13))
				continue;
			if (!nd++)
				fprintf(f, "# HELP lockwatch_decoder_off Decoders the module's self-test at load switched off (1), by kind.\n"
					"# TYPE lockwatch_decoder_off gauge\n");
			fprintf(f, "lockwatch_decoder_off{kind=\"%s\"} %llu\n",
				a->stats.name[i] + 13, a->stats.value[i]);
		}
		lw_metric(f, "lockwatch_selftest_pending", "gauge",
			  "Whether the module's self-test at load is still running (1): the kinds it tests are unjudged meanwhile.",
			  lw_stat(&a->stats, "selftest_pending") > 0);
		lw_metric(f, "lockwatch_scans_total", "counter",
			  "Scans done since the module was loaded.",
			  lw_stat(&a->stats, "scans"));
	}
	ok = !ferror(f) && fflush(f) == 0 && fsync(fileno(f)) == 0;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, file) != 0) {
		fprintf(stderr, "lockwatch: cannot write %s: %s\n", file, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

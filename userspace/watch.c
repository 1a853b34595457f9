// SPDX-License-Identifier: GPL-2.0
/*
 * lockwatch watch: read the module's reports at an interval (debugfs
 * files cannot be polled) and log each new deadlock cycle once, and once
 * more when it is gone; the same for each chain of tasks stuck behind a
 * lock or wait for at least the --stuck threshold, and each disk that has
 * not completed a request for that long. Entries go to journald
 * with structured fields (LOCKWATCH_CYCLE_ID, LOCKWATCH_CHAIN_ID or
 * LOCKWATCH_DEVICE_ID,
 * LOCKWATCH_PIDS, LOCKWATCH_LOCKS) when the journal is there, to syslog
 * otherwise. The module may be unloaded and loaded
 * again meanwhile; SIGTERM and SIGINT stop the loop cleanly.
 */
#include "watch.h"
#include "load.h"
#include "output.h"
#include "setup.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#ifdef LW_HAVE_JOURNAL
#include <systemd/sd-journal.h>
#endif

#define LW_MAX_KNOWN 256

/* FNV-1a of @key: what the entries logged are known by. */
static unsigned long long lw_fnv(const char *key)
{
	unsigned long long h = 1469598103934665603ULL;
	const char *p;

	for (p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

unsigned long long lw_cycle_id(const struct lw_rcycle *cy)
{
	unsigned long long sum = 0;
	int i;

	/*
	 * Order-free: a sum of FNV-1a hashes of "pid lock-address", so that a
	 * lock named better later (layouts handed over after the cycle
	 * formed) leaves the cycle the same one.
	 */
	for (i = 0; i < cy->ntasks; i++) {
		char key[64];

		snprintf(key, sizeof(key), "%d %s", cy->tasks[i].pid, cy->tasks[i].addr);
		sum += lw_fnv(key);
	}
	return sum;
}

static int lw_use_journal(void)
{
#ifdef LW_HAVE_JOURNAL
	struct stat st;

	return stat("/run/systemd/journal/socket", &st) == 0;
#else
	return 0;
#endif
}

/*
 * One entry: MESSAGE, plus the fields of the cycle or chain (@what) where
 * there is one (@id): its tasks' pids and, in the same order, their
 * cgroups ("/" for the root cgroup), and its locks.
 */
static void lw_log_id(int prio, const char *msg, const char *what,
		      unsigned long long id, const char *pids,
		      const char *cgroups, const char *locks)
{
#ifdef LW_HAVE_JOURNAL
	if (lw_use_journal()) {
		if (id)
			sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", prio,
					"SYSLOG_IDENTIFIER=lockwatch",
					"LOCKWATCH_%s_ID=%016llx",
					!strcmp(what, "cycle") ? "CYCLE" :
					!strcmp(what, "device") ? "DEVICE" : "CHAIN",
					id, "LOCKWATCH_PIDS=%s", pids,
					"LOCKWATCH_CGROUPS=%s", cgroups,
					"LOCKWATCH_LOCKS=%s", locks, NULL);
		else
			sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", prio,
					"SYSLOG_IDENTIFIER=lockwatch", NULL);
		return;
	}
#endif
	(void)pids;
	(void)cgroups;
	(void)locks;
	if (id)
		syslog(prio, "%s [%s %016llx]", msg, what, id);
	else
		syslog(prio, "%s", msg);
}

static void lw_log(int prio, const char *msg)
{
	lw_log_id(prio, msg, "cycle", 0, NULL, NULL, NULL);
}

/* "; " and @cgroup (the root's "/") after the @n cgroups in @buf. */
static size_t lw_add_cgroup(char *buf, size_t len, size_t at, int n,
			    const char *cgroup)
{
	if (at < len)
		at += snprintf(buf + at, len - at, "%s%s", n ? "; " : "",
			       cgroup[0] ? cgroup : "/");
	return at;
}

static void lw_log_cycle(const struct lw_rcycle *cy, unsigned long long id,
			 int gone)
{
	char msg[4096], pids[512], locks[2048], cgroups[2048];
	size_t m, p = 0, l = 0, g = 0;
	int i;

	pids[0] = locks[0] = cgroups[0] = '\0';
	if (gone)
		m = snprintf(msg, sizeof(msg), "deadlock cycle of %d %s is gone:",
			     cy->ntasks, cy->ntasks == 1 ? "task" : "tasks");
	else
		m = snprintf(msg, sizeof(msg), "deadlock: cycle of %d %s:",
			     cy->ntasks, cy->ntasks == 1 ? "task" : "tasks");
	for (i = 0; i < cy->ntasks; i++) {
		const struct lw_rtask *t = &cy->tasks[i];

		if (m < sizeof(msg))
			m += snprintf(msg + m, sizeof(msg) - m,
				      "%s pid %d (%s) waits for %s %s held by pid %d (%s, %s)",
				      i ? ";" : "", t->pid, t->comm, t->kind, t->lock,
				      t->owner_pid, t->owner_comm, t->confidence);
		if (p < sizeof(pids))
			p += snprintf(pids + p, sizeof(pids) - p, "%s%d", i ? " " : "", t->pid);
		g = lw_add_cgroup(cgroups, sizeof(cgroups), g, i, t->cgroup);
		if (l < sizeof(locks))
			l += snprintf(locks + l, sizeof(locks) - l, "%s%s %s",
				      i ? "; " : "", t->kind, t->lock);
	}
	lw_log_id(gone ? LOG_NOTICE : LOG_CRIT, msg, "cycle", id, pids, cgroups,
		  locks);
}

struct lw_known {
	int n;
	unsigned long long id[LW_MAX_KNOWN];
	struct lw_rcycle copy[LW_MAX_KNOWN];	/* to say what ended */
};

static int lw_known_has(const struct lw_known *k, unsigned long long id)
{
	int i;

	for (i = 0; i < k->n; i++)
		if (k->id[i] == id)
			return 1;
	return 0;
}

static void lw_known_free(struct lw_known *k)
{
	int i;

	for (i = 0; i < k->n; i++)
		free(k->copy[i].tasks);
	k->n = 0;
}

/*
 * Log what is new in @now and what of @known is gone; @known becomes @now.
 * With @pending (the module sees cycles it has not confirmed yet, as right
 * after it was loaded again), a known cycle that is absent is kept, not
 * called gone.
 */
static void lw_compare(struct lw_known *known, const struct lw_report *now,
		       int pending)
{
	struct lw_known next = { 0 };
	int c, i;

	for (c = 0; c < now->ncycles && next.n < LW_MAX_KNOWN; c++) {
		const struct lw_rcycle *cy = &now->cycles[c];
		unsigned long long id = lw_cycle_id(cy);

		if (!lw_known_has(known, id))
			lw_log_cycle(cy, id, 0);
		next.id[next.n] = id;
		next.copy[next.n].ntasks = cy->ntasks;
		next.copy[next.n].tasks = malloc(cy->ntasks * sizeof(*cy->tasks));
		if (next.copy[next.n].tasks)
			memcpy(next.copy[next.n].tasks, cy->tasks,
			       cy->ntasks * sizeof(*cy->tasks));
		else
			next.copy[next.n].ntasks = 0;
		next.n++;
	}
	for (i = 0; i < known->n; i++) {
		if (lw_known_has(&next, known->id[i]))
			continue;
		if (pending && next.n < LW_MAX_KNOWN) {
			next.id[next.n] = known->id[i];
			next.copy[next.n++] = known->copy[i];
			known->copy[i].tasks = NULL;
			continue;
		}
		lw_log_cycle(&known->copy[i], known->id[i], 1);
	}
	lw_known_free(known);
	*known = next;
}

/*
 * A module loaded again has lost the layouts that `lockwatch setup` gave
 * the one before: hand them over again, from the kernel's BTF. Returns 1
 * when the module holds them.
 */
static int lw_layouts_again(void)
{
	struct lw_layout_text t;
	char msg[4608], line[4700];
	int err = lw_setup_apply("/sys/kernel/btf", LW_CONTROL_DIR, &t, msg,
				 sizeof(msg));

	if (err)
		snprintf(line, sizeof(line), "layouts not handed over again: %s", msg);
	else
		snprintf(line, sizeof(line), "module loaded again; %s", msg);
	lw_log(err ? LOG_WARNING : LOG_INFO, line);
	return !err;
}

/* Does the module hold layouts: 1, 0, or -1 when they are unreadable. */
static int lw_has_layouts(void)
{
	char line[512];
	int has = 0;
	FILE *f;

	f = fopen(LW_CONTROL_DIR "/layouts", "r");
	if (!f)
		return -1;
	while (!has && fgets(line, sizeof(line), f))
		has = !strncmp(line, "lock ", 5) || !strncmp(line, "mount ", 6);
	fclose(f);
	return has;
}

/*
 * A chain is known by its lock's kind and address (its name can get
 * better once layouts arrive), or by its site's name for a wait known by
 * its site only.
 */
static unsigned long long lw_chain_id(const struct lw_rchain *ch)
{
	char key[600];

	snprintf(key, sizeof(key), "%s %s", ch->kind,
		 ch->addr[0] ? ch->addr : ch->lock);
	return lw_fnv(key);
}

/* The chains (or disks) logged as stuck, and what each was behind (is). */
struct lw_known_entries {
	int n;
	unsigned long long id[LW_MAX_KNOWN];
	char what[LW_MAX_KNOWN][sizeof(((struct lw_rchain *)0)->kind) +
				sizeof(((struct lw_rchain *)0)->lock)];
};

static int lw_chain_known(const struct lw_known_entries *k,
			  unsigned long long id)
{
	int i;

	for (i = 0; i < k->n; i++)
		if (k->id[i] == id)
			return i;
	return -1;
}

static void lw_log_chain(const struct lw_rchain *ch, unsigned long long id,
			 long stuck_s)
{
	char msg[2048], pids[512], locks[600], cgroups[2048];
	size_t p = 0, g = 0;
	int i, m;

	m = snprintf(msg, sizeof(msg), "stuck: %d %s for %ld s behind %s %s",
		     ch->nwaiters, ch->nwaiters == 1 ? "task" : "tasks",
		     stuck_s, ch->kind, ch->lock);
	if (ch->owner_pid >= 0 && m > 0 && (size_t)m < sizeof(msg))
		snprintf(msg + m, sizeof(msg) - m, ", owner pid %d (%s, %s)",
			 ch->owner_pid, ch->owner_comm, ch->confidence);
	else if (m > 0 && (size_t)m < sizeof(msg))
		snprintf(msg + m, sizeof(msg) - m, ", owner unknown");
	pids[0] = cgroups[0] = '\0';
	for (i = 0; i < ch->nwaiters && p < sizeof(pids); i++) {
		p += snprintf(pids + p, sizeof(pids) - p, "%s%d", i ? " " : "",
			      ch->waiters[i].pid);
		g = lw_add_cgroup(cgroups, sizeof(cgroups), g, i,
				  ch->waiters[i].cgroup);
	}
	snprintf(locks, sizeof(locks), "%s %s", ch->kind, ch->lock);
	lw_log_id(LOG_WARNING, msg, "chain", id, pids, cgroups, locks);
}

/*
 * The entries of @known that @next lacks: kept in @next with @pending,
 * otherwise logged as ended ("PREFIX WHAT SUFFIX", as @what: "chain" or
 * "device"); then @known becomes @next.
 */
static void lw_known_settle(struct lw_known_entries *known,
			    struct lw_known_entries *next, int pending,
			    const char *what, const char *prefix,
			    const char *suffix)
{
	char msg[700];
	int i;

	for (i = 0; i < known->n; i++) {
		if (lw_chain_known(next, known->id[i]) >= 0)
			continue;
		if (pending && next->n < LW_MAX_KNOWN) {
			next->id[next->n] = known->id[i];
			memcpy(next->what[next->n++], known->what[i],
			       sizeof(next->what[0]));
			continue;
		}
		snprintf(msg, sizeof(msg), "%s%s%s", prefix, known->what[i],
			 suffix);
		lw_log_id(LOG_NOTICE, msg, what, known->id[i], "", "",
			  known->what[i]);
	}
	known->n = next->n;
	memcpy(known->id, next->id, next->n * sizeof(next->id[0]));
	memcpy(known->what, next->what, next->n * sizeof(next->what[0]));
}

/*
 * Log each chain whose longest waiter has been blocked @stuck_s or more
 * and that is not known yet, and each known chain that is gone; with
 * @pending (the module has not had the scans to confirm waits again yet,
 * as right after it was loaded again) a known chain that is absent is
 * kept.
 */
static void lw_compare_chains(struct lw_known_entries *known,
			      const struct lw_chains *now, long stuck_s,
			      int pending)
{
	static struct lw_known_entries next;
	int c, i, k;

	next.n = 0;
	for (c = 0; c < now->nchains && next.n < LW_MAX_KNOWN; c++) {
		const struct lw_rchain *ch = &now->chains[c];
		unsigned long long id = lw_chain_id(ch);
		long longest = 0;

		for (i = 0; i < ch->nwaiters; i++)
			if (ch->waiters[i].blocked_s > longest)
				longest = ch->waiters[i].blocked_s;
		k = lw_chain_known(known, id);
		if (k < 0 && longest < stuck_s)
			continue;
		if (k < 0)
			lw_log_chain(ch, id, longest);
		next.id[next.n] = id;
		snprintf(next.what[next.n++], sizeof(next.what[0]), "%s %s",
			 ch->kind, ch->lock);
	}
	lw_known_settle(known, &next, pending, "chain", "stuck chain behind ",
			" is gone");
}

/* A device is known by its name and number. */
static unsigned long long lw_device_id(const struct lw_rdevice *d)
{
	char key[64];

	snprintf(key, sizeof(key), "device %s %s", d->name, d->dev);
	return lw_fnv(key);
}

/*
 * Log each disk whose oldest request has waited @stuck_s or more and
 * that is not known yet, and each known one that is no longer stalled;
 * with @pending, a known disk that is absent is kept.
 */
static void lw_compare_devices(struct lw_known_entries *known,
			       const struct lw_devices *now, long stuck_s,
			       int pending)
{
	static struct lw_known_entries next;
	char msg[700];
	int c;

	next.n = 0;
	for (c = 0; c < now->ndevices && next.n < LW_MAX_KNOWN; c++) {
		const struct lw_rdevice *d = &now->devices[c];
		unsigned long long id = lw_device_id(d);

		if (d->oldest_s < stuck_s)
			continue;
		if (lw_chain_known(known, id) < 0) {
			snprintf(msg, sizeof(msg),
				 "disk %s (%s) has not completed a request for %ld s (%ld%s in flight, the oldest %s%s%s); %ld %s stuck behind it",
				 d->name, d->dev, d->oldest_s, d->inflight,
				 d->more ? " or more" : "", d->oldest,
				 d->state[0] ? "; " : "", d->state, d->behind,
				 d->behind == 1 ? "task" : "tasks");
			lw_log_id(LOG_ERR, msg, "device", id, "", "", d->name);
		}
		next.id[next.n] = id;
		snprintf(next.what[next.n++], sizeof(next.what[0]), "%s (%s)",
			 d->name, d->dev);
	}
	lw_known_settle(known, &next, pending, "device", "disk ",
			" completes its requests again");
}

/* A module parameter of lockwatch's, or @dflt when it cannot be read. */
static long lw_param(const char *name, long dflt)
{
	char path[256];
	long v = dflt;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/lockwatch/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return dflt;
	if (fscanf(f, "%ld", &v) != 1 || v < 0)
		v = dflt;
	fclose(f);
	return v;
}

/*
 * Scans the module needs to confirm a wait it sees: the first sighting,
 * then as many as confirm_ms spans.
 */
static long long lw_confirm_scans(void)
{
	long period = lw_param("scan_period_ms", 10000);
	long confirm = lw_param("confirm_ms", 10000);

	if (period < 1)
		period = 1;
	return 1 + (confirm + period - 1) / period;
}

int lw_watch(const char *dir, unsigned int interval, unsigned int stuck_s,
	     const char *prom)
{
	static struct lw_known known;
	static struct lw_known_entries known_chains, known_devices;
	struct timespec ts = { .tv_sec = interval };
	struct lw_all a;
	char msg[4608];
	int loaded = -1, stop = 0, had_layouts = 0;
	sigset_t set;

	/* The signals are waited for, as the sleep between two reads. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL)) {
		fprintf(stderr, "lockwatch: sigprocmask: %s\n", strerror(errno));
		return 2;
	}
	openlog("lockwatch", LOG_PID, LOG_DAEMON);
	lw_log(LOG_INFO, lw_use_journal() ? "watching, logging to the journal" :
		"watching, logging to syslog");
	while (!stop) {
		if (lw_load(dir, &a, msg, sizeof(msg))) {
			/* Say it once, and keep waiting for the module. */
			if (loaded != 0)
				lw_log(LOG_WARNING, msg);
			loaded = 0;
			if (prom)
				lw_write_prometheus(prom, NULL);
		} else {
			int has = lw_has_layouts();

			if (loaded == 0)
				lw_log(LOG_INFO, "reports readable again");
			/*
			 * Gone and back, or a module that lost the layouts it
			 * had: loaded again between two reads.
			 */
			if (loaded == 0 || (had_layouts && !has))
				has = lw_layouts_again();
			had_layouts = has == 1;
			loaded = 1;
			/* Before its first scan the module knows nothing yet. */
			lw_compare(&known, &a.cycles,
				   lw_stat(&a.stats, "scans") < 1 ||
				   lw_stat(&a.stats, "cycle_candidates") >
				   lw_stat(&a.stats, "cycles"));
			lw_compare_chains(&known_chains, &a.chains, stuck_s,
					  lw_stat(&a.stats, "scans") <
					  lw_confirm_scans());
			lw_compare_devices(&known_devices, &a.devices, stuck_s,
					   lw_stat(&a.stats, "scans") <
					   lw_confirm_scans());
			if (prom)
				lw_write_prometheus(prom, &a);
		}
		lw_free_all(&a);
		stop = sigtimedwait(&set, NULL, &ts) > 0;
	}
	lw_log(LOG_INFO, "stopped");
	lw_known_free(&known);
	closelog();
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * lockwatch: read what lockwatch.ko reports and say it the way operators
 * and fleets consume it.
 *
 *   lockwatch [status] [-d DIR] [--json] [--prometheus FILE]
 *   lockwatch check [-d DIR]
 *   lockwatch watch [-d DIR] [-i SECONDS] [--prometheus FILE]
 *   lockwatch setup [-d DIR] [--btf DIR] [--print]
 *
 * status exits 0 with no cycle, 1 with cycles, 2 on an error; check exits
 * like a monitoring plugin: 0 OK, 1 WARNING (stuck chains), 2 CRITICAL (a
 * deadlock cycle), 3 UNKNOWN (no report to read).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <json-c/json.h>

#include "report.h"
#include "setup.h"
#include "watch.h"

#define LW_DEFAULT_DIR "/sys/kernel/debug/lockwatch"
#define LW_MAX_REPORT (64L * 1024 * 1024)
#define LW_DEBUGFS_MAGIC 0x64626720

/* The kinds of wait the module counts stuck tasks by (stuck_KIND). */
#define LW_NWAITS 5

enum { LW_EXIT_OK = 0, LW_EXIT_CYCLES = 1, LW_EXIT_ERROR = 2 };
enum { LW_CHECK_OK, LW_CHECK_WARNING, LW_CHECK_CRITICAL, LW_CHECK_UNKNOWN };

static void lw_usage(FILE *f)
{
	fprintf(f,
		"usage: lockwatch [status] [-d DIR] [--json] [--prometheus FILE]\n"
		"       lockwatch check [-d DIR]\n"
		"       lockwatch watch [-d DIR] [-i SECONDS] [--prometheus FILE]\n"
		"       lockwatch setup [-d DIR] [--btf DIR] [--print]\n"
		"       lockwatch --version | --help\n"
		"Report the kernel lock deadlocks and stuck chains that the lockwatch\n"
		"module found.\n"
		"  status             cycles and chains for a person (the default)\n"
		"  check              one line and a monitoring-plugin exit status\n"
		"  watch              log each new cycle once (journald, else syslog)\n"
		"                     until SIGTERM; survives module reloads\n"
		"  setup              hand the layouts of file systems' inode locks\n"
		"                     and of mounts, read from BTF, to the module\n"
		"  --btf DIR          read BTF from DIR (default /sys/kernel/btf)\n"
		"  --print            setup prints the layouts instead\n"
		"  -i, --interval S   seconds between two reads in watch (1..86400, 10)\n"
		"  -d, --dir DIR      read the reports from DIR (default %s)\n"
		"  -j, --json         print one JSON document instead of text\n"
		"  -p, --prometheus FILE\n"
		"                     also write node_exporter textfile metrics to FILE\n"
		"  -h, --help         show this help\n"
		"  -V, --version      print the version\n"
		"Each command takes only the options shown with it.\n"
		"Exit status of status: 0 no cycle, 1 cycles found, 2 error;\n"
		"of setup: 0 done, 2 error.\n"
		"Exit status of check: 0 OK, 1 WARNING (stuck chains), 2 CRITICAL\n"
		"(deadlock), 3 UNKNOWN (module not loaded, report unreadable, or a\n"
		"usage error).\n",
		LW_DEFAULT_DIR);
}

/* Why DIR cannot be read, in words an operator can act on. */
static void lw_explain_missing(const char *dir, char *msg, size_t len)
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

/* Read and parse DIR/cycles, chains and stats; a message on failure. */
int lw_load(const char *dir, struct lw_all *a, char *msg, size_t len)
{
	static const char *const files[] = { "cycles", "chains", "stats" };
	char path[4096], err[256];
	char *text;
	int i, ret;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < 3; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dir, files[i]) >=
		    (int)sizeof(path)) {
			snprintf(msg, len, "directory name too long");
			return -1;
		}
		text = lw_slurp(path);
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
		else
			ret = lw_parse_stats(text, &a->stats, err, sizeof(err));
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
}

static long lw_longest_blocked(const struct lw_all *a)
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
static int lw_stuck_waiters_of(const struct lw_all *a, const char *wait)
{
	int c, n = 0;

	for (c = 0; c < a->chains.nchains; c++)
		if (!wait || !strcmp(a->chains.chains[c].wait, wait))
			n += a->chains.chains[c].nwaiters;
	return n;
}

static int lw_stuck_waiters(const struct lw_all *a)
{
	return lw_stuck_waiters_of(a, NULL);
}

/* Chain entries of locks and semaphores, not of waits known by site. */
static int lw_lock_chains(const struct lw_all *a)
{
	int c, n = 0;

	for (c = 0; c < a->chains.nchains; c++)
		n += strcmp(a->chains.chains[c].wait, "unknown") != 0;
	return n;
}

static const char *lw_plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Who holds a chain's lock and what that owner is doing, in a sentence. */
static void lw_print_owner(const struct lw_all *a, const struct lw_rchain *ch)
{
	int n;

	if (!strcmp(ch->wait, "unknown")) {
		printf("  what they wait for is not known; they sleep in %s\n",
		       ch->lock);
		return;
	}
	if (!strcmp(ch->frozen, "yes") && ch->owner_pid < 0) {
		printf("  the file system is frozen: the freeze holds it, no task does (fsfreeze --unfreeze ends it)\n");
		return;
	}
	if (ch->frozen[0])
		printf("  the file system is being frozen\n");
	if (ch->owner_pid < 0) {
		if (!strcmp(ch->wait, "page") && !strncmp(ch->lock, "writeback", 9))
			printf("  its I/O has not completed; nothing records who would end it\n");
		else if (!strcmp(ch->wait, "page"))
			printf("  the page is locked; a page lock records no owner\n");
		else if (!strcmp(ch->wait, "io"))
			printf("  the device has not completed their I/O; no task holds it\n");
		else if (!strcmp(ch->kind, "semaphore"))
			printf("  count %ld; a semaphore records no owner\n", ch->count);
		else if (!strcmp(ch->kind, "percpu_rwsem"))
			printf("  %s; readers are per-CPU counts and not recorded\n",
			       strcmp(ch->held, "write") ? "owner unknown" :
			       "held for write by a writer that is not recorded");
		else if (!strcmp(ch->held, "read"))
			printf("  read-held by %ld %s; readers are not recorded\n",
			       ch->count, lw_plural(ch->count, "reader", "readers"));
		else
			printf("  owner unknown\n");
		return;
	}
	printf("  held for %s by %d %s (%s%s)", ch->held, ch->owner_pid,
	       ch->owner_comm, ch->confidence,
	       strcmp(ch->confidence, "hint") ? "" : ": the last reader");
	if (sscanf(ch->owner_waits, "cycle %d", &n) == 1)
		printf(", which is in deadlock cycle %d\n", n);
	else if (sscanf(ch->owner_waits, "chain %d", &n) == 1 &&
		 n >= 1 && n <= a->chains.nchains &&
		 !strcmp(a->chains.chains[n - 1].wait, "unknown"))
		printf(", which sleeps in %s (chain %d, %s) for nothing lockwatch can name\n",
		       a->chains.chains[n - 1].lock, n, ch->owner_state);
	else if (sscanf(ch->owner_waits, "chain %d", &n) == 1)
		printf(", which waits in chain %d, ending %s %s\n", n,
		       strncmp(ch->ends, "cycle ", 6) ? "at" : "in deadlock",
		       ch->ends);
	else if (!strcmp(ch->owner_waits, "nothing"))
		printf(", which waits for no lock (%s)\n", ch->owner_state);
	else if (!strcmp(ch->owner_waits, "readers"))
		printf(", which waits for its readers to leave (not recorded)\n");
	else
		printf(", which waits for a %s\n", ch->owner_waits);
}

/* Blocked tasks the last scan left out (more than max_tasks). */
static long long lw_left_out(const struct lw_all *a)
{
	long long n = lw_stat(&a->stats, "overflows");

	return n > 0 ? n : 0;
}

static void lw_print_text(const struct lw_all *a)
{
	int c, i, n;

	if (!a->cycles.ncycles)
		printf("lockwatch: no deadlock\n");
	else
		printf("lockwatch: %d deadlock %s\n", a->cycles.ncycles,
		       lw_plural(a->cycles.ncycles, "cycle", "cycles"));
	if (lw_left_out(a))
		printf("lockwatch: incomplete: %lld blocked tasks beyond max_tasks were not examined (load the module with a larger max_tasks)\n",
		       lw_left_out(a));
	for (c = 0; c < a->cycles.ncycles; c++) {
		const struct lw_rcycle *cy = &a->cycles.cycles[c];

		printf("\ncycle %d: %d %s\n", c + 1, cy->ntasks,
		       lw_plural(cy->ntasks, "task", "tasks"));
		for (i = 0; i < cy->ntasks; i++) {
			const struct lw_rtask *t = &cy->tasks[i];

			printf("  %d %s (%s, blocked %ld s)\n", t->pid, t->comm,
			       t->state, t->blocked_s);
			printf("    waits for %s %s (%s)\n", t->kind, t->lock,
			       t->mode);
			printf("    held by %d %s (%s)\n", t->owner_pid,
			       t->owner_comm, t->confidence);
		}
	}
	if (!a->chains.nchains)
		return;
	n = lw_stuck_waiters(a) - lw_stuck_waiters_of(a, "unknown");
	if (n)
		printf("\n%d %s stuck behind %d %s\n", n, lw_plural(n, "task", "tasks"),
		       lw_lock_chains(a), lw_plural(lw_lock_chains(a), "lock", "locks"));
	n = lw_stuck_waiters_of(a, "unknown");
	if (n)
		printf("%s%d %s stuck in waits lockwatch cannot name\n",
		       n == lw_stuck_waiters(a) ? "\n" : "", n,
		       lw_plural(n, "task", "tasks"));
	for (c = 0; c < a->chains.nchains; c++) {
		const struct lw_rchain *ch = &a->chains.chains[c];

		printf("\nchain %d: %s %s\n", c + 1, ch->kind, ch->lock);
		lw_print_owner(a, ch);
		for (i = 0; i < ch->nwaiters; i++)
			printf("  waiter %d %s (%s, blocked %ld s)\n",
			       ch->waiters[i].pid, ch->waiters[i].comm,
			       ch->waiters[i].mode, ch->waiters[i].blocked_s);
	}
}

static json_object *lw_json_task(const struct lw_rtask *t)
{
	json_object *o = json_object_new_object();
	json_object *lock = json_object_new_object();
	json_object *owner = json_object_new_object();

	json_object_object_add(o, "pid", json_object_new_int(t->pid));
	json_object_object_add(o, "comm", json_object_new_string(t->comm));
	json_object_object_add(o, "state", json_object_new_string(t->state));
	json_object_object_add(o, "blocked_seconds", json_object_new_int64(t->blocked_s));
	json_object_object_add(lock, "kind", json_object_new_string(t->kind));
	json_object_object_add(lock, "name", json_object_new_string(t->lock));
	json_object_object_add(o, "lock", lock);
	json_object_object_add(o, "mode", json_object_new_string(t->mode));
	json_object_object_add(o, "source", json_object_new_string(t->source));
	json_object_object_add(owner, "pid", json_object_new_int(t->owner_pid));
	json_object_object_add(owner, "comm", json_object_new_string(t->owner_comm));
	json_object_object_add(owner, "confidence", json_object_new_string(t->confidence));
	json_object_object_add(o, "owner", owner);
	return o;
}

static json_object *lw_json_chain(const struct lw_rchain *ch)
{
	json_object *o = json_object_new_object();
	json_object *lock = json_object_new_object();
	json_object *owner = NULL;
	json_object *waiters = json_object_new_array();
	int i;

	json_object_object_add(lock, "kind", json_object_new_string(ch->kind));
	json_object_object_add(lock, "name", json_object_new_string(ch->lock));
	json_object_object_add(o, "lock", lock);
	json_object_object_add(o, "wait", json_object_new_string(ch->wait));
	json_object_object_add(o, "held", json_object_new_string(ch->held));
	json_object_object_add(o, "frozen", ch->frozen[0] ?
			       json_object_new_string(ch->frozen) : NULL);
	json_object_object_add(o, "count", ch->count < 0 ? NULL :
			       json_object_new_int64(ch->count));
	if (ch->owner_pid >= 0) {
		owner = json_object_new_object();
		json_object_object_add(owner, "pid", json_object_new_int(ch->owner_pid));
		json_object_object_add(owner, "comm", json_object_new_string(ch->owner_comm));
		json_object_object_add(owner, "confidence",
				       json_object_new_string(ch->confidence));
		json_object_object_add(owner, "state", json_object_new_string(ch->owner_state));
		json_object_object_add(owner, "waits", json_object_new_string(ch->owner_waits));
	}
	json_object_object_add(o, "owner", owner);
	json_object_object_add(o, "ends", ch->ends[0] ? json_object_new_string(ch->ends) : NULL);
	for (i = 0; i < ch->nwaiters; i++) {
		json_object *w = json_object_new_object();

		json_object_object_add(w, "pid", json_object_new_int(ch->waiters[i].pid));
		json_object_object_add(w, "comm", json_object_new_string(ch->waiters[i].comm));
		json_object_object_add(w, "mode", json_object_new_string(ch->waiters[i].mode));
		json_object_object_add(w, "blocked_seconds",
				       json_object_new_int64(ch->waiters[i].blocked_s));
		json_object_array_add(waiters, w);
	}
	json_object_object_add(o, "waiters", waiters);
	return o;
}

/* The loaded module's version, or NULL where /sys does not say. */
static json_object *lw_json_module_version(void)
{
	char buf[64];
	FILE *f = fopen("/sys/module/lockwatch/version", "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] ? json_object_new_string(buf) : NULL;
}

static void lw_print_json(const struct lw_all *a)
{
	struct utsname u;
	json_object *root = json_object_new_object();
	json_object *cycles = json_object_new_array();
	json_object *chains = json_object_new_array();
	json_object *stats = json_object_new_object();
	int c, i;

	json_object_object_add(root, "format", json_object_new_int(LW_READER_FORMAT));
	json_object_object_add(root, "kernel",
			       uname(&u) ? NULL : json_object_new_string(u.release));
	json_object_object_add(root, "module_version", lw_json_module_version());
	for (c = 0; c < a->cycles.ncycles; c++) {
		json_object *tasks = json_object_new_array();

		for (i = 0; i < a->cycles.cycles[c].ntasks; i++)
			json_object_array_add(tasks, lw_json_task(&a->cycles.cycles[c].tasks[i]));
		json_object_array_add(cycles, tasks);
	}
	for (c = 0; c < a->chains.nchains; c++)
		json_object_array_add(chains, lw_json_chain(&a->chains.chains[c]));
	for (i = 0; i < a->stats.n; i++)
		json_object_object_add(stats, a->stats.name[i],
				       json_object_new_uint64(a->stats.value[i]));
	json_object_object_add(root, "cycles", cycles);
	json_object_object_add(root, "chains", chains);
	json_object_object_add(root, "stats", stats);
	printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

static void lw_metric(FILE *f, const char *name, const char *type,
		      const char *help, double value)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n%s %.9g\n", name, help, name,
		type, name, value);
}

/*
 * node_exporter textfile metrics, written whole or not at all: into a
 * temporary file beside FILE, then renamed over it. @a is NULL when no
 * report could be read.
 */
int lw_write_prometheus(const char *file, const struct lw_all *a)
{
	static const char *const waits[LW_NWAITS] = { "lock", "percpu_rwsem", "page", "io", "unknown" };
	char tmp[4096], name[64];
	int i;
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
		for (i = 0; i < LW_NWAITS; i++) {
			snprintf(name, sizeof(name), "stuck_%s", waits[i]);
			fprintf(f, "lockwatch_stuck_tasks{wait=\"%s\"} %lld\n", waits[i],
				lw_stat(&a->stats, name) > 0 ? lw_stat(&a->stats, name) : 0);
		}
		lw_metric(f, "lockwatch_longest_blocked_seconds", "gauge",
			  "Longest time a stuck task has been seen blocked.",
			  lw_longest_blocked(a));
		lw_metric(f, "lockwatch_scan_duration_seconds", "gauge",
			  "Duration of the module's last scan.",
			  lw_stat(&a->stats, "last_scan_us") / 1e6);
		lw_metric(f, "lockwatch_tasks_not_examined", "gauge",
			  "Blocked tasks the last scan left out (beyond max_tasks).",
			  lw_left_out(a));
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

static int lw_check(const char *dir)
{
	struct lw_all a;
	char msg[4608];
	int ret, n;

	if (lw_load(dir, &a, msg, sizeof(msg))) {
		printf("LOCKWATCH UNKNOWN - %s\n", msg);
		lw_free_all(&a);
		return LW_CHECK_UNKNOWN;
	}
	if (a.cycles.ncycles) {
		const struct lw_rtask *t = &a.cycles.cycles[0].tasks[0];

		printf("LOCKWATCH CRITICAL - %d deadlock %s; %d %s waits for %s %s held by %d %s\n",
		       a.cycles.ncycles, lw_plural(a.cycles.ncycles, "cycle", "cycles"),
		       t->pid, t->comm, t->kind, t->lock, t->owner_pid, t->owner_comm);
		ret = LW_CHECK_CRITICAL;
	} else if (a.chains.nchains) {
		n = lw_stuck_waiters_of(&a, "unknown");
		printf("LOCKWATCH WARNING - %d %s stuck behind %d %s",
		       lw_stuck_waiters(&a) - n,
		       lw_plural(lw_stuck_waiters(&a) - n, "task", "tasks"),
		       lw_lock_chains(&a), lw_plural(lw_lock_chains(&a), "lock", "locks"));
		if (n)
			printf(", %d in waits it cannot name", n);
		printf(", longest %ld s\n", lw_longest_blocked(&a));
		ret = LW_CHECK_WARNING;
	} else if (lw_left_out(&a)) {
		printf("LOCKWATCH WARNING - incomplete: %lld blocked tasks beyond max_tasks were not examined\n",
		       lw_left_out(&a));
		ret = LW_CHECK_WARNING;
	} else {
		printf("LOCKWATCH OK - no deadlock, no stuck task\n");
		ret = LW_CHECK_OK;
	}
	lw_free_all(&a);
	return ret;
}

/* lockwatch setup: the layouts from BTF into DIR/layouts, in one write. */
static int lw_setup(const char *dir, const char *btf, bool print)
{
	struct lw_layout_text t;
	char msg[4608];
	const char *line, *nl;
	int ret;

	if (print) {
		if (lw_setup_layouts(btf, &t, msg, sizeof(msg))) {
			fprintf(stderr, "lockwatch: %s\n", msg);
			return LW_EXIT_ERROR;
		}
		fputs(t.text, stdout);
		return LW_EXIT_OK;
	}
	ret = lw_setup_apply(btf, dir, &t, msg, sizeof(msg));
	if (ret == -ENOENT)
		lw_explain_missing(dir, msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "lockwatch: %s\n", msg);
		return LW_EXIT_ERROR;
	}
	/* What could not be found, e.g. a file system not loaded yet. */
	for (line = t.text; (nl = strchr(line, '\n')); line = nl + 1)
		if (line[0] == '#')
			printf("lockwatch: %.*s\n", (int)(nl - line - 2), line + 2);
	printf("lockwatch: %s\n", msg);
	return LW_EXIT_OK;
}

/* Each command, the options it takes, and its exit status on a usage error. */
struct lw_command {
	const char *name;
	const char *opts;		/* short names, as in lw_longopts */
	int usage_exit;
};

static const struct lw_command lw_commands[] = {
	{ "status", "djp", LW_EXIT_ERROR },
	{ "check", "d", LW_CHECK_UNKNOWN },
	{ "watch", "dip", LW_EXIT_ERROR },
	{ "setup", "dbP", LW_EXIT_ERROR },
};

static const struct option lw_longopts[] = {
	{ "dir", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'j' },
	{ "prometheus", required_argument, NULL, 'p' },
	{ "interval", required_argument, NULL, 'i' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "btf", required_argument, NULL, 'b' },
	{ "print", no_argument, NULL, 'P' },
	{ NULL, 0, NULL, 0 },
};

#define LW_SHORTOPTS ":d:jp:i:hV"

/* Does option @c take an argument? */
static bool lw_opt_has_arg(int c)
{
	const struct option *o;

	for (o = lw_longopts; o->name; o++)
		if (o->val == c)
			return o->has_arg == required_argument;
	return false;
}

/* The long name of option @c, for messages. */
static const char *lw_opt_name(int c)
{
	const struct option *o;

	for (o = lw_longopts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

/*
 * The command named on the command line, found before the options are
 * parsed so that a usage error exits the way that command promises: the
 * first word that is neither an option nor an option's argument.
 */
static const char *lw_find_command(int argc, char **argv)
{
	const struct option *o;
	size_t len;
	int i, j;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (!strcmp(w, "--"))
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (!strncmp(w, "--", 2)) {
			len = strcspn(w + 2, "=");
			for (o = lw_longopts; o->name; o++)
				if (strlen(o->name) == len &&
				    !strncmp(o->name, w + 2, len))
					break;
			if (o->name && o->has_arg == required_argument &&
			    !w[2 + len])
				i++;
			continue;
		}
		if (w[0] == '-' && w[1]) {
			for (j = 1; w[j]; j++)
				if (lw_opt_has_arg(w[j])) {
					if (!w[j + 1])
						i++;
					break;
				}
			continue;
		}
		return w;
	}
	return NULL;
}

/* A usage error: a message, and for check the plugin's UNKNOWN line. */
static int lw_usage_error(const struct lw_command *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c && c->usage_exit == LW_CHECK_UNKNOWN)
		printf("LOCKWATCH UNKNOWN - %s\n", msg);
	fprintf(stderr, "lockwatch: %s\n", msg);
	lw_usage(stderr);
	return c ? c->usage_exit : LW_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	const char *dir = LW_DEFAULT_DIR, *prom = NULL, *cmd;
	const struct lw_command *c = NULL;
	const char *btf = NULL;
	struct lw_all a;
	char msg[4608];
	bool json = false, print = false;
	long interval = 10;
	char *end;
	size_t i;
	int opt, ret;

	cmd = lw_find_command(argc, argv);
	if (!cmd)
		cmd = "status";
	for (i = 0; i < LW_ARRAY_SIZE(lw_commands); i++)
		if (!strcmp(cmd, lw_commands[i].name))
			c = &lw_commands[i];
	opterr = 0;
	while ((opt = getopt_long(argc, argv, LW_SHORTOPTS, lw_longopts, NULL)) != -1) {
		if (opt == '?' && optopt)
			return lw_usage_error(c, "unknown option '-%c'", optopt);
		if (opt == '?')
			return lw_usage_error(c, "unknown option '%s'", argv[optind - 1]);
		if (opt == ':')
			return lw_usage_error(c, "option '%s' needs an argument",
					      argv[optind - 1]);
		if (opt == 'h') {
			lw_usage(stdout);
			return LW_EXIT_OK;
		}
		if (opt == 'V') {
			printf("lockwatch %s\n", LW_VERSION);
			return LW_EXIT_OK;
		}
		if (!c)
			break;
		if (!strchr(c->opts, opt))
			return lw_usage_error(c, "%s takes no --%s", c->name,
					      lw_opt_name(opt));
		switch (opt) {
		case 'i':
			errno = 0;
			interval = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || interval < 1 ||
			    interval > 86400)
				return lw_usage_error(c, "--interval must be 1..86400 seconds, not '%s'",
						      optarg);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'p':
			prom = optarg;
			break;
		case 'b':
			btf = optarg;
			break;
		case 'P':
			print = true;
			break;
		}
	}
	if (!c)
		return lw_usage_error(NULL, "unknown command '%s'", cmd);
	/* GNU getopt moved the words that are no options to the end. */
	if (optind < argc && !strcmp(argv[optind], cmd))
		optind++;
	if (optind != argc)
		return lw_usage_error(c, "unexpected argument '%s'", argv[optind]);
	if (!strcmp(cmd, "setup"))
		return lw_setup(dir, btf ? btf : "/sys/kernel/btf", print);
	if (!strcmp(cmd, "check"))
		return lw_check(dir);
	if (!strcmp(cmd, "watch"))
		return lw_watch(dir, (unsigned int)interval, prom);
	if (lw_load(dir, &a, msg, sizeof(msg))) {
		fprintf(stderr, "lockwatch: %s\n", msg);
		lw_free_all(&a);
		if (prom)
			lw_write_prometheus(prom, NULL);
		return LW_EXIT_ERROR;
	}
	if (json)
		lw_print_json(&a);
	else
		lw_print_text(&a);
	ret = a.cycles.ncycles ? LW_EXIT_CYCLES : LW_EXIT_OK;
	if (prom && lw_write_prometheus(prom, &a))
		ret = LW_EXIT_ERROR;
	lw_free_all(&a);
	return ret;
}

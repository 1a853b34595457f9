// SPDX-License-Identifier: GPL-2.0
/*
 * lockwatch: read what lockwatch.ko reports and say it the way operators
 * and fleets consume it.
 *
 *   lockwatch [status] [-d DIR] [--json] [--prometheus FILE]
 *   lockwatch check [-d DIR]
 *   lockwatch watch [-d DIR] [-i SECONDS] [--prometheus FILE]
 *   lockwatch setup [-d DIR] [--btf DIR] [--print]
 *   lockwatch why PID [-d DIR] [--json]
 *
 * status exits 0 with no cycle, 1 with cycles, 2 on an error (why: 0,
 * or 2 for a task that is not there or a report not read); check exits
 * like a monitoring plugin: 0 OK, 1 WARNING (stuck chains), 2 CRITICAL (a
 * deadlock cycle), 3 UNKNOWN (no report to read, or a usage error).
 *
 * This file reads the command line and runs the command. The reports are
 * read by load.c (parsed by report.c); each output has its file (text.c,
 * json.c, prom.c, check.c, why.c), watch.c and setup.c theirs. No file calls
 * back into main.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "output.h"
#include "setup.h"
#include "watch.h"

/* The largest pid the kernel gives (PID_MAX_LIMIT on 64 bits). */
#define LW_PID_MAX 4194304

static void lw_usage(FILE *f)
{
	fprintf(f,
		"usage: lockwatch [status] [-d DIR] [--json] [--prometheus FILE]\n"
		"       lockwatch check [-d DIR] [-w SECONDS] [-c SECONDS]\n"
		"       lockwatch watch [-d DIR] [-i SECONDS] [-s SECONDS] [--prometheus FILE]\n"
		"       lockwatch setup [--btf DIR] [--print]\n"
		"       lockwatch graph [-d DIR]\n"
		"       lockwatch why PID [-d DIR] [--json]\n"
		"       lockwatch --version | --help\n"
		"Report the kernel lock deadlocks and stuck chains that the lockwatch\n"
		"module found.\n"
		"  status             cycles and chains for a person (the default)\n"
		"  check              one line and a monitoring-plugin exit status\n"
		"  watch              log each new cycle once (journald, else syslog),\n"
		"                     and each chain stuck --stuck seconds or more,\n"
		"                     until SIGTERM; survives module reloads\n"
		"  graph              the wait-for graph as Graphviz DOT\n"
		"                     (lockwatch graph | dot -Tsvg >hang.svg)\n"
		"  why PID            one task's story: what it waits for, who holds\n"
		"                     that, and so on to the root\n"
		"  setup              hand the layouts of file systems' inode locks\n"
		"                     of mounts and of workqueue workers, read from\n"
		"                     BTF, to the module\n"
		"  --btf DIR          read BTF from DIR (default /sys/kernel/btf)\n"
		"  --print            setup prints the layouts instead\n"
		"  -i, --interval S   seconds between two reads in watch (1..86400, 10)\n"
		"  -s, --stuck S      watch logs chains stuck this long (1..2592000, 120)\n"
		"  -w, --warning S    check: WARNING for a disk that has not completed a\n"
		"                     request for S seconds (1..2592000, 30)\n"
		"  -c, --critical S   check: CRITICAL from S seconds (1..2592000, 120;\n"
		"                     not below --warning)\n"
		"  -d, --dir DIR      read the reports from DIR (default %s)\n"
		"  -j, --json         print one JSON document instead of text\n"
		"  -p, --prometheus FILE\n"
		"                     also write node_exporter textfile metrics to FILE\n"
		"  -h, --help         show this help\n"
		"  -V, --version      print the version\n"
		"Each command takes only the options shown with it.\n"
		"Exit status of status: 0 no cycle, 1 cycles found, 2 error;\n"
		"of setup, graph and why: 0 done, 2 error (why: no such task).\n"
		"Exit status of check: 0 OK, 1 WARNING (stuck chains, a disk stalled\n"
		"--warning seconds), 2 CRITICAL (deadlock, a disk stalled --critical\n"
		"seconds), 3 UNKNOWN (module not loaded, report unreadable, or a\n"
		"usage error).\n",
		LW_DEFAULT_DIR);
}

/* lockwatch setup: the layouts from BTF into the module's, in one write. */
static int lw_setup(const char *btf, bool print)
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
	ret = lw_setup_apply(btf, LW_CONTROL_DIR, &t, msg, sizeof(msg));
	if (ret == -ENOENT)
		snprintf(msg, sizeof(msg), "the lockwatch module is not loaded (no %s)",
			 LW_CONTROL_DIR);
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
	{ "check", "dwc", LW_CHECK_UNKNOWN },
	{ "watch", "dips", LW_EXIT_ERROR },
	{ "setup", "bP", LW_EXIT_ERROR },
	{ "graph", "d", LW_EXIT_ERROR },
	{ "why", "dj", LW_EXIT_ERROR },
};

static const struct option lw_longopts[] = {
	{ "dir", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'j' },
	{ "prometheus", required_argument, NULL, 'p' },
	{ "interval", required_argument, NULL, 'i' },
	{ "stuck", required_argument, NULL, 's' },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "btf", required_argument, NULL, 'b' },
	{ "print", no_argument, NULL, 'P' },
	{ NULL, 0, NULL, 0 },
};

#define LW_SHORTOPTS ":d:jp:i:s:w:c:hV"

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
	long interval = 10, stuck = 120, pid = 0, warn = 30, crit = 120;
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
		case 's':
			errno = 0;
			stuck = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || stuck < 1 ||
			    stuck > 30 * 86400)
				return lw_usage_error(c, "--stuck must be 1..2592000 seconds, not '%s'",
						      optarg);
			break;
		case 'w':
		case 'c':
			errno = 0;
			*(opt == 'w' ? &warn : &crit) = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg ||
			    (opt == 'w' ? warn : crit) < 1 ||
			    (opt == 'w' ? warn : crit) > 30 * 86400)
				return lw_usage_error(c, "--%s must be 1..2592000 seconds, not '%s'",
						      lw_opt_name(opt), optarg);
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
	if (!strcmp(cmd, "why")) {
		if (optind == argc)
			return lw_usage_error(c, "why needs a PID");
		errno = 0;
		pid = strtol(argv[optind], &end, 10);
		if (errno || *end || end == argv[optind] || pid < 1 ||
		    pid > LW_PID_MAX)
			return lw_usage_error(c, "PID must be 1..%d, not '%s'",
					      LW_PID_MAX, argv[optind]);
		optind++;
	}
	if (optind != argc)
		return lw_usage_error(c, "unexpected argument '%s'", argv[optind]);
	if (!strcmp(cmd, "setup"))
		return lw_setup(btf ? btf : "/sys/kernel/btf", print);
	if (!strcmp(cmd, "check")) {
		if (crit < warn)
			return lw_usage_error(c, "--critical (%ld s) must not be below --warning (%ld s)",
					      crit, warn);
		return lw_check(dir, warn, crit);
	}
	if (!strcmp(cmd, "watch"))
		return lw_watch(dir, (unsigned int)interval, (unsigned int)stuck,
				prom);
	if (lw_load(dir, &a, msg, sizeof(msg))) {
		fprintf(stderr, "lockwatch: %s\n", msg);
		lw_free_all(&a);
		if (prom)
			lw_write_prometheus(prom, NULL);
		return LW_EXIT_ERROR;
	}
	if (!strcmp(cmd, "why")) {
		ret = lw_why(&a, (int)pid, json, !strcmp(dir, LW_DEFAULT_DIR));
		lw_free_all(&a);
		return ret;
	}
	if (!strcmp(cmd, "graph")) {
		ret = lw_print_dot(&a) ? LW_EXIT_ERROR : LW_EXIT_OK;
		lw_free_all(&a);
		return ret;
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

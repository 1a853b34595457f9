// SPDX-License-Identifier: GPL-2.0
/*
 * lockwatch: print the deadlock cycles that lockwatch.ko reports.
 *
 * Exit status: 0 no cycle, 1 cycles found, 2 error (module not loaded,
 * debugfs not mounted, unreadable or malformed report).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

#define LW_DEFAULT_DIR "/sys/kernel/debug/lockwatch"
#define LW_MAX_REPORT (64L * 1024 * 1024)

enum { LW_EXIT_OK = 0, LW_EXIT_CYCLES = 1, LW_EXIT_ERROR = 2 };

static void lw_usage(FILE *f)
{
	fprintf(f,
		"usage: lockwatch [-d DIR] [-h]\n"
		"Print the deadlock cycles found by the lockwatch kernel module.\n"
		"  -d DIR  read the reports from DIR (default %s)\n"
		"  -h      show this help\n"
		"Exit status: 0 no cycle, 1 cycles found, 2 error.\n",
		LW_DEFAULT_DIR);
}

/* Say why DIR cannot be read, in words an operator can act on. */
static void lw_explain_missing(const char *dir)
{
	struct stat st;

	if (!strcmp(dir, LW_DEFAULT_DIR) &&
	    stat("/sys/kernel/debug/lockwatch", &st) != 0) {
		if (stat("/sys/kernel/debug", &st) != 0 || errno == EACCES)
			fprintf(stderr, "lockwatch: cannot read /sys/kernel/debug: %s (is debugfs mounted, are you root?)\n",
				strerror(errno));
		else if (access("/sys/kernel/debug", X_OK) != 0)
			fprintf(stderr, "lockwatch: /sys/kernel/debug is not readable: run as root\n");
		else
			fprintf(stderr, "lockwatch: the lockwatch module is not loaded (no %s)\n",
				LW_DEFAULT_DIR);
		return;
	}
	fprintf(stderr, "lockwatch: cannot read %s: %s\n", dir, strerror(errno));
}

static char *lw_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 65536, n;
	char *buf, *nbuf;

	if (!f)
		return NULL;
	buf = malloc(cap + 1);
	while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
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
	n = errno;
	free(buf);
	fclose(f);
	errno = n;
	return NULL;
}

static void lw_print(const struct lw_report *r)
{
	int c, i;

	if (!r->ncycles) {
		printf("lockwatch: no deadlock\n");
		return;
	}
	printf("lockwatch: %d deadlock cycle%s\n", r->ncycles,
	       r->ncycles == 1 ? "" : "s");
	for (c = 0; c < r->ncycles; c++) {
		const struct lw_rcycle *cy = &r->cycles[c];

		printf("\ncycle %d: %d task%s\n", c + 1, cy->ntasks,
		       cy->ntasks == 1 ? "" : "s");
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
}

int main(int argc, char **argv)
{
	const char *dir = LW_DEFAULT_DIR;
	struct lw_report r;
	char path[4096], err[256];
	char *text;
	int opt, ret;

	while ((opt = getopt(argc, argv, "d:h")) != -1) {
		switch (opt) {
		case 'd':
			dir = optarg;
			break;
		case 'h':
			lw_usage(stdout);
			return LW_EXIT_OK;
		default:
			lw_usage(stderr);
			return LW_EXIT_ERROR;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "lockwatch: unexpected argument '%s'\n", argv[optind]);
		lw_usage(stderr);
		return LW_EXIT_ERROR;
	}
	if (snprintf(path, sizeof(path), "%s/cycles", dir) >= (int)sizeof(path)) {
		fprintf(stderr, "lockwatch: directory name too long\n");
		return LW_EXIT_ERROR;
	}
	text = lw_slurp(path);
	if (!text) {
		if (errno == ENOENT)
			lw_explain_missing(dir);
		else
			fprintf(stderr, "lockwatch: cannot read %s: %s\n", path,
				strerror(errno));
		return LW_EXIT_ERROR;
	}
	ret = lw_parse_cycles(text, &r, err, sizeof(err));
	free(text);
	if (ret) {
		fprintf(stderr, "lockwatch: malformed report %s: %s\n", path, err);
		lw_report_free(&r);
		return LW_EXIT_ERROR;
	}
	lw_print(&r);
	ret = r.ncycles ? LW_EXIT_CYCLES : LW_EXIT_OK;
	lw_report_free(&r);
	return ret;
}

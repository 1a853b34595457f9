/* SPDX-License-Identifier: GPL-2.0 */
/* Parser of lockwatch's debugfs "cycles" report (format 1). */
#ifndef LOCKWATCH_REPORT_H
#define LOCKWATCH_REPORT_H

#include <stddef.h>

#define LW_READER_FORMAT 1

struct lw_rtask {
	int pid;
	char comm[64];
	char state[32];
	long blocked_s;
	char kind[16];
	char lock[512];
	char mode[16];
	char source[16];
	int owner_pid;
	char owner_comm[64];
	char confidence[16];
};

struct lw_rcycle {
	int ntasks;
	struct lw_rtask *tasks;
};

struct lw_report {
	int version;
	int ncycles;
	struct lw_rcycle *cycles;
};

/*
 * Parse the text of a cycles report. Returns 0, or -1 with a message in
 * @err (size @errlen) naming the line at fault.
 */
int lw_parse_cycles(const char *text, struct lw_report *r, char *err,
		    size_t errlen);
void lw_report_free(struct lw_report *r);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Parser of lockwatch's debugfs "cycles" report (format 1). */
#ifndef LOCKWATCH_REPORT_H
#define LOCKWATCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#define LW_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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
	char addr[24];		/* as printed: hashed unless raw_pointers */
	int owner_pid;
	char owner_comm[64];
	char confidence[16];
	char cgroup[256];	/* its cgroup v2, "" for the root cgroup */
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

struct lw_rwaiter {
	int pid;
	char mode[16];
	long blocked_s;
	char comm[64];
	char cgroup[256];	/* its cgroup v2, "" for the root cgroup */
};

struct lw_rchain {
	char kind[16];
	char lock[512];
	char addr[24];		/* as printed; "" for a wait known by its site */
	/* "lock", "percpu_rwsem", "page", "dirty", "io", "rcu", "fuse", "umh", "kthread", "completion", "journal", "unknown" */
	char wait[16];
	char held[16];		/* "read", "write", "-" or "" (semaphore) */
	char frozen[16];	/* sb_writers: "yes", "freezing" or "" */
	/* a workqueue flush: "running", "pending", "no worker layout", "not proven" or "" */
	char flush[24];
	/* an RCU grace period's owner: "running inside rcu_read_lock()", ... or "" */
	char reader[48];
	/* a FUSE request's: "read by the daemon", "queued, ..." or "" */
	char request[48];
	/* a user-mode helper's: "waited for until it exits" / "... runs" or "" */
	char helper[32];
	/* readers of a read-held rwsem, semaphore count; -1 not known */
	long count;
	int owner_pid;		/* -1: no known owner */
	char owner_comm[64];
	char confidence[16];
	char owner_state[32];
	char owner_waits[320];
	char owner_cgroup[256];	/* the owner's cgroup v2, "" for the root */
	char ends[640];
	char ends_cgroup[256];	/* the end's, where the end is another task */
	int nwaiters;
	struct lw_rwaiter *waiters;
};

struct lw_chains {
	int version;
	int nchains;
	struct lw_rchain *chains;
};

/* A disk some chain ends at, and what its driver has in flight. */
struct lw_rdevice {
	char name[32];
	char dev[16];		/* "8:0" */
	char addr[24];
	char state[128];	/* "" when the module had nothing to say */
	long inflight;		/* -1: not readable on that kernel */
	int more;		/* "N or more": not every tag was read */
	long oldest_s;		/* -1: no request, or its start not recorded */
	char oldest[96];	/* the oldest request: "WRITE 8 sectors at 0" */
	int nrequests;		/* request lines */
	long waiters;		/* stuck tasks waiting for it directly */
	long behind;		/* every stuck task whose chain ends here */
};

struct lw_devices {
	int version;
	int ndevices;
	struct lw_rdevice *devices;
};

#define LW_MAX_STATS 64

struct lw_stats {
	int version;
	int n;
	char name[LW_MAX_STATS][32];
	unsigned long long value[LW_MAX_STATS];
};

/*
 * Parse the text of a cycles report. Returns 0, or -1 with a message in
 * @err (size @errlen) naming the line at fault.
 */
int lw_parse_cycles(const char *text, struct lw_report *r, char *err,
		    size_t errlen);
void lw_report_free(struct lw_report *r);

/* The same for the "chains" and "stats" reports. */
int lw_parse_chains(const char *text, struct lw_chains *c, char *err,
		    size_t errlen);
void lw_chains_free(struct lw_chains *c);
int lw_parse_stats(const char *text, struct lw_stats *st, char *err,
		   size_t errlen);
int lw_parse_devices(const char *text, struct lw_devices *d, char *err,
		     size_t errlen);
void lw_devices_free(struct lw_devices *d);
/* What the owner of a chain that waits for no lock does, or NULL. */
const char *lw_chain_doing(const struct lw_rchain *ch);
bool lw_asleep_wait(const char *owner_waits, char *buf, size_t len);
const char *lw_umh_unowned(const struct lw_rchain *ch);
/* Why a kthread creation's entry names no kthreadd. */
#define LW_KTHREAD_UNOWNED \
	"kthreadd has made the thread; it has not run yet to say so"
/* A counter of @st by name, or -1 when it is absent. */
long long lw_stat(const struct lw_stats *st, const char *name);

#endif

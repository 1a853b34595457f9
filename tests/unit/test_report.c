// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the reader's report parser on captured and broken reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../userspace/report.h"

#ifndef LW_DATA
#define LW_DATA "tests/unit/data"
#endif

static char *load(const char *name)
{
	char path[512];
	FILE *f;
	long len;
	char *buf;

	snprintf(path, sizeof(path), "%s/%s", LW_DATA, name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = malloc(len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, len, f), len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Replace the first occurrence of @from in @text by @to (new string). */
static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t a, len = strlen(text) - strlen(from) + strlen(to);
	char *out;

	assert_non_null(at);
	a = at - text;
	out = malloc(len + 1);
	assert_non_null(out);
	memcpy(out, text, a);
	strcpy(out + a, to);
	strcat(out, at + strlen(from));
	return out;
}

static void expect_error(const char *text, const char *msg)
{
	struct lw_report r;
	char err[256] = "";

	assert_int_equal(lw_parse_cycles(text, &r, err, sizeof(err)), -1);
	if (!strstr(err, msg))
		fail_msg("error '%s' does not say '%s'", err, msg);
	lw_report_free(&r);
}

static void test_captured_five_cycles(void **state)
{
	char *text = load("cycles-6.1-five.txt");
	struct lw_report r;
	char err[256] = "";
	const struct lw_rtask *t;

	(void)state;
	assert_int_equal(lw_parse_cycles(text, &r, err, sizeof(err)), 0);
	assert_int_equal(r.version, 1);
	assert_int_equal(r.ncycles, 5);
	assert_int_equal(r.cycles[0].ntasks, 2);
	assert_int_equal(r.cycles[1].ntasks, 1);
	assert_int_equal(r.cycles[4].ntasks, 3);
	t = &r.cycles[0].tasks[0];
	assert_string_equal(t->comm, "lw_abba_1");
	assert_string_equal(t->kind, "mutex");
	assert_string_equal(t->lock, "lw_abba_b [lockwatch_scenarios]");
	assert_string_equal(t->mode, "write");
	assert_string_equal(t->owner_comm, "lw_abba_2");
	assert_int_equal(t->owner_pid, r.cycles[0].tasks[1].pid);
	assert_string_equal(t->confidence, "exact");
	assert_string_equal(t->state, "D 0x2");
	/* Blocked before lockwatch loaded: found on its stack. */
	assert_string_equal(t->source, "stack");
	assert_string_equal(t->addr, "000000001af86a4e");
	/* Self-deadlock: the owner is the task itself. */
	t = &r.cycles[1].tasks[0];
	assert_int_equal(t->pid, t->owner_pid);
	t = &r.cycles[3].tasks[0];
	assert_string_equal(t->kind, "rwsem");
	/* Blocked after lockwatch loaded: seen by the tracepoint. */
	assert_string_equal(t->source, "trace");
	lw_report_free(&r);
	free(text);
}

static void test_no_cycle(void **state)
{
	char *text = load("cycles-none.txt");
	struct lw_report r;
	char err[256] = "";

	(void)state;
	assert_int_equal(lw_parse_cycles(text, &r, err, sizeof(err)), 0);
	assert_int_equal(r.ncycles, 0);
	lw_report_free(&r);
	free(text);
}

/* A scan that left tasks out says so after its entries; still a report. */
static void test_incomplete(void **state)
{
	struct lw_report r;
	struct lw_chains c;
	char err[256] = "";

	(void)state;
	assert_int_equal(lw_parse_cycles("lockwatch cycles 1\ncycles: 0\n\n"
					 "incomplete: 5904 blocked tasks beyond max_tasks=4096 were not examined\n",
					 &r, err, sizeof(err)), 0);
	assert_int_equal(r.ncycles, 0);
	lw_report_free(&r);
	assert_int_equal(lw_parse_chains("lockwatch chains 1\nchains: 0\n\n"
					 "incomplete: 5904 blocked tasks beyond max_tasks=4096 were not examined\n",
					 &c, err, sizeof(err)), 0);
	assert_int_equal(c.nchains, 0);
	lw_chains_free(&c);
}

static void test_newer_format(void **state)
{
	(void)state;
	expect_error("lockwatch cycles 2\ncycles: 0\n",
		     "report format 2, this reader reads format 1");
}

static void test_not_a_report(void **state)
{
	(void)state;
	expect_error("", "empty report");
	expect_error("hello\n", "not a lockwatch cycles report");
	expect_error("lockwatch cycles 1\ncycles: x\n", "bad cycle count");
	expect_error("lockwatch cycles 1\ncycles: -1\n", "bad cycle count");
	expect_error("lockwatch cycles 1\n", "report ends before 'cycles'");
	/* The header exactly: spaces, a number of digits only. */
	expect_error("lockwatchcycles1\ncycles: 0\n", "not a lockwatch cycles report");
	expect_error("lockwatch cycles +1\ncycles: 0\n", "not a lockwatch cycles report");
	expect_error("lockwatch cycles 1 x\ncycles: 0\n", "not a lockwatch cycles report");
}

/* A count of entries the text cannot hold allocates nothing for them. */
static void test_count_too_large(void **state)
{
	struct lw_chains c;
	char err[256] = "";

	(void)state;
	expect_error("lockwatch cycles 1\ncycles: 954132\n",
		     "line 2: 954132 cycles counted, the report holds fewer");
	assert_int_equal(lw_parse_chains("lockwatch chains 1\nchains: 2\n\nchain 1: x y\n",
					 &c, err, sizeof(err)), -1);
	assert_string_equal(err, "line 2: 2 chains counted, the report holds fewer");
	lw_chains_free(&c);
}

static void test_truncated(void **state)
{
	char *text = load("cycles-6.1-five.txt");
	char *cut;

	(void)state;
	/* Cut in the middle of cycle 3. */
	cut = strstr(text, "cycle 3:");
	assert_non_null(cut);
	cut[40] = '\0';
	expect_error(text, "line ");
	free(text);
}

static void test_module_truncated(void **state)
{
	(void)state;
	expect_error("lockwatch cycles 1\ncycles: 0\ntruncated: yes\n",
		     "the module truncated the report");
}

static void test_broken_fields(void **state)
{
	char *text = load("cycles-6.1-five.txt");
	char *bad;

	(void)state;
	bad = replace(text, "cycles: 5", "cycles: 6");
	expect_error(bad, "expected cycle 6");
	free(bad);
	bad = replace(text, "    mode: write", "    mood: write");
	expect_error(bad, "expected '    mode: ...'");
	free(bad);
	bad = replace(text, "    blocked: 3 s", "    blocked: soon");
	expect_error(bad, "bad blocked time");
	free(bad);
	bad = replace(text, "cycle 2: 1 task\n", "cycle 2: 1 tasks\n");
	expect_error(bad, "expected cycle 2");
	free(bad);
	bad = replace(text, "  task: ", "  task: x");
	expect_error(bad, "bad task line");
	free(bad);
	bad = replace(text, "    addr: 000000001af86a4e", "    addr: here");
	expect_error(bad, "bad addr line");
	free(bad);
	free(text);
}

static void test_captured_chains(void **state)
{
	char *text = load("chains-6.1-nine.txt");
	struct lw_chains c;
	char err[256] = "";
	const struct lw_rchain *ch;
	int i, fire = -1, js = -1, sem = -1;

	(void)state;
	assert_int_equal(lw_parse_chains(text, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nchains, 9);
	for (i = 0; i < c.nchains; i++) {
		if (strstr(c.chains[i].lock, "/js/fire.js"))
			fire = i;
		else if (strstr(c.chains[i].lock, " /js"))
			js = i;
		else if (!strcmp(c.chains[i].kind, "semaphore"))
			sem = i;
	}
	assert_true(fire >= 0 && js >= 0 && sem >= 0);
	/* rm waits for fire.js's i_rwsem, held by a thread of cycle 3 */
	ch = &c.chains[fire];
	assert_string_equal(ch->kind, "rwsem");
	assert_string_equal(ch->owner_comm, "lw_fire_1");
	assert_string_equal(ch->confidence, "exact");
	assert_string_equal(ch->ends, "cycle 3");
	assert_int_equal(ch->nwaiters, 1);
	assert_string_equal(ch->waiters[0].comm, "rm");
	assert_string_equal(ch->waiters[0].mode, "write");
	/* ls waits for the directory, held by rm, which waits in chain 1 */
	ch = &c.chains[js];
	assert_string_equal(ch->owner_comm, "rm");
	assert_string_equal(ch->owner_waits, "chain 1");
	assert_string_equal(ch->waiters[0].comm, "ls");
	assert_string_equal(ch->waiters[0].mode, "read");
	/* a semaphore has no owner */
	ch = &c.chains[sem];
	assert_int_equal(ch->owner_pid, -1);
	assert_string_equal(ch->confidence, "unknown");
	lw_chains_free(&c);
	free(text);
}

static void test_broken_chains(void **state)
{
	char *text = load("chains-6.1-nine.txt");
	char *bad;
	struct lw_chains c;
	char err[256] = "";

	(void)state;
	bad = replace(text, "chains: 9", "chains: 10");
	assert_int_equal(lw_parse_chains(bad, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "expected chain 10"));
	lw_chains_free(&c);
	free(bad);
	bad = replace(text, "  waiters: 1\n", "  waiters: 2\n");
	assert_int_equal(lw_parse_chains(bad, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "expected '  waiter: ...'"));
	lw_chains_free(&c);
	free(bad);
	bad = replace(text, "  held: write", "  hold: write");
	assert_int_equal(lw_parse_chains(bad, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unexpected line in a chain"));
	lw_chains_free(&c);
	free(bad);
	free(text);
}

/* Waits known by their site, and an mmap_lock named by its process. */
static void test_captured_waits(void **state)
{
	char *text = load("chains-6.1-twelve.txt");
	struct lw_chains c;
	char err[256] = "";
	const struct lw_rchain *ch;
	int i, msleep = -1, mm = -1, holder = -1;

	(void)state;
	assert_int_equal(lw_parse_chains(text, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nchains, 12);
	for (i = 0; i < c.nchains; i++) {
		if (!strcmp(c.chains[i].lock, "msleep"))
			msleep = i;
		else if (!strncmp(c.chains[i].lock, "mmap_lock of ", 13))
			mm = i;
		else if (!strcmp(c.chains[i].lock, "lw_sleep_mutex [lockwatch_scenarios]"))
			holder = i;
	}
	assert_true(msleep >= 0 && mm >= 0 && holder >= 0);
	ch = &c.chains[msleep];
	assert_string_equal(ch->kind, "wait");
	assert_string_equal(ch->wait, "unknown");
	assert_int_equal(ch->owner_pid, -1);
	assert_int_equal(ch->nwaiters, 5);
	assert_string_equal(ch->waiters[0].comm, "lw_sleep_holder");
	assert_string_equal(ch->waiters[0].mode, "-");
	/* the holder of a lock sleeps there: its chain says so */
	ch = &c.chains[holder];
	assert_string_equal(ch->wait, "lock");
	assert_int_equal(atoi(ch->owner_waits + strlen("chain ")), msleep + 1);
	ch = &c.chains[mm];
	assert_string_equal(ch->kind, "rwsem");
	assert_int_equal(ch->nwaiters, 2);
	assert_string_equal(ch->waiters[0].comm, "cat");
	assert_string_equal(ch->waiters[1].comm, "ps");
	lw_chains_free(&c);
	free(text);
}

/* Workqueue flushes: behind a running worker (its owner) and pending. */
static void test_flush(void **state)
{
	char *text = load("chains-6.1-flush.txt");
	struct lw_chains c;
	char err[256] = "";
	char *bad;

	(void)state;
	assert_int_equal(lw_parse_chains(text, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nchains, 3);
	assert_string_equal(c.chains[0].flush, "");
	assert_string_equal(c.chains[1].wait, "completion");
	assert_string_equal(c.chains[1].flush, "running");
	assert_int_equal(c.chains[1].owner_pid, 9);
	assert_string_equal(c.chains[1].owner_comm, "kworker/u4:0");
	assert_string_equal(c.chains[1].confidence, "exact");
	assert_string_equal(c.chains[1].owner_waits, "chain 1");
	assert_string_equal(c.chains[2].flush, "pending");
	assert_int_equal(c.chains[2].owner_pid, -1);
	lw_chains_free(&c);
	bad = replace(text, "  flush: pending",
		      "  flush: pending for far too long to be a state");
	assert_int_equal(lw_parse_chains(bad, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad 'flush' line"));
	lw_chains_free(&c);
	free(bad);
	free(text);
}

/* A percpu_rw_semaphore entry, and waits broken in every field. */
static void test_percpu_and_broken_waits(void **state)
{
	static const char frozen[] =
		"lockwatch chains 1\nchains: 1\n\n"
		"chain 1: percpu_rwsem sb_writers (level: write) of xfs 254:32 /mnt/fxfs\n"
		"  addr: 00000000b0c3de38\n  held: write\n  frozen: yes\n"
		"  readers: unknown\n  owner: -\n  owner-confidence: unknown\n"
		"  waiters: 1\n  waiter: 201 read 2 sh\n";
	char *text = load("chains-6.1-twelve.txt");
	struct lw_chains c;
	char err[256] = "";
	char *bad;

	(void)state;
	assert_int_equal(lw_parse_chains(frozen, &c, err, sizeof(err)), 0);
	assert_string_equal(c.chains[0].wait, "percpu_rwsem");
	assert_string_equal(c.chains[0].frozen, "yes");
	assert_string_equal(c.chains[0].held, "write");
	assert_int_equal(c.chains[0].count, -1);
	assert_int_equal(c.chains[0].owner_pid, -1);
	lw_chains_free(&c);
	bad = replace(frozen, "  readers: unknown", "  readers: some");
	assert_int_equal(lw_parse_chains(bad, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad count"));
	lw_chains_free(&c);
	free(bad);
	bad = replace(text, "  wait: unknown", "  wait: lock");
	assert_int_equal(lw_parse_chains(bad, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad wait line"));
	lw_chains_free(&c);
	free(bad);
	bad = replace(text, "  wait: unknown\n", "  wait: unknown\n  owner: 1 x\n");
	assert_int_equal(lw_parse_chains(bad, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unexpected line in a wait"));
	lw_chains_free(&c);
	free(bad);
	free(text);
}

/* A disk's entry and a completion's, as the VM suites give them on 6.1. */
static void test_io_wait(void **state)
{
	static const char io[] =
		"lockwatch chains 1\nchains: 1\n\n"
		"chain 1: io lwblk0 253:0\n"
		"  addr: 00000000ed377fbf\n  owner: -\n  owner-confidence: unknown\n"
		"  waiters: 3\n  waiter: 231 bio 2 dd\n  waiter: 233 tag 2 dd\n"
		"  waiter: 235 tag 2 dd\n";
	static const char cmpl[] =
		"lockwatch chains 1\nchains: 1\n\n"
		"chain 1: completion workqueue flush barrier\n"
		"  addr: 0000000020ee093e\n  owner: -\n  owner-confidence: unknown\n"
		"  waiters: 1\n  waiter: 174 - 2 lw_flusher\n";
	struct lw_chains c;
	char err[256] = "";

	(void)state;
	assert_int_equal(lw_parse_chains(io, &c, err, sizeof(err)), 0);
	assert_string_equal(c.chains[0].kind, "io");
	assert_string_equal(c.chains[0].wait, "io");
	assert_string_equal(c.chains[0].lock, "lwblk0 253:0");
	assert_int_equal(c.chains[0].owner_pid, -1);
	assert_int_equal(c.chains[0].nwaiters, 3);
	assert_string_equal(c.chains[0].waiters[0].mode, "bio");
	assert_string_equal(c.chains[0].waiters[2].mode, "tag");
	lw_chains_free(&c);
	assert_int_equal(lw_parse_chains(cmpl, &c, err, sizeof(err)), 0);
	assert_string_equal(c.chains[0].kind, "completion");
	assert_string_equal(c.chains[0].wait, "completion");
	assert_string_equal(c.chains[0].lock, "workqueue flush barrier");
	assert_int_equal(c.chains[0].owner_pid, -1);
	assert_string_equal(c.chains[0].waiters[0].comm, "lw_flusher");
	lw_chains_free(&c);
}

/*
 * A FUSE daemon stopped, as the file system suite gives it: a lock whose
 * owner sleeps (S) for its request, and a request of its own, both
 * ending at the daemon.
 */
static void test_fuse(void **state)
{
	static const char text[] =
		"lockwatch chains 1\nchains: 2\n\n"
		"chain 1: rwsem i_rwsem of inode 14 (fuse 0:22) /mnt/f/log\n"
		"  addr: 0000000062723817\n  held: write\n"
		"  owner: 518 fuse_writer\n  owner-cgroup: /lw.slice/app.scope\n"
		"  owner-confidence: exact\n  owner-state: S 0x1\n"
		"  owner-waits: fuse GETXATTR request of fuse 0:22 /mnt/f, asleep\n"
		"  ends: 516 bindfs, the FUSE daemon, stopped (SIGSTOP) for 2 s\n"
		"  ends-cgroup: /fuse.service\n"
		"  waiters: 1\n  waiter: 607 write 2 fuse_waiter\n"
		"    cgroup: /lw.slice/app.scope\n\n"
		"chain 2: fuse LOOKUP request of fuse 0:22 /mnt/f\n"
		"  addr: 00000000aad38443\n"
		"  request: queued, not read by the daemon\n"
		"  owner: 516 bindfs\n  owner-confidence: exact\n"
		"  owner-state: T 0x104\n  owner-waits: nothing\n"
		"  ends: 516 bindfs, the FUSE daemon, stopped (SIGSTOP) for 2 s\n"
		"  owner-stack:\n    do_signal_stop+0x17d/0x1f0\n"
		"  waiters: 1\n  waiter: 609 - 2 fuse_looker\n";
	struct lw_chains c;
	char err[256] = "", what[320];

	(void)state;
	assert_int_equal(lw_parse_chains(text, &c, err, sizeof(err)), 0);
	assert_true(lw_asleep_wait(c.chains[0].owner_waits, what, sizeof(what)));
	assert_string_equal(what, "GETXATTR request of fuse 0:22 /mnt/f");
	assert_null(lw_chain_doing(&c.chains[0]));
	assert_string_equal(c.chains[0].owner_cgroup, "/lw.slice/app.scope");
	assert_string_equal(c.chains[0].ends_cgroup, "/fuse.service");
	assert_string_equal(c.chains[0].waiters[0].cgroup, "/lw.slice/app.scope");
	assert_string_equal(c.chains[1].owner_cgroup, "");
	assert_string_equal(c.chains[1].waiters[0].cgroup, "");
	assert_string_equal(c.chains[1].wait, "fuse");
	assert_string_equal(c.chains[1].request, "queued, not read by the daemon");
	assert_false(lw_asleep_wait(c.chains[1].owner_waits, what, sizeof(what)));
	assert_string_equal(lw_chain_doing(&c.chains[1]),
			    "stopped (SIGSTOP) for 2 s");
	/* Too small a buffer for the name: not taken. */
	assert_false(lw_asleep_wait(c.chains[0].owner_waits, what, 8));
	lw_chains_free(&c);
}

/* A user-mode helper's entry, as the core suite gives it on 6.1. */
static void test_umh(void **state)
{
	static const char text[] =
		"lockwatch chains 1\nchains: 2\n\n"
		"chain 1: umh user-mode helper /tmp/lw-helper -q -- fs-lwumh\n"
		"  addr: 00000000c5948937\n  helper: waited for until it exits\n"
		"  owner: 231 lw-helper\n  owner-confidence: exact\n"
		"  owner-state: S 0x1\n  owner-waits: nothing\n"
		"  ends: 231 lw-helper, the user-mode helper, asleep (S) in wait_for_partner for 2 s\n"
		"  owner-stack:\n    wait_for_partner+0x63/0x110\n"
		"  waiters: 1\n  waiter: 229 - 2 mount\n\n"
		"chain 2: umh user-mode helper /sbin/hotplug\n"
		"  addr: 00000000c5948938\n  helper: waited for until it runs\n"
		"  owner: -\n  owner-confidence: unknown\n"
		"  waiters: 1\n  waiter: 240 - 3 kworker/0:1\n";
	struct lw_chains c;
	char err[256] = "";

	(void)state;
	assert_int_equal(lw_parse_chains(text, &c, err, sizeof(err)), 0);
	assert_string_equal(c.chains[0].wait, "umh");
	assert_string_equal(c.chains[0].helper, "waited for until it exits");
	assert_string_equal(lw_chain_doing(&c.chains[0]),
			    "asleep (S) in wait_for_partner for 2 s");
	assert_int_equal(c.chains[1].owner_pid, -1);
	assert_string_equal(lw_umh_unowned(&c.chains[1]),
			    "the caller waits only until the helper runs; it has not run yet");
	assert_string_equal(lw_umh_unowned(&c.chains[0]),
			    "no helper process is found: it has not been started yet, or has exited");
	lw_chains_free(&c);
}

/* A kthread's creation behind kthreadd, as the core suite gives it. */
static void test_kthread(void **state)
{
	static const char text[] =
		"lockwatch chains 1\nchains: 1\n\n"
		"chain 1: kthread creation of a kthread to run lw_fork_child_fn [lockwatch_scenarios]\n"
		"  addr: 00000000c5948939\n"
		"  owner: 2 kthreadd\n  owner-confidence: exact\n"
		"  owner-state: D 0x2\n  owner-waits: chain 3\n"
		"  ends: 2 kthreadd waits for a percpu_rwsem of unknown owner\n"
		"  waiters: 1\n  waiter: 2559 - 0 lw_fork_asker\n";
	struct lw_chains c;
	char err[256] = "";

	(void)state;
	assert_int_equal(lw_parse_chains(text, &c, err, sizeof(err)), 0);
	assert_string_equal(c.chains[0].wait, "kthread");
	assert_int_equal(c.chains[0].owner_pid, 2);
	assert_string_equal(c.chains[0].owner_waits, "chain 3");
	lw_chains_free(&c);
}

/*
 * A cycle member's cgroup after its state; one that is no path, or out
 * of its place, refuses the report.
 */
static void test_cgroups(void **state)
{
	static const char head[] = "lockwatch cycles 1\ncycles: 1\n\ncycle 1: 1 task\n"
		"  task: 57 lw_self\n    state: D 0x2\n";
	static const char tail[] = "    blocked: 3 s\n"
		"    lock: mutex lw_self_mutex [lockwatch_scenarios]\n"
		"    mode: write\n    source: stack\n    addr: 00000000c0ffee00\n"
		"    owner: 57 lw_self\n    owner-confidence: exact\n";
	static const char *const cgroup[] = {
		"    cgroup: /system.slice/db.service\n",
		"    cgroup: system.slice\n",
		"    cgroup: -\n",
	};
	static const char waiter[] =
		"lockwatch chains 1\nchains: 1\n\nchain 1: mutex m\n  addr: 1\n"
		"  owner: -\n  owner-confidence: unknown\n  waiters: 1\n"
		"  waiter: 7 write 2 w\n    cgroup: ./x\n";
	char text[1024], err[256] = "";
	struct lw_report r;
	struct lw_chains c;
	size_t i;

	(void)state;
	for (i = 0; i < LW_ARRAY_SIZE(cgroup); i++) {
		snprintf(text, sizeof(text), "%s%s%s", head, cgroup[i], tail);
		assert_int_equal(lw_parse_cycles(text, &r, err, sizeof(err)),
				 i ? -1 : 0);
		if (!i)
			assert_string_equal(r.cycles[0].tasks[0].cgroup,
					    "/system.slice/db.service");
		else
			assert_string_equal(err, "line 7: bad cgroup line");
		lw_report_free(&r);
	}
	/* after the blocked line: not where the module writes it */
	snprintf(text, sizeof(text), "%s%s%s", head, tail, cgroup[0]);
	assert_int_equal(lw_parse_cycles(text, &r, err, sizeof(err)), 0);
	assert_string_equal(r.cycles[0].tasks[0].cgroup, "");
	lw_report_free(&r);
	assert_int_equal(lw_parse_chains(waiter, &c, err, sizeof(err)), -1);
	assert_string_equal(err, "line 10: bad cgroup line");
	lw_chains_free(&c);
}

/* A disk that stopped answering, as the file system suite gives it on 6.1. */
static void test_devices(void **state)
{
	static const char dev[] =
		"lockwatch devices 1\ndevices: 2\n\n"
		"device sda 8:0\n  addr: 00000000739fbd19\n"
		"  state: scsi 0:0:0:0 running, host running\n  inflight: 3\n"
		"  request: 4 s READ 2 sectors at 164 (hctx 0 tag 174)\n"
		"  request: - WRITE 2 sectors at 160 (hctx 0 tag 152)\n"
		"  waiters: 3\n  behind: 6\n\n"
		"device sdb 8:16\n  addr: 00000000739fbd20\n  inflight: unknown\n"
		"  waiters: 1\n  behind: 1\n";
	static const char *const broken[] = {
		/* more requests listed than in flight */
		"lockwatch devices 1\ndevices: 1\n\ndevice sda 8:0\n  addr: 1\n"
		"  inflight: 0\n  request: 4 s READ 2 sectors at 164 (hctx 0 tag 1)\n"
		"  waiters: 0\n  behind: 0\n",
		/* fewer behind it than waiting for it */
		"lockwatch devices 1\ndevices: 1\n\ndevice sda 8:0\n  addr: 1\n"
		"  inflight: 0\n  waiters: 2\n  behind: 1\n",
		/* a request of a disk whose requests were not read */
		"lockwatch devices 1\ndevices: 1\n\ndevice sda 8:0\n  addr: 1\n"
		"  inflight: unknown\n  request: 1 s READ 2 sectors at 1 (hctx 0 tag 1)\n"
		"  waiters: 0\n  behind: 0\n",
		/* a request line cut short */
		"lockwatch devices 1\ndevices: 1\n\ndevice sda 8:0\n  addr: 1\n"
		"  inflight: 1\n  request: 1 s READ 2 sectors\n  waiters: 0\n  behind: 0\n",
		/* one device announced, none given */
		"lockwatch devices 1\ndevices: 1\n",
	};
	struct lw_devices d;
	char err[256] = "";
	size_t i;

	(void)state;
	assert_int_equal(lw_parse_devices(dev, &d, err, sizeof(err)), 0);
	assert_int_equal(d.ndevices, 2);
	assert_string_equal(d.devices[0].name, "sda");
	assert_string_equal(d.devices[0].dev, "8:0");
	assert_string_equal(d.devices[0].state, "scsi 0:0:0:0 running, host running");
	assert_int_equal(d.devices[0].inflight, 3);
	assert_int_equal(d.devices[0].oldest_s, 4);
	assert_string_equal(d.devices[0].oldest, "READ 2 sectors at 164");
	assert_int_equal(d.devices[0].nrequests, 2);
	assert_int_equal(d.devices[0].behind, 6);
	assert_int_equal(d.devices[1].inflight, -1);
	assert_int_equal(d.devices[1].oldest_s, -1);
	assert_string_equal(d.devices[1].state, "");
	lw_devices_free(&d);
	for (i = 0; i < LW_ARRAY_SIZE(broken); i++) {
		err[0] = '\0';
		assert_int_equal(lw_parse_devices(broken[i], &d, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
		lw_devices_free(&d);
	}
}

static void test_stats(void **state)
{
	char *text = load("stats-6.1.txt");
	struct lw_stats st;
	char err[256] = "";

	(void)state;
	assert_int_equal(lw_parse_stats(text, &st, err, sizeof(err)), 0);
	assert_int_equal(lw_stat(&st, "cycles"), 5);
	assert_true(lw_stat(&st, "scans") > 0);
	assert_int_equal(lw_stat(&st, "no_such_counter"), -1);
	assert_int_equal(lw_parse_stats("lockwatch stats 1\nscans: -1\n", &st,
					err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad counter value"));
	assert_int_equal(lw_parse_stats("lockwatch stats 9\n", &st, err,
					sizeof(err)), -1);
	assert_non_null(strstr(err, "report format 9"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured_five_cycles),
		cmocka_unit_test(test_no_cycle),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_newer_format),
		cmocka_unit_test(test_not_a_report),
		cmocka_unit_test(test_count_too_large),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_module_truncated),
		cmocka_unit_test(test_broken_fields),
		cmocka_unit_test(test_captured_chains),
		cmocka_unit_test(test_broken_chains),
		cmocka_unit_test(test_captured_waits),
		cmocka_unit_test(test_percpu_and_broken_waits),
		cmocka_unit_test(test_io_wait),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_fuse),
		cmocka_unit_test(test_cgroups),
		cmocka_unit_test(test_umh),
		cmocka_unit_test(test_kthread),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_stats),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}

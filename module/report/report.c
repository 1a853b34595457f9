// SPDX-License-Identifier: GPL-2.0
/*
 * The report: the confirmed cycles and chains of a scan rendered as text,
 * published for debugfs.c to read, and each new cycle
 * logged once to the kernel log. It only reads what the scan decided.
 * The format is described in docs/reports.md and parsed by
 * userspace/lockwatch; bump LW_FORMAT_VERSION when it changes
 * incompatibly.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "kinds/kind.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "report.h"

#define LW_REPORT_MAX	(1024 * 1024)
/* The devices' report: at most LW_MAX_DISKS short entries. */
#define LW_DEVICES_MAX	(64 * 1024)
/* New cycles logged one by one per scan; the rest in one line. */
#define LW_LOG_PER_SCAN	16
/* Reports a logged cycle may be missing from and still not be new. */
#define LW_LOG_GRACE	3

/*
 * The published reports. Each has LW_REPORT_SLOTS texts: the published
 * one, and others that readers who opened the file earlier still read
 * (pinned: a text read is never rewritten). A scan renders into a slot
 * neither published nor pinned, outside the lock, and publishes it; with
 * none free (readers keep older texts open), that report stays as it was
 * and stats count it. Readers copy from their pinned text without any
 * lock and allocate nothing.
 */
#define LW_REPORT_SLOTS	3
struct lw_slot {
	struct lw_buf buf;
	int readers;
};
static DEFINE_SPINLOCK(lw_report_lock);
static struct lw_slot lw_slots[LW_REPORTS][LW_REPORT_SLOTS];
static unsigned int lw_cur[LW_REPORTS];
static struct lw_stats lw_published_stats;
static u64 lw_held_back;

static char lw_state_letter(unsigned int state)
{
	if (state & TASK_UNINTERRUPTIBLE)
		return 'D';
	if (state & TASK_INTERRUPTIBLE)
		return 'S';
	if (state == TASK_RUNNING)
		return 'R';
	if (state & __TASK_TRACED)
		return 't';
	if (state & __TASK_STOPPED)
		return 'T';
	return '?';
}

static void lw_print_stack(struct lw_scan *s, struct lw_buf *b,
			   const char *key, const struct lw_task *bt,
			   const char *indent)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned int i;

	if (!bt->nframes)
		return;
	lw_printf(b, "%s%s:\n", indent, key);
	for (i = 0; i < bt->nframes; i++) {
		lw_name_text(s, bt->frames[i], sym, sizeof(sym));
		lw_printf(b, "%s  %s\n", indent, sym);
	}
}

/* The address of what a lock entry stands for, without its kind's key. */
static unsigned long lw_lock_addr(const struct lw_lock *l)
{
	return l->addr & ~lw_kind(l->kind)->key;
}

static u64 lw_blocked_s(const struct lw_scan *s, const struct lw_task *bt)
{
	return div_u64(s->now - bt->since, NSEC_PER_SEC);
}

/*
 * "KEY: /system.slice/x.service", the cgroup v2 task @t runs in, where
 * that is not the root cgroup and its path can be read.
 */
static void lw_render_cgroup(struct lw_scan *s, struct lw_buf *b,
			     const char *key, const struct lw_task *t)
{
	char path[LW_NAME_LEN];

	if (t->cgroup_kn && lw_name_kernfs(s, t->cgroup_kn, path, sizeof(path)))
		lw_printf(b, "%s: %s\n", key, path);
}

static void lw_render_task(struct lw_scan *s, struct lw_buf *b, int i)
{
	const struct lw_task *bt = &s->tasks[i];
	const struct lw_lock *l = &s->locks[bt->lock];
	const struct lw_task *o = &s->tasks[l->owner];
	char name[LW_NAME_LEN];

	lw_name_lock(s, l, name, sizeof(name));
	lw_printf(b, "  task: %d %s\n", bt->pid, bt->comm);
	lw_printf(b, "    state: %c 0x%x\n", lw_state_letter(bt->state),
		  bt->state);
	lw_render_cgroup(s, b, "    cgroup", bt);
	lw_printf(b, "    blocked: %llu s\n", lw_blocked_s(s, bt));
	lw_printf(b, "    lock: %s %s\n", lw_kind_name(l->kind), name);
	lw_printf(b, "    mode: %s\n", lw_mode_name(bt->mode));
	lw_printf(b, "    source: %s\n", lw_source_name(bt->source));
	lw_print_addr(b, "    addr", lw_lock_addr(l));
	lw_printf(b, "    owner: %d %s\n", o->pid, o->comm);
	lw_printf(b, "    owner-confidence: %s\n", lw_conf_name(l->conf));
	lw_print_stack(s, b, "stack", bt, "    ");
}

static u64 lw_cycle_signature(const struct lw_scan *s, const int *members,
			      int len)
{
	u64 sig = 0;
	int i;

	for (i = 0; i < len; i++) {
		const struct lw_task *bt = &s->tasks[members[i]];

		sig += hash_64((unsigned long)bt->task ^ bt->pid ^
			       s->locks[bt->lock].addr, 64);
	}
	return sig;
}

/* What the owner of a member's lock does for it, in the kernel log. */
static const char *lw_owner_verb(u8 kind)
{
	return lw_kind(kind)->owner_verb ?: "held";
}

/*
 * A member of a cycle in the kernel log: at KERN_WARNING when a cycle is
 * new, at KERN_EMERG with its stack before panic_on_deadlock's panic, so
 * that every console, netconsole and pstore carry it.
 */
static void lw_log_member(struct lw_scan *s, int member, bool emerg)
{
	const struct lw_task *bt = &s->tasks[member];
	const struct lw_lock *l = &s->locks[bt->lock];
	const struct lw_task *o = &s->tasks[l->owner];
	char name[LW_NAME_LEN], sym[KSYM_SYMBOL_LEN];
	unsigned int i;

	lw_name_lock(s, l, name, sizeof(name));
	if (!emerg) {
		pr_warn("  pid %d (%s) waits for %s %s (%s), %s by pid %d (%s, %s)\n",
			bt->pid, bt->comm, lw_kind_name(l->kind), name,
			lw_mode_name(bt->mode), lw_owner_verb(l->kind),
			o->pid, o->comm, lw_conf_name(l->conf));
		return;
	}
	pr_emerg("  pid %d (%s) waits for %s %s (%s), %s by pid %d (%s, %s)\n",
		 bt->pid, bt->comm, lw_kind_name(l->kind), name,
		 lw_mode_name(bt->mode), lw_owner_verb(l->kind),
		 o->pid, o->comm, lw_conf_name(l->conf));
	for (i = 0; i < bt->nframes; i++) {
		lw_name_text(s, bt->frames[i], sym, sizeof(sym));
		pr_emerg("    %s\n", sym);
	}
}

static void lw_log_cycle(struct lw_scan *s, const int *members, int len)
{
	int i;

	pr_warn("deadlock: cycle of %d %s\n", len, len == 1 ? "task" : "tasks");
	for (i = 0; i < len; i++)
		lw_log_member(s, members[i], false);
	s->stats.cycles_logged++;
}

/*
 * panic_on_deadlock: a cycle that has been in @s->params.panic_reports
 * reports in a row (counted for the first LW_STREAKS cycles of each) is
 * logged in full at KERN_EMERG, and the scan panics once this report is
 * published. @next: the streaks of this report.
 */
static void lw_streak(struct lw_scan *s, u64 sig, const int *members,
		      int len, struct lw_streak *next, int *nnext)
{
	u32 first = s->reports, want = s->params.panic_reports;
	int i;

	for (i = 0; i < s->nstreaks; i++)
		if (s->streaks[i].sig == sig) {
			first = s->streaks[i].first;
			break;
		}
	if (*nnext < LW_STREAKS)
		next[(*nnext)++] = (struct lw_streak){ .sig = sig, .first = first };
	if (!want || s->panic_len || s->reports - first + 1 < want)
		return;
	pr_emerg("panic_on_deadlock: a cycle of %d %s in %u reports in a row:\n",
		 len, len == 1 ? "task" : "tasks", s->reports - first + 1);
	for (i = 0; i < len; i++)
		lw_log_member(s, members[i], true);
	s->panic_len = len;
}

/* A report of a scan that could not examine every task says so. */
static void lw_render_incomplete(struct lw_scan *s, struct lw_buf *b)
{
	if (s->stats.overflows)
		lw_printf(b, "\nincomplete: %llu blocked tasks beyond max_tasks=%d were not examined\n",
			  s->stats.overflows, s->max_tasks);
}

/*
 * Log a confirmed cycle to the kernel log the first time it is reported.
 * A cycle stays known while it is missing from up to LW_LOG_GRACE reports
 * in a row (a task woken spuriously, a walk cut short), so one gap does
 * not log it again.
 */
static void lw_log_if_new(struct lw_scan *s, unsigned long sig,
			  const int *members, int len, int *nlogged,
			  int *unlogged)
{
	struct lw_map *known = &s->logged[s->logged_cur];
	struct lw_map *next = &s->logged[!s->logged_cur];

	if (lw_map_get(known, sig) == LW_NONE &&
	    lw_map_get(next, sig) == LW_NONE) {
		if (++*nlogged <= LW_LOG_PER_SCAN)
			lw_log_cycle(s, members, len);
		else
			++*unlogged;
	}
	lw_map_put(next, sig, s->reports);
}

/* The known cycles of this report: those seen, and those in grace. */
static void lw_log_done(struct lw_scan *s, int unlogged)
{
	struct lw_map *known = &s->logged[s->logged_cur];
	struct lw_map *next = &s->logged[!s->logged_cur];
	unsigned int i;

	if (unlogged)
		pr_warn("deadlock: %d more new cycles, not logged one by one: see cycles in debugfs\n",
			unlogged);
	for (i = 0; i < known->used; i++) {
		unsigned int slot = known->filled[i];
		u32 seen = known->vals[slot];

		if (s->reports - seen <= LW_LOG_GRACE &&
		    lw_map_get(next, known->keys[slot]) == LW_NONE)
			lw_map_put(next, known->keys[slot], seen);
	}
	lw_map_clear(known);
	s->logged_cur = !s->logged_cur;
	s->reports++;
}

static void lw_render_cycles(struct lw_scan *s, struct lw_buf *b)
{
	int c, i, len, from = 0, nlogged = 0, unlogged = 0, nnext = 0;
	struct lw_streak next[LW_STREAKS];
	int ncand = s->stats.candidates;
	int *members = s->scratch;
	unsigned long sig;

	lw_printf(b, "lockwatch cycles %d\n", LW_FORMAT_VERSION);
	lw_printf(b, "cycles: %llu\n", s->stats.cycles);
	for (c = 1; c <= ncand; c++) {
		if (!s->cycle_ok[c - 1])
			continue;
		/* Thousands of entries take a while to name: let others run. */
		cond_resched();
		len = lw_graph_cycle(s->nodes, s->ntasks, c, &from, members,
				     s->max_tasks);
		lw_printf(b, "\ncycle %d: %d %s\n", s->cycle_ok[c - 1], len,
			  len == 1 ? "task" : "tasks");
		for (i = 0; i < len; i++)
			lw_render_task(s, b, members[i]);
		len = min(len, s->max_tasks);
		sig = lw_cycle_signature(s, members, len) | 1;
		lw_log_if_new(s, sig, members, len, &nlogged, &unlogged);
		lw_streak(s, sig, members, len, next, &nnext);
	}
	memcpy(s->streaks, next, nnext * sizeof(next[0]));
	s->nstreaks = nnext;
	lw_log_done(s, unlogged);
	lw_render_incomplete(s, b);
}

/* The name of stop signal @sig, as a person would say it. */
static const char *lw_stop_signal(u8 sig)
{
	switch (sig) {
	case SIGSTOP:
		return " (SIGSTOP)";
	case SIGTSTP:
		return " (SIGTSTP)";
	case SIGTTIN:
		return " (SIGTTIN)";
	case SIGTTOU:
		return " (SIGTTOU)";
	default:
		return "";
	}
}

/*
 * Who froze task @t: "frozen by cgroup freezer /paused for 40 s" (v1),
 * "frozen by cgroup /paused" (v2's cgroup.freeze), "frozen by the
 * system's freezer (suspend)".
 */
static void lw_render_frozen(struct lw_scan *s, struct lw_buf *b,
			     const struct lw_task *t, u64 secs)
{
	char path[LW_NAME_LEN];

	if (t->frozen == LW_FROZEN_SYSTEM)
		lw_printf(b, "frozen by the system's freezer (suspend) for %llu s\n",
			  secs);
	else if (!t->frozen_kn ||
		 !lw_name_kernfs(s, t->frozen_kn, path, sizeof(path)))
		lw_printf(b, "frozen by a cgroup for %llu s\n", secs);
	else
		lw_printf(b, "frozen by cgroup %s%s for %llu s\n",
			  t->frozen == LW_FROZEN_V1 ? "freezer " : "", path,
			  secs);
}

/*
 * What task @t, which waits for no lock, does, in plain words and since
 * when (as long as it has not switched): the end of a line.
 */
static void lw_render_doing(struct lw_scan *s, struct lw_buf *b,
			    const struct lw_task *t)
{
	const char *reclaim = (t->flags & PF_MEMALLOC) &&
			      !(t->flags & PF_KSWAPD) ? ", in direct reclaim" : "";
	u64 secs = lw_blocked_s(s, t);
	char site[LW_NAME_LEN];

	if (t->exited)
		lw_printf(b, "has exited\n");
	else if (t->frozen)
		lw_render_frozen(s, b, t, secs);
	else if (t->state & __TASK_TRACED && t->tracer)
		lw_printf(b, "stopped by its tracer %d %s for %llu s\n",
			  t->tracer, t->tracer_comm, secs);
	else if (t->state & __TASK_TRACED)
		lw_printf(b, "stopped by a tracer for %llu s\n", secs);
	else if (t->state & __TASK_STOPPED)
		lw_printf(b, "stopped%s for %llu s\n",
			  lw_stop_signal(t->stopsig), secs);
	else if (t->state == TASK_RUNNING && t->on_cpu)
		lw_printf(b, "running on CPU %d, no context switch for %llu s%s\n",
			  t->cpu, secs, reclaim);
	else if (t->state == TASK_RUNNING)
		lw_printf(b, "runnable on CPU %d, not run for %llu s%s\n",
			  t->cpu, secs, reclaim);
	else if (t->state & TASK_INTERRUPTIBLE) {
		lw_name_site(t->site, site, sizeof(site));
		lw_printf(b, "asleep (S) in %s for %llu s%s\n", site, secs,
			  reclaim);
	} else {
		lw_printf(b, "%c 0x%x, waits for no lock\n",
			  lw_state_letter(t->state), t->state);
	}
}

static u64 lw_age_s(const struct lw_scan *s, u64 start_ns)
{
	return start_ns && start_ns < s->now ?
	       div_u64(s->now - start_ns, NSEC_PER_SEC) : 0;
}

/* A request: "WRITE 8 sectors at 34816". */
static void lw_render_rq(struct lw_buf *b, const struct lw_rq *rq)
{
	lw_printf(b, "%s %u sectors at %llu", blk_op_str(rq->op & REQ_OP_MASK),
		  rq->bytes >> SECTOR_SHIFT, (unsigned long long)rq->sector);
}

/*
 * The rest of an "ends:" line at disk @d: "I/O on sda (8:0): 2 requests
 * in flight, oldest 93 s (WRITE 8 sectors at 34816)".
 */
static void lw_render_disk_end(struct lw_scan *s, struct lw_buf *b, int d)
{
	const struct lw_disk *dk = &s->disks[d];
	const struct lw_rq *rq = &dk->rqs[0];

	lw_printf(b, "I/O on %s (%d:%d): ", dk->name, dk->major, dk->minor);
	if (!dk->readable)
		lw_printf(b, "its requests cannot be read on this kernel\n");
	else if (!dk->inflight)
		lw_printf(b, "no request in flight\n");
	else {
		lw_printf(b, "%d %s in flight, ", dk->inflight,
			  dk->inflight == 1 ? "request" : "requests");
		if (rq->start_ns)
			lw_printf(b, "oldest %llu s (", lw_age_s(s, rq->start_ns));
		else
			lw_printf(b, "start not recorded (");
		lw_render_rq(b, rq);
		lw_printf(b, ")\n");
	}
}

/*
 * What the end of the chain through owner @o of @l is to the task before
 * it, where the kind it waits for says ("FUSE daemon"), or NULL.
 */
static const char *lw_end_role(const struct lw_scan *s,
			       const struct lw_lock *l, int o)
{
	int e = s->nodes[o].end, i, steps;

	for (i = o, steps = 0; i != e && steps < s->ntasks; steps++) {
		l = &s->locks[s->tasks[i].lock];
		i = s->nodes[i].waits_for;
	}
	return i == e ? lw_kind(l->kind)->owner_role : NULL;
}

/* How the chain through owner @o of @l ends, in one line. */
static void lw_render_end(struct lw_scan *s, struct lw_buf *b,
			  const struct lw_lock *l, int o)
{
	int e = s->nodes[o].end;
	const struct lw_task *et = &s->tasks[e];
	const struct lw_lock *el = et->lock != LW_NONE ? &s->locks[et->lock] : NULL;
	const char *role = lw_end_role(s, l, o);
	char name[LW_NAME_LEN];

	if (lw_in_cycle(s, e)) {
		lw_printf(b, "  ends: cycle %d\n",
			  lw_in_cycle(s, e));
	} else if (el && lw_kind(el->kind)->unknown) {
		lw_name_lock(s, el, name, sizeof(name));
		lw_printf(b, "  ends: %d %s %c, waits in %s\n", et->pid,
			  et->comm, lw_state_letter(et->state), name);
	} else if (el && el->disk != LW_NONE) {
		lw_printf(b, "  ends: %d %s waits for ", et->pid, et->comm);
		lw_render_disk_end(s, b, el->disk);
	} else if (el && et->drain) {
		lw_printf(b, "  ends: %d %s waits for the readers of a %s\n",
			  et->pid, et->comm, lw_kind_name(el->kind));
	} else if (el) {
		lw_printf(b, "  ends: %d %s waits for a %s of unknown owner\n",
			  et->pid, et->comm, lw_kind_name(el->kind));
	} else if (role) {
		lw_printf(b, "  ends: %d %s, the %s, ", et->pid, et->comm, role);
		lw_render_doing(s, b, et);
	} else {
		lw_printf(b, "  ends: %d %s ", et->pid, et->comm);
		lw_render_doing(s, b, et);
	}
	if (!lw_in_cycle(s, e) && e != o)
		lw_render_cgroup(s, b, "  ends-cgroup", et);
}

/* What the owner of a chain's lock waits for, in one line. */
static void lw_render_owner_waits(struct lw_scan *s, struct lw_buf *b,
				  const struct lw_task *o, int oi)
{
	const struct lw_lock *ol = o->lock != LW_NONE ? &s->locks[o->lock] : NULL;
	char name[LW_NAME_LEN];

	if (lw_in_cycle(s, oi))
		lw_printf(b, "  owner-waits: cycle %d\n",
			  lw_in_cycle(s, oi));
	else if (ol && o->drain)
		lw_printf(b, "  owner-waits: readers\n");
	else if (ol && ol->chain)
		lw_printf(b, "  owner-waits: chain %d\n", ol->chain);
	else if (ol && lw_kind(ol->kind)->asleep) {
		lw_name_lock(s, ol, name, sizeof(name));
		lw_printf(b, "  owner-waits: %s %s, asleep\n",
			  lw_kind_name(ol->kind), name);
	} else if (ol)
		lw_printf(b, "  owner-waits: %s, not stuck\n",
			  lw_kind_name(ol->kind));
	else
		lw_printf(b, "  owner-waits: nothing\n");
}

/* What is known of the lock of a chain, before its owner: its kind says. */
static void lw_render_held(struct lw_scan *s, struct lw_buf *b,
			   const struct lw_lock *l)
{
	const struct lw_kind_ops *k = lw_kind(l->kind);

	lw_print_addr(b, "  addr", lw_lock_addr(l));
	if (k->held)
		k->held(s, l, b);
}

static void lw_render_chain(struct lw_scan *s, struct lw_buf *b,
			    const struct lw_lock *l)
{
	char name[LW_NAME_LEN];
	int i;

	lw_name_lock(s, l, name, sizeof(name));
	lw_printf(b, "\nchain %d: %s %s\n", l->chain, lw_kind_name(l->kind),
		  name);
	if (lw_kind(l->kind)->unknown) {
		/* What these tasks wait for is not known: where they sleep is. */
		lw_printf(b, "  wait: %s\n", lw_kind(l->kind)->wait);
		lw_print_stack(s, b, "stack", &s->tasks[l->first_stuck], "  ");
	} else if (l->owner == LW_NONE) {
		lw_render_held(s, b, l);
		lw_printf(b, "  owner: -\n");
		lw_printf(b, "  owner-confidence: %s\n", lw_conf_name(l->conf));
		if (l->disk != LW_NONE) {
			lw_printf(b, "  ends: ");
			lw_render_disk_end(s, b, l->disk);
		}
	} else {
		const struct lw_task *o = &s->tasks[l->owner];

		lw_render_held(s, b, l);
		lw_printf(b, "  owner: %d %s\n", o->pid, o->comm);
		lw_render_cgroup(s, b, "  owner-cgroup", o);
		lw_printf(b, "  owner-confidence: %s\n", lw_conf_name(l->conf));
		lw_printf(b, "  owner-state: %c 0x%x\n",
			  lw_state_letter(o->state), o->state);
		lw_render_owner_waits(s, b, o, l->owner);
		lw_render_end(s, b, l, l->owner);
		if (o->lock == LW_NONE || lw_kind(s->locks[o->lock].kind)->unknown)
			lw_print_stack(s, b, "owner-stack", o, "  ");
	}
	lw_printf(b, "  waiters: %u\n", l->nstuck);
	for (i = l->first_stuck; i != LW_NONE; i = s->tasks[i].next_stuck) {
		const struct lw_task *bt = &s->tasks[i];

		lw_printf(b, "  waiter: %d %s %llu %s\n", bt->pid,
			  lw_mode_name(bt->mode), lw_blocked_s(s, bt), bt->comm);
		lw_render_cgroup(s, b, "    cgroup", bt);
	}
}

static void lw_render_chains(struct lw_scan *s, struct lw_buf *b)
{
	int lk, pass;

	lw_printf(b, "lockwatch chains %d\n", LW_FORMAT_VERSION);
	lw_printf(b, "chains: %d\n", s->nchains);
	for (pass = 0; pass < 2; pass++) {
		for (lk = 0; lk < s->nlocks; lk++) {
			if (s->locks[lk].chain &&
			    lw_kind(s->locks[lk].kind)->unknown == pass)
				lw_render_chain(s, b, &s->locks[lk]);
			cond_resched();
		}
	}
	lw_render_incomplete(s, b);
}

static void lw_render_device(struct lw_scan *s, struct lw_buf *b, int d)
{
	const struct lw_disk *dk = &s->disks[d];
	int i;

	lw_printf(b, "\ndevice %s %d:%d\n", dk->name, dk->major, dk->minor);
	lw_print_addr(b, "  addr", dk->addr);
	if (dk->state[0])
		lw_printf(b, "  state: %s\n", dk->state);
	if (!dk->readable) {
		lw_printf(b, "  inflight: unknown\n");
	} else {
		lw_printf(b, "  inflight: %d%s\n", dk->inflight,
			  dk->partial ? " or more" : "");
		for (i = 0; i < dk->nrqs; i++) {
			const struct lw_rq *rq = &dk->rqs[i];

			if (rq->start_ns)
				lw_printf(b, "  request: %llu s ",
					  lw_age_s(s, rq->start_ns));
			else
				lw_printf(b, "  request: - ");
			lw_render_rq(b, rq);
			lw_printf(b, " (hctx %d tag %d)\n", rq->hctx, rq->tag);
		}
	}
	lw_printf(b, "  waiters: %u\n", dk->nstuck);
	lw_printf(b, "  behind: %u\n", dk->behind);
}

/* The disks the chains end at, each with what its driver has in flight. */
static void lw_render_devices(struct lw_scan *s, struct lw_buf *b)
{
	int d;

	lw_printf(b, "lockwatch devices %d\n", LW_FORMAT_VERSION);
	lw_printf(b, "devices: %d\n", s->ndisks);
	for (d = 0; d < s->ndisks; d++)
		lw_render_device(s, b, d);
}

/* A slot of report @which neither published nor pinned, or NULL. */
static struct lw_buf *lw_free_slot(enum lw_report which)
{
	struct lw_buf *b = NULL;
	unsigned int i;

	spin_lock(&lw_report_lock);
	for (i = 0; i < LW_REPORT_SLOTS && !b; i++)
		if (i != lw_cur[which] && !lw_slots[which][i].readers)
			b = &lw_slots[which][i].buf;
	spin_unlock(&lw_report_lock);
	if (b) {
		b->len = 0;
		b->truncated = false;
	}
	return b;
}

/* Only the scan publishes: a free slot stays free until it does. */
void lw_report_publish(struct lw_scan *s)
{
	static void (*const render[LW_REPORTS])(struct lw_scan *s,
						 struct lw_buf *b) = {
		[LW_REPORT_CYCLES] = lw_render_cycles,
		[LW_REPORT_CHAINS] = lw_render_chains,
		[LW_REPORT_DEVICES] = lw_render_devices,
	};
	u64 start = ktime_get_ns();
	struct lw_buf *b[LW_REPORTS];
	u64 held = 0;
	int r;

	for (r = 0; r < LW_REPORTS; r++) {
		b[r] = lw_free_slot(r);
		if (!b[r]) {
			held++;
			continue;
		}
		b[r]->raw_pointers = s->params.raw_pointers;
		render[r](s, b[r]);
	}
	s->stats.last_render_ns = ktime_get_ns() - start;

	spin_lock(&lw_report_lock);
	for (r = 0; r < LW_REPORTS; r++)
		if (b[r])
			lw_cur[r] = container_of(b[r], struct lw_slot, buf) -
				    lw_slots[r];
	lw_held_back += held;
	lw_published_stats = s->stats;
	lw_published_stats.held_back = lw_held_back;
	spin_unlock(&lw_report_lock);
}

/* The size of each report's texts. */
static size_t lw_report_max(unsigned int r)
{
	return r == LW_REPORT_DEVICES ? LW_DEVICES_MAX : LW_REPORT_MAX;
}

/* The reports' slots. */
size_t lw_report_bytes(void)
{
	size_t n = 0;
	unsigned int r;

	for (r = 0; r < LW_REPORTS; r++)
		n += LW_REPORT_SLOTS * lw_report_max(r);
	return n;
}

int lw_report_init(void)
{
	static const char *const what[LW_REPORTS] = {
		[LW_REPORT_CYCLES] = "cycles",
		[LW_REPORT_CHAINS] = "chains",
		[LW_REPORT_DEVICES] = "devices",
	};
	struct lw_buf *b;
	unsigned int r, i;

	for (r = 0; r < LW_REPORTS; r++) {
		for (i = 0; i < LW_REPORT_SLOTS; i++) {
			b = &lw_slots[r][i].buf;
			b->max = lw_report_max(r);
			b->data = lw_alloc(b->max, 1, "a report");
			if (!b->data) {
				lw_report_exit();
				return -ENOMEM;
			}
		}
		/* Before the first scan: an empty report. */
		lw_cur[r] = 0;
		b = &lw_slots[r][0].buf;
		b->len = 0;
		lw_printf(b, "lockwatch %s %d\n%s: 0\n", what[r],
			  LW_FORMAT_VERSION, what[r]);
	}
	lw_held_back = 0;
	return 0;
}

void lw_report_exit(void)
{
	unsigned int r, i;

	for (r = 0; r < LW_REPORTS; r++) {
		for (i = 0; i < LW_REPORT_SLOTS; i++) {
			kvfree(lw_slots[r][i].buf.data);
			lw_slots[r][i].buf.data = NULL;
		}
	}
}

/*
 * Pin the published text of report @which: it is not rewritten until
 * lw_report_put(). Never waits but for the publishing's short section.
 */
const struct lw_buf *lw_report_get(enum lw_report which)
{
	struct lw_slot *slot;

	spin_lock(&lw_report_lock);
	slot = &lw_slots[which][lw_cur[which]];
	slot->readers++;
	spin_unlock(&lw_report_lock);
	return &slot->buf;
}

void lw_report_put(const struct lw_buf *b)
{
	struct lw_slot *slot = container_of(b, struct lw_slot, buf);

	spin_lock(&lw_report_lock);
	slot->readers--;
	spin_unlock(&lw_report_lock);
}

/* The counters of the published report. */
void lw_report_stats(struct lw_stats *st)
{
	spin_lock(&lw_report_lock);
	*st = lw_published_stats;
	spin_unlock(&lw_report_lock);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * RCU grace periods: a task in synchronize_rcu() and its relatives (the
 * tasks flavours, synchronize_srcu()), waiting for every reader that
 * was inside a read-side section when it asked to leave it. Module
 * unload, network device teardown, cgroup removal and many file system
 * paths wait so; when a grace period cannot end they pile up behind it.
 *
 * Found: the wait sleeps in the completion wait with an on-stack struct
 * swait_queue linked in the completion of an on-stack struct
 * rcu_synchronize (include/linux/rcupdate_wait.h), and its stack returns
 * into the grace period wait (__wait_rcu_gp(), synchronize_rcu_normal(),
 * __synchronize_srcu()).
 *
 * Proven: the completion is found as the completion kind finds one (the
 * entry names the task and is linked in a ring whose one node off every
 * stack is the completion's queue head); it lies on the task's own stack
 * inside a struct rcu_synchronize whose callback is wakeme_after_rcu(),
 * the callback every grace period wait queues (synchronize_rcu_normal()
 * queues none: there its frame is the proof).
 *
 * Owner: a grace period records no task that holds it; the CPUs that
 * have not passed a quiescent state and the rcu_node lists of readers
 * preempted inside a section are in RCU's own state, which no header
 * describes. Preemptible RCU (CONFIG_PREEMPT_RCU) counts each task's
 * read-side nesting and marks one preempted inside a section
 * (rcu_blocked_node): the task the walks have found inside a section
 * the most times in a row (at least two; queued as preempted all along,
 * or running without a context switch) is named, a hint (it may have left
 * one section and entered another, and a reader that entered after the
 * grace period began does not hold it), the preempted first. Only plain
 * RCU's waits (synchronize_rcu(), its expedited form) are held up by
 * such readers. Without preemptible RCU, or with no such reader: none.
 *
 * Name: by the function that asked for it, one entry per flavour ("grace
 * period (synchronize_rcu)"); an SRCU grace period belongs to its
 * srcu_struct, so each of its waiters has its own entry ("SRCU grace
 * period (synchronize_srcu)").
 */
#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/rcupdate_wait.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "compat.h"
#include "lib/lib.h"
#include "ops.h"

/* The grace period waits, by their names of each kernel. */
static const char * const lw_gp_fns[] = {
	"__wait_rcu_gp", "synchronize_rcu_normal", "__synchronize_srcu",
};
/* Those that queue no callback: their frame alone is the proof. */
static const char * const lw_gp_queueless[] = { "synchronize_rcu_normal" };
static const char * const lw_gp_callback[] = { "wakeme_after_rcu" };
static const char * const lw_gp_srcu[] = { "__synchronize_srcu" };
/*
 * Who asked: the innermost frame of one names the entry. An SRCU one
 * waits for its own srcu_struct's readers.
 */
enum { LW_ASK_RCU, LW_ASK_EXPEDITED, LW_ASK_NORMAL };
static const char * const lw_gp_askers[] = {
	[LW_ASK_RCU] = "synchronize_rcu",
	[LW_ASK_EXPEDITED] = "synchronize_rcu_expedited",
	/* synchronize_rcu()'s own wait, which it may tail-call */
	[LW_ASK_NORMAL] = "synchronize_rcu_normal",
	"synchronize_rcu_tasks_generic", "synchronize_rcu_tasks_rude",
	"synchronize_rcu_tasks_trace", "synchronize_rcu_tasks",
	"synchronize_srcu_expedited", "synchronize_srcu",
};
/* A grace period none of them asked for directly. */
static const char lw_gp_anonymous[] = "grace period";

static struct lw_name_verdict lw_gp_cache[1 << LW_NAME_CACHE_BITS];
static struct lw_name_verdict lw_queueless_cache[1 << LW_NAME_CACHE_BITS];
static struct lw_name_verdict lw_callback_cache[1 << LW_NAME_CACHE_BITS];
static struct lw_name_verdict lw_srcu_cache[1 << LW_NAME_CACHE_BITS];

/* The struct rcu_synchronize around completion @c. */
#define LW_RS_OF(c)	((c) - offsetof(struct rcu_synchronize, completion))

/*
 * The entry's key: one per asking function (the address of its name
 * here, which nothing else uses), or @c itself for SRCU, whose grace
 * periods are each srcu_struct's own.
 */
static unsigned long lw_gp_key(const struct lw_task *bt, unsigned long c,
			       bool srcu)
{
	unsigned int f;
	int i;

	if (srcu)
		return c;
	for (f = 0; f < bt->nframes; f++) {
		i = lw_match_name(bt->frames[f], lw_gp_askers,
				  ARRAY_SIZE(lw_gp_askers));
		if (i == LW_ASK_NORMAL)
			i = LW_ASK_RCU;
		if (i >= 0)
			return (unsigned long)&lw_gp_askers[i];
	}
	return (unsigned long)lw_gp_anonymous;
}

/* Is the completion @c (on @bt's stack, @sp on) a grace period's? */
static bool lw_gp_completion(struct lw_scan *s, const struct lw_task *bt,
			     unsigned long sp, unsigned long c)
{
	unsigned long rs = LW_RS_OF(c), fn;

	if (rs < sp || c + sizeof(struct completion) >
	    sp + s->stack_words * sizeof(long))
		return false;
	if (lw_frames_named(lw_queueless_cache, bt, lw_gp_queueless,
			    ARRAY_SIZE(lw_gp_queueless)))
		return true;
	return !lw_read(&fn, rs + offsetof(struct rcu_synchronize, head.func),
			sizeof(fn), s) &&
	       lw_addr_named(lw_callback_cache, fn, lw_gp_callback,
			     ARRAY_SIZE(lw_gp_callback));
}

static int lw_find_wait_rcu(struct lw_scan *s, struct lw_task *bt,
			    unsigned long sp)
{
	unsigned long c;
	unsigned int i;
	bool srcu;

	if (!lw_frames_named(lw_gp_cache, bt, lw_gp_fns,
			     ARRAY_SIZE(lw_gp_fns)))
		return -ENOENT;
	srcu = lw_frames_named(lw_srcu_cache, bt, lw_gp_srcu,
			       ARRAY_SIZE(lw_gp_srcu));
	for (i = 0; i < s->stack_words; i++) {
		if (s->stack[i] != (unsigned long)bt->task)
			continue;
		c = lw_completion_at(s, sp, i);
		if (!c || !lw_gp_completion(s, bt, sp, c))
			continue;
		return lw_claim_at(s, bt, lw_gp_key(bt, c, srcu), &lw_rcu_kind,
				   LW_MODE_NONE, sp + i * sizeof(long));
	}
	return -ENOENT;
}

static bool lw_rcu_still(struct lw_scan *s, const struct lw_task *bt)
{
	return lw_swait_still(s, bt->waiter, (unsigned long)bt->task);
}

/* Are @l's waiters held up by plain RCU's readers? */
static bool lw_gp_plain(const struct lw_lock *l)
{
	return l->addr == (unsigned long)lw_gp_anonymous ||
	       l->addr == (unsigned long)&lw_gp_askers[LW_ASK_RCU] ||
	       l->addr == (unsigned long)&lw_gp_askers[LW_ASK_EXPEDITED];
}

/*
 * The reader seen inside a section the most walks in a row, at least
 * two, the preempted first among equals (a hint).
 */
static int lw_decode_rcu(struct lw_scan *s, struct lw_lock *l)
{
	const struct lw_rcu_reader *r, *best = NULL;
	int i;

	l->reader = LW_READER_NONE;
	if (!lw_gp_plain(l))
		return 0;
	for (i = 0; i < s->nreaders; i++) {
		r = &s->readers[i];
		if (r->walks < 2 || (best && (r->walks < best->walks ||
		    (r->walks == best->walks &&
		     (r->state != LW_READER_PREEMPTED ||
		      best->state == LW_READER_PREEMPTED)))))
			continue;
		best = r;
	}
	if (!best)
		return 0;
	l->owner_ptr = best->task;
	l->conf = LW_CONF_HINT;
	l->reader = best->state;
	return 0;
}

/* What the owner does: it reads inside a section, on a CPU or preempted. */
static void lw_rcu_held(struct lw_scan *s, const struct lw_lock *l,
			struct lw_buf *b)
{
	if (l->reader == LW_READER_RUNNING)
		lw_printf(b, "  reader: running inside rcu_read_lock()\n");
	else if (l->reader == LW_READER_PREEMPTED)
		lw_printf(b, "  reader: preempted inside rcu_read_lock()\n");
}

static bool lw_name_rcu(struct lw_scan *s, const struct lw_lock *l,
			char *buf, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lw_gp_askers); i++)
		if (l->addr == (unsigned long)&lw_gp_askers[i]) {
			snprintf(buf, len, "grace period (%s)", lw_gp_askers[i]);
			return true;
		}
	if (l->addr == (unsigned long)lw_gp_anonymous)
		strscpy(buf, lw_gp_anonymous, len);
	else
		strscpy(buf, "SRCU grace period (synchronize_srcu)", len);
	return true;
}

const struct lw_kind_ops lw_rcu_kind = {
	.id = LW_KIND_RCU,
	.name = "rcu",
	.wait = "rcu",
	.owner_verb = "to end",
	.find = lw_find_wait_rcu,
	.decode = lw_decode_rcu,
	.still = lw_rcu_still,
	.name_wait = lw_name_rcu,
	.held = lw_rcu_held,
};

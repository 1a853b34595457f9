// SPDX-License-Identifier: GPL-2.0
/*
 * Completions: a task in wait_for_completion() and its variants
 * (killable, io, timeout), waiting for another to call complete().
 *
 * Found: the wait sleeps in __wait_for_common() (5.10: wait_for_common(),
 * often inlined into wait_for_completion*()) with an on-stack struct swait_queue { task, task_list } linked in the
 * completion's swait queue: the word equal to the task on its stack is
 * the entry's task field, the next two its links.
 *
 * Proven: the entry names the task, lies on its stack and is linked in a
 * ring whose one node off every stack is the completion's queue head,
 * and the task's stack returns into the completion wait.
 *
 * Owner: a completion records nobody who will complete it, but a
 * workqueue flush's does. flush_work(), cancel_work_sync() and
 * flush_delayed_work() wait on the completion of an on-stack struct
 * wq_barrier (kernel/workqueue.c: { work, done, task }) queued as a work
 * item whose function is wq_barrier_func, right behind the work flushed:
 * at the head of the scheduled list of the worker running it (struct
 * worker, kernel/workqueue_internal.h), or after the work itself while no
 * worker has started it. The barrier's predecessor (past barriers of
 * other flushes of the same work) tells which, checked through its
 * links. Behind a worker, with the worker layout from BTF (lockwatch
 * setup) and that worker's task a workqueue worker running a work of
 * the barrier's own pool_workqueue, the owner is that task (exact);
 * behind a queued work there is no owner yet; without the layout the
 * worker cannot be read and the entry says so. A flush of a whole
 * workqueue (flush_workqueue(), drain_workqueue(): its stack says so)
 * waits on the completion of an on-stack struct wq_flusher: the first
 * flusher's owner is a blocked worker running a work of that workqueue
 * and of the colour flushed (layouts from BTF; see lw_decode_wqflush()),
 * a hint where workers record no colour (before 5.15).
 * kthread_stop() waits on
 * the completion the kthread's struct kthread keeps for its exit, and
 * the kthread's vfork_done points at it (kernel/kthread.c); a vfork()
 * parent waits on the completion its child's vfork_done points at: the
 * blocked task whose vfork_done is the completion is its owner (exact).
 * Any other completion: no owner.
 *
 * Name: a flush by the flushed work's function and its workqueue ("flush
 * of work lw_work_fn [lockwatch_scenarios] (workqueue events)"), or
 * "workqueue flush barrier" where the work cannot be read; "flush of
 * workqueue NAME" ("flush of a workqueue" where it cannot be told); "exit of
 * kthread COMM", "exec or exit of vfork child COMM"; the symbol of
 * a global one ("lw_cmpl [lockwatch_scenarios]"); "completion on the
 * stack of PID COMM"; otherwise "anonymous completion".
 */
#include <linux/completion.h>
#include <linux/kallsyms.h>
#include <linux/sched.h>
#include <linux/stddef.h>
#include <linux/swait.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "ops.h"

/*
 * A completion a flush of a whole workqueue waits on (its stack says so)
 * is kept apart from the completion alone: its key has the low bit set.
 */
#define LW_WQFLUSH_KEY		1UL

/* struct wq_barrier (kernel/workqueue.c): { work, done, task }. */
#define LW_BARRIER_DONE	ALIGN(sizeof(struct work_struct), \
			      __alignof__(struct completion))
/* A work item's function and data from its list node. */
#define LW_WORK_FN	((long)offsetof(struct work_struct, func) - \
			 (long)offsetof(struct work_struct, entry))
#define LW_WORK_DATA	((long)offsetof(struct work_struct, data) - \
			 (long)offsetof(struct work_struct, entry))
/* Barriers of other flushes stepped over back to what they are behind. */
#define LW_FLUSH_HOPS	LW_RING_MAX

static struct lw_name_verdict lw_wait_cache[1 << LW_NAME_CACHE_BITS];
static struct lw_name_verdict lw_barrier_cache[1 << LW_NAME_CACHE_BITS];
/* The completion wait every variant goes through, by its name of each kernel. */
static const char * const lw_wait_fns[] = {
	"__wait_for_common", "wait_for_common", "wait_for_common_io",
	"do_wait_for_common", "wait_for_completion",
	"wait_for_completion_io", "wait_for_completion_timeout",
	"wait_for_completion_io_timeout", "wait_for_completion_killable",
	"wait_for_completion_state", "wait_for_completion_killable_timeout",
};
static const char * const lw_barrier_fn[] = { "wq_barrier_func" };
static struct lw_name_verdict lw_wqflush_cache[1 << LW_NAME_CACHE_BITS];
/* A flush of a whole workqueue, by its name of each kernel. */
static const char * const lw_wqflush_fns[] = {
	"__flush_workqueue", "flush_workqueue", "drain_workqueue",
};

/* Does @bt's stack return into the completion wait? */
static bool lw_in_completion_wait(const struct lw_task *bt)
{
	return lw_frames_named(lw_wait_cache, bt, lw_wait_fns,
			       ARRAY_SIZE(lw_wait_fns));
}

/* Does @bt's stack return into a flush of a whole workqueue? */
static bool lw_in_wqflush(const struct lw_task *bt)
{
	return lw_frames_named(lw_wqflush_cache, bt, lw_wqflush_fns,
			       ARRAY_SIZE(lw_wqflush_fns));
}

static int lw_find_wait_completion(struct lw_scan *s, struct lw_task *bt,
				   unsigned long sp)
{
	unsigned long c, key;
	unsigned int i;

	if (!lw_in_completion_wait(bt))
		return -ENOENT;
	key = lw_in_wqflush(bt) ? LW_WQFLUSH_KEY : 0;
	for (i = 0; i < s->stack_words; i++) {
		if (s->stack[i] != (unsigned long)bt->task)
			continue;
		c = lw_completion_at(s, sp, i);
		if (!c)
			continue;
		return lw_claim_at(s, bt, c | key, &lw_completion_kind,
				   LW_MODE_NONE, sp + i * sizeof(long));
	}
	return -ENOENT;
}

static bool lw_completion_still(struct lw_scan *s, const struct lw_task *bt)
{
	return lw_swait_still(s, bt->waiter, (unsigned long)bt->task);
}

static const char *lw_flush_name(enum lw_flush f)
{
	static const char * const names[] = {
		[LW_FLUSH_NONE] = "-",
		[LW_FLUSH_RUNNING] = "running",
		[LW_FLUSH_PENDING] = "pending",
		[LW_FLUSH_NO_LAYOUT] = "no worker layout",
		[LW_FLUSH_UNPROVEN] = "not proven",
	};

	return f < ARRAY_SIZE(names) ? names[f] : "?";
}

static bool lw_is_barrier_fn(unsigned long fn)
{
	return lw_addr_named(lw_barrier_cache, fn, lw_barrier_fn,
			     ARRAY_SIZE(lw_barrier_fn));
}

/* The pool_workqueue a queued work's data (at @data) names, or 0. */
static unsigned long lw_work_pwq(struct lw_scan *s, unsigned long data)
{
	unsigned long d;

	if (lw_read(&d, data, sizeof(d), s) || !(d & WORK_STRUCT_PWQ))
		return 0;
	d &= LW_WORK_PWQ_MASK;
	return lw_kernel_ptr(d) ? d : 0;
}

/* The workqueue of pool_workqueue @pwq, or 0 (needs the layout). */
static unsigned long lw_pwq_wq(struct lw_scan *s, unsigned long pwq)
{
	const struct lw_worker_layout *k = &s->layouts.worker;
	unsigned long wq;

	if (!k->size || lw_read(&wq, pwq + k->pwq_wq_off, sizeof(wq), s) ||
	    !lw_kernel_ptr(wq))
		return 0;
	return wq;
}

/*
 * Is the list node @head, before a barrier of @pwq, the scheduled list
 * of a worker running a work of @pwq? Then its task, work function and
 * workqueue go into @l.
 */
static bool lw_flush_worker(struct lw_scan *s, struct lw_lock *l,
			    unsigned long head, unsigned long pwq)
{
	const struct lw_worker_layout *k = &s->layouts.worker;
	unsigned long w = head - k->scheduled_off, task, work, fn, cur;
	unsigned int flags;

	if (!k->size || lw_read(&task, w + k->task_off, sizeof(task), s) ||
	    lw_read(&work, w + k->current_work_off, sizeof(work), s) ||
	    lw_read(&fn, w + k->current_func_off, sizeof(fn), s) ||
	    lw_read(&cur, w + k->current_pwq_off, sizeof(cur), s) ||
	    !lw_kernel_ptr(task) || !lw_kernel_ptr(work) || !lw_text_addr(fn) ||
	    cur != pwq ||
	    lw_read(&flags, task + offsetof(struct task_struct, flags),
		    sizeof(flags), s) || !(flags & PF_WQ_WORKER))
		return false;
	l->owner_ptr = task;
	l->conf = LW_CONF_EXACT;
	l->work_fn = fn;
	l->wq = lw_pwq_wq(s, pwq);
	l->flush = LW_FLUSH_RUNNING;
	return true;
}

/*
 * Remember that the barriers from node @node back to @behind are all
 * behind @behind (slot @q of s->behind, or a new one): a crowd of
 * flushes of one work is walked once per scan, not once per flush.
 */
static void lw_remember_behind(struct lw_scan *s, unsigned long node,
			       unsigned long behind, int q)
{
	struct lw_node n;
	int hop;

	if (q == LW_NONE) {
		if (s->nbehind == s->max_tasks)
			return;
		q = s->nbehind++;
		s->behind[q] = behind;
	}
	for (hop = 0; hop < LW_FLUSH_HOPS && node != behind &&
	     lw_map_get(&s->flush_map, node) == LW_NONE; hop++) {
		lw_map_put(&s->flush_map, node, q);
		if (lw_read_node(s, node, &n))
			return;
		node = n.prev;
	}
}

/*
 * A flush's barrier (the completion @l is its done): what is it behind?
 * Step back over barriers of other flushes to the node before them,
 * each link checked both ways, or to a barrier already stepped over in
 * this scan.
 */
static void lw_decode_flush(struct lw_scan *s, struct lw_lock *l)
{
	unsigned long barrier = l->addr - LW_BARRIER_DONE;
	unsigned long node = barrier + offsetof(struct work_struct, entry);
	unsigned long pwq = lw_work_pwq(s, node + LW_WORK_DATA), fn, prev = 0;
	unsigned long start = node;
	struct lw_node n;
	int hop, q = LW_NONE;

	l->flush = LW_FLUSH_UNPROVEN;
	if (!pwq)
		return;
	for (hop = 0; hop < LW_FLUSH_HOPS; hop++) {
		q = lw_map_get(&s->flush_map, node);
		if (q != LW_NONE) {
			prev = s->behind[q];
			break;
		}
		if (lw_read_node(s, node, &n) || !lw_kernel_ptr(n.prev))
			return;
		prev = n.prev;
		if (lw_read_node(s, prev, &n) || n.next != node)
			return;
		if (lw_read(&fn, prev + LW_WORK_FN, sizeof(fn), s))
			fn = 0;
		if (!lw_is_barrier_fn(fn))
			break;
		node = prev;
	}
	if (hop == LW_FLUSH_HOPS)
		return;
	lw_remember_behind(s, start, prev, q);
	if (lw_read(&fn, prev + LW_WORK_FN, sizeof(fn), s))
		fn = 0;
	if (lw_flush_worker(s, l, prev, pwq))
		return;
	/* Behind the work itself, queued in the same pool_workqueue. */
	if (lw_text_addr(fn) && lw_work_pwq(s, prev + LW_WORK_DATA) == pwq) {
		l->work_fn = fn;
		l->wq = lw_pwq_wq(s, pwq);
		l->flush = LW_FLUSH_PENDING;
		return;
	}
	if (!s->layouts.worker.size)
		l->flush = LW_FLUSH_NO_LAYOUT;
}

/*
 * A flush of a whole workqueue waits on the completion of its on-stack
 * struct wq_flusher. The first flusher is the workqueue's first_flusher;
 * it waits for the works of its colour: a blocked worker whose work
 * belongs to that workqueue and has that colour is its owner (exact; a
 * hint where workers record no colour).
 * The blocked workers are found by their tasks (PF_WQ_WORKER), each
 * task's struct worker through its struct kthread's data, checked by
 * the worker's task pointing back.
 */
static void lw_decode_wqflush(struct lw_scan *s, struct lw_lock *l,
			      unsigned long c)
{
	const struct lw_wqflush_layout *f = &s->layouts.wqflush;
	const struct lw_worker_layout *k = &s->layouts.worker;
	unsigned long flusher = c - f->flusher_done_off, kt, w, wt, pwq, wq;
	unsigned long first, fn;
	unsigned int color, wcolor;
	int i;

	l->flush = LW_FLUSH_NO_LAYOUT;
	if (!f->wq_size || !k->size)
		return;
	l->flush = LW_FLUSH_UNPROVEN;
	if (lw_read(&color, flusher + f->flusher_color_off, sizeof(color), s))
		return;
	for (i = 0; i < s->ntasks; i++) {
		struct task_struct *t = s->tasks[i].task;

		if (!(READ_ONCE(t->flags) & PF_WQ_WORKER) ||
		    lw_read(&kt, (unsigned long)t + f->task_kthread_off,
			    sizeof(kt), s) || !lw_kernel_ptr(kt) ||
		    lw_read(&w, kt + f->kthread_data_off, sizeof(w), s) ||
		    !lw_kernel_ptr(w) ||
		    lw_read(&wt, w + k->task_off, sizeof(wt), s) ||
		    wt != (unsigned long)t ||
		    lw_read(&pwq, w + k->current_pwq_off, sizeof(pwq), s) ||
		    !lw_kernel_ptr(pwq))
			continue;
		wq = lw_pwq_wq(s, pwq);
		if (!wq || lw_read(&first, wq + f->first_off, sizeof(first), s) ||
		    first != flusher ||
		    (f->worker_color_off != LW_NO_OFF &&
		     (lw_read(&wcolor, w + f->worker_color_off, sizeof(wcolor),
			      s) || wcolor != color)) ||
		    lw_read(&fn, w + k->current_func_off, sizeof(fn), s))
			continue;
		l->owner_ptr = (unsigned long)t;
		/* Without its colour, the work may be one queued later. */
		l->conf = f->worker_color_off == LW_NO_OFF ? LW_CONF_HINT :
			  LW_CONF_EXACT;
		l->work_fn = lw_text_addr(fn) ? fn : 0;
		l->wq = wq;
		l->flush = LW_FLUSH_RUNNING;
		return;
	}
}

/*
 * The blocked task whose exit completes @c (its vfork_done), or LW_NONE.
 * The blocked tasks are indexed by vfork_done once per scan, when the
 * first completion asks; they are referenced for the scan, so their
 * fields are read directly.
 */
static int lw_exit_owner(struct lw_scan *s, unsigned long c)
{
	unsigned long done;
	int i;

	if (!s->exit_indexed) {
		for (i = 0; i < s->ntasks; i++) {
			done = (unsigned long)READ_ONCE(s->tasks[i].task->vfork_done);
			if (done)
				lw_map_put(&s->exit_map, done, i);
		}
		s->exit_indexed = true;
	}
	return lw_map_get(&s->exit_map, c);
}

/*
 * The completion must still be readable; a flush's barrier names the
 * worker that will complete it where it can be told, a kthread's or a
 * vfork child's exit the task.
 */
static int lw_decode_completion(struct lw_scan *s, struct lw_lock *l)
{
	unsigned long c = l->addr & ~LW_WQFLUSH_KEY, fn;
	unsigned int done;
	int i;

	l->flush = LW_FLUSH_NONE;
	l->exit = LW_EXIT_NONE;
	l->work_fn = 0;
	l->wq = 0;
	if (lw_read(&done, c + offsetof(struct completion, done),
		    sizeof(done), s))
		return -EFAULT;
	if (l->addr & LW_WQFLUSH_KEY) {
		lw_decode_wqflush(s, l, c);
		return 0;
	}
	if (!lw_read(&fn, c - LW_BARRIER_DONE +
		     offsetof(struct work_struct, func), sizeof(fn), s) &&
	    lw_is_barrier_fn(fn)) {
		lw_decode_flush(s, l);
		return 0;
	}
	i = lw_exit_owner(s, c);
	if (i != LW_NONE) {
		struct task_struct *t = s->tasks[i].task;

		l->owner_ptr = (unsigned long)t;
		l->conf = LW_CONF_EXACT;
		l->exit = READ_ONCE(t->flags) & PF_KTHREAD ? LW_EXIT_KTHREAD :
			  LW_EXIT_VFORK;
	}
	return 0;
}

/* A workqueue's name, read from @wq (needs the layout), or false. */
static bool lw_wq_name(struct lw_scan *s, unsigned long wq, char *buf,
		       size_t len)
{
	const struct lw_worker_layout *k = &s->layouts.worker;
	char name[LW_WQ_NAME_MAX];
	size_t i;

	if (!wq || !k->size || k->wq_name_len > sizeof(name) ||
	    lw_read(name, wq + k->wq_name_off, k->wq_name_len, s))
		return false;
	for (i = 0; i < k->wq_name_len && name[i]; i++)
		if (name[i] < 0x21 || name[i] > 0x7e)
			return false;
	if (!i || i == k->wq_name_len)
		return false;
	strscpy(buf, name, len);
	return true;
}

/* A flush by the work it flushes, and its workqueue where known. */
static bool lw_name_completion(struct lw_scan *s, const struct lw_lock *l,
			       char *buf, size_t len)
{
	char fn[KSYM_SYMBOL_LEN], wq[LW_WQ_NAME_MAX];

	if (l->exit != LW_EXIT_NONE && l->owner != LW_NONE) {
		snprintf(buf, len, "%s %s",
			 l->exit == LW_EXIT_KTHREAD ? "exit of kthread" :
			 "exec or exit of vfork child", s->tasks[l->owner].comm);
		return true;
	}
	if (l->addr & LW_WQFLUSH_KEY) {
		if (lw_wq_name(s, l->wq, wq, sizeof(wq)))
			snprintf(buf, len, "flush of workqueue %s", wq);
		else
			strscpy(buf, "flush of a workqueue", len);
		return true;
	}
	if (l->flush == LW_FLUSH_NONE)
		return false;
	if (!l->work_fn || !lw_name_symbol(l->work_fn, fn, sizeof(fn))) {
		strscpy(buf, "workqueue flush barrier", len);
		return true;
	}
	if (lw_wq_name(s, l->wq, wq, sizeof(wq)))
		snprintf(buf, len, "flush of work %s (workqueue %s)", fn, wq);
	else
		snprintf(buf, len, "flush of work %s", fn);
	return true;
}

/* A workqueue flush: what its barrier was found behind. */
static void lw_completion_held(struct lw_scan *s, const struct lw_lock *l,
			       struct lw_buf *b)
{
	if (l->flush != LW_FLUSH_NONE)
		lw_printf(b, "  flush: %s\n", lw_flush_name(l->flush));
}

const struct lw_kind_ops lw_completion_kind = {
	.id = LW_KIND_COMPLETION,
	.name = "completion",
	.wait = "completion",
	.key = LW_WQFLUSH_KEY,
	.owner_verb = "to be completed",
	.find = lw_find_wait_completion,
	.decode = lw_decode_completion,
	.still = lw_completion_still,
	.name_wait = lw_name_completion,
	.held = lw_completion_held,
};

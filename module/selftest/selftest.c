// SPDX-License-Identifier: GPL-2.0
/*
 * The self-test at load. The decoders read layouts no header shows (the
 * on-stack waiters, the owner's flag bits, PREEMPT_RT's rt_mutex waiter,
 * the on-stack wait queue entries of percpu_rw_semaphores, folios and
 * completions), restated in compat.h for the kernels they hold for.
 * Before the first scan the module makes waits of its own with kernel
 * threads, one per case: a mutex, an rw_semaphore held for write and one
 * held for read, a semaphore (an rt_mutex on PREEMPT_RT), a
 * percpu_rw_semaphore held for write and one held for read (its writer
 * waiting for the reader to leave), a locked page, kthread_stop() of
 * a blocked kthread (a completion whose owner is that kthread), and
 * flush_work() of a work its worker runs and of one queued behind it (the
 * on-stack struct wq_barrier of kernel/workqueue.c, behind a worker the
 * layouts of lockwatch setup are not given yet, so no owner may be
 * named; behind the queued work, that work and no owner). It scans
 * those threads alone and checks that each wait was found as it was made:
 * the lock, its kind, the waiter's mode, the owner and how sure it is,
 * every source that sees the wait agreeing. A kind that fails is switched
 * off (lib/switches.c): lw_lock_at() refuses it, so its waits are shown
 * by their site, as unknown, never misread. The kernel log and stats say which and why. A
 * waiter that does not block in time (a machine too busy) leaves its kind
 * unjudged, on, and so does a case this kernel cannot make or prove (a
 * folio's wait table is found by its symbol: without data symbols in
 * kallsyms no folio wait is ever claimed). Block I/O and the jbd2 journal
 * are not made here: they need a disk and a journal registered on the
 * host, and their decoders restate no layout (struct bio, sbq_wait and
 * journal_t come from the headers), so a wait they do not recognise is
 * shown by its site, as a switched-off decoder's would be. Layouts
 * written later are tried on flushes made here too
 * (lw_selftest_layouts()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/percpu-rwsem.h>
#include <linux/rtmutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/semaphore.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "kinds/kind.h"
#include "lib/lib.h"
#include "scan/scan.h"
#include "selftest.h"

/* How long a waiter may take to block. */
#define LW_ST_BLOCK_MS	2000

enum lw_st_case {
	LW_ST_MUTEX,
	LW_ST_RWSEM_READ,	/* waits to read, the rwsem held for write */
	LW_ST_RWSEM_WRITE,	/* waits to write, the rwsem held for read */
	LW_ST_SEM,
#ifdef LW_RT_LOCKS
	LW_ST_RTMUTEX,
#endif
	LW_ST_PCPU_READ,	/* waits to read, held for write */
	LW_ST_PCPU_DRAIN,	/* a writer waits for the reader to leave */
	LW_ST_PAGE,		/* waits for a page's lock */
	LW_ST_KSTOP,		/* kthread_stop() of the blocked holder */
	LW_ST_FLUSH_RUN,	/* flush_work() of a work being run */
	LW_ST_FLUSH_QUEUED,	/* flush_work() of a work queued behind it */
	LW_ST_CASES,
};

/* Who the case's owner is. */
enum lw_st_owner {
	LW_ST_NOBODY,		/* none is recorded */
	LW_ST_HOLDER,
	LW_ST_ITSELF,		/* the waiter (a writer waiting for readers) */
};

struct lw_st {
	const char *what;
	u8 kind;
	u8 mode;		/* the waiter's */
	u8 owner;		/* enum lw_st_owner */
	u8 conf;		/* the owner's */
	bool drain;		/* the waiter waits for readers */
	u8 flush;		/* enum lw_flush: what a flush is behind */
	bool stopped;		/* the waiter stopped the holder */
	struct task_struct *holder, *waiter;
	struct completion held;	/* the holder holds it */
	struct completion go;	/* the waiter may wait */
};

static struct mutex lw_st_mutex;
static struct rw_semaphore lw_st_rwsem_w, lw_st_rwsem_r;
static struct semaphore lw_st_sem;
#ifdef LW_RT_LOCKS
static struct rt_mutex lw_st_rtmutex;
#endif
static struct percpu_rw_semaphore lw_st_pcpu_w, lw_st_pcpu_r;
static struct page *lw_st_page;
/* The flushes' works: one run, blocked, one queued behind it (max_active 1). */
static struct workqueue_struct *lw_st_wq;
static struct work_struct lw_st_work_run, lw_st_work_queued;
static DECLARE_COMPLETION(lw_st_running);
static struct lw_st lw_st[LW_ST_CASES];
static DECLARE_COMPLETION(lw_st_release);
/* At load no layout is known yet. */
static const struct lw_layouts lw_st_no_layouts;

/* The worker running lw_st_work_run, while it runs. */
static struct task_struct *lw_st_runner;

static void lw_st_run_fn(struct work_struct *work)
{
	WRITE_ONCE(lw_st_runner, current);
	complete(&lw_st_running);
	wait_for_completion(&lw_st_release);
}

static void lw_st_queued_fn(struct work_struct *work)
{
}

/*
 * Only a kind whose waiters are on a wait list, and that a finder finds
 * on a stack (a mutex, rwsem or semaphore), can be read a word off.
 */
int lw_selftest_skew(const char *name)
{
	const struct lw_kind_ops *k;
	u8 kind;

	for (kind = 1; kind < LW_KINDS; kind++) {
		k = lw_kind(kind);
		if (k->nslowpaths && lw_wait_offset(k) &&
		    !strcmp(name, k->name)) {
			lw_kind_set_skew(kind);
			return 0;
		}
	}
	return -EINVAL;
}

/* The kinds the self-test covers, for stats: -1 ends the list. */
int lw_selftest_kind(int i)
{
	static const int kinds[] = {
		LW_KIND_MUTEX, LW_KIND_RWSEM, LW_KIND_SEM,
#ifdef LW_RT_LOCKS
		LW_KIND_RTMUTEX,
#endif
		LW_KIND_PERCPU, LW_KIND_PAGE, LW_KIND_COMPLETION,
	};

	return i < ARRAY_SIZE(kinds) ? kinds[i] : -1;
}

static void lw_st_take(enum lw_st_case c, bool hold)
{
	switch (c) {
	case LW_ST_MUTEX:
		if (hold)
			mutex_lock(&lw_st_mutex);
		else
			mutex_unlock(&lw_st_mutex);
		break;
	case LW_ST_RWSEM_READ:
		if (hold)
			down_write(&lw_st_rwsem_w);
		else
			up_write(&lw_st_rwsem_w);
		break;
	case LW_ST_RWSEM_WRITE:
		if (hold)
			down_read(&lw_st_rwsem_r);
		else
			up_read(&lw_st_rwsem_r);
		break;
	case LW_ST_SEM:
		if (hold)
			down(&lw_st_sem);
		else
			up(&lw_st_sem);
		break;
#ifdef LW_RT_LOCKS
	case LW_ST_RTMUTEX:
		if (hold)
			rt_mutex_lock(&lw_st_rtmutex);
		else
			rt_mutex_unlock(&lw_st_rtmutex);
		break;
#endif
	case LW_ST_PCPU_READ:
		if (hold)
			percpu_down_write(&lw_st_pcpu_w);
		else
			percpu_up_write(&lw_st_pcpu_w);
		break;
	case LW_ST_PCPU_DRAIN:
		if (hold)
			percpu_down_read(&lw_st_pcpu_r);
		else
			percpu_up_read(&lw_st_pcpu_r);
		break;
	case LW_ST_PAGE:
		if (hold)
			lw_lock_page(lw_st_page);
		else
			lw_unlock_page(lw_st_page);
		break;
	case LW_ST_FLUSH_RUN:
		/*
		 * The work lets go itself, when the test ends. No worker may
		 * come (the pools stuck): waited for until told to stop.
		 */
		if (hold) {
			queue_work(lw_st_wq, &lw_st_work_run);
			while (!wait_for_completion_timeout(&lw_st_running, HZ / 10))
				if (kthread_should_stop())
					break;
		}
		break;
	case LW_ST_FLUSH_QUEUED:
		if (hold)
			queue_work(lw_st_wq, &lw_st_work_queued);
		break;
	default:
		break;
	}
}

/*
 * The waiter's side, each lock's own call made here, as a caller makes it
 * (a call through a helper can become a tail call that leaves no frame).
 */
static void lw_st_wait(enum lw_st_case c)
{
	switch (c) {
	case LW_ST_MUTEX:
		mutex_lock(&lw_st_mutex);
		mutex_unlock(&lw_st_mutex);
		break;
	case LW_ST_RWSEM_READ:
		down_read(&lw_st_rwsem_w);
		up_read(&lw_st_rwsem_w);
		break;
	case LW_ST_RWSEM_WRITE:
		down_write(&lw_st_rwsem_r);
		up_write(&lw_st_rwsem_r);
		break;
	case LW_ST_SEM:
		down(&lw_st_sem);
		up(&lw_st_sem);
		break;
#ifdef LW_RT_LOCKS
	case LW_ST_RTMUTEX:
		rt_mutex_lock(&lw_st_rtmutex);
		rt_mutex_unlock(&lw_st_rtmutex);
		break;
#endif
	case LW_ST_PCPU_READ:
		percpu_down_read(&lw_st_pcpu_w);
		percpu_up_read(&lw_st_pcpu_w);
		break;
	case LW_ST_PCPU_DRAIN:
		percpu_down_write(&lw_st_pcpu_r);
		percpu_up_write(&lw_st_pcpu_r);
		break;
	case LW_ST_PAGE:
		lw_lock_page(lw_st_page);
		lw_unlock_page(lw_st_page);
		break;
	case LW_ST_KSTOP:
		kthread_stop(lw_st[c].holder);
		lw_st[c].stopped = true;
		break;
	case LW_ST_FLUSH_RUN:
		flush_work(&lw_st_work_run);
		break;
	case LW_ST_FLUSH_QUEUED:
		flush_work(&lw_st_work_queued);
		break;
	default:
		break;
	}
}

static void lw_st_until_stopped(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
}

static int lw_st_holder_fn(void *data)
{
	struct lw_st *st = data;
	enum lw_st_case c = st - lw_st;

	lw_st_take(c, true);
	complete(&st->held);
	/*
	 * Interruptible: the holders are not what the scan looks at, except
	 * the one whose exit is waited for: its exit completion is found
	 * among the blocked tasks.
	 */
	if (c == LW_ST_KSTOP)
		wait_for_completion(&lw_st_release);
	else
		while (wait_for_completion_interruptible(&lw_st_release))
			;
	lw_st_take(c, false);
	lw_st_until_stopped();
	return 0;
}

static int lw_st_waiter_fn(void *data)
{
	struct lw_st *st = data;

	wait_for_completion(&st->go);
	lw_st_wait(st - lw_st);
	lw_st_until_stopped();
	return 0;
}

/* Is @t asleep, uninterruptibly, off the CPU? */
static bool lw_st_asleep(struct task_struct *t)
{
	return (lw_task_state(t) & TASK_UNINTERRUPTIBLE) && !READ_ONCE(t->on_cpu);
}

/*
 * Is the waiter of case @c asleep in the wait the case makes? A writer of
 * a percpu_rw_semaphore sleeps first in rcu_sync_enter()'s grace period;
 * the kthread whose exit is waited for must be asleep too.
 */
static bool lw_st_waiting(enum lw_st_case c)
{
	if (!lw_st_asleep(lw_st[c].waiter))
		return false;
	if (c == LW_ST_PCPU_DRAIN)
		return rcu_access_pointer(lw_st_pcpu_r.writer.task) ==
		       lw_st[c].waiter;
	if (c == LW_ST_KSTOP)
		return lw_st_asleep(lw_st[c].holder);
	return true;
}

/* Has case @c's waiter blocked in its wait within LW_ST_BLOCK_MS? */
static bool lw_st_blocked(enum lw_st_case c)
{
	unsigned long end = jiffies + msecs_to_jiffies(LW_ST_BLOCK_MS);

	do {
		if (lw_st_waiting(c))
			return true;
		usleep_range(1000, 2000);
	} while (time_before(jiffies, end));
	return false;
}

/* Why the wait of case @st was not found as made, or NULL. */
static const char *lw_st_verdict(struct lw_scan *s, const struct lw_st *st,
				 unsigned long addr)
{
	const struct lw_task *bt = NULL;
	const struct task_struct *owner;
	const struct lw_lock *l;
	int i;

	for (i = 0; i < s->ntasks; i++)
		if (s->tasks[i].task == st->waiter && s->tasks[i].blocked)
			bt = &s->tasks[i];
	if (!bt)
		return "the waiter was not seen blocked";
	if (bt->lock == LW_NONE)
		return "the waiter's lock was not found";
	l = &s->locks[bt->lock];
	/* 0: on the waiter's stack (a flush's barrier). */
	if (addr ? l->addr != addr :
	    l->addr - (unsigned long)task_stack_page(st->waiter) >= THREAD_SIZE)
		return "a lock at another address was found";
	if (l->kind != st->kind)
		return "the lock was found as another kind";
	if (bt->mode != st->mode)
		return "the waiter's mode was read wrong";
	if (bt->mismatch)
		return "the sources disagree";
	if (bt->drain != st->drain)
		return "a wait for readers was read wrong";
	if (l->flush != st->flush)
		return "what the flush is behind was read wrong";
	if (st->flush == LW_FLUSH_PENDING &&
	    l->work_fn != (unsigned long)lw_st_queued_fn)
		return "the work flushed was read wrong";
	if (st->owner == LW_ST_NOBODY)
		return l->owner == LW_NONE ? NULL : "an owner was named where none is recorded";
	owner = st->owner == LW_ST_HOLDER ? st->holder : st->waiter;
	if (l->owner == LW_NONE || s->tasks[l->owner].task != owner)
		return "the owner was read wrong";
	if (l->conf != st->conf)
		return "the owner's confidence was read wrong";
	return NULL;
}

static unsigned long lw_st_addr(enum lw_st_case c)
{
	switch (c) {
	case LW_ST_MUTEX:
		return (unsigned long)&lw_st_mutex;
	case LW_ST_RWSEM_READ:
		return (unsigned long)&lw_st_rwsem_w;
	case LW_ST_RWSEM_WRITE:
		return (unsigned long)&lw_st_rwsem_r;
	case LW_ST_SEM:
		return (unsigned long)&lw_st_sem;
#ifdef LW_RT_LOCKS
	case LW_ST_RTMUTEX:
		return (unsigned long)&lw_st_rtmutex;
#endif
	case LW_ST_PCPU_READ:
		return (unsigned long)&lw_st_pcpu_w;
	case LW_ST_PCPU_DRAIN:
		return (unsigned long)&lw_st_pcpu_r;
	case LW_ST_PAGE:
		return (unsigned long)lw_st_page;
	case LW_ST_KSTOP:
		/* The kthread's exit completion (struct kthread's exited). */
		return (unsigned long)READ_ONCE(lw_st[c].holder->vfork_done);
	default:
		return 0;
	}
}

/* Make the locks and the cases; -ENOMEM when they cannot be made. */
static int lw_st_setup(void)
{
	static const struct {
		const char *what;
		u8 kind, mode, owner, conf;
		bool drain;
		u8 flush;
	} cases[LW_ST_CASES] = {
		[LW_ST_MUTEX] = { "mutex", LW_KIND_MUTEX, LW_MODE_WRITE,
				  LW_ST_HOLDER, LW_CONF_EXACT },
		[LW_ST_RWSEM_READ] = { "rwsem held for write", LW_KIND_RWSEM,
				       LW_MODE_READ, LW_ST_HOLDER,
				       LW_CONF_EXACT },
#ifdef LW_RT_LOCKS
		/* PREEMPT_RT's rwsems record no reader. */
		[LW_ST_RWSEM_WRITE] = { "rwsem held for read", LW_KIND_RWSEM,
					LW_MODE_WRITE, LW_ST_NOBODY },
		[LW_ST_RTMUTEX] = { "rt_mutex", LW_KIND_RTMUTEX, LW_MODE_WRITE,
				    LW_ST_HOLDER, LW_CONF_EXACT },
#else
		[LW_ST_RWSEM_WRITE] = { "rwsem held for read", LW_KIND_RWSEM,
					LW_MODE_WRITE, LW_ST_HOLDER,
					LW_CONF_HINT },
#endif
		[LW_ST_SEM] = { "semaphore", LW_KIND_SEM, LW_MODE_NONE,
				LW_ST_NOBODY },
		/* Once a writer holds it, nothing records it. */
		[LW_ST_PCPU_READ] = { "percpu_rw_semaphore held for write",
				      LW_KIND_PERCPU, LW_MODE_READ,
				      LW_ST_NOBODY },
		/* The writer waiting for readers names itself, no edge. */
		[LW_ST_PCPU_DRAIN] = { "percpu_rw_semaphore held for read",
				       LW_KIND_PERCPU, LW_MODE_WRITE,
				       LW_ST_ITSELF, LW_CONF_EXACT, true },
		[LW_ST_PAGE] = { "locked page", LW_KIND_PAGE, LW_MODE_NONE,
				 LW_ST_NOBODY },
		[LW_ST_KSTOP] = { "kthread_stop()", LW_KIND_COMPLETION,
				  LW_MODE_NONE, LW_ST_HOLDER, LW_CONF_EXACT },
		/* No worker layout at load: the worker cannot be read. */
		[LW_ST_FLUSH_RUN] = { "flush_work() of a running work",
				      LW_KIND_COMPLETION, LW_MODE_NONE,
				      LW_ST_NOBODY, 0, false,
				      LW_FLUSH_NO_LAYOUT },
		[LW_ST_FLUSH_QUEUED] = { "flush_work() of a queued work",
					 LW_KIND_COMPLETION, LW_MODE_NONE,
					 LW_ST_NOBODY, 0, false,
					 LW_FLUSH_PENDING },
	};
	int c;

	mutex_init(&lw_st_mutex);
	init_rwsem(&lw_st_rwsem_w);
	init_rwsem(&lw_st_rwsem_r);
	sema_init(&lw_st_sem, 1);
#ifdef LW_RT_LOCKS
	rt_mutex_init(&lw_st_rtmutex);
#endif
	lw_st_page = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	if (!lw_st_page)
		return -ENOMEM;
	if (percpu_init_rwsem(&lw_st_pcpu_w))
		goto free_page;
	if (percpu_init_rwsem(&lw_st_pcpu_r))
		goto free_w;
	lw_st_wq = alloc_ordered_workqueue("lockwatch_selftest", 0);
	if (!lw_st_wq)
		goto free_r;
	INIT_WORK(&lw_st_work_run, lw_st_run_fn);
	INIT_WORK(&lw_st_work_queued, lw_st_queued_fn);
	reinit_completion(&lw_st_running);
	reinit_completion(&lw_st_release);
	for (c = 0; c < LW_ST_CASES; c++) {
		memset(&lw_st[c], 0, sizeof(lw_st[c]));
		lw_st[c].what = cases[c].what;
		lw_st[c].kind = cases[c].kind;
		lw_st[c].mode = cases[c].mode;
		lw_st[c].owner = cases[c].owner;
		lw_st[c].conf = cases[c].conf;
		lw_st[c].drain = cases[c].drain;
		lw_st[c].flush = cases[c].flush;
		init_completion(&lw_st[c].held);
		init_completion(&lw_st[c].go);
	}
	return 0;
free_r:
	percpu_free_rwsem(&lw_st_pcpu_r);
free_w:
	percpu_free_rwsem(&lw_st_pcpu_w);
free_page:
	__free_page(lw_st_page);
	return -ENOMEM;
}

static void lw_st_teardown(void)
{
	/* Its works have ended: released, then flushed by their waiters. */
	destroy_workqueue(lw_st_wq);
	lw_st_wq = NULL;
	percpu_free_rwsem(&lw_st_pcpu_r);
	percpu_free_rwsem(&lw_st_pcpu_w);
	__free_page(lw_st_page);
	lw_st_page = NULL;
}

/* Why this kernel cannot judge case @c, or NULL. */
static const char *lw_st_unjudged(enum lw_st_case c)
{
	if (c == LW_ST_PAGE && !LW_DATA_SYMBOLS)
		return "kallsyms has no data symbols here (CONFIG_KALLSYMS_ALL), so no folio wait is ever claimed";
	return NULL;
}

/* Made at load, woken by the runner: the test's threads and the runner. */
static struct task_struct *lw_st_spawn(int (*fn)(void *), void *data,
				       const char *role)
{
	struct task_struct *t = kthread_create(fn, data, "lw_selftest_%s", role);

	if (IS_ERR(t))
		return NULL;
	get_task_struct(t);
	return t;
}

static void lw_st_stop(struct task_struct **t)
{
	if (!*t)
		return;
	kthread_stop(*t);
	put_task_struct(*t);
	*t = NULL;
}

/*
 * The self-test runs in its own thread, lw_st_thread, made at load with
 * every thread it needs: load waits for it a bounded time only
 * (lw_selftest_wait()), and the scans that run meanwhile pass its threads
 * over (struct lw_scan.skip, under the scan's lock). What it waits for
 * now is in lw_st_doing, for the log.
 */
static struct task_struct *lw_st_thread;
static struct lw_scan *lw_st_scan;
static struct mutex *lw_st_lock;
static DECLARE_COMPLETION(lw_st_done);
static const char *lw_st_doing = "starting";
/* The threads scans pass over: the runner, holders, waiters, a worker. */
static struct task_struct *lw_st_skip[2 * LW_ST_CASES + 2];
static int lw_st_nskip;

static void lw_st_set_skip(int n)
{
	mutex_lock(lw_st_lock);
	lw_st_scan->skip = n ? lw_st_skip : NULL;
	lw_st_scan->nskip = n;
	mutex_unlock(lw_st_lock);
}

/* Did the holder of case @c take its lock within LW_ST_BLOCK_MS? */
static bool lw_st_holds(enum lw_st_case c)
{
	return wait_for_completion_timeout(&lw_st[c].held,
					   msecs_to_jiffies(LW_ST_BLOCK_MS));
}

/* Make each case's situation, scan its threads, judge, let go, log. */
static void lw_st_run(void)
{
	struct task_struct *only[2 * LW_ST_CASES];
	const char *why[LW_ST_CASES] = { NULL };
	const char *skipped[LW_ST_CASES] = { NULL };
	bool late[LW_ST_CASES] = { false };
	int c, n = 0;
	bool all = true;

	for (c = 0; c < LW_ST_CASES; c++) {
		WRITE_ONCE(lw_st_doing, lw_st[c].what);
		wake_up_process(lw_st[c].holder);
		if (!lw_st_holds(c)) {
			/* A grace period, a worker, the host: not the decoder. */
			skipped[c] = "its holder did not take the lock within the time given";
			continue;
		}
		/* The worker running the flushed work is passed over too. */
		if (c == LW_ST_FLUSH_RUN && READ_ONCE(lw_st_runner)) {
			lw_st_skip[lw_st_nskip++] = lw_st_runner;
			lw_st_set_skip(lw_st_nskip);
		}
		wake_up_process(lw_st[c].waiter);
		complete(&lw_st[c].go);
		only[n++] = lw_st[c].holder;
		only[n++] = lw_st[c].waiter;
	}
	WRITE_ONCE(lw_st_doing, "the waiters blocking");
	for (c = 0; c < LW_ST_CASES; c++)
		late[c] = !skipped[c] && !lw_st_blocked(c);
	WRITE_ONCE(lw_st_doing, "its scan");
	mutex_lock(lw_st_lock);
	lw_scan_only(lw_st_scan, only, n, &lw_st_no_layouts);
	for (c = 0; c < LW_ST_CASES; c++)
		if (!skipped[c] && !late[c] && !lw_st_unjudged(c))
			why[c] = lw_st_verdict(lw_st_scan, &lw_st[c],
					       lw_st_addr(c));
	lw_scan_forget(lw_st_scan);
	mutex_unlock(lw_st_lock);
	for (c = 0; c < LW_ST_CASES; c++) {
		const char *kind = lw_kind_name(lw_st[c].kind);

		if (lw_st_unjudged(c)) {
			pr_info("self-test: %s: %s; the %s decoder is not judged\n",
				lw_st[c].what, lw_st_unjudged(c), kind);
			continue;
		}
		/* A busy or sick machine, not a misread: nothing to judge by. */
		if (skipped[c] || late[c]) {
			all = false;
			if (skipped[c])
				pr_warn("self-test: %s: %s (%d ms); the %s decoder is not judged\n",
					lw_st[c].what, skipped[c],
					LW_ST_BLOCK_MS, kind);
			else
				pr_warn("self-test: %s: the waiter did not block within %d ms; the %s decoder is not judged\n",
					lw_st[c].what, LW_ST_BLOCK_MS, kind);
			continue;
		}
		if (!why[c])
			continue;
		all = false;
		lw_kind_off(lw_st[c].kind);
		/* A folio's lock and its writeback are one decoder. */
		if (lw_st[c].kind == LW_KIND_PAGE)
			lw_kind_off(LW_KIND_WRITEBACK);
		pr_warn("self-test: %s: %s; the %s decoder is switched off, its waits are shown by their site\n",
			lw_st[c].what, why[c], kind);
	}
	if (all)
		pr_info("self-test: every decoder it tests found its wait as made\n");
}

/*
 * Every holder lets go: each waiter takes and leaves its lock, and the
 * waiter of kthread_stop() stops its holder itself. A holder still
 * waiting for its lock (a grace period held up) is waited for here, in
 * the runner, and nowhere else.
 */
static void lw_st_release_all(void)
{
	int c;

	WRITE_ONCE(lw_st_doing, "its threads ending");
	complete_all(&lw_st_release);
	for (c = 0; c < LW_ST_CASES; c++) {
		complete(&lw_st[c].go);
		lw_st_stop(&lw_st[c].waiter);
		if (!lw_st[c].stopped)
			lw_st_stop(&lw_st[c].holder);
		else
			put_task_struct(lw_st[c].holder);
		lw_st[c].holder = NULL;
	}
	/* A work no worker started is taken off its queue, not waited for. */
	cancel_work_sync(&lw_st_work_queued);
	cancel_work_sync(&lw_st_work_run);
	lw_st_set_skip(0);
	lw_st_teardown();
}

static int lw_st_thread_fn(void *unused)
{
	lw_st_run();
	lw_st_release_all();
	WRITE_ONCE(lw_st_doing, NULL);
	complete_all(&lw_st_done);
	lw_st_until_stopped();
	return 0;
}

/*
 * Start the self-test for scan @s, whose users take @lock: its locks and
 * every thread it needs are made here, at load (a kill of the loading
 * process while kthreadd makes them undoes them, -EINTR); it then runs
 * in its own thread. 0, or an error with nothing left behind and nothing
 * switched off.
 */
int lw_selftest_start(struct lw_scan *s, struct mutex *lock)
{
	int c, ret;

	lw_st_scan = s;
	lw_st_lock = lock;
	lw_st_nskip = 0;
	reinit_completion(&lw_st_done);
	ret = lw_st_setup();
	if (ret) {
		pr_warn("self-test: cannot make its locks; no decoder switched off\n");
		return ret;
	}
	for (c = 0; c < LW_ST_CASES; c++) {
		lw_st[c].holder = lw_st_spawn(lw_st_holder_fn, &lw_st[c], "h");
		lw_st[c].waiter = lw_st_spawn(lw_st_waiter_fn, &lw_st[c], "w");
		if (!lw_st[c].holder || !lw_st[c].waiter)
			goto undo;
		lw_st_skip[lw_st_nskip++] = lw_st[c].holder;
		lw_st_skip[lw_st_nskip++] = lw_st[c].waiter;
	}
	lw_st_thread = lw_st_spawn(lw_st_thread_fn, NULL, "run");
	if (!lw_st_thread)
		goto undo;
	lw_st_skip[lw_st_nskip++] = lw_st_thread;
	lw_st_set_skip(lw_st_nskip);
	wake_up_process(lw_st_thread);
	return 0;
undo:
	/* Never woken: stopped before they run. */
	for (c = 0; c < LW_ST_CASES; c++) {
		lw_st_stop(&lw_st[c].holder);
		lw_st_stop(&lw_st[c].waiter);
	}
	lw_st_teardown();
	/* A kill of insmod while kthreadd made them: the load is undone. */
	if (fatal_signal_pending(current))
		return -EINTR;
	pr_warn("self-test: cannot make its threads; no decoder switched off\n");
	return -ENOMEM;
}

/* Wait at most @ms for the self-test to end: has it? */
bool lw_selftest_wait(unsigned int ms)
{
	return !lw_st_thread ||
	       wait_for_completion_timeout(&lw_st_done, msecs_to_jiffies(ms));
}

/* Is the self-test still running? */
bool lw_selftest_pending(void)
{
	return lw_st_thread && !completion_done(&lw_st_done);
}

/* What the running self-test waits for now, for the log. */
const char *lw_selftest_doing(void)
{
	return READ_ONCE(lw_st_doing) ?: "nothing";
}

/* At unload: waits for a self-test still running to end (see above). */
void lw_selftest_stop(void)
{
	if (!lw_st_thread)
		return;
	wait_for_completion(&lw_st_done);
	lw_st_stop(&lw_st_thread);
}

/*
 * Trying new layouts: a flush_work() of a work that runs, blocked, and
 * with a wqflush line a flush_workqueue() of its workqueue, each by a
 * kernel thread. Read with layouts @t, each flush must be found behind
 * that work's worker, owned by it (exact; a hint where the layout has no
 * colour), naming that work and the self-test's workqueue.
 */
struct lw_st_flusher {
	struct task_struct *task;
	bool whole;		/* flush_workqueue(), not flush_work() */
};

static int lw_st_flusher_fn(void *data)
{
	const struct lw_st_flusher *f = data;

	if (f->whole)
		flush_workqueue(lw_st_wq);
	else
		flush_work(&lw_st_work_run);
	lw_st_until_stopped();
	return 0;
}

/* Why flusher @f's wait was not read as made with layouts @t, or NULL. */
static const char *lw_st_flush_verdict(struct lw_scan *s,
				       const struct lw_st_flusher *f,
				       const struct lw_layouts *t)
{
	static const char wq[] = " (workqueue lockwatch_selftest)";
	char name[LW_NAME_LEN];
	const struct lw_task *bt = NULL;
	const struct lw_lock *l;
	size_t n;
	int i;

	for (i = 0; i < s->ntasks; i++)
		if (s->tasks[i].task == f->task && s->tasks[i].blocked)
			bt = &s->tasks[i];
	if (!bt || bt->lock == LW_NONE)
		return f->whole ? "flush_workqueue(): its wait was not found" :
		       "flush_work(): its wait was not found";
	l = &s->locks[bt->lock];
	if (l->kind != LW_KIND_COMPLETION || bt->mismatch)
		return f->whole ? "flush_workqueue(): found as another wait" :
		       "flush_work(): found as another wait";
	if (l->flush != LW_FLUSH_RUNNING || l->owner == LW_NONE ||
	    s->tasks[l->owner].task != lw_st_runner)
		return f->whole ? "flush_workqueue(): its worker was not found" :
		       "flush_work(): its worker was not found";
	if (l->conf != (f->whole && t->wqflush.worker_color_off == LW_NO_OFF ?
			LW_CONF_HINT : LW_CONF_EXACT))
		return f->whole ? "flush_workqueue(): the owner's confidence was read wrong" :
		       "flush_work(): the owner's confidence was read wrong";
	if (l->work_fn != (unsigned long)lw_st_run_fn)
		return f->whole ? "flush_workqueue(): the work run was read wrong" :
		       "flush_work(): the work run was read wrong";
	if (!lw_kind(l->kind)->name_wait(s, l, name, sizeof(name)))
		return "the flush has no name";
	n = strlen(name);
	if (f->whole ? strcmp(name, "flush of workqueue lockwatch_selftest") :
	    n < sizeof(wq) - 1 || strcmp(name + n - (sizeof(wq) - 1), wq))
		return f->whole ? "flush_workqueue(): the workqueue's name was read wrong" :
		       "flush_work(): the workqueue's name was read wrong";
	return NULL;
}

/* One trial of layouts at a time. */
static DEFINE_MUTEX(lw_st_trial_lock);

/*
 * Try layouts @t with scan @s, whose users take @lock: 0 when they read
 * the flushes as made, -EINVAL with *@why when they misread one, -EAGAIN
 * with *@why when the work or a flush did not get going in time (not
 * judged), -ENOMEM, -EINTR. The work and the flushers are made and
 * waited for (bounded) without @lock: scans go on meanwhile; @lock is
 * held for the trial's own scan only.
 */
int lw_selftest_layouts(struct lw_scan *s, struct mutex *lock,
			const struct lw_layouts *t, const char **why)
{
	struct lw_st_flusher f[2] = { { NULL, false }, { NULL, true } };
	struct task_struct *only[3];
	unsigned long end;
	int i, n = 0, nf = t->wqflush.wq_size ? 2 : 1, ret = 0;

	*why = NULL;
	if (lw_selftest_pending()) {
		*why = "the self-test at load has not ended";
		return -EAGAIN;
	}
	if (mutex_lock_killable(&lw_st_trial_lock))
		return -EINTR;
	lw_st_wq = alloc_ordered_workqueue("lockwatch_selftest", 0);
	if (!lw_st_wq) {
		mutex_unlock(&lw_st_trial_lock);
		return -ENOMEM;
	}
	INIT_WORK(&lw_st_work_run, lw_st_run_fn);
	reinit_completion(&lw_st_running);
	reinit_completion(&lw_st_release);
	queue_work(lw_st_wq, &lw_st_work_run);
	/* No worker may come (kthreadd or the pool stuck): not judged. */
	if (!wait_for_completion_timeout(&lw_st_running,
					 msecs_to_jiffies(LW_ST_BLOCK_MS))) {
		*why = "the self-test's work did not start within the time given";
		nf = 0;
		ret = -EAGAIN;
	} else {
		only[n++] = lw_st_runner;
	}
	/* One flusher at a time, each asleep in its flush before the next. */
	end = jiffies + msecs_to_jiffies(LW_ST_BLOCK_MS);
	for (i = 0; i < nf && !ret; i++) {
		f[i].task = kthread_run(lw_st_flusher_fn, &f[i], "lw_selftest_f");
		if (IS_ERR(f[i].task)) {
			f[i].task = NULL;
			ret = -ENOMEM;
			break;
		}
		get_task_struct(f[i].task);
		only[n++] = f[i].task;
		while (!lw_st_asleep(f[i].task) || !lw_st_asleep(lw_st_runner)) {
			if (time_after(jiffies, end)) {
				*why = "a flush did not block within the time given";
				ret = -EAGAIN;
				break;
			}
			usleep_range(1000, 2000);
		}
	}
	if (!ret) {
		mutex_lock(lock);
		lw_scan_only(s, only, n, t);
		for (i = 0; i < nf && !*why; i++)
			*why = lw_st_flush_verdict(s, &f[i], t);
		lw_scan_forget(s);
		mutex_unlock(lock);
		if (*why)
			ret = -EINVAL;
	}
	complete_all(&lw_st_release);
	for (i = 0; i < nf; i++)
		lw_st_stop(&f[i].task);
	/* Never started: taken off the queue; started: it ends now. */
	cancel_work_sync(&lw_st_work_run);
	destroy_workqueue(lw_st_wq);
	lw_st_wq = NULL;
	mutex_unlock(&lw_st_trial_lock);
	return ret;
}

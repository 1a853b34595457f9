// SPDX-License-Identifier: GPL-2.0
/*
 * The self-test at load. The lock decoders read layouts no header shows
 * (the on-stack waiters, the owner's flag bits, PREEMPT_RT's rt_mutex
 * waiter), restated in compat.h for the kernels they hold for. Before the
 * first scan the module makes waits of its own with kernel threads, one
 * per kind (a mutex, an rw_semaphore held for write and one held for
 * read, a semaphore; an rt_mutex on PREEMPT_RT), scans those threads
 * alone, and checks that each wait was found as it was made: the lock,
 * its kind, the waiter's mode, the owner and how sure it is, every
 * source that sees the wait agreeing. A kind that fails is switched off:
 * lw_lock_at() refuses it, so its waits are shown by their site, as
 * unknown, never misread. The kernel log and stats say which and why. A
 * waiter that does not block in time (a machine too busy) leaves its kind
 * unjudged, on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/rtmutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/semaphore.h>

#include "compat.h"
#include "lockwatch.h"

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
	LW_ST_CASES,
};

struct lw_st {
	const char *what;
	u8 kind;
	u8 mode;		/* the waiter's */
	u8 conf;		/* the owner's, LW_CONF_UNKNOWN: none */
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
static struct lw_st lw_st[LW_ST_CASES];
static DECLARE_COMPLETION(lw_st_release);

/* The kinds switched off, and the test-only kind read at a wrong offset. */
static unsigned long lw_kinds_off;
static int lw_kind_skewed = -1;

bool lw_kind_on(u8 kind)
{
	return !test_bit(kind, &lw_kinds_off);
}

unsigned long lw_kind_skew(u8 kind)
{
	return kind == lw_kind_skewed ? sizeof(long) : 0;
}

/* Only a kind whose waiters are on a wait list can be read a word off. */
int lw_selftest_skew(const char *name)
{
	int k;

	for (k = LW_KIND_MUTEX; k <= LW_KIND_SEM; k++)
		if (lw_wait_offset(k) && !strcmp(name, lw_kind_name(k))) {
			lw_kind_skewed = k;
			return 0;
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
	/* Interruptible: the holders are not what the scan looks at. */
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

/* Has @t blocked (D state, off the CPU) within LW_ST_BLOCK_MS? */
static bool lw_st_blocked(struct task_struct *t)
{
	unsigned long end = jiffies + msecs_to_jiffies(LW_ST_BLOCK_MS);

	do {
		if ((lw_task_state(t) & TASK_UNINTERRUPTIBLE) &&
		    !READ_ONCE(t->on_cpu))
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
	if (l->addr != addr)
		return "a lock at another address was found";
	if (l->kind != st->kind)
		return "the lock was found as another kind";
	if (bt->mode != st->mode)
		return "the waiter's mode was read wrong";
	if (bt->mismatch)
		return "the sources disagree";
	if (st->conf == LW_CONF_UNKNOWN)
		return l->owner == LW_NONE ? NULL : "an owner was named where none is recorded";
	if (l->owner == LW_NONE || s->tasks[l->owner].task != st->holder)
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
	default:
		return 0;
	}
}

static void lw_st_setup(void)
{
	static const struct {
		const char *what;
		u8 kind, mode, conf;
	} cases[LW_ST_CASES] = {
		[LW_ST_MUTEX] = { "mutex", LW_KIND_MUTEX, LW_MODE_WRITE,
				  LW_CONF_EXACT },
		[LW_ST_RWSEM_READ] = { "rwsem held for write", LW_KIND_RWSEM,
				       LW_MODE_READ, LW_CONF_EXACT },
#ifdef LW_RT_LOCKS
		/* PREEMPT_RT's rwsems record no reader. */
		[LW_ST_RWSEM_WRITE] = { "rwsem held for read", LW_KIND_RWSEM,
					LW_MODE_WRITE, LW_CONF_UNKNOWN },
		[LW_ST_RTMUTEX] = { "rt_mutex", LW_KIND_RTMUTEX, LW_MODE_WRITE,
				    LW_CONF_EXACT },
#else
		[LW_ST_RWSEM_WRITE] = { "rwsem held for read", LW_KIND_RWSEM,
					LW_MODE_WRITE, LW_CONF_HINT },
#endif
		[LW_ST_SEM] = { "semaphore", LW_KIND_SEM, LW_MODE_NONE,
				LW_CONF_UNKNOWN },
	};
	int c;

	mutex_init(&lw_st_mutex);
	init_rwsem(&lw_st_rwsem_w);
	init_rwsem(&lw_st_rwsem_r);
	sema_init(&lw_st_sem, 1);
#ifdef LW_RT_LOCKS
	rt_mutex_init(&lw_st_rtmutex);
#endif
	reinit_completion(&lw_st_release);
	for (c = 0; c < LW_ST_CASES; c++) {
		memset(&lw_st[c], 0, sizeof(lw_st[c]));
		lw_st[c].what = cases[c].what;
		lw_st[c].kind = cases[c].kind;
		lw_st[c].mode = cases[c].mode;
		lw_st[c].conf = cases[c].conf;
		init_completion(&lw_st[c].held);
		init_completion(&lw_st[c].go);
	}
}

static struct task_struct *lw_st_spawn(int (*fn)(void *), struct lw_st *st,
				       const char *role)
{
	struct task_struct *t = kthread_run(fn, st, "lw_selftest_%s", role);

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
 * Run the self-test with scan @s (before its first scan): 0 with every
 * kind's verdict logged and the failed ones switched off, or -ENOMEM
 * when its threads could not be made (nothing is switched off then).
 */
int lw_selftest(struct lw_scan *s)
{
	struct task_struct *only[2 * LW_ST_CASES];
	const char *why[LW_ST_CASES] = { NULL };
	bool late[LW_ST_CASES] = { false };
	int c, n = 0, ret = 0;
	bool all = true;

	lw_st_setup();
	for (c = 0; c < LW_ST_CASES; c++) {
		lw_st[c].holder = lw_st_spawn(lw_st_holder_fn, &lw_st[c], "h");
		lw_st[c].waiter = lw_st_spawn(lw_st_waiter_fn, &lw_st[c], "w");
		if (!lw_st[c].holder || !lw_st[c].waiter) {
			ret = -ENOMEM;
			break;
		}
		wait_for_completion(&lw_st[c].held);
		complete(&lw_st[c].go);
		only[n++] = lw_st[c].holder;
		only[n++] = lw_st[c].waiter;
	}
	if (!ret) {
		for (c = 0; c < LW_ST_CASES; c++)
			late[c] = !lw_st_blocked(lw_st[c].waiter);
		lw_scan_only(s, only, n);
		for (c = 0; c < LW_ST_CASES; c++)
			if (!late[c])
				why[c] = lw_st_verdict(s, &lw_st[c],
						       lw_st_addr(c));
		lw_scan_forget(s);
	}
	/* Every holder lets go: each waiter takes and leaves its lock. */
	complete_all(&lw_st_release);
	for (c = 0; c < LW_ST_CASES; c++) {
		complete(&lw_st[c].go);
		lw_st_stop(&lw_st[c].holder);
		lw_st_stop(&lw_st[c].waiter);
	}
	if (ret) {
		pr_warn("self-test: cannot start its threads; no decoder switched off\n");
		return ret;
	}
	for (c = 0; c < LW_ST_CASES; c++) {
		/* A busy machine, not a misread: nothing to judge by. */
		if (late[c]) {
			all = false;
			pr_warn("self-test: %s: the waiter did not block within %d ms; the %s decoder is not judged\n",
				lw_st[c].what, LW_ST_BLOCK_MS,
				lw_kind_name(lw_st[c].kind));
			continue;
		}
		if (!why[c])
			continue;
		all = false;
		set_bit(lw_st[c].kind, &lw_kinds_off);
		pr_warn("self-test: %s: %s; the %s decoder is switched off, its waits are shown by their site\n",
			lw_st[c].what, why[c], lw_kind_name(lw_st[c].kind));
	}
	if (all)
		pr_info("self-test: every lock decoder found its wait as made\n");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Owners that wait for no lock, for lockwatch's tests of what a chain's
 * end says of them. Both end by themselves within owners_ms, or earlier
 * at owners-end.
 *
 * owners: on the last CPU, lw_starved_holder, an ordinary thread, takes
 * lw_starved_mutex and lw_spin_holder, SCHED_FIFO, lw_spin_mutex; both
 * then sleep until owners-go, and a waiter blocks behind each on the
 * first CPU meanwhile: asleep at once, as its lock's owner is not
 * running (a waiter whose owner runs spins on it instead, and on a
 * fully preemptible kernel may go on spinning, preempted again and
 * again, for as long as the owner runs). At owners-go the spinner spins
 * (running, no context switch) and the starved holder, woken on the same
 * CPU, is runnable but never runs while the spinner spins (the test
 * switches RT throttling off, which would give it 50 ms a second).
 *
 * frozen: a task frozen while it holds a mutex, as a paused container's
 * process can be. A write to debugfs lockwatch_scenarios/frzhold takes
 * lw_frz_mutex (frz_holding reads 1 meanwhile) and waits there,
 * freezable, until frz-end or for at most owners_ms: a freezer freezes
 * it with the mutex held. "frzwait" starts lw_frz_waiter, which waits for
 * the mutex behind it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/freezer.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>

#include "lw_owners.h"

static unsigned int owners_ms = 15000;
module_param(owners_ms, uint, 0444);
MODULE_PARM_DESC(owners_ms, "How long the owners scenario's holders hold at most, ms (1..15000, default 15000)");
static atomic_t owners_running = ATOMIC_INIT(0);
module_param_named(owners_running, owners_running.counter, int, 0444);
MODULE_PARM_DESC(owners_running, "Holders of the owners scenario still holding (read-only)");

static atomic_t frz_holding = ATOMIC_INIT(0);
module_param_named(frz_holding, frz_holding.counter, int, 0444);
MODULE_PARM_DESC(frz_holding, "Writers of frzhold holding lw_frz_mutex (read-only)");

static DEFINE_MUTEX(lw_spin_mutex);
static DEFINE_MUTEX(lw_starved_mutex);
static DECLARE_COMPLETION(lw_spin_held);
static DECLARE_COMPLETION(lw_starved_held);
static DECLARE_COMPLETION(lw_owners_go);
static bool lw_owners_stop;
static unsigned long lw_owners_end;

int lw_owners_params(void)
{
	if (owners_ms < 1 || owners_ms > 15000) {
		pr_err("owners_ms must be 1..15000\n");
		return -EINVAL;
	}
	return 0;
}

static bool lw_owners_done(void)
{
	return READ_ONCE(lw_owners_stop) ||
	       time_after(jiffies, READ_ONCE(lw_owners_end));
}

/* Until owners-go, or the end of owners_ms. */
static void lw_wait_go(void)
{
	long left = (long)(READ_ONCE(lw_owners_end) - jiffies);

	if (left > 0)
		wait_for_completion_timeout(&lw_owners_go, left);
}

static int lw_spin_holder_fn(void *arg)
{
	mutex_lock(&lw_spin_mutex);
	complete_all(&lw_spin_held);
	lw_wait_go();
	/* Only a higher priority preempts it: the CPU is its own. */
	while (!lw_owners_done())
		cond_resched();
	mutex_unlock(&lw_spin_mutex);
	atomic_dec(&owners_running);
	return 0;
}

static int lw_starved_holder_fn(void *arg)
{
	mutex_lock(&lw_starved_mutex);
	complete_all(&lw_starved_held);
	/* Woken with the spinner: runnable, not run until it leaves. */
	lw_wait_go();
	while (!lw_owners_done())
		cond_resched();
	mutex_unlock(&lw_starved_mutex);
	atomic_dec(&owners_running);
	return 0;
}

static int lw_spin_waiter_fn(void *arg)
{
	mutex_lock(&lw_spin_mutex);
	mutex_unlock(&lw_spin_mutex);
	return 0;
}

static int lw_starved_waiter_fn(void *arg)
{
	mutex_lock(&lw_starved_mutex);
	mutex_unlock(&lw_starved_mutex);
	return 0;
}

static struct task_struct *lw_bound(int (*fn)(void *), const char *name,
				    unsigned int cpu)
{
	struct task_struct *t = kthread_create(fn, NULL, "%s", name);

	if (!IS_ERR(t))
		kthread_bind(t, cpu);
	return t;
}

int lw_start_owners(void)
{
	unsigned int cpu = num_online_cpus() - 1;
	struct task_struct *starved, *spin, *w1, *w2;

	if (atomic_read(&owners_running))
		return -EBUSY;
	WRITE_ONCE(lw_owners_stop, false);
	WRITE_ONCE(lw_owners_end, jiffies + msecs_to_jiffies(owners_ms));
	reinit_completion(&lw_spin_held);
	reinit_completion(&lw_starved_held);
	reinit_completion(&lw_owners_go);
	starved = lw_bound(lw_starved_holder_fn, "lw_starved_hold", cpu);
	if (IS_ERR(starved))
		return PTR_ERR(starved);
	spin = lw_bound(lw_spin_holder_fn, "lw_spin_holder", cpu);
	if (IS_ERR(spin)) {
		kthread_stop(starved);
		return PTR_ERR(spin);
	}
	/* Above PREEMPT_RT's timer and RCU threads, level with its IRQs. */
	sched_set_fifo(spin);
	atomic_set(&owners_running, 2);
	wake_up_process(starved);
	wait_for_completion(&lw_starved_held);
	wake_up_process(spin);
	wait_for_completion(&lw_spin_held);
	/* The waiters on the first CPU, while both holders sleep. */
	w1 = lw_bound(lw_spin_waiter_fn, "lw_spin_waiter", 0);
	if (IS_ERR(w1))
		return PTR_ERR(w1);
	wake_up_process(w1);
	w2 = lw_bound(lw_starved_waiter_fn, "lw_starved_wait", 0);
	if (IS_ERR(w2))
		return PTR_ERR(w2);
	wake_up_process(w2);
	return 0;
}

/* The holders run: the spinner spins, the starved holder waits for it. */
int lw_go_owners(void)
{
	if (!atomic_read(&owners_running))
		return -EINVAL;
	complete_all(&lw_owners_go);
	return 0;
}

int lw_end_owners(void)
{
	WRITE_ONCE(lw_owners_stop, true);
	complete_all(&lw_owners_go);
	return 0;
}

static DEFINE_MUTEX(lw_frz_mutex);
static DECLARE_WAIT_QUEUE_HEAD(lw_frz_wq);
static bool lw_frz_stop;

/*
 * The writer holds lw_frz_mutex until frz-end or owners_ms, in freezable
 * sleeps: a freezer's fake signal ends each, and try_to_freeze() freezes
 * it there. A real signal ends the hold.
 */
static ssize_t lw_frzhold_write(struct file *file, const char __user *buf,
				size_t len, loff_t *pos)
{
	unsigned long end = jiffies + msecs_to_jiffies(owners_ms);
	ssize_t ret = len;

	mutex_lock(&lw_frz_mutex);
	atomic_inc(&frz_holding);
	while (!READ_ONCE(lw_frz_stop) && time_before(jiffies, end)) {
		if (wait_event_freezable_timeout(lw_frz_wq,
						 READ_ONCE(lw_frz_stop),
						 HZ) >= 0)
			continue;
		if (!try_to_freeze() && signal_pending(current)) {
			ret = -EINTR;
			break;
		}
	}
	atomic_dec(&frz_holding);
	mutex_unlock(&lw_frz_mutex);
	return ret;
}

static const struct file_operations lw_frzhold_fops = {
	.owner = THIS_MODULE,
	.write = lw_frzhold_write,
};

void lw_owners_files(struct dentry *dir)
{
	debugfs_create_file("frzhold", 0200, dir, NULL, &lw_frzhold_fops);
}

static int lw_frz_waiter_fn(void *arg)
{
	mutex_lock(&lw_frz_mutex);
	mutex_unlock(&lw_frz_mutex);
	return 0;
}

int lw_start_frzwait(void)
{
	WRITE_ONCE(lw_frz_stop, false);
	return PTR_ERR_OR_ZERO(kthread_run(lw_frz_waiter_fn, NULL,
					   "lw_frz_waiter"));
}

int lw_end_frz(void)
{
	WRITE_ONCE(lw_frz_stop, true);
	wake_up_all(&lw_frz_wq);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A sick host, for lockwatch's tests of its own load, scans and reports
 * while the kernel is in the trouble it diagnoses. Every one of them ends
 * by itself within a bound, or earlier when told to.
 *
 * rcuhold: an RCU grace period held up, as a reader stuck in its
 * read-side section holds one: lw_rcu_reader spins inside rcu_read_lock()
 * (rcu_holding reads 1 meanwhile) until rcuhold-end or for at most
 * rcu_hold_ms, and lw_rcu_sync waits behind it in synchronize_rcu().
 * Short of the RCU stall warning (21 s) and of the soft lockup one
 * (20 s). The reader spins on the last CPU: on PREEMPT_RT, RCU boosts it
 * to the priority of that CPU's timer thread, whose timers then wait for
 * it.
 *
 * wqflood: every work item the system's unbound workqueue may run at once
 * (and wqflood_items - that many more, queued behind them) waits for a
 * mutex that lw_wqflood_holder holds, asleep, until wqflood-end.
 *
 * forkhold: kthreadd stuck in fork, as a fork stuck behind
 * cgroup_threadgroup_rwsem holds it: lw_fork_holder holds that
 * percpu_rw_semaphore for write (its address handed in as tg_rwsem, from
 * /proc/kallsyms, and checked by name) until forkhold-end or for at most
 * fork_hold_ms, and lw_fork_asker asks kthreadd for a thread, so that
 * kthreadd waits in copy_process(). Every other fork waits too, the
 * shell's: the test asks with its shell's builtins only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu-rwsem.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "lw_sick.h"
#include "lw_wq.h"

static unsigned int rcu_hold_ms = 15000;
module_param(rcu_hold_ms, uint, 0444);
MODULE_PARM_DESC(rcu_hold_ms, "How long rcuhold holds up a grace period at most, ms (1..15000, default 15000)");
static int rcu_holding;
module_param(rcu_holding, int, 0444);
MODULE_PARM_DESC(rcu_holding, "1 while rcuhold's reader is inside rcu_read_lock() (read-only)");
static bool lw_rcu_leave;

#define LW_WQFLOOD_MAX	4096
static unsigned int wqflood_items = 600;
module_param(wqflood_items, uint, 0444);
MODULE_PARM_DESC(wqflood_items, "Work items wqflood queues (1..4096, default 600)");
static atomic_t wqflood_running = ATOMIC_INIT(0);
module_param_named(wqflood_running, wqflood_running.counter, int, 0444);
MODULE_PARM_DESC(wqflood_running, "wqflood's work items that have started (read-only)");
static atomic_t wqflood_done = ATOMIC_INIT(0);
module_param_named(wqflood_done, wqflood_done.counter, int, 0444);
MODULE_PARM_DESC(wqflood_done, "wqflood's work items that have ended (read-only)");
static struct work_struct *lw_wqflood_work;
static DEFINE_MUTEX(lw_wqflood_mutex);
static DECLARE_COMPLETION(lw_wqflood_held);
static DECLARE_WAIT_QUEUE_HEAD(lw_wqflood_wait);
static bool lw_wqflood_stop;

static unsigned long tg_rwsem;
module_param(tg_rwsem, ulong, 0644);
MODULE_PARM_DESC(tg_rwsem, "Address of cgroup_threadgroup_rwsem, for forkhold");
static unsigned int fork_hold_ms = 15000;
module_param(fork_hold_ms, uint, 0444);
MODULE_PARM_DESC(fork_hold_ms, "How long forkhold holds kthreadd up at most, ms (1..60000, default 15000)");
static int fork_holding;
module_param(fork_holding, int, 0444);
MODULE_PARM_DESC(fork_holding, "1 while forkhold holds cgroup_threadgroup_rwsem for write (read-only)");
static struct percpu_rw_semaphore *lw_fork_rwsem;
static DECLARE_COMPLETION(lw_fork_held);
static DECLARE_WAIT_QUEUE_HEAD(lw_fork_wait);
static bool lw_fork_stop;
static atomic_t lw_fork_busy = ATOMIC_INIT(0);

int lw_sick_params(void)
{
	if (rcu_hold_ms < 1 || rcu_hold_ms > 15000) {
		pr_err("rcu_hold_ms must be 1..15000\n");
		return -EINVAL;
	}
	if (wqflood_items < 1 || wqflood_items > LW_WQFLOOD_MAX) {
		pr_err("wqflood_items must be 1..%d\n", LW_WQFLOOD_MAX);
		return -EINVAL;
	}
	if (fork_hold_ms < 1 || fork_hold_ms > 60000) {
		pr_err("fork_hold_ms must be 1..60000\n");
		return -EINVAL;
	}
	return 0;
}

static int lw_rcu_reader_fn(void *arg)
{
	unsigned long end = jiffies + msecs_to_jiffies(rcu_hold_ms);

	rcu_read_lock();
	WRITE_ONCE(rcu_holding, 1);
	while (time_before(jiffies, end) && !READ_ONCE(lw_rcu_leave))
		mdelay(1);
	WRITE_ONCE(rcu_holding, 0);
	rcu_read_unlock();
	return 0;
}

static int lw_rcu_sync_fn(void *arg)
{
	synchronize_rcu();
	return 0;
}

int lw_start_rcuhold(void)
{
	unsigned long end = jiffies + HZ;
	struct task_struct *t;

	if (READ_ONCE(rcu_holding))
		return -EBUSY;
	WRITE_ONCE(lw_rcu_leave, false);
	t = kthread_create(lw_rcu_reader_fn, NULL, "lw_rcu_reader");
	if (IS_ERR(t))
		return PTR_ERR(t);
	kthread_bind(t, num_online_cpus() - 1);
	wake_up_process(t);
	/* The caller comes once the reader is in: its grace period waits. */
	while (!READ_ONCE(rcu_holding) && time_before(jiffies, end))
		usleep_range(5000, 10000);
	return lw_spawn(lw_rcu_sync_fn, 0, "lw_rcu_sync");
}

int lw_end_rcuhold(void)
{
	WRITE_ONCE(lw_rcu_leave, true);
	return 0;
}

static int lw_wqflood_holder_fn(void *arg)
{
	mutex_lock(&lw_wqflood_mutex);
	complete_all(&lw_wqflood_held);
	wait_event_interruptible(lw_wqflood_wait, READ_ONCE(lw_wqflood_stop));
	mutex_unlock(&lw_wqflood_mutex);
	return 0;
}

static void lw_wqflood_fn(struct work_struct *work)
{
	atomic_inc(&wqflood_running);
	mutex_lock(&lw_wqflood_mutex);
	mutex_unlock(&lw_wqflood_mutex);
	atomic_inc(&wqflood_done);
}

int lw_start_wqflood(void)
{
	unsigned int i;
	int ret;

	lw_wqflood_work = kcalloc(wqflood_items, sizeof(*lw_wqflood_work),
				  GFP_KERNEL);
	if (!lw_wqflood_work)
		return -ENOMEM;
	ret = lw_spawn(lw_wqflood_holder_fn, 0, "lw_wqflood_hold");
	if (ret)
		return ret;
	wait_for_completion(&lw_wqflood_held);
	for (i = 0; i < wqflood_items; i++) {
		INIT_WORK(&lw_wqflood_work[i], lw_wqflood_fn);
		queue_work(system_unbound_wq, &lw_wqflood_work[i]);
	}
	return 0;
}

/* Ends the flood and returns once every item has run. */
int lw_end_wqflood(void)
{
	unsigned int i;

	if (!lw_wqflood_work)
		return -EINVAL;
	WRITE_ONCE(lw_wqflood_stop, true);
	wake_up(&lw_wqflood_wait);
	for (i = 0; i < wqflood_items; i++)
		flush_work(&lw_wqflood_work[i]);
	kfree(lw_wqflood_work);
	lw_wqflood_work = NULL;
	return 0;
}

static int lw_fork_holder_fn(void *arg)
{
	percpu_down_write(lw_fork_rwsem);
	WRITE_ONCE(fork_holding, 1);
	complete_all(&lw_fork_held);
	wait_event_interruptible_timeout(lw_fork_wait, READ_ONCE(lw_fork_stop),
					 msecs_to_jiffies(fork_hold_ms));
	WRITE_ONCE(fork_holding, 0);
	percpu_up_write(lw_fork_rwsem);
	atomic_dec(&lw_fork_busy);
	return 0;
}

static int lw_fork_child_fn(void *arg)
{
	return 0;
}

/* Asks kthreadd for a thread once the holder is in: kthreadd waits. */
static int lw_fork_asker_fn(void *arg)
{
	struct task_struct *t;

	wait_for_completion(&lw_fork_held);
	t = kthread_run(lw_fork_child_fn, NULL, "lw_fork_child");
	if (IS_ERR(t))
		pr_err("forkhold: no thread: %ld\n", PTR_ERR(t));
	atomic_dec(&lw_fork_busy);
	return 0;
}

/*
 * Starts the holder and the asker (before the holder can stop a fork) and
 * returns once the holder holds the rwsem.
 */
int lw_start_forkhold(void)
{
	char sym[KSYM_SYMBOL_LEN];
	int ret;

	if (!tg_rwsem)
		return -EINVAL;
	sprint_symbol_no_offset(sym, tg_rwsem);
	if (strcmp(sym, "cgroup_threadgroup_rwsem")) {
		pr_err("forkhold: tg_rwsem is %s, not cgroup_threadgroup_rwsem\n",
		       sym);
		return -EINVAL;
	}
	if (atomic_cmpxchg(&lw_fork_busy, 0, 2))
		return -EBUSY;
	lw_fork_rwsem = (struct percpu_rw_semaphore *)tg_rwsem;
	WRITE_ONCE(lw_fork_stop, false);
	reinit_completion(&lw_fork_held);
	ret = lw_spawn(lw_fork_asker_fn, 0, "lw_fork_asker");
	if (ret) {
		atomic_set(&lw_fork_busy, 0);
		return ret;
	}
	ret = lw_spawn(lw_fork_holder_fn, 0, "lw_fork_holder");
	if (ret) {
		/* The asker then asks with nothing held. */
		atomic_dec(&lw_fork_busy);
		complete_all(&lw_fork_held);
		return ret;
	}
	wait_for_completion(&lw_fork_held);
	return 0;
}

int lw_end_forkhold(void)
{
	WRITE_ONCE(lw_fork_stop, true);
	wake_up(&lw_fork_wait);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Workqueue flushes and kthread_stop(), for lockwatch's tests of waits
 * that are not locks.
 *
 * flush-*: a thread holds a mutex and flushes a work item whose function
 * takes that mutex, so the worker waits for the thread and the thread for
 * the worker, one scenario per way into the flush: flush_work() on the
 * system workqueue (flush-sys) and on an unbound workqueue of its own
 * (flush-wq), cancel_work_sync() of a running work (flush-cancel) and
 * flush_delayed_work() of a work whose timer has not fired (flush-delayed).
 *
 * wqchain: chains, not cycles, on an ordered workqueue: a work that waits
 * for a completion until wqchain-end, three threads flushing it (behind a
 * worker, their barriers one behind the other), a second work queued
 * behind the first and a thread flushing that one (behind a work no
 * worker has started).
 *
 * wqchurn: threads that queue and flush work items in a loop while holding
 * a mutex the work does not take, until wqchurn-stop.
 *
 * kstop: a thread holds a mutex and stops a kthread that waits for it.
 *
 * flush-workqueue: a thread holds a mutex and flushes a whole workqueue
 * whose running work takes that mutex.
 *
 * bflush (make bench): more threads flushing one work that waits for good.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#include "lw_wq.h"

static struct workqueue_struct *lw_wq, *lw_ordered;

static int lw_wq_alloc(void)
{
	if (!lw_wq)
		lw_wq = alloc_workqueue("lw_wq", WQ_UNBOUND, 0);
	if (!lw_ordered)
		lw_ordered = alloc_ordered_workqueue("lw_ordered", 0);
	return lw_wq && lw_ordered ? 0 : -ENOMEM;
}

/* flush-sys: flush_work() on the system workqueue. */
static DEFINE_MUTEX(lw_flush_mutex);

static void lw_flush_work_fn(struct work_struct *work)
{
	mutex_lock(&lw_flush_mutex);
	mutex_unlock(&lw_flush_mutex);
}

static DECLARE_WORK(lw_flush_work, lw_flush_work_fn);

static int lw_flusher_fn(void *arg)
{
	mutex_lock(&lw_flush_mutex);
	schedule_work(&lw_flush_work);
	flush_work(&lw_flush_work);
	mutex_unlock(&lw_flush_mutex);
	return 0;
}

int lw_start_flush_sys(void)
{
	return lw_spawn(lw_flusher_fn, 0, "lw_flusher_sys");
}

/* flush-wq: flush_work() on a workqueue of its own. */
static DEFINE_MUTEX(lw_wqflush_mutex);

static void lw_wqflush_work_fn(struct work_struct *work)
{
	mutex_lock(&lw_wqflush_mutex);
	mutex_unlock(&lw_wqflush_mutex);
}

static DECLARE_WORK(lw_wqflush_work, lw_wqflush_work_fn);

static int lw_wqflusher_fn(void *arg)
{
	mutex_lock(&lw_wqflush_mutex);
	queue_work(lw_wq, &lw_wqflush_work);
	flush_work(&lw_wqflush_work);
	mutex_unlock(&lw_wqflush_mutex);
	return 0;
}

int lw_start_flush_wq(void)
{
	return lw_wq_alloc() ?: lw_spawn(lw_wqflusher_fn, 0, "lw_flusher_wq");
}

/* flush-cancel: cancel_work_sync() of a work already running. */
static DEFINE_MUTEX(lw_cancel_mutex);
static DECLARE_COMPLETION(lw_cancel_running);

static void lw_cancel_work_fn(struct work_struct *work)
{
	complete(&lw_cancel_running);
	mutex_lock(&lw_cancel_mutex);
	mutex_unlock(&lw_cancel_mutex);
}

static DECLARE_WORK(lw_cancel_work, lw_cancel_work_fn);

static int lw_canceller_fn(void *arg)
{
	mutex_lock(&lw_cancel_mutex);
	schedule_work(&lw_cancel_work);
	wait_for_completion(&lw_cancel_running);
	cancel_work_sync(&lw_cancel_work);
	mutex_unlock(&lw_cancel_mutex);
	return 0;
}

int lw_start_flush_cancel(void)
{
	return lw_spawn(lw_canceller_fn, 0, "lw_canceller");
}

/* flush-delayed: flush_delayed_work() queues the work at once and flushes. */
static DEFINE_MUTEX(lw_dflush_mutex);

static void lw_dflush_work_fn(struct work_struct *work)
{
	mutex_lock(&lw_dflush_mutex);
	mutex_unlock(&lw_dflush_mutex);
}

static DECLARE_DELAYED_WORK(lw_dflush_work, lw_dflush_work_fn);

static int lw_dflusher_fn(void *arg)
{
	mutex_lock(&lw_dflush_mutex);
	schedule_delayed_work(&lw_dflush_work, 3600 * HZ);
	flush_delayed_work(&lw_dflush_work);
	mutex_unlock(&lw_dflush_mutex);
	return 0;
}

int lw_start_flush_delayed(void)
{
	return lw_spawn(lw_dflusher_fn, 0, "lw_dflusher");
}

/* wqchain: a long work and a work behind it on an ordered workqueue. */
static DECLARE_COMPLETION(lw_long_end);
static DECLARE_COMPLETION(lw_long_running);

static void lw_long_work_fn(struct work_struct *work)
{
	complete(&lw_long_running);
	wait_for_completion(&lw_long_end);
}

static void lw_behind_work_fn(struct work_struct *work)
{
}

static DECLARE_WORK(lw_long_work, lw_long_work_fn);
static DECLARE_WORK(lw_behind_work, lw_behind_work_fn);

static int lw_long_flusher_fn(void *arg)
{
	flush_work(&lw_long_work);
	return 0;
}

static int lw_behind_flusher_fn(void *arg)
{
	flush_work(&lw_behind_work);
	return 0;
}

int lw_start_wqchain(void)
{
	int ret = lw_wq_alloc();

	if (ret)
		return ret;
	queue_work(lw_ordered, &lw_long_work);
	wait_for_completion(&lw_long_running);
	queue_work(lw_ordered, &lw_behind_work);
	return lw_spawn(lw_long_flusher_fn, 0, "lw_flush_long") ?:
	       lw_spawn(lw_long_flusher_fn, 0, "lw_flush_long2") ?:
	       lw_spawn(lw_long_flusher_fn, 0, "lw_flush_long3") ?:
	       lw_spawn(lw_behind_flusher_fn, 0, "lw_flush_behind");
}

int lw_end_wqchain(void)
{
	complete_all(&lw_long_end);
	return 0;
}

/* wqchurn: queue and flush in a loop under a mutex the work does not take. */
#define LW_WQCHURN_THREADS	3

static DEFINE_MUTEX(lw_wqchurn_outer);
static DEFINE_MUTEX(lw_wqchurn_inner);
static bool lw_wqchurn_stop;
static atomic_t lw_wqchurn_running = ATOMIC_INIT(0);

static void lw_wqchurn_work_fn(struct work_struct *work)
{
	mutex_lock(&lw_wqchurn_inner);
	udelay(50);
	mutex_unlock(&lw_wqchurn_inner);
}

static struct work_struct lw_wqchurn_works[LW_WQCHURN_THREADS];

static int lw_wqchurn_fn(void *arg)
{
	struct work_struct *work = arg;
	unsigned long round = 0;

	while (!READ_ONCE(lw_wqchurn_stop)) {
		mutex_lock(&lw_wqchurn_outer);
		if (round & 1)
			queue_work(lw_wq, work);
		else
			schedule_work(work);
		flush_work(work);
		mutex_unlock(&lw_wqchurn_outer);
		if (!(++round % 64))
			cond_resched();
	}
	atomic_dec(&lw_wqchurn_running);
	return 0;
}

int lw_start_wqchurn(void)
{
	struct task_struct *t;
	int i, ret = lw_wq_alloc();

	if (ret || atomic_read(&lw_wqchurn_running))
		return ret ?: -EBUSY;
	WRITE_ONCE(lw_wqchurn_stop, false);
	for (i = 0; i < LW_WQCHURN_THREADS; i++) {
		INIT_WORK(&lw_wqchurn_works[i], lw_wqchurn_work_fn);
		atomic_inc(&lw_wqchurn_running);
		t = kthread_run(lw_wqchurn_fn, &lw_wqchurn_works[i],
				"lw_wqchurn_%d", i);
		if (IS_ERR(t)) {
			atomic_dec(&lw_wqchurn_running);
			WRITE_ONCE(lw_wqchurn_stop, true);
			return PTR_ERR(t);
		}
	}
	return 0;
}

int lw_stop_wqchurn(void)
{
	int i;

	WRITE_ONCE(lw_wqchurn_stop, true);
	for (i = 0; i < 250 && atomic_read(&lw_wqchurn_running); i++)
		msleep(20);
	return atomic_read(&lw_wqchurn_running) ? -EBUSY : 0;
}

/* kstop: kthread_stop() of a kthread blocked on the stopper's mutex. */
static DEFINE_MUTEX(lw_kstop_mutex);
static DECLARE_COMPLETION(lw_kstop_started);

static int lw_kstopped_fn(void *arg)
{
	complete(&lw_kstop_started);
	mutex_lock(&lw_kstop_mutex);
	mutex_unlock(&lw_kstop_mutex);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int lw_kstopper_fn(void *arg)
{
	struct task_struct *t;

	mutex_lock(&lw_kstop_mutex);
	t = kthread_run(lw_kstopped_fn, NULL, "lw_kstopped");
	if (!IS_ERR(t)) {
		wait_for_completion(&lw_kstop_started);
		kthread_stop(t);
	}
	mutex_unlock(&lw_kstop_mutex);
	return 0;
}

int lw_start_kstop(void)
{
	return lw_spawn(lw_kstopper_fn, 0, "lw_kstopper");
}

/* flush-workqueue: flush_workqueue() while a work of it waits for us. */
static struct workqueue_struct *lw_fwq;
static DEFINE_MUTEX(lw_fwq_mutex);
static DECLARE_COMPLETION(lw_fwq_running);

static void lw_fwq_work_fn(struct work_struct *work)
{
	complete(&lw_fwq_running);
	mutex_lock(&lw_fwq_mutex);
	mutex_unlock(&lw_fwq_mutex);
}

static DECLARE_WORK(lw_fwq_work, lw_fwq_work_fn);

static int lw_wqflusher_all_fn(void *arg)
{
	mutex_lock(&lw_fwq_mutex);
	queue_work(lw_fwq, &lw_fwq_work);
	wait_for_completion(&lw_fwq_running);
	flush_workqueue(lw_fwq);
	mutex_unlock(&lw_fwq_mutex);
	return 0;
}

int lw_start_flush_workqueue(void)
{
	lw_fwq = alloc_workqueue("lw_fwq", WQ_UNBOUND, 0);
	if (!lw_fwq)
		return -ENOMEM;
	return lw_spawn(lw_wqflusher_all_fn, 0, "lw_wqflusher");
}

/* bflush: @n more threads flush one running work that never ends. */
static DECLARE_COMPLETION(lw_bwork_never);
static DECLARE_COMPLETION(lw_bwork_running);

static void lw_bwork_fn(struct work_struct *work)
{
	complete(&lw_bwork_running);
	wait_for_completion(&lw_bwork_never);
}

static DECLARE_WORK(lw_bwork, lw_bwork_fn);

static int lw_bflusher_fn(void *arg)
{
	flush_work(&lw_bwork);
	return 0;
}

int lw_start_bflush(unsigned int n)
{
	static bool queued;
	char name[TASK_COMM_LEN];
	unsigned int i;
	int ret = 0;

	if (!queued) {
		queue_work(system_unbound_wq, &lw_bwork);
		wait_for_completion(&lw_bwork_running);
		queued = true;
	}
	for (i = 0; !ret && i < n; i++) {
		snprintf(name, sizeof(name), "lw_bfl_%u", i % 100000);
		ret = lw_spawn(lw_bflusher_fn, 0, name);
	}
	return ret;
}

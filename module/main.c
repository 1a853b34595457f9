// SPDX-License-Identifier: GPL-2.0
/*
 * lockwatch: find the locks that tasks in uninterruptible sleep wait for,
 * who holds them, and report deadlock cycles and the chains of tasks stuck
 * behind them.
 *
 * This file holds the module parameters and the periodic scan work; the
 * flow, folder by folder, is described in lockwatch.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched/task.h>
#include <linux/wait.h>

#include "find/find.h"
#include "iface/iface.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "report/report.h"
#include "scan/scan.h"
#include "selftest/selftest.h"

#define LW_PERIOD_MIN_MS	100U
#define LW_PERIOD_MAX_MS	(24U * 3600 * 1000)
#define LW_MAX_TASKS_MIN	16
#define LW_MAX_TASKS_MAX	(1 << 20)
#define LW_PANIC_MAX_REPORTS	1000U

static unsigned int lw_period_ms = 10000;
static unsigned int lw_confirm_ms = 10000;
static unsigned int lw_panic_reports;
static bool lw_raw_pointers;
static bool lw_cross_check;
static bool lw_measure_floor;
static int lw_max_tasks = 4096;
static char *lw_selftest_break;

/* How long a write of scan waits for the scan it asked for. */
#define LW_SCAN_NOW_MS		30000
/* How long load waits for the self-test before it goes on without it. */
#define LW_SELFTEST_LOAD_MS	5000

static struct lw_scan lw_scan;
/* One user of lw_scan at a time: a scan, the self-test, a layouts trial. */
static DEFINE_MUTEX(lw_scan_lock);
/*
 * The scanner: lockwatch's own kernel thread, made at load (as the hung
 * task detector's khungtaskd is made at boot), so that scanning needs
 * neither kthreadd nor the shared workqueue pools. It sleeps a period
 * between two scans, or until asked (lw_scan_asked) or the period changes
 * (lw_replan); lw_scan_done is the request count the last scan began
 * after.
 */
static struct task_struct *lw_scanner;
static DECLARE_WAIT_QUEUE_HEAD(lw_scanner_wait);
static DECLARE_WAIT_QUEUE_HEAD(lw_done_wait);
static atomic_t lw_scan_asked = ATOMIC_INIT(0);
static int lw_scan_done;
static bool lw_replan;
static bool lw_ready;

static int lw_set_ms(const char *val, const struct kernel_param *kp,
		     unsigned int min, unsigned int max)
{
	unsigned int v;
	int ret = kstrtouint(val, 10, &v);

	if (ret)
		return ret;
	if (v < min || v > max) {
		pr_err("%s must be %u..%u, not %u\n", kp->name, min, max, v);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = v;
	return 0;
}

static int lw_set_period(const char *val, const struct kernel_param *kp)
{
	int ret = lw_set_ms(val, kp, LW_PERIOD_MIN_MS, LW_PERIOD_MAX_MS);

	/* Apply a new period now, not after the old one runs out. */
	if (!ret && READ_ONCE(lw_ready)) {
		WRITE_ONCE(lw_replan, true);
		wake_up(&lw_scanner_wait);
	}
	return ret;
}

static int lw_set_confirm(const char *val, const struct kernel_param *kp)
{
	return lw_set_ms(val, kp, 0, LW_PERIOD_MAX_MS);
}

static int lw_set_panic(const char *val, const struct kernel_param *kp)
{
	return lw_set_ms(val, kp, 0, LW_PANIC_MAX_REPORTS);
}

static int lw_set_max_tasks(const char *val, const struct kernel_param *kp)
{
	int v, ret = kstrtoint(val, 10, &v);

	if (ret)
		return ret;
	if (v < LW_MAX_TASKS_MIN || v > LW_MAX_TASKS_MAX) {
		pr_err("max_tasks must be %d..%d, not %d\n", LW_MAX_TASKS_MIN,
		       LW_MAX_TASKS_MAX, v);
		return -EINVAL;
	}
	*(int *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops lw_period_ops = {
	.set = lw_set_period,
	.get = param_get_uint,
};

static const struct kernel_param_ops lw_confirm_ops = {
	.set = lw_set_confirm,
	.get = param_get_uint,
};

static const struct kernel_param_ops lw_panic_ops = {
	.set = lw_set_panic,
	.get = param_get_uint,
};

static const struct kernel_param_ops lw_max_tasks_ops = {
	.set = lw_set_max_tasks,
	.get = param_get_int,
};

module_param_cb(scan_period_ms, &lw_period_ops, &lw_period_ms, 0644);
MODULE_PARM_DESC(scan_period_ms, "Time between two scans, ms (100..86400000, default 10000)");
module_param_cb(confirm_ms, &lw_confirm_ops, &lw_confirm_ms, 0644);
MODULE_PARM_DESC(confirm_ms,
		 "A wait is reported once seen unchanged, without a context switch, for this long, ms (0..86400000, default 10000)");
module_param_cb(panic_on_deadlock, &lw_panic_ops, &lw_panic_reports, 0644);
MODULE_PARM_DESC(panic_on_deadlock,
		 "Panic once a deadlock cycle has been in this many reports in a row, after logging it in full; 0: never (0..1000, default 0)");
module_param_cb(max_tasks, &lw_max_tasks_ops, &lw_max_tasks, 0444);
MODULE_PARM_DESC(max_tasks,
		 "Most blocked tasks and owners one scan examines; sets the memory used (16..1048576, default 4096)");
module_param_named(raw_pointers, lw_raw_pointers, bool, 0644);
MODULE_PARM_DESC(raw_pointers, "Show raw lock addresses instead of hashed ones (default N)");
module_param_named(cross_check, lw_cross_check, bool, 0644);
MODULE_PARM_DESC(cross_check,
		 "Also find traced waits from the stack and count disagreements (default N)");
module_param_named(selftest_break, lw_selftest_break, charp, 0444);
MODULE_PARM_DESC(selftest_break,
		 "For tests only: read this kind's wait list a word off (mutex, rwsem, semaphore; on PREEMPT_RT only semaphore), so that the self-test at load fails it");
module_param_named(measure_floor, lw_measure_floor, bool, 0644);
MODULE_PARM_DESC(measure_floor,
		 "Also time a bare walk of all threads in each scan, for benchmarks (default N)");

/*
 * One scan and its report, the data flowing one way: walk and decode
 * (scan/, find/, kinds/), graph and verdicts (scan/), then the report
 * (report/), with the parameters as they are now.
 */
static void lw_scan_once(void)
{
	lw_scan.params = (struct lw_params){
		.confirm_ns = (u64)READ_ONCE(lw_confirm_ms) * NSEC_PER_MSEC,
		.panic_reports = READ_ONCE(lw_panic_reports),
		.raw_pointers = READ_ONCE(lw_raw_pointers),
		.cross_check = READ_ONCE(lw_cross_check),
		.measure_floor = READ_ONCE(lw_measure_floor),
	};
	mutex_lock(&lw_scan_lock);
	lw_scan_run(&lw_scan);
	lw_report_publish(&lw_scan);
	/* The report logged the cycle in full and published it. */
	if (lw_scan.panic_len)
		panic("lockwatch: deadlock: a cycle of %d %s (panic_on_deadlock=%u)\n",
		      lw_scan.panic_len, lw_scan.panic_len == 1 ? "task" : "tasks",
		      lw_scan.params.panic_reports);
	mutex_unlock(&lw_scan_lock);
}

/* Was a scan asked for since the one that began after request @seen? */
static bool lw_scanner_woken(int seen)
{
	return kthread_should_stop() || READ_ONCE(lw_replan) ||
	       atomic_read(&lw_scan_asked) != seen;
}

static int lw_scanner_fn(void *unused)
{
	unsigned long next = jiffies;
	int asked;

	while (!kthread_should_stop()) {
		asked = atomic_read(&lw_scan_asked);
		if (READ_ONCE(lw_replan)) {
			/* A new period counts from now, not from the last scan. */
			WRITE_ONCE(lw_replan, false);
			next = jiffies + msecs_to_jiffies(READ_ONCE(lw_period_ms));
		} else if (asked != READ_ONCE(lw_scan_done) ||
			   time_after_eq(jiffies, next)) {
			lw_scan_once();
			/* Requests up to @asked are served by this scan. */
			WRITE_ONCE(lw_scan_done, asked);
			wake_up_all(&lw_done_wait);
			next = jiffies + msecs_to_jiffies(READ_ONCE(lw_period_ms));
		}
		wait_event_interruptible_timeout(lw_scanner_wait,
						 lw_scanner_woken(asked),
						 max_t(long, next - jiffies, 1));
	}
	return 0;
}

/*
 * Run a scan now and return once it is published: a scan that begins
 * after this request, waited for at most LW_SCAN_NOW_MS, interruptibly (a
 * writer waiting here is asleep, not one of the stuck tasks it asks about).
 */
static int lw_scan_now(void)
{
	int want = atomic_inc_return(&lw_scan_asked);
	long left;

	wake_up(&lw_scanner_wait);
	left = wait_event_interruptible_timeout(lw_done_wait,
						READ_ONCE(lw_scan_done) - want >= 0,
						msecs_to_jiffies(LW_SCAN_NOW_MS));
	if (left < 0)
		return left;
	if (!left) {
		pr_warn("scan: no scan was published within %d ms of the request\n",
			LW_SCAN_NOW_MS);
		return -ETIMEDOUT;
	}
	return 0;
}

/* Try layouts before they are taken: on the self-test's own flushes. */
static int lw_check_layouts(const struct lw_layouts *t, const char **why)
{
	return lw_selftest_layouts(&lw_scan, &lw_scan_lock, t, why);
}

static int __init lw_init(void)
{
	int ret;

	if (lw_selftest_break && lw_selftest_skew(lw_selftest_break)) {
		pr_err("selftest_break must be a kind with a wait list here (mutex, rwsem, semaphore; on PREEMPT_RT only semaphore), not '%s'\n",
		       lw_selftest_break);
		return -EINVAL;
	}
	lw_naming_init();
	ret = lw_scan_init(&lw_scan, lw_max_tasks);
	if (ret)
		return ret;
	ret = lw_report_init();
	if (ret)
		goto free_scan;
	ret = lw_trace_init();
	if (ret)
		goto free_report;
	ret = lw_text_init();
	if (ret)
		goto stop_trace;
	/*
	 * The scanner is made before anything is shown, so that a kill of
	 * insmod while kthreadd makes it leaves nothing behind; it is
	 * woken once the self-test has had its time.
	 */
	lw_scanner = kthread_create(lw_scanner_fn, NULL, "lockwatch");
	if (IS_ERR(lw_scanner)) {
		ret = PTR_ERR(lw_scanner);
		goto no_notifier;
	}
	get_task_struct(lw_scanner);
	/*
	 * Decoders that misread are switched off before the first scan when
	 * the self-test ends in time: on a healthy host it takes well under
	 * a second. On a sick one (a grace period held up, no worker coming)
	 * it goes on in its thread, and scans run meanwhile with the kinds
	 * it tests unjudged, on, as for a waiter that did not block.
	 */
	ret = lw_selftest_start(&lw_scan, &lw_scan_lock);
	if (ret == -EINTR)
		goto no_selftest;
	if (!ret && !lw_selftest_wait(LW_SELFTEST_LOAD_MS))
		pr_warn("self-test: not ended within %d ms, waiting for %s; lockwatch scans meanwhile, the kinds it tests unjudged until it ends\n",
			LW_SELFTEST_LOAD_MS, lw_selftest_doing());
	ret = lw_debugfs_init();
	if (ret)
		goto no_debugfs;
	ret = lw_control_init(lw_scan_now, lw_check_layouts);
	if (ret)
		goto no_control;
	WRITE_ONCE(lw_ready, true);
	wake_up_process(lw_scanner);
	pr_info("loaded: scan every %u ms, confirm after %u ms, up to %d tasks, waits from %s\n",
		lw_period_ms, lw_confirm_ms, lw_max_tasks,
		lw_trace_active() ? "contention tracepoints and stacks" : "stacks");
	return 0;

no_control:
	lw_debugfs_exit();
no_debugfs:
	lw_selftest_stop();
no_selftest:
	kthread_stop(lw_scanner);
	put_task_struct(lw_scanner);
no_notifier:
	lw_text_exit();
stop_trace:
	lw_trace_exit();
free_report:
	lw_report_exit();
free_scan:
	lw_scan_free(&lw_scan);
	return ret;
}

static void __exit lw_exit(void)
{
	/* No write can start a scan after this, no reader is left. */
	lw_control_exit();
	lw_debugfs_exit();
	/* Nor can a parameter write: they run under the same lock. */
	kernel_param_lock(THIS_MODULE);
	WRITE_ONCE(lw_ready, false);
	kernel_param_unlock(THIS_MODULE);
	kthread_stop(lw_scanner);
	put_task_struct(lw_scanner);
	/* A self-test still running ends first (a grace period may hold it). */
	lw_selftest_stop();
	lw_text_exit();
	lw_trace_exit();
	lw_report_exit();
	lw_scan_free(&lw_scan);
	pr_info("unloaded\n");
}

module_init(lw_init);
module_exit(lw_exit);

MODULE_DESCRIPTION("Find the locks D-state tasks wait for and report deadlocks");
MODULE_AUTHOR("lockwatch developers");
MODULE_LICENSE("GPL");
static_assert(sizeof(LW_VERSION) > 1,
	      "no LW_VERSION: no debian/changelog beside Kbuild, and none handed in (make LW_VERSION=...)");
MODULE_VERSION(LW_VERSION);

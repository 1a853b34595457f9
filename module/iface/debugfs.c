// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs interface: the published reports and counters, read-only
 * (0400), which root can still read when the kernel is locked down. It
 * reads what report/report.c published; the writes live in control.c.
 *
 * Reading allocates nothing and waits for nothing but lockwatch's own
 * short sections: an open pins the published text of a report (or
 * renders the counters into one of LW_STATS_TEXTS texts made at load),
 * and reads copy from it; a reader sees one scan's text however it
 * reads it.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "find/find.h"
#include "iface.h"
#include "kinds/kind.h"
#include "lib/lib.h"
#include "report/report.h"
#include "selftest/selftest.h"

/* Readers of stats at once; one more is refused (EBUSY). */
#define LW_STATS_TEXTS	8
#define LW_STATS_MAX	4096

static struct dentry *lw_dir;
static char *lw_stats_text[LW_STATS_TEXTS];
static struct lw_buf lw_stats_buf[LW_STATS_TEXTS];
static bool lw_stats_used[LW_STATS_TEXTS];
static DEFINE_SPINLOCK(lw_stats_lock);

static int lw_report_open(struct inode *inode, struct file *file)
{
	file->private_data = (void *)lw_report_get((uintptr_t)inode->i_private);
	return 0;
}

static ssize_t lw_text_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	const struct lw_buf *b = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, b->data, b->len);
}

static int lw_report_release(struct inode *inode, struct file *file)
{
	lw_report_put(file->private_data);
	return 0;
}

static const struct file_operations lw_report_fops = {
	.owner = THIS_MODULE,
	.open = lw_report_open,
	.read = lw_text_read,
	.llseek = default_llseek,
	.release = lw_report_release,
};

/*
 * Stuck tasks by the stats bucket of their kind (struct lw_kind_ops.wait),
 * each bucket once, in registry order; a task whose wait was not found at
 * all counts with the catch-all kinds.
 */
static void lw_show_stuck_by(struct lw_buf *m, const struct lw_stats *st)
{
	const struct lw_kind_ops *k, *o;
	u8 kind, other;
	u64 n;

	for (kind = 1; kind < LW_KINDS; kind++) {
		k = lw_kind(kind);
		for (other = 1; other < kind; other++)
			if (!strcmp(lw_kind(other)->wait, k->wait))
				break;
		if (other < kind)
			continue;
		n = k->unknown ? st->stuck_by[LW_KIND_NONE] : 0;
		for (other = kind; other < LW_KINDS; other++) {
			o = lw_kind(other);
			if (!strcmp(o->wait, k->wait))
				n += st->stuck_by[other];
		}
		lw_printf(m, "stuck_%s: %llu\n", k->wait, n);
	}
}

static void lw_stats_render(struct lw_buf *m)
{
	struct lw_stats st;
	int w;

	lw_report_stats(&st);

	lw_printf(m, "lockwatch stats %d\n", LW_FORMAT_VERSION);
	lw_printf(m, "scans: %llu\n", st.scans);
	lw_printf(m, "last_scan_us: %llu\n", div_u64(st.last_scan_ns, NSEC_PER_USEC));
	lw_printf(m, "max_scan_us: %llu\n", div_u64(st.max_scan_ns, NSEC_PER_USEC));
	lw_printf(m, "last_render_us: %llu\n", div_u64(st.last_render_ns, NSEC_PER_USEC));
	lw_printf(m, "last_walk_us: %llu\n", div_u64(st.last_walk_ns, NSEC_PER_USEC));
	lw_printf(m, "walk_max_rcu_us: %llu\n", div_u64(st.walk_max_rcu_ns, NSEC_PER_USEC));
	lw_printf(m, "max_rcu_us: %llu\n", div_u64(st.max_rcu_ns, NSEC_PER_USEC));
	lw_printf(m, "threads: %llu\n", st.threads);
	lw_printf(m, "d_tasks: %llu\n", st.dtasks);
	lw_printf(m, "waiters: %llu\n", st.waiters);
	lw_printf(m, "locks: %llu\n", st.locks);
	lw_printf(m, "stuck: %llu\n", st.stuck);
	lw_printf(m, "woke_while_stuck: %llu\n", st.stuck_waking);
	lw_show_stuck_by(m, &st);
	lw_printf(m, "recheck_drops: %llu\n", st.recheck_drops);
	lw_printf(m, "nofault_faults: %llu\n", st.faults);
	lw_printf(m, "overflows: %llu\n", st.overflows);
	lw_printf(m, "partial_walks: %llu\n", st.partial_walks);
	lw_printf(m, "from_kernel: %llu\n", st.from_kernel);
	lw_printf(m, "from_pi: %llu\n", st.from_pi);
	lw_printf(m, "from_trace: %llu\n", st.from_trace);
	lw_printf(m, "from_stack: %llu\n", st.from_stack);
	lw_printf(m, "source_mismatches: %llu\n", st.mismatches);
	lw_printf(m, "trace_slots_full: %llu\n", st.trace_full);
	lw_printf(m, "reports_held_back: %llu\n", st.held_back);
	lw_printf(m, "cycles: %llu\n", st.cycles);
	lw_printf(m, "cycle_candidates: %llu\n", st.candidates);
	lw_printf(m, "cycle_candidates_total: %llu\n", st.candidates_total);
	lw_printf(m, "cycles_logged: %llu\n", st.cycles_logged);
	for (w = 0; lw_selftest_kind(w) >= 0; w++)
		lw_printf(m, "selftest_off_%s: %d\n",
			  lw_kind_name(lw_selftest_kind(w)),
			  !lw_kind_on(lw_selftest_kind(w)));
	lw_printf(m, "selftest_pending: %d\n", lw_selftest_pending());
	lw_printf(m, "memory_kib: %llu\n",
		  div_u64(st.memory + lw_report_bytes() + lw_trace_bytes() +
			  LW_STATS_TEXTS * LW_STATS_MAX, 1024));
}

/* Renders the counters as they are now into a free text of the pool. */
static int lw_stats_open(struct inode *inode, struct file *file)
{
	int i;

	spin_lock(&lw_stats_lock);
	for (i = 0; i < LW_STATS_TEXTS && lw_stats_used[i]; i++)
		;
	if (i < LW_STATS_TEXTS)
		lw_stats_used[i] = true;
	spin_unlock(&lw_stats_lock);
	if (i == LW_STATS_TEXTS)
		return -EBUSY;
	lw_stats_buf[i] = (struct lw_buf){
		.data = lw_stats_text[i],
		.max = LW_STATS_MAX,
	};
	lw_stats_render(&lw_stats_buf[i]);
	file->private_data = &lw_stats_buf[i];
	return 0;
}

static int lw_stats_release(struct inode *inode, struct file *file)
{
	struct lw_buf *b = file->private_data;

	spin_lock(&lw_stats_lock);
	lw_stats_used[b - lw_stats_buf] = false;
	spin_unlock(&lw_stats_lock);
	return 0;
}

static const struct file_operations lw_stats_fops = {
	.owner = THIS_MODULE,
	.open = lw_stats_open,
	.read = lw_text_read,
	.llseek = default_llseek,
	.release = lw_stats_release,
};

int lw_debugfs_init(void)
{
	int i;

	for (i = 0; i < LW_STATS_TEXTS; i++) {
		lw_stats_text[i] = lw_alloc(LW_STATS_MAX, 1, "the stats");
		if (!lw_stats_text[i]) {
			lw_debugfs_exit();
			return -ENOMEM;
		}
	}
	lw_dir = debugfs_create_dir("lockwatch", NULL);
	if (IS_ERR(lw_dir)) {
		lw_debugfs_exit();
		return PTR_ERR(lw_dir);
	}
	debugfs_create_file("cycles", 0400, lw_dir,
			    (void *)(uintptr_t)LW_REPORT_CYCLES, &lw_report_fops);
	debugfs_create_file("chains", 0400, lw_dir,
			    (void *)(uintptr_t)LW_REPORT_CHAINS, &lw_report_fops);
	debugfs_create_file("devices", 0400, lw_dir,
			    (void *)(uintptr_t)LW_REPORT_DEVICES, &lw_report_fops);
	debugfs_create_file("stats", 0400, lw_dir, NULL, &lw_stats_fops);
	return 0;
}

/* Returns once no reader is left in a read; none can open after. */
void lw_debugfs_exit(void)
{
	int i;

	if (!IS_ERR_OR_NULL(lw_dir))
		debugfs_remove_recursive(lw_dir);
	lw_dir = NULL;
	for (i = 0; i < LW_STATS_TEXTS; i++) {
		kvfree(lw_stats_text[i]);
		lw_stats_text[i] = NULL;
	}
}

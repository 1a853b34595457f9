// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs interface: the published reports and counters, read-only
 * (0400), which root can still read when the kernel is locked down. It
 * reads what report.c published; the writes live in control.c.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/seq_file.h>

#include "lockwatch.h"

static struct dentry *lw_dir;

static int lw_cycles_show(struct seq_file *m, void *v)
{
	lw_report_show(m, LW_REPORT_CYCLES);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lw_cycles);

static int lw_chains_show(struct seq_file *m, void *v)
{
	lw_report_show(m, LW_REPORT_CHAINS);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lw_chains);

static int lw_stats_show(struct seq_file *m, void *v)
{
	struct lw_stats st;
	int w;

	lw_report_stats(&st);

	seq_printf(m, "lockwatch stats %d\n", LW_FORMAT_VERSION);
	seq_printf(m, "scans: %llu\n", st.scans);
	seq_printf(m, "last_scan_us: %llu\n", div_u64(st.last_scan_ns, NSEC_PER_USEC));
	seq_printf(m, "max_scan_us: %llu\n", div_u64(st.max_scan_ns, NSEC_PER_USEC));
	seq_printf(m, "last_render_us: %llu\n", div_u64(st.last_render_ns, NSEC_PER_USEC));
	seq_printf(m, "last_walk_us: %llu\n", div_u64(st.last_walk_ns, NSEC_PER_USEC));
	seq_printf(m, "walk_max_rcu_us: %llu\n", div_u64(st.walk_max_rcu_ns, NSEC_PER_USEC));
	seq_printf(m, "max_rcu_us: %llu\n", div_u64(st.max_rcu_ns, NSEC_PER_USEC));
	seq_printf(m, "threads: %llu\n", st.threads);
	seq_printf(m, "d_tasks: %llu\n", st.dtasks);
	seq_printf(m, "waiters: %llu\n", st.waiters);
	seq_printf(m, "locks: %llu\n", st.locks);
	seq_printf(m, "stuck: %llu\n", st.stuck);
	for (w = 0; w < LW_WAITS; w++)
		seq_printf(m, "stuck_%s: %llu\n", lw_wait_name(w), st.stuck_by[w]);
	seq_printf(m, "recheck_drops: %llu\n", st.recheck_drops);
	seq_printf(m, "nofault_faults: %llu\n", st.faults);
	seq_printf(m, "overflows: %llu\n", st.overflows);
	seq_printf(m, "partial_walks: %llu\n", st.partial_walks);
	seq_printf(m, "from_kernel: %llu\n", st.from_kernel);
	seq_printf(m, "from_pi: %llu\n", st.from_pi);
	seq_printf(m, "from_trace: %llu\n", st.from_trace);
	seq_printf(m, "from_stack: %llu\n", st.from_stack);
	seq_printf(m, "source_mismatches: %llu\n", st.mismatches);
	seq_printf(m, "trace_slots_full: %llu\n", st.trace_full);
	seq_printf(m, "cycles: %llu\n", st.cycles);
	seq_printf(m, "cycle_candidates: %llu\n", st.candidates);
	seq_printf(m, "cycle_candidates_total: %llu\n", st.candidates_total);
	seq_printf(m, "cycles_logged: %llu\n", st.cycles_logged);
	for (w = 0; lw_selftest_kind(w) >= 0; w++)
		seq_printf(m, "selftest_off_%s: %d\n",
			   lw_kind_name(lw_selftest_kind(w)),
			   !lw_kind_on(lw_selftest_kind(w)));
	seq_printf(m, "memory_kib: %llu\n",
		   div_u64(st.memory + lw_report_bytes() + lw_trace_bytes(), 1024));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lw_stats);

int lw_debugfs_init(void)
{
	lw_dir = debugfs_create_dir("lockwatch", NULL);
	if (IS_ERR(lw_dir))
		return PTR_ERR(lw_dir);
	debugfs_create_file("cycles", 0400, lw_dir, NULL, &lw_cycles_fops);
	debugfs_create_file("chains", 0400, lw_dir, NULL, &lw_chains_fops);
	debugfs_create_file("stats", 0400, lw_dir, NULL, &lw_stats_fops);
	return 0;
}

void lw_debugfs_exit(void)
{
	debugfs_remove_recursive(lw_dir);
}

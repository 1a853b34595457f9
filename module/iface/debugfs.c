// SPDX-License-Identifier: GPL-2.0
/*
 * The debugfs interface: the published reports and counters, read-only
 * (0400), which root can still read when the kernel is locked down. It
 * reads what report/report.c published; the writes live in control.c.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "find/find.h"
#include "iface.h"
#include "kinds/kind.h"
#include "lib/lib.h"
#include "report/report.h"
#include "selftest/selftest.h"

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

/*
 * Stuck tasks by the stats bucket of their kind (struct lw_kind_ops.wait),
 * each bucket once, in registry order; a task whose wait was not found at
 * all counts with the catch-all kinds.
 */
static void lw_show_stuck_by(struct seq_file *m, const struct lw_stats *st)
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
		seq_printf(m, "stuck_%s: %llu\n", k->wait, n);
	}
}

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
	lw_show_stuck_by(m, &st);
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
	seq_printf(m, "selftest_pending: %d\n", lw_selftest_pending());
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

// SPDX-License-Identifier: GPL-2.0
/*
 * lockwatch_scenarios: real lock situations for lockwatch's tests.
 *
 * Each scenario starts kernel threads that take real kernel locks in a
 * chosen order: deadlock cycles, chains behind a long holder, and churn in
 * a consistent order that must never be reported. Start them at load time
 * (start=abba,self) or later by writing a name to
 * /sys/module/lockwatch_scenarios/parameters/run.
 *
 * Deadlocked threads can never be stopped, so this module cannot be
 * unloaded. It is for test machines only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/percpu-rwsem.h>
#include <linux/rtmutex.h>
#include <linux/rwsem.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/semaphore.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "lw_blk.h"
#include "lw_owners.h"
#include "lw_sick.h"
#include "lw_wq.h"

static char *start;
module_param(start, charp, 0444);
MODULE_PARM_DESC(start, "Scenarios to start at load, comma separated");

static char *file = "/mnt/t/js/fire.js";
module_param(file, charp, 0444);
MODULE_PARM_DESC(file, "File whose inode locks the fire scenario inverts");

static char *mmap_file = "/mnt/t/mmap.dat";
module_param(mmap_file, charp, 0444);
MODULE_PARM_DESC(mmap_file, "File whose i_mmap_rwsem the mmap scenario holds");

static char *page_file = "/mnt/t/page.dat";
module_param(page_file, charp, 0444);
MODULE_PARM_DESC(page_file, "tmpfs file whose first page the pagelock scenario locks");

static int mm_pid;
module_param(mm_pid, int, 0644);
MODULE_PARM_DESC(mm_pid, "Process whose mmap_lock the mmaplock scenario holds for write");

static unsigned int crowd = 1000;
module_param(crowd, uint, 0444);
MODULE_PARM_DESC(crowd, "Waiters of the crowd scenario (1..30000)");

static unsigned int churn_threads = 4;
module_param(churn_threads, uint, 0444);
MODULE_PARM_DESC(churn_threads, "Threads of the churn scenario (1..64)");

/*
 * The seed's inversion on real file systems: a file's VFS i_rwsem against
 * a lock private to its file system's inode (XFS's ILOCK, ext4's
 * i_data_sem), found at the offset from the VFS inode that lockwatch
 * setup reads from BTF (lock_off - inode_off of its "lock" line).
 */
static char *xfs_file = "/mnt/xfs/js/fire.js";
module_param(xfs_file, charp, 0444);
MODULE_PARM_DESC(xfs_file, "XFS file of the xfsfire scenario; xfssb holds its s_umount");

static int xfs_ilock;
module_param(xfs_ilock, int, 0444);
MODULE_PARM_DESC(xfs_ilock, "Offset of xfs_inode.i_lock from i_vnode, from BTF");

static char *xfs_hold_file = "/mnt/xfs/hold.dat";
module_param(xfs_hold_file, charp, 0444);
MODULE_PARM_DESC(xfs_hold_file, "XFS file whose locks the xfshold scenario holds");

static char *ext4_file = "/mnt/ext4/js/fire.js";
module_param(ext4_file, charp, 0444);
MODULE_PARM_DESC(ext4_file, "ext4 file of the ext4fire scenario");

static int ext4_data_sem;
module_param(ext4_data_sem, int, 0444);
MODULE_PARM_DESC(ext4_data_sem,
		 "Offset of ext4_inode_info.i_data_sem from vfs_inode, from BTF");

/*
 * Benchmarks: "idle" adds threads that sleep interruptibly (S state);
 * "blocked" adds blocked threads on kmalloc'd mutexes, in groups of ten:
 * five ABBA pairs (cycles) in every fifth group, a sleeping holder with
 * nine waiters (a chain) in the others; "cycle" forms one more ABBA cycle
 * and records when (formed_ns in debugfs, CLOCK_BOOTTIME).
 */
static unsigned int bench_count = 1000;
module_param(bench_count, uint, 0644);
MODULE_PARM_DESC(bench_count, "Threads the next idle or blocked start adds (1..100000)");

static u64 lw_formed_ns;
static atomic_t lw_bench_seq = ATOMIC_INIT(0);

/* Two threads take two locks in opposite orders; each holds one first. */
struct lw_pair {
	struct completion first_held[2];
	void (*take)(int which, int step);
};

/* abba: two mutexes */
static DEFINE_MUTEX(lw_abba_a);
static DEFINE_MUTEX(lw_abba_b);
/* killable: abba with killable waits, ended by killing lw_kill_1 */
static DEFINE_MUTEX(lw_kill_a);
static DEFINE_MUTEX(lw_kill_b);
/* mr: a mutex against an rw_semaphore taken for write */
static DEFINE_MUTEX(lw_mr_mutex);
static DECLARE_RWSEM(lw_mr_rwsem);
/* tri: three mutexes, three threads */
static DEFINE_MUTEX(lw_tri_m1);
static DEFINE_MUTEX(lw_tri_m2);
static DEFINE_MUTEX(lw_tri_m3);
static struct mutex *const lw_tri[] = { &lw_tri_m1, &lw_tri_m2, &lw_tri_m3 };
static atomic_t lw_tri_held = ATOMIC_INIT(0);
static DECLARE_COMPLETION(lw_tri_go);
/* self: re-locking a held mutex */
static DEFINE_MUTEX(lw_self_mutex);
/* reader: a reader holds it and sleeps, a writer waits */
static DECLARE_RWSEM(lw_rd_rwsem);
/* sem: a semaphore holder and a waiter */
static struct semaphore lw_sem;
/* sleep: a holder sleeping in msleep, two waiters */
static DEFINE_MUTEX(lw_sleep_mutex);
/* rtmutex: ABBA on two rt_mutexes (run on PREEMPT_RT kernels) */
static DEFINE_RT_MUTEX(lw_rt_a);
static DEFINE_RT_MUTEX(lw_rt_b);
/* stack and heap: locks with no symbol */
static struct mutex *lw_stack_mutex;
static struct mutex *lw_heap_mutex;
static DECLARE_COMPLETION(lw_stack_ready);
/* crowd: many waiters behind one sleeping holder */
static DEFINE_MUTEX(lw_crowd_mutex);
static DECLARE_COMPLETION(lw_crowd_held);
/* churn: consistent order A -> R -> B */
static DEFINE_MUTEX(lw_churn_a);
static DECLARE_RWSEM(lw_churn_r);
static DEFINE_MUTEX(lw_churn_b);
static bool lw_churn_stop;
static atomic_t lw_churn_running = ATOMIC_INIT(0);
static atomic64_t lw_churn_rounds = ATOMIC64_INIT(0);

static struct file *lw_fire_file;
static struct dentry *lw_dir;
static DEFINE_MUTEX(lw_start_lock);

static struct task_struct *lw_kill_task;

static int lw_spawn_task(int (*fn)(void *), long arg, const char *name,
			 struct task_struct **task)
{
	struct task_struct *t = kthread_run(fn, (void *)arg, "%s", name);

	if (IS_ERR(t)) {
		pr_err("cannot start %s: %ld\n", name, PTR_ERR(t));
		return PTR_ERR(t);
	}
	if (task)
		*task = get_task_struct(t);
	return 0;
}

int lw_spawn(int (*fn)(void *), long arg, const char *name)
{
	return lw_spawn_task(fn, arg, name, NULL);
}

/*
 * The thread that never returns: sleep interruptibly, holding its locks.
 * An hour at a time, so that no scan catches it awake.
 */
static void lw_hold_forever(void)
{
	for (;;)
		msleep_interruptible(3600 * 1000);
}

/* Hold a lock and sleep uninterruptibly for good, an hour at a time. */
static void lw_sleep_forever(void)
{
	for (;;)
		msleep(3600 * 1000);
}

static struct completion lw_held[16];

static void lw_wait_peer(int self, int peer)
{
	complete(&lw_held[self]);
	wait_for_completion(&lw_held[peer]);
}

static int lw_abba_fn(void *arg)
{
	long i = (long)arg;

	lockdep_off();	/* a meant deadlock: not for lockdep */
	mutex_lock(i ? &lw_abba_b : &lw_abba_a);
	lw_wait_peer(i, !i);
	mutex_lock(i ? &lw_abba_a : &lw_abba_b);
	lw_hold_forever();
	return 0;
}

/*
 * A cycle that can end: both wait killably, and a SIGKILL sent to
 * lw_kill_1 (killable-end) makes it give up; lw_kill_2 then gets its lock
 * and both threads exit. The signal goes to the thread itself, as the
 * kernel sends it to every thread of a process being killed: kill(2) on
 * a kernel thread would only queue it for the group, which a kernel
 * thread's killable wait does not see.
 */
static int lw_kill_fn(void *arg)
{
	long i = (long)arg;
	struct mutex *mine = i ? &lw_kill_b : &lw_kill_a;
	struct mutex *theirs = i ? &lw_kill_a : &lw_kill_b;

	lockdep_off();	/* a meant deadlock: not for lockdep */
	allow_signal(SIGKILL);
	mutex_lock(mine);
	lw_wait_peer(10 + i, 10 + !i);
	if (!mutex_lock_killable(theirs))
		mutex_unlock(theirs);
	mutex_unlock(mine);
	pr_info("%s: the cycle has ended\n", current->comm);
	return 0;
}

static int lw_rt_fn(void *arg)
{
	long i = (long)arg;

	lockdep_off();	/* a meant deadlock: not for lockdep */
	rt_mutex_lock(i ? &lw_rt_b : &lw_rt_a);
	lw_wait_peer(i ? 9 : 8, i ? 8 : 9);
	rt_mutex_lock(i ? &lw_rt_a : &lw_rt_b);
	lw_hold_forever();
	return 0;
}

static int lw_mr_fn(void *arg)
{
	long i = (long)arg;

	lockdep_off();	/* a meant deadlock: not for lockdep */
	if (!i) {
		mutex_lock(&lw_mr_mutex);
		lw_wait_peer(2, 3);
		down_write(&lw_mr_rwsem);
	} else {
		down_write(&lw_mr_rwsem);
		lw_wait_peer(3, 2);
		mutex_lock(&lw_mr_mutex);
	}
	lw_hold_forever();
	return 0;
}

static int lw_tri_fn(void *arg)
{
	long i = (long)arg;

	lockdep_off();	/* a meant deadlock: not for lockdep */
	mutex_lock(lw_tri[i]);
	if (atomic_inc_return(&lw_tri_held) == ARRAY_SIZE(lw_tri))
		complete_all(&lw_tri_go);
	wait_for_completion(&lw_tri_go);
	mutex_lock(lw_tri[(i + 1) % ARRAY_SIZE(lw_tri)]);
	lw_hold_forever();
	return 0;
}

static int lw_self_fn(void *arg)
{
	lockdep_off();	/* a meant deadlock: not for lockdep */
	mutex_lock(&lw_self_mutex);
	mutex_lock(&lw_self_mutex);
	lw_hold_forever();
	return 0;
}

/*
 * The seed's shape on one file: the VFS inode lock (i_rwsem) against a
 * second lock of the same inode, as XFS's i_iolock once was:
 * invalidate_lock where the kernel has it, i_mmap_rwsem before (5.10).
 */
#ifdef LW_HAVE_INVALIDATE_LOCK
#define lw_fire_second_lock(m)	filemap_invalidate_lock(m)
#else
#define lw_fire_second_lock(m)	i_mmap_lock_write(m)
#endif

static int lw_fire_fn(void *arg)
{
	struct inode *inode = file_inode(lw_fire_file);
	long i = (long)arg;

	lockdep_off();	/* a meant deadlock: not for lockdep */
	if (!i) {
		inode_lock(inode);
		lw_wait_peer(4, 5);
		lw_fire_second_lock(inode->i_mapping);
	} else {
		lw_fire_second_lock(inode->i_mapping);
		lw_wait_peer(5, 4);
		inode_lock(inode);
	}
	lw_hold_forever();
	return 0;
}

/* A file of a given file system type and its private inode lock. */
struct lw_fs_file {
	const char *fstype;
	struct file *file;
	int delta;			/* the private lock, from the VFS inode */
	int held;			/* first of its two lw_held[] slots */
	struct lw_fs_thread {
		struct lw_fs_file *ff;
		bool first;		/* takes i_rwsem first */
	} threads[2];
};

static struct lw_fs_file lw_xfs = { .fstype = "xfs", .held = 12 };
static struct lw_fs_file lw_xfs_hold = { .fstype = "xfs" };
static struct lw_fs_file lw_xfs_sb = { .fstype = "xfs" };
static struct lw_fs_file lw_ext4 = { .fstype = "ext4", .held = 14 };

static struct rw_semaphore *lw_private_lock(struct lw_fs_file *ff)
{
	return (struct rw_semaphore *)((char *)file_inode(ff->file) + ff->delta);
}

/*
 * Open @path for @ff, refusing a file of another file system type or,
 * when the private lock is used, an offset that cannot be a lock next to
 * the inode: the scenario would write to whatever is there.
 */
static int lw_fs_open(struct lw_fs_file *ff, const char *path, int delta,
		      bool lock)
{
	struct file *f;

	if (ff->file)
		return 0;
	if (lock && (!delta || delta <= -4096 || delta >= 4096 ||
	    !IS_ALIGNED(abs(delta), sizeof(long)))) {
		pr_err("%s: no offset of its private inode lock (from lockwatch setup)\n",
		       ff->fstype);
		return -EINVAL;
	}
	f = filp_open(path, O_RDWR, 0);
	if (IS_ERR(f)) {
		pr_err("%s: cannot open %s: %ld\n", ff->fstype, path, PTR_ERR(f));
		return PTR_ERR(f);
	}
	if (strcmp(file_inode(f)->i_sb->s_type->name, ff->fstype)) {
		pr_err("%s is not on %s\n", path, ff->fstype);
		filp_close(f, NULL);
		return -EINVAL;
	}
	/* Kept open for good: the threads hold its inode's locks. */
	ff->file = f;
	ff->delta = delta;
	return 0;
}

static int lw_fs_fire_fn(void *arg)
{
	struct lw_fs_thread *th = arg;
	struct lw_fs_file *ff = th->ff;
	struct inode *inode = file_inode(ff->file);

	lockdep_off();	/* a meant deadlock: not for lockdep */
	if (th->first) {
		inode_lock(inode);
		lw_wait_peer(ff->held, ff->held + 1);
		down_write(lw_private_lock(ff));
	} else {
		down_write(lw_private_lock(ff));
		lw_wait_peer(ff->held + 1, ff->held);
		inode_lock(inode);
	}
	lw_hold_forever();
	return 0;
}

/* Hold a file's i_rwsem and private lock, asleep for good. */
static int lw_fs_hold_fn(void *arg)
{
	struct lw_fs_file *ff = arg;

	inode_lock(file_inode(ff->file));
	down_write(lw_private_lock(ff));
	lw_sleep_forever();
	return 0;
}

static int lw_fs_sb_fn(void *arg)
{
	struct lw_fs_file *ff = arg;

	down_write(&file_inode(ff->file)->i_sb->s_umount);
	lw_sleep_forever();
	return 0;
}

static int lw_start_fs_pair(struct lw_fs_file *ff, const char *path,
			    int delta, const char *name)
{
	int i, ret = lw_fs_open(ff, path, delta, true);

	for (i = 0; !ret && i < 2; i++) {
		ff->threads[i].ff = ff;
		ff->threads[i].first = !i;
		ret = PTR_ERR_OR_ZERO(kthread_run(lw_fs_fire_fn, &ff->threads[i],
						  "lw_%s_%d", name, i + 1));
	}
	return ret;
}

static int lw_start_xfsfire(void)
{
	return lw_start_fs_pair(&lw_xfs, xfs_file, xfs_ilock, "xfs");
}

static int lw_start_ext4fire(void)
{
	return lw_start_fs_pair(&lw_ext4, ext4_file, ext4_data_sem, "ext4");
}

static int lw_start_xfshold(void)
{
	return lw_fs_open(&lw_xfs_hold, xfs_hold_file, xfs_ilock, true) ?:
	       PTR_ERR_OR_ZERO(kthread_run(lw_fs_hold_fn, &lw_xfs_hold,
					   "lw_xfs_holder"));
}

static int lw_start_xfssb(void)
{
	return lw_fs_open(&lw_xfs_sb, xfs_file, 0, false) ?:
	       PTR_ERR_OR_ZERO(kthread_run(lw_fs_sb_fn, &lw_xfs_sb,
					   "lw_xfs_sb"));
}

static int lw_idle_fn(void *arg)
{
	lw_hold_forever();
	return 0;
}

/* A pair of kmalloc'd mutexes taken in opposite orders. */
struct lw_bench_pair {
	struct mutex m[2];
	struct completion held[2];
};

struct lw_bench_arg {
	struct lw_bench_pair *pair;
	int i;
};

static int lw_bench_abba_fn(void *arg)
{
	struct lw_bench_arg *a = arg;
	struct lw_bench_pair *p = a->pair;
	int i = a->i;

	lockdep_off();	/* a meant deadlock: not for lockdep */
	mutex_lock(&p->m[i]);
	complete(&p->held[i]);
	wait_for_completion(&p->held[!i]);
	if (i)
		WRITE_ONCE(lw_formed_ns, ktime_get_boottime_ns());
	mutex_lock(&p->m[!i]);
	lw_hold_forever();
	return 0;
}

static int lw_bench_holder_fn(void *arg)
{
	struct lw_bench_pair *p = arg;

	mutex_lock(&p->m[0]);
	complete_all(&p->held[0]);
	lw_sleep_forever();
	return 0;
}

static int lw_bench_waiter_fn(void *arg)
{
	struct lw_bench_pair *p = arg;

	wait_for_completion(&p->held[0]);
	mutex_lock(&p->m[0]);
	lw_hold_forever();
	return 0;
}

/* Never freed: its threads stay blocked for good. */
static struct lw_bench_pair *lw_bench_pair(void)
{
	struct lw_bench_pair *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (p) {
		mutex_init(&p->m[0]);
		mutex_init(&p->m[1]);
		init_completion(&p->held[0]);
		init_completion(&p->held[1]);
	}
	return p;
}

static int lw_bench_cycle(int seq)
{
	struct lw_bench_pair *p = lw_bench_pair();
	struct lw_bench_arg *a = kcalloc(2, sizeof(*a), GFP_KERNEL);
	int i, ret = 0;

	if (!p || !a) {
		kfree(p);
		kfree(a);
		return -ENOMEM;
	}
	for (i = 0; !ret && i < 2; i++) {
		a[i].pair = p;
		a[i].i = i;
		ret = PTR_ERR_OR_ZERO(kthread_run(lw_bench_abba_fn, &a[i],
						  "lw_cyc%d_%d", seq, i + 1));
	}
	return ret;
}

static int lw_bench_chain(int seq, int waiters)
{
	struct lw_bench_pair *p = lw_bench_pair();
	int i, ret;

	if (!p)
		return -ENOMEM;
	ret = PTR_ERR_OR_ZERO(kthread_run(lw_bench_holder_fn, p, "lw_hold%d", seq));
	for (i = 0; !ret && i < waiters; i++)
		ret = PTR_ERR_OR_ZERO(kthread_run(lw_bench_waiter_fn, p,
						  "lw_wait%d_%d", seq, i + 1));
	return ret;
}

static int lw_bench_count(unsigned int *n)
{
	*n = READ_ONCE(bench_count);
	if (*n < 1 || *n > 100000) {
		pr_err("bench_count must be 1..100000\n");
		return -EINVAL;
	}
	return 0;
}

static int lw_start_idle(void)
{
	unsigned int i, n;
	int ret = lw_bench_count(&n);

	for (i = 0; !ret && i < n; i++)
		ret = PTR_ERR_OR_ZERO(kthread_run(lw_idle_fn, NULL, "lw_idle%u", i));
	return ret;
}

static int lw_start_blocked(void)
{
	unsigned int i, n;
	int seq, ret = lw_bench_count(&n);

	for (i = 0; !ret && i + 10 <= n; i += 10) {
		seq = atomic_inc_return(&lw_bench_seq);
		ret = seq % 5 ? lw_bench_chain(seq, 9) :
		      lw_bench_cycle(seq) ?: lw_bench_cycle(-seq) ?:
		      lw_bench_cycle(seq + 100000) ?: lw_bench_cycle(-seq - 100000) ?:
		      lw_bench_cycle(seq + 200000);
	}
	return ret;
}

static int lw_start_cycle(void)
{
	return lw_bench_cycle(atomic_inc_return(&lw_bench_seq));
}

static int lw_rd_holder_fn(void *arg)
{
	down_read(&lw_rd_rwsem);
	complete(&lw_held[6]);
	lw_hold_forever();
	return 0;
}

static int lw_rd_writer_fn(void *arg)
{
	wait_for_completion(&lw_held[6]);
	down_write(&lw_rd_rwsem);
	lw_hold_forever();
	return 0;
}

static int lw_sem_holder_fn(void *arg)
{
	down(&lw_sem);
	complete(&lw_held[7]);
	lw_hold_forever();
	return 0;
}

static int lw_sem_waiter_fn(void *arg)
{
	wait_for_completion(&lw_held[7]);
	down(&lw_sem);
	lw_hold_forever();
	return 0;
}

static DECLARE_COMPLETION(lw_sleep_held);

static int lw_sleep_holder_fn(void *arg)
{
	mutex_lock(&lw_sleep_mutex);
	complete_all(&lw_sleep_held);
	/* Uninterruptible sleep that holds a lock but waits for none. */
	lw_sleep_forever();
	return 0;
}

static int lw_sleep_waiter_fn(void *arg)
{
	wait_for_completion(&lw_sleep_held);
	mutex_lock(&lw_sleep_mutex);
	lw_hold_forever();
	return 0;
}

/* sb: hold the superblock's s_umount; sync(2) waits for it. */
static int lw_sb_holder_fn(void *arg)
{
	struct super_block *sb = file_inode(lw_fire_file)->i_sb;

	down_write(&sb->s_umount);
	lw_sleep_forever();
	return 0;
}

static struct file *lw_mmap_filp;
static DECLARE_COMPLETION(lw_mmap_held);

static int lw_mmap_holder_fn(void *arg)
{
	i_mmap_lock_write(lw_mmap_filp->f_mapping);
	complete_all(&lw_mmap_held);
	lw_sleep_forever();
	return 0;
}

static int lw_mmap_waiter_fn(void *arg)
{
	wait_for_completion(&lw_mmap_held);
	i_mmap_lock_read(lw_mmap_filp->f_mapping);
	lw_hold_forever();
	return 0;
}

/* mmaplock: a process's mmap_lock held for write; /proc readers wait. */
static struct mm_struct *lw_mmaplk_mm;

static int lw_mm_holder_fn(void *arg)
{
	mmap_write_lock(lw_mmaplk_mm);
	lw_sleep_forever();
	return 0;
}

/* pagelock: the first page of a tmpfs file locked; readers and writers wait. */
static struct page *lw_locked_page;

static int lw_page_holder_fn(void *arg)
{
	lock_page(lw_locked_page);
	lw_sleep_forever();
	return 0;
}

/*
 * dwait: an uninterruptible sleep that waits for nothing lockwatch knows,
 * woken every 100 ms to find nothing changed, as retry and polling loops
 * (an RPC's retransmits, balance_dirty_pages()) are: stuck all the same.
 */
static int lw_dwait_fn(void *arg)
{
	for (;;)
		schedule_timeout_uninterruptible(HZ / 10);
	return 0;
}

/* bunknown: the same wait, never woken (a thousand of them, quietly). */
static int lw_dsleep_fn(void *arg)
{
	for (;;)
		schedule_timeout_uninterruptible(MAX_SCHEDULE_TIMEOUT);
	return 0;
}

/*
 * cmpl: two threads wait for a completion nobody completes yet (one
 * killable), and one flushes a work item that runs until cmpl-end.
 */
static DECLARE_COMPLETION(lw_cmpl);
static bool lw_cmpl_ending;

static int lw_cmpl_fn(void *arg)
{
	if (arg)
		return wait_for_completion_killable(&lw_cmpl);
	wait_for_completion(&lw_cmpl);
	return 0;
}

static void lw_slow_work_fn(struct work_struct *work)
{
	while (!READ_ONCE(lw_cmpl_ending))
		msleep_interruptible(20);
}

static DECLARE_WORK(lw_slow_work, lw_slow_work_fn);

static int lw_flush_fn(void *arg)
{
	flush_work(&lw_slow_work);
	return 0;
}

static int lw_start_cmpl(void)
{
	int ret = lw_spawn(lw_cmpl_fn, 0, "lw_cmpl_w1") ?:
		  lw_spawn(lw_cmpl_fn, 1, "lw_cmpl_w2");

	if (ret)
		return ret;
	schedule_work(&lw_slow_work);
	return lw_spawn(lw_flush_fn, 0, "lw_flusher");
}

static int lw_end_cmpl(void)
{
	WRITE_ONCE(lw_cmpl_ending, true);
	complete_all(&lw_cmpl);
	return 0;
}

/*
 * pcpu: a percpu_rw_semaphore read-held by a sleeping reader; a writer
 * that has blocked new readers waits for it to leave; two readers wait
 * behind the writer.
 */
DEFINE_STATIC_PERCPU_RWSEM(lw_pcpu_rwsem);
static DECLARE_COMPLETION(lw_pcpu_held);

static int lw_pcpu_holder_fn(void *arg)
{
	percpu_down_read(&lw_pcpu_rwsem);
	complete_all(&lw_pcpu_held);
	lw_sleep_forever();
	return 0;
}

static int lw_pcpu_writer_fn(void *arg)
{
	percpu_down_write(&lw_pcpu_rwsem);
	lw_hold_forever();
	return 0;
}

static int lw_pcpu_reader_fn(void *arg)
{
	percpu_down_read(&lw_pcpu_rwsem);
	lw_hold_forever();
	return 0;
}

/*
 * cpuhp: cpu_hotplug_lock read-held (cpus_read_lock()) until cpuhp-end,
 * so that a CPU going offline waits for it as the writer; cpuhp-readers
 * adds two readers, which wait behind that writer.
 */
static bool lw_cpuhp_stop;
static DECLARE_COMPLETION(lw_cpuhp_held);
static DECLARE_COMPLETION(lw_cpuhp_done);

static int lw_cpuhp_holder_fn(void *arg)
{
	cpus_read_lock();
	complete_all(&lw_cpuhp_held);
	while (!READ_ONCE(lw_cpuhp_stop))
		msleep(100);
	cpus_read_unlock();
	complete_all(&lw_cpuhp_done);
	return 0;
}

static int lw_cpuhp_reader_fn(void *arg)
{
	cpus_read_lock();
	cpus_read_unlock();
	return 0;
}

/* A mutex on the holder's own stack, another from kmalloc. */
static int lw_stack_holder_fn(void *arg)
{
	struct mutex m;

	mutex_init(&m);
	mutex_lock(&m);
	mutex_lock(lw_heap_mutex);
	lw_stack_mutex = &m;
	complete_all(&lw_stack_ready);
	lw_sleep_forever();
	return 0;
}

static int lw_stack_waiter_fn(void *arg)
{
	wait_for_completion(&lw_stack_ready);
	mutex_lock(arg ? lw_heap_mutex : lw_stack_mutex);
	lw_hold_forever();
	return 0;
}

static int lw_crowd_holder_fn(void *arg)
{
	mutex_lock(&lw_crowd_mutex);
	complete_all(&lw_crowd_held);
	lw_sleep_forever();
	return 0;
}

static int lw_crowd_fn(void *arg)
{
	wait_for_completion(&lw_crowd_held);
	mutex_lock(&lw_crowd_mutex);
	lw_hold_forever();
	return 0;
}

static int lw_start_crowd(void)
{
	char name[24];	/* the kernel keeps the first 15 */
	unsigned int i;
	int ret = lw_spawn(lw_crowd_holder_fn, 0, "lw_crowd_holder");

	for (i = 0; !ret && i < crowd; i++) {
		snprintf(name, sizeof(name), "lw_crowd_%u", i + 1);
		ret = lw_spawn(lw_crowd_fn, i, name);
	}
	return ret;
}

static int lw_churn_fn(void *arg)
{
	long i = (long)arg;
	u64 n = 0;

	while (!READ_ONCE(lw_churn_stop)) {
		mutex_lock(&lw_churn_a);
		if ((n + i) & 1)
			down_read(&lw_churn_r);
		else
			down_write(&lw_churn_r);
		mutex_lock(&lw_churn_b);
		usleep_range(50, 200);
		mutex_unlock(&lw_churn_b);
		if ((n + i) & 1)
			up_read(&lw_churn_r);
		else
			up_write(&lw_churn_r);
		mutex_unlock(&lw_churn_a);
		usleep_range(20, 100);
		n++;
	}
	atomic64_add(n, &lw_churn_rounds);
	atomic_dec(&lw_churn_running);
	return 0;
}

static int lw_start_fire(void)
{
	struct file *f = filp_open(file, O_RDWR | O_CREAT, 0644);

	if (IS_ERR(f)) {
		pr_err("fire: cannot open %s: %ld\n", file, PTR_ERR(f));
		return PTR_ERR(f);
	}
	/* Kept open for good: the deadlocked threads use its inode. */
	lw_fire_file = f;
	return lw_spawn(lw_fire_fn, 0, "lw_fire_1") ?:
	       lw_spawn(lw_fire_fn, 1, "lw_fire_2");
}

static int lw_start_churn(void)
{
	char name[24];	/* the kernel keeps the first 15 */
	unsigned int i;
	int ret;

	if (atomic_read(&lw_churn_running))
		return -EBUSY;
	WRITE_ONCE(lw_churn_stop, false);
	atomic64_set(&lw_churn_rounds, 0);
	for (i = 0; i < churn_threads; i++) {
		snprintf(name, sizeof(name), "lw_churn_%u", i + 1);
		atomic_inc(&lw_churn_running);
		ret = lw_spawn(lw_churn_fn, i, name);
		if (ret) {
			atomic_dec(&lw_churn_running);
			return ret;
		}
	}
	return 0;
}

static int lw_stop_churn(void)
{
	WRITE_ONCE(lw_churn_stop, true);
	while (atomic_read(&lw_churn_running))
		msleep(20);
	pr_info("churn: %lld rounds\n", (long long)atomic64_read(&lw_churn_rounds));
	return 0;
}

static int lw_start_abba(void)
{
	return lw_spawn(lw_abba_fn, 0, "lw_abba_1") ?:
	       lw_spawn(lw_abba_fn, 1, "lw_abba_2");
}

static int lw_start_killable(void)
{
	return lw_spawn_task(lw_kill_fn, 0, "lw_kill_1", &lw_kill_task) ?:
	       lw_spawn(lw_kill_fn, 1, "lw_kill_2");
}

static int lw_end_killable(void)
{
	if (!lw_kill_task) {
		pr_err("killable-end: start killable first\n");
		return -EINVAL;
	}
	send_sig(SIGKILL, lw_kill_task, 1);
	put_task_struct(lw_kill_task);
	lw_kill_task = NULL;
	return 0;
}

static int lw_start_rtmutex(void)
{
	return lw_spawn(lw_rt_fn, 0, "lw_rt_1") ?:
	       lw_spawn(lw_rt_fn, 1, "lw_rt_2");
}

static int lw_start_mr(void)
{
	return lw_spawn(lw_mr_fn, 0, "lw_mr_1") ?:
	       lw_spawn(lw_mr_fn, 1, "lw_mr_2");
}

static int lw_start_tri(void)
{
	return lw_spawn(lw_tri_fn, 0, "lw_tri_1") ?:
	       lw_spawn(lw_tri_fn, 1, "lw_tri_2") ?:
	       lw_spawn(lw_tri_fn, 2, "lw_tri_3");
}

static int lw_start_self(void)
{
	return lw_spawn(lw_self_fn, 0, "lw_self");
}

static int lw_start_reader(void)
{
	return lw_spawn(lw_rd_holder_fn, 0, "lw_rd_holder") ?:
	       lw_spawn(lw_rd_writer_fn, 0, "lw_rd_writer");
}

static int lw_start_sem(void)
{
	return lw_spawn(lw_sem_holder_fn, 0, "lw_sem_holder") ?:
	       lw_spawn(lw_sem_waiter_fn, 0, "lw_sem_waiter");
}

static int lw_start_sleep(void)
{
	return lw_spawn(lw_sleep_holder_fn, 0, "lw_sleep_holder") ?:
	       lw_spawn(lw_sleep_waiter_fn, 0, "lw_sleep_w1") ?:
	       lw_spawn(lw_sleep_waiter_fn, 1, "lw_sleep_w2");
}

static int lw_start_sb(void)
{
	if (!lw_fire_file) {
		pr_err("sb: start fire first, its file system is the one held\n");
		return -EINVAL;
	}
	return lw_spawn(lw_sb_holder_fn, 0, "lw_sb_holder");
}

static int lw_start_mmap(void)
{
	struct file *f = filp_open(mmap_file, O_RDWR, 0);

	if (IS_ERR(f)) {
		pr_err("mmap: cannot open %s: %ld\n", mmap_file, PTR_ERR(f));
		return PTR_ERR(f);
	}
	lw_mmap_filp = f;
	return lw_spawn(lw_mmap_holder_fn, 0, "lw_mmap_holder") ?:
	       lw_spawn(lw_mmap_waiter_fn, 0, "lw_mmap_waiter");
}

static int lw_start_stack(void)
{
	lw_heap_mutex = kmalloc(sizeof(*lw_heap_mutex), GFP_KERNEL);
	if (!lw_heap_mutex)
		return -ENOMEM;
	mutex_init(lw_heap_mutex);
	return lw_spawn(lw_stack_holder_fn, 0, "lw_stk_holder") ?:
	       lw_spawn(lw_stack_waiter_fn, 0, "lw_stk_waiter") ?:
	       lw_spawn(lw_stack_waiter_fn, 1, "lw_heap_waiter");
}

static int lw_start_mmaplock(void)
{
	struct task_struct *t;
	struct pid *pid = find_get_pid(mm_pid);

	t = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	put_pid(pid);
	lw_mmaplk_mm = t ? get_task_mm(t) : NULL;
	if (t)
		put_task_struct(t);
	if (!lw_mmaplk_mm) {
		pr_err("mmaplock: no process %d with an mm (set mm_pid)\n", mm_pid);
		return -ESRCH;
	}
	return lw_spawn(lw_mm_holder_fn, 0, "lw_mm_holder");
}

static int lw_start_pcpu(void)
{
	int i, ret = lw_spawn(lw_pcpu_holder_fn, 0, "lw_pcpu_holder");

	if (ret)
		return ret;
	wait_for_completion(&lw_pcpu_held);
	ret = lw_spawn(lw_pcpu_writer_fn, 0, "lw_pcpu_writer");
	if (ret)
		return ret;
	/* The readers come once the writer holds new readers back. */
	for (i = 0; i < 100 && !atomic_read(&lw_pcpu_rwsem.block); i++)
		msleep(20);
	if (!atomic_read(&lw_pcpu_rwsem.block)) {
		pr_err("pcpu: the writer never blocked readers\n");
		return -ETIMEDOUT;
	}
	return lw_spawn(lw_pcpu_reader_fn, 1, "lw_pcpu_r1") ?:
	       lw_spawn(lw_pcpu_reader_fn, 2, "lw_pcpu_r2");
}

static int lw_start_pagelock(void)
{
	struct file *f;
	struct page *page;

	if (lw_locked_page)
		return -EBUSY;
	f = filp_open(page_file, O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_err("pagelock: cannot open %s: %ld\n", page_file, PTR_ERR(f));
		return PTR_ERR(f);
	}
	page = shmem_read_mapping_page(f->f_mapping, 0);
	if (IS_ERR(page)) {
		pr_err("pagelock: no page 0 of %s: %ld\n", page_file, PTR_ERR(page));
		fput(f);
		return PTR_ERR(page);
	}
	lw_locked_page = page;	/* the file and the page stay referenced */
	return lw_spawn(lw_page_holder_fn, 0, "lw_page_holder");
}

/*
 * Benchmarks of the other kinds of wait, bench_count threads each:
 * "bunknown" asleep where no decoder knows, "bpcpu" readers of a
 * percpu_rw_semaphore held for write, "bpage" waiters of a locked page
 * (the pagelock scenario's).
 */
DEFINE_STATIC_PERCPU_RWSEM(lw_bpcpu_rwsem);
static DECLARE_COMPLETION(lw_bpcpu_held);

static int lw_bpcpu_writer_fn(void *arg)
{
	percpu_down_write(&lw_bpcpu_rwsem);
	complete_all(&lw_bpcpu_held);
	lw_hold_forever();
	return 0;
}

static int lw_bpcpu_reader_fn(void *arg)
{
	percpu_down_read(&lw_bpcpu_rwsem);
	lw_hold_forever();
	return 0;
}

static int lw_bpage_fn(void *arg)
{
	lock_page(lw_locked_page);
	lw_hold_forever();
	return 0;
}

static int lw_bench_kind(const char *what, int (*fn)(void *))
{
	unsigned int i, n;
	char name[TASK_COMM_LEN];
	int ret = lw_bench_count(&n);

	for (i = 0; !ret && i < n; i++) {
		snprintf(name, sizeof(name), "lw_%s_%u", what, i);
		ret = lw_spawn(fn, i, name);
	}
	return ret;
}

static int lw_start_bunknown(void)
{
	return lw_bench_kind("bu", lw_dsleep_fn);
}

static int lw_start_bpcpu(void)
{
	static bool writer;

	if (!writer) {
		int ret = lw_spawn(lw_bpcpu_writer_fn, 0, "lw_bpcpu_writer");

		if (ret)
			return ret;
		writer = true;
		wait_for_completion(&lw_bpcpu_held);
	}
	return lw_bench_kind("bpr", lw_bpcpu_reader_fn);
}

static int lw_start_bpage(void)
{
	int i, ret;

	if (!lw_locked_page) {
		ret = lw_start_pagelock();
		if (ret)
			return ret;
	}
	/* The waiters come once the holder has the page. */
	for (i = 0; i < 100 && !PageLocked(lw_locked_page); i++)
		msleep(20);
	return lw_bench_kind("bpg", lw_bpage_fn);
}

static int lw_start_bflush_n(void)
{
	unsigned int n;

	return lw_bench_count(&n) ?: lw_start_bflush(n);
}

static int lw_start_cpuhp(void)
{
	int ret = lw_spawn(lw_cpuhp_holder_fn, 0, "lw_cpuhp_holder");

	if (!ret)
		wait_for_completion(&lw_cpuhp_held);
	return ret;
}

static int lw_start_cpuhp_readers(void)
{
	return lw_spawn(lw_cpuhp_reader_fn, 1, "lw_cpuhp_r1") ?:
	       lw_spawn(lw_cpuhp_reader_fn, 2, "lw_cpuhp_r2");
}

static int lw_end_cpuhp(void)
{
	WRITE_ONCE(lw_cpuhp_stop, true);
	wait_for_completion(&lw_cpuhp_done);
	return 0;
}

static int lw_start_dwait(void)
{
	return lw_spawn(lw_dwait_fn, 0, "lw_dwait");
}

static struct {
	const char *name;
	int (*start)(void);
	bool once;	/* uses static locks that stay deadlocked */
	bool started;
} lw_scenarios[] = {
	{ "abba", lw_start_abba, true },
	{ "mr", lw_start_mr, true },
	{ "tri", lw_start_tri, true },
	{ "self", lw_start_self, true },
	{ "fire", lw_start_fire, true },
	{ "reader", lw_start_reader, true },
	{ "sem", lw_start_sem, true },
	{ "sleep", lw_start_sleep, true },
	{ "crowd", lw_start_crowd, true },
	{ "sb", lw_start_sb, true },
	{ "mmap", lw_start_mmap, true },
	{ "stack", lw_start_stack, true },
	{ "mmaplock", lw_start_mmaplock, true },
	{ "dwait", lw_start_dwait, true },
	{ "rcuhold", lw_start_rcuhold, false },
	{ "rcuhold-end", lw_end_rcuhold, false },
	{ "wqflood", lw_start_wqflood, true },
	{ "wqflood-end", lw_end_wqflood, true },
	{ "forkhold", lw_start_forkhold, false },
	{ "forkhold-end", lw_end_forkhold, false },
	{ "owners", lw_start_owners, false },
	{ "owners-go", lw_go_owners, false },
	{ "owners-end", lw_end_owners, false },
	{ "frzwait", lw_start_frzwait, false },
	{ "frz-end", lw_end_frz, false },
	{ "pcpu", lw_start_pcpu, true },
	{ "pagelock", lw_start_pagelock, true },
	{ "cpuhp", lw_start_cpuhp, true },
	{ "cpuhp-readers", lw_start_cpuhp_readers, true },
	{ "cpuhp-end", lw_end_cpuhp, true },
	{ "bunknown", lw_start_bunknown, false },
	{ "bpcpu", lw_start_bpcpu, false },
	{ "bpage", lw_start_bpage, false },
	{ "bflush", lw_start_bflush_n, false },
	{ "rtmutex", lw_start_rtmutex, true },
	{ "killable", lw_start_killable, true },
	{ "killable-end", lw_end_killable, true },
	{ "xfsfire", lw_start_xfsfire, true },
	{ "ext4fire", lw_start_ext4fire, true },
	{ "xfshold", lw_start_xfshold, true },
	{ "xfssb", lw_start_xfssb, true },
	{ "cmpl", lw_start_cmpl, true },
	{ "cmpl-end", lw_end_cmpl, true },
	{ "blk", lw_start_blk, true },
	{ "blkhold", lw_start_blkhold, true },
	{ "blk-end", lw_end_blk, true },
	{ "flush-sys", lw_start_flush_sys, true },
	{ "flush-wq", lw_start_flush_wq, true },
	{ "flush-cancel", lw_start_flush_cancel, true },
	{ "flush-delayed", lw_start_flush_delayed, true },
	{ "wqchain", lw_start_wqchain, true },
	{ "wqchain-end", lw_end_wqchain, true },
	{ "kstop", lw_start_kstop, true },
	{ "flush-workqueue", lw_start_flush_workqueue, true },
	{ "wqchurn", lw_start_wqchurn, false },
	{ "wqchurn-stop", lw_stop_wqchurn, false },
	{ "idle", lw_start_idle, false },
	{ "blocked", lw_start_blocked, false },
	{ "cycle", lw_start_cycle, false },
	{ "churn", lw_start_churn, false },
	{ "churn-stop", lw_stop_churn, false },
};

/* Start the scenario called @name (of @len characters), or only check it. */
static int lw_start(const char *name, size_t len, bool check)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(lw_scenarios); i++)
		if (strlen(lw_scenarios[i].name) == len &&
		    !strncmp(name, lw_scenarios[i].name, len))
			break;
	if (i == ARRAY_SIZE(lw_scenarios)) {
		pr_err("unknown scenario '%.*s'\n", (int)len, name);
		return -EINVAL;
	}
	if (check)
		return 0;
	mutex_lock(&lw_start_lock);
	if (lw_scenarios[i].once && lw_scenarios[i].started) {
		ret = -EBUSY;
	} else {
		ret = lw_scenarios[i].start();
		if (!ret)
			lw_scenarios[i].started = true;
	}
	mutex_unlock(&lw_start_lock);
	if (!ret)
		pr_info("started %s\n", lw_scenarios[i].name);
	return ret;
}

static int lw_start_list(const char *list, bool check)
{
	while (*list) {
		size_t len = strcspn(list, ",\n");
		int ret = len ? lw_start(list, len, check) : 0;

		if (ret)
			return ret;
		list += len;
		if (*list)
			list++;
	}
	return 0;
}

static bool lw_loaded;

/*
 * Scenarios started later are written to the module parameter "run": a
 * writable sysfs file, which kernel lockdown leaves writable (debugfs it
 * does not).
 */
static int lw_run_set(const char *val, const struct kernel_param *kp)
{
	if (!READ_ONCE(lw_loaded)) {
		pr_err("run: give start= at load\n");
		return -EINVAL;
	}
	return lw_start_list(val, true) ?: lw_start_list(val, false);
}

static const struct kernel_param_ops lw_run_ops = {
	.set = lw_run_set,
};

module_param_cb(run, &lw_run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "Scenarios to start now, comma separated (write-only)");

static int __init lw_scenarios_init(void)
{
	unsigned int i;

	if (churn_threads < 1 || churn_threads > 64) {
		pr_err("churn_threads must be 1..64\n");
		return -EINVAL;
	}
	if (lw_sick_params() || lw_owners_params())
		return -EINVAL;
	if (crowd < 1 || crowd > 30000) {
		pr_err("crowd must be 1..30000\n");
		return -EINVAL;
	}
	if (start && lw_start_list(start, true))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(lw_held); i++)
		init_completion(&lw_held[i]);
	sema_init(&lw_sem, 1);
	lw_dir = debugfs_create_dir("lockwatch_scenarios", NULL);
	debugfs_create_u64("formed_ns", 0400, lw_dir, &lw_formed_ns);
	lw_owners_files(lw_dir);
	/*
	 * Threads may already run this module's code when a later scenario
	 * fails to start: stay loaded and say so.
	 */
	if (start && lw_start_list(start, false))
		pr_err("not every scenario of '%s' started\n", start);
	WRITE_ONCE(lw_loaded, true);
	return 0;
}
module_init(lw_scenarios_init);

MODULE_DESCRIPTION("Deadlocks, chains and lock churn for lockwatch's tests");
MODULE_AUTHOR("lockwatch developers");
MODULE_LICENSE("GPL");

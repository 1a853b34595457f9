/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lockwatch: the types every layer shares, the scan's state first of all.
 * Each folder's functions are declared in its own header: lib/lib.h,
 * naming/naming.h, kinds/kind.h, find/find.h, scan/scan.h,
 * report/report.h, selftest/selftest.h, iface/iface.h.
 *
 * The flow, one way: main.c -> scan/ (walk) -> find/ and kinds/ (decode
 * each wait) -> report/ (graph, report) -> iface/ (debugfs, sysfs).
 * Beneath them all, lib/ (nofault reads, stacks, wait lists, maps) and
 * naming/ (inodes, mounts, symbols) call nothing above them.
 */
#ifndef LOCKWATCH_H
#define LOCKWATCH_H

#include <linux/types.h>
#include <linux/sched.h>
#include <linux/mutex.h>
#include <linux/wait.h>

#include "report/graph.h"

#define LW_FORMAT_VERSION	1
#define LW_NAME_LEN		256
#define LW_MAX_FRAMES		24
#define LW_RING_MAX		4096

/* The kinds of wait, one per line of the registry (kinds/list.h). */
enum lw_kind {
	LW_KIND_NONE,
#define LW_KIND(id, ops) LW_KIND_##id,
#include "kinds/list.h"
#undef LW_KIND
	LW_KINDS,
};

enum lw_mode {
	LW_MODE_NONE,
	LW_MODE_READ,
	LW_MODE_WRITE,
	LW_MODE_TAG,		/* waits for a request tag (wait_blk.c) */
	LW_MODE_BIO,		/* waits for its bio to complete */
	LW_MODE_FREEZE,		/* froze a queue, waits for it to drain */
	LW_MODE_ENTER,		/* waits for a frozen queue to thaw */
};

/* Where the lock a task waits for was found. */
enum lw_source {
	LW_SRC_NONE,
	LW_SRC_STACK,		/* its waiter, found on its stack */
	LW_SRC_TRACE,		/* lock:contention_begin, checked in the list */
	LW_SRC_KERNEL,		/* task->blocker, checked in the list */
	LW_SRC_PI,		/* task->pi_blocked_on (PREEMPT_RT) */
};

/* What a workqueue flush's barrier was found behind (wait_completion.c). */
enum lw_flush {
	LW_FLUSH_NONE,		/* not a flush */
	LW_FLUSH_RUNNING,	/* behind the work a worker is running */
	LW_FLUSH_PENDING,	/* behind a work no worker has started */
	LW_FLUSH_NO_LAYOUT,	/* behind a worker: no layout to read it */
	LW_FLUSH_UNPROVEN,	/* what it is behind could not be proven */
};

/* Whose exit completes a completion (wait_completion.c). */
enum lw_exit {
	LW_EXIT_NONE,
	LW_EXIT_KTHREAD,	/* kthread_stop(): the kthread's exit */
	LW_EXIT_VFORK,		/* vfork(): the child's exec or exit */
};

/* Who froze a task. */
enum lw_frozen {
	LW_FROZEN_NONE,
	LW_FROZEN_V1,			/* a cgroup v1 freezer (frozen_kn) */
	LW_FROZEN_V2,			/* a cgroup v2 cgroup.freeze (frozen_kn) */
	LW_FROZEN_SYSTEM,		/* the system's freezer (suspend) */
};

/* A task inside an RCU read-side section, as the walk saw it. */
enum lw_reader {
	LW_READER_NONE,
	LW_READER_RUNNING,		/* on a CPU */
	LW_READER_PREEMPTED,		/* preempted, queued on its rcu_node */
};

/* Readers the walk keeps, and those still there from the walk before. */
#define LW_MAX_READERS		16

struct lw_rcu_reader {
	unsigned long task;		/* an identity, not referenced */
	pid_t pid;
	unsigned long nsw;
	u8 state;			/* enum lw_reader */
	/* walks in a row that saw it inside (running: without a switch) */
	unsigned int walks;
};

/* How sure the owner of a lock is. */
enum lw_conf {
	LW_CONF_UNKNOWN,	/* the lock records no owner (semaphore) */
	LW_CONF_HINT,		/* reader-owned rwsem: the last reader only */
	LW_CONF_EXACT,		/* mutex, write-held rwsem */
};

/* A task seen by one scan: blocked in D state, or the owner of a lock. */
struct lw_task {
	struct task_struct *task;	/* referenced for the scan */
	pid_t pid;
	char comm[TASK_COMM_LEN];
	unsigned int state;
	unsigned long nsw;		/* nvcsw + nivcsw when seen */
	unsigned long nsw0;		/* and when it began to wait */
	u64 since;			/* ns: waiting, no progress since */
	u64 runtime;			/* ns on a CPU, when seen */
	u64 io;				/* lw_task_io() when seen */
	int lock;			/* index in lw_scan.locks or LW_NONE */
	u8 mode;			/* enum lw_mode of the wait */
	bool blocked;			/* in D state */
	bool stuck;			/* blocked confirm_ms with no progress */
	bool confirmed;			/* same edge as the previous scan */
	u8 source;			/* enum lw_source of the wait */
	bool mismatch;			/* cross_check: a source disagrees */
	bool drain;			/* holds the lock, waits for its readers */
	unsigned long waiter;		/* address of its waiter (list node) */
	unsigned long stack_base;	/* its stack when seen, for naming */
	unsigned long cgroup_kn;	/* its cgroup v2's kernfs_node, 0: root */
	int next_stuck;			/* next stuck waiter of its chain */
	/* What an owner that waits for no lock does, as seen (lw_doing). */
	unsigned long site;		/* asleep: where, as kinds/site.c says */
	unsigned int flags;		/* PF_* */
	int cpu;
	bool on_cpu;
	bool exited;
	u8 stopsig;			/* stopped: the signal, 0 if not known */
	u8 frozen;			/* enum lw_frozen */
	unsigned long frozen_kn;	/* its freezing cgroup's kernfs_node */
	pid_t tracer;			/* traced: by whom, 0 if not known */
	char tracer_comm[TASK_COMM_LEN];
	unsigned int nframes;
	unsigned long frames[LW_MAX_FRAMES];
};

/* A lock some blocked task waits for. */
struct lw_lock {
	unsigned long addr;
	u8 kind;			/* enum lw_kind */
	u8 conf;			/* enum lw_conf */
	u8 held;			/* enum lw_mode the lock is held in */
	int owner;			/* index in lw_scan.tasks or LW_NONE */
	unsigned long owner_ptr;	/* owner task as read from the lock */
	long count;			/* semaphore count / rwsem readers, -1 unknown */
	/* a flush: the flushed work's function; a kthread creation's */
	unsigned long work_fn;
	unsigned long wq;		/* and its workqueue, 0 if not known */
	u8 flush;			/* enum lw_flush */
	u8 exit;			/* enum lw_exit */
	unsigned int nwaiters;
	unsigned int nstuck;
	int first_stuck, last_stuck;	/* its chain's waiters, in task order */
	int chain;			/* chain entry number or 0 */
	int disk;			/* whose I/O ends it: lw_scan.disks[] or LW_NONE */
	u8 reader;			/* enum lw_reader of its owner (RCU) */
	unsigned long obj;		/* a request's super block (FUSE) */
	u32 op;				/* and its operation; UMH_WAIT_* */
	bool sent;			/* read by whoever serves it */
};

/* The longest a walk of the tasks stays under RCU before a break. */
#define LW_RCU_STRETCH_NS	(250 * NSEC_PER_USEC)

/* The device holders one scan searches for, and what it found (lib/files.c). */
#define LW_MAX_HOLDERS		8

struct lw_holder {
	dev_t rdev;
	unsigned long off;		/* where in the file's private data */
	unsigned long priv;		/* the pointer searched for there */
	unsigned long task;		/* the first holding process, 0 if none */
	int n;				/* holders found: 0, 1 or 2 (more) */
};

/* The requests of a disk told one by one, the oldest first. */
#define LW_DISK_RQS		8
/* The disks a scan reads: those its chains' waits end at. */
#define LW_MAX_DISKS		16
/* Cycles whose reports in a row are counted for panic_on_deadlock. */
#define LW_STREAKS		16

/* A request the driver has and has not completed (lib/disk.c). */
struct lw_rq {
	u64 start_ns;			/* 0: the kernel did not record it */
	u64 sector;
	u32 bytes;
	u32 op;				/* cmd_flags */
	int hctx;
	int tag;
};

/* A disk some chain's wait ends at, as one scan read it (lib/disk.c). */
struct lw_disk {
	unsigned long addr;		/* struct gendisk */
	char name[32];
	int major, minor;
	bool readable;			/* its requests could be read */
	bool partial;			/* more tags than one scan reads */
	int inflight;			/* requests dispatched, not completed */
	int nrqs;			/* of them in rqs[], the oldest first */
	struct lw_rq rqs[LW_DISK_RQS];
	char state[96];			/* what the kernel records, "" if nothing */
	unsigned int nstuck;		/* stuck tasks whose waits end here */
	unsigned int behind;		/* and whose chains end here, through owners */
};

/*
 * Open-addressed map from a kernel address to a small integer. The slots
 * in use are listed too, so that clearing costs what was stored, not the
 * map's size.
 */
struct lw_map {
	unsigned long *keys;
	int *vals;
	unsigned int *filled;
	unsigned int mask;
	unsigned int used;
};

struct lw_stats {
	u64 scans;
	u64 last_scan_ns;
	u64 max_scan_ns;
	u64 last_render_ns;		/* writing the reports */
	u64 last_walk_ns;		/* bare walk, with measure_floor */
	u64 walk_max_rcu_ns;
	u64 max_rcu_ns;
	u64 threads;
	u64 dtasks;
	u64 waiters;
	u64 locks;
	u64 recheck_drops;
	u64 faults;
	u64 overflows;
	u64 partial_walks;
	u64 cycles;
	u64 candidates;
	u64 candidates_total;
	u64 cycles_logged;
	u64 stuck;
	u64 stuck_waking;		/* of them: woke, went back to wait */
	u64 stuck_by[LW_KINDS];		/* stuck tasks by enum lw_kind */
	u64 from_trace;
	u64 from_kernel;
	u64 from_pi;
	u64 from_stack;
	u64 mismatches;
	u64 trace_full;
	u64 held_back;			/* reports left as they were: no free slot */
	u64 memory;			/* bytes allocated at load, all of it */
};

/* Layouts from BTF, handed in by userspace (layout.c). */
#define LW_MAX_LAYOUTS		16

struct lw_lock_layout {
	char fs[16];
	char container[32];
	char inode_field[32];
	char lock_field[32];
	char role[24];
	u32 size;
	u32 inode_off;
	u32 lock_off;
	u8 kind;			/* enum lw_kind */
};

struct lw_mount_layout {
	u32 size;			/* 0: not known */
	u32 mnt_off;
	u32 parent_off;
	u32 mountpoint_off;
	u32 instance_off;
};

/*
 * A workqueue's worker (kernel/workqueue_internal.h), its pool_workqueue
 * and its workqueue (kernel/workqueue.c): what a flush is resolved with.
 */
#define LW_WQ_NAME_MAX		64
/* A field a kernel does not have ("-" in a layout line). */
#define LW_NO_OFF		U32_MAX

struct lw_worker_layout {
	u32 size;			/* struct worker; 0: not known */
	u32 current_work_off;
	u32 current_func_off;
	u32 current_pwq_off;
	u32 scheduled_off;
	u32 task_off;
	u32 pwq_size;
	u32 pwq_wq_off;			/* pool_workqueue.wq */
	u32 wq_size;
	u32 wq_name_off;		/* workqueue_struct.name[] */
	u32 wq_name_len;
};

/*
 * A flush of a whole workqueue (kernel/workqueue.c): where the workqueue
 * keeps its first flusher, a struct wq_flusher its colour and completion,
 * a worker the colour of its work; the field of a kernel thread's task
 * that points at its struct kthread, and that struct's data (the worker).
 */
struct lw_wqflush_layout {
	u32 wq_size;			/* 0: not known */
	u32 first_off;			/* workqueue_struct.first_flusher */
	u32 flusher_size;
	u32 flusher_color_off;		/* wq_flusher.flush_color */
	u32 flusher_done_off;		/* wq_flusher.done */
	u32 worker_color_off;		/* worker.current_color, or LW_NO_OFF */
	u32 task_kthread_off;		/* task_struct.worker_private */
	u32 kthread_size;
	u32 kthread_data_off;		/* kthread.data */
};

struct lw_layouts {
	int nlocks;
	struct lw_lock_layout locks[LW_MAX_LAYOUTS];
	struct lw_mount_layout mount;
	struct lw_worker_layout worker;
	struct lw_wqflush_layout wqflush;
};

/* A return address's name, kept (naming.c). */
#define LW_SYM_CACHE_BITS	8
#define LW_SYM_CACHED_LEN	112

struct lw_sym {
	unsigned long addr;
	u32 gen;			/* lw_text_gen() when named */
	char name[LW_SYM_CACHED_LEN];
};

/*
 * The module parameters a scan and its report use, as main.c read them
 * when the scan began: nothing below main.c reads a parameter itself.
 */
struct lw_params {
	u64 confirm_ns;			/* confirm_ms */
	unsigned int panic_reports;	/* panic_on_deadlock, 0: off */
	bool raw_pointers;
	bool cross_check;
	bool measure_floor;
};

/* The two reports debugfs shows. */
enum lw_report {
	LW_REPORT_CYCLES,
	LW_REPORT_CHAINS,
	LW_REPORT_DEVICES,
	LW_REPORTS
};

/* Everything one scan works with; allocated once at load. */
struct lw_scan {
	int max_tasks;
	int ntasks;
	struct lw_task *tasks;
	int nlocks;
	struct lw_lock *locks;
	struct lw_gnode *nodes;
	int *scratch;
	int *cycle_ok;			/* per candidate cycle: shown number */
	struct lw_map task_map;		/* task_struct * -> tasks[] */
	struct lw_map lock_map;		/* lock address -> locks[] */
	struct lw_map waiter_map;	/* waiter address -> locks[] */
	struct lw_map wtask_map;	/* waiter's task -> waddr[] */
	unsigned long *waddr;		/* waiters of the indexed locks */
	int nwaddr;
	struct lw_map queue_map;	/* node of a proven wait queue -> qheads[] */
	struct lw_map exit_map;		/* blocked task's vfork_done -> tasks[] */
	struct lw_map flush_map;	/* a flush barrier's node -> behind[] */
	unsigned long *behind;		/* what barriers were found behind */
	int nbehind;
	bool exit_indexed;		/* exit_map filled for this scan */
	unsigned long *qheads;		/* heads of the wait queues proven */
	int nqheads;
	unsigned long tag_sbq;		/* the last tag bitmap proven (wait_blk.c) */
	unsigned long tag_disk;		/* and its disk, for this scan */
	struct lw_disk disks[LW_MAX_DISKS];
	int ndisks;
	unsigned long *stack;		/* copy of one task stack */
	unsigned long *ring;		/* one ring of waiters (7.x) */
	unsigned int stack_words;
	struct lw_sym *syms;		/* 1 << LW_SYM_CACHE_BITS */
	struct lw_map logged[2];	/* cycle signature -> report number */
	int logged_cur;			/* which of the two is current */
	u32 reports;			/* reports written */
	/* The cycles of the last report, each since when without a gap. */
	struct lw_streak {
		u64 sig;
		u32 first;		/* the report it is in since */
	} streaks[LW_STREAKS];
	int nstreaks;
	int panic_len;			/* a cycle to panic for was logged */
	struct lw_stats stats;
	struct lw_layouts layouts;	/* copied for each scan */
	struct {			/* naming's buffers, off the stack */
		char path[LW_NAME_LEN];
		char mnt[LW_NAME_LEN];
		char part[LW_NAME_LEN];
		char rest[LW_NAME_LEN];
		char role[LW_NAME_LEN];
		char where[2 * LW_NAME_LEN];
	} nb;
	u64 now;
	struct lw_params params;	/* for this scan */
	int nchains;			/* chain entries shown */
	struct task_struct **only;	/* the self-test's: walk these only */
	int nonly;
	/* The self-test's threads, which other scans pass over meanwhile. */
	struct task_struct *const *skip;
	int nskip;
	const struct lw_layouts *only_layouts;	/* and read with these */
	/* Tasks inside an RCU read-side section the walk saw, not blocked. */
	struct lw_rcu_reader readers[LW_MAX_READERS];
	int nreaders;
	/* The device holders searched for in this scan (lib/files.c). */
	struct lw_holder holders[LW_MAX_HOLDERS];
	int nholders;
};

/* The number of the confirmed cycle task @i is in, or 0 (scan.c decides). */
static inline int lw_in_cycle(const struct lw_scan *s, int i)
{
	return s->nodes[i].cycle ? s->cycle_ok[s->nodes[i].cycle - 1] : 0;
}

#endif /* LOCKWATCH_H */

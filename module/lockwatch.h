/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lockwatch: shared definitions of the scan, the lock decoders, the namer
 * and the report.
 */
#ifndef LOCKWATCH_H
#define LOCKWATCH_H

#include <linux/types.h>
#include <linux/sched.h>
#include <linux/mutex.h>
#include <linux/wait.h>

#include "graph.h"

struct seq_file;

#define LW_FORMAT_VERSION	1
#define LW_NAME_LEN		256
#define LW_MAX_FRAMES		24
#define LW_RING_MAX		4096

enum lw_kind {
	LW_KIND_NONE,
	LW_KIND_MUTEX,
	LW_KIND_RWSEM,
	LW_KIND_SEM,
	LW_KIND_RTMUTEX,
	LW_KIND_PERCPU,		/* percpu_rw_semaphore (wait_percpu.c) */
	LW_KIND_SITE,		/* a wait not known: its site (wait_site.c) */
	LW_KIND_PAGE,		/* a folio's lock bit (wait_page.c) */
	LW_KIND_WRITEBACK,	/* a folio's writeback bit (wait_page.c) */
	LW_KIND_IO,		/* a disk's I/O: a tag or a bio (wait_blk.c) */
	LW_KIND_COMPLETION,	/* a completion (wait_completion.c) */
	LW_KIND_JOURNAL,	/* a jbd2 journal's commit (wait_journal.c) */
	LW_KIND_JOURNAL_HANDLES, /* a jbd2 transaction's open handles */
};

/* The kinds of wait counted in stats, by the kind of what is waited for. */
enum lw_wait {
	LW_WAIT_LOCK,		/* mutex, rw_semaphore, semaphore, rt_mutex */
	LW_WAIT_PERCPU,
	LW_WAIT_PAGE,
	LW_WAIT_IO,
	LW_WAIT_COMPLETION,
	LW_WAIT_JOURNAL,
	LW_WAIT_UNKNOWN,
	LW_WAITS,
};

enum lw_mode {
	LW_MODE_NONE,
	LW_MODE_READ,
	LW_MODE_WRITE,
	LW_MODE_TAG,		/* waits for a request tag (wait_blk.c) */
	LW_MODE_BIO,		/* waits for its bio to complete */
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
	u64 since;			/* ns: first seen with this nsw */
	int lock;			/* index in lw_scan.locks or LW_NONE */
	u8 mode;			/* enum lw_mode of the wait */
	bool blocked;			/* in D state */
	bool stuck;			/* blocked at least confirm_ms, no switch */
	bool confirmed;			/* same edge as the previous scan */
	u8 source;			/* enum lw_source of the wait */
	bool mismatch;			/* cross_check: a source disagrees */
	bool drain;			/* holds the lock, waits for its readers */
	unsigned long waiter;		/* address of its waiter (list node) */
	unsigned long stack_base;	/* its stack when seen, for naming */
	int next_stuck;			/* next stuck waiter of its chain */
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
	unsigned long work_fn;		/* a flush: the flushed work's function */
	unsigned long wq;		/* and its workqueue, 0 if not known */
	u8 flush;			/* enum lw_flush */
	u8 exit;			/* enum lw_exit */
	unsigned int nwaiters;
	unsigned int nstuck;
	int first_stuck, last_stuck;	/* its chain's waiters, in task order */
	int chain;			/* chain entry number or 0 */
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
	u64 stuck_by[LW_WAITS];		/* stuck tasks by enum lw_wait */
	u64 from_trace;
	u64 from_kernel;
	u64 from_pi;
	u64 from_stack;
	u64 mismatches;
	u64 trace_full;
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
	bool raw_pointers;
	bool cross_check;
	bool measure_floor;
};

/* The two reports debugfs shows. */
enum lw_report {
	LW_REPORT_CYCLES,
	LW_REPORT_CHAINS,
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
	unsigned long *stack;		/* copy of one task stack */
	unsigned long *ring;		/* one ring of waiters (7.x) */
	unsigned int stack_words;
	struct lw_sym *syms;		/* 1 << LW_SYM_CACHE_BITS */
	struct lw_map logged[2];	/* cycle signature -> report number */
	int logged_cur;			/* which of the two is current */
	u32 reports;			/* reports written */
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
	const struct lw_layouts *only_layouts;	/* and read with these */
};

/*
 * Verdicts on text addresses are kept across scans: the same few hundred
 * return addresses recur on every stack. A module that goes takes its
 * text with it, and one that comes may be loaded where another was: each
 * verdict carries the generation of module text it was made in (stack.c
 * counts modules coming and going) and counts in that one only.
 */
u32 lw_text_gen(void);
int lw_text_init(void);
void lw_text_exit(void);


/* The number of the confirmed cycle task @i is in, or 0 (scan.c decides). */
static inline int lw_in_cycle(const struct lw_scan *s, int i)
{
	return s->nodes[i].cycle ? s->cycle_ok[s->nodes[i].cycle - 1] : 0;
}

/*
 * Writeback waits of a folio are kept apart from its lock's: their key
 * is the folio's address with the low bit set (struct page is aligned).
 */
#define LW_WRITEBACK_KEY	1UL
/*
 * A completion a flush of a whole workqueue waits on (its stack says so)
 * is kept apart from the completion alone.
 */
#define LW_WQFLUSH_KEY		1UL
/* The same for a journal's open handles, kept apart from its commit. */
#define LW_HANDLES_KEY		1UL

/* map.c */
int lw_map_init(struct lw_map *m, unsigned int entries);
void lw_map_free(struct lw_map *m);
void lw_map_clear(struct lw_map *m);
int lw_map_get(const struct lw_map *m, unsigned long key);
bool lw_map_put(struct lw_map *m, unsigned long key, int val);
size_t lw_map_bytes(const struct lw_map *m);

/* stack.c: reading other tasks' stacks */
int lw_read(void *dst, unsigned long src, size_t size, struct lw_scan *s);
int lw_copy_stack(struct lw_scan *s, struct task_struct *t,
		  unsigned long *sp, unsigned int *nwords);
unsigned int lw_stack_frames(struct lw_scan *s, struct task_struct *t,
			     unsigned long sp, const unsigned long *words,
			     unsigned int nwords, unsigned long *frames,
			     unsigned int max);
unsigned long lw_stack_text(unsigned long word);
int lw_call_before(unsigned long ret, unsigned long *target, struct lw_scan *s);
bool lw_kernel_ptr(unsigned long p);

/*
 * The fields of a wait_queue_entry { flags, private (the task), func,
 * entry }, in words from its private field: where they sit on a stack
 * around the word that equals the task.
 */
/* Where a wait_queue_entry's task (private) sits from its list node. */
#define LW_WQ_TASK_OFF	((long)offsetof(struct wait_queue_entry, private) - \
			 (long)offsetof(struct wait_queue_entry, entry))

#define LW_WQ_WORD(f)	(((long)offsetof(struct wait_queue_entry, f) - \
			  (long)offsetof(struct wait_queue_entry, private)) / \
			 (long)sizeof(long))

/* waitlist.c: lock wait lists of on-stack waiters */
struct lw_node {
	unsigned long next;
	unsigned long prev;
	unsigned long task;
};

int lw_read_node(struct lw_scan *s, unsigned long addr, struct lw_node *n);
bool lw_is_waiter(struct lw_scan *s, unsigned long node, unsigned long task);
unsigned long lw_find_ring_head(struct lw_scan *s, unsigned long w,
				unsigned long next, unsigned long last,
				long task_off);
unsigned long lw_find_head(struct lw_scan *s, unsigned long w,
			   unsigned long next, unsigned long last, u8 kind);
bool lw_wait_linked(struct lw_scan *s, unsigned long w, long task_off,
		    unsigned long task);
unsigned long lw_queue_head(struct lw_scan *s, unsigned long w,
			    unsigned long next, unsigned long prev,
			    long task_off);
unsigned long lw_wq_entry_queue(struct lw_scan *s, unsigned long sp,
				unsigned int i, unsigned long *w);
int lw_lock_at(struct lw_scan *s, unsigned long addr, u8 kind);
int lw_claim_at(struct lw_scan *s, struct lw_task *bt, unsigned long addr,
		u8 kind, u8 mode, unsigned long waiter);
int lw_own_waiter(struct lw_scan *s, struct lw_task *bt, int lk);
int lw_claim_wait(struct lw_scan *s, struct lw_task *bt, unsigned long addr,
		  u8 kind, u8 mode);
bool lw_wait_still(struct lw_scan *s, const struct lw_task *bt);
long lw_node_task_offset(u8 kind);

/* blocked_stack.c: what a task waits for, from its own stack */
int lw_find_wait_stack(struct lw_scan *s, struct lw_task *bt, unsigned long sp);

/* blocked_kernel.c: what a task waits for, from the kernel's own record */
int lw_find_wait_kernel(struct lw_scan *s, struct lw_task *bt);

/* blocked_pi.c: what a task waits for, from PREEMPT_RT's pi_blocked_on */
int lw_find_wait_pi(struct lw_scan *s, struct lw_task *bt);
bool lw_pi_still(struct lw_scan *s, const struct lw_task *bt);

/* blocked_trace.c: what a task waits for, from lock:contention_begin */
int lw_trace_init(void);
size_t lw_trace_bytes(void);
void lw_trace_exit(void);
bool lw_trace_active(void);
u64 lw_trace_slots_full(void);
int lw_find_wait_trace(struct lw_scan *s, struct lw_task *bt);

/* wait_completion.c: completions */
unsigned long lw_completion_at(struct lw_scan *s, unsigned long sp,
			       unsigned int i);
bool lw_swait_still(struct lw_scan *s, unsigned long w, unsigned long task);
int lw_find_wait_completion(struct lw_scan *s, struct lw_task *bt,
			    unsigned long sp);
bool lw_completion_still(struct lw_scan *s, const struct lw_task *bt);
int lw_decode_completion(struct lw_scan *s, struct lw_lock *l);
bool lw_name_completion(struct lw_scan *s, const struct lw_lock *l,
			char *buf, size_t len);
const char *lw_flush_name(enum lw_flush f);

/* wait_journal.c: the jbd2 journal */
int lw_find_wait_journal(struct lw_scan *s, struct lw_task *bt,
			 unsigned long sp);
int lw_decode_journal(struct lw_scan *s, struct lw_lock *l);
bool lw_name_journal(struct lw_scan *s, const struct lw_lock *l, char *buf,
		     size_t len);

/* wait_blk.c: block I/O */
int lw_find_wait_io(struct lw_scan *s, struct lw_task *bt, unsigned long sp);
bool lw_io_still(struct lw_scan *s, const struct lw_task *bt);
int lw_decode_io(struct lw_scan *s, struct lw_lock *l);
bool lw_name_io(struct lw_scan *s, const struct lw_lock *l, char *buf,
		size_t len);

/* wait_percpu.c: percpu_rw_semaphore */
int lw_find_wait_percpu(struct lw_scan *s, struct lw_task *bt,
			unsigned long sp);
int lw_claim_percpu(struct lw_scan *s, struct lw_task *bt, unsigned long sem,
		    u8 mode);
int lw_decode_percpu(struct lw_scan *s, struct lw_lock *l);
bool lw_percpu_still(struct lw_scan *s, const struct lw_task *bt);
bool lw_name_percpu(struct lw_scan *s, const struct lw_lock *l, char *buf,
		    size_t len);
const char *lw_percpu_frozen(struct lw_scan *s, const struct lw_lock *l);

/* wait_page.c: folio (page) lock and writeback */
int lw_find_wait_page(struct lw_scan *s, struct lw_task *bt, unsigned long sp);
int lw_decode_page(struct lw_scan *s, struct lw_lock *l);
bool lw_name_page(struct lw_scan *s, const struct lw_lock *l, char *buf,
		  size_t len);
unsigned long lw_lock_addr(const struct lw_lock *l);

/* wait_site.c: waits no decoder knows, by where they sleep */
int lw_find_wait_site(struct lw_scan *s, struct lw_task *bt);
void lw_name_site(const struct lw_lock *l, char *buf, size_t len);

/* lockinfo.c: per-lock-type decoding */
enum lw_wait lw_wait_of(u8 kind);
const char *lw_wait_name(enum lw_wait w);
int lw_match_name(unsigned long addr, const char *const *names, size_t n);

/* Verdicts on addresses against a list of names, kept by each caller. */
#define LW_NAME_CACHE_BITS	9

struct lw_name_verdict {
	unsigned long addr;
	u32 gen;
	bool yes;
};

bool lw_addr_named(struct lw_name_verdict *cache, unsigned long addr,
		   const char *const *names, size_t n);
bool lw_frames_named(struct lw_name_verdict *cache, const struct lw_task *bt,
		     const char *const *names, size_t n);
unsigned long lw_wait_offset(enum lw_kind kind);
int lw_decode_lock(struct lw_scan *s, struct lw_lock *l);
const char *lw_kind_name(enum lw_kind kind);
const char *lw_mode_name(enum lw_mode mode);
const char *lw_conf_name(enum lw_conf conf);
const char *lw_source_name(enum lw_source src);
int lw_classify_return(unsigned long addr, u8 *mode);
int lw_classify_rt_frames(const struct lw_task *bt, u8 *mode);

/* naming.c */
void lw_naming_init(void);
void lw_name_lock(struct lw_scan *s, const struct lw_lock *l, char *buf,
		  size_t len);
void lw_name_text(struct lw_scan *s, unsigned long addr, char *buf,
		  size_t len);
bool lw_name_symbol(unsigned long addr, char *buf, size_t len);
bool lw_name_sb(struct lw_scan *s, unsigned long sb, bool mount, char *buf,
		size_t len);
bool lw_name_inode_lock(struct lw_scan *s, const char *role,
			unsigned long inode, char *buf, size_t len);

/* layout.c */
void lw_layouts_get(struct lw_layouts *out);
/* Why layouts misread what they are tried on, or NULL (control.c's check). */
typedef int (*lw_layouts_check_fn)(const struct lw_layouts *t,
				   const char **why);
int lw_layouts_set(const char *buf, size_t count, lw_layouts_check_fn check);
ssize_t lw_layouts_print(char *buf);

/* scan.c */
int lw_scan_init(struct lw_scan *s, int max_tasks);
void lw_scan_free(struct lw_scan *s);
void lw_scan_run(struct lw_scan *s);
void lw_scan_only(struct lw_scan *s, struct task_struct **only, int n,
		  const struct lw_layouts *layouts);
void lw_scan_forget(struct lw_scan *s);

/* selftest.c */
int lw_selftest(struct lw_scan *s);
int lw_selftest_layouts(struct lw_scan *s, const struct lw_layouts *t,
			const char **why);
bool lw_kind_on(u8 kind);
unsigned long lw_kind_skew(u8 kind);
int lw_selftest_skew(const char *name);
int lw_selftest_kind(int i);

/* report.c */
int lw_report_init(void);
size_t lw_report_bytes(void);
void lw_report_exit(void);
void lw_report_publish(struct lw_scan *s);
void lw_report_show(struct seq_file *m, enum lw_report which);
void lw_report_stats(struct lw_stats *st);

/* debugfs.c */
int lw_debugfs_init(void);
void lw_debugfs_exit(void);

/* control.c */
int lw_control_init(int (*scan_now)(void), lw_layouts_check_fn check);
void lw_control_exit(void);

#endif /* LOCKWATCH_H */

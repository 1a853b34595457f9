/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib/: what every layer above reads other tasks' memory with. Nothing
 * here calls into naming/, the kinds, the finders, the scan or the
 * report: a kind's operations are handed in (struct lw_kind_ops) where a
 * helper needs them.
 */
#ifndef LOCKWATCH_LIB_H
#define LOCKWATCH_LIB_H

#include <linux/stddef.h>
#include <linux/wait.h>

#include "lockwatch.h"

struct lw_kind_ops;

/* lib/map.c */
int lw_map_init(struct lw_map *m, unsigned int entries);
void lw_map_free(struct lw_map *m);
void lw_map_clear(struct lw_map *m);
int lw_map_get(const struct lw_map *m, unsigned long key);
bool lw_map_put(struct lw_map *m, unsigned long key, int val);
size_t lw_map_bytes(const struct lw_map *m);

/*
 * lib/read.c: reading other tasks' memory and stacks.
 *
 * Verdicts on text addresses are kept across scans: the same few hundred
 * return addresses recur on every stack. A module that goes takes its
 * text with it, and one that comes may be loaded where another was: each
 * verdict carries the generation of module text it was made in (read.c
 * counts modules coming and going) and counts in that one only.
 */
u32 lw_text_gen(void);
int lw_text_init(void);
void lw_text_exit(void);
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
int lw_read_str(char *dst, const char *src, size_t len);
bool lw_walk_pause(struct task_struct *p, unsigned int *seen, u64 *section);

/* lib/disk.c: a disk and the requests its driver has not completed. */
bool lw_disk_valid(struct lw_scan *s, unsigned long disk);
unsigned long lw_sb_disk(struct lw_scan *s, unsigned long sb);
unsigned long lw_disk_name(struct lw_scan *s, struct lw_disk *d);
unsigned long lw_dev_disk(struct lw_scan *s, unsigned long dev);
unsigned long lw_bdev_disk(struct lw_scan *s, unsigned long inode);
void lw_disk_read(struct lw_scan *s, struct lw_disk *d);
void lw_name_of_disk(struct lw_scan *s, unsigned long disk, const char *what,
		     const char *fallback, char *buf, size_t len);
unsigned long lw_bdi_disk(struct lw_scan *s, unsigned long bdi);

/* lib/symbols.c: is an address in one of the functions named? */
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

/*
 * lib/switches.c: the kinds the self-test switched off, and the one
 * selftest_break has read a word off.
 */
bool lw_kind_on(u8 kind);
void lw_kind_off(u8 kind);
unsigned long lw_kind_skew(u8 kind);
void lw_kind_set_skew(u8 kind);

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

/* lib/waitlist.c: wait lists of on-stack waiters, and the scan's locks */
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
			   unsigned long next, unsigned long last,
			   const struct lw_kind_ops *k);
bool lw_wait_linked(struct lw_scan *s, unsigned long w, long task_off,
		    unsigned long task);
unsigned long lw_queue_head(struct lw_scan *s, unsigned long w,
			    unsigned long next, unsigned long prev,
			    long task_off);
unsigned long lw_wq_entry_queue(struct lw_scan *s, unsigned long sp,
				unsigned int i, unsigned long *w);
unsigned long lw_wait_offset(const struct lw_kind_ops *k);
int lw_lock_at(struct lw_scan *s, unsigned long addr,
	       const struct lw_kind_ops *k);
int lw_claim_at(struct lw_scan *s, struct lw_task *bt, unsigned long addr,
		const struct lw_kind_ops *k, u8 mode, unsigned long waiter);
int lw_own_waiter(struct lw_scan *s, struct lw_task *bt, int lk);
int lw_claim_wait(struct lw_scan *s, struct lw_task *bt, unsigned long addr,
		  const struct lw_kind_ops *k, u8 mode);

/* lib/files.c: who holds a device open */
unsigned long lw_device_holder(struct lw_scan *s, dev_t rdev,
			       unsigned long off, unsigned long priv, int *n);

/* lib/children.c: whose stack holds a word; the child a worker waits for */
bool lw_stack_holds(struct lw_scan *s, struct task_struct *t,
		    unsigned long a, unsigned long b);
unsigned long lw_worker_child(struct lw_scan *s, unsigned long a,
			      unsigned long b, int *n);

/* lib/swait.c: completions' simple wait queues */
unsigned long lw_completion_at(struct lw_scan *s, unsigned long sp,
			       unsigned int i);
bool lw_swait_still(struct lw_scan *s, unsigned long w, unsigned long task);

/* lib/rt.c: PREEMPT_RT's rt_mutex_base, its owner */
int lw_decode_rt_base(struct lw_scan *s, struct lw_lock *l,
		      unsigned long base);

/*
 * lib/site.c: where a task sleeps. The sites of a task whose stack could
 * not be read, and of one whose stack shows only sleeping primitives: no
 * text lives at these.
 */
#define LW_SITE_NO_STACK	1UL
#define LW_SITE_NO_CALLER	2UL
unsigned long lw_wait_site(const struct lw_task *bt);

/* lib/alloc.c: memory at load, with reclaim tried once */
void *lw_alloc(size_t n, size_t size, const char *what);

/* lib/buf.c: a report's text, bounded */
struct lw_buf {
	char *data;
	size_t len;
	size_t max;
	bool truncated;
	bool raw_pointers;		/* lw_params.raw_pointers */
};

__printf(2, 3) void lw_printf(struct lw_buf *b, const char *fmt, ...);
void lw_printable(char *str);
void lw_print_addr(struct lw_buf *b, const char *key, unsigned long a);

/* The names of enum lw_mode, lw_conf and lw_source, as reports print them. */
const char *lw_mode_name(u8 mode);
const char *lw_conf_name(u8 conf);
const char *lw_source_name(u8 src);

#endif /* LOCKWATCH_LIB_H */

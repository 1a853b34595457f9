/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a kind of wait is: its operations and facts (struct lw_kind_ops).
 * Each kind defines one in its own file under kinds/ and has a line in
 * the registry (kinds/list.h, kinds/kind.h). The helpers of lib/ take a
 * kind's operations as an argument where they need them; only the layers
 * above the kinds (find/, scan/, report/, selftest/, iface/) look a kind
 * up in the registry.
 */
#ifndef LOCKWATCH_KIND_OPS_H
#define LOCKWATCH_KIND_OPS_H

#include "lockwatch.h"

struct lw_buf;

/* A lock slow path whose frame holds a waiter of the kind (find/stack.c). */
struct lw_slowpath {
	const char *fn;			/* "__mutex_lock" */
	u8 mode;			/* enum lw_mode of its waiters */
};

struct lw_kind_ops {
	u8 id;				/* enum lw_kind: its registry line */
	const char *name;		/* as reports print it: "mutex" */
	const char *wait;		/* its stats bucket and metric label */
	/*
	 * The catch-all: a wait no other kind found, named by its site;
	 * its chain entries come last and tasks with no wait count here.
	 */
	bool unknown;
	/*
	 * Its waits may sleep interruptibly (S): asked of lock owners that
	 * are asleep too, so that a chain goes on past them.
	 */
	bool asleep;
	/* May be a file system's private lock inside an inode (naming). */
	bool in_inode;
	/* Low bit its entries' keys carry, apart from another kind's. */
	unsigned long key;
	/* What its owner does for the waiters, in the kernel log. */
	const char *owner_verb;
	/* What its owner is, where a chain ends at it ("FUSE daemon"). */
	const char *owner_role;
	/*
	 * Where its waiters hang: the offset of the wait list head (or, on
	 * kernels without one, of the first waiter pointer) in the lock, 0
	 * where they are not a list (PREEMPT_RT's rb tree); a waiter's task
	 * from its list node; whether the head is a wait_queue_head (a
	 * list head on every kernel).
	 */
	unsigned long wait_off;
	long task_off;
	bool queue;
	/* The slow paths that hold its waiters on a stack (find/stack.c). */
	const struct lw_slowpath *slowpaths;
	unsigned int nslowpaths;
	/* PREEMPT_RT: the API functions whose frame names the kind (find/pi.c). */
	const struct lw_slowpath *rt_entries;
	unsigned int nrt_entries;

	/*
	 * Found: what @bt waits for, from its stack (s->stack, copied from
	 * @sp): 0 with bt->lock, bt->mode and bt->waiter set, or an error.
	 * NULL for kinds that the finders of find/ find.
	 */
	int (*find)(struct lw_scan *s, struct lw_task *bt, unsigned long sp);
	/*
	 * Proven and owned: read what @l (addr, kind set) is now, its owner
	 * and how sure that is. The lock is never taken.
	 */
	int (*decode)(struct lw_scan *s, struct lw_lock *l);
	/*
	 * A finder of find/ named the lock at @addr for @bt (the tracepoint,
	 * the blocker record): prove @bt waits for it and record the wait.
	 * NULL: its wait list must hold a waiter of @bt (lw_claim_wait()).
	 */
	int (*claim)(struct lw_scan *s, struct lw_task *bt, unsigned long addr,
		     u8 mode);
	/*
	 * After the owner was read again: does @bt still wait as found?
	 * NULL: its waiter still names it and is still linked.
	 */
	bool (*still)(struct lw_scan *s, const struct lw_task *bt);
	/* Named: its own name, before a global's symbol; false to go on. */
	bool (*name_wait)(struct lw_scan *s, const struct lw_lock *l, char *buf,
			  size_t len);
	/* What it is when no symbol names it (an inode's, a super block's). */
	bool (*name_object)(struct lw_scan *s, const struct lw_lock *l,
			    char *buf, size_t len);
	/*
	 * Whose I/O ends the wait: the struct gendisk of the device that
	 * completes it, 0 if none or it cannot be told. NULL: no device.
	 */
	unsigned long (*device)(struct lw_scan *s, const struct lw_lock *l);
	/* Rendered: the lines of its chain entry before its owner. */
	void (*held)(struct lw_scan *s, const struct lw_lock *l,
		     struct lw_buf *b);
};

/* Each kind's operations, defined in its own file: one declaration. */
#define LW_KIND(id, ops) ops,
extern const struct lw_kind_ops
#include "list.h"
	lw_kinds_end;
#undef LW_KIND

#endif /* LOCKWATCH_KIND_OPS_H */

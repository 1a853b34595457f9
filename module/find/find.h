/* SPDX-License-Identifier: GPL-2.0 */
/*
 * find/: what a blocked task waits for, from the kernel's own pointers
 * (task->blocker, PREEMPT_RT's pi_blocked_on), from the lock contention
 * tracepoint, or from the lock waiter on its stack. Each names a lock of
 * one of the kinds of the registry and proves it with the kind's
 * operations; the kinds' own stack finders are run by the scan.
 */
#ifndef LOCKWATCH_FIND_H
#define LOCKWATCH_FIND_H

#include "lockwatch.h"

/* find/stack.c: a mutex, rwsem or semaphore waiter on the task's stack */
int lw_find_wait_stack(struct lw_scan *s, struct lw_task *bt, unsigned long sp);

/* find/kernel.c: the kernel's own record (task->blocker) */
int lw_find_wait_kernel(struct lw_scan *s, struct lw_task *bt);

/* find/pi.c: PREEMPT_RT's pi_blocked_on */
int lw_find_wait_pi(struct lw_scan *s, struct lw_task *bt);
bool lw_pi_still(struct lw_scan *s, const struct lw_task *bt);

/* find/trace.c: lock:contention_begin */
int lw_trace_init(void);
size_t lw_trace_bytes(void);
void lw_trace_exit(void);
bool lw_trace_active(void);
u64 lw_trace_slots_full(void);
int lw_find_wait_trace(struct lw_scan *s, struct lw_task *bt);

/* find/kinds.c: a function's kind; a lock of @kind named: prove, record */
u8 lw_kind_of_fn(unsigned long addr, bool rt, u8 *mode);
int lw_found(struct lw_scan *s, struct lw_task *bt, unsigned long lock,
	     u8 kind, u8 mode);

#endif /* LOCKWATCH_FIND_H */

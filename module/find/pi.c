// SPDX-License-Identifier: GPL-2.0
/*
 * What a task waits for on PREEMPT_RT, where mutexes and rw_semaphores are
 * rtmutex based: task->pi_blocked_on points at the task's on-stack
 * rt_mutex_waiter, which names the rt_mutex_base. The API function on the
 * stack (down_write, __rwbase_read_lock, rt_mutex_lock) says which lock
 * embeds it; with none, it is a mutex. A writer that already holds an rwsem's rtmutex
 * and waits for its readers to leave has no pi_blocked_on: its rwsem is
 * the one a word on its stack points at whose rtmutex it owns. Words
 * pointing into the task's own stack are passed over: arm64's frame
 * records point there, at slots that may hold the task pointer, and the
 * wait has no waiter to tell its own frames from a caller's (an rwsem on
 * the writer's own stack is shown by its site instead).
 */
#include <linux/hash.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>

#include "compat.h"
#include "find.h"
#include "kinds/kind.h"
#include "lib/lib.h"

#ifdef LW_RT_LOCKS

/* A direct-mapped cache of verdicts on text addresses. */
#define LW_RT_CACHE_BITS 8

static struct {
	unsigned long addr;
	u32 gen;
	u8 kind;
	u8 mode;
} lw_rt_cache[1 << LW_RT_CACHE_BITS];

/*
 * A frame's kind: the function it returns into, or, when that function
 * tail-called the slow path and left no frame of its own, the target of
 * the direct call just before the return address.
 */
static u8 lw_rt_frame_kind(unsigned long addr, u8 *mode)
{
	unsigned int slot = hash_long(addr, LW_RT_CACHE_BITS);
	unsigned long target;

	if (lw_rt_cache[slot].addr != addr ||
	    lw_rt_cache[slot].gen != lw_text_gen()) {
		lw_rt_cache[slot].addr = addr;
		lw_rt_cache[slot].gen = lw_text_gen();
		lw_rt_cache[slot].kind = lw_kind_of_fn(addr, true,
						       &lw_rt_cache[slot].mode);
		if (lw_rt_cache[slot].kind == LW_KIND_NONE &&
		    lw_call_before(addr, &target, NULL) == LW_CALL_DIRECT)
			lw_rt_cache[slot].kind =
				lw_kind_of_fn(target, true, &lw_rt_cache[slot].mode);
	}
	*mode = lw_rt_cache[slot].mode;
	return lw_rt_cache[slot].kind;
}

/*
 * The kind of lock a PREEMPT_RT task blocked on: the innermost frame that
 * is, or calls, a lock entry point. LW_KIND_NONE when there is none.
 */
static u8 lw_classify_rt_frames(const struct lw_task *bt, u8 *mode)
{
	unsigned int f;
	u8 kind;

	for (f = 0; f < bt->nframes; f++) {
		kind = lw_rt_frame_kind(bt->frames[f], mode);
		if (kind != LW_KIND_NONE)
			return kind;
	}
	return LW_KIND_NONE;
}

#define LW_RT_OWNER_OFFSET \
	offsetof(struct rw_semaphore, rwbase.rtmutex.owner)

static bool lw_owns_rwsem(struct lw_scan *s, unsigned long rwsem,
			  unsigned long task)
{
	unsigned long owner;

	return lw_kernel_ptr(rwsem) &&
	       !lw_read(&owner, rwsem + LW_RT_OWNER_OFFSET, sizeof(owner), s) &&
	       (owner & ~LW_RT_HAS_WAITERS) == task;
}

static int lw_find_rt_writer(struct lw_scan *s, struct lw_task *bt)
{
	unsigned long task = (unsigned long)bt->task;
	unsigned int i;
	u8 mode;
	int lk;

	if (lw_classify_rt_frames(bt, &mode) != LW_KIND_RWSEM ||
	    mode != LW_MODE_WRITE)
		return -ENOENT;
	for (i = 0; i < s->stack_words; i++) {
		if (s->stack[i] - bt->stack_base < THREAD_SIZE ||
		    !lw_owns_rwsem(s, s->stack[i], task))
			continue;
		lk = lw_lock_at(s, s->stack[i], lw_kind(LW_KIND_RWSEM));
		if (lk < 0)
			return lk;
		bt->lock = lk;
		bt->mode = LW_MODE_WRITE;
		bt->waiter = 0;
		return 0;
	}
	return -ENOENT;
}

int lw_find_wait_pi(struct lw_scan *s, struct lw_task *bt)
{
	unsigned long w = (unsigned long)READ_ONCE(bt->task->pi_blocked_on);
	unsigned long base = (unsigned long)READ_ONCE(bt->task->stack);
	unsigned long task, lock, addr;
	u8 kind, mode = LW_MODE_WRITE;
	int lk;

	if (!w)
		return lw_find_rt_writer(s, bt);
	if (w < base || w >= base + THREAD_SIZE ||
	    lw_read(&task, w + LW_RT_WAITER_TASK_OFFSET, sizeof(task), s) ||
	    task != (unsigned long)bt->task ||
	    lw_read(&lock, w + LW_RT_WAITER_LOCK_OFFSET, sizeof(lock), s) ||
	    !lw_kernel_ptr(lock))
		return -EINVAL;
	kind = lw_classify_rt_frames(bt, &mode);
	switch (kind) {
	case LW_KIND_RWSEM:
		addr = lock - offsetof(struct rw_semaphore, rwbase.rtmutex);
		break;
	case LW_KIND_MUTEX:
	case LW_KIND_RTMUTEX:
		addr = lock;
		break;
	default:
		/*
		 * mutex_lock() may tail-call the slow path and leave no
		 * frame; a struct mutex and a struct rt_mutex are both just
		 * the base, and mutexes are by far the common case.
		 */
		kind = LW_KIND_MUTEX;
		mode = LW_MODE_WRITE;
		addr = lock;
		break;
	}
	lk = lw_lock_at(s, addr, lw_kind(kind));
	if (lk < 0)
		return lk;
	bt->lock = lk;
	bt->mode = mode;
	bt->waiter = w;
	return 0;
}

/* Is the wait found by lw_find_wait_pi() still the same? */
bool lw_pi_still(struct lw_scan *s, const struct lw_task *bt)
{
	unsigned long task;

	if (!bt->waiter)
		return lw_owns_rwsem(s, s->locks[bt->lock].addr,
				     (unsigned long)bt->task);
	return (unsigned long)READ_ONCE(bt->task->pi_blocked_on) == bt->waiter &&
	       !lw_read(&task, bt->waiter + LW_RT_WAITER_TASK_OFFSET,
			sizeof(task), s) &&
	       task == (unsigned long)bt->task;
}

#else

int lw_find_wait_pi(struct lw_scan *s, struct lw_task *bt)
{
	return -ENOENT;
}

bool lw_pi_still(struct lw_scan *s, const struct lw_task *bt)
{
	return false;
}

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * What a sleeping task waits for, read from its own stack.
 *
 * mutex, rw_semaphore and semaphore slow paths link an on-stack waiter
 * { list_head list; task_struct *task; ... } into the lock's wait list and
 * sleep. This works for tasks that blocked before lockwatch was loaded:
 *
 * 1. find words on the task's stack equal to the task pointer: candidate
 *    waiter.task fields;
 * 2. the first return address below the candidate must be into a lock slow
 *    path (__mutex_lock, rwsem_down_{read,write}_slowpath, __down*); that
 *    names the lock type, which a layout check cannot (mutex_waiter and
 *    semaphore_waiter share their head);
 * 3. find the lock. Up to 6.x, walk the list: every node but one must be
 *    the waiter of a task whose stack holds it; the one that is not is the
 *    lock's wait_list head, and the lock is the head minus the type's
 *    wait_list offset. From 7.0 the waiters form a ring with no head and
 *    the lock points at the first one: the lock is the word on the stack
 *    (the slow path's saved lock pointer) whose first_waiter is in the
 *    ring;
 * 4. every link read must be consistent (node->next->prev == node).
 *
 * All reads are nofault; the caller re-validates the result.
 */
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/sched/task_stack.h>

#include <linux/sort.h>

#include "compat.h"
#include "find.h"
#include "kinds/kind.h"
#include "lib/lib.h"

/* How far below a waiter its slow path's return address may be. */
#define LW_CLASSIFY_WORDS	48

/* A direct-mapped cache of verdicts on text addresses. */
#define LW_CLASSIFY_BITS 8

struct lw_verdict {
	unsigned long addr;
	u32 gen;
	u8 kind;
	u8 mode;
};

static struct lw_verdict lw_classify_cache[1 << LW_CLASSIFY_BITS];

/*
 * Which lock slow path does kernel text address @addr return into?
 * Returns an enum lw_kind (LW_KIND_NONE for any other function). Only the
 * scan calls this, so the cache needs no lock.
 */
static u8 lw_classify_return(unsigned long addr, u8 *mode)
{
	struct lw_verdict *v = &lw_classify_cache[hash_long(addr, LW_CLASSIFY_BITS)];

	if (v->addr != addr || v->gen != lw_text_gen()) {
		v->addr = addr;
		v->gen = lw_text_gen();
		v->kind = lw_kind_of_fn(addr, false, &v->mode);
	}
	*mode = v->mode;
	return v->kind;
}

#ifdef LW_HAVE_WAIT_LIST_HEAD

/* The lock whose wait list holds waiter @w: the list head's container. */
static unsigned long lw_find_lock(struct lw_scan *s, unsigned long sp,
				  unsigned long w, const struct lw_node *first,
				  const struct lw_kind_ops *k)
{
	unsigned long head = lw_find_head(s, w, first->next, first->prev, k);

	return head ? head - lw_wait_offset(k) : 0;
}

#else

static int lw_cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static bool lw_in_ring(const unsigned long *ring, unsigned int n,
		       unsigned long p)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (ring[mid] == p)
			return true;
		if (ring[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * The lock whose ring of waiters holds @w: collect the ring, then find a
 * word on the stack (the slow path keeps its lock pointer in a register
 * that some callee saved there) that points at a lock whose first waiter
 * is in the ring. A lock on the task's own stack was made before the
 * wait began, in a frame above the waiter's: a word pointing between
 * the saved stack pointer @sp and the waiter points into the frames of
 * the wait itself (arm64's frame records), where a saved copy of the
 * waiter's address can pass for a first waiter.
 */
static unsigned long lw_find_lock(struct lw_scan *s, unsigned long sp,
				  unsigned long w, const struct lw_node *first,
				  const struct lw_kind_ops *k)
{
	unsigned long node = first->next, prev = w, fw, p;
	unsigned long off = lw_wait_offset(k);
	struct lw_node n;
	unsigned int nring = 0, i;

	s->ring[nring++] = w;
	while (node != w) {
		if (nring == LW_RING_MAX || lw_read_node(s, node, &n) ||
		    n.prev != prev || !lw_is_waiter(s, node, n.task))
			return 0;
		s->ring[nring++] = node;
		prev = node;
		node = n.next;
	}
	if (prev != first->prev)
		return 0;
	sort(s->ring, nring, sizeof(*s->ring), lw_cmp_ulong, NULL);
	for (i = 0; i < s->stack_words; i++) {
		p = s->stack[i];
		if (!lw_kernel_ptr(p) || (p >= sp && p < w) ||
		    lw_in_ring(s->ring, nring, p + off))
			continue;
		if (!lw_read(&fw, p + off, sizeof(fw), s) &&
		    lw_in_ring(s->ring, nring, fw))
			return p;
	}
	return 0;
}

#endif

/* Is stack word @i (a copy of @sp + i) the task field of a lock waiter? */
static int lw_try_waiter(struct lw_scan *s, struct lw_task *bt,
			 unsigned long sp, unsigned int i)
{
	const unsigned long *words = s->stack;
	unsigned long w = sp + (i - 2) * sizeof(long);
	struct lw_node first = { words[i - 2], words[i - 1], words[i] };
	struct lw_node n;
	unsigned long lock;
	unsigned int j, lo;
	u8 kind = LW_KIND_NONE, mode = LW_MODE_NONE;
	int lk;

	if (!lw_kernel_ptr(first.next) || !lw_kernel_ptr(first.prev))
		return -EINVAL;

	lo = i > 2 + LW_CLASSIFY_WORDS ? i - 2 - LW_CLASSIFY_WORDS : 0;
	for (j = i - 2; j-- > lo && kind == LW_KIND_NONE;) {
		unsigned long ret = lw_stack_text(words[j]);

		if (ret)
			kind = lw_classify_return(ret, &mode);
	}
	if (kind == LW_KIND_NONE)
		return -ENOENT;

	if (kind == LW_KIND_RWSEM && i + 1 < s->stack_words) {
		unsigned int type = (unsigned int)words[i + 1];

		if (type != (mode == LW_MODE_READ ? LW_RWSEM_WAITING_FOR_READ :
						    LW_RWSEM_WAITING_FOR_WRITE))
			return -EINVAL;
	}

	/* The list must still hold this waiter. */
	if (lw_read_node(s, first.next, &n) || n.prev != w)
		return -EAGAIN;

	lk = lw_map_get(&s->waiter_map, w);
	if (lk != LW_NONE && s->locks[lk].kind == kind) {
		bt->mode = mode;
		return lk;
	}

	lock = lw_find_lock(s, sp, w, &first, lw_kind(kind));
	if (!lock)
		return -EINVAL;
	lk = lw_lock_at(s, lock, lw_kind(kind));
	if (lk >= 0)
		bt->mode = mode;
	return lk;
}

/*
 * Find the waiter of @bt on its stack, copied by the caller into s->stack
 * from address @sp (s->stack_words words).
 */
int lw_find_wait_stack(struct lw_scan *s, struct lw_task *bt, unsigned long sp)
{
	unsigned int n = s->stack_words, i;
	int lk;

	for (i = 2; i < n; i++) {
		if (s->stack[i] != (unsigned long)bt->task)
			continue;
		lk = lw_try_waiter(s, bt, sp, i);
		if (lk >= 0) {
			bt->lock = lk;
			bt->waiter = sp + (i - 2) * sizeof(long);
			return 0;
		}
	}
	return -ENOENT;
}

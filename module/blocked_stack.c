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
 * 3. walk the list: every node but one must be the waiter of a task whose
 *    stack holds it; the one that is not is the lock's wait_list head, and
 *    the lock is the head minus the type's wait_list offset;
 * 4. every link read must be consistent (node->next->prev == node).
 *
 * All reads are nofault; the caller re-validates the result.
 */
#include <linux/mm.h>
#include <linux/sched/task_stack.h>

#include "compat.h"
#include "lockwatch.h"

/* How far below a waiter its slow path's return address may be. */
#define LW_CLASSIFY_WORDS	48
/* Longest wait list walked. */
#define LW_MAX_WAITERS		65536

struct lw_node {
	unsigned long next;
	unsigned long prev;
	unsigned long task;
};

/* Is @node the waiter of task @task, i.e. on that task's stack? */
static bool lw_is_waiter(struct lw_scan *s, unsigned long node,
			 unsigned long task)
{
	struct task_struct *t = (struct task_struct *)task;
	unsigned long base;

	if (!lw_kernel_ptr(task) || !virt_addr_valid(task))
		return false;
	if (lw_read(&base, (unsigned long)&t->stack, sizeof(base), s))
		return false;
	return base && node >= base && node < base + THREAD_SIZE;
}

static int lw_read_node(struct lw_scan *s, unsigned long addr,
			struct lw_node *n)
{
	if (!lw_kernel_ptr(addr))
		return -EINVAL;
	if (lw_read(n, addr, sizeof(*n), s))
		return -EFAULT;
	if (!lw_kernel_ptr(n->next) || !lw_kernel_ptr(n->prev))
		return -EINVAL;
	return 0;
}

/*
 * Walk the circular list through waiter @w (whose links are @first) and
 * return its head: the only node that is not some task's waiter.
 */
static unsigned long lw_find_head(struct lw_scan *s, unsigned long w,
				  const struct lw_node *first)
{
	unsigned long node = first->next, prev = w, head = 0;
	struct lw_node n;
	unsigned int steps = 0;

	while (node != w) {
		if (++steps > LW_MAX_WAITERS || lw_read_node(s, node, &n))
			return 0;
		if (n.prev != prev)
			return 0;
		if (!lw_is_waiter(s, node, n.task)) {
			if (head)
				return 0;
			head = node;
		}
		prev = node;
		node = n.next;
	}
	return prev == first->prev ? head : 0;
}

/* Record every waiter of a new lock, so its other waiters are found fast. */
static void lw_index_waiters(struct lw_scan *s, int lk, unsigned long head)
{
	unsigned long node = head;
	struct lw_node n;
	unsigned int steps = 0;

	if (lw_read_node(s, head, &n))
		return;
	for (node = n.next; node != head; node = n.next) {
		if (++steps > LW_MAX_WAITERS || lw_read_node(s, node, &n))
			return;
		lw_map_put(&s->waiter_map, node, lk);
		s->locks[lk].nwaiters++;
	}
}

static int lw_lock_at(struct lw_scan *s, unsigned long head, u8 kind)
{
	unsigned long addr = head - lw_head_offset(kind);
	struct lw_lock *l;
	int lk = lw_map_get(&s->lock_map, addr);

	if (lk != LW_NONE)
		return s->locks[lk].kind == kind ? lk : -EINVAL;
	if (s->nlocks >= s->max_tasks)
		return -ENOSPC;
	lk = s->nlocks;
	l = &s->locks[lk];
	memset(l, 0, sizeof(*l));
	l->addr = addr;
	l->kind = kind;
	l->owner = LW_NONE;
	if (lw_decode_lock(s, l))
		return -EFAULT;
	if (!lw_map_put(&s->lock_map, addr, lk))
		return -ENOSPC;
	s->nlocks++;
	lw_index_waiters(s, lk, head);
	return lk;
}

/* Is stack word @i (a copy of @sp + i) the task field of a lock waiter? */
static int lw_try_waiter(struct lw_scan *s, struct lw_task *bt,
			 unsigned long sp, unsigned int i)
{
	const unsigned long *words = s->stack;
	unsigned long w = sp + (i - 2) * sizeof(long);
	struct lw_node first = { words[i - 2], words[i - 1], words[i] };
	struct lw_node n;
	unsigned long head;
	unsigned int j, lo;
	u8 kind = LW_KIND_NONE, mode = LW_MODE_NONE;
	int lk;

	if (!lw_kernel_ptr(first.next) || !lw_kernel_ptr(first.prev))
		return -EINVAL;

	lo = i > 2 + LW_CLASSIFY_WORDS ? i - 2 - LW_CLASSIFY_WORDS : 0;
	for (j = i - 2; j-- > lo && kind == LW_KIND_NONE;)
		if (words[j] >= LW_TEXT_START && words[j] < LW_TEXT_END)
			kind = lw_classify_return(words[j], &mode);
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

	head = lw_find_head(s, w, &first);
	if (!head)
		return -EINVAL;
	lk = lw_lock_at(s, head, kind);
	if (lk >= 0)
		bt->mode = mode;
	return lk;
}

int lw_find_wait_stack(struct lw_scan *s, struct lw_task *bt)
{
	unsigned long sp;
	unsigned int n, i;
	int lk;

	if (lw_copy_stack(s, bt->task, &sp, &n))
		return -EFAULT;
	s->stack_words = n;
	bt->nframes = lw_stack_frames(s, s->stack, n, bt->frames,
				      LW_MAX_FRAMES);
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

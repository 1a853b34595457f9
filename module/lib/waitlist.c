// SPDX-License-Identifier: GPL-2.0
/*
 * Lock wait lists, shared by every source of "what does this task wait
 * for": walking a list of on-stack waiters with nofault reads, finding its
 * head (the lock), and the scan's table of locks: each decoded with its
 * kind's operations (handed in) and its waiters indexed once per scan, so
 * that a thousand waiters of one lock cost one walk, not a thousand.
 */
#include <linux/mm.h>
#include <linux/sched/task_stack.h>
#include <linux/wait.h>

#include "compat.h"
#include "lib.h"
#include "kinds/ops.h"

/* Longest wait list walked. */
#define LW_MAX_WAITERS		65536

/* Is @node the waiter of task @task, i.e. on that task's stack? */
bool lw_is_waiter(struct lw_scan *s, unsigned long node,
			 unsigned long task)
{
	struct task_struct *t = (struct task_struct *)task;
	unsigned long base;

	if (!lw_kernel_ptr(task) || !virt_addr_valid((void *)task))
		return false;
	if (lw_read(&base, (unsigned long)&t->stack, sizeof(base), s))
		return false;
	return base && node >= base && node < base + THREAD_SIZE;
}

/* Do waiters of @k hang off a list head in the lock (or form a ring)? */
static bool lw_list_head_kind(const struct lw_kind_ops *k)
{
#ifdef LW_HAVE_WAIT_LIST_HEAD
	return true;
#else
	return k->queue;	/* a wait_queue_head */
#endif
}

/*
 * Where a lock of @k keeps its waiters: a list head or a first waiter
 * pointer; 0 for the rb tree of PREEMPT_RT's mutexes and rwsems. (The
 * self-test's failure path, selftest_break, reads one kind's a word off.)
 */
unsigned long lw_wait_offset(const struct lw_kind_ops *k)
{
	return k->wait_off ? k->wait_off + lw_kind_skew(k->id) : 0;
}

/* A list node and the task of its waiter, @task_off from the node. */
static int lw_read_tnode(struct lw_scan *s, unsigned long addr, long task_off,
			 struct lw_node *n)
{
	if (!lw_kernel_ptr(addr))
		return -EINVAL;
	if (lw_read(n, addr, 2 * sizeof(long), s) ||
	    lw_read(&n->task, addr + task_off, sizeof(n->task), s))
		return -EFAULT;
	if (!lw_kernel_ptr(n->next) || !lw_kernel_ptr(n->prev))
		return -EINVAL;
	return 0;
}

/* A list node and the task of a lock waiter ({list, task}) at it. */
int lw_read_node(struct lw_scan *s, unsigned long addr,
			struct lw_node *n)
{
	return lw_read_tnode(s, addr, LW_WAITER_TASK_OFFSET, n);
}

/*
 * Walk the circular list through waiter @w (whose links are @next and
 * @last; each waiter's task @task_off from its node) and return its head:
 * the only node that is not a task's waiter.
 */
unsigned long lw_find_ring_head(struct lw_scan *s, unsigned long w,
				unsigned long next, unsigned long last,
				long task_off)
{
	unsigned long node = next, prev = w, head = 0;
	struct lw_node n;
	unsigned int steps = 0;

	while (node != w) {
		if (++steps > LW_MAX_WAITERS ||
		    lw_read_tnode(s, node, task_off, &n))
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
	return prev == last ? head : 0;
}

/* Longest wait queue indexed. */
#define LW_MAX_QUEUE	65536

/*
 * The head of the ring of on-stack wait entries that holds node @w
 * (linked to @next and @prev; each entry's task @task_off from its node),
 * proven once per scan: the nodes of a ring proven are indexed, so that a
 * thousand waiters of one queue cost one walk, not a thousand.
 */
unsigned long lw_queue_head(struct lw_scan *s, unsigned long w,
			    unsigned long next, unsigned long prev,
			    long task_off)
{
	int q = lw_map_get(&s->queue_map, w);
	unsigned long head, node;
	unsigned int steps = 0;
	struct lw_node n;

	if (q != LW_NONE)
		return s->qheads[q];
	head = lw_find_ring_head(s, w, next, prev, task_off);
	if (!head || s->nqheads == s->max_tasks)
		return head;
	q = s->nqheads++;
	s->qheads[q] = head;
	if (lw_read_node(s, head, &n))
		return head;
	for (node = n.next; node != head && steps++ < LW_MAX_QUEUE;
	     node = n.next) {
		lw_map_put(&s->queue_map, node, q);
		if (lw_read_node(s, node, &n))
			break;
	}
	return head;
}

/*
 * The on-stack wait_queue_entry whose private field (its task) is stack
 * word @i of @sp: its list node in @w, and the head of the queue it is
 * linked in (lw_queue_head()), or 0.
 */
unsigned long lw_wq_entry_queue(struct lw_scan *s, unsigned long sp,
				unsigned int i, unsigned long *w)
{
	const unsigned long *words = s->stack;
	unsigned int e = i + LW_WQ_WORD(entry);
	struct lw_node n;

	*w = sp + e * sizeof(long);
	if (e + 1 >= s->stack_words || !lw_kernel_ptr(words[e]) ||
	    lw_read_node(s, words[e], &n) || n.prev != *w)
		return 0;
	return lw_queue_head(s, *w, words[e], words[e + 1], LW_WQ_TASK_OFF);
}

/* The same, for the waiters of a lock of @k. */
unsigned long lw_find_head(struct lw_scan *s, unsigned long w,
			   unsigned long next, unsigned long last,
			   const struct lw_kind_ops *k)
{
	return lw_find_ring_head(s, w, next, last, k->task_off);
}

/*
 * Record every waiter of a new lock, so that its other waiters are found
 * fast: from the list head up to 6.x, around the ring from the first
 * waiter from 7.0.
 */
static void lw_index_waiters(struct lw_scan *s, int lk,
			     const struct lw_kind_ops *k)
{
	unsigned long at = s->locks[lk].addr + lw_wait_offset(k);
	unsigned long start, node;
	struct lw_node n;
	unsigned int steps = 0;

	/* PREEMPT_RT's rtmutex waiters sit in an rb tree: not indexed. */
	if (!lw_wait_offset(k))
		return;
	if (lw_list_head_kind(k)) {
		start = at;
		if (lw_read_node(s, start, &n))
			return;
		node = n.next;
	} else {
		if (lw_read(&start, at, sizeof(start), s) || !start)
			return;
		node = start;
	}
	while (node != start || !steps) {
		if (lw_list_head_kind(k) && node == start)
			return;		/* empty */
		if (++steps > LW_MAX_WAITERS ||
		    lw_read_tnode(s, node, k->task_off, &n))
			return;
		lw_map_put(&s->waiter_map, node, lk);
		if (s->nwaddr < s->max_tasks &&
		    lw_map_put(&s->wtask_map, n.task, s->nwaddr))
			s->waddr[s->nwaddr++] = node;
		s->locks[lk].nwaiters++;
		node = n.next;
	}
}

/*
 * The lock at @addr, of kind @k: decoded with @k's operations and its
 * waiters indexed, once a scan.
 */
int lw_lock_at(struct lw_scan *s, unsigned long addr,
	       const struct lw_kind_ops *k)
{
	struct lw_lock *l;
	int lk = lw_map_get(&s->lock_map, addr);

	/* A kind the self-test switched off is never decoded. */
	if (!lw_kind_on(k->id))
		return -EPERM;
	if (lk != LW_NONE)
		return s->locks[lk].kind == k->id ? lk : -EINVAL;
	if (s->nlocks >= s->max_tasks)
		return -ENOSPC;
	lk = s->nlocks;
	l = &s->locks[lk];
	memset(l, 0, sizeof(*l));
	l->addr = addr;
	l->kind = k->id;
	l->owner = LW_NONE;
	l->disk = LW_NONE;
	if (k->decode(s, l))
		return -EFAULT;
	if (!lw_map_put(&s->lock_map, addr, lk))
		return -ENOSPC;
	s->nlocks++;
	lw_index_waiters(s, lk, k);
	return lk;
}

/*
 * @bt waits, at its waiter @waiter, for what is at @addr (of kind @k), as
 * its decoder proved: index it and record the wait.
 */
int lw_claim_at(struct lw_scan *s, struct lw_task *bt, unsigned long addr,
		const struct lw_kind_ops *k, u8 mode, unsigned long waiter)
{
	int lk = lw_lock_at(s, addr, k);

	if (lk < 0)
		return lk;
	bt->lock = lk;
	bt->mode = mode;
	bt->waiter = waiter;
	return 0;
}

/*
 * A source named the lock at @addr for @bt: index the lock, prove the
 * wait with lw_own_waiter() and record it.
 */
int lw_claim_wait(struct lw_scan *s, struct lw_task *bt, unsigned long addr,
		  const struct lw_kind_ops *k, u8 mode)
{
	int lk = lw_lock_at(s, addr, k);

	if (lk < 0)
		return lk;
	if (lw_own_waiter(s, bt, lk))
		return -EINVAL;
	bt->lock = lk;
	bt->mode = mode;
	return 0;
}

/*
 * Proof that @bt waits for lock @lk: the lock's waiters include one of
 * this task, on this task's stack. Sets bt->waiter.
 */
int lw_own_waiter(struct lw_scan *s, struct lw_task *bt, int lk)
{
	unsigned long base, w;
	int i = lw_map_get(&s->wtask_map, (unsigned long)bt->task);

	if (i == LW_NONE)
		return -ENOENT;
	w = s->waddr[i];
	base = (unsigned long)READ_ONCE(bt->task->stack);
	if (w < base || w >= base + THREAD_SIZE ||
	    lw_map_get(&s->waiter_map, w) != lk)
		return -EINVAL;
	bt->waiter = w;
	return 0;
}

/* Does waiter node @w still name @task (@task_off away) and is it linked? */
bool lw_wait_linked(struct lw_scan *s, unsigned long w, long task_off,
		    unsigned long task)
{
	unsigned long t, next, back;

	return !lw_read(&t, w + task_off, sizeof(t), s) && t == task &&
	       !lw_read(&next, w, sizeof(next), s) &&
	       !lw_read(&back, next + sizeof(long), sizeof(back), s) &&
	       back == w;
}

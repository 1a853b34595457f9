// SPDX-License-Identifier: GPL-2.0
/*
 * The creation of a kernel thread: a task in kthread_create_on_node()
 * (kthread_create(), kthread_run(), a workqueue's new worker) waiting
 * for kthreadd to make the thread. A kthreadd held up (a fork stuck on
 * a lock, memory) holds every such caller in D.
 *
 * Found: the task's stack returns into __kthread_create_on_node() and
 * holds a linked on-stack swait entry of a completion (lib/swait.c), the
 * request's "done".
 *
 * Proven: a word of the same stack points at the request, a struct
 * kthread_create_info (kernel/kthread.c, no header: { full_name (from
 * 6.x), threadfn, data, node, result, done, list }) whose done is that
 * completion (cleared once the new thread runs), whose threadfn is
 * kernel or module text and whose list node is linked (in
 * kthread_create_list, or to itself once kthreadd took it).
 *
 * Owner: kthreadd (pid 2, a kthread whose parent is the idle task),
 * exact while the request waits in its list, which only kthreadd takes
 * requests off, or while kthreadd is blocked (D) with the request on its
 * stack (it forks the thread). A request taken and forked: the new
 * thread has not run yet; no owner.
 *
 * Name: "creation of a kthread to run lw_fn [lockwatch_scenarios]", by
 * the function the thread is to run.
 */
#include <linux/completion.h>
#include <linux/kallsyms.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#include "compat.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "ops.h"

/* The words of a request read: full_name, threadfn ... list (7.x). */
#define LW_KTC_WORDS		8
/* Where done lies: after threadfn, data, node, result (and full_name). */
#define LW_KTC_DONE		4

/* Up to 5.10 the first is static, and may be inlined into the second. */
static const char * const lw_ktc_fns[] = {
	"__kthread_create_on_node", "kthread_create_on_node",
};
static struct lw_name_verdict lw_ktc_cache[1 << LW_NAME_CACHE_BITS];

/*
 * Is @r a request to kthreadd whose completion is @c? Where its done
 * lies (LW_KTC_DONE, or one word on with a full_name) then.
 */
static int lw_ktc_request(struct lw_scan *s, unsigned long r, unsigned long c)
{
	unsigned long w[LW_KTC_WORDS], prev;
	int d;

	if (!lw_kernel_ptr(r) || lw_read(w, r, sizeof(w), s))
		return -1;
	for (d = LW_KTC_DONE; d <= LW_KTC_DONE + 1; d++) {
		if (w[d] != c || !lw_text_addr(w[d - LW_KTC_DONE]) ||
		    (d > LW_KTC_DONE && !lw_kernel_ptr(w[0])) ||
		    !lw_kernel_ptr(w[d + 1]) ||
		    lw_read(&prev, w[d + 1] + sizeof(long), sizeof(prev), s) ||
		    prev != r + (d + 1) * sizeof(long))
			continue;
		return d;
	}
	return -1;
}

/* The request a word of the stack as read (s->stack) points at, or 0. */
static unsigned long lw_ktc_on_stack(struct lw_scan *s, unsigned long c)
{
	unsigned int i;

	for (i = 0; i < s->stack_words; i++)
		if (lw_ktc_request(s, s->stack[i], c) >= 0)
			return s->stack[i];
	return 0;
}

static int lw_find_wait_ktc(struct lw_scan *s, struct lw_task *bt,
			    unsigned long sp)
{
	unsigned long c, r;
	unsigned int i;

	if (!lw_frames_named(lw_ktc_cache, bt, lw_ktc_fns,
			     ARRAY_SIZE(lw_ktc_fns)))
		return -ENOENT;
	for (i = 0; i < s->stack_words; i++) {
		if (s->stack[i] != (unsigned long)bt->task)
			continue;
		c = lw_completion_at(s, sp, i);
		r = c ? lw_ktc_on_stack(s, c) : 0;
		if (r)
			return lw_claim_at(s, bt, r, &lw_ktc_kind, LW_MODE_NONE,
					   sp + i * sizeof(long));
	}
	return -ENOENT;
}

static bool lw_ktc_still(struct lw_scan *s, const struct lw_task *bt)
{
	return lw_swait_still(s, bt->waiter, (unsigned long)bt->task);
}

/* kthreadd: pid 2, a kthread whose parent is the idle task; or NULL. */
static struct task_struct *lw_kthreadd(void)
{
	struct task_struct *t;

	t = pid_task(find_vpid(2), PIDTYPE_PID);
	if (!t || !(READ_ONCE(t->flags) & PF_KTHREAD) ||
	    rcu_access_pointer(t->real_parent) != &init_task)
		return NULL;
	return t;
}

/*
 * Still a request its thread has not taken (its done still set);
 * kthreadd, where it has it: in its list, or blocked making it.
 */
static int lw_decode_ktc(struct lw_scan *s, struct lw_lock *l)
{
	unsigned long w[LW_KTC_WORDS], list;
	struct task_struct *kd;
	int d;

	if (lw_read(w, l->addr, sizeof(w), s))
		return -EAGAIN;
	for (d = LW_KTC_DONE; d <= LW_KTC_DONE + 1; d++)
		if (w[d] && lw_ktc_request(s, l->addr, w[d]) == d)
			break;
	if (d > LW_KTC_DONE + 1)
		return -EAGAIN;
	list = l->addr + (d + 1) * sizeof(long);
	l->work_fn = w[d - LW_KTC_DONE];
	rcu_read_lock();
	kd = lw_kthreadd();
	if (kd && (w[d + 1] != list ||
		   ((lw_task_state(kd) & TASK_UNINTERRUPTIBLE) &&
		    lw_stack_holds(s, kd, l->addr, l->addr)))) {
		l->owner_ptr = (unsigned long)kd;
		l->conf = LW_CONF_EXACT;
	}
	rcu_read_unlock();
	return 0;
}

/* "creation of a kthread to run lw_fn [lockwatch_scenarios]" */
static bool lw_name_ktc(struct lw_scan *s, const struct lw_lock *l,
			char *buf, size_t len)
{
	char fn[KSYM_SYMBOL_LEN];

	if (l->work_fn && lw_name_symbol(l->work_fn, fn, sizeof(fn)))
		snprintf(buf, len, "creation of a kthread to run %s", fn);
	else
		strscpy(buf, "creation of a kthread", len);
	return true;
}

const struct lw_kind_ops lw_ktc_kind = {
	.id = LW_KIND_KTHREAD,
	.name = "kthread",
	.wait = "kthread",
	.owner_verb = "to make it",
	.find = lw_find_wait_ktc,
	.decode = lw_decode_ktc,
	.still = lw_ktc_still,
	.name_wait = lw_name_ktc,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * A user-mode helper: a task in call_usermodehelper_exec() waiting for a
 * program the kernel runs on its behalf (request_module()'s modprobe,
 * request_key's /sbin/request-key, a driver's firmware or hotplug
 * helper). A helper that never finishes (a modprobe stuck on a hung
 * disk, a script waiting for something) holds its caller in D, and with
 * it whatever the caller holds.
 *
 * Found: the task's stack returns into call_usermodehelper_exec() and
 * holds a linked on-stack swait entry of a completion (lib/swait.c), the
 * request's "done".
 *
 * Proven: a word of the same stack points at the request, a struct
 * subprocess_info (linux/umh.h) whose complete is that completion and
 * whose work runs call_usermodehelper_exec_work().
 *
 * Owner: for a request waited for until the helper exits (UMH_WAIT_PROC,
 * as request_module() asks), the helper process: the child of the
 * workqueue worker that runs the request and waits for it, with the
 * request on its stack (lib/children.c). Exact when one process is
 * found, a hint when more are. A request waited for until the helper
 * only runs (UMH_WAIT_EXEC), or whose helper is not found: no owner.
 *
 * Name: "user-mode helper /sbin/modprobe -q -- fs-foo": the program and
 * its arguments, the kernel's copies of them.
 */
#include <linux/completion.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/umh.h>

#include "lib/lib.h"
#include "ops.h"

/* Arguments named after the program, and the length of one. */
#define LW_UMH_ARGS		8
#define LW_UMH_ARG_LEN		64

static const char * const lw_umh_fns[] = { "call_usermodehelper_exec" };
static const char * const lw_umh_work_fn[] = {
	"call_usermodehelper_exec_work"
};
static struct lw_name_verdict lw_umh_cache[1 << LW_NAME_CACHE_BITS];
static struct lw_name_verdict lw_umh_work_cache[1 << LW_NAME_CACHE_BITS];

/*
 * Is @r a request of a user-mode helper (its work's function says so)
 * whose completion is @c? Its wait flags (UMH_WAIT_*) then.
 */
static bool lw_umh_request(struct lw_scan *s, unsigned long r,
			   unsigned long c, int *wait)
{
	struct subprocess_info info;

	if (!lw_kernel_ptr(r) || lw_read(&info, r, sizeof(info), s) ||
	    (unsigned long)info.complete != c ||
	    !lw_addr_named(lw_umh_work_cache, (unsigned long)info.work.func,
			   lw_umh_work_fn, ARRAY_SIZE(lw_umh_work_fn)))
		return false;
	*wait = info.wait;
	return true;
}

/* The request a word of the stack as read (s->stack) points at, or 0. */
static unsigned long lw_umh_on_stack(struct lw_scan *s, unsigned long c)
{
	unsigned long r, complete;
	unsigned int i;
	int wait;

	for (i = 0; i < s->stack_words; i++) {
		r = s->stack[i];
		if (lw_kernel_ptr(r) &&
		    !lw_read(&complete, r + offsetof(struct subprocess_info,
						     complete),
			     sizeof(complete), s) && complete == c &&
		    lw_umh_request(s, r, c, &wait))
			return r;
	}
	return 0;
}

static int lw_find_wait_umh(struct lw_scan *s, struct lw_task *bt,
			    unsigned long sp)
{
	unsigned long c, r;
	unsigned int i;

	if (!lw_frames_named(lw_umh_cache, bt, lw_umh_fns,
			     ARRAY_SIZE(lw_umh_fns)))
		return -ENOENT;
	for (i = 0; i < s->stack_words; i++) {
		if (s->stack[i] != (unsigned long)bt->task)
			continue;
		c = lw_completion_at(s, sp, i);
		r = c ? lw_umh_on_stack(s, c) : 0;
		if (r)
			return lw_claim_at(s, bt, r, &lw_umh_kind, LW_MODE_NONE,
					   sp + i * sizeof(long));
	}
	return -ENOENT;
}

static bool lw_umh_still(struct lw_scan *s, const struct lw_task *bt)
{
	return lw_swait_still(s, bt->waiter, (unsigned long)bt->task);
}

/* Still a request not completed; its helper, where it is waited for. */
static int lw_decode_umh(struct lw_scan *s, struct lw_lock *l)
{
	unsigned long c, task;
	unsigned int done;
	int wait, n;

	if (lw_read(&c, l->addr + offsetof(struct subprocess_info, complete),
		    sizeof(c), s) || !lw_umh_request(s, l->addr, c, &wait) ||
	    lw_read(&done, c + offsetof(struct completion, done),
		    sizeof(done), s))
		return -EAGAIN;
	l->op = wait;
	if (!(wait & UMH_WAIT_PROC))
		return 0;
	task = lw_worker_child(s, l->addr, l->addr +
			       offsetof(struct subprocess_info, retval), &n);
	if (task) {
		l->owner_ptr = task;
		l->conf = n == 1 ? LW_CONF_EXACT : LW_CONF_HINT;
	}
	return 0;
}

/* "user-mode helper /sbin/modprobe -q -- fs-foo" */
static bool lw_name_umh(struct lw_scan *s, const struct lw_lock *l,
			char *buf, size_t len)
{
	unsigned long path, argv, arg;
	char word[LW_UMH_ARG_LEN];
	size_t used;
	int i;

	used = strscpy(buf, "user-mode helper", len);
	if (lw_read(&path, l->addr + offsetof(struct subprocess_info, path),
		    sizeof(path), s) ||
	    lw_read_str(word, (const char *)path, sizeof(word)) == -EFAULT)
		return true;
	lw_printable(word);
	used += scnprintf(buf + used, len - used, " %s", word);
	if (lw_read(&argv, l->addr + offsetof(struct subprocess_info, argv),
		    sizeof(argv), s) || !lw_kernel_ptr(argv))
		return true;
	/* argv[0] is the program again. */
	for (i = 1; i <= LW_UMH_ARGS; i++) {
		if (lw_read(&arg, argv + i * sizeof(long), sizeof(arg), s) ||
		    !arg)
			return true;
		if (i == LW_UMH_ARGS ||
		    lw_read_str(word, (const char *)arg, sizeof(word)) == -EFAULT)
			break;
		lw_printable(word);
		used += scnprintf(buf + used, len - used, " %s", word);
	}
	scnprintf(buf + used, len - used, " ...");
	return true;
}

/* How long the caller waits: until the helper exits, or only runs. */
static void lw_umh_held(struct lw_scan *s, const struct lw_lock *l,
			struct lw_buf *b)
{
	lw_printf(b, "  helper: %s\n", l->op & UMH_WAIT_PROC ?
		  "waited for until it exits" : "waited for until it runs");
}

const struct lw_kind_ops lw_umh_kind = {
	.id = LW_KIND_UMH,
	.name = "umh",
	.wait = "umh",
	.owner_verb = "to exit",
	.owner_role = "user-mode helper",
	.find = lw_find_wait_umh,
	.decode = lw_decode_umh,
	.still = lw_umh_still,
	.name_wait = lw_name_umh,
	.held = lw_umh_held,
};

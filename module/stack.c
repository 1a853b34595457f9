// SPDX-License-Identifier: GPL-2.0
/*
 * Reading other tasks' memory: every read is a nofault copy, counted when
 * it faults. A task's stack cannot be pinned from a module, so it is copied
 * whole and everything found in the copy is re-validated by the caller.
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "lockwatch.h"

bool lw_kernel_ptr(unsigned long p)
{
	return p >= PAGE_OFFSET && IS_ALIGNED(p, sizeof(long));
}

int lw_read(void *dst, unsigned long src, size_t size, struct lw_scan *s)
{
	if (src < PAGE_OFFSET ||
	    copy_from_kernel_nofault(dst, (const void *)src, size)) {
		s->stats.faults++;
		return -EFAULT;
	}
	return 0;
}

/*
 * Copy the live part of a sleeping task's stack, from its saved stack
 * pointer to the top, into s->stack. *sp receives the address of word 0.
 */
int lw_copy_stack(struct lw_scan *s, struct task_struct *t,
		  unsigned long *sp, unsigned int *nwords)
{
	unsigned long base = (unsigned long)READ_ONCE(t->stack);
	unsigned long top = base + THREAD_SIZE;
	unsigned long p = lw_task_saved_sp(t);

	if (!base || p < base || p >= top || !IS_ALIGNED(p, sizeof(long)))
		return -EINVAL;
	if (lw_read(s->stack, p, top - p, s))
		return -EFAULT;
	*sp = p;
	*nwords = (top - p) / sizeof(long);
	return 0;
}

/*
 * Does @addr follow a call instruction? Direct calls (e8 rel32, also used
 * for retpoline thunks), call *%reg (ff d0+r) and call *disp32(%rip)
 * (ff 15 disp32).
 */
static bool lw_after_call(unsigned long addr, struct lw_scan *s)
{
	u8 b[7];

	if (lw_read(b, addr - sizeof(b), sizeof(b), s))
		return false;
	if (b[2] == 0xe8)
		return true;
	if (b[5] == 0xff && (b[6] & 0xf8) == 0xd0)
		return true;
	return b[1] == 0xff && b[2] == 0x15;
}

static atomic_t lw_text_generation = ATOMIC_INIT(0);

u32 lw_text_gen(void)
{
	return atomic_read(&lw_text_generation);
}

/* A module coming or going changes what text addresses are. */
static int lw_module_event(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	if (action == MODULE_STATE_COMING || action == MODULE_STATE_GOING)
		atomic_inc(&lw_text_generation);
	return NOTIFY_DONE;
}

static struct notifier_block lw_module_nb = {
	.notifier_call = lw_module_event,
};

int lw_text_init(void)
{
	return register_module_notifier(&lw_module_nb);
}

void lw_text_exit(void)
{
	unregister_module_notifier(&lw_module_nb);
}

#define LW_RET_CACHE_BITS	9

/*
 * Verdicts on text addresses seen before: the same few hundred return
 * addresses recur on every stack (lw_text_gen()). Only the scan uses it:
 * no lock.
 */
static struct {
	unsigned long addr;
	u32 gen;
	bool ret;
} lw_ret_cache[1 << LW_RET_CACHE_BITS];

/* A word that is a return address into kernel or module text. */
static bool lw_return_address(unsigned long addr, struct lw_scan *s)
{
	unsigned int slot;

	if (!lw_text_addr(addr))
		return false;
	slot = hash_long(addr, LW_RET_CACHE_BITS);
	if (lw_ret_cache[slot].addr != addr ||
	    lw_ret_cache[slot].gen != lw_text_gen()) {
		lw_ret_cache[slot].ret = lw_after_call(addr, s);
		lw_ret_cache[slot].addr = addr;
		lw_ret_cache[slot].gen = lw_text_gen();
	}
	return lw_ret_cache[slot].ret;
}

/*
 * Return addresses found on a copied stack, lowest (innermost) first: the
 * frames of the sleeping task including the __sched lock slow paths that
 * stack_trace_save_tsk() leaves out. A scan, not an unwind: a stale return
 * address left in a frame can show up between real ones.
 */
unsigned int lw_stack_frames(struct lw_scan *s, const unsigned long *words,
			     unsigned int nwords, unsigned long *frames,
			     unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < nwords && n < max; i++)
		if (lw_return_address(words[i], s))
			frames[n++] = words[i];
	return n;
}

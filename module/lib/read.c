// SPDX-License-Identifier: GPL-2.0
/*
 * Reading other tasks' memory: every read is a nofault copy, counted when
 * it faults. A task's stack cannot be pinned from a module, so it is copied
 * whole and everything found in the copy is re-validated by the caller.
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "lib.h"

bool lw_kernel_ptr(unsigned long p)
{
	return p >= PAGE_OFFSET && IS_ALIGNED(p, sizeof(long));
}

/* Tasks of a walk under RCU between two looks at the clock. */
#define LW_WALK_CLOCK		64

/*
 * In a walk of the tasks under RCU, at task @p (the @seen'th), RCU held
 * since @section: every LW_WALK_CLOCK tasks, once RCU has been held
 * LW_RCU_STRETCH_NS, leave it and come back (kernel/hung_task.c). False
 * when @p went away meanwhile: the walk ends there.
 */
bool lw_walk_pause(struct task_struct *p, unsigned int *seen, u64 *section)
{
	bool alive;

	if (++*seen % LW_WALK_CLOCK ||
	    ktime_get_ns() - *section <= LW_RCU_STRETCH_NS)
		return true;
	get_task_struct(p);
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
	alive = pid_alive(p);
	put_task_struct(p);
	*section = ktime_get_ns();
	return alive;
}

/*
 * A NUL-terminated string at @src into @dst (@len bytes, always
 * terminated), read a word at a time from word boundaries, so that no
 * read crosses a page past its end: its length, -E2BIG when only its
 * start fits, or -EFAULT (also for an address below the kernel's).
 */
int lw_read_str(char *dst, const char *src, size_t len)
{
	unsigned long a = (unsigned long)src, w = a & ~(sizeof(long) - 1);
	size_t n = 0, k;
	char word[sizeof(long)];

	if (a < PAGE_OFFSET)
		return -EFAULT;
	for (; n + 1 < len; w += sizeof(long)) {
		if (copy_from_kernel_nofault(word, (void *)w, sizeof(word)))
			return -EFAULT;
		for (k = w < a ? a - w : 0; k < sizeof(word) && n + 1 < len; k++) {
			dst[n] = word[k];
			if (!dst[n])
				return n;
			n++;
		}
	}
	dst[n] = '\0';
	return -E2BIG;
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
 * The call instruction that return address @ret follows (LW_CALL_*), its
 * target in *@target for a direct call; LW_CALL_NONE when the bytes cannot
 * be read. @s counts the fault, when given.
 */
int lw_call_before(unsigned long ret, unsigned long *target, struct lw_scan *s)
{
	u8 b[LW_CALL_BYTES];
	unsigned long from = ret - sizeof(b);

	if (s ? lw_read(b, from, sizeof(b), s) :
		copy_from_kernel_nofault(b, (const void *)from, sizeof(b)))
		return LW_CALL_NONE;
	return lw_arch_call(b, ret, target);
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

/* Is text address @addr a return address (does a call precede it)? */
static bool lw_return_address(unsigned long addr, struct lw_scan *s)
{
	unsigned long target;
	unsigned int slot;

	slot = hash_long(addr, LW_RET_CACHE_BITS);
	if (lw_ret_cache[slot].addr != addr ||
	    lw_ret_cache[slot].gen != lw_text_gen()) {
		lw_ret_cache[slot].ret =
			lw_call_before(addr, &target, s) != LW_CALL_NONE;
		lw_ret_cache[slot].addr = addr;
		lw_ret_cache[slot].gen = lw_text_gen();
	}
	return lw_ret_cache[slot].ret;
}

/*
 * The code address stack word @word may be (lw_code_word(): a signed
 * return address stripped), or 0 when it is outside kernel and module
 * text.
 */
unsigned long lw_stack_text(unsigned long word)
{
	unsigned long addr = lw_code_word(word);

	return lw_text_addr(addr) ? addr : 0;
}

/*
 * The frames of a chain of frame records in the stack copied from @sp,
 * starting at record @fp and return address @pc: each record is {the
 * caller's record, a return address}, higher up the stack than the last;
 * the chain ends where a record is not in the copy.
 */
static unsigned int lw_record_frames(struct lw_scan *s, unsigned long sp,
				     const unsigned long *words,
				     unsigned int nwords, unsigned long fp,
				     unsigned long pc, unsigned long *frames,
				     unsigned int max)
{
	unsigned long addr = lw_stack_text(pc);
	unsigned int n = 0, i;

	if (addr && lw_return_address(addr, s))
		frames[n++] = addr;
	while (n < max && fp >= sp && IS_ALIGNED(fp, sizeof(long)) &&
	       (fp - sp) / sizeof(long) + 1 < nwords) {
		i = (fp - sp) / sizeof(long);
		addr = lw_stack_text(words[i + 1]);
		if (addr && lw_return_address(addr, s))
			frames[n++] = addr;
		if (words[i] <= fp)
			break;
		fp = words[i];
	}
	return n;
}

/*
 * Return addresses of task @t whose stack was copied from @sp, lowest
 * (innermost) first: the frames of the sleeping task including the __sched
 * lock slow paths that stack_trace_save_tsk() leaves out. Where the arch
 * chains frame records, they are followed; else the stack is scanned,
 * and a stale return address left in a frame can show up between real
 * ones (words that point into the copy itself, saved frame pointers, are
 * none).
 */
unsigned int lw_stack_frames(struct lw_scan *s, struct task_struct *t,
			     unsigned long sp, const unsigned long *words,
			     unsigned int nwords, unsigned long *frames,
			     unsigned int max)
{
	unsigned int i, n = 0;
	unsigned long addr, fp, pc;

	if (lw_task_frame_records(t, &fp, &pc))
		return lw_record_frames(s, sp, words, nwords, fp, pc, frames,
					max);
	for (i = 0; i < nwords && n < max; i++) {
		if (words[i] - sp < (unsigned long)nwords * sizeof(long))
			continue;
		addr = lw_stack_text(words[i]);
		if (addr && lw_return_address(addr, s))
			frames[n++] = addr;
	}
	return n;
}

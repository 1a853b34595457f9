/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86_64: where kernel and module text live, where a sleeping task's
 * stack pointer is kept, and what call a return address follows.
 * Included by compat.h only.
 */
#ifndef LOCKWATCH_ARCH_H
#define LOCKWATCH_ARCH_H

#include <linux/sched.h>
#include <linux/string.h>

/* A word of a stack in this range may be a return address. */
#define LW_TEXT_START	__START_KERNEL_map
#define LW_TEXT_END	MODULES_END

/* The stack pointer __switch_to_asm() saved, below the callee-saved pushes. */
static inline unsigned long lw_task_saved_sp(const struct task_struct *t)
{
	return READ_ONCE(t->thread.sp);
}

/*
 * Where a chain of frame records starts: x86_64 kernels unwind with ORC
 * and keep no frame pointer, so the stack is scanned instead.
 */
static inline bool lw_task_frame_records(const struct task_struct *t,
					 unsigned long *fp, unsigned long *pc)
{
	return false;
}

/* A stack word as a code address: x86 stores return addresses as they are. */
static inline unsigned long lw_code_word(unsigned long word)
{
	return word;
}

/* How many bytes before a return address lw_arch_call() decodes. */
#define LW_CALL_BYTES	7

/*
 * The call that @b, the LW_CALL_BYTES bytes before return address @ret,
 * ends with: call *%reg (ff d0+r, maybe after a REX prefix) and call
 * *disp32(%rip) (ff 15 disp32) are looked for first, as their bytes can
 * hold an e8 five bytes back by chance; then a direct call (e8 rel32,
 * also how retpoline and call thunks are reached), whose target is
 * stored in *@target.
 */
static inline int lw_arch_call(const u8 *b, unsigned long ret,
			       unsigned long *target)
{
	s32 rel;

	if ((b[5] == 0xff && (b[6] & 0xf8) == 0xd0) ||
	    (b[1] == 0xff && b[2] == 0x15))
		return LW_CALL_INDIRECT;
	if (b[2] != 0xe8)
		return LW_CALL_NONE;
	memcpy(&rel, b + 3, sizeof(rel));
	*target = ret + rel;
	return LW_CALL_DIRECT;
}

#endif /* LOCKWATCH_ARCH_H */

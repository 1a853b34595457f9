/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64: where kernel and module text live, where a sleeping task's
 * stack pointer is kept, how a return address saved on the stack is
 * signed, and what call it follows. Included by compat.h only.
 */
#ifndef LOCKWATCH_ARCH_H
#define LOCKWATCH_ARCH_H

#include <linux/bitops.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <asm/memory.h>
#include <asm/pgtable.h>
#include <asm/pointer_auth.h>

/*
 * The module region, the kernel image (placed by KASLR in the vmalloc
 * area) and modules placed near it: a word of a stack in this range may
 * be a return address (lw_return_address() also checks the instruction
 * before it).
 */
#define LW_TEXT_START	MODULES_VADDR
#define LW_TEXT_END	VMALLOC_END

/* The stack pointer cpu_switch_to() saved in the thread's cpu_context. */
static inline unsigned long lw_task_saved_sp(const struct task_struct *t)
{
	return READ_ONCE(t->thread.cpu_context.sp);
}

/*
 * Where a chain of frame records starts: every arm64 kernel function keeps
 * one ({fp, lr}, where x29 points); cpu_switch_to() saved __schedule()'s
 * frame pointer and where it returns in it.
 */
static inline bool lw_task_frame_records(const struct task_struct *t,
					 unsigned long *fp, unsigned long *pc)
{
	*fp = READ_ONCE(t->thread.cpu_context.fp);
	*pc = READ_ONCE(t->thread.cpu_context.pc);
	return true;
}

/*
 * A stack word as a code address: with pointer authentication a function
 * signs its return address (paciasp) before it stores it, and the PAC sits
 * in the bits above the virtual address; strip it as the kernel's own
 * unwinder does.
 */
static inline unsigned long lw_code_word(unsigned long word)
{
#ifdef ptrauth_strip_kernel_insn_pac
	return ptrauth_strip_kernel_insn_pac(word);
#else
	return ptrauth_strip_insn_pac(word);
#endif
}

/* How many bytes before a return address lw_arch_call() decodes. */
#define LW_CALL_BYTES	4

#define LW_A64_BL_MASK		0xfc000000U	/* bl imm26 */
#define LW_A64_BL		0x94000000U
#define LW_A64_BLR_MASK		0xfffffc1fU	/* blr xN */
#define LW_A64_BLR		0xd63f0000U
#define LW_A64_BLRA_MASK	0xfefff800U	/* blraa(z), blrab(z) */
#define LW_A64_BLRA		0xd63f0800U

/*
 * The call that @b, the instruction before return address @ret, is: bl
 * (its target, pc-relative in 26 bits of words, stored in *@target), or
 * blr and its pointer-authenticating forms.
 */
static inline int lw_arch_call(const u8 *b, unsigned long ret,
			       unsigned long *target)
{
	__le32 raw;
	u32 insn;

	memcpy(&raw, b, sizeof(raw));
	insn = le32_to_cpu(raw);
	if ((insn & LW_A64_BL_MASK) == LW_A64_BL) {
		*target = ret - 4 + sign_extend64((u64)(insn & ~LW_A64_BL_MASK) << 2, 27);
		return LW_CALL_DIRECT;
	}
	if ((insn & LW_A64_BLR_MASK) == LW_A64_BLR ||
	    (insn & LW_A64_BLRA_MASK) == LW_A64_BLRA)
		return LW_CALL_INDIRECT;
	return LW_CALL_NONE;
}

#endif /* LOCKWATCH_ARCH_H */

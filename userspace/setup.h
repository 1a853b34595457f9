/* SPDX-License-Identifier: GPL-2.0 */
#ifndef LOCKWATCH_SETUP_H
#define LOCKWATCH_SETUP_H

#include <stddef.h>

/* What lockwatch setup hands to the module: one write of this text. */
struct lw_layout_text {
	char text[4096];	/* the module's LW_LAYOUT_WRITE_MAX */
	size_t len;
	int nlocks;		/* lock lines */
	int mount;		/* 1 with a mount line */
	int worker;		/* 1 with a worker line */
	int wqflush;		/* 1 with a wqflush line */
};

/*
 * Build the layouts from the BTF in @dir (/sys/kernel/btf): 0, or -1 with
 * a message when the kernel's own BTF cannot be read.
 */
int lw_setup_layouts(const char *dir, struct lw_layout_text *out, char *msg,
		     size_t len);

/*
 * Build the layouts from the BTF in @btf into @t and hand them to the
 * module through DIR/layouts (LW_CONTROL_DIR) in one write: 0 with what was handed over in
 * @msg, or a negative errno (-1 without one) with the reason in @msg.
 */
int lw_setup_apply(const char *btf, const char *dir, struct lw_layout_text *t,
		   char *msg, size_t len);

#endif /* LOCKWATCH_SETUP_H */

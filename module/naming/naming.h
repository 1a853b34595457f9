/* SPDX-License-Identifier: GPL-2.0 */
/*
 * naming/: what an address is, the way a person debugging it would say
 * it (a symbol, a file's inode with its path, a super block, a process),
 * and the layouts from BTF that say where file systems keep their locks.
 * It reads with lib/ and calls nothing above it.
 */
#ifndef LOCKWATCH_NAMING_H
#define LOCKWATCH_NAMING_H

#include "lockwatch.h"

/* naming/naming.c */
void lw_naming_init(void);
void lw_name_text(struct lw_scan *s, unsigned long addr, char *buf,
		  size_t len);
bool lw_name_symbol(unsigned long addr, char *buf, size_t len);
bool lw_name_kernfs(struct lw_scan *s, unsigned long kn, char *buf,
		    size_t len);
void lw_name_site(unsigned long site, char *buf, size_t len);
bool lw_name_sb(struct lw_scan *s, unsigned long sb, bool mount, char *buf,
		size_t len);
bool lw_name_sb_lock(struct lw_scan *s, const char *role, unsigned long sb,
		     char *buf, size_t len);
bool lw_name_inode_lock(struct lw_scan *s, const char *role,
			unsigned long inode, char *buf, size_t len);
bool lw_name_mmap_lock(struct lw_scan *s, unsigned long addr, char *buf,
		       size_t len);
/* What any lock may be when its kind cannot tell (report/name.c). */
bool lw_name_layout_lock(struct lw_scan *s, const struct lw_lock *l,
			 char *buf, size_t len);
bool lw_name_on_stack(struct lw_scan *s, const struct lw_lock *l,
		      const char *kind, char *buf, size_t len);
bool lw_name_near_inode(struct lw_scan *s, const struct lw_lock *l,
			char *buf, size_t len);
bool lw_name_module_data(const struct lw_lock *l, const char *kind, char *buf,
			 size_t len);

/* naming/layout.c */
void lw_layouts_get(struct lw_layouts *out);
/* Why layouts misread what they are tried on, or NULL (control.c's check). */
typedef int (*lw_layouts_check_fn)(const struct lw_layouts *t,
				   const char **why);
int lw_layouts_set(const char *buf, size_t count, lw_layouts_check_fn check);
ssize_t lw_layouts_print(char *buf);

#endif /* LOCKWATCH_NAMING_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* Owners that wait for no lock (lw_owners.c). */
#ifndef LW_OWNERS_H
#define LW_OWNERS_H

int lw_owners_params(void);
int lw_start_owners(void);
int lw_go_owners(void);
int lw_end_owners(void);
struct dentry;
void lw_owners_files(struct dentry *dir);
int lw_start_frzwait(void);
int lw_end_frz(void);

#endif /* LW_OWNERS_H */

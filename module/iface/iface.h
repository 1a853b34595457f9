/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iface/: what userspace reads and writes: the reports and stats in
 * debugfs, the scan trigger and the layouts in sysfs.
 */
#ifndef LOCKWATCH_IFACE_H
#define LOCKWATCH_IFACE_H

#include "naming/naming.h"

/* iface/debugfs.c */
int lw_debugfs_init(void);
void lw_debugfs_exit(void);

/* iface/control.c */
int lw_control_init(int (*scan_now)(void), lw_layouts_check_fn check);
void lw_control_exit(void);

#endif /* LOCKWATCH_IFACE_H */

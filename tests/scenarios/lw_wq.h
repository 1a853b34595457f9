/* SPDX-License-Identifier: GPL-2.0 */
/* The scenarios' workqueue flushes and kthread_stop() (lw_wq.c). */
#ifndef LW_WQ_H
#define LW_WQ_H

/* Start a kernel thread @name running @fn(@arg) (scenarios.c). */
int lw_spawn(int (*fn)(void *), long arg, const char *name);

int lw_start_flush_sys(void);
int lw_start_flush_wq(void);
int lw_start_flush_cancel(void);
int lw_start_flush_delayed(void);
int lw_start_wqchain(void);
int lw_end_wqchain(void);
int lw_start_wqchurn(void);
int lw_stop_wqchurn(void);
int lw_start_kstop(void);
int lw_start_flush_workqueue(void);
int lw_start_bflush(unsigned int n);

#endif /* LW_WQ_H */

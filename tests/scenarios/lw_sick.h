/* SPDX-License-Identifier: GPL-2.0 */
/* The scenarios of a sick host (lw_sick.c). */
#ifndef LW_SICK_H
#define LW_SICK_H

int lw_sick_params(void);
int lw_start_rcuhold(void);
int lw_end_rcuhold(void);
int lw_start_wqflood(void);
int lw_end_wqflood(void);
int lw_start_forkhold(void);
int lw_end_forkhold(void);

#endif /* LW_SICK_H */

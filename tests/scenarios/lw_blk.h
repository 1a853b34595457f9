/* SPDX-License-Identifier: GPL-2.0 */
/* lwblk0, the scenarios' block device whose I/O can be held back. */
#ifndef LW_BLK_H
#define LW_BLK_H

int lw_start_blk(void);
int lw_start_blkhold(void);
int lw_end_blk(void);

#endif /* LW_BLK_H */

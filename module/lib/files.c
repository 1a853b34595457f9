// SPDX-License-Identifier: GPL-2.0
/*
 * Who holds a device open: the processes with an open file of a
 * character device (a FUSE connection's /dev/fuse) whose private data
 * holds a given pointer (the connection or channel it serves). Read from each
 * process's file table with nofault reads, every hit checked again; the
 * walk leaves RCU now and then (kernel/hung_task.c) and reads at most
 * LW_HOLDER_FDS file pointers a search, and a scan makes at most
 * LW_MAX_HOLDERS searches (their answers kept for the scan).
 */
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>

#include "lib.h"

/* File pointers one search reads, all processes together. */
#define LW_HOLDER_FDS		65536
/* Read at a time from a file table. */
#define LW_FD_BATCH		32

/*
 * Is @file open on character device @rdev with private data whose word
 * at @off is @priv?
 */
static bool lw_file_serves(struct lw_scan *s, unsigned long file, dev_t rdev,
			   unsigned long off, unsigned long priv)
{
	unsigned long inode, data, first;
	umode_t mode;
	dev_t dev;

	return !lw_read(&inode, file + offsetof(struct file, f_inode),
			sizeof(inode), s) && lw_kernel_ptr(inode) &&
	       !lw_read(&mode, inode + offsetof(struct inode, i_mode),
			sizeof(mode), s) && S_ISCHR(mode) &&
	       !lw_read(&dev, inode + offsetof(struct inode, i_rdev),
			sizeof(dev), s) && dev == rdev &&
	       !lw_read(&data, file + offsetof(struct file, private_data),
			sizeof(data), s) && lw_kernel_ptr(data) &&
	       !lw_read(&first, data + off, sizeof(first), s) && first == priv;
}

/*
 * Does process @p hold such a file? Its file table is read fd by fd, up
 * to what is left of @budget; a hit is read again (the same table, the
 * same file in the same slot).
 */
static bool lw_process_serves(struct lw_scan *s, struct task_struct *p,
			      dev_t rdev, unsigned long off, unsigned long priv,
			      int *budget)
{
	unsigned long files = (unsigned long)READ_ONCE(p->files), fdt, fd;
	unsigned long batch[LW_FD_BATCH], again;
	unsigned int max, i, j, n;

	if (!files || lw_read(&fdt, files + offsetof(struct files_struct, fdt),
			      sizeof(fdt), s) || !lw_kernel_ptr(fdt) ||
	    lw_read(&max, fdt + offsetof(struct fdtable, max_fds), sizeof(max),
		    s) ||
	    lw_read(&fd, fdt + offsetof(struct fdtable, fd), sizeof(fd), s) ||
	    !lw_kernel_ptr(fd))
		return false;
	for (i = 0; i < max && *budget > 0; i += n) {
		n = min3(max - i, (unsigned int)LW_FD_BATCH,
			 (unsigned int)*budget);
		*budget -= n;
		if (lw_read(batch, fd + i * sizeof(long), n * sizeof(long), s))
			return false;
		for (j = 0; j < n; j++) {
			if (!lw_kernel_ptr(batch[j]) ||
			    !lw_file_serves(s, batch[j], rdev, off, priv))
				continue;
			return (unsigned long)READ_ONCE(p->files) == files &&
			       !lw_read(&again, fd + (i + j) * sizeof(long),
					sizeof(again), s) && again == batch[j];
		}
	}
	return false;
}

/* The search itself: the first holder and how many there are (2: more). */
static unsigned long lw_search_holder(struct lw_scan *s, dev_t rdev,
				      unsigned long off, unsigned long priv,
				      int *n)
{
	struct task_struct *p;
	unsigned long first = 0;
	int budget = LW_HOLDER_FDS;
	unsigned int seen = 0;
	u64 section;

	*n = 0;
	rcu_read_lock();
	section = ktime_get_ns();
	for_each_process(p) {
		if (!lw_walk_pause(p, &seen, &section))
			break;
		if (!lw_process_serves(s, p, rdev, off, priv, &budget))
			continue;
		if (!first)
			first = (unsigned long)p;
		if (++*n == 2 || budget <= 0)
			break;
	}
	rcu_read_unlock();
	return first;
}

/*
 * The process (its leader's task_struct) holding open a file of
 * character device @rdev whose private data has @priv at offset @off, 0
 * if none is found; @n: how many (1, or 2 for more than one). Kept for
 * the scan.
 */
unsigned long lw_device_holder(struct lw_scan *s, dev_t rdev,
			       unsigned long off, unsigned long priv, int *n)
{
	struct lw_holder *h;
	int i;

	for (i = 0; i < s->nholders; i++) {
		h = &s->holders[i];
		if (h->rdev == rdev && h->off == off && h->priv == priv) {
			*n = h->n;
			return h->task;
		}
	}
	if (s->nholders == LW_MAX_HOLDERS) {
		*n = 0;
		return 0;
	}
	h = &s->holders[s->nholders++];
	h->rdev = rdev;
	h->off = off;
	h->priv = priv;
	h->task = lw_search_holder(s, rdev, off, priv, &h->n);
	*n = h->n;
	return h->task;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Layouts of structures no header describes, handed in by userspace
 * (lockwatch setup reads them from BTF) through /sys/kernel/lockwatch/layouts
 * (control.c):
 *
 *   lock FS STRUCT SIZE INODE_FIELD INODE_OFF LOCK_FIELD LOCK_OFF KIND ROLE
 *	a lock inside a file system's private inode container, e.g.
 *	"lock xfs xfs_inode 1792 i_vnode 256 i_lock 160 rwsem ILOCK"
 *   mount SIZE MNT_OFF PARENT_OFF MOUNTPOINT_OFF INSTANCE_OFF
 *	struct mount (fs/mount.h): where its vfsmount, mnt_parent,
 *	mnt_mountpoint and its link among the superblock's mounts are
 *	(mnt_instance; mnt_next_for_sb where sb->s_mounts is a pointer)
 *   worker SIZE WORK_OFF FUNC_OFF PWQ_OFF SCHEDULED_OFF TASK_OFF
 *	  PWQ_SIZE PWQ_WQ_OFF WQ_SIZE WQ_NAME_OFF WQ_NAME_LEN
 *	struct worker (kernel/workqueue_internal.h): its current_work,
 *	current_func, current_pwq, scheduled list and task; struct
 *	pool_workqueue's wq and struct workqueue_struct's name[] (both
 *	kernel/workqueue.c)
 *   wqflush WQ_SIZE FIRST_OFF FLUSHER_SIZE COLOR_OFF DONE_OFF
 *	  WORKER_COLOR_OFF TASK_KTHREAD_OFF KTHREAD_SIZE DATA_OFF
 *	a flush of a whole workqueue: workqueue_struct.first_flusher, struct
 *	wq_flusher's flush_color and done, worker.current_color ("-" before
 *	5.15, which has none), the task's
 *	pointer to its struct kthread (worker_private; set_child_tid before
 *	5.17) and struct kthread's data (kernel/kthread.c); needs a worker
 *	line
 *
 * One write replaces the whole table and must hold every line; "clear"
 * empties it. A write with any bad line is refused and changes nothing.
 * The offsets are only ever used for nofault reads whose results are
 * checked through back pointers, so a wrong layout can make a name
 * missing, never wrong. A worker line (and a wqflush line) is tried
 * before it is taken, on flushes the self-test makes (selftest.c): a
 * layout that does not find their worker, work and workqueue as made is
 * refused like a bad line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "naming.h"

#define LW_LAYOUT_WRITE_MAX	4096
#define LW_STRUCT_MAX		65536

static struct lw_layouts lw_layouts;
static DEFINE_MUTEX(lw_layout_lock);

/* Copy the current layouts (the scan works on its own copy). */
void lw_layouts_get(struct lw_layouts *out)
{
	mutex_lock(&lw_layout_lock);
	*out = lw_layouts;
	mutex_unlock(&lw_layout_lock);
}

static bool lw_ident(const char *w, size_t max)
{
	size_t n = strlen(w);

	if (!n || n >= max)
		return false;
	for (; *w; w++)
		if (!isalnum(*w) && *w != '_')
			return false;
	return true;
}

static int lw_offset(const char *w, u32 size, u32 *off)
{
	if (kstrtou32(w, 10, off))
		return -EINVAL;
	return *off < size && IS_ALIGNED(*off, sizeof(long)) ? 0 : -ERANGE;
}

/* [a, a + an) and [b, b + bn) overlap */
static bool lw_overlap(u32 a, u32 an, u32 b, u32 bn)
{
	return a < b + bn && b < a + an;
}

static const char *lw_parse_lock(char **w, int n, struct lw_layouts *t)
{
	struct lw_lock_layout *l;
	u32 lsize;
	int i;

	if (n != 10)
		return "a lock line has 10 words: lock FS STRUCT SIZE INODE_FIELD INODE_OFF LOCK_FIELD LOCK_OFF KIND ROLE";
	if (t->nlocks == LW_MAX_LAYOUTS)
		return "too many lock lines";
	l = &t->locks[t->nlocks];
	memset(l, 0, sizeof(*l));
	if (!lw_ident(w[1], sizeof(l->fs)) || !lw_ident(w[2], sizeof(l->container)) ||
	    !lw_ident(w[4], sizeof(l->inode_field)) ||
	    !lw_ident(w[6], sizeof(l->lock_field)) || !lw_ident(w[9], sizeof(l->role)))
		return "names are letters, digits and '_', and short";
	if (kstrtou32(w[3], 10, &l->size) || !l->size || l->size > LW_STRUCT_MAX)
		return "SIZE must be 1..65536";
	if (!strcmp(w[8], "rwsem")) {
		l->kind = LW_KIND_RWSEM;
		lsize = sizeof(struct rw_semaphore);
	} else if (!strcmp(w[8], "mutex")) {
		l->kind = LW_KIND_MUTEX;
		lsize = sizeof(struct mutex);
	} else {
		return "KIND must be rwsem or mutex";
	}
	if (lw_offset(w[5], l->size, &l->inode_off) ||
	    lw_offset(w[7], l->size, &l->lock_off))
		return "offsets must be aligned and inside the structure";
	if (l->inode_off + sizeof(struct inode) > l->size ||
	    l->lock_off + lsize > l->size)
		return "the inode or the lock does not fit in SIZE";
	if (lw_overlap(l->inode_off, sizeof(struct inode), l->lock_off, lsize))
		return "the lock overlaps the inode";
	for (i = 0; i < t->nlocks; i++)
		if (!strcmp(t->locks[i].fs, w[1]) &&
		    (!strcmp(t->locks[i].lock_field, w[6]) ||
		     t->locks[i].lock_off == l->lock_off))
			return "the same lock twice";
	strscpy(l->fs, w[1], sizeof(l->fs));
	strscpy(l->container, w[2], sizeof(l->container));
	strscpy(l->inode_field, w[4], sizeof(l->inode_field));
	strscpy(l->lock_field, w[6], sizeof(l->lock_field));
	strscpy(l->role, w[9], sizeof(l->role));
	t->nlocks++;
	return NULL;
}

static const char *lw_parse_mount(char **w, int n, struct lw_layouts *t)
{
	struct lw_mount_layout *m = &t->mount;

	if (n != 6)
		return "a mount line has 6 words: mount SIZE MNT_OFF PARENT_OFF MOUNTPOINT_OFF INSTANCE_OFF";
	if (m->size)
		return "two mount lines";
	if (kstrtou32(w[1], 10, &m->size) || !m->size || m->size > LW_STRUCT_MAX)
		return "SIZE must be 1..65536";
	if (lw_offset(w[2], m->size, &m->mnt_off) ||
	    lw_offset(w[3], m->size, &m->parent_off) ||
	    lw_offset(w[4], m->size, &m->mountpoint_off) ||
	    lw_offset(w[5], m->size, &m->instance_off))
		return "offsets must be aligned and inside the structure";
	if (m->mnt_off + sizeof(struct vfsmount) > m->size ||
	    m->parent_off + sizeof(long) > m->size ||
	    m->mountpoint_off + sizeof(long) > m->size ||
	    m->instance_off + sizeof(struct list_head) > m->size)
		return "a field does not fit in SIZE";
	return NULL;
}

static const char *lw_parse_worker(char **w, int n, struct lw_layouts *t)
{
	struct lw_worker_layout *k = &t->worker;
	u32 ptrs[4];
	int i, j;

	if (n != 12)
		return "a worker line has 12 words: worker SIZE WORK_OFF FUNC_OFF PWQ_OFF SCHEDULED_OFF TASK_OFF PWQ_SIZE PWQ_WQ_OFF WQ_SIZE WQ_NAME_OFF WQ_NAME_LEN";
	if (k->size)
		return "two worker lines";
	if (kstrtou32(w[1], 10, &k->size) || !k->size || k->size > LW_STRUCT_MAX ||
	    kstrtou32(w[7], 10, &k->pwq_size) || !k->pwq_size ||
	    k->pwq_size > LW_STRUCT_MAX ||
	    kstrtou32(w[9], 10, &k->wq_size) || !k->wq_size ||
	    k->wq_size > LW_STRUCT_MAX)
		return "SIZE must be 1..65536";
	if (lw_offset(w[2], k->size, &k->current_work_off) ||
	    lw_offset(w[3], k->size, &k->current_func_off) ||
	    lw_offset(w[4], k->size, &k->current_pwq_off) ||
	    lw_offset(w[5], k->size, &k->scheduled_off) ||
	    lw_offset(w[6], k->size, &k->task_off) ||
	    lw_offset(w[8], k->pwq_size, &k->pwq_wq_off))
		return "offsets must be aligned and inside the structure";
	if (kstrtou32(w[10], 10, &k->wq_name_off) ||
	    kstrtou32(w[11], 10, &k->wq_name_len) || k->wq_name_len < 2 ||
	    k->wq_name_len > LW_WQ_NAME_MAX || k->wq_name_off >= k->wq_size ||
	    k->wq_name_len > k->wq_size - k->wq_name_off)
		return "the workqueue's name must fit in its structure (2..64 bytes)";
	ptrs[0] = k->current_work_off;
	ptrs[1] = k->current_func_off;
	ptrs[2] = k->current_pwq_off;
	ptrs[3] = k->task_off;
	for (i = 0; i < ARRAY_SIZE(ptrs); i++) {
		if (ptrs[i] + sizeof(long) > k->size ||
		    lw_overlap(ptrs[i], sizeof(long), k->scheduled_off,
			       sizeof(struct list_head)))
			return "the worker's fields must fit in SIZE and not overlap";
		for (j = 0; j < i; j++)
			if (ptrs[i] == ptrs[j])
				return "the worker's fields must fit in SIZE and not overlap";
	}
	if (k->scheduled_off + sizeof(struct list_head) > k->size ||
	    k->pwq_wq_off + sizeof(long) > k->pwq_size)
		return "a field does not fit in SIZE";
	return NULL;
}

static int lw_offset4(const char *w, u32 size, u32 *off)
{
	if (kstrtou32(w, 10, off))
		return -EINVAL;
	return *off + sizeof(u32) <= size && IS_ALIGNED(*off, sizeof(u32)) ?
	       0 : -ERANGE;
}

/* A u32-aligned offset checked later, or "-": LW_NO_OFF. */
static int lw_offset_or_none(const char *w, u32 *off)
{
	if (!strcmp(w, "-")) {
		*off = LW_NO_OFF;
		return 0;
	}
	if (kstrtou32(w, 10, off) || *off >= LW_STRUCT_MAX)
		return -EINVAL;
	return IS_ALIGNED(*off, sizeof(u32)) ? 0 : -ERANGE;
}

static const char *lw_parse_wqflush(char **w, int n, struct lw_layouts *t)
{
	struct lw_wqflush_layout *f = &t->wqflush;

	if (n != 10)
		return "a wqflush line has 10 words: wqflush WQ_SIZE FIRST_OFF FLUSHER_SIZE COLOR_OFF DONE_OFF WORKER_COLOR_OFF TASK_KTHREAD_OFF KTHREAD_SIZE DATA_OFF";
	if (f->wq_size)
		return "two wqflush lines";
	if (kstrtou32(w[1], 10, &f->wq_size) || !f->wq_size ||
	    f->wq_size > LW_STRUCT_MAX ||
	    kstrtou32(w[3], 10, &f->flusher_size) || !f->flusher_size ||
	    f->flusher_size > LW_STRUCT_MAX ||
	    kstrtou32(w[8], 10, &f->kthread_size) || !f->kthread_size ||
	    f->kthread_size > LW_STRUCT_MAX)
		return "SIZE must be 1..65536";
	if (lw_offset(w[2], f->wq_size, &f->first_off) ||
	    lw_offset4(w[4], f->flusher_size, &f->flusher_color_off) ||
	    lw_offset(w[5], f->flusher_size, &f->flusher_done_off) ||
	    lw_offset_or_none(w[6], &f->worker_color_off) ||
	    lw_offset(w[7], sizeof(struct task_struct), &f->task_kthread_off) ||
	    lw_offset(w[9], f->kthread_size, &f->kthread_data_off))
		return "offsets must be aligned and inside the structure";
	if (f->first_off + sizeof(long) > f->wq_size ||
	    f->flusher_done_off + sizeof(struct completion) > f->flusher_size ||
	    lw_overlap(f->flusher_color_off, sizeof(u32), f->flusher_done_off,
		       sizeof(struct completion)) ||
	    f->task_kthread_off + sizeof(long) > sizeof(struct task_struct) ||
	    f->kthread_data_off + sizeof(long) > f->kthread_size)
		return "a field does not fit in SIZE";
	return NULL;
}

/* Parse a whole write into @t; on error say which line and why. */
static int lw_parse_layouts(char *text, struct lw_layouts *t)
{
	char *line, *w[13];
	const char *why = NULL;
	int lineno = 0, wqline = 0, n;
	bool clear = false, any = false;

	while ((line = strsep(&text, "\n"))) {
		lineno++;
		for (n = 0; n < ARRAY_SIZE(w);) {
			char *word = strsep(&line, " \t");

			if (!word)
				break;
			if (*word)
				w[n++] = word;
		}
		if (!n || w[0][0] == '#')
			continue;
		if (line) {
			why = "too many words";
		} else if (!strcmp(w[0], "lock")) {
			why = lw_parse_lock(w, n, t);
		} else if (!strcmp(w[0], "mount")) {
			why = lw_parse_mount(w, n, t);
		} else if (!strcmp(w[0], "worker")) {
			why = lw_parse_worker(w, n, t);
		} else if (!strcmp(w[0], "wqflush")) {
			why = lw_parse_wqflush(w, n, t);
			wqline = lineno;
		} else if (!strcmp(w[0], "clear") && n == 1) {
			clear = true;
			continue;
		} else {
			why = "a line starts with lock, mount, worker, wqflush or clear";
		}
		if (why)
			break;
		any = true;
	}
	if (!why && clear && any)
		why = "clear stands alone";
	if (!why && t->wqflush.wq_size &&
	    (!t->worker.size ||
	     (t->wqflush.worker_color_off != LW_NO_OFF &&
	      t->wqflush.worker_color_off + sizeof(u32) > t->worker.size) ||
	     t->wqflush.wq_size != t->worker.wq_size)) {
		lineno = wqline;
		why = "a wqflush line needs a worker line it fits";
	}
	if (!why && !clear && !any)
		why = "no layout given (write clear to remove them)";
	if (why) {
		pr_warn("layouts refused, line %d: %s\n", lineno, why);
		return -EINVAL;
	}
	return 0;
}

/*
 * Replace the layouts with those of @buf (@count bytes, NUL-terminated by
 * sysfs), all or nothing, once @check has tried a worker layout: 0, or
 * -EINVAL with the reason in the log (-ENOMEM when the trial cannot be
 * made). A trial the machine is too busy to judge takes the layouts, and
 * says so.
 */
int lw_layouts_set(const char *buf, size_t count, lw_layouts_check_fn check)
{
	const char *why = NULL;
	struct lw_layouts *t;
	char *text;
	int ret;

	if (!count || count > LW_LAYOUT_WRITE_MAX)
		return -EINVAL;
	text = kmemdup_nul(buf, count, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		kfree(text);
		return -ENOMEM;
	}
	ret = lw_parse_layouts(text, t);
	if (!ret && t->worker.size && check) {
		ret = check(t, &why);
		if (ret == -EINVAL)
			pr_warn("layouts refused: tried on the self-test's own flushes, %s\n",
				why);
		else if (ret == -EAGAIN)
			pr_warn("layouts: the worker layout is not tried: %s\n",
				why);
		else if (ret)
			pr_warn("layouts refused: the flushes to try the worker layout on cannot be made\n");
		if (ret == -EAGAIN)
			ret = 0;
	}
	if (!ret) {
		mutex_lock(&lw_layout_lock);
		lw_layouts = *t;
		mutex_unlock(&lw_layout_lock);
		pr_info("layouts: %d inode locks, %s, %s, %s\n", t->nlocks,
			t->mount.size ? "mounts" : "no mounts",
			t->worker.size ? "workers" : "no workers",
			t->wqflush.wq_size ? "workqueue flushes" :
			"no workqueue flushes");
	}
	kfree(t);
	kfree(text);
	return ret;
}

/*
 * The longest line of each kind, so that the whole table is known to fit
 * the page sysfs gives a show: names at their longest, numbers at ten
 * digits, the kind's name (at most "percpu_rwsem"), spaces and newline.
 */
#define LW_LOCK_LINE_MAX	(sizeof("lock ") + sizeof_field(struct lw_lock_layout, fs) + \
				 sizeof_field(struct lw_lock_layout, container) + \
				 sizeof_field(struct lw_lock_layout, inode_field) + \
				 sizeof_field(struct lw_lock_layout, lock_field) + \
				 sizeof_field(struct lw_lock_layout, role) + \
				 3 * 11 + sizeof("percpu_rwsem"))
#define LW_OTHER_LINES_MAX	(sizeof("lockwatch layouts ") + 11 + \
				 (sizeof("mount ") + 5 * 11) + \
				 (sizeof("worker ") + 11 * 11) + \
				 (sizeof("wqflush ") + 9 * 11))

/* The layouts held, in the format they are written in (into a page). */
ssize_t lw_layouts_print(char *buf)
{
	struct lw_layouts *t = kmalloc(sizeof(*t), GFP_KERNEL);
	int i, n = 0;

	BUILD_BUG_ON(LW_MAX_LAYOUTS * LW_LOCK_LINE_MAX + LW_OTHER_LINES_MAX >
		     PAGE_SIZE);
	if (!t)
		return -ENOMEM;
	lw_layouts_get(t);
	n += sysfs_emit_at(buf, n, "lockwatch layouts %d\n", LW_FORMAT_VERSION);
	for (i = 0; i < t->nlocks; i++) {
		const struct lw_lock_layout *l = &t->locks[i];

		n += sysfs_emit_at(buf, n, "lock %s %s %u %s %u %s %u %s %s\n",
				   l->fs, l->container, l->size, l->inode_field,
				   l->inode_off, l->lock_field, l->lock_off,
				   l->kind == LW_KIND_RWSEM ? "rwsem" : "mutex",
				   l->role);
	}
	if (t->mount.size)
		n += sysfs_emit_at(buf, n, "mount %u %u %u %u %u\n",
				   t->mount.size, t->mount.mnt_off,
				   t->mount.parent_off, t->mount.mountpoint_off,
				   t->mount.instance_off);
	if (t->worker.size) {
		const struct lw_worker_layout *k = &t->worker;

		n += sysfs_emit_at(buf, n,
				   "worker %u %u %u %u %u %u %u %u %u %u %u\n",
				   k->size, k->current_work_off,
				   k->current_func_off, k->current_pwq_off,
				   k->scheduled_off, k->task_off, k->pwq_size,
				   k->pwq_wq_off, k->wq_size, k->wq_name_off,
				   k->wq_name_len);
	}
	if (t->wqflush.wq_size) {
		const struct lw_wqflush_layout *f = &t->wqflush;

		n += sysfs_emit_at(buf, n, "wqflush %u %u %u %u %u ",
				   f->wq_size, f->first_off, f->flusher_size,
				   f->flusher_color_off, f->flusher_done_off);
		if (f->worker_color_off == LW_NO_OFF)
			n += sysfs_emit_at(buf, n, "-");
		else
			n += sysfs_emit_at(buf, n, "%u", f->worker_color_off);
		n += sysfs_emit_at(buf, n, " %u %u %u\n", f->task_kthread_off,
				   f->kthread_size, f->kthread_data_off);
	}
	kfree(t);
	return n;
}

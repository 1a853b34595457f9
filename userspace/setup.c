// SPDX-License-Identifier: GPL-2.0
/*
 * lockwatch setup: read the layouts of structures that no kernel header
 * describes from the running kernel's BTF (libbpf) and hand them to the
 * module through its sysfs file /sys/kernel/lockwatch/layouts (format:
 * module/layout.c), which kernel lockdown leaves writable.
 *
 * - the inode containers of file systems, and the locks in them that a
 *   person debugging a hang names: XFS's ILOCK (xfs_inode.i_lock), ext4's
 *   i_data_sem, ...; a file system module's BTF is
 *   /sys/kernel/btf/MODULE, split from vmlinux's, and exists once the
 *   module is loaded;
 * - struct mount (fs/mount.h), so that paths start at the mount point;
 * - struct worker (kernel/workqueue_internal.h), struct pool_workqueue
 *   and struct workqueue_struct (kernel/workqueue.c), so that a
 *   workqueue flush leads to the worker running the work it flushes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "setup.h"

struct lw_fs_lock {
	const char *field;
	const char *role;
};

/* What a person calls each lock; fields a kernel lacks are skipped. */
static const struct {
	const char *fs;			/* file system type = BTF module */
	const char *container;
	const char *inode_field;
	struct lw_fs_lock locks[4];
} lw_known[] = {
	{ "xfs", "xfs_inode", "i_vnode",
	  { { "i_lock", "ILOCK" }, { "i_mmaplock", "MMAPLOCK" } } },
	{ "ext4", "ext4_inode_info", "vfs_inode",
	  { { "i_data_sem", "i_data_sem" }, { "i_mmap_sem", "i_mmap_sem" },
	    { "xattr_sem", "xattr_sem" } } },
	{ NULL },
};

/* The struct named @name, or NULL. */
static const struct btf_type *lw_struct(const struct btf *btf, const char *name)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);

	return id < 0 ? NULL : btf__type_by_id(btf, id);
}

/*
 * The byte offset of member @name of @t and its type (past typedefs and
 * qualifiers), or -1.
 */
static long lw_member(const struct btf *btf, const struct btf_type *t,
		      const char *name, const struct btf_type **type)
{
	const struct btf_member *m = btf_members(t);
	int i;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), name))
			continue;
		if (btf_member_bit_offset(t, i) % 8)
			return -1;
		if (type)
			*type = btf__type_by_id(btf, btf__resolve_type(btf, m->type));
		return btf_member_bit_offset(t, i) / 8;
	}
	return -1;
}

/*
 * The lock's offset and kind ("rwsem", "mutex"): a rw_semaphore or mutex
 * itself, or an mrlock_t (XFS up to 6.1: an unnamed struct whose member
 * mr_lock is the rw_semaphore).
 */
static long lw_lock_member(const struct btf *btf, const struct btf_type *t,
			   const char *name, const char **kind)
{
	const struct btf_type *mt = NULL;
	long off = lw_member(btf, t, name, &mt), inner;
	const char *tn;

	if (off < 0 || !mt || !btf_is_struct(mt))
		return -1;
	tn = btf__name_by_offset(btf, mt->name_off);
	if (tn && !*tn) {
		inner = lw_member(btf, mt, "mr_lock", &mt);
		if (inner < 0 || !mt)
			return -1;
		off += inner;
		tn = btf__name_by_offset(btf, mt->name_off);
	}
	if (!tn)
		return -1;
	if (!strcmp(tn, "rw_semaphore"))
		*kind = "rwsem";
	else if (!strcmp(tn, "mutex"))
		*kind = "mutex";
	else
		return -1;
	return off;
}

static int lw_appendf(struct lw_layout_text *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out->text + out->len, sizeof(out->text) - out->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(out->text) - out->len)
		return -1;
	out->len += n;
	return 0;
}

/* The worker line: every field, or a comment saying what is missing. */
static void lw_worker_layout(const struct btf *btf, struct lw_layout_text *out)
{
	static const char * const fields[] = {
		"current_work", "current_func", "current_pwq", "scheduled", "task",
	};
	const struct btf_type *w = lw_struct(btf, "worker");
	const struct btf_type *pwq = lw_struct(btf, "pool_workqueue");
	const struct btf_type *wq = lw_struct(btf, "workqueue_struct");
	const struct btf_type *nt = NULL;
	long off[5], pwq_wq, name = -1;
	size_t i;

	for (i = 0; i < 5; i++)
		off[i] = w ? lw_member(btf, w, fields[i], NULL) : -1;
	pwq_wq = pwq ? lw_member(btf, pwq, "wq", NULL) : -1;
	if (wq)
		name = lw_member(btf, wq, "name", &nt);
	for (i = 0; i < 5 && off[i] >= 0; i++)
		;
	if (i < 5 || pwq_wq < 0 || name < 0 || !nt || !btf_is_array(nt)) {
		lw_appendf(out, "# no struct worker in BTF: a workqueue flush is not resolved to its worker\n");
		return;
	}
	lw_appendf(out, "worker %u %ld %ld %ld %ld %ld %u %ld %u %ld %u\n",
		   w->size, off[0], off[1], off[2], off[3], off[4], pwq->size,
		   pwq_wq, wq->size, name, btf_array(nt)->nelems);
	out->worker = 1;
}

/*
 * The wqflush line: where a workqueue keeps its first flusher, a struct
 * wq_flusher its colour and completion, a worker the colour of its work,
 * and how a kernel thread's task leads to its struct kthread and that to
 * its data (the worker): task_struct.worker_private from 5.17, before it
 * set_child_tid (kernel/kthread.c, to_kthread()). A worker records the
 * colour of its work from 5.15 only: before, "-".
 */
static void lw_wqflush_layout(const struct btf *btf, struct lw_layout_text *out)
{
	const struct btf_type *wq = lw_struct(btf, "workqueue_struct");
	const struct btf_type *fl = lw_struct(btf, "wq_flusher");
	const struct btf_type *w = lw_struct(btf, "worker");
	const struct btf_type *task = lw_struct(btf, "task_struct");
	const struct btf_type *kt = lw_struct(btf, "kthread");
	long first = wq ? lw_member(btf, wq, "first_flusher", NULL) : -1;
	long fcolor = fl ? lw_member(btf, fl, "flush_color", NULL) : -1;
	long done = fl ? lw_member(btf, fl, "done", NULL) : -1;
	long wcolor = w ? lw_member(btf, w, "current_color", NULL) : -1;
	long tk = task ? lw_member(btf, task, "worker_private", NULL) : -1;
	long data = kt ? lw_member(btf, kt, "data", NULL) : -1;

	if (task && tk < 0)
		tk = lw_member(btf, task, "set_child_tid", NULL);
	if (first < 0 || fcolor < 0 || done < 0 || tk < 0 || data < 0) {
		lw_appendf(out, "# no struct wq_flusher or kthread in BTF: a flush of a whole workqueue is not resolved to its workers\n");
		return;
	}
	if (wcolor < 0)
		lw_appendf(out, "wqflush %u %ld %u %ld %ld - %ld %u %ld\n",
			   wq->size, first, fl->size, fcolor, done, tk, kt->size,
			   data);
	else
		lw_appendf(out, "wqflush %u %ld %u %ld %ld %ld %ld %u %ld\n",
			   wq->size, first, fl->size, fcolor, done, wcolor, tk,
			   kt->size, data);
	out->wqflush = 1;
}

/* The lock lines of one file system, from its module's BTF or vmlinux's. */
static void lw_fs_layout(const char *dir, struct btf *vmlinux, int k,
			 struct lw_layout_text *out)
{
	char path[4096];
	struct btf *btf = vmlinux, *mod = NULL;
	const struct btf_type *t;
	const char *kind;
	long ioff, loff;
	int i, n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, lw_known[k].fs);
	if (access(path, R_OK) == 0) {
		mod = btf__parse_split(path, vmlinux);
		if (!mod) {
			lw_appendf(out, "# %s: cannot read %s\n", lw_known[k].fs, path);
			return;
		}
		btf = mod;
	}
	t = lw_struct(btf, lw_known[k].container);
	ioff = t ? lw_member(btf, t, lw_known[k].inode_field, NULL) : -1;
	if (ioff < 0) {
		lw_appendf(out, "# %s: no struct %s in %s (not loaded, or a kernel without module BTF)\n",
			   lw_known[k].fs, lw_known[k].container,
			   mod ? path : "vmlinux's BTF");
		btf__free(mod);
		return;
	}
	for (i = 0; i < 4 && lw_known[k].locks[i].field; i++) {
		loff = lw_lock_member(btf, t, lw_known[k].locks[i].field, &kind);
		if (loff < 0)
			continue;
		lw_appendf(out, "lock %s %s %u %s %ld %s %ld %s %s\n",
			   lw_known[k].fs, lw_known[k].container, t->size,
			   lw_known[k].inode_field, ioff, lw_known[k].locks[i].field,
			   loff, kind, lw_known[k].locks[i].role);
		n++;
	}
	out->nlocks += n;
	btf__free(mod);
}

int lw_setup_layouts(const char *dir, struct lw_layout_text *out, char *msg,
		     size_t len)
{
	char path[4096];
	struct btf *vmlinux;
	const struct btf_type *t;
	long mnt, parent, mp, inst;
	int k;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	vmlinux = btf__parse(path, NULL);
	if (!vmlinux) {
		snprintf(msg, len, "cannot read the kernel's BTF %s: %s", path,
			 strerror(errno));
		return -1;
	}
	t = lw_struct(vmlinux, "mount");
	mnt = t ? lw_member(vmlinux, t, "mnt", NULL) : -1;
	parent = t ? lw_member(vmlinux, t, "mnt_parent", NULL) : -1;
	mp = t ? lw_member(vmlinux, t, "mnt_mountpoint", NULL) : -1;
	inst = t ? lw_member(vmlinux, t, "mnt_instance", NULL) : -1;
	/* Where sb->s_mounts is a plain pointer (7.x), the next link. */
	if (t && inst < 0)
		inst = lw_member(vmlinux, t, "mnt_next_for_sb", NULL);
	if (mnt >= 0 && parent >= 0 && mp >= 0 && inst >= 0) {
		lw_appendf(out, "mount %u %ld %ld %ld %ld\n", t->size, mnt, parent,
			   mp, inst);
		out->mount = 1;
	} else {
		lw_appendf(out, "# no struct mount in BTF: paths start at the file system's root\n");
	}
	lw_worker_layout(vmlinux, out);
	lw_wqflush_layout(vmlinux, out);
	for (k = 0; lw_known[k].fs; k++)
		lw_fs_layout(dir, vmlinux, k, out);
	btf__free(vmlinux);
	return 0;
}

int lw_setup_apply(const char *btf, const char *dir, struct lw_layout_text *t,
		   char *msg, size_t len)
{
	char path[4096];
	ssize_t n;
	int fd, err;

	if (lw_setup_layouts(btf, t, msg, len))
		return -1;
	if (!t->nlocks && !t->mount && !t->worker && !t->wqflush) {
		snprintf(msg, len, "no layout to hand over in the BTF of %s", btf);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/layouts", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		err = errno;
		snprintf(msg, len, "cannot open %s: %s%s", path, strerror(err),
			 err == EACCES ? " (run as root)" : "");
		return -err;
	}
	n = write(fd, t->text, t->len);
	err = n < 0 ? errno : EIO;
	close(fd);
	if (n != (ssize_t)t->len) {
		if (n < 0 && err == EINVAL)
			snprintf(msg, len, "the module refused the layouts; the kernel log says why");
		else
			snprintf(msg, len, "cannot write %s: %s", path,
				 n < 0 ? strerror(err) : "short write");
		return -err;
	}
	snprintf(msg, len, "handed to the module: %d inode lock %s%s%s%s",
		 t->nlocks, t->nlocks == 1 ? "layout" : "layouts",
		 t->mount ? ", the mount layout" : "",
		 t->worker ? ", the worker layout" : "",
		 t->wqflush ? ", the workqueue flush layout" : "");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Naming a lock the way a person debugging it would: the symbol of a
 * global lock, or the role of a lock inside an inode, its page cache
 * mapping or a superblock, with the file system, device, inode number and
 * path. Every object is read with nofault accessors and checked through
 * its own back pointers before it is trusted; nothing is locked or
 * referenced.
 */
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/kdev_t.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>

#include "compat.h"
#include "lockwatch.h"

#define LW_PATH_DEPTH	32
#define LW_FSTYPE_LEN	32

/*
 * "lw_mutex_a+0x0/0x20 [mod]" -> "lw_mutex_a [mod]": the size printed for
 * module data is bogus, and a zero offset says nothing.
 */
static bool lw_name_symbol(unsigned long addr, char *buf, size_t len)
{
	char sym[KSYM_SYMBOL_LEN];
	char *slash, *end;

	sprint_symbol(sym, addr);
	if (!strncmp(sym, "0x", 2))
		return false;
	slash = strchr(sym, '/');
	if (slash) {
		end = strchr(slash, ' ');
		memmove(slash, end ? end : slash + strlen(slash),
			end ? strlen(end) + 1 : 1);
	}
	end = strstr(sym, "+0x0");
	if (end && (end[4] == '\0' || end[4] == ' '))
		memmove(end, end + 4, strlen(end + 4) + 1);
	strscpy(buf, sym, len);
	return true;
}

void lw_name_text(unsigned long addr, char *buf, size_t len)
{
	char sym[KSYM_SYMBOL_LEN];

	sprint_symbol(sym, addr);
	strscpy(buf, sym, len);
}

struct lw_sb_info {
	char fstype[LW_FSTYPE_LEN];
	dev_t dev;
};

/* A superblock is trusted when its root dentry points back at it. */
static bool lw_check_sb(struct lw_scan *s, unsigned long sb,
			struct lw_sb_info *si)
{
	struct super_block *p = (struct super_block *)sb;
	unsigned long root, rsb, type, name;
	int i;

	if (!lw_kernel_ptr(sb) ||
	    lw_read(&root, (unsigned long)&p->s_root, sizeof(root), s) ||
	    !lw_kernel_ptr(root) ||
	    lw_read(&rsb, root + offsetof(struct dentry, d_sb), sizeof(rsb), s) ||
	    rsb != sb ||
	    lw_read(&type, (unsigned long)&p->s_type, sizeof(type), s) ||
	    !lw_kernel_ptr(type) ||
	    lw_read(&name, type + offsetof(struct file_system_type, name),
		    sizeof(name), s) ||
	    name < PAGE_OFFSET ||
	    lw_read(&si->dev, (unsigned long)&p->s_dev, sizeof(si->dev), s))
		return false;
	for (i = 0; i < LW_FSTYPE_LEN - 1; i++) {
		if (lw_read(&si->fstype[i], name + i, 1, s))
			return false;
		if (!si->fstype[i])
			break;
	}
	si->fstype[i] = '\0';
	return i > 0;
}

/* An inode is trusted when its own page cache mapping names it as host. */
static bool lw_check_inode(struct lw_scan *s, unsigned long inode,
			   struct lw_sb_info *si, unsigned long *ino)
{
	struct inode *p = (struct inode *)inode;
	unsigned long host, sb;

	if (!lw_kernel_ptr(inode) ||
	    lw_read(&host, (unsigned long)&p->i_data.host, sizeof(host), s) ||
	    host != inode ||
	    lw_read(&sb, (unsigned long)&p->i_sb, sizeof(sb), s) ||
	    lw_read(ino, (unsigned long)&p->i_ino, sizeof(*ino), s))
		return false;
	return lw_check_sb(s, sb, si);
}

/*
 * The path of @inode from its file system's root, through its first
 * dentry alias and the d_parent links. Racy by nature (a rename may be
 * under way): every dentry must still belong to the chain read.
 */
static void lw_inode_path(struct lw_scan *s, unsigned long inode, char *buf,
			  size_t len)
{
	unsigned long chain[LW_PATH_DEPTH];
	unsigned long first, d, parent, dinode, name;
	unsigned int depth = 0, nlen;
	size_t pos = 0;
	int i;

	buf[0] = '\0';
	if (lw_read(&first, inode + offsetof(struct inode, i_dentry.first),
		    sizeof(first), s) || !lw_kernel_ptr(first))
		return;
	d = first - offsetof(struct dentry, LW_DENTRY_ALIAS);
	if (lw_read(&dinode, d + offsetof(struct dentry, d_inode),
		    sizeof(dinode), s) || dinode != inode)
		return;
	for (;;) {
		if (lw_read(&parent, d + offsetof(struct dentry, d_parent),
			    sizeof(parent), s) || !lw_kernel_ptr(parent))
			return;
		if (parent == d)
			break;
		if (depth == LW_PATH_DEPTH) {
			/* Too deep: show the innermost part. */
			pos = strscpy(buf, "...", len);
			break;
		}
		chain[depth++] = d;
		d = parent;
	}
	if (!depth) {
		strscpy(buf, "/", len);
		return;
	}
	for (i = depth - 1; i >= 0; i--) {
		if (lw_read(&nlen, chain[i] + offsetof(struct dentry, d_name.len),
			    sizeof(nlen), s) ||
		    lw_read(&name, chain[i] + offsetof(struct dentry, d_name.name),
			    sizeof(name), s) || name < PAGE_OFFSET)
			goto fail;
		if (pos + 1 + nlen + 1 > len)
			goto fail;
		buf[pos++] = '/';
		if (lw_read(buf + pos, name, nlen, s))
			goto fail;
		pos += nlen;
		buf[pos] = '\0';
		if (strnlen(buf + pos - nlen, nlen) != nlen)
			goto fail;
	}
	return;
fail:
	buf[0] = '\0';
}

static bool lw_name_inode_lock(struct lw_scan *s, const char *role,
			       unsigned long inode, char *buf, size_t len)
{
	struct lw_sb_info si;
	unsigned long ino;
	char path[LW_NAME_LEN];

	if (!lw_check_inode(s, inode, &si, &ino))
		return false;
	lw_inode_path(s, inode, path, sizeof(path));
	snprintf(buf, len, "%s of inode %lu (%s %u:%u) %s", role, ino,
		 si.fstype, MAJOR(si.dev), MINOR(si.dev),
		 path[0] ? path : "(no name)");
	return true;
}

static bool lw_name_rwsem(struct lw_scan *s, unsigned long addr, char *buf,
			  size_t len)
{
	unsigned long data = offsetof(struct inode, i_data);
	struct lw_sb_info si;

	if (lw_name_inode_lock(s, "i_rwsem",
			       addr - offsetof(struct inode, i_rwsem), buf, len))
		return true;
#ifdef LW_HAVE_INVALIDATE_LOCK
	if (lw_name_inode_lock(s, "invalidate_lock",
			       addr - data -
			       offsetof(struct address_space, invalidate_lock),
			       buf, len))
		return true;
#endif
	if (lw_name_inode_lock(s, "i_mmap_rwsem",
			       addr - data -
			       offsetof(struct address_space, i_mmap_rwsem),
			       buf, len))
		return true;
	if (lw_check_sb(s, addr - offsetof(struct super_block, s_umount),
			&si)) {
		snprintf(buf, len, "s_umount of %s %u:%u", si.fstype,
			 MAJOR(si.dev), MINOR(si.dev));
		return true;
	}
	return false;
}

/* A lock on the stack of a task this scan saw. */
static bool lw_name_on_stack(struct lw_scan *s, const struct lw_lock *l,
			     char *buf, size_t len)
{
	unsigned long base;
	int i;

	for (i = 0; i < s->ntasks; i++) {
		const struct lw_task *bt = &s->tasks[i];

		/* The scan dropped its references: read nofault. */
		if (lw_read(&base, (unsigned long)&bt->task->stack,
			    sizeof(base), s))
			continue;
		if (base && l->addr >= base && l->addr < base + THREAD_SIZE) {
			snprintf(buf, len, "%s on the stack of %d %s",
				 lw_kind_name(l->kind), bt->pid, bt->comm);
			return true;
		}
	}
	return false;
}

void lw_name_lock(struct lw_scan *s, const struct lw_lock *l, char *buf,
		  size_t len)
{
	if (lw_name_symbol(l->addr, buf, len))
		return;
	if (l->kind == LW_KIND_RWSEM && lw_name_rwsem(s, l->addr, buf, len))
		return;
	if (lw_name_on_stack(s, l, buf, len))
		return;
	snprintf(buf, len, "anonymous %s", lw_kind_name(l->kind));
}

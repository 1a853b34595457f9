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
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/kdev_t.h>
#include <linux/kernfs.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/rcupdate.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>

#include "compat.h"
#include "lib/lib.h"
#include "naming.h"

#define LW_PATH_DEPTH	32
#define LW_FSTYPE_LEN	32
#define LW_MNT_LINKS	16
#define LW_MNT_DELTA_MAX 1024L

/*
 * Where a mount's link among its superblock's mounts (sb->s_mounts) lies
 * from its struct vfsmount, measured at load (lw_naming_init()); valid
 * when lw_mnt_delta_ok.
 */
static long lw_mnt_delta;
static bool lw_mnt_delta_ok;

/* Modules walked, and a module's symbols read, at most. */
#define LW_MODULES_MAX	4096
#define LW_MODSYMS_MAX	(1U << 20)
#define LW_MODSYMS_READ	16

/*
 * Of a module's symbols at @addr, the one that names the object there:
 * kallsyms names an address by the first symbol it finds there, and in
 * a module that can be a zero-size one, such as the lockdep key of a
 * mutex_init() ("__key.0", empty without lockdep) placed at the address
 * of the global lock after it. The module is found by name (@mod, as
 * kallsyms gave it) on the module list, which this module is on, under
 * RCU as kallsyms walks it; its symbol table is read with nofault
 * reads. The symbol with a size is chosen, the one with the fewest
 * leading underscores among several (kallsyms' own rule for the
 * kernel's). False when nothing better than kallsyms' name is found.
 */
static noinline_for_stack bool lw_module_symbol(unsigned long addr,
						const char *mod, char *buf,
						size_t len)
{
#ifdef LW_HAVE_MODULE_KALLSYMS
	struct list_head *node = &THIS_MODULE->list;
	struct mod_kallsyms *ks, k;
	Elf_Sym syms[LW_MODSYMS_READ];
	char name[MODULE_NAME_LEN];
	unsigned int i, j, n, under = UINT_MAX;
	int hops;

	rcu_read_lock();
	for (hops = 0; hops < LW_MODULES_MAX; hops++) {
		struct module *m = list_entry(node, struct module, list);

		if (!copy_from_kernel_nofault(name, m->name, sizeof(name)) &&
		    !strncmp(name, mod, sizeof(name)))
			break;
		/* The list's head is no module: its "name" is not @mod. */
		if (copy_from_kernel_nofault(&node, &node->next, sizeof(node)) ||
		    !lw_kernel_ptr((unsigned long)node) ||
		    node == &THIS_MODULE->list)
			goto out;
	}
	if (hops == LW_MODULES_MAX ||
	    copy_from_kernel_nofault(&ks, &list_entry(node, struct module,
						       list)->kallsyms,
				     sizeof(ks)) ||
	    !lw_kernel_ptr((unsigned long)ks) ||
	    copy_from_kernel_nofault(&k, ks, sizeof(k)) ||
	    k.num_symtab > LW_MODSYMS_MAX)
		goto out;
	for (i = 0; i < k.num_symtab; i += n) {
		n = min_t(unsigned int, k.num_symtab - i, LW_MODSYMS_READ);
		if (copy_from_kernel_nofault(syms, k.symtab + i,
					     n * sizeof(*syms)))
			break;
		for (j = 0; j < n; j++) {
			const char *str = k.strtab + syms[j].st_name;

			/* "$d", "$x": arm64's mapping symbols, no names. */
			if (syms[j].st_value != addr || !syms[j].st_size ||
			    lw_read_str(name, str, sizeof(name)) == -EFAULT ||
			    !name[0] || name[0] == '$' ||
			    strspn(name, "_") >= under)
				continue;
			if (lw_read_str(buf, str, len) <= 0) {
				under = UINT_MAX;
				goto out;
			}
			under = strspn(name, "_");
		}
	}
out:
	rcu_read_unlock();
	return under != UINT_MAX;
#else
	return false;
#endif
}

/*
 * "lw_mutex_a+0x0/0x20 [mod]" -> "lw_mutex_a [mod]": the size printed for
 * module data is bogus, and a zero offset says nothing. The start of a
 * module's object is named by the symbol of that object.
 */
bool lw_name_symbol(unsigned long addr, char *buf, size_t len)
{
	char sym[KSYM_SYMBOL_LEN], real[KSYM_NAME_LEN];
	char *slash, *end, *mod;

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
	if (end && (end[4] == '\0' || end[4] == ' ')) {
		memmove(end, end + 4, strlen(end + 4) + 1);
		mod = strstr(sym, " [");
		end = mod ? strchr(mod, ']') : NULL;
		if (end && !end[1]) {
			*end = '\0';
			if (lw_module_symbol(addr, mod + 2, real, sizeof(real))) {
				snprintf(buf, len, "%s [%s]", real, mod + 2);
				return true;
			}
			*end = ']';
		}
	}
	strscpy(buf, sym, len);
	return true;
}

/* Where a task sleeps (lw_wait_site()): its function, or why none. */
void lw_name_site(unsigned long site, char *buf, size_t len)
{
	if (site == LW_SITE_NO_STACK)
		strscpy(buf, "(stack not readable)", len);
	else if (site == LW_SITE_NO_CALLER || !lw_name_symbol(site, buf, len))
		strscpy(buf, "(no caller of the scheduler on its stack)", len);
}

/*
 * A lock in a module's data where kallsyms names no data: "anonymous
 * mutex in the data of MOD", the module being the one kallsyms finds the
 * address in.
 */
bool lw_name_module_data(const struct lw_lock *l, const char *kind, char *buf,
			 size_t len)
{
	char sym[KSYM_SYMBOL_LEN];
	char *mod, *end;

	sprint_symbol(sym, l->addr);
	mod = strchr(sym, '[');
	end = mod ? strchr(mod, ']') : NULL;
	if (!end)
		return false;
	*end = '\0';
	snprintf(buf, len, "anonymous %s in the data of %s", kind, mod + 1);
	return true;
}

/*
 * "fn+0xoff/0xsize [mod]" of return address @ret, as the kernel's own
 * backtraces print it (%pB): the symbol of the byte before it, since a
 * call that ends a function (to a noreturn callee) returns to the start
 * of the next one; the offset is the return address's. Without a
 * symbol, the address itself.
 */
static void lw_sprint_return(char *sym, unsigned long ret)
{
	char rest[KSYM_SYMBOL_LEN];
	unsigned long off;
	char *plus, *slash;

	sprint_symbol(sym, ret - 1);
	plus = strchr(sym, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (slash) {
		strscpy(rest, slash, sizeof(rest));
		*slash = '\0';
	}
	if (!slash || kstrtoul(plus + 1, 16, &off)) {
		sprint_symbol(sym, ret);
		return;
	}
	snprintf(plus, KSYM_SYMBOL_LEN - (plus - sym), "+%#lx%s", off + 1,
		 rest);
}

/*
 * The name of a return address. The same frames recur on the stacks of
 * every report, and a symbol lookup (a linear search through a module's
 * symbols) costs far more than a copy: names are kept while no module
 * comes or goes (lw_text_gen()).
 */
void lw_name_text(struct lw_scan *s, unsigned long addr, char *buf,
		  size_t len)
{
	struct lw_sym *c = &s->syms[hash_long(addr, LW_SYM_CACHE_BITS)];
	char sym[KSYM_SYMBOL_LEN];

	if (addr && c->addr == addr && c->gen == lw_text_gen()) {
		strscpy(buf, c->name, len);
		return;
	}
	lw_sprint_return(sym, addr);
	strscpy(buf, sym, len);
	c->gen = lw_text_gen();
	if (strscpy(c->name, sym, sizeof(c->name)) > 0)
		c->addr = addr;
	else
		c->addr = 0;
}

struct lw_sb_info {
	char fstype[LW_FSTYPE_LEN];
	dev_t dev;
	unsigned long sb;
	unsigned long root;		/* its root dentry */
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
	si->sb = sb;
	si->root = root;
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
 * The path of dentry @d from its file system's root, through the
 * d_parent links; *top receives the root reached. Racy by nature (a
 * rename may be under way): every dentry must still belong to the chain
 * read.
 */
static void lw_dentry_path(struct lw_scan *s, unsigned long d, char *buf,
			   size_t len, unsigned long *top)
{
	unsigned long chain[LW_PATH_DEPTH];
	unsigned long parent, name;
	unsigned int depth = 0, nlen;
	size_t pos = 0;
	int i;

	buf[0] = '\0';
	*top = 0;
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
	*top = d;
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
	*top = 0;
}

/* The path of @inode in its file system, through its first dentry alias. */
static void lw_inode_path(struct lw_scan *s, unsigned long inode, char *buf,
			  size_t len, unsigned long *top)
{
	unsigned long first, d, dinode;

	buf[0] = '\0';
	*top = 0;
	if (lw_read(&first, inode + offsetof(struct inode, i_dentry.first),
		    sizeof(first), s) || !lw_kernel_ptr(first))
		return;
	d = first - offsetof(struct dentry, LW_DENTRY_ALIAS);
	if (lw_read(&dinode, d + offsetof(struct dentry, d_inode),
		    sizeof(dinode), s) || dinode != inode)
		return;
	lw_dentry_path(s, d, buf, len, top);
}

/*
 * Without struct mount's layout: d_path() of the superblock's first
 * mount, found at the distance measured at load and checked against the
 * superblock and its root. RCU keeps a mount that is unlinked meanwhile
 * from being freed; d_path() itself takes no lock a sleeping task holds.
 */
static bool lw_mount_point_kernel(struct lw_scan *s,
				  const struct lw_sb_info *si, char *buf,
				  size_t len)
{
	unsigned long head = si->sb + offsetof(struct super_block, s_mounts);
	unsigned long n, v, msb, mroot;
	struct path p;
	bool ok = false;
	char *r;

	if (!lw_mnt_delta_ok)
		return false;
	rcu_read_lock();
	if (lw_read(&n, head, sizeof(n), s) || !lw_kernel_ptr(n))
		goto out;
#ifndef LW_SB_MOUNTS_PTR
	if (n == head)
		goto out;
#endif
	v = n + lw_mnt_delta;
	if (lw_read(&msb, v + offsetof(struct vfsmount, mnt_sb), sizeof(msb),
		    s) || msb != si->sb ||
	    lw_read(&mroot, v + offsetof(struct vfsmount, mnt_root),
		    sizeof(mroot), s) || mroot != si->root)
		goto out;
	p.mnt = (struct vfsmount *)v;
	p.dentry = (struct dentry *)mroot;
	r = d_path(&p, s->nb.part, LW_NAME_LEN);
	if (IS_ERR(r) || r[0] != '/')
		goto out;
	strscpy(buf, strcmp(r, "/") ? r : "", len);
	ok = true;
out:
	rcu_read_unlock();
	return ok;
}

/* The distances from @v to the links among its superblock's mounts. */
static int lw_mnt_links(const struct vfsmount *v, long *delta)
{
	unsigned long head = (unsigned long)v->mnt_sb +
			     offsetof(struct super_block, s_mounts);
	unsigned long n;
	int i = 0;

	if (copy_from_kernel_nofault(&n, (void *)head, sizeof(n)))
		return 0;
#ifdef LW_SB_MOUNTS_PTR
	/* Only the first mount can be reached without the layout. */
	if (n)
		delta[i++] = (unsigned long)v - n;
#else
	while (n != head && i < LW_MNT_LINKS) {
		delta[i++] = (unsigned long)v - n;
		if (copy_from_kernel_nofault(&n, (void *)n, sizeof(n)))
			break;
	}
#endif
	return i;
}

/*
 * Measure where a mount's link among its superblock's mounts lies from
 * its struct vfsmount (fs/mount.h, in no header) on the mounts of a few
 * paths every system has: the true distance is among the distances of
 * each one's links, and only it recurs in more than one; a tie or a
 * single vote leaves paths inside their file system.
 */
void lw_naming_init(void)
{
	static const char *const paths[] = { "/", "/proc", "/sys", "/dev" };
	long cand[LW_MNT_LINKS * ARRAY_SIZE(paths)];
	int votes[ARRAY_SIZE(cand)] = { 0 }, ncand = 0, best = -1, tie = 0;
	long delta[LW_MNT_LINKS];
	struct path p;
	int i, j, k, n;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		if (kern_path(paths[i], LOOKUP_FOLLOW, &p))
			continue;
		n = lw_mnt_links(p.mnt, delta);
		path_put(&p);
		for (j = 0; j < n; j++) {
			if (delta[j] <= -LW_MNT_DELTA_MAX ||
			    delta[j] >= LW_MNT_DELTA_MAX ||
			    delta[j] % sizeof(long))
				continue;
			/* One vote per path for each distance. */
			for (k = 0; k < j && delta[k] != delta[j]; k++)
				;
			if (k < j)
				continue;
			for (k = 0; k < ncand && cand[k] != delta[j]; k++)
				;
			if (k == ncand)
				cand[ncand++] = delta[j];
			votes[k]++;
		}
	}
	for (k = 0; k < ncand; k++) {
		if (best < 0 || votes[k] > votes[best]) {
			best = k;
			tie = 0;
		} else if (votes[k] == votes[best]) {
			tie = 1;
		}
	}
	if (best >= 0 && votes[best] >= 2 && !tie) {
		lw_mnt_delta = cand[best];
		lw_mnt_delta_ok = true;
	}
}

/*
 * Where the file system of @si is mounted, e.g. "/mnt/xfs", from its
 * first mount (sb->s_mounts) up through the parents (of the mount
 * namespace that mount is in); "" for the root of
 * the namespace, false when it cannot be told (no mount layout, a mount
 * of a subdirectory, a chain that does not check out).
 */
static bool lw_mount_point(struct lw_scan *s, const struct lw_sb_info *si,
			   char *buf, size_t len)
{
	const struct lw_mount_layout *ml = &s->layouts.mount;
	unsigned long head = si->sb + offsetof(struct super_block, s_mounts);
	unsigned long m, parent, mp, msb, mroot, top, want_sb = si->sb;
	unsigned long want_root = si->root;
	char *part = s->nb.part, *rest = s->nb.rest;
	int depth;

	buf[0] = '\0';
	if (!ml->size)
		return lw_mount_point_kernel(s, si, buf, len);
	if (lw_read(&m, head, sizeof(m), s) || !lw_kernel_ptr(m))
		return false;
#ifndef LW_SB_MOUNTS_PTR
	if (m == head)
		return false;
	m -= ml->instance_off;
#endif
	for (depth = 0; depth < 8; depth++) {
		/* This mount must be of the expected file system and root. */
		if (lw_read(&msb, m + ml->mnt_off + offsetof(struct vfsmount, mnt_sb),
			    sizeof(msb), s) || msb != want_sb ||
		    lw_read(&mroot, m + ml->mnt_off + offsetof(struct vfsmount, mnt_root),
			    sizeof(mroot), s) || mroot != want_root ||
		    lw_read(&parent, m + ml->parent_off, sizeof(parent), s) ||
		    !lw_kernel_ptr(parent))
			return false;
		if (parent == m)
			return true;
		if (lw_read(&mp, m + ml->mountpoint_off, sizeof(mp), s) ||
		    !lw_kernel_ptr(mp))
			return false;
		lw_dentry_path(s, mp, part, LW_NAME_LEN, &top);
		if (!top || lw_read(&want_sb, top + offsetof(struct dentry, d_sb),
				    sizeof(want_sb), s))
			return false;
		if (strcmp(part, "/")) {
			strscpy(rest, buf, LW_NAME_LEN);
			if ((size_t)snprintf(buf, len, "%s%s", part, rest) >= len)
				return false;
		}
		want_root = top;
		m = parent;
	}
	return false;
}

/*
 * A superblock, checked: "xfs 254:0", with where it is mounted when
 * @mount and that can be told ("xfs 254:0 /mnt/xfs"). With no @buf, only
 * the check.
 */
bool lw_name_sb(struct lw_scan *s, unsigned long sb, bool mount, char *buf,
		size_t len)
{
	struct lw_sb_info si;
	char *mnt = s->nb.mnt;

	if (!lw_check_sb(s, sb, &si))
		return false;
	if (!buf)
		return true;
	if (!mount || !lw_mount_point(s, &si, mnt, LW_NAME_LEN))
		snprintf(buf, len, "%s %u:%u", si.fstype, MAJOR(si.dev),
			 MINOR(si.dev));
	else
		snprintf(buf, len, "%s %u:%u %s", si.fstype, MAJOR(si.dev),
			 MINOR(si.dev), mnt[0] ? mnt : "/");
	return true;
}

/* A name cut short ends in "...". */
static void lw_mark_cut(char *buf, size_t len, int n)
{
	if (n >= 0 && (size_t)n >= len && len > 4)
		strscpy(buf + len - 4, "...", 4);
}

/* "(xfs 254:16) /mnt/xfs/js/fire.js" */
static void lw_inode_where(struct lw_scan *s, unsigned long inode,
			   const struct lw_sb_info *si, char *buf, size_t len)
{
	char *path = s->nb.path, *mnt = s->nb.mnt;
	const char *p = path;
	unsigned long top;

	mnt[0] = '\0';
	lw_inode_path(s, inode, path, LW_NAME_LEN, &top);
	if (!path[0]) {
		p = "(no name)";
	} else if (top == si->root) {
		if (!lw_mount_point(s, si, mnt, LW_NAME_LEN))
			mnt[0] = '\0';
		else if (mnt[0] && !strcmp(path, "/"))
			p = "";
	}
	lw_mark_cut(buf, len, snprintf(buf, len, "(%s %u:%u) %s%s", si->fstype,
					MAJOR(si->dev), MINOR(si->dev), mnt, p));
}

bool lw_name_inode_lock(struct lw_scan *s, const char *role,
			unsigned long inode, char *buf, size_t len)
{
	struct lw_sb_info si;
	unsigned long ino;

	if (!lw_check_inode(s, inode, &si, &ino))
		return false;
	lw_inode_where(s, inode, &si, s->nb.where, sizeof(s->nb.where));
	lw_mark_cut(buf, len, snprintf(buf, len, "%s of inode %lu %s", role,
					ino, s->nb.where));
	return true;
}

/*
 * A lock inside a file system's private inode container, from the
 * layouts lockwatch setup read from BTF: the inode it names must check
 * out and belong to that file system.
 */
bool lw_name_layout_lock(struct lw_scan *s, const struct lw_lock *l,
			 char *buf, size_t len)
{
	struct lw_sb_info si;
	unsigned long ino, inode;
	int i;

	for (i = 0; i < s->layouts.nlocks; i++) {
		const struct lw_lock_layout *ll = &s->layouts.locks[i];

		if (ll->kind != l->kind)
			continue;
		inode = l->addr - ll->lock_off + ll->inode_off;
		if (!lw_check_inode(s, inode, &si, &ino) || strcmp(si.fstype, ll->fs))
			continue;
		snprintf(s->nb.role, LW_NAME_LEN, "%s %s (%s.%s)", ll->fs,
			 ll->role, ll->container, ll->lock_field);
		return lw_name_inode_lock(s, s->nb.role, inode, buf, len);
	}
	return false;
}

/*
 * Without a layout: a lock near an inode, in the same allocation as far
 * as one can tell, is taken to live in that file system's inode
 * container. The nearest inode within LW_PROBE_WINDOW bytes that points
 * at itself (i_data.host) and checks out is named, with the offset of the
 * lock from it, so the name shows its evidence. s->stack is free once the
 * scan is done and holds the window.
 */
#define LW_PROBE_WINDOW	2048

bool lw_name_near_inode(struct lw_scan *s, const struct lw_lock *l,
			char *buf, size_t len)
{
	unsigned long host_off = offsetof(struct inode, i_data.host);
	unsigned long lo = ALIGN_DOWN(l->addr, sizeof(long)) - LW_PROBE_WINDOW;
	unsigned long hi = lo + 2 * LW_PROBE_WINDOW;
	unsigned long *w = s->stack;
	unsigned long a, next, inode, best = 0, bestd = ULONG_MAX, d;
	unsigned int i;
	struct lw_sb_info si;
	unsigned long ino;
	long delta;

	BUILD_BUG_ON(2 * LW_PROBE_WINDOW > THREAD_SIZE);
	for (a = lo; a < hi; a = next) {
		next = min(hi, ALIGN_DOWN(a, PAGE_SIZE) + PAGE_SIZE);
		if (lw_read(w + (a - lo) / sizeof(long), a, next - a, s))
			memset(w + (a - lo) / sizeof(long), 0, next - a);
	}
	for (i = 0; i < 2 * LW_PROBE_WINDOW / sizeof(long); i++) {
		inode = lo + i * sizeof(long) - host_off;
		if (w[i] != inode)
			continue;
		if (l->addr >= inode && l->addr < inode + sizeof(struct inode))
			continue;
		d = l->addr > inode ? l->addr - inode : inode - l->addr;
		if (d < bestd) {
			bestd = d;
			best = inode;
		}
	}
	if (!best || !lw_check_inode(s, best, &si, &ino))
		return false;
	delta = (long)(l->addr - best);
	snprintf(s->nb.role, LW_NAME_LEN, "%s private lock (VFS inode %c0x%lx)",
		 si.fstype, delta < 0 ? '-' : '+', delta < 0 ? -delta : delta);
	return lw_name_inode_lock(s, s->nb.role, best, buf, len);
}

/*
 * The mmap_lock of a process: the mm_struct around it must be the ->mm
 * of a live task, its owner (CONFIG_MEMCG keeps one) or a task of this
 * scan, never trusted from the offset alone. "mmap_lock of 1234 java".
 */
bool lw_name_mmap_lock(struct lw_scan *s, unsigned long addr, char *buf,
		       size_t len)
{
	unsigned long mm = addr - offsetof(struct mm_struct, mmap_lock);
	unsigned long task = 0, tmm;
	char comm[TASK_COMM_LEN];
	pid_t pid;
	int i;

#ifdef CONFIG_MEMCG
	if (lw_read(&task, mm + offsetof(struct mm_struct, owner), sizeof(task),
		    s) || !lw_kernel_ptr(task) ||
	    lw_read(&tmm, task + offsetof(struct task_struct, mm), sizeof(tmm),
		    s) || tmm != mm)
		task = 0;
#endif
	for (i = 0; !task && i < s->ntasks; i++) {
		unsigned long t = (unsigned long)s->tasks[i].task;

		if (!lw_read(&tmm, t + offsetof(struct task_struct, mm),
			     sizeof(tmm), s) && tmm == mm)
			task = t;
	}
	if (!task ||
	    lw_read(&pid, task + offsetof(struct task_struct, tgid), sizeof(pid), s) ||
	    lw_read(comm, task + offsetof(struct task_struct, comm), sizeof(comm), s))
		return false;
	comm[sizeof(comm) - 1] = '\0';
	lw_printable(comm);
	snprintf(buf, len, "mmap_lock of %d %s", pid, comm);
	return true;
}

/* "s_umount of ext4 254:1": a lock of the super block at @sb. */
bool lw_name_sb_lock(struct lw_scan *s, const char *role, unsigned long sb,
		     char *buf, size_t len)
{
	struct lw_sb_info si;

	if (!lw_check_sb(s, sb, &si))
		return false;
	snprintf(buf, len, "%s of %s %u:%u", role, si.fstype, MAJOR(si.dev),
		 MINOR(si.dev));
	return true;
}

/*
 * A lock on the stack of a task this scan saw. With VMAP_STACK (Debian's
 * kernels) stacks are vmalloc'd: a lock anywhere else is on none, and
 * the scan is not made to compare thousands of heap locks with thousands
 * of stacks. Without it (a KASAN build), every stack is compared.
 */
bool lw_name_on_stack(struct lw_scan *s, const struct lw_lock *l,
		      const char *kind, char *buf, size_t len)
{
	unsigned long base;
	int i;

	if (IS_ENABLED(CONFIG_VMAP_STACK) && !is_vmalloc_addr((void *)l->addr))
		return false;
	for (i = 0; i < s->ntasks; i++) {
		const struct lw_task *bt = &s->tasks[i];

		base = bt->stack_base;
		if (base && l->addr >= base && l->addr < base + THREAD_SIZE) {
			snprintf(buf, len, "%s on the stack of %d %s", kind,
				 bt->pid, bt->comm);
			return true;
		}
	}
	return false;
}

/* Levels of a cgroup path named; deeper ones start with "...". */
#define LW_KERNFS_DEPTH		8
#define LW_KERNFS_NAME_MAX	64

/*
 * The path of kernfs node @kn below its root ("/x/y", "/" for the root;
 * a cgroup's path in its hierarchy), read name by name. False when a
 * node or name cannot be read.
 */
bool lw_name_kernfs(struct lw_scan *s, unsigned long kn, char *buf,
		    size_t len)
{
	unsigned long nodes[LW_KERNFS_DEPTH], parent, name;
	char part[LW_KERNFS_NAME_MAX];
	int n = 0, i, j;
	size_t used = 0;

	for (;;) {
		if (!lw_kernel_ptr(kn) ||
		    lw_read(&parent, kn + offsetof(struct kernfs_node,
						   LW_KERNFS_PARENT),
			    sizeof(parent), s))
			return false;
		if (!parent || n == LW_KERNFS_DEPTH)
			break;
		nodes[n++] = kn;
		kn = parent;
	}
	buf[0] = '\0';
	if (parent)
		used = strscpy(buf, "/...", len) > 0 ? 4 : 0;
	for (i = n - 1; i >= 0; i--) {
		if (lw_read(&name, nodes[i] + offsetof(struct kernfs_node, name),
			    sizeof(name), s) || !lw_kernel_ptr(name))
			return false;
		for (j = 0; j < sizeof(part) - 1; j++) {
			if (lw_read(&part[j], name + j, 1, s))
				return false;
			if (!part[j])
				break;
		}
		part[j] = '\0';
		lw_printable(part);
		used += scnprintf(buf + used, len - used, "/%s", part);
	}
	if (!n)
		strscpy(buf, "/", len);
	return true;
}

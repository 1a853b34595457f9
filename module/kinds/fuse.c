// SPDX-License-Identifier: GPL-2.0
/*
 * A FUSE request: a task that asked a FUSE file system's daemon (bindfs,
 * sshfs, rclone, s3fs, lxcfs...) for an answer and waits for it in
 * request_wait_answer(). It sleeps interruptibly (S) until a signal,
 * killably (D) after one or for a request that must not be interrupted
 * (FLUSH at close). Asleep in S it is no stuck task of its own, but it
 * is often the owner others wait behind (it holds the file's i_rwsem or
 * the directory's lock meanwhile): the scan asks this kind about such
 * owners too (asleep), and the chain goes on to the daemon.
 *
 * Found: the task's stack returns into request_wait_answer() and holds
 * an on-stack wait_queue_entry (private: the task) linked in the waitq
 * of a struct fuse_req (fs/fuse/fuse_i.h, no header of its own).
 *
 * Proven: the queue's one node off every stack is a wait_queue_head led
 * by the request's headers (include/uapi/linux/fuse.h: fuse_req has its
 * flags, its struct fuse_in_header and struct fuse_out_header right
 * before waitq on every kernel) that read as a request (a known opcode,
 * a length that covers the header, an even unique id) not finished
 * (FR_FINISHED). Within the next words (after virtio-fs's argbuf), up to
 * 6.x the request's struct fuse_mount ({ fc, sb, ... }; 5.10: { fc,
 * count, sb, ... }), which its super block, of type "fuse" or
 * "fuseblk", points back at (s_fs_info); from
 * 7.x its struct fuse_chan ({ lock, conn, ... }), proven by the daemon's
 * device pointing at it, and its mount found on the waiting task's
 * stack (a mount, proven as above, of the channel's connection).
 *
 * Owner: the daemon, the process that holds the connection's device
 * (/dev/fuse, 10:229) open: the file whose struct fuse_dev names this
 * connection (fc, its first word, up to 6.x) or channel (chan, its
 * second word, from 7.x) (lib/files.c). Exact when one process holds
 * it; a hint when more do (the first is named). None found: no owner
 * (and from 7.x no proof: the wait stays under its site).
 *
 * Name: "GETXATTR request of fuse 0:45 /mnt/f"; its entry tells whether
 * the daemon has read the request (FR_SENT) or it is still queued.
 */
#include <linux/fs.h>
#include <linux/fuse.h>
#include <linux/kernel.h>
#include <linux/kdev_t.h>
#include <linux/miscdevice.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "lib/lib.h"
#include "naming/naming.h"
#include "ops.h"

/* enum fuse_req_flag (fs/fuse/fuse_i.h), the same from 5.10 on. */
#define LW_FR_SENT		8
#define LW_FR_FINISHED		9
/* The words after waitq that may hold its fuse_mount (argbuf, fm...). */
#define LW_FUSE_FM_WORDS	4
/* The largest opcode taken as one. */
#define LW_FUSE_OP_MAX		64

/* What precedes waitq in struct fuse_req. */
struct lw_fuse_head {
	unsigned long flags;
	struct fuse_in_header in;
	struct fuse_out_header out;
};

static const char * const lw_fuse_ops[] = {
	[FUSE_LOOKUP] = "LOOKUP", [FUSE_FORGET] = "FORGET",
	[FUSE_GETATTR] = "GETATTR", [FUSE_SETATTR] = "SETATTR",
	[FUSE_READLINK] = "READLINK", [FUSE_SYMLINK] = "SYMLINK",
	[FUSE_MKNOD] = "MKNOD", [FUSE_MKDIR] = "MKDIR",
	[FUSE_UNLINK] = "UNLINK", [FUSE_RMDIR] = "RMDIR",
	[FUSE_RENAME] = "RENAME", [FUSE_LINK] = "LINK", [FUSE_OPEN] = "OPEN",
	[FUSE_READ] = "READ", [FUSE_WRITE] = "WRITE", [FUSE_STATFS] = "STATFS",
	[FUSE_RELEASE] = "RELEASE", [FUSE_FSYNC] = "FSYNC",
	[FUSE_SETXATTR] = "SETXATTR", [FUSE_GETXATTR] = "GETXATTR",
	[FUSE_LISTXATTR] = "LISTXATTR", [FUSE_REMOVEXATTR] = "REMOVEXATTR",
	[FUSE_FLUSH] = "FLUSH", [FUSE_INIT] = "INIT",
	[FUSE_OPENDIR] = "OPENDIR", [FUSE_READDIR] = "READDIR",
	[FUSE_RELEASEDIR] = "RELEASEDIR", [FUSE_FSYNCDIR] = "FSYNCDIR",
	[FUSE_GETLK] = "GETLK", [FUSE_SETLK] = "SETLK",
	[FUSE_SETLKW] = "SETLKW", [FUSE_ACCESS] = "ACCESS",
	[FUSE_CREATE] = "CREATE", [FUSE_INTERRUPT] = "INTERRUPT",
	[FUSE_BMAP] = "BMAP", [FUSE_DESTROY] = "DESTROY",
	[FUSE_IOCTL] = "IOCTL", [FUSE_POLL] = "POLL",
	[FUSE_NOTIFY_REPLY] = "NOTIFY_REPLY",
	[FUSE_BATCH_FORGET] = "BATCH_FORGET", [FUSE_FALLOCATE] = "FALLOCATE",
	[FUSE_READDIRPLUS] = "READDIRPLUS", [FUSE_RENAME2] = "RENAME2",
	[FUSE_LSEEK] = "LSEEK", [FUSE_COPY_FILE_RANGE] = "COPY_FILE_RANGE",
};

static const char * const lw_fuse_fns[] = { "request_wait_answer" };
static struct lw_name_verdict lw_fuse_cache[1 << LW_NAME_CACHE_BITS];

/* The super block of the FUSE mount @fm, if its second or third word is. */
static unsigned long lw_fuse_mount_sb(struct lw_scan *s, unsigned long fm,
				      const unsigned long *w)
{
	unsigned long back;
	int k;

	/* { fc, sb, ... }; 5.10: { fc, count, sb, ... } */
	for (k = 1; k <= 2; k++)
		if (lw_kernel_ptr(w[k]) &&
		    !lw_read(&back, w[k] + offsetof(struct super_block,
						    s_fs_info),
			     sizeof(back), s) && back == fm)
			return w[k];
	return 0;
}

/*
 * Is @fm a struct fuse_mount (fs/fuse/fuse_i.h) of a FUSE file system:
 * its super block, of type "fuse" or "fuseblk", points back at it? Its
 * super block and connection (its first word) then.
 */
static bool lw_fuse_mount(struct lw_scan *s, unsigned long fm,
			  unsigned long *sb, unsigned long *fc)
{
	unsigned long w[3], type, name;
	char fs[8];

	if (!lw_kernel_ptr(fm) || lw_read(w, fm, sizeof(w), s) ||
	    !lw_kernel_ptr(w[0]))
		return false;
	*sb = lw_fuse_mount_sb(s, fm, w);
	if (!*sb ||
	    lw_read(&type, *sb + offsetof(struct super_block, s_type),
		    sizeof(type), s) || !lw_kernel_ptr(type) ||
	    lw_read(&name, type + offsetof(struct file_system_type, name),
		    sizeof(name), s) || lw_read(fs, name, sizeof(fs), s))
		return false;
	fs[sizeof(fs) - 1] = '\0';
	if (strcmp(fs, "fuse") && strcmp(fs, "fuseblk"))
		return false;
	*fc = w[0];
	return true;
}

/* A request as read: its headers and where it leads. */
struct lw_fuse_req {
	struct lw_fuse_head h;
	unsigned long sb;		/* its mount's super block, 0 unknown */
	unsigned long fc;		/* up to 6.x: its connection */
	unsigned long chan;		/* from 7.x: its channel */
	unsigned long daemon;		/* the holder of the device, 0 none */
	int ndaemons;
};

/* The daemon: the holder of a /dev/fuse naming the connection or channel. */
static void lw_fuse_daemon(struct lw_scan *s, struct lw_fuse_req *r)
{
	dev_t dev = MKDEV(MISC_MAJOR, FUSE_MINOR);

	if (r->fc)
		r->daemon = lw_device_holder(s, dev, 0, r->fc, &r->ndaemons);
	else
		r->daemon = lw_device_holder(s, dev, sizeof(long), r->chan,
					     &r->ndaemons);
}

/*
 * Is @wqh the waitq of an unfinished FUSE request, proven? What it
 * leads to then (@r).
 */
static bool lw_fuse_req(struct lw_scan *s, unsigned long wqh,
			struct lw_fuse_req *r)
{
	struct lw_fuse_head *h = &r->h;
	unsigned long w[LW_FUSE_FM_WORDS], ch[2];
	unsigned int i;

	memset(r, 0, sizeof(*r));
	if (lw_read(h, wqh - sizeof(*h), sizeof(*h), s) ||
	    !h->in.opcode || h->in.opcode > LW_FUSE_OP_MAX ||
	    h->in.len < sizeof(h->in) || !h->in.unique || (h->in.unique & 1) ||
	    (h->flags & BIT(LW_FR_FINISHED)) ||
	    lw_read(w, wqh + sizeof(struct wait_queue_head), sizeof(w), s))
		return false;
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		if (lw_fuse_mount(s, w[i], &r->sb, &r->fc)) {
			lw_fuse_daemon(s, r);
			return true;
		}
		/* A channel: an unlocked spinlock, then its connection. */
		if (!lw_kernel_ptr(w[i]) || lw_read(ch, w[i], sizeof(ch), s) ||
		    (ch[0] >> 32) || !lw_kernel_ptr(ch[1]))
			continue;
		r->chan = w[i];
		lw_fuse_daemon(s, r);
		if (r->daemon)
			return true;
		r->chan = 0;
	}
	return false;
}

/*
 * The super block of the request @r of a channel (7.x), from the waiting
 * task's stack as read (s->stack): a FUSE mount there of the channel's
 * connection; 0 if none.
 */
static unsigned long lw_fuse_stack_sb(struct lw_scan *s,
				      const struct lw_fuse_req *r)
{
	unsigned long conn, sb, fc;
	unsigned int i;

	if (lw_read(&conn, r->chan + sizeof(long), sizeof(conn), s))
		return 0;
	for (i = 0; i < s->stack_words; i++)
		if (lw_kernel_ptr(s->stack[i]) &&
		    lw_fuse_mount(s, s->stack[i], &sb, &fc) && fc == conn)
			return sb;
	return 0;
}

/* Is stack word @i (of @sp) the private field of @bt's wait for an answer? */
static int lw_try_fuse(struct lw_scan *s, struct lw_task *bt,
		       unsigned long sp, unsigned int i)
{
	struct lw_fuse_req r;
	unsigned long w, head, wqh;
	int err;

	head = lw_wq_entry_queue(s, sp, i, &w);
	if (!head)
		return -EINVAL;
	wqh = head - offsetof(struct wait_queue_head, head);
	if (!lw_fuse_req(s, wqh, &r))
		return -EINVAL;
	err = lw_claim_at(s, bt, wqh, &lw_fuse_kind, LW_MODE_NONE, w);
	if (!err && !s->locks[bt->lock].obj)
		s->locks[bt->lock].obj = lw_fuse_stack_sb(s, &r);
	return err;
}

static int lw_find_wait_fuse(struct lw_scan *s, struct lw_task *bt,
			     unsigned long sp)
{
	unsigned int i;

	if (!lw_frames_named(lw_fuse_cache, bt, lw_fuse_fns,
			     ARRAY_SIZE(lw_fuse_fns)))
		return -ENOENT;
	for (i = 0; i < s->stack_words; i++)
		if (s->stack[i] == (unsigned long)bt->task &&
		    !lw_try_fuse(s, bt, sp, i))
			return 0;
	return -ENOENT;
}

/* The request, unfinished, and the daemon that holds its connection. */
static int lw_decode_fuse(struct lw_scan *s, struct lw_lock *l)
{
	struct lw_fuse_req r;

	if (!lw_fuse_req(s, l->addr, &r))
		return -EAGAIN;
	l->obj = r.sb;
	l->op = r.h.in.opcode;
	l->sent = r.h.flags & BIT(LW_FR_SENT);
	if (r.daemon) {
		l->owner_ptr = r.daemon;
		l->conf = r.ndaemons == 1 ? LW_CONF_EXACT : LW_CONF_HINT;
	}
	return 0;
}

static const char *lw_fuse_op(u32 op)
{
	return op < ARRAY_SIZE(lw_fuse_ops) && lw_fuse_ops[op] ?
	       lw_fuse_ops[op] : NULL;
}

/* "GETXATTR request of fuse 0:45 /mnt/f" */
static bool lw_name_fuse(struct lw_scan *s, const struct lw_lock *l,
			 char *buf, size_t len)
{
	char *fs = s->nb.role, op[16];

	if (!l->obj || !lw_name_sb(s, l->obj, true, fs, LW_NAME_LEN))
		strscpy(fs, "a FUSE file system", LW_NAME_LEN);
	if (lw_fuse_op(l->op))
		strscpy(op, lw_fuse_op(l->op), sizeof(op));
	else
		snprintf(op, sizeof(op), "opcode %u", l->op);
	snprintf(buf, len, "%s request of %s", op, fs);
	return true;
}

static void lw_fuse_held(struct lw_scan *s, const struct lw_lock *l,
			 struct lw_buf *b)
{
	lw_printf(b, "  request: %s\n", l->sent ? "read by the daemon" :
		  "queued, not read by the daemon");
}

const struct lw_kind_ops lw_fuse_kind = {
	.id = LW_KIND_FUSE,
	.name = "fuse",
	.wait = "fuse",
	.asleep = true,
	.owner_verb = "to answer",
	.owner_role = "FUSE daemon",
	.task_off = LW_WQ_TASK_OFF,
	.queue = true,
	.find = lw_find_wait_fuse,
	.decode = lw_decode_fuse,
	.name_wait = lw_name_fuse,
	.held = lw_fuse_held,
};

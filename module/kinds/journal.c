// SPDX-License-Identifier: GPL-2.0
/*
 * The jbd2 journal (ext4, ocfs2): a task that wants a handle while the
 * running transaction is locked for commit, a task waiting for a commit
 * (fsync), and the commit thread waiting for the handles of the
 * transaction it commits to close.
 *
 * Found: the task sleeps in the journal (start_this_handle() and its
 * helpers, jbd2_log_wait_commit(), jbd2_journal_commit_transaction(),
 * jbd2_journal_wait_updates(), jbd2_journal_lock_updates()) with an
 * on-stack wait_queue_entry (DEFINE_WAIT, wait_event) linked in one of
 * the journal's wait queues (include/linux/jbd2.h): j_wait_transaction_locked
 * or j_wait_done_commit, waiting for the commit thread; j_wait_updates,
 * waiting for the running transaction's handles.
 *
 * Proven: the entry names the task, lies on its stack and is linked in a
 * queue whose one node off every stack is that field of a journal_t whose
 * commit thread (j_task) is a kernel thread and whose running or
 * committing transaction points back at it (t_journal).
 *
 * Owner: waiting for the commit thread, the commit thread (exact), unless
 * the journal's updates are locked (j_barrier_count), whose holder is not
 * recorded. Waiting for handles: the blocked tasks whose journal_info is a
 * handle of the running transaction (h_transaction); the one found is
 * exact when it holds the transaction's only handle, a hint when there
 * are more; none found, no owner.
 *
 * Name: the journal by its file system, then what is waited for: "jbd2
 * journal of ext4 254:16 /mnt/j (transaction 12 locked for commit)",
 * "(committing transaction 12, 1 handle open)"; the journal's device name
 * where its file system cannot be told.
 */
#include <linux/jbd2.h>
#include <linux/sched.h>
#include <linux/stddef.h>
#include <linux/wait.h>

#include "compat.h"
#include "lib/lib.h"
#include "naming/naming.h"
#include "ops.h"

/*
 * A journal's open handles are kept apart from its commit: their key is
 * the journal's address with the low bit set.
 */
#define LW_HANDLES_KEY		1UL

static struct lw_name_verdict lw_fn_cache[1 << LW_NAME_CACHE_BITS];
/* Where a journal wait sleeps, by its name of each kernel. */
static const char * const lw_journal_fns[] = {
	"start_this_handle", "wait_transaction_locked",
	"wait_transaction_switching", "add_transaction_credits",
	"jbd2__journal_start", "jbd2_journal_start", "jbd2__journal_restart",
	"jbd2_log_wait_commit", "jbd2_journal_commit_transaction",
	"jbd2_journal_wait_updates", "jbd2_journal_lock_updates",
};

#define LW_JQ(f)	(offsetof(journal_t, f) + \
			 offsetof(struct wait_queue_head, head))

/* The journal's wait queues, and what waiting in each is waiting for. */
static const struct {
	unsigned long off;
	const struct lw_kind_ops *kind;
} lw_journal_queues[] = {
	{ LW_JQ(j_wait_transaction_locked), &lw_journal_kind },
	{ LW_JQ(j_wait_done_commit), &lw_journal_kind },
	{ LW_JQ(j_wait_updates), &lw_handles_kind },
};

/* The transaction at @t, if it is one of journal @j. */
static bool lw_transaction_of(struct lw_scan *s, unsigned long t,
			      unsigned long j)
{
	unsigned long tj;

	return lw_kernel_ptr(t) &&
	       !lw_read(&tj, t + offsetof(transaction_t, t_journal), sizeof(tj),
			s) && tj == j;
}

/* Is @j a journal: a kernel thread commits it, a transaction names it? */
static bool lw_journal_valid(struct lw_scan *s, unsigned long j)
{
	unsigned long task, run, commit;
	unsigned int flags;

	return lw_kernel_ptr(j) &&
	       !lw_read(&task, j + offsetof(journal_t, j_task), sizeof(task), s) &&
	       lw_kernel_ptr(task) &&
	       !lw_read(&flags, task + offsetof(struct task_struct, flags),
			sizeof(flags), s) && (flags & PF_KTHREAD) &&
	       !lw_read(&run, j + offsetof(journal_t, j_running_transaction),
			sizeof(run), s) &&
	       !lw_read(&commit, j + offsetof(journal_t, j_committing_transaction),
			sizeof(commit), s) &&
	       (lw_transaction_of(s, run, j) || lw_transaction_of(s, commit, j));
}

/* Is stack word @i (of @sp) the private field of @bt's journal wait? */
static int lw_try_journal(struct lw_scan *s, struct lw_task *bt,
			  unsigned long sp, unsigned int i)
{
	unsigned long w, head = lw_wq_entry_queue(s, sp, i, &w), j;
	unsigned int q;

	if (!head)
		return -EINVAL;
	for (q = 0; q < ARRAY_SIZE(lw_journal_queues); q++) {
		j = head - lw_journal_queues[q].off;
		if (!lw_journal_valid(s, j))
			continue;
		return lw_claim_at(s, bt, j | lw_journal_queues[q].kind->key,
				   lw_journal_queues[q].kind, LW_MODE_NONE, w);
	}
	return -EINVAL;
}

static int lw_find_wait_journal(struct lw_scan *s, struct lw_task *bt,
				unsigned long sp)
{
	unsigned int i;

	if (!lw_frames_named(lw_fn_cache, bt, lw_journal_fns,
			     ARRAY_SIZE(lw_journal_fns)))
		return -ENOENT;
	for (i = 0; i < s->stack_words; i++)
		if (s->stack[i] == (unsigned long)bt->task &&
		    !lw_try_journal(s, bt, sp, i))
			return 0;
	return -ENOENT;
}

/*
 * The blocked tasks with a handle of transaction @t open: how many, and
 * the first of them.
 */
static int lw_handle_holders(struct lw_scan *s, unsigned long t, int *first)
{
	unsigned long h, ht;
	int i, n = 0;

	*first = LW_NONE;
	for (i = 0; i < s->ntasks; i++) {
		h = (unsigned long)READ_ONCE(s->tasks[i].task->journal_info);
		if (!lw_kernel_ptr(h) ||
		    lw_read(&ht, h + offsetof(handle_t, h_transaction),
			    sizeof(ht), s) || ht != t)
			continue;
		if (!n++)
			*first = i;
	}
	return n;
}

static int lw_decode_journal(struct lw_scan *s, struct lw_lock *l)
{
	unsigned long j = l->addr & ~LW_HANDLES_KEY, task, t;
	int barrier, updates, n, first;

	if (!lw_journal_valid(s, j) ||
	    lw_read(&t, j + offsetof(journal_t, j_running_transaction),
		    sizeof(t), s))
		return -EAGAIN;
	l->count = -1;
	if (l->kind == LW_KIND_JOURNAL) {
		if (lw_read(&barrier, j + offsetof(journal_t, j_barrier_count),
			    sizeof(barrier), s) ||
		    lw_read(&task, j + offsetof(journal_t, j_task),
			    sizeof(task), s))
			return -EFAULT;
		if (!barrier) {
			l->owner_ptr = task;
			l->conf = LW_CONF_EXACT;
		}
		return 0;
	}
	if (!lw_transaction_of(s, t, j) ||
	    lw_read(&updates, t + offsetof(transaction_t, t_updates),
		    sizeof(updates), s))
		return 0;
	l->count = updates;
	n = lw_handle_holders(s, t, &first);
	if (n) {
		l->owner_ptr = (unsigned long)s->tasks[first].task;
		l->conf = n == 1 && updates == 1 ? LW_CONF_EXACT : LW_CONF_HINT;
	}
	return 0;
}

static bool lw_name_journal(struct lw_scan *s, const struct lw_lock *l,
			    char *buf, size_t len)
{
	unsigned long j = l->addr & ~LW_HANDLES_KEY, sb, t;
	char dev[sizeof(((journal_t *)0)->j_devname)], *fs = s->nb.role;
	tid_t tid = 0;
	int state = 0;

	if (lw_read(&sb, j + offsetof(journal_t, j_private), sizeof(sb), s))
		return false;
	if (!lw_kernel_ptr(sb) || !lw_name_sb(s, sb, true, fs, LW_NAME_LEN)) {
		if (lw_read(dev, j + offsetof(journal_t, j_devname), sizeof(dev),
			    s))
			return false;
		dev[sizeof(dev) - 1] = '\0';
		snprintf(fs, LW_NAME_LEN, "device %s", dev);
	}
	if (lw_read(&t, j + offsetof(journal_t, j_running_transaction),
		    sizeof(t), s) || !lw_transaction_of(s, t, j) ||
	    lw_read(&tid, t + offsetof(transaction_t, t_tid), sizeof(tid), s) ||
	    lw_read(&state, t + offsetof(transaction_t, t_state),
		    sizeof(state), s))
		t = 0;
	if (l->kind == LW_KIND_JOURNAL_HANDLES && t && l->count >= 0)
		snprintf(buf, len,
			 "jbd2 journal of %s (committing transaction %u, %ld %s open)",
			 fs, tid, l->count, l->count == 1 ? "handle" : "handles");
	else if (t && state != T_RUNNING)
		snprintf(buf, len,
			 "jbd2 journal of %s (transaction %u locked for commit)",
			 fs, tid);
	else
		snprintf(buf, len, "jbd2 journal of %s (waiting for a commit)",
			 fs);
	return true;
}

/* Waiting for the commit: its kjournald2 thread commits it. */
const struct lw_kind_ops lw_journal_kind = {
	.id = LW_KIND_JOURNAL,
	.name = "journal",
	.wait = "journal",
	.owner_verb = "to be committed",
	.task_off = LW_WQ_TASK_OFF,
	.find = lw_find_wait_journal,
	.decode = lw_decode_journal,
	.name_object = lw_name_journal,
};

/* Waiting for a transaction's open handles (found with the commit). */
const struct lw_kind_ops lw_handles_kind = {
	.id = LW_KIND_JOURNAL_HANDLES,
	.name = "journal",
	.wait = "journal",
	.key = LW_HANDLES_KEY,
	.task_off = LW_WQ_TASK_OFF,
	.decode = lw_decode_journal,
	.name_object = lw_name_journal,
};

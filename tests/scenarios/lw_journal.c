// SPDX-License-Identifier: GPL-2.0
/*
 * lockwatch_journal: the jbd2 journals of real ext4 file systems, for
 * lockwatch's tests of journal waits. A module of its own, since it links
 * against jbd2, which the other scenarios' kernels need not have loaded.
 * Loading it starts the scenarios whose directory is given. A mounted
 * ext4 file system's journal is found from its superblock: ext4's private
 * superblock information points at a journal_t whose j_private is that
 * superblock, whose device is the superblock's and whose commit thread is
 * a "jbd2/" kernel thread (checked).
 *
 * jbd2dl (on jbd2_dir): a thread opens a handle on the journal and then
 * waits for a mutex whose holder, once the commit thread has locked the
 * transaction for commit, creates a file on that file system: the
 * creator waits for the commit, the commit for the handle, the handle's
 * holder for the creator's mutex.
 *
 * jbd2chain (on jbd2_chain_dir): a thread opens a handle and sleeps
 * uninterruptibly, waiting for nothing; a commit starts, and a thread
 * creating a file (jbd2_chain_waiters of them) waits behind it: chains,
 * not a cycle.
 *
 * The threads never end, so this module cannot be unloaded. It is for
 * test machines only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/jbd2.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

static char *jbd2_dir = "";
module_param(jbd2_dir, charp, 0444);
MODULE_PARM_DESC(jbd2_dir, "A directory on ext4 for the jbd2dl scenario");
static char *jbd2_chain_dir = "";
module_param(jbd2_chain_dir, charp, 0444);
MODULE_PARM_DESC(jbd2_chain_dir, "A directory on ext4 for the jbd2chain scenario");
static unsigned int jbd2_chain_waiters = 1;
module_param(jbd2_chain_waiters, uint, 0444);
MODULE_PARM_DESC(jbd2_chain_waiters, "Threads creating a file behind jbd2chain's commit (1..10000)");

/* Words of ext4's private superblock information searched for s_journal. */
#define LW_SBI_WORDS	256

struct lw_jcase {
	const char *dir;
	journal_t *journal;
	struct completion open;		/* the handle is open */
	struct completion locked;	/* lw_jbd2_mutex is held (jbd2dl) */
};

static DEFINE_MUTEX(lw_jbd2_mutex);

static struct lw_jcase lw_jdl, lw_jchain;

/* Is @j the journal of @sb? */
static bool lw_journal_of(journal_t *j, struct super_block *sb)
{
	struct block_device *dev;
	struct task_struct *task;
	char comm[TASK_COMM_LEN];
	void *priv;

	return virt_addr_valid(j) && IS_ALIGNED((unsigned long)j, 8) &&
	       !copy_from_kernel_nofault(&priv, &j->j_private, sizeof(priv)) &&
	       priv == sb &&
	       !copy_from_kernel_nofault(&dev, &j->j_dev, sizeof(dev)) &&
	       dev == sb->s_bdev &&
	       !copy_from_kernel_nofault(&task, &j->j_task, sizeof(task)) &&
	       virt_addr_valid(task) &&
	       !copy_from_kernel_nofault(comm, task->comm, sizeof(comm)) &&
	       !strncmp(comm, "jbd2/", 5);
}

/* The journal of the ext4 file system that holds @dir, or NULL. */
static journal_t *lw_find_journal(const char *dir)
{
	struct super_block *sb;
	struct path path;
	journal_t *found = NULL;
	void **info;
	int i;

	if (kern_path(dir, LOOKUP_FOLLOW, &path))
		return NULL;
	sb = path.dentry->d_sb;
	info = sb->s_fs_info;
	if (!strcmp(sb->s_type->name, "ext4") && info) {
		for (i = 0; i < LW_SBI_WORDS && !found; i++)
			if (lw_journal_of(info[i], sb))
				found = info[i];
	}
	path_put(&path);
	return found;
}

static int lw_jcase_init(struct lw_jcase *c, const char *dir)
{
	c->dir = dir;
	init_completion(&c->open);
	init_completion(&c->locked);
	c->journal = dir[0] ? lw_find_journal(dir) : NULL;
	if (!c->journal) {
		pr_err("no ext4 journal at '%s'\n", dir);
		return -ENOENT;
	}
	return 0;
}

/* Open a handle on the case's journal, kept open for good. */
static int lw_open_handle(struct lw_jcase *c)
{
	handle_t *h = jbd2_journal_start(c->journal, 1);

	if (IS_ERR(h)) {
		pr_err("cannot open a handle on %s: %ld\n", c->dir, PTR_ERR(h));
		return PTR_ERR(h);
	}
	complete(&c->open);
	return 0;
}

/*
 * Start the commit of the running transaction, wait until the commit
 * thread has locked it (it then waits for the open handle), and create
 * a file: a new handle, which waits for that commit.
 */
static void lw_create_behind_commit(struct lw_jcase *c, unsigned int nr)
{
	transaction_t *t;
	struct file *f;
	char *name;
	int i;

	wait_for_completion(&c->open);
	jbd2_journal_start_commit(c->journal, NULL);
	for (i = 0; i < 500; i++) {
		t = READ_ONCE(c->journal->j_running_transaction);
		if (t && READ_ONCE(t->t_state) != T_RUNNING)
			break;
		msleep(20);
	}
	name = kasprintf(GFP_KERNEL, "%s/lw_created_%u", c->dir, nr);
	if (!name)
		return;
	f = filp_open(name, O_CREAT | O_WRONLY, 0644);
	if (!IS_ERR(f))
		filp_close(f, NULL);
	kfree(name);
}

static int lw_jholder_fn(void *arg)
{
	struct lw_jcase *c = &lw_jdl;

	if (lw_open_handle(c))
		return 0;
	wait_for_completion(&c->locked);
	mutex_lock(&lw_jbd2_mutex);
	mutex_unlock(&lw_jbd2_mutex);
	return 0;
}

static int lw_jcreator_fn(void *arg)
{
	struct lw_jcase *c = &lw_jdl;

	mutex_lock(&lw_jbd2_mutex);
	complete(&c->locked);
	lw_create_behind_commit(c, 0);
	mutex_unlock(&lw_jbd2_mutex);
	return 0;
}

static int lw_start_jbd2dl(void)
{
	int ret = lw_jcase_init(&lw_jdl, jbd2_dir);

	if (ret)
		return ret;
	if (IS_ERR(kthread_run(lw_jcreator_fn, NULL, "lw_jcreator")) ||
	    IS_ERR(kthread_run(lw_jholder_fn, NULL, "lw_jholder")))
		return -ENOMEM;
	return 0;
}

static int lw_jsleeper_fn(void *arg)
{
	if (lw_open_handle(&lw_jchain))
		return 0;
	for (;;)
		msleep(3600 * 1000);
	return 0;
}

static int lw_jwaiter_fn(void *arg)
{
	lw_create_behind_commit(&lw_jchain, (unsigned long)arg);
	return 0;
}

static int lw_start_jbd2chain(void)
{
	int ret = lw_jcase_init(&lw_jchain, jbd2_chain_dir);
	struct task_struct *t;
	unsigned long i;

	if (ret)
		return ret;
	if (jbd2_chain_waiters < 1 || jbd2_chain_waiters > 10000) {
		pr_err("jbd2_chain_waiters must be 1..10000\n");
		return -EINVAL;
	}
	if (IS_ERR(kthread_run(lw_jsleeper_fn, NULL, "lw_jsleeper")))
		return -ENOMEM;
	for (i = 0; i < jbd2_chain_waiters; i++) {
		if (i)
			t = kthread_run(lw_jwaiter_fn, (void *)i, "lw_jwaiter_%lu", i);
		else
			t = kthread_run(lw_jwaiter_fn, NULL, "lw_jwaiter");
		if (IS_ERR(t))
			return PTR_ERR(t);
	}
	return 0;
}

static int __init lw_journal_init(void)
{
	int ret = 0;

	if (jbd2_dir[0])
		ret = lw_start_jbd2dl();
	if (!ret && jbd2_chain_dir[0])
		ret = lw_start_jbd2chain();
	return ret;
}

module_init(lw_journal_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("jbd2 journal scenarios for lockwatch's tests (test machines only)");

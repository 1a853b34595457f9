// SPDX-License-Identifier: GPL-2.0
/*
 * Per-lock-type decoding: where the wait list sits in each lock, who owns
 * it and how sure that is, and which lock slow path a return address
 * belongs to.
 */
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/mutex.h>
#include <linux/percpu-rwsem.h>
#include <linux/rwsem.h>
#include <linux/semaphore.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "lockwatch.h"

/*
 * Where a lock keeps its waiters: a list head or a first waiter pointer;
 * 0 for the rb tree of PREEMPT_RT's mutexes and rwsems. (The self-test's
 * failure path, selftest_break, reads one kind's a word off.)
 */
unsigned long lw_wait_offset(enum lw_kind kind)
{
	switch (kind) {
#ifndef LW_RT_LOCKS
	case LW_KIND_MUTEX:
		return offsetof(struct mutex, LW_WAIT_FIELD) + lw_kind_skew(kind);
	case LW_KIND_RWSEM:
		return offsetof(struct rw_semaphore, LW_WAIT_FIELD) +
		       lw_kind_skew(kind);
#endif
	case LW_KIND_SEM:
		return offsetof(struct semaphore, LW_WAIT_FIELD) + lw_kind_skew(kind);
	case LW_KIND_PERCPU:
		return offsetof(struct percpu_rw_semaphore, waiters.head);
	default:
		return 0;
	}
}

/* The address of what a lock entry stands for, without its kind's key. */
unsigned long lw_lock_addr(const struct lw_lock *l)
{
	if (l->kind == LW_KIND_WRITEBACK)
		return l->addr & ~LW_WRITEBACK_KEY;
	if (l->kind == LW_KIND_JOURNAL_HANDLES)
		return l->addr & ~LW_HANDLES_KEY;
	if (l->kind == LW_KIND_COMPLETION)
		return l->addr & ~LW_WQFLUSH_KEY;
	return l->addr;
}

enum lw_wait lw_wait_of(u8 kind)
{
	switch (kind) {
	case LW_KIND_PERCPU:
		return LW_WAIT_PERCPU;
	case LW_KIND_PAGE:
	case LW_KIND_WRITEBACK:
		return LW_WAIT_PAGE;
	case LW_KIND_IO:
		return LW_WAIT_IO;
	case LW_KIND_COMPLETION:
		return LW_WAIT_COMPLETION;
	case LW_KIND_JOURNAL:
	case LW_KIND_JOURNAL_HANDLES:
		return LW_WAIT_JOURNAL;
	case LW_KIND_SITE:
		return LW_WAIT_UNKNOWN;
	default:
		return LW_WAIT_LOCK;
	}
}

const char *lw_wait_name(enum lw_wait w)
{
	static const char * const names[] = {
		[LW_WAIT_LOCK] = "lock",
		[LW_WAIT_PERCPU] = "percpu_rwsem",
		[LW_WAIT_PAGE] = "page",
		[LW_WAIT_IO] = "io",
		[LW_WAIT_COMPLETION] = "completion",
		[LW_WAIT_JOURNAL] = "journal",
		[LW_WAIT_UNKNOWN] = "unknown",
	};

	return w < ARRAY_SIZE(names) ? names[w] : "?";
}

const char *lw_kind_name(enum lw_kind kind)
{
	static const char * const names[] = {
		[LW_KIND_NONE] = "none",
		[LW_KIND_MUTEX] = "mutex",
		[LW_KIND_RWSEM] = "rwsem",
		[LW_KIND_SEM] = "semaphore",
		[LW_KIND_RTMUTEX] = "rt_mutex",
		[LW_KIND_PERCPU] = "percpu_rwsem",
		[LW_KIND_SITE] = "wait",
		[LW_KIND_PAGE] = "folio",
		[LW_KIND_WRITEBACK] = "folio",
		[LW_KIND_IO] = "io",
		[LW_KIND_COMPLETION] = "completion",
		[LW_KIND_JOURNAL] = "journal",
		[LW_KIND_JOURNAL_HANDLES] = "journal",
	};

	return kind < ARRAY_SIZE(names) ? names[kind] : "?";
}

const char *lw_mode_name(enum lw_mode mode)
{
	static const char * const names[] = {
		[LW_MODE_NONE] = "-",
		[LW_MODE_READ] = "read",
		[LW_MODE_WRITE] = "write",
		[LW_MODE_TAG] = "tag",
		[LW_MODE_BIO] = "bio",
	};

	return mode < ARRAY_SIZE(names) ? names[mode] : "?";
}

const char *lw_conf_name(enum lw_conf conf)
{
	static const char * const names[] = {
		[LW_CONF_UNKNOWN] = "unknown",
		[LW_CONF_HINT] = "hint",
		[LW_CONF_EXACT] = "exact",
	};

	return conf < ARRAY_SIZE(names) ? names[conf] : "?";
}

const char *lw_source_name(enum lw_source src)
{
	static const char * const names[] = {
		[LW_SRC_NONE] = "none",
		[LW_SRC_STACK] = "stack",
		[LW_SRC_TRACE] = "trace",
		[LW_SRC_KERNEL] = "blocker",
		[LW_SRC_PI] = "pi_blocked_on",
	};

	return src < ARRAY_SIZE(names) ? names[src] : "?";
}

#ifdef LW_RT_LOCKS
/* An rt_mutex_base at @base: its owner, exact, when it is held. */
static int lw_decode_rtmutex(struct lw_scan *s, struct lw_lock *l,
			     unsigned long base)
{
	unsigned long owner;

	if (lw_read(&owner, base + offsetof(struct rt_mutex_base, owner),
		    sizeof(owner), s))
		return -EFAULT;
	l->owner_ptr = owner & ~LW_RT_HAS_WAITERS;
	if (l->owner_ptr) {
		l->conf = LW_CONF_EXACT;
		l->held = LW_MODE_WRITE;
	}
	return 0;
}

/*
 * A PREEMPT_RT rwsem is write-held only once readers reads WRITER_BIAS;
 * before that its rtmutex owner is a writer still waiting for readers,
 * and readers leave no trace of who they are.
 */
static int lw_decode_rt_rwsem(struct lw_scan *s, struct lw_lock *l)
{
	unsigned int readers;

	if (lw_read(&readers, l->addr + offsetof(struct rw_semaphore,
						 rwbase.readers),
		    sizeof(readers), s))
		return -EFAULT;
	if (readers == LW_RT_WRITER_BIAS)
		return lw_decode_rtmutex(s, l, l->addr +
					 offsetof(struct rw_semaphore, rwbase.rtmutex));
	l->count = readers & ~LW_RT_READER_BIAS;
	if (l->count)
		l->held = LW_MODE_READ;
	return 0;
}
#endif

/*
 * Read the owner of @l (whose addr and kind are set). The lock is never
 * taken: this is a snapshot that the caller re-validates.
 */
int lw_decode_lock(struct lw_scan *s, struct lw_lock *l)
{
	unsigned long __maybe_unused owner, count;
	unsigned int scount;

	l->owner_ptr = 0;
	l->conf = LW_CONF_UNKNOWN;
	l->held = LW_MODE_NONE;
	l->count = 0;

	switch (l->kind) {
#ifdef LW_RT_LOCKS
	case LW_KIND_MUTEX:
	case LW_KIND_RTMUTEX:
		/* struct mutex and struct rt_mutex begin with the base */
		return lw_decode_rtmutex(s, l, l->addr);
	case LW_KIND_RWSEM:
		return lw_decode_rt_rwsem(s, l);
#else
	case LW_KIND_MUTEX:
		if (lw_read(&owner, l->addr + offsetof(struct mutex, owner),
			    sizeof(owner), s))
			return -EFAULT;
		l->owner_ptr = owner & ~LW_MUTEX_FLAGS;
		if (l->owner_ptr) {
			l->conf = LW_CONF_EXACT;
			l->held = LW_MODE_WRITE;
		}
		return 0;
	case LW_KIND_RWSEM:
		if (lw_read(&count,
			    l->addr + offsetof(struct rw_semaphore, count),
			    sizeof(count), s) ||
		    lw_read(&owner,
			    l->addr + offsetof(struct rw_semaphore, owner),
			    sizeof(owner), s))
			return -EFAULT;
		if (count & LW_RWSEM_WRITER_LOCKED) {
			l->held = LW_MODE_WRITE;
			if (!(owner & LW_RWSEM_READER_OWNED)) {
				l->owner_ptr = owner & ~LW_RWSEM_OWNER_FLAGS;
				if (l->owner_ptr)
					l->conf = LW_CONF_EXACT;
			}
		} else if ((count << 1) >> (LW_RWSEM_READER_SHIFT + 1)) {
			l->held = LW_MODE_READ;
			l->count = (count << 1) >> (LW_RWSEM_READER_SHIFT + 1);
			if (owner & LW_RWSEM_READER_OWNED) {
				l->owner_ptr = owner & ~LW_RWSEM_OWNER_FLAGS;
				if (l->owner_ptr)
					l->conf = LW_CONF_HINT;
			}
		}
		return 0;
#endif
	case LW_KIND_SEM:
		if (lw_read(&scount,
			    l->addr + offsetof(struct semaphore, count),
			    sizeof(scount), s))
			return -EFAULT;
		l->count = scount;
		return 0;
	case LW_KIND_PERCPU:
		return lw_decode_percpu(s, l);
	case LW_KIND_PAGE:
	case LW_KIND_WRITEBACK:
		return lw_decode_page(s, l);
	case LW_KIND_IO:
		return lw_decode_io(s, l);
	case LW_KIND_COMPLETION:
		return lw_decode_completion(s, l);
	case LW_KIND_JOURNAL:
	case LW_KIND_JOURNAL_HANDLES:
		return lw_decode_journal(s, l);
	case LW_KIND_SITE:
		return 0;
	default:
		return -EINVAL;
	}
}

/* A function that names the lock a task sleeps on, and how. */
struct lw_entry {
	const char *name;
	u8 kind;
	u8 mode;
};

/* A direct-mapped cache of verdicts on text addresses. */
#define LW_CLASSIFY_BITS 8

struct lw_verdict {
	unsigned long addr;
	u32 gen;
	u8 kind;
	u8 mode;
};

/*
 * The entry of @table that text address @addr belongs to, compared by the
 * name before any '.' ("__mutex_lock.constprop.0"). LW_KIND_NONE when
 * there is none.
 */
static int lw_match_entry(unsigned long addr, const struct lw_entry *table,
			  size_t n, u8 *mode)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t len, i;

	*mode = LW_MODE_NONE;
	sprint_symbol_no_offset(sym, addr);
	len = strcspn(sym, ". ");
	for (i = 0; i < n; i++) {
		if (strlen(table[i].name) == len &&
		    !strncmp(sym, table[i].name, len)) {
			*mode = table[i].mode;
			return table[i].kind;
		}
	}
	return LW_KIND_NONE;
}

/*
 * Is @addr in one of the functions @names (compared as above)? Returns
 * its index, or -1.
 */
int lw_match_name(unsigned long addr, const char *const *names, size_t n)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t len, i;

	sprint_symbol_no_offset(sym, addr);
	len = strcspn(sym, ". ");
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && !strncmp(sym, names[i], len))
			return i;
	return -1;
}

/*
 * Is @addr in one of @names? The answer is kept in @cache (1 <<
 * LW_NAME_CACHE_BITS slots, of this generation of module text): the same
 * few addresses recur on every scan.
 * Only the scan calls this, so the caches need no lock.
 */
bool lw_addr_named(struct lw_name_verdict *cache, unsigned long addr,
		   const char *const *names, size_t n)
{
	struct lw_name_verdict *v = &cache[hash_long(addr, LW_NAME_CACHE_BITS)];
	u32 gen = lw_text_gen();

	/* Kernel and module text only: a word of data is no function. */
	if (!lw_text_addr(addr))
		return false;
	if (v->addr != addr || v->gen != gen) {
		v->addr = addr;
		v->gen = gen;
		v->yes = lw_match_name(addr, names, n) >= 0;
	}
	return v->yes;
}

/* Does a frame of @bt's stack return into one of the functions @names? */
bool lw_frames_named(struct lw_name_verdict *cache, const struct lw_task *bt,
		     const char *const *names, size_t n)
{
	unsigned int f;

	for (f = 0; f < bt->nframes; f++)
		if (lw_addr_named(cache, bt->frames[f], names, n))
			return true;
	return false;
}

/* The functions whose frame holds a lock's on-stack waiter. */
static const struct lw_entry lw_slowpaths[] = {
	{ "__mutex_lock", LW_KIND_MUTEX, LW_MODE_WRITE },
	{ "__mutex_lock_common", LW_KIND_MUTEX, LW_MODE_WRITE },
	{ "__ww_mutex_lock", LW_KIND_MUTEX, LW_MODE_WRITE },
	{ "rwsem_down_write_slowpath", LW_KIND_RWSEM, LW_MODE_WRITE },
	{ "rwsem_down_read_slowpath", LW_KIND_RWSEM, LW_MODE_READ },
	{ "__down", LW_KIND_SEM, LW_MODE_NONE },
	{ "__down_common", LW_KIND_SEM, LW_MODE_NONE },
	{ "__down_interruptible", LW_KIND_SEM, LW_MODE_NONE },
	{ "__down_killable", LW_KIND_SEM, LW_MODE_NONE },
	{ "__down_timeout", LW_KIND_SEM, LW_MODE_NONE },
};

static struct lw_verdict lw_classify_cache[1 << LW_CLASSIFY_BITS];

/*
 * Which lock slow path does kernel text address @addr return into?
 * Returns an enum lw_kind (LW_KIND_NONE for any other function). Only the
 * scan calls this, so the cache needs no lock.
 */
int lw_classify_return(unsigned long addr, u8 *mode)
{
	struct lw_verdict *v = &lw_classify_cache[hash_long(addr, LW_CLASSIFY_BITS)];

	if (v->addr != addr || v->gen != lw_text_gen()) {
		v->addr = addr;
		v->gen = lw_text_gen();
		v->kind = lw_match_entry(addr, lw_slowpaths,
					 ARRAY_SIZE(lw_slowpaths), &v->mode);
	}
	*mode = v->mode;
	return v->kind;
}

#ifdef LW_RT_LOCKS
/* PREEMPT_RT: the API function a blocked task called names its lock. */
static const struct lw_entry lw_rt_entries[] = {
	{ "__rwbase_read_lock", LW_KIND_RWSEM, LW_MODE_READ },
	{ "down_read", LW_KIND_RWSEM, LW_MODE_READ },
	{ "down_read_killable", LW_KIND_RWSEM, LW_MODE_READ },
	{ "down_read_interruptible", LW_KIND_RWSEM, LW_MODE_READ },
	{ "rwbase_write_lock", LW_KIND_RWSEM, LW_MODE_WRITE },
	{ "down_write", LW_KIND_RWSEM, LW_MODE_WRITE },
	{ "down_write_killable", LW_KIND_RWSEM, LW_MODE_WRITE },
	{ "mutex_lock", LW_KIND_MUTEX, LW_MODE_WRITE },
	{ "mutex_lock_interruptible", LW_KIND_MUTEX, LW_MODE_WRITE },
	{ "mutex_lock_killable", LW_KIND_MUTEX, LW_MODE_WRITE },
	{ "mutex_lock_io", LW_KIND_MUTEX, LW_MODE_WRITE },
	{ "rt_mutex_lock", LW_KIND_RTMUTEX, LW_MODE_WRITE },
	{ "rt_mutex_lock_interruptible", LW_KIND_RTMUTEX, LW_MODE_WRITE },
	{ "rt_mutex_lock_killable", LW_KIND_RTMUTEX, LW_MODE_WRITE },
};

static struct lw_verdict lw_rt_cache[1 << LW_CLASSIFY_BITS];

/*
 * A frame's kind: the function it returns into, or, when that function
 * tail-called the slow path and left no frame of its own, the target of
 * the direct call just before the return address.
 */
static int lw_rt_frame_kind(unsigned long addr, u8 *mode)
{
	struct lw_verdict *v = &lw_rt_cache[hash_long(addr, LW_CLASSIFY_BITS)];
	unsigned long target;

	if (v->addr != addr || v->gen != lw_text_gen()) {
		v->addr = addr;
		v->gen = lw_text_gen();
		v->kind = lw_match_entry(addr, lw_rt_entries,
					 ARRAY_SIZE(lw_rt_entries), &v->mode);
		if (v->kind == LW_KIND_NONE &&
		    lw_call_before(addr, &target, NULL) == LW_CALL_DIRECT)
			v->kind = lw_match_entry(target, lw_rt_entries,
						 ARRAY_SIZE(lw_rt_entries),
						 &v->mode);
	}
	*mode = v->mode;
	return v->kind;
}

/*
 * The kind of lock a PREEMPT_RT task blocked on: the innermost frame that
 * is, or calls, a lock entry point. LW_KIND_NONE when there is none.
 */
int lw_classify_rt_frames(const struct lw_task *bt, u8 *mode)
{
	unsigned int f;
	int kind;

	for (f = 0; f < bt->nframes; f++) {
		kind = lw_rt_frame_kind(bt->frames[f], mode);
		if (kind != LW_KIND_NONE)
			return kind;
	}
	return LW_KIND_NONE;
}
#endif

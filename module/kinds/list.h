/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry: every kind of wait lockwatch decodes, one line each,
 * LW_KIND(ID, ops). ID becomes LW_KIND_ID (lockwatch.h); ops is the
 * struct lw_kind_ops its own file defines (kinds/kind.h). The order is
 * the order the scan tries the kinds' stack finders in, and the order of
 * their stats buckets; a kind marked unknown (the catch-all) is tried
 * only when no other found anything. Adding a kind: its file under
 * kinds/, its line here, its object in Kbuild.
 */
LW_KIND(MUTEX, lw_mutex_kind)
LW_KIND(RWSEM, lw_rwsem_kind)
LW_KIND(SEM, lw_sem_kind)
LW_KIND(RTMUTEX, lw_rtmutex_kind)
LW_KIND(PERCPU, lw_percpu_kind)
LW_KIND(PAGE, lw_page_kind)
LW_KIND(WRITEBACK, lw_writeback_kind)
LW_KIND(BUFFER, lw_buffer_kind)
LW_KIND(FLUSHER, lw_flusher_kind)
LW_KIND(DIRTY, lw_dirty_kind)
LW_KIND(QUEUE, lw_queue_kind)
LW_KIND(IO, lw_io_kind)
LW_KIND(RCU, lw_rcu_kind)
LW_KIND(FUSE, lw_fuse_kind)
LW_KIND(UMH, lw_umh_kind)
LW_KIND(KTHREAD, lw_ktc_kind)
LW_KIND(COMPLETION, lw_completion_kind)
LW_KIND(JOURNAL, lw_journal_kind)
LW_KIND(JOURNAL_HANDLES, lw_handles_kind)
LW_KIND(SITE, lw_site_kind)

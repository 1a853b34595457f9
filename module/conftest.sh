#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# conftest.sh OUT CC CFLAGS...: what the kernel being built against has,
# decided by compiling small probes with its own compiler and flags (run
# by Kbuild from the kernel's build tree), written to OUT as LW_* macros
# that module/compat.h turns into what the module uses. A kernel that
# has neither form of something lockwatch reads gets an #error naming
# it, and the build stops there. OUT is kept while the kernel's build
# tree, its release, the flags and this script are the same.
out=$1 cc=$2
shift 2
# The rest are the flags; $cc may be more than one word (ccache gcc).
tag="/* lockwatch probes for $(pwd) $(cat include/config/kernel.release 2>/dev/null), $(
	{ cat "$0"; echo "$cc $*"; } | cksum | cut -d' ' -f1) */"
if [ -f "$out" ] && [ "$(head -n 1 "$out")" = "$tag" ]; then
	exit 0
fi
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT

# probe NAME HEADERS BODY FLAGS...: compile a function of BODY after
# HEADERS with FLAGS.
probe() {
	name=$1 headers=$2 body=$3
	shift 3
	{
		for h in $headers; do echo "#include <$h>"; done
		echo "int lw_probe(void *p);"
		echo "int lw_probe(void *p) { $body }"
	} >"$dir/$name.c"
	# shellcheck disable=SC2086 # $cc is a command line
	if $cc "$@" -c -o "$dir/$name.o" "$dir/$name.c" >"$dir/$name.log" 2>&1; then
		: >"$dir/$name.yes"
	fi
}
# The probes, in parallel: each pair is a feature and its older form.
{
	probe task_state_new linux/sched.h 'struct task_struct *t = p; return t->__state;' "$@" &
	probe task_state_old linux/sched.h 'struct task_struct *t = p; return t->state;' "$@" &
	probe dentry_alias_new linux/dcache.h 'struct dentry *d = p; return !!d->d_alias.next;' "$@" &
	probe dentry_alias_old linux/dcache.h 'struct dentry *d = p; return !!d->d_u.d_alias.next;' "$@" &
	probe sb_mounts_list linux/fs.h 'struct super_block *sb = p; struct list_head *h = &sb->s_mounts; return !!h;' "$@" &
	probe sb_mounts_ptr linux/fs.h 'struct super_block *sb = p; void *m = sb->s_mounts; return !!m;' "$@" &
	probe wait_page_folio linux/pagemap.h 'struct wait_page_queue *w = p; return !!w->folio;' "$@" &
	probe wait_page_page linux/pagemap.h 'struct wait_page_queue *w = p; return !!w->page;' "$@" &
	probe bio_bdev linux/blk_types.h 'struct bio *b = p; return !!b->bi_bdev;' "$@" &
	probe bio_disk linux/blk_types.h 'struct bio *b = p; return !!b->bi_disk;' "$@" &
	probe blk_mq_tags "linux/blkdev.h linux/blk-mq.h" 'struct request_queue *q = p; return sizeof(struct blk_mq_tags) + !!q->disk;' "$@" &
	probe disk_part0_ptr linux/blkdev.h 'struct gendisk *d = p; struct block_device *b = d->part0; return !!b;' "$@" &
	probe bdev_mapping linux/blk_types.h 'struct block_device *b = p; return !!b->bd_mapping;' "$@" &
	probe bdev_inode linux/blk_types.h 'struct block_device *b = p; return !!b->bd_inode;' "$@" &
	probe disk_part0_embedded linux/genhd.h 'struct gendisk *d = p; return !!&d->part0.__dev;' "$@" &
	probe wait_list_head linux/semaphore.h 'struct semaphore *s = p; struct list_head *h = &s->wait_list; return !!h;' "$@" &
	probe first_waiter linux/semaphore.h 'struct semaphore *s = p; return !!s->first_waiter;' "$@" &
	probe invalidate_lock linux/fs.h 'struct address_space *m = p; return !!&m->invalidate_lock;' "$@" &
	probe alloc_disk_limits linux/blk-mq.h 'return !!blk_mq_alloc_disk(p, NULL, NULL);' "$@" &
	probe add_disk_returns linux/blkdev.h 'int r = add_disk(p); return r;' "$@" &
	probe kernfs_rcu_parent linux/kernfs.h 'struct kernfs_node *k = p; return !!&k->__parent;' "$@" &
	probe kernfs_parent linux/kernfs.h 'struct kernfs_node *k = p; return !!k->parent;' "$@" &
	wait
}
has() { [ -f "$dir/$1.yes" ]; }
# one NEW OLD WHAT MACRO: NEW defines MACRO, OLD leaves it undefined,
# neither is an #error that says WHAT lockwatch cannot find.
one() {
	if has "$1"; then
		echo "#define $4 1"
	elif has "$2"; then
		echo "/* $4: not here ($2) */"
	else
		echo "#error \"lockwatch: this kernel has no $3 (probes $1 and $2 failed)\""
	fi
}
# opt PROBE MACRO: PROBE defines MACRO, a failure leaves it undefined.
opt() {
	if has "$1"; then echo "#define $2 1"; else echo "/* $2: not here */"; fi
}
{
	echo "$tag"
	one task_state_new task_state_old "task_struct.__state or .state" LW_HAVE_TASK___STATE
	one dentry_alias_new dentry_alias_old "dentry.d_alias or .d_u.d_alias" LW_HAVE_DENTRY_D_ALIAS
	one sb_mounts_ptr sb_mounts_list "super_block.s_mounts, a list head or a pointer" LW_SB_MOUNTS_PTR
	one wait_page_folio wait_page_page "wait_page_queue.folio or .page" LW_HAVE_WAIT_PAGE_FOLIO
	one bio_bdev bio_disk "bio.bi_bdev or .bi_disk" LW_BIO_BDEV
	one disk_part0_ptr disk_part0_embedded "gendisk.part0, a pointer or embedded" LW_DISK_PART0_PTR
	one bdev_mapping bdev_inode "block_device.bd_mapping or .bd_inode" LW_BDEV_MAPPING
	one first_waiter wait_list_head "semaphore.wait_list or .first_waiter" LW_HAVE_FIRST_WAITER
	one kernfs_rcu_parent kernfs_parent "kernfs_node.__parent or .parent" LW_KERNFS_RCU_PARENT
	opt blk_mq_tags LW_HAVE_BLK_MQ_TAGS
	opt invalidate_lock LW_HAVE_INVALIDATE_LOCK
	opt alloc_disk_limits LW_ALLOC_DISK_LIMITS
	opt add_disk_returns LW_ADD_DISK_RETURNS
} >"$out.tmp" && mv "$out.tmp" "$out"

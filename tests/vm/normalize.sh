#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# normalize.sh FACTS < report > normalized
# Take out what changes from boot to boot (pids, times, hashed addresses,
# code offsets, stale stack words) and put back the facts the guest
# measured (inode numbers, devices) as named placeholders, so that the
# rest can be compared exactly.
facts=$1
fire_ino=$(sed -n 's/^fire_ino //p' "$facts")
js_ino=$(sed -n 's/^js_ino //p' "$facts")
mmap_ino=$(sed -n 's/^mmap_ino //p' "$facts")
tmpfs_dev=$(sed -n 's/^tmpfs_dev //p' "$facts")
[ -n "$fire_ino" ] && [ -n "$js_ino" ] && [ -n "$mmap_ino" ] && [ -n "$tmpfs_dev" ] || {
	echo "normalize: facts missing in $facts" >&2
	exit 2
}
# Frames worth asserting: the lock slow paths and the scenario threads.
keep='(__mutex_lock|rwsem_down_(read|write)_slowpath|__down[a-z_]*|msleep|msleep_interruptible|lw_[a-z0-9_]+_fn)( \[lockwatch_scenarios\])?'
sed -E \
	-e 's/^(  task|    owner|  owner|  ends): [0-9]+ /\1: /' \
	-e 's/^(  waiter: )[0-9]+ ([^ ]+) [0-9]+ /\1\2 /' \
	-e 's/^(    blocked: )[1-9][0-9]* s$/\1N s/' \
	-e 's/^( *addr: )[0-9a-f]{16}$/\1ADDR/' \
	-e "s/ inode $fire_ino \\(tmpfs $tmpfs_dev\\) / inode @FIRE_INO@ (tmpfs @TMPFS_DEV@) /g" \
	-e "s/ inode $js_ino \\(tmpfs $tmpfs_dev\\) / inode @JS_INO@ (tmpfs @TMPFS_DEV@) /g" \
	-e "s/ inode $mmap_ino \\(tmpfs $tmpfs_dev\\) / inode @MMAP_INO@ (tmpfs @TMPFS_DEV@) /g" \
	-e "s/^(chain [0-9]+: rwsem s_umount of tmpfs )$tmpfs_dev\$/\\1@TMPFS_DEV@/" \
	-e 's/ on the stack of [0-9]+ / on the stack of /' \
	-e 's/^(  [0-9]+|lockwatch:   pid [0-9]+) /\1 /' |
sed -E \
	-e 's/^  [0-9]+ (.*) \((D 0x[0-9a-f]+), blocked [1-9][0-9]* s\)$/  \1 (\2, blocked N s)/' \
	-e 's/^(    held by )[0-9]+ /\1/' \
	-e 's/^(  held for [a-z]+ by )[0-9]+ /\1/' \
	-e 's/, ending at [0-9]+ /, ending at /' \
	-e 's/^  waiter [0-9]+ (.*) \(([a-z-]+), blocked [1-9][0-9]* s\)$/  waiter \1 (\2, blocked N s)/' \
	-e 's/pid [0-9]+ \(/pid N (/g' \
	-e 's/ \[cycle [0-9a-f]{16}\]$/ [cycle ID]/' |
awk -v keep="^($keep)\$" '
	# Stack frames are indented deeper than their "stack:" line.
	/^ *(owner-)?stack:$/ { print; match($0, /^ */); depth = RLENGTH; instack = 1; next }
	instack && match($0, /^ +/) && RLENGTH > depth {
		f = substr($0, RLENGTH + 1)
		sub(/\+0x[0-9a-f]+\/0x[0-9a-f]+/, "", f)
		sub(/\.(constprop|isra|part|cold)\.[0-9]+/, "", f)
		if (f ~ keep)
			print substr($0, 1, RLENGTH) f
		next
	}
	{ instack = 0; print }
'

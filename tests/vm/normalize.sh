#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# normalize.sh FACTS < report > normalized
# Take out what changes from boot to boot (pids, times, hashed addresses,
# code offsets, stale stack words) and put back the facts the guest
# measured (inode numbers, devices) as named placeholders, so that the
# rest can be compared exactly.
facts=$1
# The facts: "inode NAME NUMBER FSTYPE", "dev FSTYPE MAJOR:MINOR" and
# "delta NAME OFFSET". Inode NAME of FSTYPE on device D becomes "inode
# @NAME_INO@ (FSTYPE @FSTYPE_DEV@)"; the device alone (s_umount,
# sb_writers) "FSTYPE @KEY_DEV@", where "dev KEY MAJ:MIN [FSTYPE]" names a
# second file system of a type by its own KEY; a lock's offset from its
# VFS inode "(VFS inode @NAME@)"; a disk's own "blkdev KEY MAJ:MIN"
# "@KEY_DEV@" wherever it stands alone.
facts_sed=()
declare -A devs fstypes
while read -r kind a b c; do
	case $kind in
	dev) devs[$a]=$b; fstypes[$a]=${c:-$a} ;;
	blkdev) facts_sed+=(-e "s/(^| |\\()$b(,|\$| |\\))/\1@${a^^}_DEV@\2/g") ;;
	delta) facts_sed+=(-e "s/\\(VFS inode ${b//+/\\+}\\)/(VFS inode @${a^^}@)/g") ;;
	esac
done <"$facts"
while read -r kind a b c; do
	[ "$kind" = inode ] || continue
	d=${devs[$c]:-}
	[ -n "$d" ] || { echo "normalize: no device of $c in $facts" >&2; exit 2; }
	facts_sed+=(-e "s/ inode $b \\($c $d\\)/ inode @${a^^}_INO@ ($c @${c^^}_DEV@)/g")
done <"$facts"
for k in "${!devs[@]}"; do
	facts_sed+=(-e "s/ of ${fstypes[$k]} ${devs[$k]}( |\$)/ of ${fstypes[$k]} @${k^^}_DEV@\1/g")
done
[ -s "$facts" ] || { echo "normalize: facts missing in $facts" >&2; exit 2; }
# Frames worth asserting: the lock slow paths and the scenario threads.
keep='(__mutex_lock|rwsem_down_(read|write)_slowpath|__down[a-z_]*|msleep|msleep_interruptible|lw_[a-z0-9_]+_fn)( \[lockwatch_(scenarios|journal)\])?'
sed -E \
	-e 's/^(  task|    owner|  owner|  ends): [0-9]+ /\1: /' \
	-e 's/^(  waiter: )[0-9]+ ([^ ]+) [0-9]+ /\1\2 /' \
	-e 's/^(    blocked: )[1-9][0-9]* s$/\1N s/' \
	-e 's/^( *addr: )[0-9a-f]{16}$/\1ADDR/' \
	"${facts_sed[@]}" \
	-e 's/ on the stack of [0-9]+ / on the stack of /' \
	-e 's/ mmap_lock of [0-9]+ / mmap_lock of PID /' \
	-e 's/^(  [0-9]+|lockwatch:   pid [0-9]+) /\1 /' |
sed -E \
	-e 's/^  [0-9]+ (.*) \((D 0x[0-9a-f]+), blocked [1-9][0-9]* s\)$/  \1 (\2, blocked N s)/' \
	-e 's/^(    held by |    to be (completed|committed) by )[0-9]+ /\1/' \
	-e 's/^(  (the work runs in|a handle is held by|to be committed by|completed when|run as|to be made by) )[0-9]+ /\1/' \
	-e 's/^(  held for [a-z]+ by )[0-9]+ /\1/' \
	-e 's/, ending at [0-9]+ /, ending at /' \
	-e '/^  ends: |, which is /s/ for [0-9]+ s(,|$)/ for N s\1/' \
	-e '/^  (ends|the root): /s/, oldest [0-9]+ s \(/, oldest N s (/' \
	-e 's/^  waiter [0-9]+ (.*) \(([a-z-]+), blocked [1-9][0-9]* s\)$/  waiter \1 (\2, blocked N s)/' \
	-e 's/pid [0-9]+ \(/pid N (/g' \
	-e 's/ \[(cycle|chain|device) [0-9a-f]{16}\]$/ [\1 ID]/' |
awk -v keep="^($keep)\$" '
	# Stack frames are indented deeper than their "stack:" line.
	/^ *(owner-)?stack:$/ { print; match($0, /^ */); depth = RLENGTH; instack = 1; last = ""; next }
	instack && match($0, /^ +/) && RLENGTH > depth {
		f = substr($0, RLENGTH + 1)
		sub(/\+0x[0-9a-f]+\/0x[0-9a-f]+/, "", f)
		sub(/\.(constprop|isra|part|cold)\.[0-9]+/, "", f)
		# Stale words of a deeper frame can repeat a kept one.
		if (f ~ keep && f != last)
			print substr($0, 1, RLENGTH) f
		if (f ~ keep)
			last = f
		next
	}
	{ instack = 0; last = ""; print }
'

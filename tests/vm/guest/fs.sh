#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the file system VM: the seed's deadlock on real XFS and ext4
# disks (/dev/vda, /dev/vdb). The locks private to each file system's
# inode (XFS's ILOCK, ext4's i_data_sem) are found through the offsets
# lockwatch setup reads from BTF. Once lockwatch is loaded the kernel is
# locked down (integrity): every check below holds there. Reports go to
# the second serial port.
. /lib/guest.sh


guest_kmods /dev/vdd
mkdir -p /mnt/xfs /mnt/ext4 /mnt/fxfs /mnt/fext4
mount -t xfs /dev/vda /mnt/xfs || fail "mount xfs"
mount -t ext4 /dev/vdb /mnt/ext4 || fail "mount ext4"
# The two that are frozen, with a file to append to and one to remove.
mount -t xfs /dev/vdc /mnt/fxfs || fail "mount fxfs"
mount -t ext4 /dev/vdd /mnt/fext4 || fail "mount fext4"
for d in /mnt/fxfs /mnt/fext4; do
	echo a >$d/f && : >$d/r || fail "files on $d"
done
for d in /mnt/xfs /mnt/ext4; do
	mkdir $d/js && echo 'console.log("fire")' >$d/js/fire.js || fail "files on $d"
done
: >/mnt/xfs/hold.dat
# Nothing dirty: no writeback may join the scenarios.
sync

section facts
for f in xfs:fire:/mnt/xfs/js/fire.js xfs:js:/mnt/xfs/js xfs:hold:/mnt/xfs/hold.dat \
	xfs:root:/mnt/xfs ext4:fire:/mnt/ext4/js/fire.js ext4:js:/mnt/ext4/js; do
	fs=${f%%:*}
	rest=${f#*:}
	echo "inode ${fs}_${rest%%:*} $(stat -c %i "${rest#*:}") $fs" >&3
done
for fs in xfs ext4; do
	echo "dev $fs $(awk -v m=/mnt/$fs '$5 == m { print $3 }' /proc/self/mountinfo)" >&3
	echo "dev f$fs $(awk -v m=/mnt/f$fs '$5 == m { print $3 }' /proc/self/mountinfo) $fs" >&3
done

# The offsets the scenarios take the private locks at, from BTF.
lockwatch-static setup --print >/tmp/layouts || fail "lockwatch setup --print"
xfs_ilock=$(awk '$1 == "lock" && $2 == "xfs" && $7 == "i_lock" { print $8 - $6 }' /tmp/layouts)
ext4_ds=$(awk '$1 == "lock" && $2 == "ext4" && $7 == "i_data_sem" { print $8 - $6 }' /tmp/layouts)
section btf
if [ -n "$xfs_ilock" ] && [ -n "$ext4_ds" ]; then
	echo "module btf: yes" >&3
	early=xfsfire
	late=ext4fire,xfshold
else
	echo "module btf: no" >&3
	early=""
	late=""
fi

# Before lockwatch: the seed's inversion on XFS, an rm and a writer
# behind it.
insmod /lib/lockwatch_scenarios.ko xfs_ilock=${xfs_ilock:-0} \
	ext4_data_sem=${ext4_ds:-0} ${early:+start=$early} ||
	fail "insmod lockwatch_scenarios"
if [ -n "$early" ]; then
	sleep 1
	(cd /mnt/xfs && rm js/fire.js) &
	sleep 1
	sh -c 'echo x >>/mnt/xfs/js/fire.js' &
	sleep 1
fi

# A disk that stops answering, before lockwatch loads: ext4 on
# scsi_debug's sda, which from now on ignores every READ, WRITE and
# SYNCHRONIZE CACHE (every_nth=1, opts SDEBUG_OPT_MAC_TIMEOUT) while the
# SCSI midlayer waits 40 s before it aborts a command. Behind it: appends
# with fsync, a dd conv=fsync (its writeback in flight), a cold read, a
# create, a sync of the file system, an I/O scheduler switch (which
# freezes the queue) and a direct read behind the freeze. lockwatch then loads at once
# (nothing of its load waits for the disk); the disk's entry in devices
# names its requests in flight and their age, and the story of each
# task ends at it. Then the disk answers again (the options cleared; the
# midlayer aborts and retries): every task completes and the files read
# back as written, also after a remount.
storage=false
grep -q lw_storage=1 /proc/cmdline && storage=true
if $storage; then
	sdd=/sys/bus/pseudo/drivers/scsi_debug
	i=0
	while [ ! -b /dev/sda ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	dd if=/dev/vde of=/dev/sda bs=1M conv=fsync 2>/dev/null || fail "ext4 onto sda"
	mkdir -p /mnt/sd && mount -t ext4 /dev/sda /mnt/sd || fail "mount sda"
	echo cold >/mnt/sd/cold && : >/mnt/sd/log || fail "files on sda"
	dd if=/dev/urandom of=/tmp/data bs=4096 count=16 2>/dev/null
	# Only this file system: a global sync waits for /mnt/xfs's s_umount.
	sync -f /mnt/sd || fail "sync -f /mnt/sd"
	section facts
	echo "dev sd $(cat /sys/block/sda/dev) ext4" >&3
	echo "blkdev sda $(cat /sys/block/sda/dev)" >&3
	echo "inode sd_cold $(stat -c %i /mnt/sd/cold) ext4" >&3
	# Nothing of theirs cached but their inodes: the data is read from
	# the disk. (drop_caches would wait for /mnt/xfs's s_umount.)
	umount /mnt/sd && mount -t ext4 /dev/sda /mnt/sd || fail "remount sda"
	stat /mnt/sd/cold /mnt/sd/log >/dev/null || fail "stat on sda"
	echo 40 >/sys/block/sda/device/timeout
	echo 128 >$sdd/opts && echo 1 >$sdd/every_nth || fail "scsi_debug options"
	: >/tmp/sd.on
	pids=""
	dd if=/tmp/data of=/mnt/sd/data bs=4096 conv=fsync 2>/dev/null &
	sd_dd=$!
	pids="$pids $!"
	cat /mnt/sd/cold >/tmp/cold.read &
	sd_cat=$!
	pids="$pids $!"
	(while [ -e /tmp/sd.on ]; do
		echo x | dd of=/mnt/sd/log oflag=append conv=notrunc,fsync 2>/dev/null
	done) &
	pids="$pids $!"
	touch /mnt/sd/new &
	pids="$pids $!"
	touch_pid=$!
	sync -f /mnt/sd &
	sync_pid=$!
	pids="$pids $!"
	# An I/O scheduler switch freezes the queue and waits for what is in
	# flight to drain; a direct read of the disk then waits for the thaw.
	grep -q '\[mq-deadline\]' /sys/block/sda/queue/scheduler ||
		fail "sda's scheduler: $(cat /sys/block/sda/queue/scheduler)"
	sh -c 'echo none >/sys/block/sda/queue/scheduler' &
	freeze_pid=$!
	pids="$pids $!"
	sleep 1
	dd if=/dev/sda of=/dev/null bs=4096 count=1 skip=1000 iflag=direct 2>/dev/null &
	enter_pid=$!
	pids="$pids $!"
	sleep 2
fi

sd_t0=$(cut -d" " -f1 /proc/uptime)
guest_load
sd_load=$?
sd_load_ms=$(awk -v a="$sd_t0" -v b="$(cut -d" " -f1 /proc/uptime)" 'BEGIN { printf "%d", (b - a) * 1000 }')
guest_setup integrity
# A boot without the seed's cycles (no module BTF to make them) runs
# with panic_on_deadlock=1: its chains behind sleeping holders, frozen
# file systems, dead disks and churn never make it panic.
[ -z "$early$late" ] && { echo 1 >$par/panic_on_deadlock || fail "panic_on_deadlock"; }

if $storage; then
	section sd-load
	echo "insmod with the disk dead: exit $sd_load, within 10 s: $([ $sd_load_ms -lt 10000 ] && echo yes || echo no)" >&3
	echo "sd: insmod took $sd_load_ms ms" >/dev/console
	# lockwatch watch logs the stalled disk once, and once more when it
	# completes its requests again.
	syslogd -n -O /tmp/sd.messages &
	sd_slog=$!
	sleep 1
	lockwatch-static watch -i 1 -s 3 &
	sd_watch=$!
	sleep 1
	echo 1 >$ctl/scan || fail "scan"
	sleep 2
	echo 1 >$ctl/scan || fail "scan"
	section sd-chains
	cat $lw/chains >&3
	section sd-devices
	cat $lw/devices >&3
	# Each task's story (lockwatch why) ends at the disk.
	section sd-why
	for t in "data write with fsync:$sd_dd" "cold read:$sd_cat" \
		"create:$touch_pid" "sync of the file system:$sync_pid" \
		"scheduler switch:$freeze_pid" "direct read behind the freeze:$enter_pid"; do
		lockwatch-static why ${t##*:} >/tmp/why.txt
		echo "${t%:*}: $(tail -n 1 /tmp/why.txt | sed -E \
			-e 's/^  the root: I\/O on sda \(8:0\): [0-9]+ requests? in flight, oldest [0-9]+ s \([A-Z_]+ [0-9]+ sectors at [0-9]+\)$/ends at the disk, its requests in flight/' \
			-e 's/^  the root: /ends at /' \
			-e 's/^[0-9]+ ([^ ]+) sleeps \([0-9]+ s\) in /\1 sleeps in /')" >&3
	done
	# The reader: its first lines name the disk; JSON and metrics.
	section sd-reader
	lockwatch-static | grep '^lockwatch: sda ' | sed -E \
		-e 's/ for [0-9]+ s \([0-9]+ in flight, the oldest [A-Z_]+ [0-9]+ sectors at [0-9]+;/ for N s (N in flight, the oldest OP N sectors at N;/' \
		-e 's/; [0-9]+ tasks stuck behind it$/; N tasks stuck behind it/' >&3
	# check: the seed's cycle first (where BTF let it be made), and the
	# disk against its thresholds: dead for 5 s or more, below the
	# default 30 s, above 1 s. (The unit tests judge a disk alone.)
	section sd-check
	for o in "" "-w 1 -c 100000"; do
		# shellcheck disable=SC2086 # the words are the options
		l=$(lockwatch-static check $o)
		rc=$?
		echo "check $o: exit $rc: $l" | sed -E \
			-e 's/ - 1 deadlock cycle; .* held by [0-9]+ [^;]+/ - 1 deadlock cycle; WHO waits for WHAT held by WHOM/' \
			-e 's/ - [0-9]+ tasks stuck behind .*, longest [0-9]+ s/ - N tasks stuck behind WHAT, longest N s/' \
			-e 's/request for [0-9]+ s; [0-9]+ tasks stuck/request for N s; N tasks stuck/' >&3
	done
	section sd-json
	lockwatch-static --json >&3
	section sd-prom
	lockwatch-static --prometheus /tmp/sd.prom >/dev/null
	cat /tmp/sd.prom >&3
	echo 0 >$sdd/every_nth && echo 0 >$sdd/opts || fail "scsi_debug options cleared"
	rm /tmp/sd.on
	section sd-after
	wait_exits
	echo "cold read: $(cat /tmp/cold.read)" >&3
	cmp /tmp/data /mnt/sd/data && echo "data as written" >&3
	umount /mnt/sd && mount -t ext4 /dev/sda /mnt/sd || fail "remount sda"
	cmp /tmp/data /mnt/sd/data && echo "data as written after a remount" >&3
	echo "log lines: $(wc -l </mnt/sd/log)" >/dev/console
	echo 1 >$ctl/scan || fail "scan"
	cat $lw/devices >&3
	umount /mnt/sd
	sleep 2
	kill -TERM $sd_watch
	wait $sd_watch
	sd_rc=$?
	i=0
	while ! grep -q ' lockwatch\[[0-9]*\]: stopped$' /tmp/sd.messages && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill $sd_slog
	section sd-watch
	sed -n 's/^.* lockwatch\[[0-9]*\]: //p' /tmp/sd.messages | grep '^disk ' | sed -E \
		-e 's/ for [0-9]+ s \([0-9]+ in flight, the oldest [A-Z_]+ [0-9]+ sectors at [0-9]+;/ for N s (N in flight, the oldest OP N sectors at N;/' \
		-e 's/; [0-9]+ tasks stuck behind it /; N tasks stuck behind it /' >&3
	echo "watch exit $sd_rc" >&3
fi


# After lockwatch: the same on ext4; a long holder of an XFS file's locks
# with truncate, touch and mv behind it; the XFS superblock's s_umount
# held, with sync and a remount behind it.
if [ -n "$late" ]; then
	echo $late >$sc/run || fail "start $late"
	sleep 1
	(cd /mnt/ext4 && rm js/fire.js) &
	sleep 1
	sh -c 'echo x >>/mnt/ext4/js/fire.js' &
	truncate -s 0 /mnt/xfs/hold.dat &
	sleep 1
	touch /mnt/xfs/hold.dat &
	sleep 1
	mv /mnt/xfs/hold.dat /mnt/xfs/hold2.dat &
	sleep 1
fi
echo xfssb >$sc/run || fail "start xfssb"
sleep 1
sync &
sleep 1
mount -o remount,ro /mnt/xfs &
guest_reports
section layouts
cat $ctl/layouts >&3

# Bad layouts are refused and change nothing.
section badlayouts
cp $ctl/layouts /tmp/layouts.before
while read -r bad; do
	if printf '%b' "$bad" >$ctl/layouts 2>/dev/null; then
		echo "accepted: $bad" >&3
	else
		echo "refused: $bad" >&3
	fi
done <<'EOF'
lock xfs xfs_inode 4000 i_vnode 312 i_lock 168 rwsem
lock xfs xfs_inode 4000 i_vnode 312 i_lock 168 spinlock ILOCK
lock xfs xfs_inode 4000 i_vnode 312 i_lock 3976 rwsem ILOCK
lock xfs xfs_inode 4000 i_vnode 312 i_lock 170 rwsem ILOCK
lock xfs xfs_inode 4000 i_vnode 312 i_lock 320 rwsem ILOCK
lock xfs xfs_inode 100000 i_vnode 312 i_lock 168 rwsem ILOCK
lock xfs xfs-inode 4000 i_vnode 312 i_lock 168 rwsem ILOCK
lock xfs xfs_inode 4000 i_vnode 312 i_lock 168 rwsem ILOCK\nlock xfs xfs_inode 4000 i_vnode 312 i_lock 168 rwsem ILOCK
mount 352 32 16 24
mount 352 32 16 24 128\nmount 352 32 16 24 128
worker 192 16 24 32 40 56 512 8 320 200
worker 192 16 24 33 40 56 512 8 320 200 24
worker 192 16 16 32 40 56 512 8 320 200 24
worker 192 16 24 32 40 48 512 8 320 200 24
worker 192 16 24 32 40 56 512 8 320 310 24
worker 192 16 24 32 40 56 512 8 320 200 24\nworker 192 16 24 32 40 56 512 8 320 200 24
wqflush 320 80 56 16 24 48 1480 152
wqflush 320 80 56 16 24 48 1480 152 32
inode xfs
clear\nmount 352 32 16 24 128
\n
EOF
dmesg | grep -o 'layouts refused, line .*' >&3
if cmp -s /tmp/layouts.before $ctl/layouts; then
	echo "layouts unchanged" >&3
else
	echo "layouts changed" >&3
fi

# Layouts that parse but misread are refused once tried on the self-test's
# own flushes, and change nothing: setup's own (taken), then its worker
# line with the workqueue's name a word late, then its wqflush line with
# first_flusher a word early.
section triedlayouts
grep -v '^lockwatch layouts' $ctl/layouts >/tmp/layouts.setup
awk '$1 == "worker" { $11 += 8 } { print }' /tmp/layouts.setup >/tmp/layouts.late
awk '$1 == "wqflush" { $3 -= 8 } { print }' /tmp/layouts.setup >/tmp/layouts.early
for l in setup late early; do
	# One write (busybox cat tries sendfile, then writes again).
	if printf '%s\n' "$(cat /tmp/layouts.$l)" >$ctl/layouts 2>/dev/null; then
		echo "$l: taken" >&3
	else
		echo "$l: refused" >&3
	fi
done
dmesg | grep -o "layouts refused: tried .*" >&3
dmesg | grep -c "layouts: the worker layout is not tried" >&3
if grep -v '^lockwatch layouts' $ctl/layouts | cmp -s /tmp/layouts.setup -; then
	echo "layouts unchanged" >&3
else
	echo "layouts changed" >&3
fi

# Frozen file systems: an append, a touch and an rm behind each freeze,
# one entry per file system naming its freeze protection as frozen, no
# cycle; after the thaw the entries are gone and the commands done.
sb='percpu_rwsem sb_writers'
for d in fxfs fext4; do
	fsfreeze --freeze /mnt/$d || fail "freeze $d"
done
pids=""
for d in fxfs fext4; do
	sh -c "echo x >>/mnt/$d/f" &
	pids="$pids $!"
	sleep 1
	touch /mnt/$d/t &
	pids="$pids $!"
	sleep 1
	rm /mnt/$d/r &
	pids="$pids $!"
	sleep 1
done
cycles_before=$(sed -n 's/^cycles: //p' $lw/cycles)
report_entries frozen "$sb"
section frozen-stats
[ "$(sed -n 's/^cycles: //p' $lw/cycles)" = "$cycles_before" ] &&
	echo "no new cycle" >&3
grep '^stuck_percpu_rwsem: ' $lw/stats >&3
for d in fxfs fext4; do
	fsfreeze --unfreeze /mnt/$d || fail "unfreeze $d"
done
wait_exits
echo 1 >$ctl/scan || fail "scan"
echo "sb_writers entries after the thaw: $(count_entries "$sb")" >&3
for d in fxfs fext4; do
	echo "$d: $(ls /mnt/$d | grep -v lost+found | tr '\n' ' ')" >&3
done

# Without layouts: the containing inode is still found, with the lock's
# offset from it, and paths still start at the mount point (d_path()).
echo clear >$ctl/layouts || fail "clear layouts"
echo 1 >$ctl/scan || fail "scan"
section cycles-nolayout
cat $lw/cycles >&3

# Block I/O held back by the device (the scenarios' lwblk0, one tag): a
# direct write whose bio is in flight, one waiting for the tag, a
# buffered write whose writeback waits for the tag, and an fsync waiting
# for that writeback. One entry for the disk, one for the page; after the
# device completes the I/O, every command is done and the entries gone.
# (A kernel whose kallsyms names no folio_wait_table cannot prove the
# page: its waiter is then under the site it sleeps in.)
blk='io |folio writeback of block device|wait blk_mq_get_tag|wait folio_wait_bit_common'
echo blk >$sc/run || fail "start blk"
echo none >/sys/block/lwblk0/queue/scheduler || fail "scheduler none"
section facts
echo "blkdev lwblk $(cat /sys/block/lwblk0/dev)" >&3
echo blkhold >$sc/run || fail "start blkhold"
pids=""
dd if=/dev/zero of=/dev/lwblk0 bs=4096 count=1 oflag=direct 2>/dev/null &
pids="$pids $!"
sleep 1
dd if=/dev/zero of=/dev/lwblk0 bs=4096 count=1 seek=1 oflag=direct 2>/dev/null &
pids="$pids $!"
sleep 1
dd if=/dev/zero of=/dev/lwblk0 bs=4096 count=1 seek=8 conv=fsync 2>/dev/null &
pids="$pids $!"
sleep 1
sh -c 'exec dd if=/dev/null of=/dev/lwblk0 conv=fsync,notrunc 2>/dev/null' &
pids="$pids $!"
sleep 1
cycles_before=$(sed -n 's/^cycles: //p' $lw/cycles)
report_entries blk "$blk"
section blk-stats
[ "$(sed -n 's/^cycles: //p' $lw/cycles)" = "$cycles_before" ] &&
	echo "no new cycle" >&3
grep -e '^stuck_io: ' -e '^stuck_page: ' $lw/stats >&3
section blk-json
lockwatch-static --json >&3
# A writer throttled in balance_dirty_pages(): with the global dirty
# limit at 128 KiB and lwblk0 holding its I/O, a buffered write pauses
# (up to 200 ms at a time), wakes, finds nothing written back and pauses
# again. It makes no progress: stuck, counted among those that woke
# while stuck, its entry the device's dirty throttling, ending at the
# device's I/O. A first write of 512 KiB gets the flusher stuck behind
# the device (on some kernels it is throttled itself, the second then
# waits for the device's inode lock it holds; on others the flusher
# takes all its pages first); the second, of 256 KiB, then has its pages
# stay dirty and is throttled: one writer is, on every kernel but 7.2 on
# arm64, where neither is (tests/expected/fs.7.2-arm64/dirty.txt).
ratio=$(cat /proc/sys/vm/dirty_ratio)
bgratio=$(cat /proc/sys/vm/dirty_background_ratio)
echo 131072 >/proc/sys/vm/dirty_bytes || fail "dirty_bytes"
echo 65536 >/proc/sys/vm/dirty_background_bytes || fail "dirty_background_bytes"
dd if=/dev/zero of=/dev/lwblk0 bs=512k count=1 seek=1 2>/dev/null &
pids="$pids $!"
sleep 2
dd if=/dev/zero of=/dev/lwblk0 bs=256k count=1 seek=2 2>/dev/null &
dirtier=$!
pids="$pids $dirtier"
i=0
while [ $i -lt 15 ]; do
	sleep 1
	echo 1 >$ctl/scan || fail "scan"
	entries 'dirty |wait balance_dirty_pages' <$lw/chains >/tmp/dirty
	grep -q '^  waiter: .* dd$' /tmp/dirty && break
	i=$((i + 1))
done
# No writer seen throttled: the page cache's counts and whether the
# second writer is still there, on the console (for the log).
if ! grep -q '^  waiter: .* dd$' /tmp/dirty; then
	grep -e '^Dirty:' -e '^Writeback:' /proc/meminfo
	echo "dirty: the second writer $([ -d /proc/$dirtier ] && echo "is in $(cat /proc/$dirtier/wchan)" || echo "has returned")"
fi >/dev/console 2>&1
section dirty
grep -E '^(chain N:|  ends:|  waiter:)' /tmp/dirty | sed -E 's/^(  waiter:) [0-9]+ ([^ ]+) [0-9]+ /\1 PID \2 N /' >&3
echo "woke while stuck: $([ "$(stat_of woke_while_stuck)" -ge 1 ] && echo yes || echo no)" >&3
section blk-stats
echo blk-end >$sc/run || fail "blk-end"
wait_exits
echo "$ratio" >/proc/sys/vm/dirty_ratio || fail "dirty_ratio"
echo "$bgratio" >/proc/sys/vm/dirty_background_ratio || fail "dirty_background_ratio"
echo 1 >$ctl/scan || fail "scan"
echo "block entries after the I/O completed: $(count_entries "$blk|wait balance_dirty_pages")" >&3

# A FUSE daemon that stops answering: Debian's bindfs mirrors
# /mnt/fext4/src on /mnt/f and is stopped (SIGSTOP). A shell appends to
# /mnt/f/log through a file it opened before: the write holds the
# file's i_rwsem and asks the daemon (GETXATTR, removing privileges)
# and sleeps (S) for the answer; a second shell's append waits for the
# i_rwsem in D. Its entry's owner is the first shell, which waits for
# its request; the chain ends at the daemon, stopped. A third shell
# looks up a name the daemon has not been asked about and is sent a
# signal it handles: its LOOKUP then waits in D (killable, the request
# interrupted), its own entry the request, owned by the daemon.
# Continued, the daemon answers, both appends are in the file and the
# lookup returns. The daemon runs in cgroup /fuse.service, the shells in
# /lw.slice/app.scope, as systemd would place them: every task of the
# entries carries its cgroup.
mkdir -p /mnt/fext4/src /mnt/f /etc
ln -sf /proc/mounts /etc/mtab
echo a >/mnt/fext4/src/log
bindfs -o attr_timeout=3600,entry_timeout=3600 /mnt/fext4/src /mnt/f ||
	fail "bindfs"
daemon=$(pidof bindfs)
cg=/sys/fs/cgroup
[ -f $cg/cgroup.procs ] || mount -t cgroup2 none $cg || fail "cgroup2"
app=$cg/lw.slice/app.scope/cgroup.procs
mkdir -p $cg/fuse.service ${app%/*} && echo $daemon >$cg/fuse.service/cgroup.procs ||
	fail "bindfs in its cgroup"
mkfifo /tmp/fuse.w1 /tmp/fuse.w2 /tmp/fuse.w3
(echo 0 >$app; printf fuse_writer >/proc/self/comm; exec 4>>/mnt/f/log
	read -r x </tmp/fuse.w1; echo b >&4) &
fwriter=$!
(echo 0 >$app; printf fuse_waiter >/proc/self/comm; exec 5>>/mnt/f/log
	read -r x </tmp/fuse.w2; echo c >&5) &
fwaiter=$!
(echo 0 >$app; printf fuse_looker >/proc/self/comm; trap : USR1
	read -r x </tmp/fuse.w3; [ -e /mnt/f/new ]) &
flooker=$!
usleep 300000
kill -STOP $daemon
# Every thread of it stopped before anything asks it: nothing is read.
while [ "$(grep -h '^State:' /proc/$daemon/task/*/status | grep -vc 'stopped')" != 0 ]; do
	usleep 10000
done
echo >/tmp/fuse.w1
echo >/tmp/fuse.w3
usleep 300000
echo >/tmp/fuse.w2
kill -USR1 $flooker
usleep 300000
echo 1 >$ctl/scan || fail "scan"
usleep 1200000
echo 1 >$ctl/scan || fail "scan"
# Pids, times, the inode and the anonymous device vary: out.
fuse_norm() {
	sed -E -e 's/^(  waiter: )[0-9]+ ([a-z-]+) [0-9]+ /\1PID \2 N /' \
		-e 's/(^|[ (])[0-9]+ (fuse_writer|fuse_waiter|fuse_looker|bindfs)/\1PID \2/g' \
		-e 's/, blocked [0-9]+ s([,)])/, blocked N s\1/' \
		-e 's/ inode [0-9]+ / inode N /; s/ 0:[0-9]+([ )])/ 0:N\1/g' \
		-e 's/ for [0-9]+ s/ for N s/g; s/, [0-9]+ s\)/, N s)/g'
}
section fuse
entries 'rwsem i_rwsem of inode [0-9]+ [(]fuse |fuse ' <$lw/chains |
	grep -E '^(chain N:|  (owner|owner-cgroup|owner-state|owner-waits|ends|ends-cgroup|request|waiter):|    cgroup:)' |
	fuse_norm >&3
echo "stuck_fuse: $(stat_of stuck_fuse)" >&3
section fuse-reader
lockwatch-static | entries 'rwsem i_rwsem of inode [0-9]+ [(]fuse |fuse ' |
	fuse_norm >&3
section fuse-json
lockwatch-static --json >&3
section fuse-graph
lockwatch-static graph >&3
section fuse-why
lockwatch-static why $fwaiter | fuse_norm >&3
lockwatch-static why $flooker | fuse_norm >&3
kill -CONT $daemon
wait $fwriter $fwaiter $flooker
section fuse-end
sort /mnt/fext4/src/log | tr '\n' ' ' >&3
echo >&3

# Churn: /mnt/fxfs frozen and thawed over and over with appends behind
# each freeze, a file on /mnt/fext4 (and on the scsi_debug disk,
# where there is one) written, synced and read, appends and reads
# through the FUSE daemon (bindfs, answering again), while
# lockwatch scans 200 times: the count of stuck tasks must stay what it
# was (the churn's waits are short, confirm_ms is 2 s), no cycle may be
# logged, and the churn must have been seen waiting.
echo 2000 >/sys/module/lockwatch/parameters/confirm_ms
echo 1 >$ctl/scan || fail "scan"
base=$(sed -n 's/^stuck: //p' $lw/stats)
d0=$(sed -n 's/^d_tasks: //p' $lw/stats)
logged=$(sed -n 's/^cycles_logged: //p' $lw/stats)
: >/tmp/churn.on
(while [ -e /tmp/churn.on ]; do
	fsfreeze --freeze /mnt/fxfs && usleep 100000 &&
		fsfreeze --unfreeze /mnt/fxfs && usleep 100000
done) &
c1=$!
(while [ -e /tmp/churn.on ]; do echo x >>/mnt/fxfs/churn; done) &
c2=$!
(while [ -e /tmp/churn.on ]; do
	dd if=/dev/zero of=/mnt/fext4/churn bs=4096 count=16 conv=fsync 2>/dev/null
	cat /mnt/fext4/churn >/dev/null
done) &
c3=$!
(while [ -e /tmp/churn.on ]; do
	echo x >>/mnt/f/churn
	cat /mnt/f/churn >/dev/null
done) &
c5=$!
# The disk that stalled before, answering again: the same on it.
c4=
if $storage; then
	mount -t ext4 /dev/sda /mnt/sd || fail "mount sda for the churn"
	(while [ -e /tmp/churn.on ]; do
		dd if=/dev/zero of=/mnt/sd/churn bs=4096 count=16 conv=fsync 2>/dev/null
		cat /mnt/sd/churn >/dev/null
	done) &
	c4=$!
fi
i=0
moved=0
waits=0
while [ $i -lt 200 ]; do
	echo 1 >$ctl/scan || fail "scan"
	[ "$(sed -n 's/^stuck: //p' $lw/stats)" = "$base" ] || moved=$((moved + 1))
	[ "$(sed -n 's/^d_tasks: //p' $lw/stats)" -gt "$d0" ] && waits=$((waits + 1))
	usleep 20000
	i=$((i + 1))
done
rm /tmp/churn.on
wait $c1 $c2 $c3 $c4 $c5
umount /mnt/f || fail "umount /mnt/f"
section churn
echo "scans: $i" >&3
echo "scans where the stuck count moved: $moved" >&3
echo "new cycles logged: $(($(sed -n 's/^cycles_logged: //p' $lw/stats) - logged))" >&3
if [ $waits -gt 0 ]; then
	echo "churn seen waiting: yes" >&3
else
	echo "churn seen waiting: no" >&3
fi
if timeout 20 touch /mnt/fxfs/after; then
	echo "fxfs frozen after the churn: no" >&3
else
	echo "fxfs frozen after the churn: yes" >&3
fi
# A disk whose driver holds each request back (null_blk in timer mode,
# 20 s a request), loaded only now: add_disk reads its partition table,
# and the insmod waits for the read of the device's first page. Its
# chain names that page of the block device and ends at the disk's
# request in flight; the disk's entry in devices says the same. (The
# scan of the partition table goes on after this boot's last check. A
# kernel whose kallsyms names no folio_wait_table files the wait under
# its site.)
insmod /lib/[0-9]*-null_blk.ko nr_devices=1 irqmode=2 gb=1 \
	completion_nsec=20000000000 &
i=0
while [ ! -e /sys/block/nullb0/dev ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
section facts
echo "blkdev nullb $(cat /sys/block/nullb0/dev)" >&3
report_entries nullb 'folio page lock of block device nullb0|wait folio_wait_bit_common'
section nullb-devices
cat $lw/devices >&3
section panic
echo "panic_on_deadlock $(cat $par/panic_on_deadlock), cycles $(stat_of cycles)" >&3
section end
poweroff -n -f

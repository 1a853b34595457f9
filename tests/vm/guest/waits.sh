#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the VM of waits that are not locks: workqueue flushes that
# deadlock with a mutex (one before lockwatch loads, the rest after),
# chains behind a long work item, kthread_stop() of a kthread that waits
# for the stopper's mutex, the jbd2 journal of an ext4 disk deadlocked
# between a handle and a mutex and that of another behind a sleeping
# handle, the same without the worker layout, and flushes churning while
# it scans. Reports go to the second serial port.
. /lib/guest.sh

guest_kmods /dev/vdc
mkdir -p /mnt/j1 /mnt/j2 /mnt/j3
mount -t ext4 /dev/vda /mnt/j1 || fail "mount /mnt/j1"
mount -t ext4 /dev/vdb /mnt/j2 || fail "mount /mnt/j2"
mount -t ext4 /dev/vdc /mnt/j3 || fail "mount /mnt/j3"
section facts
for m in j1 j2 j3; do
	echo "dev $m $(awk -v m=/mnt/$m '$5 == m { print $3 }' /proc/self/mountinfo) ext4" >&3
done

# Before lockwatch: flush_work() on the system workqueue under a mutex
# the work takes.
insmod /lib/lockwatch_scenarios.ko start=flush-sys ||
	fail "insmod lockwatch_scenarios"
sleep 1
guest_load

# After lockwatch: the same on a workqueue of its own, through
# cancel_work_sync(), flush_delayed_work() and flush_workqueue() of a
# whole workqueue; the chains of an ordered
# workqueue; kthread_stop() of a kthread that waits for the stopper's
# mutex.
echo flush-wq,flush-cancel,flush-delayed,flush-workqueue >$sc/run ||
	fail "start flush-wq,flush-cancel,flush-delayed,flush-workqueue"
echo wqchain,kstop >$sc/run || fail "start wqchain,kstop"
insmod /lib/lockwatch_journal.ko jbd2_dir=/mnt/j1 jbd2_chain_dir=/mnt/j2 ||
	fail "insmod lockwatch_journal"
# Every module is loaded: lock the kernel down (confidentiality, the
# highest level); every check below holds there.
guest_setup confidentiality
guest_reports
section reader
lockwatch-static >&3 2>&1
rc=$?
section reader-exit
echo "exit $rc" >&3
section json
lockwatch-static --json >&3
section kmsg
dmesg | grep -E 'lockwatch: (deadlock|  pid)' | sed 's/^\[[ 0-9.]*\] //' >&3
section check
lockwatch-static check >&3
echo "exit $?" >&3
lockwatch-static --prometheus /tmp/lockwatch.prom >/dev/null
section prom
cat /tmp/lockwatch.prom >&3

# lockwatch watch logs each cycle once and, with --stuck 1, each chain
# stuck a second or more, to syslog here. The long work ends: both
# flushes of the ordered workqueue are done, and their chains gone.
watch_start -i 1 --stuck 1
sleep 3
echo wqchain-end >$sc/run || fail "end wqchain"
sleep 1
echo 1 >$ctl/scan || fail "scan"
section wqchain-after
echo "flush entries after: $(count_entries 'completion (flush of work lw_(long|behind)_work_fn|lw_long_end)')" >&3
sleep 3
watch_stop

# Without the worker layout the flushes are still there, without edges.
echo clear >$ctl/layouts || fail "clear layouts"
report_entries nolayout 'completion '
section cycles-nolayout
cat $lw/cycles >&3
lockwatch-static setup >/dev/null 2>&1 || fail "setup again"

# Flushes under a mutex the work does not take, in a loop, and writes
# that wait for the journal of the third disk's commits (fsync), while
# it scans as often as it can and confirms at once: no new cycle, the
# standing ones all still there, and the fsyncs seen waiting for the
# journal.
section churn
echo 0 >$par/confirm_ms
# The flush cycles are back with the layouts: a scan sees their owners
# again, the next confirms them. Only then does the churn start, so that
# what it counts is the churn's, not the flush cycles' return (missing
# from more than 3 reports, a cycle is new again).
echo 1 >$ctl/scan
echo 1 >$ctl/scan
echo "cycles_before $(stat_of cycles)" >&3
before=$(stat_of cycles_logged)
base=$(stat_of stuck_journal)
echo wqchurn >$sc/run || fail "start wqchurn"
writers=""
for f in a b; do
	(while [ ! -e /tmp/churn-stop ]; do
		dd if=/dev/zero of=/mnt/j3/$f bs=4k count=4 conv=fsync 2>/dev/null
	done) &
	writers="$writers $!"
done
i=0
seen=no
while [ $i -lt 300 ]; do
	echo 1 >$ctl/scan
	[ "$(stat_of stuck_journal)" -gt "$base" ] && seen=yes
	i=$((i + 1))
done
echo wqchurn-stop >$sc/run || fail "stop wqchurn"
: >/tmp/churn-stop
wait $writers
echo "scans_during_churn $i" >&3
echo "journal_waits_seen $seen" >&3
echo "new_cycles_logged $(( $(stat_of cycles_logged) - before ))" >&3
echo "churn_tasks_in_cycles $(grep -c '^  task: .* lw_wqchurn' $lw/cycles)" >&3
echo "cycles $(stat_of cycles)" >&3
section end
# Last, panic_on_deadlock: the standing cycles have been in every report
# since they formed, so the next scan panics the kernel, after logging
# one of them in full (check-waits.sh reads the console from the mark).
# (The mark goes through printk, in order with the kernel's lines.)
echo "<2>lw-panic: panic_on_deadlock=3" >/dev/kmsg
echo 3 >$par/panic_on_deadlock || fail "panic_on_deadlock"
echo 1 >$ctl/scan
sleep 5
echo "lw-panic: no panic" >/dev/console
poweroff -n -f

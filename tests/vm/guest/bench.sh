#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of a benchmark VM (make bench). The kernel command line says how
# many threads: lw_threads=N. Results go to the second serial port as
# "key value..." lines; tests/bench.sh turns them into the table.
#
#  cost:    scans with N idle threads, then 1 % and 10 % more blocked
#           (chains and cycles), then 1 % more in each other kind of
#           wait (unknown, percpu_rw_semaphore, page lock, block I/O,
#           flushes of one running work, file creations behind a jbd2
#           commit that waits for a sleeping handle): the scan,
#           the bare walk it is compared with, the longest RCU stretch;
#  hotpath: (N = 1000 only) throughput of lock-heavy work without
#           lockwatch, with it scanning every second, and with
#           cross_check on, interleaved five times;
#  latency: (N = 1000 only, last, as its cycles stay) from a cycle
#           forming to its report, in scan periods;
#  memory:  what the module allocated, and (N = 30000) 10000 blocked
#           tasks against max_tasks 4096 and 16384.
. /lib/guest.sh
guest_kmods /dev/vda
mkdir -p /mnt/j && mount -t ext4 /dev/vda /mnt/j || fail "mount ext4"
mount -t tmpfs tmpfs /tmp
mkdir -p /mnt/t && mount -t tmpfs tmpfs /mnt/t && echo page >/mnt/t/page.dat ||
	fail "tmpfs for the page waits"

# Room for 40000 threads and more (the defaults follow the memory size
# and the CPU count).
echo 4194304 >/proc/sys/kernel/pid_max
echo 1000000 >/proc/sys/kernel/threads-max
n=$(sed -n 's/.*lw_threads=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$n" ] || fail "no lw_threads= on the command line"
insmod /lib/lockwatch_scenarios.ko || fail "insmod lockwatch_scenarios"

# The module's scan must not run by itself during the measurements.
load() {
	insmod /lib/lockwatch.ko scan_period_ms=86400000 confirm_ms=0 measure_floor=1 "$@" ||
		fail "insmod lockwatch $*"
}

# add WHAT COUNT: start COUNT more idle or blocked threads.
add() {
	echo "$2" >/sys/module/lockwatch_scenarios/parameters/bench_count
	echo "$1" >$sc/run || fail "start $1 $2"
}

# settle WANT: scan until at least WANT tasks are in D state.
settle() {
	i=0
	while [ $i -lt 300 ]; do
		echo 1 >$ctl/scan
		[ "$(stat_of d_tasks)" -ge "$1" ] && return
		sleep 1
		i=$((i + 1))
	done
	fail "only $(stat_of d_tasks) of $1 tasks blocked"
}

# cost LABEL: seven scans, one line each.
cost() {
	r=0
	while [ $r -lt 7 ]; do
		echo 1 >$ctl/scan
		echo "cost $n $1 $(stat_of threads) $(stat_of d_tasks) $(stat_of last_scan_us) $(stat_of last_walk_us) $(stat_of max_rcu_us) $(stat_of overflows) $(stat_of walk_max_rcu_us) $(stat_of last_render_us)" >&3
		r=$((r + 1))
	done
}

# work SECONDS: lock-heavy work; prints mutex/rwsem churn rounds and
# file create+unlink operations done.
work() {
	rm -f /tmp/stop
	mkdir -p /tmp/d
	for p in 1 2 3 4; do
		(
			c=0
			while [ ! -e /tmp/stop ]; do
				: >/tmp/d/f$p
				rm /tmp/d/f$p
				c=$((c + 1))
			done
			echo $c >/tmp/count$p
		) &
	done
	dmesg -c >/dev/null
	echo churn >$sc/run || fail "start churn"
	sleep "$1"
	echo churn-stop >$sc/run
	: >/tmp/stop
	wait
	rounds=$(dmesg | sed -n 's/.*churn: \([0-9]*\) rounds.*/\1/p' | tail -n 1)
	files=$(cat /tmp/count1 /tmp/count2 /tmp/count3 /tmp/count4 |
		awk '{ s += $1 } END { print s }')
	echo "$rounds $files"
}


if [ "$n" = 1000 ]; then
	r=0
	while [ $r -lt 5 ]; do
		echo "hotpath none $(work 4)" >&3
		load
		echo 1000 >$par/scan_period_ms
		echo 1 >$ctl/scan
		echo "hotpath loaded $(work 4)" >&3
		echo 1 >$par/cross_check
		echo "hotpath cross_check $(work 4)" >&3
		rmmod lockwatch || fail "rmmod"
		r=$((r + 1))
	done
fi

# Scan cost: N idle threads, then 1 % and 10 % blocked.
add idle "$n"
load
settle 0
i=0
while [ "$(stat_of threads)" -lt "$n" ] && [ $i -lt 300 ]; do
	sleep 1
	echo 1 >$ctl/scan
	i=$((i + 1))
done
cost 0
d0=$(stat_of d_tasks)
add blocked $((n / 100))
settle $((d0 + n / 100))
cost 1
add blocked $((n / 10 - n / 100))
settle $((d0 + n / 10))
cost 10
# What each other kind of wait costs: 1 % more blocked in it.
d1=$((d0 + n / 10))
for kind in unknown pcpu page; do
	add b$kind $((n / 100))
	[ $kind = page ] && d1=$((d1 + 1))	# its holder, asleep in msleep
	d1=$((d1 + n / 100))
	settle $d1
	cost "10+1$kind"
done
# Block I/O: direct writes to a disk that holds its I/O back (lwblk0,
# one tag): one bio in flight, the others waiting for the tag. Not where
# they would pass the default max_tasks (4096: at 30000 threads).
if [ $((d1 + n / 100)) -le 4096 ]; then
	echo blk >$sc/run || fail "start blk"
	echo none >/sys/block/lwblk0/queue/scheduler || fail "scheduler none"
	echo blkhold >$sc/run || fail "start blkhold"
	j=0
	while [ $j -lt $((n / 100)) ]; do
		dd if=/dev/zero of=/dev/lwblk0 bs=4096 count=1 oflag=direct 2>/dev/null &
		j=$((j + 1))
	done
	d1=$((d1 + n / 100))
	settle $d1
	cost "10+1io"
fi
# Workqueue flushes: 1 % more threads flushing one work that runs for
# good, their barriers one behind the other (the worker waits too).
if [ $((d1 + n / 100 + 1)) -le 4096 ]; then
	add bflush $((n / 100))
	d1=$((d1 + n / 100 + 1))
	settle $d1
	cost "10+1flush"
fi
# The jbd2 journal: 1 % more threads creating files behind a commit that
# waits for a handle held by a thread asleep in msleep (which, with the
# commit thread, waits too).
if [ $((d1 + n / 100 + 2)) -le 4096 ]; then
	insmod /lib/lockwatch_journal.ko jbd2_chain_dir=/mnt/j \
		jbd2_chain_waiters=$((n / 100)) || fail "insmod lockwatch_journal"
	d1=$((d1 + n / 100 + 2))
	settle $d1
	cost "10+1journal"
fi

# Detection latency last: its cycles stay.
if [ "$n" = 1000 ]; then
	rmmod lockwatch || fail "rmmod"
	load
	echo "memory 4096 $(stat_of memory_kib)" >&3
	# Detection latency: scan every second, confirm after one second.
	echo 1000 >$par/confirm_ms
	echo 1000 >$par/scan_period_ms
	# The cycles of the cost runs are reported first.
	sleep 3
	t=0
	while [ $t -lt 8 ]; do
		before=$(sed -n 's/^cycles: //p' $lw/cycles)
		echo cycle >$sc/run || fail "start cycle"
		s0=$(stat_of scans)
		i=0
		while [ "$(sed -n 's/^cycles: //p' $lw/cycles)" = "$before" ] && [ $i -lt 400 ]; do
			sleep 0.02
			i=$((i + 1))
		done
		up=$(cut -d' ' -f1 /proc/uptime)
		# Also in scans: those published after the cycle formed.
		echo "latency $(cat $scd/formed_ns) $up 1000 $(($(stat_of scans) - s0))" >&3
		# Start the next trial at another point of the scan period.
		sleep 0.$((t * 12 % 10))
		t=$((t + 1))
	done
	echo 86400000 >$par/scan_period_ms
	echo 0 >$par/confirm_ms
	rmmod lockwatch || fail "rmmod"
fi

if [ "$n" = 30000 ]; then
	# 10000 blocked tasks: more than the default max_tasks.
	add blocked $((10000 - n / 10))
	settle 4096
	sleep 5
	cost 10k
	echo "memory 4096 $(stat_of memory_kib)" >&3
	rmmod lockwatch || fail "rmmod"
	load max_tasks=16384
	settle $((d0 + 10000))
	cost 10k16
	echo "memory 16384 $(stat_of memory_kib)" >&3
fi
echo "end" >&3
poweroff -n -f

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the stress VMs (make stress), one boot per phase (lwphase= on
# the kernel command line). scans: lockwatch under churn, fork/exit
# storms and concurrent scan writers with real deadlocks live, then every
# parameter and debugfs file fed bad values. reloads: lockwatch unloaded
# and loaded 100 times with the deadlocks live, the churn and the storms
# running. Results go to the second serial port as "key value" lines.
. /lib/guest.sh
mount -t tmpfs tmpfs /tmp
ko=/lib/lockwatch.ko
phase=$(sed -n 's/.*lwphase=\([a-z]*\).*/\1/p' /proc/cmdline)
# An open debugfs file holds the module: rmmod says EAGAIN while one is
# open, and is tried again.
unload() {
	tries=0
	until rmmod lockwatch 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 1000 ] || return 1
		sleep 0.01
	done
}

# Real deadlocks, live through everything below: ABBA and a 3-task cycle.
insmod /lib/lockwatch_scenarios.ko start=abba,tri,sleep ||
	fail "insmod lockwatch_scenarios"
# Fork/exit storms: short-lived processes, as fast as they come.
for i in 1 2; do
	(while [ ! -e /tmp/stop ]; do
		/bin/true
		sh -c 'exit 0'
	done) &
done
insmod $ko scan_period_ms=100 confirm_ms=0 || fail "insmod lockwatch"
# Locks taken and released in one consistent order, all along.
echo churn >$sc/run || fail "start churn"

# 2000 scans and more, three processes writing scan in a tight loop: never
# a cycle but the two real ones.
scans() {
	for i in 1 2 3; do
		(while [ ! -e /tmp/stop-scans ]; do echo 1 >$ctl/scan; done) 2>/dev/null &
	done
	bad=0
	max=0
	while [ "$(stat_of scans)" -lt 2000 ]; do
		c=$(sed -n 's/^cycles: //p' $lw/cycles)
		[ "$c" -gt "$max" ] && max=$c
		grep -q '^  task: .* lw_churn' $lw/cycles && bad=$((bad + 1))
		sleep 0.2
	done
	: >/tmp/stop-scans
	echo "scans $(stat_of scans)" >&3
	echo "most_cycles_seen $max" >&3
	echo "reads_with_churn_in_a_cycle $bad" >&3
	echo "cycles_logged $(stat_of cycles_logged)" >&3
	echo "partial_walks $(stat_of partial_walks)" >&3
	echo "cycles_now $(sed -n 's/^cycles: //p' $lw/cycles)" >&3
}

# 100 unloads and loads, each registering and unregistering the
# lock:contention probes while the churn runs through the lock slow
# paths. No scan writers here: each holds the module while its write
# waits for a scan, and between them rmmod would rarely find it unused.
reloads() {
	n=0
	ok=0
	while [ $n -lt 100 ]; do
		unload || fail "rmmod $n"
		insmod $ko scan_period_ms=100 confirm_ms=0 || fail "insmod $n"
		# A cycle is confirmed by its second sighting.
		echo 1 >$ctl/scan 2>/dev/null
		echo 1 >$ctl/scan 2>/dev/null
		[ "$(sed -n 's/^cycles: //p' $lw/cycles)" = 2 ] && ok=$((ok + 1))
		grep -q '^  task: .* lw_churn' $lw/cycles && echo "churn_in_a_cycle $n" >&3
		n=$((n + 1))
	done
	echo "reloads $n" >&3
	echo "reloads_reporting_both_cycles $ok" >&3
}

# try_bad PARAM VALUE...: each value refused, and the value stays.
try_bad() {
	p=$1
	shift
	before=$(cat $par/$p)
	for v in "$@"; do
		tried=$((tried + 1))
		if ! printf '%s' "$v" >$par/$p 2>/dev/null && [ "$(cat $par/$p)" = "$before" ]; then
			refused=$((refused + 1))
		else
			echo "accepted: $p='$v'" >&3
		fi
	done
}

# Bad parameter values, bad load-time values, garbage into debugfs.
bad_input() {
	refused=0
	tried=0
	try_bad scan_period_ms -1 99 86400001 4294967296 abc ' ' 1e3 0x10 '10 20' 99999999999999999999
	try_bad confirm_ms -1 86400001 4294967296 abc ' ' 1e3 0x10 '10 20' 99999999999999999999
	try_bad raw_pointers 2 maybe -1 ' '
	try_bad cross_check 2 maybe -1 ' '
	# max_tasks sizes what was allocated at load: it cannot change after.
	echo 100 2>/dev/null >$par/max_tasks && echo "max_tasks writable" >&3
	echo "params_tried $tried refused $refused" >&3

	unload || fail "rmmod before bad loads"
	loads=0
	for a in scan_period_ms=0 confirm_ms=-5 max_tasks=15 max_tasks=1048577 raw_pointers=7 scan_period_ms=x; do
		insmod $ko "$a" 2>/dev/null && { echo "loaded with $a" >&3; unload; } ||
			loads=$((loads + 1))
	done
	echo "bad_loads_refused $loads of 6" >&3
	insmod $ko scan_period_ms=100 confirm_ms=0 || fail "insmod after bad loads"

	echo 1 >$ctl/scan
	cp $ctl/layouts /tmp/layouts.before
	g=0
	r=0
	while [ $g -lt 200 ]; do
		# Never valid: "1" for scan, a keyword first for layouts.
		{ printf x; head -c $((g % 300 + 1)) /dev/urandom; } >/tmp/junk
		cat /tmp/junk >$ctl/layouts 2>/dev/null || r=$((r + 1))
		cat /tmp/junk >$ctl/scan 2>/dev/null || r=$((r + 1))
		g=$((g + 1))
	done
	cmp -s /tmp/layouts.before $ctl/layouts && echo "layouts unchanged" >&3
	echo "garbage_writes $((2 * g)) refused $r" >&3
}

case $phase in
scans)
	scans
	# Loading and unloading under the churn is the reloads boot's part.
	echo churn-stop >$sc/run
	bad_input
	;;
reloads)
	reloads
	;;
*)
	fail "unknown phase '$phase'"
	;;
esac
: >/tmp/stop
echo churn-stop >$sc/run
sleep 1
echo "scans_total $(stat_of scans)" >&3
echo end >&3
poweroff -n -f
